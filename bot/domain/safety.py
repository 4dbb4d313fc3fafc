"""Personal safety plans and facilitator alerts as plain data (pure, no I/O).

The six sections follow the Stanley-Brown safety planning steps; a section the person skipped
is simply absent. Answers are the person's own words and only ever shown back to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

# Nobody acknowledged a consented alert by then: every facilitator and the coordinators get it.
ESCALATE_AFTER = timedelta(minutes=30)
MAX_ANSWER_CHARS = 1000


class PlanSection(StrEnum):
    WARNING_SIGNS = "warning_signs"
    CALMING = "calming"
    DISTRACTIONS = "distractions"
    HELPERS = "helpers"
    PROFESSIONALS = "professionals"
    ENVIRONMENT = "environment"


SECTIONS: tuple[PlanSection, ...] = tuple(PlanSection)


class CrisisSource(StrEnum):
    """How the crisis reply was reached (recorded; the words that triggered it never are)."""

    COMMAND = "command"
    DETECTED = "detected"
    BUTTON = "button"


@dataclass(frozen=True, slots=True)
class SafetyPlan:
    answers: dict[PlanSection, str]

    @property
    def is_empty(self) -> bool:
        return not self.answers

    def ordered(self) -> list[tuple[PlanSection, str]]:
        """Answered sections in the plan's order."""
        return [(s, self.answers[s]) for s in SECTIONS if s in self.answers]


class AnswerProblem(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too_long"


def clean_answer(text: str | None) -> tuple[str | None, AnswerProblem | None]:
    """The answer to store (trimmed), or why it cannot be stored."""
    answer = (text or "").strip()
    if not answer:
        return None, AnswerProblem.EMPTY
    if len(answer) > MAX_ANSWER_CHARS:
        return None, AnswerProblem.TOO_LONG
    return answer, None


@dataclass(frozen=True, slots=True)
class CrisisAlert:
    """A consented alert about one member, for their group's facilitators."""

    id: int
    member_id: int
    alias: str  # of the person the alert is about (what facilitators may see)
    group_id: int | None
    created_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by_alias: str | None
    escalated_at: datetime | None

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None
