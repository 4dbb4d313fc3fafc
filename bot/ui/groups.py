"""Texts and keyboards of the group network: group cards, browsing, a coordinator's overview,
role links and /mygroups. Group names and descriptions are user text: always escaped by ``t``.
"""

from __future__ import annotations

import enum
import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Annotated

from bot.domain.groups import (
    CITY_LENGTH,
    DESCRIPTION_LENGTH,
    MAX_MEMBERS_RANGE,
    NAME_LENGTH,
    TRIAL_SEATS_RANGE,
    EditableField,
    Group,
    GroupCard,
    GroupFormat,
    GroupProblem,
    GroupSummary,
    InvitationProblem,
    JoinOutcome,
)
from bot.domain.paging import page
from bot.domain.regions import province_by_code
from bot.domain.topics import TOPICS
from bot.i18n import N_, Translator, tz_abbreviation
from bot.ui.callbacks import CallbackData, MaxLen, Natural
from bot.ui.keyboards import Button, in_rows, inline
from bot.ui.labels import LANGUAGE_NAMES, TOPIC_LABELS
from bot.ui.pickers import ProvinceCode, province_label, province_rows
from bot.ui.view import View

GROUPS_PER_PAGE = 8


# --- buttons: browsing (everyone, area gr) ----------------------------------------------------


@dataclass(frozen=True)
class BrowseHome(CallbackData, prefix="gr:home"):
    pass


@dataclass(frozen=True)
class BrowseTopics(CallbackData, prefix="gr:topics"):
    pass


@dataclass(frozen=True)
class BrowseProvinces(CallbackData, prefix="gr:provs"):
    page: Natural


@dataclass(frozen=True)
class BrowseProvince(CallbackData, prefix="gr:prov"):
    code: ProvinceCode


class ListFilter(enum.StrEnum):
    ALL = "all"
    ONLINE = "on"
    TOPIC = "t"  # the value is a topic code
    PROVINCE = "p"  # the value is a province code
    SUGGESTED = "s"  # groups sharing the viewer's topics (bot.domain.group_ranking)


# A list's topic or province code (at most 10 characters) on the buttons that carry the list
# a card was opened from, so those fit Telegram's 64 bytes at their largest.
ListValue = Annotated[str, MaxLen(10)]


@dataclass(frozen=True)
class GroupList(CallbackData, prefix="gr:list"):
    """One page of groups found; ``value`` is None for all and online groups (buttons sent
    before this class spell it "-", which those filters never read)."""

    kind: ListFilter
    value: Annotated[str, MaxLen(16)] | None
    page: Natural


@dataclass(frozen=True)
class OpenCard(CallbackData, prefix="gr:card"):
    """A group's card. Opened from a list it carries that list (filter and page), so the
    card's way back returns there; from anywhere else (and on buttons sent before lists were
    carried) the group only."""

    group_id: Natural
    kind: ListFilter | None = None
    value: ListValue | None = None
    page: Natural | None = None

    @property
    def came_from(self) -> GroupList | None:
        if self.kind is None:
            return None
        return GroupList(self.kind, self.value, self.page or 0)


def card_from(listed: GroupList | None, group_id: int) -> OpenCard:
    """The button of a group on the page ``listed`` (None: not on a list)."""
    if listed is None:
        return OpenCard(group_id)
    # Only topic and province lists read their value (others may carry an old "-").
    value = listed.value if listed.kind in (ListFilter.TOPIC, ListFilter.PROVINCE) else None
    return OpenCard(group_id, listed.kind, value, listed.page)


@dataclass(frozen=True)
class WatchMeetings(
    CallbackData,
    prefix="gr:watch",
    own_idempotence="says the notice is already switched on or off",
):
    """ "Tell me when a meeting is scheduled" (``on``) or no longer, on a card without one;
    it carries the card's list like :class:`OpenCard`."""

    group_id: Natural
    on: bool
    kind: ListFilter | None = None
    value: ListValue | None = None
    page: Natural | None = None

    @property
    def card(self) -> OpenCard:
        return OpenCard(self.group_id, self.kind, self.value, self.page)


@dataclass(frozen=True)
class JoinGroup(CallbackData, prefix="gr:join"):
    group_id: Natural


@dataclass(frozen=True)
class TrySession(CallbackData, prefix="mt:trial"):
    """On a group card and in /trial; the meetings feature answers it."""

    group_id: Natural


