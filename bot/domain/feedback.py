"""Feedback after meetings (pure): when the question goes out, what a comment may be, and the
batching rule that keeps every answer anonymous on its way to the facilitators.

The rule, in one place:

- An hour after a meeting ends, everyone marked present (or, if attendance was not taken,
  everyone with a seat marked going) is asked "How helpful was today's meeting?" (1-5), then
  for an optional comment. The question is planned at most :data:`PLAN_WINDOW` after its time
  (a bot that was down longer does not ask about a meeting long past).
- An answer is *ready* once its comment is written or skipped, or :data:`COMMENT_WINDOW`
  after the rating (the comment step has timed out by then).
- Facilitators receive ready answers only in batches of at least :data:`MIN_BATCH`, all
  of the batch in one message, in random order and without aliases. Whenever at least three
  ready answers of a meeting are undelivered, the oldest go together, as many as fit one
  message (three always do); one or two left over wait for more answers, and are never
  delivered if none come. So no answer ever arrives alone, and
  its position in a message tells nothing about who gave it or when.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from bot.domain.messages import PlannedMessage, instant_text
from bot.domain.safety import AnswerProblem, clean_answer
from bot.domain.text import utf16_len

# The question goes this long after a meeting ends ...
FEEDBACK_DELAY = timedelta(hours=1)
# ... is planned at most this long after that (the planner was not running), and is not sent
# later than this after its time: it asks about "today's" meeting.
PLAN_WINDOW = timedelta(hours=12)
# After the rating, how long the comment step waits (the conversation's timeout too).
COMMENT_WINDOW = timedelta(hours=2)
# No answer reaches the facilitators with fewer than this many others in its message.
MIN_BATCH = 3
# Telegram counts a comment's length in UTF-16 units, as it counts the message carrying it.
MAX_COMMENT = 1000
# What one batch message may hold in comments and their lines: three longest comments always
# fit, and the header and ratings keep it under Telegram's 4096.
BATCH_BUDGET = 3400
_LINE_COST = 20  # the rating line of one answer, generously

RATINGS = (1, 2, 3, 4, 5)


class FeedbackKind(enum.StrEnum):
    """Outbox kinds rendered by bot.notifications.feedback."""

    QUESTION = "feedback_question"
    BATCH = "feedback_batch"


class RateOutcome(enum.Enum):
    SAVED = "saved"
    ALREADY = "already"  # answered before: nothing changes
    NOT_ASKED = "not_asked"  # no question was sent to this person for this meeting
    GONE = "gone"  # the meeting no longer exists


class CommentOutcome(enum.Enum):
    SAVED = "saved"
    CLOSED = "closed"  # the answer already went to the facilitators (or was never given)


@dataclass(frozen=True, slots=True)
class ReadyAnswer:
    """An answer waiting to be delivered (only what a batch needs: never who gave it)."""

    id: int
    comment: str | None


@dataclass(frozen=True, slots=True)
class DeliveredAnswer:
    rating: int
    comment: str | None


def question_key(meeting_id: int, member_id: int) -> str:
    """Once per meeting per person, ever."""
    return f"feedback:{meeting_id}:{member_id}"


def question_due(ends_at: datetime) -> datetime:
    return ends_at + FEEDBACK_DELAY


def feedback_question(meeting_id: int, member_id: int, ends_at: datetime) -> PlannedMessage:
    """ "How helpful was today's meeting?" for one person, an hour after the meeting ended."""
    due = question_due(ends_at)
    return PlannedMessage(
        member_id=member_id,
        kind=FeedbackKind.QUESTION,
        not_before=due,
        dedupe_key=question_key(meeting_id, member_id),
        payload={"meeting_id": meeting_id},
        expires_at=due + PLAN_WINDOW,
        meeting_id=meeting_id,
    )


def batch_messages(
    meeting_id: int, facilitator_ids: Sequence[int], delivered_at: datetime
) -> list[PlannedMessage]:
    """One message per facilitator carrying the batch delivered at ``delivered_at`` (the
    renderer reads the answers then; the payload holds no answer and no person)."""
    stamp = instant_text(delivered_at)
    return [
        PlannedMessage(
            member_id=facilitator,
            kind=FeedbackKind.BATCH,
            not_before=delivered_at,
            dedupe_key=f"{FeedbackKind.BATCH}:{meeting_id}:{stamp}:{facilitator}",
            payload={"meeting_id": meeting_id, "batch": stamp},
            meeting_id=meeting_id,
        )
        for facilitator in facilitator_ids
    ]


def clean_comment(text: str | None) -> tuple[str | None, AnswerProblem | None]:
    """The comment to store, trimmed, or why it cannot be (empty, or over 1,000 as Telegram
    counts)."""
    comment, problem = clean_answer(text, MAX_COMMENT)
    if comment is not None and utf16_len(comment) > MAX_COMMENT:
        return None, AnswerProblem.TOO_LONG
    return comment, problem


def _cost(answer: ReadyAnswer) -> int:
    return _LINE_COST + utf16_len(answer.comment or "")


def next_batch(ready: Sequence[ReadyAnswer]) -> list[int]:
    """The ids of the next batch from ``ready`` (oldest first): as many as fit one message,
    at least :data:`MIN_BATCH`; empty when fewer than that are ready."""
    if len(ready) < MIN_BATCH:
        return []
    taken: list[int] = []
    used = 0
    for answer in ready:
        cost = _cost(answer)
        if used + cost > BATCH_BUDGET and len(taken) >= MIN_BATCH:
            break
        taken.append(answer.id)
        used += cost
    return taken


T = TypeVar("T")


def shuffled(answers: Sequence[T], rng: random.Random) -> list[T]:
    """The answers in random order: their order in the message says nothing about who
    answered first."""
    mixed = list(answers)
    rng.shuffle(mixed)
    return mixed
