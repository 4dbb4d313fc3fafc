"""What a /start deep link opens once the person is registered, and each member's command menu.

Onboarding calls :func:`open_deep_link` when it finishes and when a member opens a link: a
group invitation (``g-``) shows that group's card; a facilitator invitation (``f-``) or a
coordinator promotion (``c-``) grants the role once, and the person's command menu follows.

Every member has a menu of their own (per chat, one ``setMyCommands`` each): in the language
they chose in the bot, which Telegram's per-language menus cannot give (those follow the app's
language: an Indonesian phone showed the Indonesian menu to someone who chose English), with
their role's commands. When the language or a role changes, the menu follows at once
(:func:`refresh_role_menu`). Every menu set is stored (``command_menus``), so start-up need not
set them all again in front of the first ``getUpdates`` (503 calls for a network of 500
facilitators: 28 s before anyone got an answer with Telegram 50 ms away). Instead a JobQueue job
(:func:`install_role_menus`) sets, a batch per heartbeat, only the menus that differ from the
stored ones (a new language, new commands, a role gained or lost while the bot was down, members
who joined before menus were their own) and clears those of people who are gone; a restart
resumes where it stopped.
"""

from __future__ import annotations

import functools
import json
import logging
from dataclasses import dataclass, field

from telegram import Bot, BotCommand, BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from bot.context import RangkulContext
from bot.domain.deep_links import DeepLink, LinkKind, parse_deep_link
from bot.domain.groups import InvitationKind, RoleHolder
from bot.domain.member import Member
from bot.i18n import get_translator
from bot.services import groups as group_service
from bot.services.container import Services
from bot.telegram_glue.chat import follow_up
from bot.ui import groups as views
from bot.ui.commands import role_commands

log = logging.getLogger(__name__)
_ROLE_LINKS = (LinkKind.FACILITATOR_INVITATION, LinkKind.COORDINATOR_PROMOTION)


async def open_deep_link(update: Update, context: RangkulContext, payload: str | None) -> None:
    """Acts on a ``g-``/``f-``/``c-`` payload for a registered person (others are ignored).

    Also sets the command menu of someone who has just signed up (in the language they chose,
    with a coordinator's commands for ADMIN_IDS), so it is safe to call with ``None`` after
    onboarding.
    """
    session = await context.session(update)
    if session.member is None:
        return
    link = parse_deep_link(payload)
    if link is not None and link.kind is LinkKind.GROUP_INVITATION:
        await _show_invited_group(update, context, session.member, link.value)
    elif link is not None and link.kind in _ROLE_LINKS:
        await _claim_role(update, context, session.member, link)
    await refresh_role_menu(context.bot, context.services, session.member.telegram_id)


async def _show_invited_group(
    update: Update, context: RangkulContext, member: Member, code: str
) -> None:
    session, services = await context.session(update), context.services
    group = await services.groups.by_invite_code(code)
    if group is None:
        await follow_up(update, views.group_gone_text(session.t))
        return
    card = await group_service.group_card(
        services.groups, services.meetings, services.clock, group, member
    )
    await follow_up(update, *views.group_card_view(session.t, card, member.timezone))


async def _claim_role(
    update: Update, context: RangkulContext, member: Member, link: DeepLink
) -> None:
    """Uses a role link (the menu follows in :func:`open_deep_link`)."""
    session, services = await context.session(update), context.services
    t = session.t
    claimed = await group_service.accept_invitation(
        services.groups, services.members, services.clock, link, member
    )
    if claimed.problem is not None:
        await follow_up(update, views.invitation_refusal(t, claimed.problem))
        return
    assert claimed.invitation is not None
    if claimed.invitation.kind is InvitationKind.FACILITATOR:
        group = await services.groups.get(claimed.invitation.group_id or 0)
        name = group.name if group else ""
        await follow_up(update, views.now_facilitator_text(t, name, already=claimed.already))
    else:
        await follow_up(update, views.now_coordinator_text(t, already=claimed.already))
    context.forget_session()


async def refresh_role_menu(bot: Bot, services: Services, telegram_id: int) -> None:
    """Sets the person's own command menu after their language or roles changed (nothing is
    sent if Telegram has it already), or clears it when they are gone (/forget)."""
    holders = await services.groups.menu_holders(
        services.settings.admin_ids, telegram_id=telegram_id
    )
    try:
        if holders:
            menu = _menu(holders[0])
            if await services.command_menus.of(telegram_id) != menu.text:
                await _set_menu(bot, services, telegram_id, menu)
        else:
            await _clear_menu(bot, services, telegram_id)
    except TelegramError as exc:
        # A menu is a convenience: the commands work without it, so never fail the flow.
        log.warning("Could not update a role command menu: %s", type(exc).__name__)