# --- buttons: coordinators (area gc) -----------------------------------------------------------


@dataclass(frozen=True)
class Overview(CallbackData, prefix="gc:list"):
    page: Natural


@dataclass(frozen=True)
class ManageGroup(CallbackData, prefix="gc:open"):
    group_id: Natural


@dataclass(frozen=True)
class StartNewGroup(CallbackData, prefix="gc:new"):
    pass


@dataclass(frozen=True)
class EditGroup(CallbackData, prefix="gc:edit"):
    group_id: Natural


@dataclass(frozen=True)
class ShowFacilitators(CallbackData, prefix="gc:facs"):
    group_id: Natural


@dataclass(frozen=True)
class InviteFacilitator(CallbackData, prefix="gc:inv"):
    group_id: Natural


@dataclass(frozen=True)
class AskArchive(CallbackData, prefix="gc:arch"):
    group_id: Natural


@dataclass(frozen=True)
class ConfirmArchive(CallbackData, prefix="gc:archy"):
    group_id: Natural


@dataclass(frozen=True)
class AskRemoveFacilitator(CallbackData, prefix="gc:unfac"):
    group_id: Natural
    member_id: Natural


@dataclass(frozen=True)
class ConfirmRemoveFacilitator(CallbackData, prefix="gc:unfacy"):
    group_id: Natural
    member_id: Natural


@dataclass(frozen=True)
class GroupMembers(CallbackData, prefix="gc:mems"):
    """A group's members, each with Remove (bot/ui/group_members.py)."""

    group_id: Natural
    page: Natural


@dataclass(frozen=True)
class AskRemoveMember(CallbackData, prefix="gc:unmem"):
    group_id: Natural
    member_id: Natural


@dataclass(frozen=True)
class ConfirmRemoveMember(
    CallbackData,
    prefix="gc:unmemy",
    own_idempotence="says the member is no longer in the group",
):
    group_id: Natural
    member_id: Natural


# --- buttons: /mygroups (area mg) ------------------------------------------------------------


@dataclass(frozen=True)
class MyGroups(CallbackData, prefix="mg:list"):
    pass


@dataclass(frozen=True)
class AskLeave(CallbackData, prefix="mg:leave"):
    group_id: Natural


@dataclass(frozen=True)
class ConfirmLeave(
    CallbackData,
    prefix="mg:leavey",
    own_idempotence="says the person is not a member any more",
):
    group_id: Natural


FORMAT_LABELS: dict[GroupFormat, str] = {
    GroupFormat.ONLINE: N_("Online"),
    GroupFormat.IN_PERSON: N_("In person"),
    GroupFormat.HYBRID: N_("In person and online"),
}
FIELD_LABELS: dict[EditableField, str] = {
    EditableField.NAME: N_("Name"),
    EditableField.DESCRIPTION: N_("Description"),
    EditableField.MAX_MEMBERS: N_("Maximum size"),
    EditableField.TRIAL_SEATS: N_("Trial seats per meeting"),
    EditableField.REMINDERS: N_("Reminders"),
}
FIELD_BOUNDS: dict[EditableField, tuple[int, int]] = {
    EditableField.NAME: NAME_LENGTH,
    EditableField.DESCRIPTION: DESCRIPTION_LENGTH,
    EditableField.MAX_MEMBERS: MAX_MEMBERS_RANGE,
    EditableField.TRIAL_SEATS: TRIAL_SEATS_RANGE,
}


# --- pieces ----------------------------------------------------------------------------------


def languages_text(languages: Sequence[str]) -> str:
    return ", ".join(LANGUAGE_NAMES.get(code, code) for code in languages)


def topics_text(t: Translator, topics: Sequence[str]) -> str:
    return ", ".join(t(TOPIC_LABELS[code]) for code in TOPICS if code in topics)


def place_text(t: Translator, group: Group) -> str:
    """Format, and where in-person meetings happen."""
    label = t(FORMAT_LABELS[group.format])
    province = province_by_code(group.province) if group.province else None
    if not group.format.meets_in_person or province is None:
        return label
    return t(
        "{format} — {city}, {province}",
        format=label,
        city=group.city or "",
        province=province_label(t, province),
    )


