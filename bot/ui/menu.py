"""The main menu and the help text, per role."""

from __future__ import annotations

from bot.i18n import Translator
from bot.ui.callbacks import callback
from bot.ui.keyboards import inline
from bot.ui.onboarding import View

AREA = "menu"


def menu_view(t: Translator, alias: str) -> View:
    text = t(
        "Hi, <b>{alias}</b> 🤝 What would you like to do?\n\n"
        "More is coming soon: finding a group, trying a session, and check-ins.",
        alias=alias,
    )
    return text, inline(
        [
            [(t("🆘 Need help now"), callback(AREA, "crisis"))],
            [(t("🔒 Privacy & my data"), callback(AREA, "privacy"))],
            [
                (t("✏️ Change alias"), callback(AREA, "alias")),
                (t("🌐 Language"), callback(AREA, "language")),
            ],
            [(t("❓ Help"), callback(AREA, "help"))],
        ]
    )


def help_text(t: Translator, *, registered: bool, coordinator: bool) -> str:
    lines = [t("<b>What you can do</b>")]
    if registered:
        lines += [
            t("/menu — the main menu"),
            t("/alias — change your alias"),
            t("/language — change the language"),
        ]
    else:
        lines.append(t("/start — join Rangkul under an alias"))
    lines += [
        t("/crisis — crisis contacts, at any moment"),
        t("/privacy — what we store and why"),
        t("/mydata — a copy of everything we store about you"),
        t("/forget — delete everything we store about you"),
        t("/cancel — stop what you are doing"),
    ]
    if coordinator:
        lines.append(t("You are a coordinator of the network."))
    return "\n".join(lines)


def unknown_input_text(t: Translator) -> str:
    return t("I didn't quite catch that. Send /menu to see what you can do, or /help.")


def expired_button_text(t: Translator) -> str:
    return t("This button is no longer active. Send /menu to start again.")


def error_text(t: Translator) -> str:
    return t(
        "Sorry, something went wrong on our side. Please try again, or send /menu to go back to "
        "the menu. If you need help now, send /crisis."
    )
