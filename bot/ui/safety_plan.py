"""Texts and keyboards of the personal safety plan: one question per section, the plan shown
back (only ever to its owner), and section-by-section editing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from bot.domain.contacts import CrisisContact
from bot.domain.safety import MAX_ANSWER_CHARS, SECTIONS, AnswerProblem, PlanSection, SafetyPlan
from bot.domain.text import split_to_fit, utf16_len
from bot.i18n import N_, Translator
from bot.ui.callbacks import CallbackData
from bot.ui.crisis import contacts_brief
from bot.ui.keyboards import in_rows, inline
from bot.ui.view import View

MAX_MESSAGE_UTF16 = 4096  # Telegram's limit, in UTF-16 code units


@dataclass(frozen=True)
class SkipQuestion(CallbackData, prefix="sp:skip"):
    pass


@dataclass(frozen=True)
class EditSection(CallbackData, prefix="sp:edit"):
    section: PlanSection


@dataclass(frozen=True)
class ClosePlan(CallbackData, prefix="sp:done"):
    pass


TITLES: dict[PlanSection, str] = {
    PlanSection.WARNING_SIGNS: N_("My warning signs"),
    PlanSection.CALMING: N_("Things that calm me"),
    PlanSection.DISTRACTIONS: N_("People and places that distract me"),
    PlanSection.HELPERS: N_("People I can ask for help"),
    PlanSection.PROFESSIONALS: N_("Professionals and lines I can call"),
    PlanSection.ENVIRONMENT: N_("Making my surroundings safer"),
}
QUESTIONS: dict[PlanSection, str] = {
    PlanSection.WARNING_SIGNS: N_(
        "What tells you a hard moment is starting? Thoughts, feelings, situations or things "
        "you do (for example: not sleeping, pulling away from people)."
    ),
    PlanSection.CALMING: N_(
        "What helps you calm down on your own, even a little? (music, a walk, a shower, "
        "prayer, breathing…)"
    ),
    PlanSection.DISTRACTIONS: N_(
        "Which people or places help take your mind off things? (a friend to chat with, a "
        "café, a park, a place of worship…)"
    ),
    PlanSection.HELPERS: N_(
        "Who can you ask for help when things get hard? Names or nicknames of people you trust."
    ),
    PlanSection.PROFESSIONALS: N_(
        "Which professionals or lines can you call? (your doctor or psychologist, your "
        "Puskesmas, a crisis line — /crisis lists several)"
    ),
    PlanSection.ENVIRONMENT: N_(
        "What can you do to make your surroundings safer when things are hard? (for example: "
        "asking someone you trust to keep certain things for you for a while, not being alone)"
    ),
}


def intro_text(t: Translator) -> str:
    return t(
        "📝 <b>Your safety plan</b>\n\nA safety plan is a short list, in your own words, of what "
        "helps you get through a hard moment. Many people find it more useful than a hotline "
        "alone. There are six short questions; you can skip any of them and change your "
        "answers any time. Only you can see your plan."
    )


def question_view(t: Translator, section: PlanSection, *, current: str | None = None) -> View:
    step = SECTIONS.index(section) + 1
    parts = [
        t("<b>{n}/{total} · {title}</b>", n=step, total=len(SECTIONS), title=t(TITLES[section])),
        t(QUESTIONS[section]),
    ]
    if current is not None:
        parts.append(t("Now: <i>{answer}</i>", answer=current))
    parts.append(
        t("Write your answer in one message (up to {max} characters).", max=MAX_ANSWER_CHARS)
    )
    skip = t("Keep as it is") if current is not None else t("Skip")
    return "\n\n".join(parts), inline([[(skip, SkipQuestion())]])


def answer_problem_text(t: Translator, problem: AnswerProblem) -> str:
    if problem is AnswerProblem.TOO_LONG:
        return t(
            "That's a lot to hold — thank you for writing it. Could you keep this answer under "
            "{max} characters? You can split the most important parts into a shorter note.",
            max=MAX_ANSWER_CHARS,
        )
    return t("Please write your answer as text, or press Skip.")


def plan_messages(t: Translator, plan: SafetyPlan) -> list[str]:
    """The plan as one or more messages, headed as the person's own plan.

    Telegram counts a message's length in UTF-16 code units (an emoji counts twice), so the
    HTML is measured that way (the HTML is never shorter than what Telegram counts). Sections
    are kept whole where they fit; a section too long for one message is cut in its plain
    answer, before escaping, so a cut never falls inside a tag or an entity.
    """
    messages: list[str] = []
    for block in [t("📝 <b>Your safety plan</b>"), *_section_blocks(t, plan)]:
        if messages and utf16_len(messages[-1]) + 2 + utf16_len(block) <= MAX_MESSAGE_UTF16:
            messages[-1] += "\n\n" + block
        else:
            messages.append(block)
    return messages


def _section_blocks(t: Translator, plan: SafetyPlan) -> list[str]:
    blocks = []
    for section, answer in plan.ordered():
        title = f"<b>{t(TITLES[section])}</b>\n"
        room = MAX_MESSAGE_UTF16 - utf16_len(title)
        pieces = [escape(piece) for piece in split_to_fit(answer, room, cost=_escaped_len)]
        blocks += [title + pieces[0], *pieces[1:]]
    return blocks


def _escaped_len(char: str) -> int:
    return utf16_len(escape(char))


def review_view(t: Translator, plan: SafetyPlan) -> View:
    """The edit buttons shown under the plan (as its own message)."""
    text = t("You can change any part of your plan, any time:")
    buttons = [
        (
            ("✏️ " if section in plan.answers else "📝 ") + t(TITLES[section]),
            EditSection(section),
        )
        for section in SECTIONS
    ]
    return text, inline([*in_rows(buttons, 1), [(t("Done"), ClosePlan())]])


def empty_plan_text(t: Translator) -> str:
    return t("Your plan is empty for now: every question was skipped. You can fill it in any time.")


def saved_text(t: Translator) -> str:
    return t("Saved. 🌱 Your plan will be shown first whenever you ask for crisis help.")


def closed_text(t: Translator) -> str:
    return t("Your safety plan is saved. Open it any time with /safetyplan.")


def visitor_view(t: Translator) -> str:
    """For someone who has not joined: the questions to think through (nothing is stored)."""
    questions = "\n".join(f"• <b>{t(TITLES[s])}</b> — {t(QUESTIONS[s])}" for s in SECTIONS)
    return "\n\n".join(
        [
            t(
                "📝 Rangkul keeps a safety plan for members (send /start to join — it stays "
                "private). You can also write one on paper or in your phone's notes. These are "
                "the questions:"
            ),
            questions,
        ]
    )


def crisis_note(t: Translator, contacts: Sequence[CrisisContact]) -> str:
    """Shown after a plan answer that has crisis words in it: saved as written, plus a gentle
    reminder of who can help now."""
    return "\n\n".join(
        [
            t(
                "Thank you for writing this down — it takes courage. If these thoughts are "
                "strong right now, you don't have to wait: you can reach someone now."
            ),
            contacts_brief(t, contacts),
            t(
                "In immediate danger, call <b>112</b> — or <b>119</b> for an ambulance, "
                "<b>110</b> for the police. Send /crisis for more options."
            ),
        ]
    )
