"""A support group's own Telegram group chat, as plain data (pure, no I/O, no telegram).

A facilitator links a chat they administer to a group they facilitate; the bot then admits to
the chat only the group's members and confirmed trial guests, welcomes newcomers by alias,
and posts the group's meetings there. What is posted in a chat is a :class:`PlannedPost` in
the outbox (kind below, dedupe key per meeting and chat), so nothing is posted twice and the
dispatcher keeps to Telegram's 20 messages a minute per group. Nothing anyone writes in a
group chat is kept.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.domain.meetings import Meeting
from bot.domain.messages import PlannedMessage, instant_text

# The meeting reminder posted in a linked chat: this long before the start, once.
CHAT_REMINDER_BEFORE = timedelta(hours=1)
# New and changed meetings are announced in the chat when they are this close.
ANNOUNCE_AHEAD = timedelta(days=7)

# Telegram's supergroup ids are -100 followed by the id a t.me/c/ link uses.
_SUPERGROUP_PREFIX = -1_000_000_000_000

# The admin rights the bot needs in a linked chat, and what each one is for (bot.ui).
REQUIRED_RIGHTS = ("can_invite_users", "can_delete_messages")


class PostKind(enum.StrEnum):
    """Outbox kinds posted in a linked chat (bot.notifications.group_chats)."""

    WELCOME = "gchat_welcome"
    MEETING = "gchat_meeting"  # a meeting announced (or moved: a new start, a new post)
    REMINDER = "gchat_reminder"  # 1 hour before
    CANCELLED = "gchat_cancelled"  # a meeting the chat was told about is off
    TIME_POLL = "gchat_time_poll"  # a native, anonymous poll of candidate times


# The posts that tell a chat about a meeting: a chat that got one of them hears when it is
# cancelled; a chat that never did (linked later, or the meeting still far ahead) is not told
# about a meeting it never heard of.
ANNOUNCING = (PostKind.MEETING, PostKind.REMINDER)


class NoticeKind(enum.StrEnum):
    """Outbox kinds sent privately to facilitators about their group's chat."""

    UNLINKED = "gchat_unlinked"  # the bot was removed from the chat
    REPORT = "gchat_report"  # a member reported a message in the chat


class JoinDecision(enum.StrEnum):
    APPROVE = "approve"
    DECLINE = "decline"


class LinkRefusal(enum.StrEnum):
    """Why /link (or its private confirmation) did not link."""

    NOT_CHAT_ADMIN = "not_chat_admin"
    NOT_FACILITATOR = "not_facilitator"
    CHAT_TAKEN = "chat_taken"  # the chat is linked to another group
    GROUP_TAKEN = "group_taken"  # the group already has another chat


@dataclass(frozen=True, slots=True)
class GroupChat:
    chat_id: int
    group_id: int
    group_name: str
    title: str
    linked_at: datetime
    share_join_link: bool
    welcome_message_id: int | None


@dataclass(frozen=True, slots=True)
class PlannedPost:
    """A message the bot will post in a linked chat (the outbox row of a chat)."""

    chat_id: int
    kind: str
    not_before: datetime
    dedupe_key: str
    payload: Mapping[str, Any] = field(default_factory=dict)
    expires_at: datetime | None = None
    meeting_id: int | None = None
    # The person it is about (a welcome): their /forget deletes it.
    about_member_id: int | None = None


def join_decision(is_member: bool, has_trial_seat: bool) -> JoinDecision:
    """Only the group's members and its confirmed trial guests get into its chat."""
    return JoinDecision.APPROVE if is_member or has_trial_seat else JoinDecision.DECLINE


def missing_rights(bot_member: Mapping[str, Any]) -> tuple[str, ...]:
    """The rights of :data:`REQUIRED_RIGHTS` the bot lacks (all of them unless it is an
    administrator), from its ChatMember object."""
    if bot_member.get("status") == "creator":
        return ()
    if bot_member.get("status") != "administrator":
        return REQUIRED_RIGHTS
    return tuple(right for right in REQUIRED_RIGHTS if not bot_member.get(right))


def message_link(chat_id: int, message_id: int) -> str | None:
    """A t.me link to a message; only supergroups have them (None for a basic group)."""
    internal = -chat_id + _SUPERGROUP_PREFIX
    if chat_id >= _SUPERGROUP_PREFIX or internal <= 0:
        return None
    return f"https://t.me/c/{internal}/{message_id}"


