"""Use cases of time polls: a facilitator proposes start times to their group (each reachable
member gets a native Telegram poll in their own language, or the group's linked chat gets one
anonymous poll, or both) and members vote; the facilitator ends the poll."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.clock import Clock
from bot.domain.group_chats import time_poll_post
from bot.domain.member import Member
from bot.domain.time_polls import ChatPoll, TimePoll
from bot.storage.group_chats import GroupChatRepository
from bot.storage.members import MemberRepository
from bot.storage.outbox import OutboxRepository
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


async def ask_in_chat(
    time_polls: TimePollRepository,
    group_chats: GroupChatRepository,
    outbox: OutboxRepository,
    clock: Clock,
    poll: TimePoll,
) -> bool:
    """Plans the poll's post in its group's linked chat (the chat is the group's own, read
    here: never one a button names); False if the group has no linked chat (any more)."""
    now = clock.now()
    async with time_polls.transaction() as tx:
        chat = await group_chats.by_group(poll.group_id, tx=tx)
        if chat is None:
            return False
        if await time_polls.add_chat(poll.id, chat.chat_id, tx=tx):
            await outbox.enqueue_posts([time_poll_post(chat.chat_id, poll.id, now)], now=now, tx=tx)
    return True


async def chat_poll_posted(
    time_polls: TimePollRepository, poll_id: int, message_id: int, telegram_poll_id: str
) -> None:
    """The outbox posted the chat poll: its message (to stop it) and poll id (to count it)."""
    await time_polls.chat_poll_posted(poll_id, message_id, telegram_poll_id)


async def record_chat_counts(
    time_polls: TimePollRepository, telegram_poll_id: str, counts: Sequence[int], voters: int
) -> bool:
    """Telegram's counts of a poll in a group chat (anonymous: no voter is known); False for
    any other poll (a private one, or one the bot does not know)."""
    return await time_polls.record_chat_counts(telegram_poll_id, counts, voters)


async def end_poll(
    time_polls: TimePollRepository,
    group_chats: GroupChatRepository,
    clock: Clock,
    poll: TimePoll,
) -> tuple[bool, ChatPoll | None]:
    """Ends the poll: (whether it was still open, its chat poll to stop in the chat). The chat
    poll is left alone if it was never posted (its pending post is then skipped) or the chat is
    no longer linked to the group (unlinked, or the bot removed): its counts stay either way."""
    async with time_polls.transaction() as tx:
        if not await time_polls.close(poll.id, clock.now(), tx=tx):
            return False, None
        chat_poll = await time_polls.chat_poll(poll.id, tx=tx)
        if chat_poll is None or not chat_poll.posted:
            return True, None
        chat = await group_chats.by_chat(chat_poll.chat_id, tx=tx)
    return True, chat_poll if chat is not None and chat.group_id == poll.group_id else None
