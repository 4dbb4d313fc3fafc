"""Single-step commands and buttons of the group network: /groups, browsing and group cards,
a coordinator's overview (archive, invitations, facilitators), /promote and /mygroups.

Buttons are untrusted: every coordinator action re-reads the role of whoever pressed it, and
every group id is looked up again (an archived or unknown group is refused kindly).
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.adapters.chat import show
from bot.adapters.roles import refresh_role_menu
from bot.context import RangkulContext, Session
from bot.domain.deep_links import DeepLink, LinkKind
from bot.domain.groups import Group, GroupSummary, InvitationKind
from bot.domain.regions import province_by_code
from bot.domain.topics import TOPICS
from bot.services import groups as service
from bot.ui import groups as views
from bot.ui.callbacks import args, pattern
from bot.ui.menu import expired_button_text, join_first_text

# Filters of a group list in callback data: gr:list:<filter>:<value>:<page>.
_ALL, _ONLINE, _TOPIC, _PROVINCE = "all", "on", "t", "p"


# --- everyone ----------------------------------------------------------------------------------


async def groups_command(update: Update, context: RangkulContext) -> None:
    """/groups: the overview for coordinators, the search for everyone else."""
    session = await context.session(update)
    if session.is_coordinator:
        summaries = await context.services.groups.list_all()
        await show(update, *views.overview_view(session.t, summaries, 0), edit=False)
        return
    await show(update, *views.browse_home_view(session.t), edit=False)


async def browse_home(update: Update, context: RangkulContext) -> None:
    """The ways to search."""
    session = await context.session(update)
    await show(update, *views.browse_home_view(session.t))


async def choose_topic(update: Update, context: RangkulContext) -> None:
    session = await context.session(update)
    await show(update, *views.topic_choice_view(session.t))


async def province_page(update: Update, context: RangkulContext) -> None:
    session = await context.session(update)
    index = _ints(update)
    await show(update, *views.province_choice_view(session.t, index[0] if index else 0))


async def choose_province(update: Update, context: RangkulContext) -> None:
    """A province picked: its groups, first page."""
    (code,) = args(update.callback_query.data)[:1] or [""]
    await _list(update, context, _PROVINCE, code, 0)


async def group_list(update: Update, context: RangkulContext) -> None:
    """One page of groups for a filter (all, online, a topic or a province)."""
    parts = args(update.callback_query.data)
    if len(parts) != 3 or not parts[2].isdigit():
        await _expired(update, context)
        return
    await _list(update, context, parts[0], parts[1], int(parts[2]))


async def _list(
    update: Update, context: RangkulContext, kind: str, value: str, page_index: int
) -> None:
    session = await context.session(update)
    groups = context.services.groups
    if kind == _ALL:
        found = await groups.browse()
    elif kind == _ONLINE:
        found = await groups.browse(online_only=True)
    elif kind == _TOPIC and value in TOPICS:
        found = await groups.browse(topic=value)
    elif kind == _PROVINCE and province_by_code(value) is not None:
        found = await groups.browse(province=value)
    else:
        await _expired(update, context)
        return
    await show(update, *views.group_list_view(session.t, found, (kind, value), page_index))


async def group_card(update: Update, context: RangkulContext) -> None:
    """A group's card: what it is, where, when it meets next (in the viewer's timezone)."""
    session = await context.session(update)
    group = await _active_group(update, context)
    if group is None:
        return
    services = context.services
    card = await service.group_card(
        services.groups, services.meetings, services.clock, group, session.member
    )
    await show(update, *views.group_card_view(session.t, card, _viewer_tz(context, session)))


async def join(update: Update, context: RangkulContext) -> None:
    """Join a group (after a trial, if the group offers them)."""
    session = await context.session(update)
    if session.member is None:
        await show(update, join_first_text(session.t), edit=False)
        return
    group = await _active_group(update, context)
    if group is None:
        return
    outcome = await service.join_group(
        context.services.groups, context.services.clock, group.id, session.member
    )
    await show(update, views.join_outcome_text(session.t, outcome, group.name), edit=False)


# --- coordinators ------------------------------------------------------------------------------


async def overview(update: Update, context: RangkulContext) -> None:
    """All groups with their counts, paged."""
    session = await _coordinator(update, context)
    if session is None:
        return
    index = _ints(update)
    summaries = await context.services.groups.list_all()
    await show(update, *views.overview_view(session.t, summaries, index[0] if index else 0))


async def manage(update: Update, context: RangkulContext) -> None:
    """One group, with what a coordinator can do to it."""
    summary = await _managed_group(update, context)
    if summary is not None:
        session = await context.session(update)
        await show(update, *views.manage_view(session.t, summary))


async def ask_archive(update: Update, context: RangkulContext) -> None:
    summary = await _managed_group(update, context)
    if summary is not None:
        session = await context.session(update)
        await show(update, *views.archive_confirm_view(session.t, summary.group))


async def archive(update: Update, context: RangkulContext) -> None:
    """Archive confirmed: the group goes, its future meetings are cancelled (with notices)."""
    summary = await _managed_group(update, context)
    if summary is None:
        return
    session = await context.session(update)
    services = context.services
    archived = await service.archive_group(
        services.groups, services.meetings, services.outbox, services.clock, summary.group.id
    )
    if not archived:
        await _refuse(update, views.group_gone_text(session.t))
        return
    await show(update, views.archived_text(session.t, summary.group.name))


async def invite_facilitator_command(update: Update, context: RangkulContext) -> None:
    """/invite_facilitator: which group the new facilitator is for."""
    session = await _coordinator(update, context)
    if session is None:
        return
    summaries = await context.services.groups.list_all()
    await show(update, *views.pick_group_view(session.t, summaries), edit=False)


async def invite_facilitator(update: Update, context: RangkulContext) -> None:
    """A fresh one-time facilitator link for the group (f-<code>, 7 days)."""
    summary = await _managed_group(update, context)
    if summary is None:
        return
    session = await context.session(update)
    services = context.services
    payload = await service.invitation_link_payload(
        services.groups,
        services.clock,
        InvitationKind.FACILITATOR,
        created_by=session.member,
        group_id=summary.group.id,
    )
    text = views.facilitator_link_text(session.t, summary.group.name, _start_url(context, payload))
    await show(update, text, edit=False)


async def promote_command(update: Update, context: RangkulContext) -> None:
    """/promote: a one-time link that makes someone a coordinator (c-<code>, 7 days)."""
    session = await _coordinator(update, context)
    if session is None:
        return
    services = context.services
    payload = await service.invitation_link_payload(
        services.groups, services.clock, InvitationKind.COORDINATOR, created_by=session.member
    )
    await show(
        update, views.promotion_link_text(session.t, _start_url(context, payload)), edit=False
    )


async def facilitators(update: Update, context: RangkulContext) -> None:
    """A group's facilitators by alias, each with Remove."""
    summary = await _managed_group(update, context)
    if summary is None:
        return
    session = await context.session(update)
    people = await context.services.groups.facilitators(summary.group.id)
    await show(update, *views.facilitators_view(session.t, summary.group, people))


