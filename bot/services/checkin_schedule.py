"""A member changes their weekly check-in in /settings: day, time, a pause, off and on again.

Each change is one transaction: the new schedule, and the member's pending prompt cancelled,
so the planner's next pass plans it again from the new schedule. It is planned under the same
week's key when the new time is still ahead this week (reviving the cancelled row with the new
time), or next week's when it has passed, so a change can move this week's prompt but never
add a second one (bot.domain.checkin_cadence.next_prompt). A prompt already being sent is
Telegram's; the planner then goes on from the week after it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.clock import Clock
from bot.domain.checkin_cadence import PAUSE_WEEKS, CheckinSchedule, paused_until
from bot.domain.checkin_notices import CheckinKind, member_prompts_prefix
from bot.domain.corrections import Correction, judge_correction
from bot.storage.checkins import CheckinRepository
from bot.storage.database import Tx
from bot.storage.outbox import OutboxRepository

Change = Callable[[CheckinSchedule], CheckinSchedule]


@dataclass(frozen=True, slots=True)
class _Field:
    """The day or the time of a schedule: how to read it and how to set it."""

    read: Callable[[CheckinSchedule], int]
    write: Callable[[CheckinSchedule, int], CheckinSchedule]


async def change_day(
    checkins: CheckinRepository,
    outbox: OutboxRepository,
    member_id: int,
    weekday: int,
    *,
    shown: int,
) -> Correction:
    """A new day, chosen on a screen that showed ``shown`` as the stored day."""
    return await _correct(
        checkins,
        outbox,
        member_id,
        _Field(lambda s: s.weekday, lambda s, day: replace(s, weekday=day)),
        weekday,
        shown,
    )


async def change_time(
    checkins: CheckinRepository,
    outbox: OutboxRepository,
    member_id: int,
    minute_of_day: int,
    *,
    shown: int | None,
) -> Correction:
    """A new time; ``shown`` None for a typed time, which applies to whatever is stored."""
    return await _correct(
        checkins,
        outbox,
        member_id,
        _Field(lambda s: s.minute_of_day, lambda s, minute: replace(s, minute_of_day=minute)),
        minute_of_day,
        shown,
    )


async def pause(
    checkins: CheckinRepository, outbox: OutboxRepository, clock: Clock, member_id: int, weeks: int
) -> bool:
    """No prompt (nor nudge) for ``weeks`` weeks; False if already paused or stopped (a double
    tap) or ``weeks`` is not one of the offered pauses (forged)."""
    now = clock.now()
    if weeks not in PAUSE_WEEKS:
        return False

    def change(s: CheckinSchedule) -> CheckinSchedule:
        if s.paused_at(now) or s.stopped_at is not None:
            return s
        return replace(s, paused_until=paused_until(now, weeks))

    return await _update(checkins, outbox, member_id, change, with_nudge=True)


async def stop(
    checkins: CheckinRepository, outbox: OutboxRepository, clock: Clock, member_id: int
) -> bool:
    """No more prompts until turned back on; False if already off."""
    now = clock.now()

    def change(s: CheckinSchedule) -> CheckinSchedule:
        return s if s.stopped_at is not None else replace(s, stopped_at=now, paused_until=None)

    return await _update(checkins, outbox, member_id, change, with_nudge=True)


async def resume(
    checkins: CheckinRepository, outbox: OutboxRepository, clock: Clock, member_id: int
) -> bool:
    """Prompts again from the next one on (ends a pause or a stop); False if neither."""
    now = clock.now()

    def change(s: CheckinSchedule) -> CheckinSchedule:
        if s.stopped_at is None and not s.paused_at(now):
            return s
        return replace(s, stopped_at=None, paused_until=None)

    return await _update(checkins, outbox, member_id, change, with_nudge=False)


async def _correct(
    checkins: CheckinRepository,
    outbox: OutboxRepository,
    member_id: int,
    field: _Field,
    chosen: int,
    shown: int | None,
) -> Correction:
    async with checkins.transaction() as tx:
        schedule = await checkins.schedule(member_id, tx=tx)
        stored = field.read(schedule)
        verdict = judge_correction(stored, chosen, stored if shown is None else shown)
        if verdict is Correction.SAVE:
            await _save(checkins, outbox, member_id, field.write(schedule, chosen), tx)
    return verdict


async def _update(
    checkins: CheckinRepository,
    outbox: OutboxRepository,
    member_id: int,
    change: Change,
    *,
    with_nudge: bool,
) -> bool:
    """Applies ``change``; ``with_nudge``: a pending nudge goes too (a pause or a stop means
    "not now", a nudge included). False if nothing changed."""
    async with checkins.transaction() as tx:
        schedule = await checkins.schedule(member_id, tx=tx)
        changed = change(schedule)
        if changed == schedule:
            return False
        await _save(checkins, outbox, member_id, changed, tx)
        if with_nudge:
            await outbox.cancel_pending(member_id=member_id, kinds=[CheckinKind.NUDGE], tx=tx)
    return True


async def _save(
    checkins: CheckinRepository,
    outbox: OutboxRepository,
    member_id: int,
    schedule: CheckinSchedule,
    tx: Tx,
) -> None:
    await checkins.save_schedule(member_id, schedule, tx=tx)
    await outbox.cancel_pending(dedupe_prefix=member_prompts_prefix(member_id), tx=tx)
