"""Anonymous questions to a group's facilitators (/ask), as plain data (pure, no I/O).

Facilitators never learn who asked: they see the group and a ticket number only. Tickets are
drawn at random (not counted up), so a number tells nothing about who asked or when, and they
are unique among open questions only, which keeps them four digits short. The asker, in turn,
hears from "a facilitator of <group>", never an alias: anonymous both ways.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from bot.domain.messages import PlannedMessage
from bot.domain.safety import AnswerProblem
from bot.domain.text import split_to_fit, utf16_len

# A question, and an answer, in Telegram's characters (UTF-16 units: an emoji counts two), so
# the question, the answer and their framing always fit Telegram's 4096.
MAX_QUESTION_CHARS = 2000
MAX_OPEN_QUESTIONS = 5  # unanswered questions per person: against flooding the facilitators
TICKETS = range(1000, 10_000)
# Outbox kinds (bot.notifications.questions): the question to each facilitator of the group,
# and the answer to the asker. Payloads carry the question's id only: its words live in the
# questions table, which retention and /forget clear.
QUESTION_KIND = "anon_question"
ANSWER_KIND = "anon_answer"
# The answer message repeats the question above the answer: a long question is shortened there
# so both fit one Telegram message (4096 characters); the whole one is in /mydata.
QUOTE_CHARS = 1500


@dataclass(frozen=True, slots=True)
class Question:
    id: int
    group_id: int
    group_name: str
    asker_id: int  # needed to deliver the answer and for /mydata and /forget; never shown
    ticket: int
    text: str
    asked_at: datetime
    answer: str | None = None
    answered_at: datetime | None = None

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class AskOutcome(enum.StrEnum):
    SENT = "sent"
    TOO_MANY = "too_many"  # MAX_OPEN_QUESTIONS still open
    NOT_ALLOWED = "not_allowed"  # no longer in the group (nor holding a trial seat there)
    NO_FACILITATOR = "no_facilitator"  # nobody could read it


class AnswerOutcome(enum.StrEnum):
    SENT = "sent"
    ALREADY = "already"  # another facilitator (or a double tap) answered first
    GONE = "gone"  # the asker used /forget, or retention removed it
    NOT_ALLOWED = "not_allowed"  # not (or no longer) a facilitator of the group


@dataclass(frozen=True, slots=True)
class Asked:
    outcome: AskOutcome
    question: Question | None = None
    open_count: int = 0  # for TOO_MANY: how many are open


def new_ticket(rng: random.Random, taken: Collection[int]) -> int:
    """A random ticket no open question holds. A few draws almost always find one; the full
    list of free numbers is the fallback, so this never loops for long."""
    for _ in range(20):
        ticket = rng.choice(TICKETS)
        if ticket not in taken:
            return ticket
    free = [ticket for ticket in TICKETS if ticket not in taken]
    if not free:
        raise RuntimeError("every ticket number is held by an open question")
    return rng.choice(free)


def clean_text(text: str | None) -> tuple[str | None, AnswerProblem | None, int]:
    """A question or an answer to relay, trimmed; or why not, with its length."""
    cleaned = (text or "").strip()
    length = utf16_len(cleaned)
    if not cleaned:
        return None, AnswerProblem.EMPTY, 0
    if length > MAX_QUESTION_CHARS:
        return None, AnswerProblem.TOO_LONG, length
    return cleaned, None, length


def quoted(text: str) -> str:
    """The question as the answer message repeats it: whole, or its start and an ellipsis."""
    if utf16_len(text) <= QUOTE_CHARS:
        return text
    return split_to_fit(text, QUOTE_CHARS - 1)[0].rstrip() + "…"


def question_prefix(question_id: int) -> str:
    """The start of the dedupe keys of a question's copies to the facilitators."""
    return f"question:{question_id}:"


def question_key(question_id: int, facilitator_id: int) -> str:
    return f"{question_prefix(question_id)}{facilitator_id}"


def question_notices(
    question: Question, facilitator_ids: Collection[int], now: datetime
) -> list[PlannedMessage]:
    """The question to each facilitator; about the asker, so their /forget deletes it."""
    return [
        PlannedMessage(
            member_id=facilitator,
            kind=QUESTION_KIND,
            not_before=now,
            dedupe_key=question_key(question.id, facilitator),
            payload={"question_id": question.id},
            about_member_id=question.asker_id,
        )
        for facilitator in facilitator_ids
        if facilitator != question.asker_id  # a facilitator asking their own group's others
    ]


def answer_notice(question: Question, now: datetime) -> PlannedMessage:
    """The answer to the asker (one per question: the key says so)."""
    return PlannedMessage(
        member_id=question.asker_id,
        kind=ANSWER_KIND,
        not_before=now,
        dedupe_key=f"answer:{question.id}",
        payload={"question_id": question.id},
    )