def when_text(t: Translator, moment: datetime, tz: str) -> str:
    """A meeting time in the viewer's timezone, with its zone (WIB/WITA/WIT) spelled out."""
    return f"{t.format_date(moment, tz, 'full')}, {t.format_time(moment, tz)} {tz_abbreviation(tz)}"


def nav_row(
    t: Translator, turn: Callable[[int], CallbackData], index: int, has_prev: bool, has_next: bool
) -> list[Button]:
    nav: list[Button] = []
    if has_prev:
        nav.append(("◀ " + t("Previous"), turn(index - 1)))
    if has_next:
        nav.append((t("Next") + " ▶", turn(index + 1)))
    return nav


# --- browsing (everyone) -----------------------------------------------------------------------


def browse_home_view(t: Translator, suggestions: Sequence[Group] = (), more: bool = False) -> View:
    """The ways to search; above them, groups that match the viewer's topics (``more``: there
    are others, a button lists them all)."""
    parts = [
        t(
            "<b>Find a support group</b> 🤝\n\nHow would you like to look? Every group is free, "
            "and you can try one session without any commitment."
        )
    ]
    rows: list[list[Button]] = [[(g.name, OpenCard(g.id))] for g in suggestions]
    if suggestions:
        parts.append(
            t(
                "✨ These groups match the topics you chose, the nearest first. Or look in your "
                "own way:"
            )
        )
    if more:
        rows.append([(t("✨ More groups for you"), GroupList(ListFilter.SUGGESTED, None, 0))])
    return "\n\n".join(parts), inline(
        [
            *rows,
            [(t("🏷 By topic"), BrowseTopics())],
            [(t("📍 By province"), BrowseProvinces(0))],
            [(t("🌐 Online only"), GroupList(ListFilter.ONLINE, None, 0))],
            [(t("📋 All groups"), GroupList(ListFilter.ALL, None, 0))],
        ]
    )


def topic_choice_view(t: Translator) -> View:
    buttons = [(t(TOPIC_LABELS[code]), GroupList(ListFilter.TOPIC, code, 0)) for code in TOPICS]
    rows = [*in_rows(buttons, per_row=2), [_back_home(t)]]
    return t("Which topic?"), inline(rows)


def province_choice_view(t: Translator, page_index: int) -> View:
    rows = province_rows(t, page_index, BrowseProvince, BrowseProvinces)
    rows.append([_back_home(t)])
    return t("Which province?"), inline(rows)


def group_list_view(t: Translator, groups: Sequence[Group], listed: GroupList) -> View:
    """The page ``listed`` of the groups found, each a button that opens its card."""
    items, has_prev, has_next = page(groups, listed.page, GROUPS_PER_PAGE)
    rows: list[list[Button]] = [[(g.name, card_from(listed, g.id))] for g in items]
    if not groups:
        text = t(
            "No group matches yet. New groups start all the time: try another search, or look "
            "at the online groups."
        )
        if listed.kind is not ListFilter.ONLINE:
            rows.append([(t("🌐 Online groups"), GroupList(ListFilter.ONLINE, None, 0))])
    else:
        text = t.plural(
            "I found {n} group. Tap it to see more.",
            "I found {n} groups. Tap one to see more.",
            len(groups),
        )
    nav = nav_row(t, lambda p: replace(listed, page=p), listed.page, has_prev, has_next)
    if nav:
        rows.append(nav)
    rows.append([_back_home(t)])
    return text, inline(rows)


