"""A facilitator answers an anonymous question ("✍️ Answer"): the text, a preview, then Send.

Any facilitator of the question's group may answer, and the first answer is the one sent: the
role and the question's state are checked again at every press, never taken from the button.
A facilitator who presses Answer once the question is answered gets a toast, and their copy
loses its button and says it was answered. (Copies are not edited the moment someone
answers: the outbox keeps no message ids, and a question not yet delivered is simply
dropped.)

Like the relay to a person in crisis (bot/conversations/alert_reply.py), this conversation
lives in the safety handler group and screens the answer itself: crisis words get the
facilitator the crisis reply and a word that nothing was sent, and the step stays open for
other words.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot.context import RangkulContext
from bot.domain.questions import AnswerOutcome, Question, clean_text
from bot.domain.safety import CrisisSource
from bot.i18n import Translator
from bot.narrowing import query_of, text_of
from bot.services import questions as service
from bot.services.safety import screen_relay_text
from bot.telegram_glue.chat import follow_up
from bot.telegram_glue.conversation import handled_first, persistent_conversation
from bot.telegram_glue.crisis_reply import send_crisis_reply
from bot.telegram_glue.endings import ask_to_forget, cancel
from bot.telegram_glue.flow import StepFlow
from bot.ui import questions as views
from bot.ui.callbacks import on_button
from bot.ui.crisis import relay_crisis_text
from bot.ui.meeting_forms import use_buttons_hint
from bot.ui.questions import AnswerQuestion, DropAnswer, SendAnswer
from bot.ui.view import View


class Step(enum.IntEnum):
    TEXT = 1
    PREVIEW = 2


@dataclass
class AnswerDraft:
    question_id: int = 0
    text: str = ""  # the answer, once written and screened


async def _open_question(update: Update, context: RangkulContext) -> Question | None:
    """The draft's question if this person may still answer it."""
    session = await context.session(update)
    s = context.services
    question_id = FLOW.draft(context).question_id
    refused, question = await service.question_to_answer(
        s.questions, s.roles, session.member, question_id
    )
    return question if refused is None else None


async def _view(
    update: Update, context: RangkulContext, step: Step, draft: AnswerDraft
) -> View | Step | None:
    question = await _open_question(update, context)
    if question is None:
        return None
    t = (await context.session(update)).t
    if step is Step.PREVIEW and draft.text:
        return views.answer_preview_view(t, question, draft.text)
    return views.answer_prompt_text(t, question), None


def _closed_text(t: Translator) -> str:
    return t("This question can no longer be answered: it was answered, or it no longer exists.")


FLOW: StepFlow[Step, AnswerDraft] = StepFlow(
    "answer_question",
    AnswerDraft,
    _view,
    hint=use_buttons_hint,
    typing_hint=lambda t: views.text_problem_text(t, None),
    lost=_closed_text,
)


def _unchanged(context: RangkulContext) -> int:
    """The state as it was, for a refused press: the step of a draft under way, or none."""
    draft = FLOW.draft(context)
    if not draft.question_id:
        return ConversationHandler.END
    return Step.PREVIEW if draft.text else Step.TEXT


async def begin(update: Update, context: RangkulContext, action: AnswerQuestion) -> int:
    """ "Answer" under a question: re-checked now, then the answer is asked for. A refusal or
    a second press changes nothing (a toast; an answered question's copy loses its button)."""
    session = await context.session(update)
    t, query = session.t, query_of(update)
    s = context.services
    refused, question = await service.question_to_answer(
        s.questions, s.roles, session.member, action.question_id
    )
    if refused is AnswerOutcome.GONE:
        await query.answer(views.question_gone_text(t), show_alert=True)
        return _unchanged(context)
    if refused is AnswerOutcome.ALREADY and question is not None:
        await query.answer(views.already_answered_text(t, question), show_alert=True)
        await _edit_pressed(update, views.question_view(t, question, answered=True)[0])
        return _unchanged(context)
    if refused is not None or question is None:
        await query.answer(views.not_facilitator_text(t), show_alert=True)
        return _unchanged(context)
    if FLOW.draft(context).question_id == question.id:
        await query.answer(views.already_answering_text(t, question))
        return _unchanged(context)
    await query.answer()
    FLOW.keep(context, AnswerDraft(question.id))
    await follow_up(update, views.answer_prompt_text(t, question))
    return Step.TEXT