async def ask_remove_facilitator(update: Update, context: RangkulContext) -> None:
    found = await _managed_facilitator(update, context)
    if found is not None:
        session = await context.session(update)
        group, member_id, alias = found
        await show(
            update, *views.remove_facilitator_confirm_view(session.t, group, member_id, alias)
        )


async def remove_facilitator(update: Update, context: RangkulContext) -> None:
    """Removal confirmed: the role goes now, and so do their role's commands."""
    found = await _managed_facilitator(update, context)
    if found is None:
        return
    session = await context.session(update)
    group, member_id, alias = found
    services = context.services
    await service.remove_facilitator(services.groups, group.id, member_id)
    removed = await services.members.by_id(member_id)
    if removed is not None:
        await refresh_role_menu(context.bot, services, removed.telegram_id)
    await show(update, views.facilitator_removed_text(session.t, alias, group.name))


# --- /mygroups ---------------------------------------------------------------------------------


async def my_groups(update: Update, context: RangkulContext) -> None:
    """/mygroups: groups one belongs to (with Leave) and facilitates (with their invite link)."""
    session = await context.session(update)
    if session.member is None:
        await show(update, join_first_text(session.t), edit=False)
        return
    groups = context.services.groups
    member_of = [await groups.get(gid) for gid in await groups.member_group_ids(session.member.id)]
    leading = [await groups.get(gid) for gid in session.facilitated_groups]
    leading_groups = sorted((g for g in leading if g is not None), key=_by_name)
    urls = {
        g.id: _start_url(context, DeepLink(LinkKind.GROUP_INVITATION, g.invite_code).payload)
        for g in leading_groups
    }
    view = views.my_groups_view(
        session.t,
        sorted((g for g in member_of if g is not None), key=_by_name),
        leading_groups,
        urls,
    )
    await show(update, *view, edit=update.callback_query is not None)


async def ask_leave(update: Update, context: RangkulContext) -> None:
    session = await context.session(update)
    group = await _active_group(update, context)
    if group is None or session.member is None:
        return
    if not await context.services.groups.is_member(group.id, session.member.id):
        await _refuse(update, views.not_member_text(session.t))
        return
    await show(update, *views.leave_confirm_view(session.t, group))


