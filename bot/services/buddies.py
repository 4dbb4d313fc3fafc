"""Peer buddies' use cases: asking for a buddy, the weekly pairing round and peer check-in (steps
of the planner), relaying a message, continuing and ending a pairing.

Everything a buddy is told on the bot's own initiative goes through the outbox, planned in the
transaction of the change that causes it. Texts reach :func:`relay` already cleaned, screened
for crisis language and checked for contact details by the conversation
(bot/conversations/buddy_message.py): a text with crisis words is never relayed nor stored.

For moderation (bot.services.moderation, issue 12), two stable entry points:
:func:`end_pairing` (reason ``EndReason.MODERATOR`` tells both sides, without reasons) and
:func:`may_relay`, the one place that decides whether a person may send buddy messages now.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock
from bot.domain.buddies import (
    BuddyGroup,
    EndReason,
    Pairing,
    RelayOutcome,
    continued,
    continued_notice,
    ended_notices,
    first_end,
    message_notice,
    pair_up,
    paired_notices,
    prompt_notices,
    prompt_week,
    round_start,
)
from bot.domain.member import Member
from bot.services.moderation import relay_suspended
from bot.storage.buddies import BuddyRepository
from bot.storage.database import Tx
from bot.storage.moderation import ModerationRepository
from bot.storage.outbox import OutboxRepository

# Pairings one transaction of the planner handles (a few rows each).
BATCH = 200


@dataclass(frozen=True, slots=True)
class BuddyPlanReport:
    paired: int  # new pairings
    ended: int  # pairings whose four weeks were up
    prompts: int  # peer check-in prompts planned


# --- asking for a buddy -----------------------------------------------------------------------


async def buddy_groups(buddies: BuddyRepository, member: Member) -> list[BuddyGroup]:
    """The person's groups with their buddy state in each (/buddy)."""
    return await buddies.groups_of(member.id)


async def buddy_group(buddies: BuddyRepository, member: Member, group_id: int) -> BuddyGroup | None:
    """One of the person's groups, None if they are not (or no longer) in it."""
    return next((g for g in await buddies.groups_of(member.id) if g.group_id == group_id), None)


async def opt_in(buddies: BuddyRepository, clock: Clock, member: Member, group_id: int) -> bool:
    """Asks for a buddy in the group; False if already asked, or not a member there."""
    async with buddies.transaction() as tx:
        return await buddies.opt_in(group_id, member.id, clock.now(), tx=tx)


async def opt_out(buddies: BuddyRepository, member: Member, group_id: int) -> bool:
    """Stops asking for a buddy in the group (a pairing under way goes on until it ends)."""
    return await buddies.opt_out(group_id, member.id)


# --- the planner's step -----------------------------------------------------------------------


async def plan_buddies(
    buddies: BuddyRepository, outbox: OutboxRepository, clock: Clock, rng: random.Random
) -> BuddyPlanReport:
    """One pass: pairings whose time is up end (first, so their people can be paired again in
    the same round), each group's round pairs who waits, and the week's peer check-in prompts
    are planned. Idempotent: a round pairs only people without a pairing since it started,
    and every message has its dedupe key."""
    ended = await _end_expired(buddies, outbox, clock)
    paired = await _pair_rounds(buddies, outbox, clock, rng)
    prompts = await _plan_prompts(buddies, outbox, clock)
    return BuddyPlanReport(paired, ended, prompts)


async def _end_expired(buddies: BuddyRepository, outbox: OutboxRepository, clock: Clock) -> int:
    now, ended = clock.now(), 0
    while True:
        async with buddies.transaction() as tx:
            found = await buddies.over(now, limit=BATCH, tx=tx)
            for pairing in found:
                # Ended at its end, not at this pass: the round at that moment may pair them.
                await _end(buddies, outbox, pairing, EndReason.EXPIRED, pairing.ends_at, tx=tx)
            ended += len(found)
        if len(found) < BATCH:
            return ended


async def _pair_rounds(
    buddies: BuddyRepository, outbox: OutboxRepository, clock: Clock, rng: random.Random
) -> int:
    """One transaction per group (a dozen people): its round's candidates, paired."""
    now, paired = clock.now(), 0
    for group_id, timezone in await buddies.groups_waiting():
        started = round_start(now, timezone)
        async with buddies.transaction() as tx:
            candidates = await buddies.round_candidates(group_id, started, tx=tx)
            if len(candidates) < 2:
                continue
            past, never = await buddies.history(group_id, started, tx=tx)
            for a, b in pair_up(candidates, past, never, rng):
                pairing = await buddies.insert_pairing(
                    group_id, a, b, started, first_end(started), tx=tx
                )
                await outbox.enqueue(paired_notices(pairing, now), now=now, tx=tx)
                paired += 1
    return paired


async def _plan_prompts(buddies: BuddyRepository, outbox: OutboxRepository, clock: Clock) -> int:
    now, added, after = clock.now(), 0, 0
    while True:
        async with buddies.transaction() as tx:
            found = await buddies.active(after_id=after, limit=BATCH, tx=tx)
            planned = [
                prompt
                for pairing in found
                if (week := prompt_week(pairing, now)) is not None
                for prompt in prompt_notices(pairing, week)
            ]
            added += await outbox.enqueue(planned, now=now, tx=tx)
        if len(found) < BATCH:
            return added
        after = found[-1].id


