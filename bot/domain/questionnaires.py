"""The weekly questionnaire: why a sitting was asked, where a sitting stands, and the rules
that score it (the instruments themselves are bot.domain.instruments).

A sitting is one ``questionnaires`` row: the answers given so far (an item key -> its value, or
None where the item was skipped), saved as they are given, so a sitting left halfway resumes
at its first unanswered item. A WHO-5 sitting is done when its five items and the three
quality-of-life items are answered or skipped; its score (0-100, the meaning /mood and
/progress read) is None when fewer than four WHO-5 items were answered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from bot.domain.instruments import PHQ9, WHO5, Band, Item, Phq9, Who5
from bot.domain.messages import PlannedMessage

# A sitting left open longer than this is not resumed: its answers are about "the last two
# weeks" of another week. A new sitting starts instead (the old one stays incomplete).
RESUME_WITHIN = timedelta(days=7)


class Purpose(StrEnum):
    """Why a questionnaire was asked (``questionnaires.purpose``)."""

    BASELINE = "baseline"  # the first one: offered after sign-up and on joining a group
    WEEKLY = "weekly"  # the weekly prompt
    WEEK4 = "week4"  # the 4th week after joining a group
    WEEK12 = "week12"  # the 12th week after joining a group
    SELF = "self"  # started by the person (/checkin)


Answers = Mapping[str, int | None]


@dataclass(frozen=True, slots=True)
class Sitting:
    id: int
    member_id: int
    instrument: str  # WHO5 or PHQ9
    purpose: Purpose
    answers: Answers
    score: int | None
    started_at: datetime
    completed_at: datetime | None

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


def next_item(items: tuple[Item, ...], answers: Answers) -> Item | None:
    """The first item not answered (nor skipped) yet; None when every item is."""
    return next((item for item in items if item.key not in answers), None)


def skipped(who5: Who5, answers: Answers) -> int:
    """How many WHO-5 items the sitting skipped (quality-of-life skips do not count)."""
    return sum(1 for item in who5.scale.items if item.key in answers and answers[item.key] is None)


def may_skip(who5: Who5, answers: Answers, item: Item) -> bool:
    """A quality-of-life item may always be skipped; a WHO-5 item while the sitting has skipped
    fewer than ``max_skipped`` of them (one)."""
    if who5.scale.item(item.key) is None:
        return True
    return skipped(who5, answers) < who5.max_skipped


def who5_score(who5: Who5, answers: Answers) -> int | None:
    """The 0-100 score: the raw sum x 4 with five answers; with one item skipped, the mean of
    the four answered x 5 x 4, rounded half up; None from fewer than four answered items."""
    values = [v for item in who5.scale.items if (v := answers.get(item.key)) is not None]
    if len(values) < len(who5.scale.items) - who5.max_skipped:
        return None
    prorated = Decimal(sum(values)) / len(values) * len(who5.scale.items) * who5.multiplier
    return int(prorated.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def phq9_total(phq9: Phq9, answers: Answers) -> int | None:
    """The 0-27 total; None unless all nine items are answered (none may be skipped)."""
    values = [answers.get(item.key) for item in phq9.items]
    if any(value is None for value in values):
        return None
    return sum(value for value in values if value is not None)


def phq9_band(phq9: Phq9, total: int) -> Band:
    return next(band for band in phq9.bands if band.low <= total <= band.high)


def needs_crisis_reply(phq9: Phq9, item_key: str, value: int | None) -> bool:
    """Item 9 (thoughts of being better off dead or of self-harm) answered above "not at all":
    the crisis reply at once, whatever the total."""
    return item_key == phq9.safety_item and value is not None and value > 0


class Level(StrEnum):
    """How a WHO-5 score reads, in plain words (never a diagnosis)."""

    LOW = "low"  # at or below who5.low (28)
    POOR = "poor"  # at or below who5.poor (50)
    FAIR = "fair"  # above


@dataclass(frozen=True, slots=True)
class Who5Result:
    """A completed WHO-5 sitting against the person's own earlier scores."""

    score: int
    level: Level
    baseline: int | None  # the first completed WHO-5 with a score; None: this is the baseline
    previous: int | None  # the one completed just before; None: there is none

    @property
    def is_baseline(self) -> bool:
        return self.baseline is None

    @property
    def since_baseline(self) -> int | None:
        return None if self.baseline is None else self.score - self.baseline

    @property
    def since_previous(self) -> int | None:
        return None if self.previous is None else self.score - self.previous


def who5_result(who5: Who5, score: int, baseline: int | None, previous: int | None) -> Who5Result:
    level = Level.LOW if score <= who5.low else Level.POOR if score <= who5.poor else Level.FAIR
    return Who5Result(score, level, baseline, previous)


def is_low(who5: Who5, result: Who5Result) -> bool:
    """Low: a score of 28 or below, or a drop of 10 points or more since the previous score or
    since the baseline. It brings the warm message, contacts and the facilitator offer."""
    drops = [change for change in (result.since_previous, result.since_baseline) if change]
    return result.score <= who5.low or any(change <= -who5.drop for change in drops)


def offers_phq9(who5: Who5, result: Who5Result) -> bool:
    """The PHQ-9 is offered (never forced) when the score itself is 28 or below."""
    return result.score <= who5.low


def instrument_items(who5: Who5, phq9: Phq9, instrument: str) -> tuple[Item, ...]:
    if instrument == WHO5:
        return who5.items
    if instrument == PHQ9:
        return phq9.items
    raise ValueError(f"unknown instrument {instrument!r}")


# The outbox kind of "may want a check-in call" to a facilitator: it carries the sitting only,
# and its text names the person's alias and nothing of the answers, score or band.
CALL_REQUEST_KIND = "checkin_call"
# A request nobody could deliver within two days is stale: the person can ask again next time.
CALL_REQUEST_VALID = timedelta(days=2)


def call_request(sitting: Sitting, facilitator_id: int, now: datetime) -> PlannedMessage:
    """The consented request to one facilitator, once per sitting and facilitator."""
    return PlannedMessage(
        member_id=facilitator_id,
        kind=CALL_REQUEST_KIND,
        not_before=now,
        dedupe_key=f"{CALL_REQUEST_KIND}:{sitting.id}:{facilitator_id}",
        payload={"sitting": sitting.id},
        expires_at=now + CALL_REQUEST_VALID,
        about_member_id=sitting.member_id,
    )