async def leave(update: Update, context: RangkulContext) -> None:
    """Leaving confirmed: seats released and reminders for the group's meetings dropped."""
    session = await context.session(update)
    group = await _active_group(update, context)
    if group is None or session.member is None:
        return
    services = context.services
    left = await service.leave_group(
        services.groups,
        services.meetings,
        services.outbox,
        services.clock,
        group.id,
        session.member,
    )
    if not left:
        await _refuse(update, views.not_member_text(session.t))
        return
    await show(update, views.left_text(session.t, group.name))


# --- helpers -----------------------------------------------------------------------------------


async def _coordinator(update: Update, context: RangkulContext) -> Session | None:
    """The session if the sender coordinates right now; otherwise they are told, and None."""
    session = await context.session(update)
    if session.is_coordinator:
        return session
    await _refuse(update, views.coordinators_only_text(session.t))
    return None


async def _managed_group(update: Update, context: RangkulContext) -> GroupSummary | None:
    """The active group a coordinator's button is about (first argument), with its counts."""
    session = await _coordinator(update, context)
    if session is None:
        return None
    ids = _ints(update)
    summary = await context.services.groups.summary(ids[0]) if ids else None
    if summary is None:
        await _refuse(update, views.group_gone_text(session.t))
    return summary


async def _managed_facilitator(
    update: Update, context: RangkulContext
) -> tuple[Group, int, str] | None:
    """(group, member id, alias) of a facilitator button, if they still facilitate it."""
    summary = await _managed_group(update, context)
    ids = _ints(update)
    if summary is None or len(ids) != 2:
        return None
    people = dict(await context.services.groups.facilitators(summary.group.id))
    if ids[1] not in people:
        session = await context.session(update)
        await _refuse(update, views.not_a_facilitator_text(session.t))
        return None
    return summary.group, ids[1], people[ids[1]]


async def _active_group(update: Update, context: RangkulContext) -> Group | None:
    ids = _ints(update)
    group = await context.services.groups.get(ids[0]) if ids else None
    if group is None or group.archived:
        session = await context.session(update)
        await _refuse(update, views.group_gone_text(session.t))
        return None
    return group


async def _refuse(update: Update, text: str) -> None:
    """A refusal: an alert on the pressed button, or a message for a command."""
    query = update.callback_query
    if query is not None:
        await query.answer(text, show_alert=True)
    elif update.effective_chat is not None:
        await update.effective_chat.send_message(text)


async def _expired(update: Update, context: RangkulContext) -> None:
    session = await context.session(update)
    await _refuse(update, expired_button_text(session.t))


def _ints(update: Update) -> list[int]:
    """The numeric arguments of the pressed button (empty if any is not a number)."""
    parts = args(update.callback_query.data) if update.callback_query else []
    return [int(p) for p in parts] if all(p.isdigit() for p in parts) else []


def _viewer_tz(context: RangkulContext, session: Session) -> str:
    return session.member.timezone if session.member else context.services.settings.timezone


def _start_url(context: RangkulContext, payload: str) -> str:
    return f"https://t.me/{context.bot.username}?start={payload}"


def _by_name(group: Group) -> str:
    return group.name.casefold()


def handlers() -> list[BaseHandler]:
    """The commands and buttons of this module, for the composition root (group FEATURES)."""
    gr, gc, mg = views.BROWSE_AREA, views.MANAGE_AREA, views.MY_AREA
    buttons = (
        (gr, "home", browse_home),
        (gr, "topics", choose_topic),
        (gr, "provs", province_page),
        (gr, "prov", choose_province),
        (gr, "list", group_list),
        (gr, "card", group_card),
        (gr, "join", join),
        (gc, "list", overview),
        (gc, "open", manage),
        (gc, "arch", ask_archive),
        (gc, "archy", archive),
        (gc, "inv", invite_facilitator),
        (gc, "facs", facilitators),
        (gc, "unfac", ask_remove_facilitator),
        (gc, "unfacy", remove_facilitator),
        (mg, "list", my_groups),
        (mg, "leave", ask_leave),
        (mg, "leavey", leave),
    )
    commands = (
        ("groups", groups_command),
        ("mygroups", my_groups),
        ("invite_facilitator", invite_facilitator_command),
        ("promote", promote_command),
    )
    return [CommandHandler(name, callback) for name, callback in commands] + [
        CallbackQueryHandler(callback, pattern=pattern(area, action))
        for area, action, callback in buttons
    ]
