"""What a /start deep link opens once the person is registered, and each role's command menu.

Onboarding calls :func:`open_deep_link` when it finishes and when a member opens a link: a
group invitation (``g-``) shows that group's card; a facilitator invitation (``f-``) or a
coordinator promotion (``c-``) grants the role once, and the person's command menu follows.
"""

from __future__ import annotations

import logging

from telegram import Bot, BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import Application

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

    Also sets the command menu of a coordinator who has just signed up (ADMIN_IDS), so it is
    safe to call with ``None`` after onboarding.
    """
    session = await context.session(update)
    if session.member is None:
        return
    link = parse_deep_link(payload)
    role_changed = False
    if link is not None and link.kind is LinkKind.GROUP_INVITATION:
        await _show_invited_group(update, context, session.member, link.value)
    elif link is not None and link.kind in _ROLE_LINKS:
        role_changed = await _claim_role(update, context, session.member, link)
    if role_changed or session.is_coordinator:
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
) -> bool:
    """Uses a role link; True if the person now has a role they did not have."""
    session, services = await context.session(update), context.services
    t = session.t
    claimed = await group_service.accept_invitation(
        services.groups, services.members, services.clock, link, member
    )
    if claimed.problem is not None:
        await follow_up(update, views.invitation_refusal(t, claimed.problem))
        return False
    assert claimed.invitation is not None
    if claimed.invitation.kind is InvitationKind.FACILITATOR:
        group = await services.groups.get(claimed.invitation.group_id or 0)
        name = group.name if group else ""
        await follow_up(update, views.now_facilitator_text(t, name, already=claimed.already))
    else:
        await follow_up(update, views.now_coordinator_text(t, already=claimed.already))
    context.forget_session()
    return not claimed.already


async def refresh_role_menu(bot: Bot, services: Services, telegram_id: int) -> None:
    """Sets (or clears) the person's own command menu after their roles changed."""
    holders = await services.groups.role_holders(
        services.settings.admin_ids, telegram_id=telegram_id
    )
    scope = BotCommandScopeChat(chat_id=telegram_id)
    try:
        if holders:
            await _set_menu(bot, holders[0])
        else:
            await bot.delete_my_commands(scope=scope)
    except TelegramError as exc:
        # A menu is a convenience: the commands work without it, so never fail the flow.
        log.warning("Could not update a role command menu: %s", type(exc).__name__)


async def set_role_menus(application: Application) -> None:
    """At start-up: the command menu of every registered coordinator and facilitator."""
    services: Services = application.bot_data["services"]
    for holder in await services.groups.role_holders(services.settings.admin_ids):
        try:
            await _set_menu(application.bot, holder)
        except TelegramError as exc:
            log.warning("Could not set a role command menu: %s", type(exc).__name__)


async def _set_menu(bot: Bot, holder: RoleHolder) -> None:
    # One menu per chat in the language the person chose in the bot (not their app's language).
    commands = role_commands(
        get_translator(holder.language),
        coordinator=holder.is_coordinator,
        facilitator=holder.is_facilitator,
    )
    await bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id=holder.telegram_id))
