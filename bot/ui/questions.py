"""Anonymous questions (/ask): the asker's steps, the question as facilitators receive it, the
facilitator's answer steps, and the answer as the asker receives it.

Nothing here names a person: facilitators read the group and a ticket number, the asker reads
"a facilitator of <group>". Every person's words are escaped by the translator.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.questions import MAX_OPEN_QUESTIONS, MAX_QUESTION_CHARS, Question, quoted
from bot.domain.safety import AnswerProblem
from bot.i18n import Html, Translator
from bot.ui.callbacks import CallbackData, Natural
from bot.ui.keyboards import inline
from bot.ui.view import View


@dataclass(frozen=True)
class AskGroup(CallbackData, prefix="aq:group"):
    """The asker's choice of group (only shown to people in more than one)."""

    group_id: Natural


@dataclass(frozen=True)
class SendQuestion(CallbackData, prefix="aq:send"):
    """Under the preview of a question."""


@dataclass(frozen=True)
class DropQuestion(CallbackData, prefix="aq:drop"):
    """Under the preview of a question: nothing is sent."""


@dataclass(frozen=True)
class AnswerQuestion(
    CallbackData,
    prefix="aq:answer",
    own_idempotence="says who answered already, or that the answer is being written",
):
    """Under a question a facilitator received."""

    question_id: Natural


@dataclass(frozen=True)
class SendAnswer(CallbackData, prefix="aq:reply"):
    """Under the preview of an answer."""

    question_id: Natural


@dataclass(frozen=True)
class DropAnswer(CallbackData, prefix="aq:keep"):
    """Under the preview of an answer: nothing is sent, the question stays open."""

    question_id: Natural


def ticket(number: int) -> str:
    return f"#{number}"


# --- asking ----------------------------------------------------------------------------------


def intro_text(t: Translator) -> Html:
    """Above the first step: what stays hidden, and what the person should leave out."""
    return t(
        "❓ <b>Ask the facilitators</b>\n\n"
        "Your question goes to the facilitators of your group without your alias or your "
        "Telegram account: they see only the group's name and a ticket number. Their answer "
        "comes back to you here.\n\n"
        "They will read exactly what you write, so leave out your name or anything else that "
        "shows who you are if you want to stay anonymous."
    )


def group_choice_view(t: Translator, groups: Sequence[tuple[int, str]]) -> View:
    text = t("Which group's facilitators would you like to ask?")
    return text, inline([[(name, AskGroup(group_id))] for group_id, name in groups])


def write_prompt_text(t: Translator, group_name: str) -> Html:
    return t(
        "Write your question to the facilitators of <b>{group}</b> in one message (up to "
        "{limit} characters). Send /cancel to stop.",
        group=group_name,
        limit=MAX_QUESTION_CHARS,
    )


def question_preview_view(t: Translator, group_name: str, text: str) -> View:
    body = t(
        "This is what the facilitators of <b>{group}</b> will read, with a ticket number and "
        "nothing else about you:\n\n<blockquote>{text}</blockquote>\n\n"
        "Send it? To change it, just send the new version.",
        group=group_name,
        text=text,
    )
    return body, inline([[(t("📨 Send"), SendQuestion()), (t("Cancel"), DropQuestion())]])


def text_problem_text(t: Translator, problem: AnswerProblem | None, length: int = 0) -> Html:
    """A question or an answer that cannot go as it is: too long, empty, or not text."""
    if problem is AnswerProblem.TOO_LONG:
        return t(
            "That's {length} characters, a little more than the {limit} one message can hold. "
            "Could you shorten it and send it again?",
            length=length,
            limit=MAX_QUESTION_CHARS,
        )
    return t(
        "I can only pass on text. Please type it as a message (or send /cancel to stop).",
    )


def question_sent_text(t: Translator, question: Question) -> Html:
    return t(
        "✅ Sent to the facilitators of <b>{group}</b> as question <b>{ticket}</b>. Their "
        "answer will come to you here.",
        group=question.group_name,
        ticket=ticket(question.ticket),
    )


def question_dropped_text(t: Translator) -> Html:
    return t("Okay, I haven't sent it. You can ask with /ask whenever you like.")


def too_many_open_text(t: Translator, open_count: int) -> Html:
    # Only ever said at the limit (5 or more), so the count is always plural.
    return t(
        "You have {n} questions waiting for an answer. That's the most at one time ({limit}), "
        "so the facilitators can keep up: as soon as one is answered you can ask again. If "
        "something can't wait, /crisis shows people you can reach right now.",
        n=open_count,
        limit=MAX_OPEN_QUESTIONS,
    )


