"""Outbox renderers for linked group chats (planned by bot.services.group_chats): the posts in
a chat (welcome, meeting announcement, 1-hour reminder, a meeting cancelled, a time poll),
written in the group's first language, and the private notices to its facilitators (the bot
was removed, a report).

A post no longer applies (None: skipped) once its chat is unlinked or its meeting cancelled
or moved; a new welcome deletes the previous one, so the chat is not flooded.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import telegram
from telegram import InlineKeyboardMarkup
from telegram.error import TelegramError

from bot.domain.group_chats import GroupChat, NoticeKind, PostKind, message_link
from bot.domain.groups import Group
from bot.domain.meeting_notices import still_current
from bot.domain.member import Member
from bot.domain.time_polls import OPTION_MAX, QUESTION_MAX, fit
from bot.i18n import Translator, get_translator
from bot.services import time_polls
from bot.services.container import Services
from bot.ui import public_chats as views
from bot.ui.meeting_forms import poll_option, poll_question

log = logging.getLogger(__name__)

Rendered = tuple[str, InlineKeyboardMarkup | None]


# What Telegram answered to a post: the message (a copy answers only its id).
Sent = telegram.Message | telegram.MessageId


@dataclass(frozen=True)
class NativePoll:
    """A native poll to post (plain text, within Telegram's limits: bot.domain.time_polls)."""

    question: str
    options: tuple[str, ...]
    allows_multiple_answers: bool


@dataclass(frozen=True)
class ChatPoster:
    """How the outbox dispatcher posts one kind in a linked chat: ``render`` from the chat id
    and payload (None: no longer applies), ``send`` it (a text message unless given: a poll
    is sent otherwise), then ``after_sent`` with what Telegram answered and the payload. The
    dispatcher's retry and flood-wait handling is the same whatever ``send`` is, since
    ``send`` raises the same errors; ``rate_args`` are the dispatcher's for the limiter."""

    render: Callable[[Services, int, Mapping[str, Any]], Awaitable[Any]]
    after_sent: (
        Callable[[Services, telegram.Bot, int, Sent, Mapping[str, Any]], Awaitable[None]] | None
    ) = None
    send: Callable[[telegram.Bot, int, Any, dict[str, Any]], Awaitable[Sent]] | None = None


async def _chat_and_group(
    services: Services, chat_id: int
) -> tuple[GroupChat, Group, Translator] | None:
    chat = await services.group_chats.by_chat(chat_id)
    group = await services.groups.get(chat.group_id) if chat is not None else None
    if chat is None or group is None or group.archived:
        return None
    return chat, group, get_translator(group.languages[0])


async def render_welcome(
    services: Services, chat_id: int, payload: Mapping[str, Any]
) -> Rendered | None:
    found = await _chat_and_group(services, chat_id)
    if found is None:
        return None
    t = found[2]
    member_id = payload.get("member_id")
    member = await services.members.by_id(int(member_id)) if member_id is not None else None
    return views.welcome_text(t, member.alias if member else None), None


async def delete_previous_welcome(
    services: Services, bot: telegram.Bot, chat_id: int, sent: Sent, _: Mapping[str, Any]
) -> None:
    previous = await services.group_chats.swap_welcome(chat_id, sent.message_id)
    if previous is None:
        return
    try:
        await bot.delete_message(chat_id, previous)
    except TelegramError as exc:
        # No right to delete, or too old (48 h): the welcome stays; /link reported the right.
        log.info("group chat: previous welcome not deleted (%s)", type(exc).__name__)


async def _render_meeting(
    services: Services, chat_id: int, payload: Mapping[str, Any], *, reminder: bool
) -> Rendered | None:
    found = await _chat_and_group(services, chat_id)
    meeting = await services.meetings.get(int(payload["meeting_id"]))
    if found is None or meeting is None or not still_current(meeting, payload):
        return None
    chat, group, t = found
    text = views.meeting_post_text(
        t, group, meeting, share_link=chat.share_join_link, reminder=reminder
    )
    return text, None


async def render_meeting(
    services: Services, chat_id: int, payload: Mapping[str, Any]
) -> Rendered | None:
    return await _render_meeting(services, chat_id, payload, reminder=False)


async def render_reminder(
    services: Services, chat_id: int, payload: Mapping[str, Any]
) -> Rendered | None:
    return await _render_meeting(services, chat_id, payload, reminder=True)


async def render_cancelled(
    services: Services, chat_id: int, payload: Mapping[str, Any]
) -> Rendered | None:
    found = await _chat_and_group(services, chat_id)
    meeting = await services.meetings.get(int(payload["meeting_id"]))
    if found is None or meeting is None or not meeting.is_cancelled:
        return None
    text = views.meeting_cancelled_post_text(
        found[2], found[1], meeting, series=bool(payload.get("series"))
    )
    return text, None


async def render_time_poll(
    services: Services, chat_id: int, payload: Mapping[str, Any]
) -> NativePoll | None:
    """The poll in the group's first language and timezone; None once it has ended or the
    chat is no longer the group's."""
    found = await _chat_and_group(services, chat_id)
    poll = await services.time_polls.get(int(payload["poll_id"]))
    if found is None or poll is None or poll.closed_at is not None:
        return None
    _, group, t = found
    if group.id != poll.group_id:
        return None
    # Poll texts are plain: the escaped group name is turned back.
    question = fit(html.unescape(poll_question(t, group)), QUESTION_MAX)
    options = tuple(
        fit(poll_option(t, start, group.timezone), OPTION_MAX) for start in poll.options
    )
    return NativePoll(question, options, allows_multiple_answers=True)


async def send_poll(
    bot: telegram.Bot, chat_id: int, poll: NativePoll, rate_args: dict[str, Any]
) -> Sent:
    # Anonymous: a chat poll that is not shows every voter's Telegram name to the whole chat.
    return await bot.send_poll(
        chat_id,
        poll.question,
        list(poll.options),
        is_anonymous=True,
        allows_multiple_answers=poll.allows_multiple_answers,
        question_parse_mode=None,
        **rate_args,
    )


async def time_poll_posted(
    services: Services, bot: telegram.Bot, chat_id: int, sent: Sent, payload: Mapping[str, Any]
) -> None:
    """Remembers the poll's message (to stop it) and Telegram's poll id (to count it)."""
    if isinstance(sent, telegram.Message) and sent.poll is not None:
        await time_polls.chat_poll_posted(
            services.time_polls, int(payload["poll_id"]), sent.message_id, sent.poll.id
        )


def group_chat_posters() -> dict[str, ChatPoster]:
    return {
        PostKind.WELCOME: ChatPoster(render_welcome, delete_previous_welcome),
        PostKind.MEETING: ChatPoster(render_meeting),
        PostKind.REMINDER: ChatPoster(render_reminder),
        PostKind.CANCELLED: ChatPoster(render_cancelled),
        PostKind.TIME_POLL: ChatPoster(render_time_poll, time_poll_posted, send_poll),
    }


# --- private notices to facilitators ----------------------------------------------------------


async def render_unlinked(
    services: Services, t: Translator, member: Member, payload: Mapping[str, Any]
) -> Rendered | None:
    group = await services.groups.get(int(payload["group_id"]))
    if group is None:
        return None
    return views.unlinked_notice_text(t, str(payload["title"]), group.name), None


async def render_report(
    services: Services, t: Translator, member: Member, payload: Mapping[str, Any]
) -> Rendered | None:
    group = await services.groups.get(int(payload["group_id"]))
    reporter = await services.members.by_id(int(payload["reporter_id"]))
    chat = await services.group_chats.by_group(int(payload["group_id"]))
    if group is None or reporter is None or chat is None:
        return None  # the reporter left Rangkul, or the chat is gone: nothing to look at
    link = message_link(chat.chat_id, int(payload["message_id"]))
    return views.report_notice_text(t, group.name, reporter.alias, link), None


def group_chat_renderers() -> dict[str, Any]:
    return {NoticeKind.UNLINKED: render_unlinked, NoticeKind.REPORT: render_report}
