"""Use cases of time polls: a facilitator proposes start times to their group (each reachable
member gets a native Telegram poll in their own language) and members vote."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.clock import Clock
from bot.domain.member import Member
from bot.domain.time_polls import TimePoll
from bot.storage.members import MemberRepository
from bot.storage.time_polls import TimePollRepository


async def start_time_poll(
    time_polls: TimePollRepository,
    members: MemberRepository,
    clock: Clock,
    group_id: int,
    options: Sequence[datetime],
    created_by: int,
) -> tuple[TimePoll, list[Member]]:
    """Stores the poll; returns it with the members to send it to (those not blocked)."""
    poll = await time_polls.create(group_id, options, created_by, clock.now())
    recipients = [
        member
        for member_id in await time_polls.recipients(group_id)
        if (member := await members.by_id(member_id)) is not None
    ]
    return poll, recipients


async def poll_sent(
    time_polls: TimePollRepository, poll: TimePoll, member: Member, telegram_poll_id: str
) -> None:
    """Remembers which Telegram poll went to whom, so their vote can be counted."""
    await time_polls.add_message(poll.id, member.id, telegram_poll_id)


async def record_vote(
    time_polls: TimePollRepository,
    members: MemberRepository,
    telegram_id: int,
    telegram_poll_id: str,
    option_ids: Sequence[int],
) -> bool:
    """A vote (an empty list takes it back); False unless the voter is the member the poll was
    sent to (a forwarded poll brings the bot other people's answers under the same id)."""
    voter = await members.by_telegram_id(telegram_id)
    if voter is None:
        return False
    return await time_polls.record_answer(telegram_poll_id, voter.id, option_ids)
