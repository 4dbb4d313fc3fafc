"""A support group's own Telegram group chat: /link and /unlink there, the private choice of
the group, join requests, welcomes, the bot removed from the chat, and /report as a reply.

Called by bot.handlers.public_chats, which sees every group update first. Whether someone
administers the chat is asked of Telegram (getChatMember) at each step; being a facilitator
is checked by bot.services.group_chats. Nothing written in a chat is kept, and nobody is named
in a chat except by alias in a welcome.
"""

from __future__ import annotations

import logging

from telegram import CallbackQuery, ChatMemberUpdated, Message, Update
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import BaseHandler

from bot.context import RangkulContext
from bot.domain.group_chats import JoinDecision, LinkRefusal, missing_rights
from bot.i18n import get_translator
from bot.services import group_chats as service
from bot.telegram_glue import chat
from bot.ui import public_chats as views
from bot.ui.callbacks import on_button
from bot.ui.public_chats import DropLink, LinkChat, ShareJoinLink

log = logging.getLogger(__name__)

_ADMINS = frozenset({ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR})
_IN_CHAT = frozenset({ChatMemberStatus.MEMBER, ChatMemberStatus.RESTRICTED, *_ADMINS})
_OUT = frozenset({ChatMemberStatus.LEFT, ChatMemberStatus.BANNED})


def private_link(context: RangkulContext, payload: str | None = None) -> str:
    start = f"?start={payload}" if payload else ""
    return f"https://t.me/{context.bot.username}{start}"


async def _is_chat_admin(context: RangkulContext, chat_id: int, user_id: int) -> bool:
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except TelegramError:
        return False
    return member.status in _ADMINS


async def _missing_rights(context: RangkulContext, chat_id: int) -> tuple[str, ...]:
    member = await context.bot.get_chat_member(chat_id, context.bot.id)
    return missing_rights(member.to_dict())


# --- /link and /unlink in the chat --------------------------------------------------------------


async def link_command(update: Update, context: RangkulContext, message: Message) -> None:
    """/link: a chat administrator who facilitates a group gets the choice privately."""
    session = await context.session(update)
    user = message.from_user
    services = context.services
    member = session.member
    groups = (
        await service.linkable_groups(services.roles, services.groups, member) if member else []
    )
    if user is None or not await _is_chat_admin(context, message.chat_id, user.id):
        await message.reply_text(views.link_not_admin_text(session.t))
        return
    if not groups or member is None:
        # The same words as for a non-admin would tell the chat who is in Rangkul.
        await message.reply_text(views.link_refused_text(session.t, LinkRefusal.NOT_FACILITATOR))
        return
    t = get_translator(member.language)
    missing = await _missing_rights(context, message.chat_id)
    title = message.chat.title or ""
    text, markup = views.link_choice_view(t, message.chat_id, title, groups, missing)
    try:
        await context.bot.send_message(user.id, text, reply_markup=markup)
    except Forbidden:
        text, markup = views.link_start_privately_view(session.t, private_link(context))
        await message.reply_text(text, reply_markup=markup)
        return
    await message.reply_text(views.link_check_private_text(session.t))


async def choose_group(update: Update, context: RangkulContext, action: LinkChat) -> None:
    """The facilitator's private choice: checked again (admin, facilitator), then linked."""
    query = update.callback_query
    assert query is not None and query.from_user is not None
    session = await context.session(update)
    t, member, services = session.t, session.member, context.services
    linked = await services.group_chats.by_chat(action.chat_id)
    # Only a choice the bot offered on this message is asked about: a forged one may name any
    # chat, and Telegram refuses lookups of chats that are not there (or not the bot's).
    forged = not _offered_here(query)
    if member is None or forged or (linked is not None and linked.group_id == action.group_id):
        await query.answer(views.link_gone_toast(t))  # a second press: already linked
        return
    if not await _is_chat_admin(context, action.chat_id, query.from_user.id):
        await chat.show(update, views.link_refused_text(t, LinkRefusal.NOT_CHAT_ADMIN))
        return
    title = (await context.bot.get_chat(action.chat_id)).title or ""
    refusal = await service.link(
        services.group_chats,
        services.roles,
        services.moderation,
        services.clock,
        member,
        action.chat_id,
        title,
        action.group_id,
    )
    if refusal is not None:
        await chat.show(update, views.link_refused_text(t, refusal))
        return
    linked = await services.group_chats.by_chat(action.chat_id)
    assert linked is not None
    text, markup = views.linked_private_view(
        t, action.chat_id, title, linked.group_name, linked.share_join_link
    )
    await chat.show(update, text, markup)
    group = await services.groups.get(linked.group_id)
    chat_t = get_translator(group.languages[0]) if group else t
    missing = await _missing_rights(context, action.chat_id)
    await context.bot.send_message(
        action.chat_id, views.linked_in_chat_text(chat_t, linked.group_name, missing)
    )


def _offered_here(query: CallbackQuery) -> bool:
    """Whether the pressed data is one of the buttons of the message it came with."""
    message = query.message
    markup = message.reply_markup if isinstance(message, Message) else None
    return markup is not None and any(
        button.callback_data == query.data for row in markup.inline_keyboard for button in row
    )


