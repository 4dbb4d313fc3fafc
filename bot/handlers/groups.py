"""Single-step commands and buttons of the group network: /groups, browsing and group cards,
a coordinator's overview (archive, invitations, facilitators), /promote and /mygroups.

Buttons are untrusted: every coordinator action re-reads the role of whoever pressed it, and
every group id is looked up again (an archived or unknown group is refused kindly).
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.context import RangkulContext, Session
from bot.domain.deep_links import DeepLink, LinkKind
from bot.domain.groups import Group, GroupSummary, InvitationKind, JoinOutcome
from bot.domain.regions import province_by_code
from bot.domain.topics import TOPICS
from bot.services import groups as service
from bot.services import meeting_watch, moderation
from bot.telegram_glue.chat import show
from bot.telegram_glue.checkin_offer import with_baseline_offer
from bot.telegram_glue.roles import refresh_role_menu
from bot.ui import group_members, guidelines
from bot.ui import groups as views
from bot.ui.callbacks import on_button
from bot.ui.groups import (
    AskArchive,
    AskLeave,
    AskRemoveFacilitator,
    AskRemoveMember,
    BrowseHome,
    BrowseProvince,
    BrowseProvinces,
    BrowseTopics,
    ConfirmArchive,
    ConfirmLeave,
    ConfirmRemoveFacilitator,
    ConfirmRemoveMember,
    GroupList,
    GroupMembers,
    InviteFacilitator,
    JoinGroup,
    ListFilter,
    ManageGroup,
    MyGroups,
    OpenCard,
    Overview,
    ShowFacilitators,
    WatchMeetings,
)
from bot.ui.menu import expired_button_text, join_first_text
from bot.ui.view import View

# Suggestions above the ways to search (a button lists the rest), and at most in that list.
SUGGESTED_ON_HOME = 3
SUGGESTED_MAX = 40

# --- everyone ----------------------------------------------------------------------------------


async def groups_command(update: Update, context: RangkulContext) -> None:
    """/groups: the overview for coordinators, the search for everyone else."""
    session = await context.session(update)
    if session.is_coordinator:
        summaries = await context.services.groups.list_all()
        await show(update, *views.overview_view(session.t, summaries, 0), edit=False)
        return
    await show(update, *await _browse_home(context, session), edit=False)


async def browse_home(update: Update, context: RangkulContext, _: BrowseHome) -> None:
    """The ways to search."""
    session = await context.session(update)
    await show(update, *await _browse_home(context, session))


async def _browse_home(context: RangkulContext, session: Session) -> View:
    """The ways to search, under the groups that suit a member best."""
    if session.member is None:
        return views.browse_home_view(session.t)
    found = await service.suggested_groups(
        context.services.groups, session.member, SUGGESTED_ON_HOME + 1
    )
    shown = found[:SUGGESTED_ON_HOME]
    return views.browse_home_view(session.t, shown, more=len(found) > len(shown))


async def choose_topic(update: Update, context: RangkulContext, _: BrowseTopics) -> None:
    session = await context.session(update)
    await show(update, *views.topic_choice_view(session.t))


async def province_page(update: Update, context: RangkulContext, action: BrowseProvinces) -> None:
    session = await context.session(update)
    await show(update, *views.province_choice_view(session.t, action.page))


async def choose_province(update: Update, context: RangkulContext, action: BrowseProvince) -> None:
    """A province picked: its groups, first page."""
    await group_list(update, context, GroupList(ListFilter.PROVINCE, action.code, 0))


async def group_list(update: Update, context: RangkulContext, action: GroupList) -> None:
    """One page of groups for a filter (all, online, a topic or a province)."""
    session = await context.session(update)
    groups, value, viewer = context.services.groups, action.value, session.member
    if action.kind is ListFilter.ALL:
        found = await service.browse(groups, viewer)
    elif action.kind is ListFilter.ONLINE:
        found = await service.browse(groups, viewer, online_only=True)
    elif action.kind is ListFilter.TOPIC and value in TOPICS:
        found = await service.browse(groups, viewer, topic=value)
    elif action.kind is ListFilter.PROVINCE and value and province_by_code(value) is not None:
        found = await service.browse(groups, viewer, province=value)
    elif action.kind is ListFilter.SUGGESTED and viewer is not None:
        found = await service.suggested_groups(groups, viewer, SUGGESTED_MAX)
    else:
        await _refuse(update, expired_button_text(session.t))
        return
    await show(update, *views.group_list_view(session.t, found, action))


async def group_card(update: Update, context: RangkulContext, action: OpenCard) -> None:
    """A group's card: what it is, where, when it meets next (in the viewer's timezone)."""
    session = await context.session(update)
    group = await _active_group(update, context, action.group_id)
    if group is None:
        return
    services = context.services
    card = await service.group_card(
        services.groups, services.meetings, services.clock, group, session.member
    )
    tz = _viewer_tz(context, session)
    await show(update, *views.group_card_view(session.t, card, tz, action))


async def watch_meetings(update: Update, context: RangkulContext, action: WatchMeetings) -> None:
    """ "Tell me when a meeting is scheduled" on or off; the card shows which. A second press
    of the same button changes nothing and says so."""
    session = await context.session(update)
    if session.member is None:
        await show(update, join_first_text(session.t), edit=False)
        return
    group = await _active_group(update, context, action.group_id)
    if group is None:
        return
    services = context.services
    changed = await meeting_watch.set_watch(
        services.groups, services.clock, group.id, session.member, action.on
    )
    if not changed:
        await _refuse(update, views.watch_unchanged_text(session.t, action.on), alert=False)
        return
    await group_card(update, context, action.card)


async def join(update: Update, context: RangkulContext, action: JoinGroup) -> None:
    """Join a group (after a trial, if the group offers them)."""
    session = await context.session(update)
    if session.member is None:
        await show(update, join_first_text(session.t), edit=False)
        return
    group = await _active_group(update, context, action.group_id)
    if group is None:
        return
    outcome = await service.join_group(
        context.services.groups, context.services.clock, group.id, session.member
    )
    view: View = (views.join_outcome_text(session.t, outcome, group.name), None)
    if outcome is JoinOutcome.JOINED:
        view = guidelines.with_guidelines(session.t, view)
        view = await with_baseline_offer(context, session.t, session.member, view)
    await show(update, *view, edit=False)


# --- coordinators ------------------------------------------------------------------------------


async def overview(update: Update, context: RangkulContext, action: Overview) -> None:
    """All groups with their counts, paged."""
    session = await _coordinator(update, context)
    if session is None:
        return
    summaries = await context.services.groups.list_all()
    await show(update, *views.overview_view(session.t, summaries, action.page))


async def manage(update: Update, context: RangkulContext, action: ManageGroup) -> None:
    """One group, with what a coordinator can do to it."""
    summary = await _managed_group(update, context, action.group_id)
    if summary is not None:
        session = await context.session(update)
        await show(update, *views.manage_view(session.t, summary))


async def ask_archive(update: Update, context: RangkulContext, action: AskArchive) -> None:
    summary = await _managed_group(update, context, action.group_id)
    if summary is not None:
        session = await context.session(update)
        await show(update, *views.archive_confirm_view(session.t, summary.group))


async def archive(update: Update, context: RangkulContext, action: ConfirmArchive) -> None:
    """Archive confirmed: the group goes, its future meetings are cancelled (with notices), and
    its facilitators lose their commands for it."""
    summary = await _managed_group(update, context, action.group_id)
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
    # Its facilitators facilitate nothing here any more: their menus shrink now.
    for member_id, _alias in await services.groups.facilitators(summary.group.id):
        facilitator = await services.members.by_id(member_id)
        if facilitator is not None:
            await refresh_role_menu(context.bot, services, facilitator.telegram_id)
    await show(update, views.archived_text(session.t, summary.group.name))


async def invite_facilitator_command(update: Update, context: RangkulContext) -> None:
    """/invite_facilitator: which group the new facilitator is for."""
    session = await _coordinator(update, context)
    if session is None:
        return
    summaries = await context.services.groups.list_all()
    await show(update, *views.pick_group_view(session.t, summaries), edit=False)


async def invite_facilitator(
    update: Update, context: RangkulContext, action: InviteFacilitator
) -> None:
    """A fresh one-time facilitator link for the group (f-<code>, 7 days)."""
    summary = await _managed_group(update, context, action.group_id)
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


async def facilitators(update: Update, context: RangkulContext, action: ShowFacilitators) -> None:
    """A group's facilitators by alias, each with Remove."""
    summary = await _managed_group(update, context, action.group_id)
    if summary is None:
        return
    session = await context.session(update)
    people = await context.services.groups.facilitators(summary.group.id)
    await show(update, *views.facilitators_view(session.t, summary.group, people))


