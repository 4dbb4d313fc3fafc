"""A coordinator's list of a group's members and the removal of one (with a confirmation).
Aliases and group names are people's text: escaped by the translator."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.groups import Group
from bot.domain.paging import page
from bot.i18n import Html, Translator
from bot.ui.groups import (
    AskRemoveMember,
    ConfirmRemoveMember,
    GroupMembers,
    ManageGroup,
    nav_row,
)
from bot.ui.keyboards import Button, inline
from bot.ui.view import View

MEMBERS_PER_PAGE = 10


def members_view(
    t: Translator, group: Group, members: Sequence[tuple[int, str]], page_index: int
) -> View:
    """One page of the members by alias, each a Remove button."""
    items, has_prev, has_next = page(members, page_index, MEMBERS_PER_PAGE)
    if members:
        text = t(
            "<b>Members of {name}</b>: {n}\n\nRemoving someone is for when they put others "
            "at risk or keep breaking the group guidelines.",
            n=len(members),
            name=group.name,
        )
    else:
        text = t("<b>{name}</b> has no members yet.", name=group.name)
    rows: list[list[Button]] = [
        [(t("Remove {alias}", alias=alias), AskRemoveMember(group.id, member_id))]
        for member_id, alias in items
    ]
    nav = nav_row(t, lambda p: GroupMembers(group.id, p), page_index, has_prev, has_next)
    if nav:
        rows.append(nav)
    rows.append([("◀ " + t("Back"), ManageGroup(group.id))])
    return text, inline(rows)


def remove_member_confirm_view(t: Translator, group: Group, member_id: int, alias: str) -> View:
    text = t(
        "Remove <b>{alias}</b> from <b>{name}</b>? Their seats at its coming meetings are "
        "given up, a buddy pairing in the group ends, and they are told kindly. The removal "
        "is logged.",
        alias=alias,
        name=group.name,
    )
    return text, inline(
        [
            [(t("Yes, remove"), ConfirmRemoveMember(group.id, member_id))],
            [(t("No"), GroupMembers(group.id, 0))],
        ]
    )


def member_removed_text(t: Translator, alias: str, name: str) -> Html:
    return t("<b>{alias}</b> is no longer a member of <b>{name}</b>.", alias=alias, name=name)


def not_a_member_text(t: Translator) -> Html:
    return t("This person is no longer a member of this group.")