async def share_join_link(update: Update, context: RangkulContext, action: ShareJoinLink) -> None:
    session = await context.session(update)
    services = context.services
    linked = (
        await service.share_join_link(
            services.group_chats, services.roles, session.member, action.chat_id, action.share
        )
        if session.member
        else None
    )
    if linked is None:
        query = update.callback_query
        assert query is not None
        await query.answer(views.link_gone_toast(session.t))
        return
    text, markup = views.linked_private_view(
        session.t, linked.chat_id, linked.title, linked.group_name, linked.share_join_link
    )
    await chat.show(update, text, markup)


async def drop_link(update: Update, context: RangkulContext, action: DropLink) -> None:
    await chat.show(update, views.link_dropped_text((await context.session(update)).t))


async def unlink_command(update: Update, context: RangkulContext, message: Message) -> None:
    session = await context.session(update)
    services = context.services
    user = message.from_user
    if user is None or not await _is_chat_admin(context, message.chat_id, user.id):
        await message.reply_text(views.unlink_refused_text(session.t))
        return
    result = await service.unlink(
        services.group_chats,
        services.roles,
        services.moderation,
        services.clock,
        session.member,
        message.chat_id,
    )
    if result is None:
        await message.reply_text(views.not_linked_text(session.t))
    elif isinstance(result, LinkRefusal):
        await message.reply_text(views.unlink_refused_text(session.t))
    else:
        await message.reply_text(views.unlinked_in_chat_text(session.t))


# --- join requests, joins, the bot's own membership ------------------------------------------


async def join_request(update: Update, context: RangkulContext) -> None:
    request = update.chat_join_request
    assert request is not None
    services = context.services
    outcome = await service.decide_join_request(
        services.group_chats,
        services.members,
        services.clock,
        request.chat.id,
        request.from_user.id,
    )
    if outcome is None:
        return  # not a linked chat: its administrators decide
    try:
        if outcome.decision is JoinDecision.APPROVE:
            await request.approve()
        else:
            await request.decline()
    except BadRequest as exc:
        # Missing "invite users" right, or the request was answered meanwhile; /link and the
        # bot's status changes tell the chat which rights are missing.
        log.warning("group chat: join request not answered (%s)", type(exc).__name__)
        return
    await service.record_join_decision(services.moderation, services.clock, outcome)
    if outcome.decision is JoinDecision.DECLINE:
        t = (await context.session(update)).t  # their language, or Telegram's guess of it
        text, markup = views.declined_view(t, outcome.chat.group_name, private_link(context))
        try:
            await context.bot.send_message(request.user_chat_id, text, reply_markup=markup)
        except TelegramError as exc:
            log.info("group chat: declined person not told (%s)", type(exc).__name__)


def _joined(change: ChatMemberUpdated) -> bool:
    return change.old_chat_member.status in _OUT and change.new_chat_member.status in _IN_CHAT


async def member_changed(update: Update, context: RangkulContext) -> None:
    """Someone joined a linked chat: a welcome by alias is planned (the outbox keeps to the
    group's rate limit and deletes the previous welcome)."""
    change = update.chat_member
    assert change is not None
    if not _joined(change):
        return
    services = context.services
    await service.welcome(
        services.group_chats,
        services.members,
        services.outbox,
        services.clock,
        change.chat.id,
        change.new_chat_member.user.id,
    )


async def bot_membership_changed(update: Update, context: RangkulContext) -> None:
    """Removed from a linked chat: unlinked and its facilitators told privately. Still in it
    with fewer rights: the chat is told which ones are missing."""
    change = update.my_chat_member
    assert change is not None
    services = context.services
    new = change.new_chat_member
    if new.status in _OUT:
        await service.bot_removed(
            services.group_chats, services.roles, services.outbox, services.clock, change.chat.id
        )
        return
    linked = await services.group_chats.by_chat(change.chat.id)
    missing = missing_rights(new.to_dict())
    if linked is None or not missing:
        return
    group = await services.groups.get(linked.group_id)
    t = get_translator(group.languages[0] if group else services.settings.default_language)
    await context.bot.send_message(change.chat.id, views.missing_rights_lines(t, missing))


# --- /report as a reply -------------------------------------------------------------------------


async def report_command(update: Update, context: RangkulContext, message: Message) -> None:
    """Tells the group's facilitators privately; posts nothing in the chat, and takes the
    /report itself away when the bot may, so nobody sees who reported."""
    session = await context.session(update)
    services = context.services
    user = message.from_user
    target = message.reply_to_message
    if user is None:
        return
    if target is None:
        await _tell_privately(context, user.id, views.report_how_text(session.t))
        return
    sent = await service.report_message(
        services.group_chats,
        services.roles,
        services.members,
        services.outbox,
        services.clock,
        message.chat_id,
        user.id,
        target.message_id,
    )
    try:
        await message.delete()
    except TelegramError as exc:
        log.info("group chat: /report not deleted (%s)", type(exc).__name__)
    if sent:
        await _tell_privately(context, user.id, views.report_thanks_text(session.t))


async def _tell_privately(context: RangkulContext, user_id: int, text: str) -> None:
    try:
        await context.bot.send_message(user_id, text)
    except TelegramError as exc:  # never started the bot, or blocked it
        log.info("group chat: private answer not sent (%s)", type(exc).__name__)


def private_handlers() -> list[BaseHandler]:
    """The facilitator's private choice of group (features group)."""
    return [
        on_button(LinkChat, choose_group),
        on_button(DropLink, drop_link),
        on_button(ShareJoinLink, share_join_link),
    ]