def group_card_view(
    t: Translator, card: GroupCard, viewer_tz: str, opened: OpenCard | None = None
) -> View:
    """The card as ``opened`` (None: not from a button of this area, such as a group link)."""
    group = card.group
    lines = [
        f"<b>{html.escape(group.name)}</b>",
        html.escape(group.description),
        "",
        f"📍 {place_text(t, group)}",
        f"🗣 {languages_text(group.languages)}",
        f"🏷 {topics_text(t, group.topics)}",
    ]
    if card.next_meeting_at is not None:
        lines.append(
            t("📅 Next meeting: {when}", when=when_text(t, card.next_meeting_at, viewer_tz))
        )
        if card.is_member or not group.offers_trials:
            lines.append(t.plural("🪑 {n} seat left", "🪑 {n} seats left", card.seats_left or 0))
        else:
            lines.append(
                t.plural(
                    "🌱 {n} trial seat left", "🌱 {n} trial seats left", card.trial_seats_left or 0
                )
            )
    else:
        lines.append(t("📅 No meeting is scheduled yet."))
        if card.watching:
            lines.append(t("🔔 I'll tell you as soon as a meeting is scheduled."))
    if card.is_member:
        lines.append(t("✅ You are a member of this group."))
    opened = opened or OpenCard(group.id)
    rows: list[list[Button]] = []
    if card.next_meeting_at is None:
        # Nothing to try yet: the way forward is hearing when there is.
        watch = WatchMeetings(group.id, not card.watching, opened.kind, opened.value, opened.page)
        if card.watching:
            label = t("🔕 No need to tell me")
        else:
            label = t("🔔 Tell me when a meeting is scheduled")
        rows.append([(label, watch)])
    elif group.offers_trials and not card.is_member:
        rows.append([(t("🌱 Try a session"), TrySession(group.id))])
    if card.can_join:
        rows.append([(t("🤝 Join this group"), JoinGroup(group.id))])
    back = opened.came_from
    rows.append([("◀ " + t("Back to the list"), back) if back else _back_home(t)])
    return "\n".join(lines), inline(rows)


def watch_unchanged_text(t: Translator, on: bool) -> str:
    """The toast of a second press of the same watch button."""
    if on:
        return t("Done already: I'll tell you when a meeting is scheduled.")
    return t("Done already: I won't send you a notice about this group.")


def meeting_scheduled_view(
    t: Translator, group: Group, starts_at: datetime, viewer_tz: str, *, can_try: bool
) -> View:
    """The notice to someone who asked to be told when ``group`` schedules a meeting."""
    text = t(
        "📅 <b>{name}</b> has scheduled a meeting: {when}. You asked me to tell you.",
        name=group.name,
        when=when_text(t, starts_at, viewer_tz),
    )
    rows: list[list[Button]] = []
    if can_try:
        rows.append([(t("🌱 Try a session"), TrySession(group.id))])
    rows.append([(t("👥 Open the group card"), OpenCard(group.id))])
    return text, inline(rows)


def join_outcome_text(t: Translator, outcome: JoinOutcome, group_name: str) -> str:
    return {
        JoinOutcome.JOINED: t(
            "Welcome to <b>{name}</b>! 🌱 You'll find it in /mygroups.", name=group_name
        ),
        JoinOutcome.ALREADY_MEMBER: t(
            "You are already a member of <b>{name}</b>.", name=group_name
        ),
        JoinOutcome.NEEDS_TRIAL: t(
            'This group asks newcomers to try one session first. Tap "Try a session" on its card.'
        ),
        JoinOutcome.FULL: t(
            "Sorry, <b>{name}</b> is full at the moment. Try again later, or look for another "
            "group.",
            name=group_name,
        ),
        JoinOutcome.GONE: group_gone_text(t),
    }[outcome]


def _back_home(t: Translator) -> Button:
    return ("◀ " + t("Back to search"), BrowseHome())


# --- coordinators --------------------------------------------------------------------------


def overview_view(t: Translator, summaries: Sequence[GroupSummary], page_index: int) -> View:
    items, has_prev, has_next = page(summaries, page_index, GROUPS_PER_PAGE)
    lines = [t("<b>All groups</b> ({n})", n=len(summaries))]
    for summary in items:
        lines.append(
            t(
                "• {name}: {members}, {facilitators}",
                name=summary.group.name,
                members=t.plural("{n} member", "{n} members", summary.member_count),
                facilitators=t.plural(
                    "{n} facilitator", "{n} facilitators", summary.facilitator_count
                ),
            )
        )
    if not summaries:
        lines.append(t("There are no groups yet."))
    rows: list[list[Button]] = [[(s.group.name, ManageGroup(s.group.id))] for s in items]
    nav = nav_row(t, Overview, page_index, has_prev, has_next)
    if nav:
        rows.append(nav)
    rows.append([(t("🆕 New group"), StartNewGroup())])
    rows.append([(t("🔎 Browse as a member would"), BrowseHome())])
    return "\n".join(lines), inline(rows)