def _start_key(start: datetime) -> str:
    return start.astimezone(UTC).strftime("%Y%m%dT%H%M")


def meeting_posts(chat_id: int, meetings: Iterable[Meeting], now: datetime) -> list[PlannedPost]:
    """For each coming meeting of the chat's group: its announcement once it is within
    :data:`ANNOUNCE_AHEAD` (again after a move: the key holds the start) and its reminder
    :data:`CHAT_REMINDER_BEFORE` before, each once per meeting, start and chat. A reminder
    whose time has passed still goes until the start; an announcement is not sent for a
    meeting that will start within the hour (the reminder says it all)."""
    posts: list[PlannedPost] = []
    for meeting in meetings:
        if not meeting.is_coming(now) or meeting.starts_at - now > ANNOUNCE_AHEAD:
            continue
        start = instant_text(meeting.starts_at)
        payload = {"meeting_id": meeting.id, "start": start}
        key = f"{meeting.id}:{chat_id}:{_start_key(meeting.starts_at)}"
        remind_at = meeting.starts_at - CHAT_REMINDER_BEFORE
        if now < remind_at:
            posts.append(
                PlannedPost(
                    chat_id,
                    PostKind.MEETING,
                    now,
                    f"gchat_meeting:{key}",
                    payload,
                    expires_at=remind_at,
                    meeting_id=meeting.id,
                )
            )
        posts.append(
            PlannedPost(
                chat_id,
                PostKind.REMINDER,
                max(now, remind_at),
                f"gchat_reminder:{key}",
                payload,
                expires_at=meeting.starts_at,
                meeting_id=meeting.id,
            )
        )
    return posts


def cancellation_posts(
    told: Iterable[tuple[Meeting, Iterable[int]]], now: datetime, *, whole_series: bool
) -> list[PlannedPost]:
    """For each cancelled meeting, with the chats that were told about it: one post per chat
    (keyed by meeting and chat). A whole series is said once per chat, about the first of its
    meetings the chat heard of ("and the ones after it"), not once per week."""
    posts: list[PlannedPost] = []
    told_chats: set[int] = set()
    for meeting, chats in sorted(told, key=lambda pair: pair[0].starts_at):
        for chat_id in chats:
            if whole_series and chat_id in told_chats:
                continue
            told_chats.add(chat_id)
            posts.append(
                PlannedPost(
                    chat_id,
                    PostKind.CANCELLED,
                    now,
                    f"gchat_cancelled:{meeting.id}:{chat_id}",
                    {"meeting_id": meeting.id, "series": whole_series},
                    # Said before the time it would have started, or not at all.
                    expires_at=meeting.starts_at,
                    meeting_id=meeting.id,
                )
            )
    return posts


def time_poll_post(chat_id: int, poll_id: int, now: datetime) -> PlannedPost:
    """A time poll asked in the chat: once per poll (a second press plans nothing), in the
    outbox so a passing failure is retried and a flood wait honoured like any other post.
    Stale after a day: a poll posted much later than asked would only confuse."""
    return PlannedPost(
        chat_id,
        PostKind.TIME_POLL,
        now,
        f"gchat_time_poll:{poll_id}",
        {"poll_id": poll_id},
        expires_at=now + timedelta(days=1),
    )


def welcome_post(chat_id: int, member_id: int | None, now: datetime) -> PlannedPost:
    """A welcome for someone who just joined (``member_id`` None: not in Rangkul, welcomed
    without a name). One per person and join minute; stale after an hour."""
    who = member_id if member_id is not None else "guest"
    return PlannedPost(
        chat_id,
        PostKind.WELCOME,
        now,
        f"gchat_welcome:{chat_id}:{who}:{_start_key(now)}",
        {"member_id": member_id},
        expires_at=now + timedelta(hours=1),
        about_member_id=member_id,
    )


def facilitator_notices(
    kind: NoticeKind,
    facilitator_ids: Iterable[int],
    key: str,
    payload: Mapping[str, Any],
    now: datetime,
    *,
    about_member_id: int | None = None,
) -> list[PlannedMessage]:
    """The same notice to each facilitator, once per ``key``."""
    return [
        PlannedMessage(
            member_id=facilitator,
            kind=kind,
            not_before=now,
            dedupe_key=f"{kind}:{key}:{facilitator}",
            payload=dict(payload),
            about_member_id=about_member_id,
        )
        for facilitator in facilitator_ids
    ]
