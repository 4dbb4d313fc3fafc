"""Outbox renderers for moderation (planned by bot.services.moderation): a report to each
facilitator who may act on it, and the notices to the people concerned.

Renderers only render, from the current rows: a report is dropped (None: skipped) once it is
acted on or gone, or when the recipient may no longer act on it; a notice, when its group or
pause is gone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from telegram import InlineKeyboardMarkup

from bot.domain.member import Member
from bot.domain.moderation import (
    PAIRING_ENDED_KIND,
    REMOVED_KIND,
    REPORT_KIND,
    SUSPENDED_KIND,
    WARNING_KIND,
    may_moderate,
)
from bot.i18n import Translator
from bot.services.container import Services
from bot.ui import moderation as views

Rendered = tuple[str, InlineKeyboardMarkup | None] | None


async def render_report(
    services: Services, t: Translator, member: Member, payload: Mapping[str, Any]
) -> Rendered:
    report = await services.moderation.report(int(payload["report_id"]))
    if report is None or report.is_handled:
        return None
    facilitated = await services.roles.facilitated_group_ids(member.id)
    coordinator = member.is_coordinator or services.is_admin(member.telegram_id)
    if not may_moderate(member.id, report, facilitated, coordinator=coordinator):
        return None
    return views.report_view(t, report, member.timezone)


async def _group_name(services: Services, payload: Mapping[str, Any]) -> str | None:
    group = await services.groups.get(int(payload["group_id"]))
    return group.name if group is not None else None


async def render_warning(
    services: Services, t: Translator, member: Member, payload: Mapping[str, Any]
) -> Rendered:
    name = await _group_name(services, payload)
    return (views.warning_text(t, name), None) if name is not None else None


async def render_pairing_ended(
    services: Services, t: Translator, member: Member, payload: Mapping[str, Any]
) -> Rendered:
    name = await _group_name(services, payload)
    return (views.pairing_ended_text(t, name), None) if name is not None else None


async def render_suspended(
    services: Services, t: Translator, member: Member, payload: Mapping[str, Any]
) -> Rendered:
    found = await services.moderation.suspension(int(payload["suspension_id"]))
    if found is None:
        return None
    name, ends_at = found
    until = t.format_datetime(ends_at, member.timezone, "short")
    return views.suspended_text(t, name, until), None


async def render_removed(
    services: Services, t: Translator, member: Member, payload: Mapping[str, Any]
) -> Rendered:
    name = await _group_name(services, payload)
    return (views.removed_text(t, name), None) if name is not None else None


def moderation_renderers() -> dict[str, Any]:
    """The renderers of the moderation outbox kinds, for ``bot_data["outbox_renderers"]``."""
    return {
        REPORT_KIND: render_report,
        WARNING_KIND: render_warning,
        PAIRING_ENDED_KIND: render_pairing_ended,
        SUSPENDED_KIND: render_suspended,
        REMOVED_KIND: render_removed,
    }
