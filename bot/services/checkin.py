"""The weekly questionnaire's use cases: beginning (or resuming) a sitting, answering one item,
the PHQ-9 when it was offered, and a consented request for a check-in call.

Every step re-reads the sitting inside its own transaction and acts only if the pressed button
is still the sitting's current step (its owner, still open, the item it asks next), so an old
message or the second of a double tap changes nothing (:attr:`Outcome.STALE`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from bot.clock import Clock
from bot.domain.instruments import PHQ9, WHO5, Band, Phq9, Who5
from bot.domain.questionnaires import (
    RESUME_WITHIN,
    Purpose,
    Sitting,
    Who5Result,
    call_request,
    instrument_items,
    may_skip,
    needs_crisis_reply,
    next_item,
    phq9_band,
    phq9_total,
    who5_result,
    who5_score,
)
from bot.storage.database import Tx
from bot.storage.outbox import OutboxRepository
from bot.storage.questionnaires import QuestionnaireRepository


@dataclass(frozen=True, slots=True)
class Instruments:
    who5: Who5
    phq9: Phq9


@dataclass(frozen=True, slots=True)
class Began:
    sitting: Sitting
    resumed: bool  # a sitting left halfway goes on


async def begin(
    repo: QuestionnaireRepository, clock: Clock, member_id: int, purpose: Purpose
) -> Began:
    """Resumes the member's open WHO-5 sitting, else their open PHQ-9, else starts a WHO-5
    sitting for ``purpose``; sittings older than a week are not resumed."""
    now = clock.now()
    async with repo.transaction() as tx:
        for instrument in (WHO5, PHQ9):
            found = await repo.open_sitting(member_id, instrument, now - RESUME_WITHIN, tx=tx)
            if found is not None:
                return Began(found, resumed=bool(found.answers))
        return Began(await repo.start(member_id, WHO5, purpose, now, tx=tx), resumed=False)


async def current(repo: QuestionnaireRepository, member_id: int, sitting_id: int) -> Sitting | None:
    """The member's sitting if it is still open (what a step shows)."""
    sitting = await repo.sitting(sitting_id)
    if sitting is None or sitting.member_id != member_id or sitting.is_complete:
        return None
    return sitting


class Outcome(enum.Enum):
    STALE = "stale"  # the step has passed (or the button was never theirs): nothing changed
    NEXT = "next"  # saved; the sitting asks its next item
    DONE = "done"  # saved, and the sitting is complete
    CRISIS = "crisis"  # PHQ-9 item 9 above "not at all": saved, stopped, the crisis reply


@dataclass(frozen=True, slots=True)
class Answered:
    outcome: Outcome
    sitting: Sitting | None = None
    result: Who5Result | None = None  # a completed WHO-5 with a score
    band: Band | None = None  # a completed PHQ-9


async def answer(
    repo: QuestionnaireRepository,
    clock: Clock,
    instruments: Instruments,
    member_id: int,
    sitting_id: int,
    item_key: str,
    value: int | None,
) -> Answered:
    """Saves ``value`` (None: skipped) for ``item_key`` if that is what the sitting asks now."""
    now = clock.now()
    who5, phq9 = instruments.who5, instruments.phq9
    async with repo.transaction() as tx:
        sitting = await repo.sitting(sitting_id, tx=tx)
        if sitting is None or sitting.member_id != member_id or sitting.is_complete:
            return Answered(Outcome.STALE)
        items = instrument_items(who5, phq9, sitting.instrument)
        item = next_item(items, sitting.answers)
        if item is None or item.key != item_key or not _allowed(instruments, sitting, value):
            return Answered(Outcome.STALE)
        answers = {**sitting.answers, item_key: value}
        await repo.save_answers(sitting.id, answers, tx=tx)
        if sitting.instrument == PHQ9 and needs_crisis_reply(phq9, item_key, value):
            # Answers kept; no total, so no band can be read as reassurance.
            await repo.complete(sitting.id, None, now, tx=tx)
            return Answered(Outcome.CRISIS)
        if next_item(items, answers) is not None:
            return Answered(Outcome.NEXT, await repo.sitting(sitting.id, tx=tx))
        if sitting.instrument == PHQ9:
            total = phq9_total(phq9, answers)
            await repo.complete(sitting.id, total, now, tx=tx)
            band = None if total is None else phq9_band(phq9, total)
            return Answered(Outcome.DONE, band=band)
        score = who5_score(who5, answers)
        await repo.complete(sitting.id, score, now, tx=tx)
        done = await repo.sitting(sitting.id, tx=tx)
        assert done is not None
        result = None if score is None else await _result(repo, who5, done, score, tx)
        return Answered(Outcome.DONE, done, result)