async def ask_remove_facilitator(
    update: Update, context: RangkulContext, action: AskRemoveFacilitator
) -> None:
    found = await _managed_facilitator(update, context, action.group_id, action.member_id)
    if found is not None:
        session = await context.session(update)
        group, member_id, alias = found
        await show(
            update, *views.remove_facilitator_confirm_view(session.t, group, member_id, alias)
        )


async def remove_facilitator(
    update: Update, context: RangkulContext, action: ConfirmRemoveFacilitator
) -> None:
    """Removal confirmed: the role goes now, and so do their role's commands."""
    found = await _managed_facilitator(update, context, action.group_id, action.member_id)
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


async def members(update: Update, context: RangkulContext, action: GroupMembers) -> None:
    """A group's members by alias, each with Remove."""
    summary = await _managed_group(update, context, action.group_id)
    if summary is None:
        return
    session = await context.session(update)
    people = await context.services.moderation.group_members(summary.group.id)
    view = group_members.members_view(session.t, summary.group, people, action.page)
    await show(update, *view)


async def ask_remove_member(
    update: Update, context: RangkulContext, action: AskRemoveMember
) -> None:
    found = await _managed_member(update, context, action.group_id, action.member_id)
    if found is not None:
        session = await context.session(update)
        group, alias = found
        view = group_members.remove_member_confirm_view(session.t, group, action.member_id, alias)
        await show(update, *view)


