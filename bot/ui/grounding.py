"""Grounding now: a short guided 5-4-3-2-1 senses exercise or slow breathing, one step per
message edit, buttons only (nothing typed, nothing stored), for members and visitors alike."""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import N_, Translator
from bot.ui.callbacks import CallbackData, Natural
from bot.ui.crisis import StartGrounding
from bot.ui.keyboards import inline
from bot.ui.view import View

SENSES: tuple[str, ...] = (
    N_(
        "👀 Look around and name <b>5 things you can see</b>. Take your time: a colour, a shape, "
        "something small."
    ),
    N_(
        "✋ Notice <b>4 things you can touch or feel</b>: your feet on the floor, your clothes, "
        "the chair holding you."
    ),
    N_("👂 Listen for <b>3 things you can hear</b>, near or far."),
    N_("👃 Notice <b>2 things you can smell</b>, or think of two smells you like."),
    N_("👅 Notice <b>1 thing you can taste</b>, or take a slow sip of water."),
)
BREATHING_ROUNDS = 4


@dataclass(frozen=True)
class SensesStep(CallbackData, prefix="gd:senses"):
    step: Natural


@dataclass(frozen=True)
class BreathingRound(CallbackData, prefix="gd:breath"):
    round: Natural


@dataclass(frozen=True)
class FeelCalmer(CallbackData, prefix="gd:done:better"):
    pass


@dataclass(frozen=True)
class StillNotOkay(CallbackData, prefix="gd:done:worse"):
    pass


def start_view(t: Translator) -> View:
    text = t(
        "🌿 <b>Let's slow down together.</b>\n\nFind a position that feels okay. There is no "
        "right or wrong way to do this. Which would you like to try?"
    )
    return text, inline(
        [
            [(t("👀 5-4-3-2-1 senses"), SensesStep(1))],
            [(t("🌬 Slow breathing"), BreathingRound(1))],
        ]
    )


def senses_view(t: Translator, step: int) -> View:
    """Step 1-5 of the senses exercise; past the last step, the closing question."""
    if not 1 <= step <= len(SENSES):
        return finished_view(t)
    text = t("Step {n} of {total}", n=step, total=len(SENSES)) + "\n\n" + t(SENSES[step - 1])
    return text, inline([[(t("Next ➡️"), SensesStep(step + 1))]])


def breathing_view(t: Translator, round_: int) -> View:
    if not 1 <= round_ <= BREATHING_ROUNDS:
        return finished_view(t)
    text = t(
        "🌬 Breathe in slowly through your nose… 1, 2, 3, 4.\nHold gently… 1, 2.\nBreathe out "
        "slowly through your mouth… 1, 2, 3, 4, 5, 6.\n\nRound {n} of {total}. Press the "
        "button after breathing out.",
        n=round_,
        total=BREATHING_ROUNDS,
    )
    return text, inline([[(t("Next breath ➡️"), BreathingRound(round_ + 1))]])


def finished_view(t: Translator) -> View:
    text = t("Well done. You stayed with yourself through that. How are you feeling now?")
    return text, inline(
        [
            [(t("🙂 A little calmer"), FeelCalmer())],
            [(t("😔 Still not okay"), StillNotOkay())],
            [(t("🔁 Once more"), StartGrounding())],
        ]
    )


def calmer_text(t: Translator) -> str:
    return t(
        "I'm glad. You can come back to this any time: 🌿 Calm down now in /menu, or /crisis. "
        "Be gentle with yourself today."
    )
