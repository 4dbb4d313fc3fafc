"""The daily purge: deletes what is past its retention rule (bot.domain.retention), category by
category, each in its own transaction, against the injected clock.

Only rows no one still needs can match a rule: a seat goes a year after its meeting started (an
upcoming meeting keeps its seats), an alert only once it was acknowledged or passed on, an
outbox row only once settled. Data kept "while you are a member" has no clock and goes with
``/forget``; unfinished conversations end by their own timeout.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Protocol

from bot.clock import Clock
from bot.domain.retention import RETENTION, DataCategory, RetentionRule, cutoff
from bot.storage.buddies import BuddyRepository
from bot.storage.feedback import FeedbackRepository
from bot.storage.groups import GroupRepository
from bot.storage.meetings import MeetingRepository
from bot.storage.moderation import ModerationRepository
from bot.storage.moods import MoodRepository
from bot.storage.outbox import OutboxRepository
from bot.storage.questionnaires import QuestionnaireRepository
from bot.storage.questions import QuestionRepository
from bot.storage.safety import SafetyRepository
from bot.storage.time_polls import TimePollRepository

# A category's delete: rows whose clock started at or before the cutoff go; returns how many.
Purge = Callable[[datetime], Awaitable[int]]


class Stores(Protocol):
    """The repositories that hold data with a clock (Services has them all)."""

    @property
    def groups(self) -> GroupRepository: ...
    @property
    def meetings(self) -> MeetingRepository: ...
    @property
    def time_polls(self) -> TimePollRepository: ...
    @property
    def safety(self) -> SafetyRepository: ...
    @property
    def outbox(self) -> OutboxRepository: ...
    @property
    def feedback(self) -> FeedbackRepository: ...
    @property
    def questions(self) -> QuestionRepository: ...
    @property
    def buddies(self) -> BuddyRepository: ...
    @property
    def moderation(self) -> ModerationRepository: ...
    @property
    def moods(self) -> MoodRepository: ...
    @property
    def questionnaires(self) -> QuestionnaireRepository: ...


def purges(stores: Stores) -> dict[DataCategory, Purge]:
    """What the purge deletes, per category that has or may be given a clock (DRAFTS end by
    their own timeout; MOODS and CHECKINS only when the network sets a period)."""
    groups, meetings, time_polls, safety = (
        stores.groups,
        stores.meetings,
        stores.time_polls,
        stores.safety,
    )
    outbox, feedback, questions = stores.outbox, stores.feedback, stores.questions
    buddies, moderation = stores.buddies, stores.moderation
    return {
        DataCategory.INVITATIONS: groups.delete_expired_invitations,
        DataCategory.MEETING_WATCHES: groups.delete_old_watches,
        DataCategory.SEATS: meetings.delete_old_seats,
        DataCategory.TRIAL_OUTCOMES: meetings.delete_old_trial_outcomes,
        DataCategory.TIME_POLLS: time_polls.delete_past,
        DataCategory.CRISIS_EVENTS: safety.delete_old_events,
        DataCategory.CRISIS_ALERTS: safety.delete_old_alerts,
        DataCategory.MESSAGES: outbox.delete_settled,
        DataCategory.MEETING_FEEDBACK: feedback.delete_old,
        DataCategory.QUESTIONS: questions.delete_old,
        DataCategory.BUDDIES: buddies.delete_ended_pairings,
        DataCategory.BUDDY_MESSAGES: buddies.delete_old_messages,
        DataCategory.REPORTS: moderation.delete_old_reports,
        DataCategory.RELAY_SUSPENSIONS: moderation.delete_ended_suspensions,
        DataCategory.MODERATION_LOG: moderation.delete_old_audit,
        DataCategory.MOODS: stores.moods.delete_old,
        DataCategory.CHECKINS: stores.questionnaires.delete_old,
    }


async def purge_expired(
    stores: Stores, clock: Clock, rules: tuple[RetentionRule, ...] = RETENTION
) -> dict[DataCategory, int]:
    """Deletes every row past its rule (``rules``: the network's, bot.domain.retention
    ``configured``) as of ``clock.now()``; returns the counts by category (only categories
    where something went)."""
    now = clock.now()
    deletes = purges(stores)
    deleted: dict[DataCategory, int] = {}
    for rule in rules:
        before = cutoff(rule, now)
        delete = deletes.get(rule.category)
        if before is None or delete is None:
            continue
        count = await delete(before)
        if count:
            deleted[rule.category] = count
    return deleted