def _allowed(instruments: Instruments, sitting: Sitting, value: int | None) -> bool:
    items = instrument_items(instruments.who5, instruments.phq9, sitting.instrument)
    item = next_item(items, sitting.answers)
    assert item is not None
    if sitting.instrument == PHQ9:
        return value is not None and instruments.phq9.scale.takes(value)
    if value is None:
        return may_skip(instruments.who5, sitting.answers, item)
    return instruments.who5.scale_of(item.key).takes(value)


async def _result(
    repo: QuestionnaireRepository, who5: Who5, sitting: Sitting, score: int, tx: Tx
) -> Who5Result:
    baseline = await repo.baseline_score(sitting.member_id, tx=tx)
    previous = await repo.previous_score(sitting.member_id, sitting, tx=tx)
    if baseline is None or baseline[0] == sitting.id:
        return who5_result(who5, score, None, previous)  # this sitting is the baseline
    return who5_result(who5, score, baseline[1], previous)


async def start_phq9(
    repo: QuestionnaireRepository, clock: Clock, who5: Who5, member_id: int, who5_sitting: int
) -> Began | None:
    """The PHQ-9 offered after ``who5_sitting``: started (or resumed, if it was taken and left
    open); None if there was no such offer or it was already answered."""
    async with repo.transaction() as tx:
        offer = await repo.sitting(who5_sitting, tx=tx)
        if (
            offer is None
            or offer.member_id != member_id
            or offer.instrument != WHO5
            or offer.completed_at is None
            or offer.score is None
            or offer.score > who5.low
        ):
            return None
        taken = await repo.phq9_since(member_id, offer.completed_at, tx=tx)
        if taken is not None:
            return None if taken.is_complete else Began(taken, resumed=bool(taken.answers))
        sitting = await repo.start(member_id, PHQ9, offer.purpose, clock.now(), tx=tx)
        return Began(sitting, resumed=False)


async def has_facilitator(repo: QuestionnaireRepository, member_id: int) -> bool:
    """Whether the check-in call is offered: the member is in a group with a facilitator."""
    return bool(await repo.facilitators_of(member_id))


class CallOutcome(enum.Enum):
    SENT = "sent"
    ALREADY = "already"  # this sitting's request is already on its way
    NO_FACILITATOR = "no_facilitator"
    STALE = "stale"


async def ask_for_call(
    repo: QuestionnaireRepository,
    outbox: OutboxRepository,
    clock: Clock,
    member_id: int,
    sitting_id: int,
) -> CallOutcome:
    """The person consented: each facilitator of their groups hears that they may want a
    check-in call (the alias only, never an answer or a score), once per sitting."""
    now = clock.now()
    async with repo.transaction() as tx:
        sitting = await repo.sitting(sitting_id, tx=tx)
        if sitting is None or sitting.member_id != member_id or not sitting.is_complete:
            return CallOutcome.STALE
        facilitators = await repo.facilitators_of(member_id, tx=tx)
        if not facilitators:
            return CallOutcome.NO_FACILITATOR
        messages = [call_request(sitting, facilitator, now) for facilitator in facilitators]
        planned = await outbox.enqueue(messages, now=now, tx=tx)
    return CallOutcome.SENT if planned else CallOutcome.ALREADY