def no_group_to_ask_text(t: Translator) -> Html:
    return t(
        "Questions go to the facilitators of a group you are in (or where you have a seat for "
        "a trial session). Right now there is no such group with a facilitator. /groups shows "
        "groups you can join."
    )


def question_crisis_text(t: Translator) -> Html:
    """After the crisis reply, to someone whose question had crisis words: it was not sent."""
    return t(
        "I haven't sent your question. It sounds like you may be going through something very "
        "hard, and an answer here can take a while: the contacts above can help right now. "
        "Whenever you like, you can ask a question again with /ask."
    )


def cannot_ask_text(t: Translator) -> Html:
    """The group can no longer be asked (left it, the trial passed, no facilitator)."""
    return t(
        "I couldn't send it: you can no longer ask this group's facilitators. Send /ask to "
        "see which groups you can ask."
    )


# --- answering -------------------------------------------------------------------------------


def question_view(t: Translator, question: Question, *, answered: bool = False) -> View:
    """A question as every facilitator of its group receives it; once answered, without its
    button."""
    text = t(
        "❓ <b>Anonymous question {ticket}</b> · {group}\n\n<blockquote>{text}</blockquote>",
        ticket=ticket(question.ticket),
        group=question.group_name,
        text=question.text,
    )
    if answered:
        return text + "\n\n" + t("✅ A facilitator has answered this question."), None
    note = t(
        "The bot tells nobody who asked: not you, not the other facilitators. Any facilitator "
        "of the group can answer; the asker receives the first answer, from “a facilitator of "
        "{group}”.",
        group=question.group_name,
    )
    return text + "\n\n" + note, inline([[(t("✍️ Answer"), AnswerQuestion(question.id))]])


def answer_prompt_text(t: Translator, question: Question) -> Html:
    return t(
        "Write your answer to question <b>{ticket}</b> in one message (up to {limit} "
        "characters). The asker will see it as coming from “a facilitator of {group}”, never "
        "your alias. Send /cancel to stop.",
        ticket=ticket(question.ticket),
        limit=MAX_QUESTION_CHARS,
        group=question.group_name,
    )


def answer_preview_view(t: Translator, question: Question, text: str) -> View:
    body = t(
        "Your answer to question <b>{ticket}</b>:\n\n<blockquote>{text}</blockquote>\n\n"
        "Send it? To change it, just send the new version.",
        ticket=ticket(question.ticket),
        text=text,
    )
    buttons = [
        (t("📨 Send answer"), SendAnswer(question.id)),
        (t("Cancel"), DropAnswer(question.id)),
    ]
    return body, inline([buttons])


def answer_sent_text(t: Translator, question: Question) -> Html:
    return t(
        "✅ Your answer to question <b>{ticket}</b> is on its way. Thank you.",
        ticket=ticket(question.ticket),
    )


def answer_dropped_text(t: Translator, question: Question) -> Html:
    return t(
        "Okay, I haven't sent it. Question <b>{ticket}</b> is still open: press “Answer” under "
        "it whenever you're ready.",
        ticket=ticket(question.ticket),
    )


def already_answered_text(t: Translator, question: Question) -> Html:
    """A toast (at most 200 characters)."""
    return t(
        "Question {ticket} has already been answered by a facilitator.",
        ticket=ticket(question.ticket),
    )


def already_answering_text(t: Translator, question: Question) -> Html:
    """A toast for a second press of Answer while the answer is being written."""
    return t(
        "You're writing the answer to question {ticket}: send it as a message below.",
        ticket=ticket(question.ticket),
    )


def answer_not_sent_text(t: Translator, question: Question) -> Html:
    return t(
        "Question <b>{ticket}</b> was answered by another facilitator in the meantime, so "
        "yours was not sent. Thank you for being ready to help.",
        ticket=ticket(question.ticket),
    )


def question_gone_text(t: Translator) -> Html:
    return t("This question no longer exists: the person may have deleted their data.")


def not_facilitator_text(t: Translator) -> Html:
    return t("Only the facilitators of this question's group can answer it.")


def step_passed_text(t: Translator) -> Html:
    """A toast for a Send or Cancel pressed after its step (a double tap, an old preview)."""
    return t("This has already been taken care of.")


# --- the answer, to the asker ------------------------------------------------------------------


def answer_text(t: Translator, question: Question) -> Html:
    return t(
        "💬 <b>A facilitator of {group} answered your question {ticket}</b>\n\n"
        "<blockquote>{question}</blockquote>\n\n{answer}\n\n"
        "<i>Replies here don't reach them: to ask more, send /ask. If you need help right "
        "now, send /crisis.</i>",
        group=question.group_name,
        ticket=ticket(question.ticket),
        question=quoted(question.text),
        answer=question.answer or "",
    )