async def _edit_pressed(update: Update, text: str) -> None:
    """The pressed message, re-rendered without buttons (after the toast that answered the
    press; an identical message is already as it should be)."""
    try:
        await query_of(update).edit_message_text(text, reply_markup=None)
    except BadRequest as error:
        if "message is not modified" not in error.message.lower():
            raise


async def take_text(update: Update, context: RangkulContext) -> int:
    """The answer (or a new version at the preview): checked, screened, previewed."""
    session = await context.session(update)
    draft = FLOW.draft(context)
    here = Step.PREVIEW if draft.text else Step.TEXT
    text, problem, length = clean_text(text_of(update))
    if text is None:
        await follow_up(update, views.text_problem_text(session.t, problem, length))
        return here
    if (signal := screen_relay_text(text)) is not None:
        # Held: never relayed, never stored; they may put it in other words.
        await send_crisis_reply(update, context, CrisisSource.DETECTED, signal)
        await follow_up(update, relay_crisis_text(session.t))
        return here
    draft.text = text
    return await FLOW.go(update, context, Step.PREVIEW, draft)


async def send(update: Update, context: RangkulContext, action: SendAnswer) -> int:
    """Send: the first answer wins; a later one is refused with a toast and not sent."""
    session = await context.session(update)
    t = session.t
    draft = FLOW.draft(context)
    if draft.question_id != action.question_id or not draft.text:
        await query_of(update).answer(views.step_passed_text(t))
        return _unchanged(context)
    s = context.services
    outcome, question = await service.answer(
        s.questions, s.roles, s.outbox, s.clock, session.member, draft.question_id, draft.text
    )
    if outcome is AnswerOutcome.SENT and question is not None:
        return await FLOW.end(update, context, views.answer_sent_text(t, question))
    if outcome is AnswerOutcome.ALREADY and question is not None:
        await query_of(update).answer(views.already_answered_text(t, question), show_alert=True)
        await _edit_pressed(update, views.answer_not_sent_text(t, question))
        return await FLOW.end(update, context)
    if outcome is AnswerOutcome.GONE:
        return await FLOW.end(update, context, views.question_gone_text(t))
    return await FLOW.end(update, context, views.not_facilitator_text(t))


async def drop(update: Update, context: RangkulContext, action: DropAnswer) -> int:
    session = await context.session(update)
    if FLOW.draft(context).question_id != action.question_id:
        await query_of(update).answer(views.step_passed_text(session.t))
        return _unchanged(context)
    question = await _open_question(update, context)
    if question is None:
        return await FLOW.end(update, context, _closed_text(session.t))
    return await FLOW.end(update, context, views.answer_dropped_text(session.t, question))


def handlers() -> list[BaseHandler]:
    """The persistent answer conversation, for the safety handler group (before detection)."""
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    typed = MessageHandler(private & filters.TEXT & ~filters.COMMAND, handled_first(take_text))
    states: dict[object, list[BaseHandler]] = {
        Step.TEXT: [typed],
        Step.PREVIEW: [
            on_button(SendAnswer, handled_first(send)),
            on_button(DropAnswer, handled_first(drop)),
            typed,
        ],
    }
    FLOW.add_step_hints(states, wrap=handled_first)
    return [
        persistent_conversation(
            "answer_question",
            allow_reentry=True,
            entry_points=[on_button(AnswerQuestion, handled_first(begin))],
            states=states,
            fallbacks=[
                CommandHandler("cancel", handled_first(FLOW.leaving(cancel))),
                CommandHandler("forget", handled_first(FLOW.leaving(ask_to_forget))),
            ],
        )
    ]
