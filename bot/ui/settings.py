"""Texts and keyboards of /settings: what a member's profile holds, and correcting it (the
weekly check-in's own screens are bot.ui.checkin_schedule).

Every choice carries the value stored when its screen was shown (``shown``), so a double tap
or a press on an old message can be told from a correction (bot.domain.corrections).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from bot.domain.member import Member
from bot.domain.regions import ONLINE_ONLY, PROVINCES, province_by_code
from bot.domain.topics import topics_mask
from bot.i18n import Translator, tz_abbreviation
from bot.ui.announcement_settings import OpenAnnouncementSettings
from bot.ui.callbacks import CallbackData, Natural
from bot.ui.checkin_schedule import OpenCheckinSchedule
from bot.ui.keyboards import Button, inline
from bot.ui.labels import LANGUAGE_NAMES, TOPIC_LABELS
from bot.ui.menu import ChangeAlias, ChangeLanguage, OpenSettings
from bot.ui.pickers import (
    PROVINCES_PER_PAGE,
    ProvinceCode,
    province_label,
    province_rows,
    topic_rows,
)
from bot.ui.view import View


@dataclass(frozen=True)
class ProvincePage(CallbackData, prefix="st:page"):
    page: Natural


@dataclass(frozen=True)
class SetProvince(
    CallbackData,
    prefix="st:prov",
    own_idempotence="says Already saved, or that the screen is out of date",
):
    code: ProvinceCode  # or ONLINE_ONLY
    shown: ProvinceCode  # stored when the buttons were shown (ONLINE_ONLY for none)


@dataclass(frozen=True)
class EditTopics(CallbackData, prefix="st:topics"):
    pass


@dataclass(frozen=True)
class ToggleMyTopic(CallbackData, prefix="st:tick"):
    """The whole selection the press leads to, and the one stored when the list was opened."""

    mask: Natural
    shown: Natural


@dataclass(frozen=True)
class SaveTopics(
    CallbackData,
    prefix="st:save",
    own_idempotence="says Already saved, or that the screen is out of date",
):
    mask: Natural
    shown: Natural


def region_of(member: Member) -> str:
    """The member's province code, or ONLINE_ONLY: what province buttons carry."""
    return member.province or ONLINE_ONLY


def region_label(t: Translator, region: str | None) -> str:
    province = province_by_code(region) if region else None
    return province_label(t, province) if province is not None else t("Online only")


def profile_lines(
    t: Translator,
    *,
    alias: str,
    language: str,
    province: str | None,
    timezone: str,
    topics: Collection[str],
) -> list[str]:
    """What the profile holds, one short line each; also the start of /mydata's summary."""
    chosen = ", ".join(t(TOPIC_LABELS[code]) for code in topics if code in TOPIC_LABELS)
    return [
        t("Alias: <b>{alias}</b>", alias=alias),
        t("Language: {language}", language=LANGUAGE_NAMES.get(language, language)),
        t(
            "Province: {province} (times in {zone})",
            province=region_label(t, province),
            zone=tz_abbreviation(timezone),
        ),
        t("Topics: {topics}", topics=chosen or t("none chosen")),
    ]


def settings_view(
    t: Translator, member: Member, note: str = "", *, checkin: str = "", in_group: bool = False
) -> View:
    """The settings screen, after ``note`` (what just changed); ``checkin``: the weekly
    check-in's line (bot.ui.checkin_schedule.schedule_line); ``in_group``: a member of an
    active group, whose announcements they may mute."""
    lines = [
        t("<b>Your settings</b>"),
        *profile_lines(
            t,
            alias=member.alias,
            language=member.language,
            province=member.province,
            timezone=member.timezone,
            topics=member.topics,
        ),
        *([checkin] if checkin else []),
        "",
        t("What would you like to change?"),
    ]
    text = "\n".join(lines)
    codes = [p.code for p in PROVINCES]
    # The province list opens on the page of the current province.
    page = codes.index(member.province) // PROVINCES_PER_PAGE if member.province in codes else 0
    rows: list[list[Button]] = [
        [(t("✏️ Alias"), ChangeAlias()), (t("🌐 Language"), ChangeLanguage())],
        [(t("📍 Province"), ProvincePage(page)), (t("🏷 Topics"), EditTopics())],
        [(t("🗓 Weekly check-in"), OpenCheckinSchedule())],
    ]
    if in_group:
        rows.append([(t("📣 Announcements"), OpenAnnouncementSettings())])
    markup = inline(rows)
    return (f"{note}\n\n{text}" if note else text), markup


def province_view(t: Translator, member: Member, page_index: int) -> View:
    shown = region_of(member)

    def pick(code: str) -> SetProvince:
        return SetProvince(code, shown)

    rows = province_rows(t, page_index, pick, ProvincePage)
    rows.append([(t("🌐 Online only"), pick(ONLINE_ONLY))])
    rows.append([(t("◀ Back to settings"), OpenSettings())])
    text = t(
        "Your province now: <b>{province}</b>. Choose the new one, or type its name (for "
        'example "Jawa Barat" or "jabar"). Meeting times are shown in its timezone.',
        province=region_label(t, member.province),
    )
    return text, inline(rows)


def province_not_found_text(t: Translator) -> str:
    return t(
        "I couldn't find a province by that name. Please choose one of the buttons, or type "
        'its name as it is written, for example "Jawa Barat", "DIY" or "Online only".'
    )


def topics_view(t: Translator, chosen: Collection[str], shown: Collection[str]) -> View:
    """The topic toggles; each button also carries ``shown`` (stored when the list opened)."""
    was = topics_mask(shown)
    rows: list[list[Button]] = topic_rows(
        t, chosen, lambda mask: ToggleMyTopic(mask, was), lambda mask: SaveTopics(mask, was)
    )
    rows.append([(t("◀ Back to settings"), OpenSettings())])
    text = t(
        'Which topics matter to you? Tick or untick them, then press "Done". This only helps us '
        "suggest groups."
    )
    return text, inline(rows)


def saved_text(t: Translator) -> str:
    return t("✅ Saved.")


def already_saved_text(t: Translator) -> str:
    return t("Already saved ✅")


def out_of_date_text(t: Translator) -> str:
    return t("These settings have changed since. Send /settings to see them now.")
