"""The weekly check-in's messages: the prompt, its one nudge, and the offer of a first
check-in (the baseline) after sign-up and on joining a group.

Warm and without pressure: nothing here counts missed weeks or says what someone should do.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.domain.questionnaires import Purpose
from bot.i18n import Translator
from bot.ui.checkin import StartCheckin
from bot.ui.checkin_schedule import OpenCheckinSchedule
from bot.ui.keyboards import inline
from bot.ui.view import View


def start_label(t: Translator) -> str:
    return t("📝 Start")


def prompt_view(t: Translator, purpose: Purpose) -> View:
    """The weekly prompt; in the 4th and 12th week after joining a group it says why this one
    matters a little more."""
    if purpose is Purpose.WEEK4:
        why = t(
            "It's been about four weeks since you joined your group, so this check-in is a good "
            "moment to look at how things have been since you started."
        )
    elif purpose is Purpose.WEEK12:
        why = t(
            "It's been about twelve weeks since you joined your group, so this check-in is a "
            "good moment to look at how things have been since you started."
        )
    else:
        why = t("A few short questions about how you have been lately; it takes a few minutes.")
    greeting = t("🌿 Hi! Time for your weekly check-in.")
    text = f"{greeting}\n\n{why}"
    markup = inline(
        [
            [(start_label(t), StartCheckin(purpose))],
            [(t("🗓 Change the day or time"), OpenCheckinSchedule())],
        ]
    )
    return text, markup


def nudge_view(t: Translator, purpose: Purpose) -> View:
    """The one nudge, two days after an unanswered prompt."""
    text = t(
        "Just a gentle note: this week's check-in is still here whenever you'd like to do it. "
        "And if this week isn't the right time, that's okay too."
    )
    return text, inline([[(start_label(t), StartCheckin(purpose))]])


def baseline_offer_view(t: Translator) -> tuple[str, InlineKeyboardMarkup]:
    """The first check-in, offered as a starting point (below another message's text)."""
    text = t(
        "Would you like to do a first check-in? A few short questions about how you have been "
        "lately. It gives you a starting point, so later you can see how things change. There "
        "is no hurry: you can also start it later with /checkin."
    )
    return text, inline([[(start_label(t), StartCheckin(Purpose.BASELINE))]])