# --- relaying ---------------------------------------------------------------------------------


async def relay_target(
    buddies: BuddyRepository, member: Member, pairing_id: int, *, tx: Tx | None = None
) -> tuple[Pairing, str] | None:
    """The active pairing and the buddy's alias, if ``member`` may write in it now."""
    pairing = await buddies.get(pairing_id, tx=tx)
    if pairing is None or not pairing.active or not pairing.includes(member.id):
        return None
    alias = await buddies.alias(pairing.other(member.id), tx=tx)
    return (pairing, alias) if alias is not None else None


async def relay(
    buddies: BuddyRepository,
    moderation: ModerationRepository,
    outbox: OutboxRepository,
    clock: Clock,
    member: Member,
    pairing_id: int,
    text: str,
) -> RelayOutcome:
    """Stores the message and plans it for the buddy, re-checking in the same transaction that
    the pairing runs and that facilitators have not paused the sender's relay in its group."""
    now = clock.now()
    async with buddies.transaction() as tx:
        target = await relay_target(buddies, member, pairing_id, tx=tx)
        if target is None:
            return RelayOutcome.ENDED
        pairing, _ = target
        if await relay_suspended(moderation, member.id, pairing.group_id, now, tx=tx):
            return RelayOutcome.SUSPENDED
        message_id = await buddies.insert_message(pairing.id, member.id, text, now, tx=tx)
        await outbox.enqueue([message_notice(pairing, message_id, member.id, now)], now=now, tx=tx)
    return RelayOutcome.SENT


# --- continuing and ending --------------------------------------------------------------------


async def continue_pairing(
    buddies: BuddyRepository,
    outbox: OutboxRepository,
    clock: Clock,
    member: Member,
    pairing_id: int,
) -> Pairing | None:
    """Records that ``member`` wants four more weeks; once both do, the pairing is extended
    and the other side is told. Returns the pairing as it is now (None: not theirs, or over).
    The caller checks that it is the last week (``may_continue``); a second press changes
    nothing."""
    now = clock.now()
    async with buddies.transaction() as tx:
        pairing = await buddies.get(pairing_id, tx=tx)
        if pairing is None or not pairing.active or not pairing.includes(member.id):
            return None
        a, b, ends_at = continued(pairing, member.id)
        await buddies.set_continue(pairing.id, a, b, ends_at, tx=tx)
        if ends_at != pairing.ends_at:
            other = pairing.other(member.id)
            await outbox.enqueue([continued_notice(pairing, other, now)], now=now, tx=tx)
        return await buddies.get(pairing.id, tx=tx)


async def end_pairing(
    buddies: BuddyRepository,
    outbox: OutboxRepository,
    pairing_id: int,
    reason: EndReason,
    now: datetime,
    *,
    ended_by: int | None = None,
) -> Pairing | None:
    """Ends an active pairing and tells both sides kindly, without reasons, through the outbox
    — except ``ended_by`` (the member who ended it, who sees it on screen). For moderation:
    ``end_pairing(s.buddies, s.outbox, pairing_id, EndReason.MODERATOR, s.clock.now())``.
    Returns the pairing as it was; None if it had ended already or does not exist (a second
    press, or both sides at once)."""
    async with buddies.transaction() as tx:
        pairing = await buddies.get(pairing_id, tx=tx)
        if pairing is None or not pairing.active:
            return None
        await _end(buddies, outbox, pairing, reason, now, told_already=ended_by, tx=tx)
    return pairing


async def end_on_leaving(
    buddies: BuddyRepository,
    outbox: OutboxRepository,
    member_id: int,
    now: datetime,
    *,
    group_id: int | None = None,
    tx: Tx,
) -> int:
    """In the caller's transaction, when someone leaves a group (``group_id``) or deletes
    their data (all groups): they no longer ask for a buddy there and their pairing ends, the
    other side told kindly. Before /forget deletes the rows, so the notice can be planned."""
    pairings = await buddies.active_pairings_of(member_id, tx=tx)
    ending = [p for p in pairings if group_id is None or p.group_id == group_id]
    for pairing in ending:
        await _end(
            buddies, outbox, pairing, EndReason.LEFT_GROUP, now, told_already=member_id, tx=tx
        )
    if group_id is not None:
        await buddies.opt_out(group_id, member_id, tx=tx)
    return len(ending)


async def _end(
    buddies: BuddyRepository,
    outbox: OutboxRepository,
    pairing: Pairing,
    reason: EndReason,
    ended_at: datetime,
    *,
    told_already: int | None = None,
    tx: Tx,
) -> None:
    if await buddies.end(pairing.id, reason, ended_at, tx=tx):
        notices = ended_notices(pairing, reason, ended_at, told_already=told_already)
        await outbox.enqueue(notices, now=ended_at, tx=tx)
