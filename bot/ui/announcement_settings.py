"""Texts and buttons of the announcements' screen in /settings: each of a member's groups with
its announcements on or muted, as toggles.

A toggle carries the state its screen showed (``shown_muted``): the press means "switch from
that", so a double tap or a press on an old message finds it switched already and changes
nothing (bot.services.broadcasts.switch_announcements).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.broadcasts import GroupAnnouncements
from bot.i18n import Translator
from bot.ui.callbacks import CallbackData, Natural
from bot.ui.keyboards import Button, inline
from bot.ui.menu import OpenSettings
from bot.ui.view import View


@dataclass(frozen=True)
class OpenAnnouncementSettings(CallbackData, prefix="st:ann"):
    pass


@dataclass(frozen=True)
class SwitchAnnouncements(
    CallbackData,
    prefix="st:mute",
    own_idempotence="says Already saved, or that the screen is out of date",
):
    group_id: Natural
    shown_muted: bool  # the state on the button when it was pressed


def state_label(t: Translator, muted: bool) -> str:
    return t("🔕 muted") if muted else t("🔔 on")


def announcements_view(t: Translator, groups: Sequence[GroupAnnouncements], note: str = "") -> View:
    """The screen, after ``note`` (what just changed)."""
    text = "\n".join(
        [
            t("<b>Announcements</b>"),
            t(
                "Facilitators sometimes send an announcement to their whole group. You can mute "
                "them for each of your groups: press a group to switch it."
            ),
            "",
            t(
                "Only announcements are muted: meeting reminders, answers to your questions and "
                "messages from your buddy still come."
            ),
        ]
    )
    # Button labels are plain text (not HTML): the group's name goes in as it is.
    rows: list[list[Button]] = [
        [(f"{g.name}: {state_label(t, g.muted)}", SwitchAnnouncements(g.group_id, g.muted))]
        for g in groups
    ]
    rows.append([(t("◀ Back to settings"), OpenSettings())])
    return (f"{note}\n\n{text}" if note else text), inline(rows)


def switched_text(t: Translator, group: GroupAnnouncements) -> str:
    if group.muted:
        return t("🔕 Announcements of <b>{group}</b> are muted.", group=group.name)
    return t("🔔 Announcements of <b>{group}</b> are on again.", group=group.name)
