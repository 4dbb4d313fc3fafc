"""Feedback after meetings: asking everyone who came, taking their answers, and passing ready
answers to the group's facilitators in anonymous batches (the rules: bot.domain.feedback).

Planning is idempotent (the question's dedupe key, ``delivered_at``), so it runs in short
transactions, one meeting or one batch of people at a time, like the meetings planner.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.domain.feedback import (
    COMMENT_WINDOW,
    MIN_BATCH,
    PLAN_WINDOW,
    CommentOutcome,
    RateOutcome,
    batch_messages,
    feedback_question,
    next_batch,
)
from bot.domain.member import Member
from bot.services.planner import BATCH
from bot.storage.feedback import FeedbackRepository
from bot.storage.meetings import MeetingRepository
from bot.storage.outbox import OutboxRepository
from bot.storage.roles import RoleRepository


@dataclass(frozen=True, slots=True)
class FeedbackReport:
    """What one planner pass added."""

    questions: int = 0
    batches: int = 0


async def plan_feedback(
    feedback: FeedbackRepository,
    meetings: MeetingRepository,
    roles: RoleRepository,
    outbox: OutboxRepository,
    clock: Clock,
) -> FeedbackReport:
    """One planner pass: questions now due, then the batches now ready."""
    now = clock.now()
    questions = 0
    for meeting_id in await feedback.due_meetings(now, now - PLAN_WINDOW):
        questions += await _ask(feedback, meetings, outbox, meeting_id, clock)
    batches = 0
    for meeting_id in await feedback.meetings_with_ready(MIN_BATCH, now - COMMENT_WINDOW):
        batches += await _deliver(feedback, meetings, roles, outbox, meeting_id, clock)
    return FeedbackReport(questions, batches)


async def _ask(
    feedback: FeedbackRepository,
    meetings: MeetingRepository,
    outbox: OutboxRepository,
    meeting_id: int,
    clock: Clock,
) -> int:
    """The question for everyone who came and has none yet, :data:`BATCH` people per
    transaction; returns how many rows were added."""
    added, after, now = 0, 0, clock.now()
    while True:
        async with feedback.transaction() as tx:
            meeting = await meetings.get(meeting_id, tx=tx)
            if meeting is None or meeting.is_cancelled:
                return added
            people = await feedback.to_ask(meeting_id, after=after, limit=BATCH, tx=tx)
            planned = [feedback_question(meeting_id, person, meeting.ends_at) for person in people]
            added += await outbox.enqueue(planned, now=now, tx=tx)
        if len(people) < BATCH:
            return added
        after = people[-1]


async def _deliver(
    feedback: FeedbackRepository,
    meetings: MeetingRepository,
    roles: RoleRepository,
    outbox: OutboxRepository,
    meeting_id: int,
    clock: Clock,
) -> int:
    """The next batch of the meeting's ready answers to its group's facilitators, if there is
    one and someone to receive it (otherwise the answers wait); returns 1 if it went."""
    now = clock.now()
    async with feedback.transaction() as tx:
        meeting = await meetings.get(meeting_id, tx=tx)
        if meeting is None:
            return 0
        facilitators = await roles.facilitator_ids(meeting.group_id, tx=tx)
        ids = next_batch(await feedback.ready(meeting_id, now - COMMENT_WINDOW, tx=tx))
        if not ids or not facilitators:
            return 0
        await feedback.mark_delivered(ids, now, tx=tx)
        await outbox.enqueue(batch_messages(meeting_id, facilitators, now), now=now, tx=tx)
    return 1


async def rate(
    feedback: FeedbackRepository,
    meetings: MeetingRepository,
    clock: Clock,
    member: Member,
    meeting_id: int,
    rating: int,
) -> RateOutcome:
    """A press on one of the 1-5 buttons: stored once; a second press changes nothing."""
    async with feedback.transaction() as tx:
        if await meetings.get(meeting_id, tx=tx) is None:
            return RateOutcome.GONE
        if await feedback.has_answered(meeting_id, member.id, tx=tx):
            return RateOutcome.ALREADY
        if not await feedback.was_asked(meeting_id, member.id, tx=tx):
            return RateOutcome.NOT_ASKED  # a forged button: only those asked may answer
        await feedback.rate(meeting_id, member.id, rating, clock.now(), tx=tx)
    return RateOutcome.SAVED


async def finish(
    feedback: FeedbackRepository,
    clock: Clock,
    member: Member,
    meeting_id: int,
    comment: str | None,
) -> CommentOutcome:
    """The comment (None: skipped) completes the answer, unless it was passed on already."""
    saved = await feedback.complete(meeting_id, member.id, clock.now(), comment)
    return CommentOutcome.SAVED if saved else CommentOutcome.CLOSED