def manage_view(t: Translator, summary: GroupSummary) -> View:
    group = summary.group
    lines = [
        f"<b>{html.escape(group.name)}</b>",
        f"📍 {place_text(t, group)}",
        t(
            "👥 {members} of at most {max}; {facilitators}",
            members=t.plural("{n} member", "{n} members", summary.member_count),
            max=group.max_members,
            facilitators=t.plural("{n} facilitator", "{n} facilitators", summary.facilitator_count),
        ),
        t("🌱 Trial seats per meeting: {seats}", seats=group.trial_seats)
        if group.offers_trials
        else t("🌱 No trial sessions."),
    ]
    gid = group.id
    return "\n".join(lines), inline(
        [
            [
                (t("✏️ Edit"), EditGroup(gid)),
                (t("👥 Facilitators"), ShowFacilitators(gid)),
            ],
            [(t("🙋 Members"), GroupMembers(gid, 0))],
            [(t("✉️ Invite a facilitator"), InviteFacilitator(gid))],
            [(t("🗄 Archive"), AskArchive(gid))],
            [("◀ " + t("All groups"), Overview(0))],
        ]
    )


def archive_confirm_view(t: Translator, group: Group) -> View:
    text = t(
        "Archive <b>{name}</b>? Its future meetings are cancelled and everyone with a seat is "
        "told. The group disappears from the search. This cannot be undone here.",
        name=group.name,
    )
    return text, inline(
        [
            [(t("Yes, archive it"), ConfirmArchive(group.id))],
            [(t("No, keep it"), ManageGroup(group.id))],
        ]
    )


def archived_text(t: Translator, name: str) -> str:
    return t("<b>{name}</b> is archived and its future meetings are cancelled.", name=name)


def facilitators_view(t: Translator, group: Group, facilitators: Sequence[tuple[int, str]]) -> View:
    if facilitators:
        text = (
            t("<b>Facilitators of {name}</b>", name=group.name)
            + "\n"
            + "\n".join(f"• {html.escape(alias)}" for _, alias in facilitators)
        )
    else:
        text = t("<b>{name}</b> has no facilitator yet. Invite one!", name=group.name)
    rows: list[list[Button]] = [
        [(t("Remove {alias}", alias=alias), AskRemoveFacilitator(group.id, member_id))]
        for member_id, alias in facilitators
    ]
    rows.append([(t("✉️ Invite a facilitator"), InviteFacilitator(group.id))])
    rows.append([("◀ " + t("Back"), ManageGroup(group.id))])
    return text, inline(rows)


def remove_facilitator_confirm_view(
    t: Translator, group: Group, member_id: int, alias: str
) -> View:
    text = t(
        "Remove <b>{alias}</b> as a facilitator of <b>{name}</b>?", alias=alias, name=group.name
    )
    return text, inline(
        [
            [(t("Yes, remove"), ConfirmRemoveFacilitator(group.id, member_id))],
            [(t("No"), ShowFacilitators(group.id))],
        ]
    )


def pick_group_view(t: Translator, groups: Sequence[GroupSummary]) -> View:
    """/invite_facilitator: which group the invitation is for."""
    if not groups:
        return t("There are no groups yet. Create one first with /newgroup."), None
    rows = [[(s.group.name, InviteFacilitator(s.group.id))] for s in groups]
    return t("Which group should the new facilitator lead?"), inline(rows)


def facilitator_link_text(t: Translator, group_name: str, url: str) -> str:
    return t(
        "Here is a one-time invitation to facilitate <b>{name}</b>:\n\n{url}\n\n"
        "Send it only to the person you mean. It works once and expires in 7 days. "
        "They will join through the usual anonymous sign-up if they are new.",
        name=group_name,
        url=url,
    )


def promotion_link_text(t: Translator, url: str) -> str:
    return t(
        "Here is a one-time link that makes someone a <b>coordinator</b> of the network:\n\n"
        "{url}\n\nSend it only to the person you mean. It works once and expires in 7 days.",
        url=url,
    )


def coordinators_only_text(t: Translator) -> str:
    return t("Sorry, only coordinators of the network can do this.")


def group_gone_text(t: Translator) -> str:
    return t("This group is no longer active.")


def not_a_facilitator_text(t: Translator) -> str:
    return t("This person is no longer a facilitator of this group.")


def facilitator_removed_text(t: Translator, alias: str, name: str) -> str:
    return t("<b>{alias}</b> no longer facilitates <b>{name}</b>.", alias=alias, name=name)


# --- role links ------------------------------------------------------------------------------


