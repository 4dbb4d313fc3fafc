"""Outbox renderers for meeting messages: reminders, cancellations, moves, promotions and the
after-trial question.

Each renders from the *current* rows when the message is sent, in the recipient's language and
timezone, and returns None when the message no longer applies (meeting cancelled or moved
again, seat given up, question already answered, a later reminder due as well): the
dispatcher then skips it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from telegram import InlineKeyboardMarkup

from bot.domain.groups import Group
from bot.domain.meeting_notices import NoticeKind, ReminderPlan, overtaken, still_current
from bot.domain.meetings import Meeting, SeatStatus
from bot.domain.member import Member
from bot.domain.messages import parse_instant
from bot.i18n import Translator
from bot.services.container import Services
from bot.ui import meetings as views

Rendered = tuple[str, InlineKeyboardMarkup | None] | None


async def _meeting_and_group(
    services: Services, payload: Mapping[str, Any]
) -> tuple[Meeting, Group] | None:
    meeting = await services.meetings.get(int(payload["meeting_id"]))
    if meeting is None:
        return None
    group = await services.groups.get(meeting.group_id)
    return (meeting, group) if group is not None else None


async def render_reminder(
    services: Services, t: Translator, member: Member, payload: Mapping[str, Any]
) -> Rendered:
    found = await _meeting_and_group(services, payload)
    if found is None or found[1].archived or not still_current(found[0], payload):
        return None
    meeting, group = found
    if await _overtaken(services, meeting, member, payload):
        return None
    seat = await services.meetings.seat(meeting.id, member.id)
    if seat is not None and seat.status is not SeatStatus.GOING:
        return None  # declined, cancelled or still waiting
    if seat is None and not await services.groups.is_member(group.id, member.id):
        return None  # left the group since
    return views.reminder_view(t, group, meeting, seat, member.timezone, services.clock.now())


async def _overtaken(
    services: Services, meeting: Meeting, member: Member, payload: Mapping[str, Any]
) -> bool:
    """A reminder whose later one is due too (the bot was down across both, or this one was
    held up by failures): only the later one goes. Rows planned before offsets were in the
    payload are never overtaken."""
    offset = payload.get("offset")
    if offset is None:
        return False
    # still_current() checked that the meeting still starts when this reminder was planned for.
    reminder = ReminderPlan(meeting.starts_at, int(offset))
    others = await services.meetings.reminder_plans(meeting.id, member.id)
    return overtaken(reminder, others, services.clock.now())


async def render_cancelled(
    services: Services, t: Translator, member: Member, payload: Mapping[str, Any]
) -> Rendered:
    found = await _meeting_and_group(services, payload)
    if found is None or not found[0].is_cancelled:
        return None
    meeting, group = found
    return views.cancelled_view(
        t, group, meeting, member.timezone, series=bool(payload.get("series"))
    )


async def render_moved(
    services: Services, t: Translator, member: Member, payload: Mapping[str, Any]
) -> Rendered:
    found = await _meeting_and_group(services, payload)
    if found is None or not still_current(found[0], payload):
        return None  # cancelled, or moved once more (a newer notice says so)
    meeting, group = found
    return views.moved_view(t, group, meeting, parse_instant(payload["from"]), member.timezone)


async def render_promoted(
    services: Services, t: Translator, member: Member, payload: Mapping[str, Any]
) -> Rendered:
    found = await _meeting_and_group(services, payload)
    if found is None or not still_current(found[0], payload):
        return None
    meeting, group = found
    seat = await services.meetings.seat(meeting.id, member.id)
    if seat is None or not seat.confirmed or meeting.starts_at <= services.clock.now():
        return None
    return views.promoted_view(t, group, meeting, member.timezone)


async def render_trial_followup(
    services: Services, t: Translator, member: Member, payload: Mapping[str, Any]
) -> Rendered:
    group = await services.groups.get(int(payload["group_id"]))
    if (
        group is None
        or group.archived
        or await services.groups.is_member(group.id, member.id)
        or await services.groups.trial_answer(group.id, member.id) is not None
    ):
        return None
    return views.followup_view(t, group)


def meeting_renderers() -> dict[str, Any]:
    """The renderers of every meeting outbox kind, for ``bot_data["outbox_renderers"]``."""
    return {
        NoticeKind.REMINDER: render_reminder,
        NoticeKind.CANCELLED: render_cancelled,
        NoticeKind.MOVED: render_moved,
        NoticeKind.PROMOTED: render_promoted,
        NoticeKind.TRIAL_FOLLOWUP: render_trial_followup,
    }
