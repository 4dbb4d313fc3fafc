"""Texts and keyboards of /newgroup and of editing a group (coordinators)."""

from __future__ import annotations

import html
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated

from babel.numbers import format_decimal

from bot.domain.groups import (
    CITY_LENGTH,
    DESCRIPTION_LENGTH,
    MAX_MEMBERS_RANGE,
    NAME_LENGTH,
    REMINDER_HOURS_RANGE,
    TRIAL_SEATS_RANGE,
    EditableField,
    Group,
    GroupFormat,
    GroupProblem,
    NewGroup,
)
from bot.domain.recurrence import MAX_REMINDERS
from bot.domain.regions import province_by_code
from bot.domain.topics import TOPICS
from bot.i18n import N_, Translator
from bot.ui.callbacks import CallbackData, MaxLen, Natural
from bot.ui.groups import (
    FIELD_BOUNDS,
    FIELD_LABELS,
    FORMAT_LABELS,
    group_problem_text,
    languages_text,
    topics_text,
)
from bot.ui.keyboards import Button, in_rows, inline
from bot.ui.labels import LANGUAGE_NAMES, TOPIC_LABELS
from bot.ui.onboarding import LanguageCode
from bot.ui.pickers import ProvinceCode, province_label, province_rows
from bot.ui.view import View

# --- buttons: /newgroup (area ng) --------------------------------------------------------------


@dataclass(frozen=True)
class ToggleGroupTopic(CallbackData, prefix="ng:topic"):
    """Ticks (``on``) or unticks one topic: the state the press leads to, so that the second
    tap of a double tap, whose button is gone, changes nothing."""

    code: Annotated[str, MaxLen(16)]
    on: bool


@dataclass(frozen=True)
class GroupTopicsDone(CallbackData, prefix="ng:topics"):
    pass


@dataclass(frozen=True)
class ChooseFormat(CallbackData, prefix="ng:format"):
    format: GroupFormat


@dataclass(frozen=True)
class GroupProvincePage(CallbackData, prefix="ng:page"):
    page: Natural


@dataclass(frozen=True)
class ChooseGroupProvince(CallbackData, prefix="ng:prov"):
    code: ProvinceCode


@dataclass(frozen=True)
class ToggleGroupLanguage(CallbackData, prefix="ng:lang"):
    """Like :class:`ToggleGroupTopic`, for one language."""

    code: LanguageCode
    on: bool


@dataclass(frozen=True)
class GroupLanguagesDone(CallbackData, prefix="ng:langs"):
    pass


@dataclass(frozen=True)
class OfferTrials(CallbackData, prefix="ng:trials:yes"):
    pass


@dataclass(frozen=True)
class NoTrials(CallbackData, prefix="ng:trials:no"):
    pass


@dataclass(frozen=True)
class CreateGroup(CallbackData, prefix="ng:create"):
    pass


@dataclass(frozen=True)
class DiscardGroup(CallbackData, prefix="ng:cancel"):
    pass


# --- buttons: editing a group (area ge) -------------------------------------------------------


@dataclass(frozen=True)
class EditField(CallbackData, prefix="ge:field"):
    field: EditableField


@dataclass(frozen=True)
class BackToGroup(CallbackData, prefix="ge:back"):
    group_id: Natural


def name_prompt(t: Translator) -> str:
    low, high = NAME_LENGTH
    return t(
        "Let's create a new support group. 🌱\n\nWhat is its <b>name</b>? ({low} to {high} "
        "characters; everyone can see it, so no contact details.)\n\nSend /cancel to stop.",
        low=low,
        high=high,
    )


def topics_view(t: Translator, chosen: Collection[str]) -> View:
    buttons: list[Button] = [
        (
            ("✅ " if code in chosen else "") + t(TOPIC_LABELS[code]),
            ToggleGroupTopic(code, code not in chosen),
        )
        for code in TOPICS
    ]
    rows: list[list[Button]] = [*in_rows(buttons, per_row=2), [(t("Done"), GroupTopicsDone())]]
    return t(
        'Which <b>topics</b> does the group focus on? Choose one or more, then "Done".'
    ), inline(rows)


