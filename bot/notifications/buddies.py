"""Outbox renderers for peer buddies (planned by bot.services.buddies).

Renderers only render, from the current rows: a pairing's announcement, prompt or message is
dropped (None: skipped) once the pairing has ended or is gone, so nothing reaches someone
from a buddy they no longer have. The ending itself renders from the payload when the pairing
is gone (the other side used /forget).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from telegram import InlineKeyboardMarkup

from bot.domain.buddies import BuddyKind, EndReason, Pairing
from bot.domain.member import Member
from bot.i18n import Translator
from bot.services.container import Services
from bot.ui import buddies as views

Rendered = tuple[str, InlineKeyboardMarkup | None] | None


async def _active(
    services: Services, member: Member, payload: Mapping[str, Any]
) -> tuple[Pairing, str] | None:
    """The payload's pairing and the recipient's buddy's alias, while it is active."""
    pairing = await services.buddies.get(int(payload["pairing_id"]))
    if pairing is None or not pairing.active or not pairing.includes(member.id):
        return None
    alias = await services.buddies.alias(pairing.other(member.id))
    return (pairing, alias) if alias is not None else None


async def render_paired(
    services: Services, t: Translator, member: Member, payload: Mapping[str, Any]
) -> Rendered:
    found = await _active(services, member, payload)
    if found is None:
        return None
    pairing, alias = found
    group = await services.groups.get(pairing.group_id)
    return views.paired_view(t, pairing, alias, group.name if group else "")


async def render_prompt(
    services: Services, t: Translator, member: Member, payload: Mapping[str, Any]
) -> Rendered:
    found = await _active(services, member, payload)
    if found is None:
        return None
    pairing, alias = found
    return views.prompt_view(t, pairing, alias, member.id, services.clock.now())


async def render_message(
    services: Services, t: Translator, member: Member, payload: Mapping[str, Any]
) -> Rendered:
    message = await services.buddies.message(int(payload["message_id"]))
    if message is None or not message.pairing.active:
        return None
    return views.message_view(t, message.id, message.pairing, message.sender_alias, message.text)


async def render_ended(
    services: Services, t: Translator, member: Member, payload: Mapping[str, Any]
) -> Rendered:
    pairing = await services.buddies.get(int(payload["pairing_id"]))
    alias = None
    if pairing is not None and pairing.includes(member.id):
        alias = await services.buddies.alias(pairing.other(member.id))
    group = await services.groups.get(int(payload["group_id"]))
    reason = EndReason(payload["reason"])
    return views.ended_notice_text(t, reason, alias, group.name if group else None), None


async def render_continued(
    services: Services, t: Translator, member: Member, payload: Mapping[str, Any]
) -> Rendered:
    found = await _active(services, member, payload)
    if found is None:
        return None
    pairing, alias = found
    return views.continued_text(t, alias, pairing.ends_at, member.timezone), None


def buddy_renderers() -> dict[str, Any]:
    """The renderers of the buddy outbox kinds, for ``bot_data["outbox_renderers"]``."""
    return {
        BuddyKind.PAIRED: render_paired,
        BuddyKind.PROMPT: render_prompt,
        BuddyKind.MESSAGE: render_message,
        BuddyKind.ENDED: render_ended,
        BuddyKind.CONTINUED: render_continued,
    }
