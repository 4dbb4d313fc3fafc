"""The main menu and the help text, per role."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from bot.domain.questionnaires import Purpose
from bot.i18n import Translator
from bot.ui.callbacks import CallbackData
from bot.ui.checkin import StartCheckin
from bot.ui.groups import BrowseHome, MyGroups, Overview
from bot.ui.keyboards import Button, inline
from bot.ui.labels import LANGUAGE_NAMES
from bot.ui.meetings import FacilitatedMeetings, MyMeetings
from bot.ui.mood import ShowProgress, StartMood
from bot.ui.onboarding import ChooseLanguage, LanguageCode
from bot.ui.resources import ResourcesHome
from bot.ui.view import ReusedKeyboard, View


@dataclass(frozen=True)
class NeedHelp(CallbackData, prefix="menu:crisis"):
    pass


@dataclass(frozen=True)
class CalmDown(CallbackData, prefix="menu:calm"):
    pass


@dataclass(frozen=True)
class OpenPrivacy(CallbackData, prefix="menu:privacy"):
    pass


@dataclass(frozen=True)
class OpenSettings(CallbackData, prefix="menu:settings"):
    pass


@dataclass(frozen=True)
class ChangeAlias(CallbackData, prefix="menu:alias"):
    pass


@dataclass(frozen=True)
class ChangeLanguage(CallbackData, prefix="menu:language"):
    pass


@dataclass(frozen=True)
class OpenHelp(CallbackData, prefix="menu:help"):
    pass


@dataclass(frozen=True)
class SetLanguage(CallbackData, prefix="lang:lang"):
    """A language button of /language (onboarding has its own)."""

    code: LanguageCode


def menu_view(
    t: Translator, alias: str, *, coordinator: bool = False, facilitator: bool = False
) -> View:
    text = t("Hi, <b>{alias}</b> 🤝 What would you like to do?", alias=alias)
    return text, _menu_keyboard(t, coordinator=coordinator, facilitator=facilitator)


# The buttons depend on nothing but the language and the roles, and PTB's markup is immutable:
# built (and serialised) once per combination instead of on every /menu, where building and
# serialising its dozen buttons was a fifth of the reply's CPU. Keyed by the translator object
# (one per language per process), so a test's own translator gets its own keyboard.
@functools.lru_cache(maxsize=64)
def _menu_keyboard(t: Translator, *, coordinator: bool, facilitator: bool) -> ReusedKeyboard:
    role_rows: list[list[Button]] = []
    if facilitator:
        role_rows.append([(t("🗓 Meetings I facilitate"), FacilitatedMeetings())])
    if coordinator:
        role_rows.append([(t("🛠 Manage groups"), Overview(0))])
    return ReusedKeyboard(
        inline(
            [
                [
                    (t("🆘 Need help now"), NeedHelp()),
                    (t("🌿 Calm down now"), CalmDown()),
                ],
                [
                    (t("🙂 My mood today"), StartMood()),
                    (t("📝 Weekly check-in"), StartCheckin(Purpose.SELF)),
                ],
                [(t("📈 My progress"), ShowProgress())],
                [
                    (t("👥 Find a group"), BrowseHome()),
                    (t("📋 My groups"), MyGroups()),
                ],
                [
                    (t("📅 My meetings"), MyMeetings()),
                    (t("📚 Resources"), ResourcesHome()),
                ],
                *role_rows,
                [(t("🔒 Privacy & my data"), OpenPrivacy())],
                [
                    (t("⚙️ My settings"), OpenSettings()),
                    (t("❓ Help"), OpenHelp()),
                ],
            ]
        )
    )


def visitor_menu_view(t: Translator) -> View:
    """/menu for someone who has not joined: what works without joining, and joining.

    "Join Rangkul" is sign-up's own language button in the language they are spoken to in, so
    it opens sign-up at its introduction (the language can still be changed later).
    """
    text = t(
        "Hi! 🤝 Without joining you can find a support group, read about conditions, treatment "
        "and services, and get help right now. To try a session or join a group, join Rangkul "
        "under an alias."
    )
    return text, inline(
        [
            [(t("🆘 Need help now"), NeedHelp()), (t("🌿 Calm down now"), CalmDown())],
            [(t("👥 Find a group"), BrowseHome()), (t("📚 Resources"), ResourcesHome())],
            [(t("✍️ Join Rangkul"), ChooseLanguage(t.lang))],
            [(t("❓ Help"), OpenHelp())],
        ]
    )


def language_choice_view(t: Translator) -> View:
    """/language for a member: the language in use now (``t``'s), and the choice."""
    text = t(
        "I'm speaking {language} with you now. Which language would you like me to use?",
        language=LANGUAGE_NAMES.get(t.lang, t.lang),
    )
    buttons = [
        (("✓ " if code == t.lang else "") + name, SetLanguage(code))
        for code, name in LANGUAGE_NAMES.items()
    ]
    return text, inline([buttons])


# Like the menu's buttons, the same few texts per language and role: made once (a /help was
# two dozen translations, a tenth of its CPU).
@functools.lru_cache(maxsize=64)
def help_text(
    t: Translator, *, registered: bool, coordinator: bool, facilitator: bool = False
) -> str:
    lines: list[str] = [t("<b>What you can do</b>")]
    if registered:
        lines += [
            t("/menu — the main menu"),
            t("/groups — find a support group"),
            t("/mygroups — your groups"),
            t("/mymeetings — your upcoming meetings and RSVPs"),
            t("/ask — ask your group's facilitators a question, anonymously"),
            t("/buddy — a buddy from your group for a few kind words each week"),
            t("/trial — try one session of a group, no commitment"),
            t("/mood — how you feel today, in one tap"),
            t("/checkin — a short check-in on how the last two weeks have been"),
            t("/progress — a chart of your moods and check-ins"),
            t("/settings — your alias, language, province and topics"),
            t("/alias — change your alias"),
            t("/language — change the language"),
        ]
    else:
        # /groups and /menu work without joining too (browsing, resources, crisis help).
        lines += [
            t("/start — join Rangkul under an alias"),
            t("/menu — the main menu"),
            t("/groups — find a support group"),
        ]
    lines += [
        t("/events — open seminars anyone may come to"),
        t("/crisis — crisis contacts, at any moment"),
        t("/safetyplan — your personal safety plan, private to you"),
        t("/resources — information about conditions, treatment and services"),
        t("/privacy — what we store and why"),
        t("/mydata — a copy of everything we store about you"),
        t("/forget — delete everything we store about you"),
        t("/cancel — stop what you are doing"),
    ]
    if facilitator:
        lines += [
            "",
            t("You facilitate a group."),
            t("/newmeeting — schedule a meeting"),
            t("/meetings — upcoming meetings: cancel or move them"),
            t("/attendance — mark who came"),
            t("/poll_time — ask members which times suit them"),
            t("/broadcast — an announcement to your group"),
            t("/broadcasts — your recent announcements and their reports"),
        ]
    if coordinator:
        lines += [
            "",
            t("You are a coordinator of the network."),
            t("/groups — every group: edit, archive, facilitators"),
            t("/newgroup — create a group"),
            t("/invite_facilitator — a one-time link to facilitate a group"),
            t("/promote — a one-time link to make someone a coordinator"),
            t("/addresource — add an entry to the resources"),
            t("/broadcast — an announcement to a group, everyone, facilitators or a province"),
            t("/broadcasts — recent announcements in the network and their reports"),
        ]
    return "\n".join(lines)


def unknown_input_text(t: Translator, *, registered: bool) -> str:
    """For text nothing else took. Never "I didn't understand": it may be a feeling the
    distress lexicon missed, so it says what the bot is and where a person can be reached."""
    # Joining comes first for anyone who has not: the rest of the menu is theirs to find later.
    if not registered:
        return t(
            "I'm a bot, so I can only help with a few things: send /start to join Rangkul, or "
            "/help to see what I can do. If something is weighing on you, /crisis has people "
            "you can reach at any time."
        )
    return t(
        "I'm a bot, so I can only help with what's in the menu: send /menu to see it, or /help. "
        "If something is weighing on you, /crisis has people you can reach at any time."
    )


def edit_ignored_text(t: Translator) -> str:
    return t(
        "I only read new messages, so that edit didn't change anything. If you meant to change "
        "an answer, please send it again as a new message."
    )


def cancelled_text(t: Translator, *, registered: bool) -> str:
    if not registered:
        return t("Okay, I've stopped that. Send /start whenever you'd like to join Rangkul.")
    return t("Okay, I've stopped that. Send /menu to see what you can do.")


def nothing_to_cancel_text(t: Translator, *, registered: bool) -> str:
    """/cancel with no conversation under way."""
    if not registered:
        return t(
            "There was nothing to stop. Send /menu to see what you can do here, or /start "
            "whenever you'd like to join Rangkul."
        )
    return t("There was nothing to stop. Send /menu to see what you can do.")


def join_first_text(t: Translator) -> str:
    """For anyone who has not joined, wherever a feature is only for members."""
    return t(
        "This is for people who have joined Rangkul. Send /start to join — /crisis and "
        "/resources work without joining."
    )


def expired_button_text(t: Translator) -> str:
    return t("This button is no longer active. Send /menu to start again.")


def error_text(t: Translator) -> str:
    return t(
        "Sorry, something went wrong on our side. Please try again, or send /menu to go back to "
        "the menu. If you need help now, send /crisis."
    )