def format_view(t: Translator) -> View:
    rows = [[(t(FORMAT_LABELS[f]), ChooseFormat(f))] for f in GroupFormat]
    return t("How does the group <b>meet</b>?"), inline(rows)


def province_view(t: Translator, page_index: int) -> View:
    rows = province_rows(t, page_index, ChooseGroupProvince, GroupProvincePage)
    return t("In which <b>province</b> does it meet in person?"), inline(rows)


def city_prompt(t: Translator) -> str:
    low, high = CITY_LENGTH
    return t(
        "In which <b>city or regency</b>? ({low} to {high} letters, e.g. Makassar)",
        low=low,
        high=high,
    )


def languages_view(t: Translator, chosen: Collection[str]) -> View:
    buttons: list[Button] = [
        (("✅ " if code in chosen else "") + name, ToggleGroupLanguage(code, code not in chosen))
        for code, name in LANGUAGE_NAMES.items()
    ]
    rows: list[list[Button]] = [buttons, [(t("Done"), GroupLanguagesDone())]]
    return t('In which <b>language(s)</b> does it meet? Choose one or both, then "Done".'), inline(
        rows
    )


def description_prompt(t: Translator) -> str:
    low, high = DESCRIPTION_LENGTH
    return t(
        "A short <b>description</b> for the group's card ({low} to {high} characters): who it "
        "is for and what a meeting is like.",
        low=low,
        high=high,
    )


def max_members_prompt(t: Translator) -> str:
    low, high = MAX_MEMBERS_RANGE
    return t(
        "At most how many <b>members</b> can the group have? (a number from {low} to {high})",
        low=low,
        high=high,
    )


def trials_view(t: Translator) -> View:
    return t("Does the group offer <b>trial sessions</b> to newcomers?"), inline(
        [
            [(t("Yes, newcomers can try a session"), OfferTrials())],
            [(t("No trial sessions"), NoTrials())],
        ]
    )


def trial_seats_prompt(t: Translator) -> str:
    low, high = TRIAL_SEATS_RANGE
    return t(
        "How many <b>trial seats</b> per meeting? (a number from {low} to {high})",
        low=low,
        high=high,
    )


def summary_view(t: Translator, group: NewGroup) -> View:
    province = province_by_code(group.province) if group.province else None
    lines = [
        t("<b>Please check the new group:</b>"),
        "",
        t("Name: {name}", name=group.name),
        t("Topics: {topics}", topics=topics_text(t, group.topics)),
        t("Meets: {format}", format=t(FORMAT_LABELS[group.format])),
    ]
    if province is not None:
        lines.append(
            t(
                "Where: {city}, {province}",
                city=group.city or "",
                province=province_label(t, province),
            )
        )
    lines += [
        t("Languages: {languages}", languages=languages_text(group.languages)),
        t("At most {n} members", n=group.max_members),
        t("Trial seats per meeting: {seats}", seats=group.trial_seats)
        if group.offers_trials
        else t("No trial sessions"),
        "",
        f"<i>{html.escape(group.description)}</i>",
    ]
    return "\n".join(lines), inline(
        [
            [(t("✅ Create the group"), CreateGroup())],
            [(t("Cancel"), DiscardGroup())],
        ]
    )


def created_text(t: Translator, name: str) -> str:
    return t(
        "<b>{name}</b> is created. 🎉 Next: invite its facilitator with /invite_facilitator.",
        name=name,
    )


def discarded_text(t: Translator) -> str:
    return t("Okay, the new group was not created.")


def send_text_hint(t: Translator) -> str:
    return t("Please send your answer as a text message 🙂")


def pick_at_least_one_text(t: Translator) -> str:
    return t("Please choose at least one.")


# --- editing ---------------------------------------------------------------------------------


def edit_fields_view(t: Translator, group_name: str, group_id: int) -> View:
    rows: list[list[Button]] = [
        [(t(FIELD_LABELS[field]), EditField(field))] for field in EditableField
    ]
    rows.append([("◀ " + t("Back"), BackToGroup(group_id))])
    return t("What would you like to change in <b>{name}</b>?", name=group_name), inline(rows)


