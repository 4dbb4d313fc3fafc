"""Use cases of linked group chats: linking and unlinking, join requests, welcomes, the bot
removed from a chat, reports from a chat, and the meeting posts the planner keeps planned.

Whether someone is a chat administrator is Telegram's to say (getChatMember): the handlers
ask it before calling these; being a facilitator of the group is checked here, at the moment
of the change, so a forged or replayed button never links someone else's group.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.domain.group_chats import (
    GroupChat,
    JoinDecision,
    LinkRefusal,
    NoticeKind,
    facilitator_notices,
    join_decision,
    meeting_posts,
    welcome_post,
)
from bot.domain.groups import Group
from bot.domain.member import Member
from bot.domain.moderation import AuditAction
from bot.storage.group_chats import GroupChatRepository
from bot.storage.groups import GroupRepository
from bot.storage.meetings import MeetingRepository
from bot.storage.members import MemberRepository
from bot.storage.moderation import ModerationRepository
from bot.storage.outbox import OutboxRepository
from bot.storage.roles import RoleRepository

# Meetings of one group looked at per planner pass (a week of weekly meetings fits many times).
_MEETINGS_AHEAD = 10


async def linkable_groups(
    roles: RoleRepository, groups: GroupRepository, member: Member
) -> list[Group]:
    """The active groups this member facilitates, by name."""
    found = [
        await groups.get(group_id) for group_id in await roles.facilitated_group_ids(member.id)
    ]
    return sorted((g for g in found if g is not None), key=lambda g: (g.name, g.id))


async def link(
    group_chats: GroupChatRepository,
    roles: RoleRepository,
    moderation: ModerationRepository,
    clock: Clock,
    member: Member,
    chat_id: int,
    title: str,
    group_id: int,
) -> LinkRefusal | None:
    """Links the chat to the group (logged); why not, if it cannot. Linking the same pair
    again is no change and no refusal (a second press)."""
    now = clock.now()
    async with group_chats.transaction() as tx:
        if group_id not in await roles.facilitated_group_ids(member.id, tx=tx):
            return LinkRefusal.NOT_FACILITATOR
        chat = await group_chats.by_chat(chat_id, tx=tx)
        if chat is not None:
            return None if chat.group_id == group_id else LinkRefusal.CHAT_TAKEN
        if await group_chats.by_group(group_id, tx=tx) is not None:
            return LinkRefusal.GROUP_TAKEN
        await group_chats.link(chat_id, group_id, title, member.id, now, tx=tx)
        await moderation.log(member.id, AuditAction.LINK_CHAT, None, group_id, now, tx=tx)
    return None


async def unlink(
    group_chats: GroupChatRepository,
    roles: RoleRepository,
    moderation: ModerationRepository,
    clock: Clock,
    member: Member | None,
    chat_id: int,
) -> GroupChat | LinkRefusal | None:
    """Unlinks the chat (logged); the link it was, a refusal for someone who does not
    facilitate its group, None if it was not linked."""
    now = clock.now()
    async with group_chats.transaction() as tx:
        chat = await group_chats.by_chat(chat_id, tx=tx)
        if chat is None:
            return None
        if member is None or chat.group_id not in await roles.facilitated_group_ids(
            member.id, tx=tx
        ):
            return LinkRefusal.NOT_FACILITATOR
        await group_chats.unlink(chat_id, tx=tx)
        await moderation.log(member.id, AuditAction.UNLINK_CHAT, None, chat.group_id, now, tx=tx)
    return chat


async def share_join_link(
    group_chats: GroupChatRepository,
    roles: RoleRepository,
    member: Member,
    chat_id: int,
    share: bool,
) -> GroupChat | None:
    """Whether the chat's meeting posts carry the online join link, as a facilitator of its
    group chooses; the link as it is now, None if not linked or not theirs."""
    chat = await group_chats.by_chat(chat_id)
    if chat is None or chat.group_id not in await roles.facilitated_group_ids(member.id):
        return None
    await group_chats.set_share_join_link(chat_id, share)
    return await group_chats.by_chat(chat_id)


@dataclass(frozen=True, slots=True)
class JoinRequestOutcome:
    decision: JoinDecision
    chat: GroupChat
    member: Member | None  # None: the person has no Rangkul account


async def decide_join_request(
    group_chats: GroupChatRepository,
    members: MemberRepository,
    clock: Clock,
    chat_id: int,
    telegram_id: int,
) -> JoinRequestOutcome | None:
    """Approve for the group's members and confirmed trial guests, decline everyone else.
    None: the chat is not linked (the request is left to the chat's administrators)."""
    member = await members.by_telegram_id(telegram_id)
    chat = await group_chats.by_chat(chat_id)
    if chat is None:
        return None
    is_member, has_trial = (
        await group_chats.may_join(chat.group_id, member.id, clock.now())
        if member is not None
        else (False, False)
    )
    return JoinRequestOutcome(join_decision(is_member, has_trial), chat, member)


async def record_join_decision(
    moderation: ModerationRepository, clock: Clock, outcome: JoinRequestOutcome
) -> None:
    """Audit-logs a decision Telegram carried out, with the member (never a Telegram id)."""
    member = outcome.member
    if outcome.decision is JoinDecision.APPROVE:
        action = AuditAction.APPROVE_JOIN
    else:
        action = AuditAction.DECLINE_JOIN if member else AuditAction.DECLINE_JOIN_STRANGER
    subject = member.id if member is not None else None
    async with moderation.transaction() as tx:
        await moderation.log(None, action, subject, outcome.chat.group_id, clock.now(), tx=tx)


async def welcome(
    group_chats: GroupChatRepository,
    members: MemberRepository,
    outbox: OutboxRepository,
    clock: Clock,
    chat_id: int,
    telegram_id: int,
) -> bool:
    """Plans the welcome of someone who just joined a linked chat; False if not linked."""
    now = clock.now()
    member = await members.by_telegram_id(telegram_id)
    async with group_chats.transaction() as tx:
        if await group_chats.by_chat(chat_id, tx=tx) is None:
            return False
        post = welcome_post(chat_id, member.id if member else None, now)
        await outbox.enqueue_posts([post], now=now, tx=tx)
    return True


async def bot_removed(
    group_chats: GroupChatRepository,
    roles: RoleRepository,
    outbox: OutboxRepository,
    clock: Clock,
    chat_id: int,
) -> GroupChat | None:
    """The bot was removed from (or left) the chat: unlinked, its facilitators told."""
    now = clock.now()
    async with group_chats.transaction() as tx:
        chat = await group_chats.by_chat(chat_id, tx=tx)
        if chat is None:
            return None
        await group_chats.unlink(chat_id, tx=tx)
        notices = facilitator_notices(
            NoticeKind.UNLINKED,
            await roles.facilitator_ids(chat.group_id, tx=tx),
            f"{chat_id}:{now.timestamp():.0f}",
            {"group_id": chat.group_id, "title": chat.title},
            now,
        )
        await outbox.enqueue(notices, now=now, tx=tx)
    return chat


async def report_message(
    group_chats: GroupChatRepository,
    roles: RoleRepository,
    members: MemberRepository,
    outbox: OutboxRepository,
    clock: Clock,
    chat_id: int,
    reporter_telegram_id: int,
    message_id: int,
) -> bool:
    """A member's report of a message in a linked chat, to its facilitators privately;
    False if the chat is not linked or the reporter has no Rangkul account (nothing sent)."""
    now = clock.now()
    reporter = await members.by_telegram_id(reporter_telegram_id)
    if reporter is None:
        return False
    async with group_chats.transaction() as tx:
        chat = await group_chats.by_chat(chat_id, tx=tx)
        if chat is None:
            return False
        notices = facilitator_notices(
            NoticeKind.REPORT,
            await roles.facilitator_ids(chat.group_id, tx=tx),
            f"{chat_id}:{message_id}:{reporter.id}",
            {"group_id": chat.group_id, "message_id": message_id, "reporter_id": reporter.id},
            now,
            about_member_id=reporter.id,
        )
        await outbox.enqueue(notices, now=now, tx=tx)
    return True


async def plan_posts(
    group_chats: GroupChatRepository,
    meetings: MeetingRepository,
    outbox: OutboxRepository,
    clock: Clock,
) -> int:
    """The planner's part: each linked chat's coming meeting announcements and reminders
    (each once, by dedupe key); returns how many were added."""
    now = clock.now()
    added = 0
    for chat in await group_chats.all_linked():
        coming = await meetings.upcoming([chat.group_id], now, limit=_MEETINGS_AHEAD)
        posts = meeting_posts(chat.chat_id, (o.meeting for o in coming), now)
        async with group_chats.transaction() as tx:
            if await group_chats.by_chat(chat.chat_id, tx=tx) is not None:  # still linked
                added += await outbox.enqueue_posts(posts, now=now, tx=tx)
    return added
