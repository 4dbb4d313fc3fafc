"""The weekly check-in planner's use case: every prompted member's coming prompt, and the one
nudge to those who left a prompt unanswered for 48 hours.

Each pass only enqueues outbox rows under week-named dedupe keys (bot.domain.checkin_notices),
in short transactions of :data:`BATCH` people, each reading who still needs what inside the
transaction that plans it (so a schedule changed meanwhile is never planned at its old time).
A member's next prompt is planned as soon as the previous one is settled, up to a week ahead:
a bot that is down at prompt time finds the row waiting and sends it late, within the grace
window, instead of skipping the week.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.domain.checkin_cadence import NUDGE_AFTER, NUDGE_GRACE
from bot.domain.checkin_notices import coming_prompt, nudge, week_of_key
from bot.storage.checkins import CheckinRepository
from bot.storage.outbox import OutboxRepository

# People one transaction plans for (one row each): a few milliseconds, so replies never wait
# long for the planner, even when 10,000 people's prompts are planned in the same pass.
BATCH = 200


@dataclass(frozen=True, slots=True)
class CheckinPlanReport:
    prompts: int
    nudges: int


async def plan_checkins(
    checkins: CheckinRepository, outbox: OutboxRepository, clock: Clock
) -> CheckinPlanReport:
    """One pass: missing coming prompts, then nudges that are due."""
    return CheckinPlanReport(
        await _plan_prompts(checkins, outbox, clock),
        await _plan_nudges(checkins, outbox, clock),
    )


async def _plan_prompts(checkins: CheckinRepository, outbox: OutboxRepository, clock: Clock) -> int:
    now, added, after = clock.now(), 0, 0
    while True:
        async with checkins.transaction() as tx:
            found = await checkins.without_coming_prompt(after=after, limit=BATCH, tx=tx)
            planned = [
                prompt
                for c in found
                if (prompt := coming_prompt(c.member_id, c.schedule, c.timezone, now, c.last_week))
            ]
            added += await outbox.enqueue(planned, now=now, tx=tx)
        if len(found) < BATCH:
            return added
        after = found[-1].member_id


async def _plan_nudges(checkins: CheckinRepository, outbox: OutboxRepository, clock: Clock) -> int:
    """Nudges for prompts sent 48 hours ago (up to :data:`NUDGE_GRACE` more, after a stop)
    that are still unanswered; the renderer checks again when it sends, so an answer in
    between cancels the nudge."""
    now, added, after = clock.now(), 0, 0
    while True:
        async with checkins.transaction() as tx:
            found = await checkins.unanswered_prompts(
                sent_from=now - NUDGE_AFTER - NUDGE_GRACE,
                sent_until=now - NUDGE_AFTER,
                now=now,
                after_id=after,
                limit=BATCH,
                tx=tx,
            )
            planned = [
                nudge(p.member_id, week_of_key(p.dedupe_key), p.prompt_at, p.sent_at) for p in found
            ]
            added += await outbox.enqueue(planned, now=now, tx=tx)
        if len(found) < BATCH:
            return added
        after = found[-1].outbox_id
