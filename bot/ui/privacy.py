"""Texts and keyboards of the privacy rights: the notice, export, forget, consent to a new
notice (the notice's own text is bot/ui/privacy_notice.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from telegram import InlineKeyboardMarkup

from bot.domain.member import ExportSummary, Member
from bot.domain.retention import RETENTION, RetentionRule
from bot.i18n import Translator, tz_abbreviation
from bot.ui.callbacks import CallbackData
from bot.ui.keyboards import inline
from bot.ui.meeting_picker import short_when
from bot.ui.onboarding import DeclineConsent, GiveConsent, LanguageCode
from bot.ui.privacy_notice import ReadFullNotice, full_notice, notice_summary
from bot.ui.settings import profile_lines
from bot.ui.view import View

# The summary names at most this many groups, so it stays a few lines on a phone.
GROUPS_NAMED = 5


@dataclass(frozen=True)
class ConfirmForget(
    CallbackData,
    prefix="fg:yes",
    own_idempotence="says everything was already deleted, or that it was an earlier account",
):
    """Carries the language of the question: once everything is deleted, nothing else knows
    which language the person uses (None on buttons sent before it did)."""

    lang: LanguageCode | None = None


@dataclass(frozen=True)
class KeepData(CallbackData, prefix="fg:no"):
    lang: LanguageCode | None = None


@dataclass(frozen=True)
class AcceptNotice(CallbackData, prefix="pc:yes"):
    pass


@dataclass(frozen=True)
class DeclineNotice(CallbackData, prefix="pc:no"):
    pass


# What a member asked to agree to a changed notice may still press: the answer, reading the
# notice, and forgetting.
WITHOUT_CONSENT = (AcceptNotice, DeclineNotice, ReadFullNotice, ConfirmForget, KeepData)


def consent_status(t: Translator, member: Member) -> str:
    return t(
        "You agreed to version {version} of the privacy notice on {date}.",
        version=member.consent_version,
        date=t.format_date(member.consent_at, member.timezone),
    )


def privacy_view(
    t: Translator,
    contact: str | None,
    version: int,
    member: Member | None,
    *,
    joining: bool = False,
    rules: tuple[RetentionRule, ...] = RETENTION,
) -> list[View]:
    """The full notice, one section per message, then where the person stands: their consent,
    the question again if they agreed to an older version, or (``joining``: read from the
    consent step) the onboarding question."""
    pages: list[View] = [(page, None) for page in full_notice(t, contact, version, rules)]
    if member is not None and member.consent_version < version:
        question = t("Do you agree to this version of the notice?")
        pages.append(("\n\n".join([consent_status(t, member), question]), _new_notice_buttons(t)))
    elif member is not None:
        pages.append((consent_status(t, member), None))
    elif joining:
        question = t("Do you agree to Rangkul storing and using this for these purposes?")
        buttons = inline([[(t("I agree"), GiveConsent())], [(t("Not now"), DeclineConsent())]])
        pages.append((question, buttons))
    else:
        pages.append((t("We don't store anything about you at the moment."), None))
    return pages


def forget_confirm_view(t: Translator) -> View:
    text = t(
        "Do you want me to delete <b>everything</b> Rangkul stores about you — your alias, "
        "your answers and your place in any group? This cannot be undone.\n\n"
        "If you'd like a copy first, use /mydata."
    )
    return text, inline(
        [
            [(t("Yes, delete everything"), ConfirmForget(t.lang))],
            [(t("No, keep my data"), KeepData(t.lang))],
        ]
    )


def forgotten_text(t: Translator) -> str:
    return t(
        "Done: everything Rangkul stored about you has been deleted. Take care of yourself. "
        "If you ever want to come back, just send /start."
    )


def already_forgotten_text(t: Translator) -> str:
    """A toast: "delete everything" pressed again, or on an old message, after it was done."""
    return t("Everything was already deleted.")


def asked_for_earlier_account_text(t: Translator) -> str:
    """An alert: "delete everything" pressed on a question asked before the person joined again."""
    return t(
        "That question was about your earlier account, so nothing was deleted. Send /forget "
        "to delete your data now."
    )


def question_too_old_text(t: Translator) -> str:
    """An alert: "delete everything" pressed on a question too old to check."""
    return t(
        "That question is too old for me to check, so nothing was deleted. "
        "Send /forget to ask again."
    )


def kept_text(t: Translator) -> str:
    return t("Okay, nothing was deleted. Send /menu to carry on.")


def nothing_stored_text(t: Translator) -> str:
    return t("Rangkul doesn't store anything about you. Send /start if you'd like to join.")


def my_data_summary(t: Translator, summary: ExportSummary) -> str:
    """/mydata in a few lines, before the file: counts and names, never an id."""
    tz = summary.timezone
    lines = [
        t("<b>What Rangkul stores about you, in short</b>"),
        *profile_lines(
            t,
            alias=summary.alias,
            language=summary.language,
            province=summary.province,
            timezone=tz,
            topics=summary.topics,
        ),
        t("Member since: {date}", date=t.format_date(summary.member_since, tz)),
        _groups_line(t, summary.groups),
        _seats_line(t, summary.upcoming_seats, tz),
        t("Safety plan: yes") if summary.has_safety_plan else t("Safety plan: none"),
        t(
            "Crisis moments recorded: {events}; alerts to a facilitator: {alerts}",
            events=summary.crisis_events,
            alerts=summary.crisis_alerts,
        ),
        t(
            "Messages in the log: {to_you} to you, {about_you} about you",
            to_you=summary.messages_to_them,
            about_you=summary.messages_about_them,
        ),
        "",
        t("The file below holds all of it in detail."),
        t("Your rights: /settings to correct your data, /forget to erase all of it."),
    ]
    return "\n".join(lines)


def _groups_line(t: Translator, groups: tuple[str, ...]) -> str:
    if not groups:
        return t("Groups: none")
    names = ", ".join(groups[:GROUPS_NAMED])
    if len(groups) > GROUPS_NAMED:
        return t("Groups: {names} and {more} more", names=names, more=len(groups) - GROUPS_NAMED)
    return t("Groups: {names}", names=names)


def _seats_line(t: Translator, seats: tuple[tuple[str, datetime], ...], tz: str) -> str:
    if not seats:
        return t("Upcoming seats: none")
    group, starts_at = seats[0]
    return t(
        "Upcoming seats: {count} — the next one: {group}, {when} {zone}",
        count=len(seats),
        group=group,
        when=short_when(t, starts_at, tz),
        zone=tz_abbreviation(tz),
    )


def new_notice_view(t: Translator, contact: str | None) -> View:
    """Asked before anything else of a member who agreed to an older notice: its summary."""
    text = "\n\n".join(
        [
            t("Our privacy notice has changed. Please read it and tell us whether you agree."),
            notice_summary(t, contact),
        ]
    )
    return text, _new_notice_buttons(t)


def _new_notice_buttons(t: Translator) -> InlineKeyboardMarkup:
    return inline(
        [
            [(t("I agree"), AcceptNotice())],
            [(t("Not now"), DeclineNotice())],
            [(t("📄 Read the full notice"), ReadFullNotice())],
        ]
    )


def new_notice_declined_text(t: Translator) -> str:
    return t(
        "Okay. Until you agree, I can only help in a crisis (/crisis) and with your data: "
        "/privacy, a copy with /mydata, or deleting everything with /forget. Reminders of your "
        "meetings still arrive. I'll ask again next time you write."
    )
