"""Outbox renderer of the notice "<group> has scheduled a meeting" to people who asked for it
on the group's card (bot.services.meeting_watch).

Rendered when sent, in the recipient's language and timezone, in their private chat; None
(skipped) once it would mislead: the group archived, the meeting cancelled, moved or begun.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from telegram import InlineKeyboardMarkup

from bot.domain.meeting_notices import still_current
from bot.domain.meeting_watch import MEETING_SCHEDULED
from bot.domain.member import Member
from bot.i18n import Translator
from bot.services.container import Services
from bot.ui.groups import meeting_scheduled_view

Rendered = tuple[str, InlineKeyboardMarkup | None] | None


async def render_meeting_scheduled(
    services: Services, t: Translator, member: Member, payload: Mapping[str, Any]
) -> Rendered:
    meeting = await services.meetings.get(int(payload["meeting_id"]))
    if (
        meeting is None
        or not still_current(meeting, payload)
        or meeting.starts_at <= services.clock.now()
    ):
        return None
    group = await services.groups.active(meeting.group_id)
    if group is None:
        return None
    is_member = await services.groups.is_member(group.id, member.id)
    can_try = group.offers_trials and not is_member
    return meeting_scheduled_view(t, group, meeting.starts_at, member.timezone, can_try=can_try)


def meeting_watch_renderers() -> dict[str, Any]:
    """The renderer of the notice's outbox kind, for ``bot_data["outbox_renderers"]``."""
    return {MEETING_SCHEDULED: render_meeting_scheduled}