# Start-up: menus set per heartbeat of the job, and the heartbeat. At 50 ms a call, 10 menus
# take half a second of every second: people's replies keep most of the connection.
MENU_BATCH = 10
MENU_INTERVAL_SECONDS = 1.0
ROLE_MENUS_JOB = "role menus"


@dataclass(frozen=True)
class _Menu:
    commands: tuple[BotCommand, ...]
    text: str  # as stored in command_menus, to compare with


# (chat, the menu it should have); None: it should have no menu of its own.
MenuChange = tuple[int, _Menu | None]


@dataclass
class _MenuSync:
    """The job's state in this process: menus still to change, and chats Telegram refused
    (not retried until the next start, so the job ends)."""

    pending: list[MenuChange] = field(default_factory=list)
    refused: set[int] = field(default_factory=set)


def install_role_menus(application: Application) -> None:
    """Runs :func:`sync_role_menus` every second from start until every menu is as stored."""
    job_queue = application.job_queue
    if job_queue is None:
        raise RuntimeError("role menus need PTB's JobQueue (python-telegram-bot[job-queue])")
    job_queue.run_repeating(
        sync_role_menus,
        interval=MENU_INTERVAL_SECONDS,
        first=MENU_INTERVAL_SECONDS,
        name=ROLE_MENUS_JOB,
        data=_MenuSync(),
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )


async def sync_role_menus(context: ContextTypes.DEFAULT_TYPE) -> None:
    """One heartbeat: up to MENU_BATCH menus that differ from the stored ones are set or
    cleared; once a fresh look finds nothing left to change, the job ends."""
    assert context.job is not None
    sync: _MenuSync = context.job.data  # type: ignore[assignment]
    services: Services = context.bot_data["services"]
    if not sync.pending:
        # Looked at afresh when the list runs out: a role that changed meanwhile is seen.
        changes = await menu_changes(services)
        sync.pending = [change for change in changes if change[0] not in sync.refused]
        if not sync.pending:
            context.job.schedule_removal()
            return
    batch, sync.pending = sync.pending[:MENU_BATCH], sync.pending[MENU_BATCH:]
    sync.refused |= await _apply(context.bot, services, batch)


async def set_role_menus(application: Application) -> None:
    """Every menu that differs, now, in one go: for the sandbox, whose few people should see
    their menus from the first moment (a real network leaves it to the job)."""
    services: Services = application.bot_data["services"]
    await _apply(application.bot, services, await menu_changes(services))


async def _apply(bot: Bot, services: Services, changes: list[MenuChange]) -> set[int]:
    """Sets or clears each menu; returns the chats Telegram refused."""
    refused: set[int] = set()
    for chat_id, menu in changes:
        try:
            if menu is None:
                await _clear_menu(bot, services, chat_id)
            else:
                await _set_menu(bot, services, chat_id, menu)
        except TelegramError as exc:
            refused.add(chat_id)
            log.warning("Could not set a role command menu: %s", type(exc).__name__)
    return refused


async def menu_changes(services: Services) -> list[MenuChange]:
    """(chat, menu) for every member whose stored menu differs, then (chat, None) for every
    stored menu of someone who is no longer a member."""
    stored = await services.command_menus.all()
    changes: list[MenuChange] = []
    for holder in await services.groups.menu_holders(services.settings.admin_ids):
        menu = _menu(holder)
        if stored.pop(holder.telegram_id, None) != menu.text:
            changes.append((holder.telegram_id, menu))
    changes.extend((chat_id, None) for chat_id in stored)
    return changes


def _menu(holder: RoleHolder) -> _Menu:
    # One menu per chat in the language the person chose in the bot (not their app's language).
    return _menu_of(holder.language, holder.is_coordinator, holder.is_facilitator)


@functools.cache
def _menu_of(language: str, coordinator: bool, facilitator: bool) -> _Menu:
    # A handful of distinct menus (language x roles), built once: start-up compares every
    # member's, and building 10,000 lists of BotCommands held the event loop for ~2 s.
    commands = role_commands(
        get_translator(language), coordinator=coordinator, facilitator=facilitator
    )
    text = json.dumps([[c.command, c.description] for c in commands], ensure_ascii=False)
    return _Menu(tuple(commands), text)


async def _set_menu(bot: Bot, services: Services, chat_id: int, menu: _Menu) -> None:
    await bot.set_my_commands(menu.commands, scope=BotCommandScopeChat(chat_id=chat_id))
    await services.command_menus.record(chat_id, menu.text)


async def _clear_menu(bot: Bot, services: Services, chat_id: int) -> None:
    try:
        await bot.delete_my_commands(scope=BotCommandScopeChat(chat_id=chat_id))
    finally:
        # Forgotten even when Telegram failed: the row names a Telegram account, and is kept
        # no longer than the role.
        await services.command_menus.forget(chat_id)
