"""Outbox renderers for meeting feedback: the question to those who came, and a batch of
answers to a facilitator.

Both render from the current rows when sent and return None (skipped) when the message no
longer applies: the meeting was cancelled or deleted, the person answered already, the
recipient no longer facilitates the group, or /forget left fewer than three answers in a batch
(a batch never goes out smaller).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from telegram import InlineKeyboardMarkup

from bot.domain.feedback import MIN_BATCH, FeedbackKind, shuffled
from bot.domain.member import Member
from bot.i18n import Translator
from bot.services.container import Services
from bot.ui import feedback as views

Rendered = tuple[str, InlineKeyboardMarkup | None] | None


async def render_question(
    services: Services, t: Translator, member: Member, payload: Mapping[str, Any]
) -> Rendered:
    meeting = await services.meetings.get(int(payload["meeting_id"]))
    if meeting is None or meeting.is_cancelled:
        return None
    group = await services.groups.get(meeting.group_id)
    if group is None or group.archived:
        return None
    if await services.feedback.has_answered(meeting.id, member.id):
        return None
    return views.question_view(t, group, meeting, member.timezone)


async def render_batch(
    services: Services, t: Translator, member: Member, payload: Mapping[str, Any]
) -> Rendered:
    meeting = await services.meetings.get(int(payload["meeting_id"]))
    if meeting is None:
        return None
    group = await services.groups.get(meeting.group_id)
    if group is None or member.id not in await services.roles.facilitator_ids(group.id):
        return None
    answers = await services.feedback.batch(meeting.id, str(payload["batch"]))
    if len(answers) < MIN_BATCH:
        return None
    mixed = shuffled(answers, services.rng)
    return views.batch_text(t, group, meeting, member.timezone, mixed), None


def feedback_renderers() -> dict[str, Any]:
    """The renderers of the feedback outbox kinds, for ``bot_data["outbox_renderers"]``."""
    return {FeedbackKind.QUESTION: render_question, FeedbackKind.BATCH: render_batch}
