"""Linked group chats as plain rules (bot.domain.group_chats), and the emulated Telegram's group
members, join requests and rights through both fronts: the in-process request and HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp import web
from telegram import Bot, ChatMemberAdministrator
from telegram.error import BadRequest, Forbidden

from bot.domain.group_chats import (
    CHAT_REMINDER_BEFORE,
    JoinDecision,
    PostKind,
    join_decision,
    meeting_posts,
    message_link,
    missing_rights,
    welcome_post,
)
from bot.domain.meetings import Meeting, MeetingStatus
from bot.sandbox.bot_api_http import MAX_UPLOAD_BYTES, add_bot_api_routes, start_server
from bot.sandbox.emulator import BotApiEmulator
from bot.sandbox.request import EmulatorRequest

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
CHAT, ADMIN, AYU = -1001234567890, 1001, 1002


def a_meeting(start: datetime, status: MeetingStatus = MeetingStatus.SCHEDULED) -> Meeting:
    return Meeting(7, 1, 1, 0, start, 90, "Hall", "https://meet.example.org/x", 10, status)


def test_only_members_and_trial_guests_get_in() -> None:
    assert join_decision(is_member=True, has_trial_seat=False) is JoinDecision.APPROVE
    assert join_decision(is_member=False, has_trial_seat=True) is JoinDecision.APPROVE
    assert join_decision(is_member=False, has_trial_seat=False) is JoinDecision.DECLINE


def test_missing_rights_of_the_bot() -> None:
    assert missing_rights({"status": "member"}) == ("can_invite_users", "can_delete_messages")
    admin = {"status": "administrator", "can_invite_users": True, "can_delete_messages": False}
    assert missing_rights(admin) == ("can_delete_messages",)
    assert missing_rights({"status": "creator"}) == ()


def test_message_links_exist_for_supergroups_only() -> None:
    assert message_link(CHAT, 42) == "https://t.me/c/1234567890/42"
    assert message_link(-4567890, 42) is None  # a basic group


def test_a_meeting_is_announced_then_reminded_an_hour_before_each_once_per_start() -> None:
    start = NOW + timedelta(days=2)
    announcement, reminder = meeting_posts(CHAT, [a_meeting(start)], NOW)
    assert (announcement.kind, announcement.not_before) == (PostKind.MEETING, NOW)
    assert (reminder.kind, reminder.not_before) == (PostKind.REMINDER, start - CHAT_REMINDER_BEFORE)
    assert reminder.expires_at == start and announcement.expires_at == reminder.not_before
    # Planned again: the same keys; moved: new keys (a new post about the change).
    assert [p.dedupe_key for p in meeting_posts(CHAT, [a_meeting(start)], NOW)] == [
        announcement.dedupe_key,
        reminder.dedupe_key,
    ]
    moved = meeting_posts(CHAT, [a_meeting(start + timedelta(hours=1))], NOW)
    assert {p.dedupe_key for p in moved}.isdisjoint({announcement.dedupe_key, reminder.dedupe_key})


def test_no_posts_for_far_cancelled_or_started_meetings_and_only_the_reminder_at_the_end() -> None:
    assert meeting_posts(CHAT, [a_meeting(NOW + timedelta(days=8))], NOW) == []
    assert (
        meeting_posts(CHAT, [a_meeting(NOW + timedelta(days=1), MeetingStatus.CANCELLED)], NOW)
        == []
    )
    assert meeting_posts(CHAT, [a_meeting(NOW - timedelta(minutes=1))], NOW) == []
    [late] = meeting_posts(CHAT, [a_meeting(NOW + timedelta(minutes=30))], NOW)
    assert (late.kind, late.not_before) == (PostKind.REMINDER, NOW)


def test_a_welcome_is_about_its_member_and_stale_after_an_hour() -> None:
    post = welcome_post(CHAT, 5, NOW)
    assert post.about_member_id == 5 and post.payload == {"member_id": 5}
    assert post.expires_at == NOW + timedelta(hours=1)
    assert welcome_post(CHAT, None, NOW).about_member_id is None


# --- the emulated Telegram -------------------------------------------------------------------


def a_world(*, bot_rights: dict | None) -> BotApiEmulator:
    emulator = BotApiEmulator()
    emulator.add_user(ADMIN, "Admin")
    emulator.add_user(AYU, "Ayu")
    emulator.add_group(CHAT, "Lingkar", supergroup=True, admins=(ADMIN,), bot_rights=bot_rights)
    return emulator


@pytest.fixture
async def http_base() -> AsyncIterator[tuple[BotApiEmulator, str]]:
    emulator = a_world(bot_rights={"can_invite_users": True})
    app = web.Application(client_max_size=MAX_UPLOAD_BYTES)
    add_bot_api_routes(app, emulator)
    runner, url = await start_server(app)
    yield emulator, url
    await runner.cleanup()


async def test_join_requests_and_members_over_http(http_base: tuple[BotApiEmulator, str]) -> None:
    emulator, base = http_base
    async with Bot(emulator.token, base_url=f"{base}/bot") as bot:
        me = await bot.get_chat_member(CHAT, bot.id)
        assert isinstance(me, ChatMemberAdministrator) and me.can_invite_users
        assert not me.can_delete_messages
        assert (await bot.get_chat_member(CHAT, ADMIN)).status == "creator"
        assert (await bot.get_chat_member(CHAT, AYU)).status == "left"
        update = emulator.user_requests_to_join(AYU, CHAT)
        assert update["chat_join_request"]["user_chat_id"] == AYU
        assert await bot.approve_chat_join_request(CHAT, AYU)
        assert emulator.member_status(CHAT, AYU) == "member"
        [joined] = emulator.updates_after(update["update_id"], "chat_member")
        assert joined["chat_member"]["new_chat_member"]["status"] == "member"
        with pytest.raises(BadRequest, match=r"(?i)hide_requester_missing"):
            await bot.decline_chat_join_request(CHAT, AYU)  # nothing is waiting any more


async def test_rights_deletion_and_removal_in_process() -> None:
    emulator = a_world(bot_rights=None)  # a plain member
    bot = Bot(emulator.token, request=EmulatorRequest(emulator))
    async with bot:
        emulator.user_requests_to_join(AYU, CHAT)
        with pytest.raises(BadRequest, match=r"(?i)not enough rights"):
            await bot.approve_chat_join_request(CHAT, AYU)
        said = emulator.user_sends_text(ADMIN, "halo", chat_id=CHAT)["message"]["message_id"]
        with pytest.raises(BadRequest, match="can't be deleted"):
            await bot.delete_message(CHAT, said)
        own = await bot.send_message(CHAT, "Halo semua")
        assert await bot.delete_message(CHAT, own.message_id)  # its own: always
        removal = emulator.set_member(CHAT, bot.id, "kicked")
        assert (
            removal is not None
            and removal["my_chat_member"]["new_chat_member"]["status"] == "kicked"
        )
        with pytest.raises(Forbidden, match="kicked"):
            await bot.send_message(CHAT, "still here?")