async def remove_member(
    update: Update, context: RangkulContext, action: ConfirmRemoveMember
) -> None:
    """Removal confirmed: as if they left (seats released), they are told, and it is logged.
    A second press finds them no longer a member and changes nothing."""
    found = await _managed_member(update, context, action.group_id, action.member_id)
    session = await context.session(update)
    if found is None or session.member is None:
        return
    group, alias = found
    s = context.services
    removed = await moderation.remove_member(
        s.groups,
        s.meetings,
        s.outbox,
        s.moderation,
        s.clock,
        session.member,
        group.id,
        action.member_id,
    )
    if not removed:
        await _refuse(update, group_members.not_a_member_text(session.t))
        return
    await show(update, group_members.member_removed_text(session.t, alias, group.name))


# --- /mygroups ---------------------------------------------------------------------------------


async def my_groups(update: Update, context: RangkulContext, _: MyGroups | None = None) -> None:
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


async def ask_leave(update: Update, context: RangkulContext, action: AskLeave) -> None:
    session = await context.session(update)
    group = await _active_group(update, context, action.group_id)
    if group is None or session.member is None:
        return
    if not await context.services.groups.is_member(group.id, session.member.id):
        await _refuse(update, views.not_member_text(session.t))
        return
    await show(update, *views.leave_confirm_view(session.t, group))


