"""Outbox renderers for the weekly check-in: the prompt and its nudge.

Both decide again when they are sent, from the current rows: nothing goes to someone who has
left every group, paused or turned the check-in off since it was planned, the prompt does not
go to someone who completed a WHO-5 in the days just before it, and the nudge does not go once
a WHO-5 was completed after the prompt (the dispatcher then skips the row).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from telegram import InlineKeyboardMarkup

from bot.domain.checkin_cadence import ANSWERED_RECENTLY, prompt_purpose
from bot.domain.checkin_notices import CheckinKind
from bot.domain.member import Member
from bot.domain.messages import parse_instant
from bot.i18n import Translator
from bot.services.container import Services
from bot.ui import checkin_prompts as views

Rendered = tuple[str, InlineKeyboardMarkup | None] | None


async def render_prompt(
    services: Services, t: Translator, member: Member, payload: Mapping[str, Any]
) -> Rendered:
    now = services.clock.now()
    audience = await services.checkins.audience(member.id)
    if audience is None or not audience.prompted_at(now):
        return None
    if await services.checkins.completed_who5_since(member.id, now - ANSWERED_RECENTLY):
        return None
    purpose = prompt_purpose(parse_instant(payload["at"]), audience.first_joined_at)
    return views.prompt_view(t, purpose)


async def render_nudge(
    services: Services, t: Translator, member: Member, payload: Mapping[str, Any]
) -> Rendered:
    prompt_at = parse_instant(payload["at"])
    audience = await services.checkins.audience(member.id)
    if audience is None or not audience.prompted_at(services.clock.now()):
        return None
    if await services.checkins.completed_who5_since(member.id, prompt_at):
        return None
    return views.nudge_view(t, prompt_purpose(prompt_at, audience.first_joined_at))


def checkin_renderers() -> dict[str, Any]:
    """The renderers of the check-in outbox kinds, for ``bot_data["outbox_renderers"]``."""
    return {CheckinKind.PROMPT: render_prompt, CheckinKind.NUDGE: render_nudge}