def invitation_refusal(t: Translator, problem: InvitationProblem) -> str:
    return {
        InvitationProblem.UNKNOWN: t(
            "I don't know this invitation link. Please ask the coordinator for a new one."
        ),
        InvitationProblem.USED: t(
            "This invitation link was already used. Each link works only once: please ask the "
            "coordinator for a new one."
        ),
        InvitationProblem.EXPIRED: t(
            "This invitation link has expired (links work for 7 days). Please ask the "
            "coordinator for a new one."
        ),
        InvitationProblem.GROUP_ARCHIVED: group_gone_text(t),
    }[problem]


def now_facilitator_text(t: Translator, group_name: str, *, already: bool) -> str:
    if already:
        return t("You already facilitate <b>{name}</b>.", name=group_name)
    return t(
        "You are now a facilitator of <b>{name}</b>. 🌱 Thank you! Your group and its "
        "invitation link are in /mygroups.",
        name=group_name,
    )


def now_coordinator_text(t: Translator, *, already: bool) -> str:
    if already:
        return t("You are already a coordinator of the network.")
    return t(
        "You are now a <b>coordinator</b> of the network. /groups shows every group, "
        "/newgroup creates one."
    )


# --- /mygroups ------------------------------------------------------------------------------


def my_groups_view(
    t: Translator,
    member_of: Sequence[Group],
    facilitating: Sequence[Group],
    invite_url: dict[int, str],
) -> View:
    lines: list[str] = [t("<b>Your groups</b>")]
    if not member_of and not facilitating:
        lines.append(t("You are not in a group yet. /groups helps you find one."))
    for group in facilitating:
        lines.append(
            t(
                "🧭 {name} (you facilitate it)\nInvitation link for new members: {url}",
                name=group.name,
                url=invite_url[group.id],
            )
        )
    for group in member_of:
        lines.append(f"🤝 {html.escape(group.name)}")
    rows = [
        [
            (group.name, OpenCard(group.id)),
            (t("Leave"), AskLeave(group.id)),
        ]
        for group in member_of
    ]
    return "\n\n".join(lines), inline(rows) if rows else None


def leave_confirm_view(t: Translator, group: Group) -> View:
    text = t(
        "Leave <b>{name}</b>? Your seats at its meetings are given up and you get no more "
        "reminders from it. You can join again later if there is room.",
        name=group.name,
    )
    return text, inline(
        [
            [(t("Yes, leave"), ConfirmLeave(group.id))],
            [(t("No, stay"), MyGroups())],
        ]
    )


def left_text(t: Translator, name: str) -> str:
    return t("You have left <b>{name}</b>. Take care! 🌱", name=name)


def not_member_text(t: Translator) -> str:
    return t("You are not a member of this group.")


# --- validation ------------------------------------------------------------------------------


def group_problem_text(t: Translator, problem: GroupProblem, bounds: tuple[int, int]) -> str:
    """Why a typed value was refused; ``bounds`` are the field's limits."""
    low, high = bounds
    return {
        GroupProblem.TOO_SHORT: t("That's too short: please use at least {n} characters.", n=low),
        GroupProblem.TOO_LONG: t("That's too long: please use at most {n} characters.", n=high),
        GroupProblem.HANDLE: t("Please leave out @usernames: everyone can see this."),
        GroupProblem.PHONE: t("Please leave out phone numbers: everyone can see this."),
        GroupProblem.EMAIL: t("Please leave out e-mail addresses: everyone can see this."),
        GroupProblem.LINK: t("Please leave out links and web addresses."),
        GroupProblem.INVALID_CHARS: t(
            "Please use letters, numbers and simple punctuation only (no line breaks, hidden "
            "characters or symbols like &lt; and &gt;)."
        ),
        GroupProblem.NOT_A_NUMBER: t(
            "Please send a whole number from {low} to {high}.", low=low, high=high
        ),
        GroupProblem.TOO_SMALL: t("Please choose at least {n}.", n=low),
        GroupProblem.TOO_LARGE: t("Please choose at most {n}.", n=high),
    }[problem]


def city_problem_text(t: Translator, problem: GroupProblem) -> str:
    if problem is GroupProblem.INVALID_CHARS:
        return t("Please type just the name of the city or regency, in letters.")
    return group_problem_text(t, problem, CITY_LENGTH)