async def leave(update: Update, context: RangkulContext, action: ConfirmLeave) -> None:
    """Leaving confirmed: seats released and reminders for the group's meetings dropped."""
    session = await context.session(update)
    group = await _active_group(update, context, action.group_id)
    if group is None or session.member is None:
        return
    services = context.services
    left = await service.leave_group(
        services.groups,
        services.meetings,
        services.outbox,
        services.buddies,
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


async def _managed_group(
    update: Update, context: RangkulContext, group_id: int
) -> GroupSummary | None:
    """The active group a coordinator's button is about, with its counts."""
    session = await _coordinator(update, context)
    if session is None:
        return None
    summary = await context.services.groups.summary(group_id)
    if summary is None:
        await _refuse(update, views.group_gone_text(session.t))
    return summary


async def _managed_facilitator(
    update: Update, context: RangkulContext, group_id: int, member_id: int
) -> tuple[Group, int, str] | None:
    """(group, member id, alias) of a facilitator button, if they still facilitate it."""
    summary = await _managed_group(update, context, group_id)
    if summary is None:
        return None
    people = dict(await context.services.groups.facilitators(summary.group.id))
    if member_id not in people:
        session = await context.session(update)
        await _refuse(update, views.not_a_facilitator_text(session.t))
        return None
    return summary.group, member_id, people[member_id]


async def _managed_member(
    update: Update, context: RangkulContext, group_id: int, member_id: int
) -> tuple[Group, str] | None:
    """(group, alias) of a member button, if they are still a member of the group."""
    summary = await _managed_group(update, context, group_id)
    if summary is None:
        return None
    people = dict(await context.services.moderation.group_members(summary.group.id))
    if member_id not in people:
        session = await context.session(update)
        await _refuse(update, group_members.not_a_member_text(session.t))
        return None
    return summary.group, people[member_id]


async def _active_group(update: Update, context: RangkulContext, group_id: int) -> Group | None:
    group = await context.services.groups.get(group_id)
    if group is None or group.archived:
        session = await context.session(update)
        await _refuse(update, views.group_gone_text(session.t))
        return None
    return group


async def _refuse(update: Update, text: str, *, alert: bool = True) -> None:
    """A refusal: an alert (or a toast) on the pressed button, or a message for a command."""
    query = update.callback_query
    if query is not None:
        await query.answer(text, show_alert=alert)
    elif update.effective_chat is not None:
        await update.effective_chat.send_message(text)


def _viewer_tz(context: RangkulContext, session: Session) -> str:
    return session.member.timezone if session.member else context.services.settings.timezone


def _start_url(context: RangkulContext, payload: str) -> str:
    return f"https://t.me/{context.bot.username}?start={payload}"


def _by_name(group: Group) -> str:
    return group.name.casefold()


def handlers() -> list[BaseHandler]:
    """The commands and buttons of this module, for the composition root (group FEATURES)."""
    commands = (
        ("groups", groups_command),
        ("mygroups", my_groups),
        ("invite_facilitator", invite_facilitator_command),
        ("promote", promote_command),
    )
    return [
        *(CommandHandler(name, callback) for name, callback in commands),
        on_button(BrowseHome, browse_home),
        on_button(BrowseTopics, choose_topic),
        on_button(BrowseProvinces, province_page),
        on_button(BrowseProvince, choose_province),
        on_button(GroupList, group_list),
        on_button(OpenCard, group_card),
        on_button(WatchMeetings, watch_meetings),
        on_button(JoinGroup, join),
        on_button(Overview, overview),
        on_button(ManageGroup, manage),
        on_button(AskArchive, ask_archive),
        on_button(ConfirmArchive, archive),
        on_button(InviteFacilitator, invite_facilitator),
        on_button(ShowFacilitators, facilitators),
        on_button(AskRemoveFacilitator, ask_remove_facilitator),
        on_button(ConfirmRemoveFacilitator, remove_facilitator),
        on_button(GroupMembers, members),
        on_button(AskRemoveMember, ask_remove_member),
        on_button(ConfirmRemoveMember, remove_member),
        on_button(MyGroups, my_groups),
        on_button(AskLeave, ask_leave),
        on_button(ConfirmLeave, leave),
    ]