def edit_prompt(t: Translator, field: EditableField, group: Group) -> str:
    if field is EditableField.REMINDERS:
        return reminders_prompt(t, group.reminder_offsets)
    low, high = FIELD_BOUNDS[field]
    if field in (EditableField.MAX_MEMBERS, EditableField.TRIAL_SEATS):
        return t(
            "Send the new value for <b>{field}</b> (a number from {low} to {high}), or /cancel.",
            field=t(FIELD_LABELS[field]),
            low=low,
            high=high,
        )
    return t(
        "Send the new <b>{field}</b> ({low} to {high} characters), or /cancel.",
        field=t(FIELD_LABELS[field]),
        low=low,
        high=high,
    )


def saved_text(t: Translator) -> str:
    return t("Saved. ✅")


def hours_text(t: Translator, hours: Decimal) -> str:
    """``Decimal("0.5")`` -> "0.5 h" (or "0,5 jam"): the local decimal separator."""
    return t("{hours} h", hours=format_decimal(hours, format="0.##", locale=t.locale))


def reminders_text(t: Translator, offsets: Sequence[int]) -> str:
    """Reminder offsets in minutes, as hours: "24 h, 1 h"."""
    return ", ".join(hours_text(t, Decimal(minutes) / 60) for minutes in offsets)


def reminders_prompt(t: Translator, offsets: Sequence[int]) -> str:
    low, high = REMINDER_HOURS_RANGE
    return t(
        "Reminders now go out <b>{current}</b> before each meeting.\n\nSend the new times in "
        "hours, separated by commas or spaces, e.g. <code>24, 1</code> or <code>48 2 0.5</code> "
        "({low} to {high}, at most {n} reminders), or /cancel. Reminders already planned keep "
        "their time.",
        current=reminders_text(t, offsets),
        low=hours_text(t, low),
        high=hours_text(t, high),
        n=MAX_REMINDERS,
    )


def reminders_problem_text(t: Translator, problem: GroupProblem) -> str:
    """Why typed reminder times were refused."""
    low, high = REMINDER_HOURS_RANGE
    return {
        GroupProblem.NOT_A_NUMBER: t(
            "Please send the times as numbers of hours, separated by commas or spaces, "
            "e.g. <code>24, 1</code> (half an hour is 0.5)."
        ),
        GroupProblem.TOO_SMALL: t(
            "A reminder needs to go out at least {low} before the meeting.", low=hours_text(t, low)
        ),
        GroupProblem.TOO_LARGE: t(
            "A reminder can go out at most {high} (one week) before the meeting.",
            high=hours_text(t, high),
        ),
        GroupProblem.TOO_MANY: t("Please choose at most {n} reminders.", n=MAX_REMINDERS),
        GroupProblem.REPEATED: t("Please give each reminder a different time."),
    }[problem]


def reminders_saved_text(t: Translator, offsets: Sequence[int]) -> str:
    return t(
        "Saved. ✅ New reminders go out <b>{current}</b> before each meeting.",
        current=reminders_text(t, offsets),
    )


def name_taken_text(t: Translator, holder: str) -> str:
    return t(
        "There is already a group called <b>{name}</b>. Please choose a name that tells them "
        "apart, for example with the city or the day it meets.",
        name=holder,
    )


_CONTACT_TEXTS = {
    GroupProblem.PHONE: N_("Please leave out the phone number."),
    GroupProblem.EMAIL: N_("Please leave out the e-mail address."),
    GroupProblem.HANDLE: N_("Please leave out the @username."),
    GroupProblem.LINK: N_("Please leave out the link or web address."),
}


def problem_text(t: Translator, problem: GroupProblem, bounds: tuple[int, int]) -> str:
    """Why a name or description was refused; for contact details, also why they may not be
    on the card."""
    if problem not in _CONTACT_TEXTS:
        return group_problem_text(t, problem, bounds)
    why = t(
        "Anyone can read the group's card, so a way to reach someone there reaches everyone. "
        "People find the group through me, and their details stay private."
    )
    return f"{t(_CONTACT_TEXTS[problem])} {why}"
