"""The weekly questionnaire's buttons and messages: one item per message with its answers as
buttons, the result in plain words, the low-score support and the two offers after it.

Item texts and answer labels come from data/who5.toml and data/phq9.toml in the person's
language (a validated instrument is never paraphrased, so they are not in the catalogs); they
are escaped here. Nothing here is a diagnosis, and nothing a facilitator reads holds an answer,
a score or a band (safe-messaging: warm, no judgement, concrete help first).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Annotated

from bot.domain.contacts import CrisisContact
from bot.domain.instruments import Band, Item, Scale
from bot.domain.questionnaires import Level, Purpose, Who5Result
from bot.i18n import Translator
from bot.ui.callbacks import CallbackData, MaxLen, Natural
from bot.ui.crisis import contacts_brief
from bot.ui.keyboards import Button, inline
from bot.ui.view import View

ItemKey = Annotated[str, MaxLen(12)]


@dataclass(frozen=True)
class StartCheckin(CallbackData, prefix="ck:start"):
    """ "Start" under a check-in prompt or offer: begins the questionnaire, or resumes the one
    left halfway."""

    purpose: Purpose


@dataclass(frozen=True)
class AnswerItem(
    CallbackData,
    prefix="ck:ans",
    own_idempotence="says the question has already been answered",
):
    """An answer to one item of one sitting: a press on an older question answers nothing."""

    sitting: Natural
    item: ItemKey
    value: Natural


@dataclass(frozen=True)
class SkipItem(
    CallbackData,
    prefix="ck:skip",
    own_idempotence="says the question has already been answered",
):
    sitting: Natural
    item: ItemKey


@dataclass(frozen=True)
class ContinueLater(CallbackData, prefix="ck:later"):
    sitting: Natural


@dataclass(frozen=True)
class TakePhq9(
    CallbackData,
    prefix="ck:phq",
    own_idempotence="says the question has already been answered",
):
    """The answer to the PHQ-9 offer after the WHO-5 sitting ``sitting``."""

    sitting: Natural
    take: bool


@dataclass(frozen=True)
class AskForCall(
    CallbackData,
    prefix="ck:call",
    own_idempotence="says the facilitator already knows",
):
    """The answer to "let my facilitator know", asked after the WHO-5 sitting ``sitting``."""

    sitting: Natural
    yes: bool


# --- the questions ----------------------------------------------------------------------------


def item_view(
    t: Translator,
    scale: Scale,
    item: Item,
    *,
    sitting: int,
    number: int,
    total: int,
    can_skip: bool,
) -> View:
    text = "\n\n".join(
        [
            t("<i>Question {number} of {total}</i>", number=number, total=total),
            f"{escape(scale.stem.get(t.lang))}\n<b>{escape(item.text.get(t.lang))}</b>",
        ]
    )
    rows: list[list[Button]] = [
        [(choice.label.get(t.lang), AnswerItem(sitting, item.key, choice.value))]
        for choice in scale.choices
    ]
    if can_skip:
        rows.append([(t("Skip this one"), SkipItem(sitting, item.key))])
    rows.append([(t("Continue later"), ContinueLater(sitting))])
    return text, inline(rows)


def who5_intro(t: Translator) -> str:
    return t(
        "A short check-in: eight questions about the last two weeks, one tap each. There are no "
        "right or wrong answers, and only you see them. You can skip one of the first five, "
        "and stop and continue later.\n\n<i>The first five questions are the WHO-5 Well-Being "
        "Index (Psychiatric Research Unit, Mental Health Centre North Zealand); the last three "
        "are Rangkul's own.</i>"
    )


def phq9_intro(t: Translator) -> str:
    return t(
        "Nine questions about the last two weeks, one tap each. You can stop and continue "
        "later.\n\n<i>This is the PHQ-9 (Patient Health Questionnaire, by Drs. Spitzer, Williams, "
        "Kroenke and colleagues). It is not a diagnosis.</i>"
    )


def resume_note(t: Translator) -> str:
    return t("Welcome back — let's go on where you left off.")


def later_text(t: Translator) -> str:
    return t("Okay — your answers so far are saved. Send /checkin whenever you'd like to go on.")


def hint_text(t: Translator) -> str:
    return t("Please tap one of the answers below (or “Continue later”).")


def lost_text(t: Translator) -> str:
    return t("This check-in has ended. Send /checkin to start a new one whenever you like.")


def passed_text(t: Translator) -> str:
    """The toast for a press whose question has passed."""
    return t("That question has already been answered.")


# --- the result -------------------------------------------------------------------------------


def result_text(t: Translator, result: Who5Result) -> str:
    lines = [
        t("Thank you for checking in."),
        t("Your wellbeing score is <b>{score} out of 100</b>.", score=result.score)
        + " "
        + _level_words(t, result.level),
    ]
    if result.is_baseline:
        lines.append(
            t(
                "This is your first check-in, so it is your starting point: later check-ins "
                "will show you how things change from here."
            )
        )
    else:
        lines.append(_changes(t, result))
    lines.append(t("<i>This score is not a diagnosis; it is a way to notice how you are.</i>"))
    return "\n\n".join(lines)


def _level_words(t: Translator, level: Level) -> str:
    match level:
        case Level.LOW:
            return t("That is low: the last two weeks seem to have been really hard.")
        case Level.POOR:
            return t("That is on the lower side.")
        case Level.FAIR:
            return t("That is a fair level of wellbeing.")


def _changes(t: Translator, result: Who5Result) -> str:
    last = _change_words(t, result.since_previous)
    start = _change_words(t, result.since_baseline)
    if last is None:
        return t("Compared with your starting point: {start}.", start=start)
    return t(
        "Compared with last time: {last}. Compared with your starting point: {start}.",
        last=last,
        start=start,
    )


def _change_words(t: Translator, change: int | None) -> str | None:
    if change is None:
        return None
    if change > 0:
        return t("{n} higher", n=change)
    if change < 0:
        return t("{n} lower", n=-change)
    return t("the same")


def no_score_text(t: Translator) -> str:
    return t("Thank you for checking in. Your answers are saved.")


def support_text(t: Translator, contacts: Sequence[CrisisContact]) -> str:
    """After a low score or a big drop: warm words, people to reach, and what else helps."""
    return "\n\n".join(
        [
            t(
                "It sounds like things have been heavy lately. Thank you for being honest about "
                "it — you don't have to carry this alone. If you'd like to talk to someone, you "
                "can reach out now:"
            ),
            contacts_brief(t, contacts),
            t(
                "In immediate danger, call <b>112</b> — or <b>119</b> for an ambulance, "
                "<b>110</b> for the police. /crisis has more options, /safetyplan your own plan, "
                "and /resources information about services near you."
            ),
        ]
    )


def call_question_view(t: Translator, sitting: int) -> View:
    text = t(
        "Would you like your group's facilitator to know that you may want a check-in call? "
        "They will see only your alias — never your answers or your score."
    )
    return text, inline(
        [
            [(t("Let my facilitator know I may want a check-in call"), AskForCall(sitting, True))],
            [(t("No, thanks"), AskForCall(sitting, False))],
        ]
    )


def call_sent_text(t: Translator) -> str:
    return t(
        "Done — I've let your facilitator know you may want a check-in call. They will see only "
        "your alias. If you need someone right now, please don't wait: send /crisis."
    )


def call_already_text(t: Translator) -> str:
    return t("Your facilitator already knows — the message is on its way.")


def call_declined_text(t: Translator) -> str:
    return t("Okay, I won't tell anyone. You can ask me again after your next check-in.")


def no_facilitator_text(t: Translator) -> str:
    return t(
        "Your group has no facilitator right now, so I couldn't send it. /crisis lists people "
        "you can reach now."
    )


def phq9_offer_view(t: Translator, sitting: int) -> View:
    text = t(
        "If you like, there are nine more questions (the PHQ-9) that look a little closer at "
        "how the last two weeks have been. It is up to you — it is not a test you can fail, and "
        "it is not a diagnosis."
    )
    return text, inline(
        [
            [(t("Answer nine more questions"), TakePhq9(sitting, True))],
            [(t("Not now"), TakePhq9(sitting, False))],
        ]
    )


def phq9_declined_text(t: Translator) -> str:
    return t("That's okay. You can check in again whenever you like with /checkin.")


def phq9_result_text(t: Translator, band: Band) -> str:
    return "\n\n".join(
        [
            t("Thank you for answering these."),
            t(
                "Your answers show <b>{band}</b> over the last two weeks.",
                band=band.words.get(t.lang),
            ),
            t(
                "This is not a diagnosis. Talking with a professional — a doctor at your "
                "Puskesmas, a psychologist or a psychiatrist — can help you understand what "
                "you're going through and what might help. /resources lists services."
            ),
        ]
    )


def phq9_crisis_text(t: Translator) -> str:
    """Above the crisis reply, after item 9 was answered above "not at all"."""
    return t("Thank you for telling me. That matters, and you deserve support right now.")


# --- to the facilitator -----------------------------------------------------------------------


def call_request_text(t: Translator, alias: str) -> str:
    """What a facilitator reads: the alias and the request, never an answer, score or band."""
    return t(
        "<b>{alias}</b> asked for a check-in call. They may appreciate a kind message or a call "
        "from you soon.",
        alias=alias,
    )
