"""/ask: a member (or a trial participant) writes an anonymous question to the facilitators of
one of their groups: the group (when there is a choice), the text, a preview, then Send.

This conversation lives in the safety handler group, before crisis detection, so it screens
the question itself and can say what happened to it. A question with crisis words is HELD:
the person gets the crisis reply at once, then a word that the question was not sent, and the
flow ends with nothing stored (the draft goes too). It is not relayed, not even marked as
needing care, because an anonymous note is the one thing facilitators could not act on and
an answer may take hours; the crisis reply offers what can (contacts now, and "Let my
facilitator know", which reaches a facilitator under the person's alias with their consent
and escalates after 30 minutes). The question is stored only once sent; until then the draft
in user_data holds it. Being in this group, it checks consent to a changed privacy notice
itself (the guard comes after it).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot.context import RangkulContext
from bot.domain.questions import MAX_OPEN_QUESTIONS, AskOutcome, clean_text
from bot.domain.safety import CrisisSource
from bot.narrowing import query_of, text_of
from bot.services import questions as service
from bot.services.safety import screen_relay_text
from bot.telegram_glue.chat import follow_up, show
from bot.telegram_glue.conversation import handled_first, persistent_conversation
from bot.telegram_glue.crisis_reply import send_crisis_reply
from bot.telegram_glue.endings import ask_to_forget, cancel
from bot.telegram_glue.flow import StepFlow
from bot.ui import questions as views
from bot.ui.callbacks import on_button
from bot.ui.meeting_forms import use_buttons_hint
from bot.ui.menu import join_first_text
from bot.ui.privacy import new_notice_view
from bot.ui.questions import AskGroup, DropAnswer, DropQuestion, SendAnswer, SendQuestion
from bot.ui.view import View


class Step(enum.IntEnum):
    GROUP = 1
    TEXT = 2
    PREVIEW = 3


@dataclass
class AskDraft:
    group_id: int = 0
    text: str = ""  # the question, once written and screened


async def _view(
    update: Update, context: RangkulContext, step: Step, draft: AskDraft
) -> View | Step | None:
    session = await context.session(update)
    t, member = session.t, session.member
    if member is None:
        return None
    s = context.services
    groups = await service.askable_groups(s.questions, s.clock, member)
    if step is Step.GROUP:
        return views.group_choice_view(t, groups) if groups else None
    name = dict(groups).get(draft.group_id)
    if name is None:
        return None  # left the group, the trial passed, or no facilitator is left
    if step is Step.PREVIEW and draft.text:
        return views.question_preview_view(t, name, draft.text)
    return views.write_prompt_text(t, name), None


FLOW: StepFlow[Step, AskDraft] = StepFlow(
    "ask",
    AskDraft,
    _view,
    hint=use_buttons_hint,
    typing_hint=lambda t: views.text_problem_text(t, None),
    lost=views.cannot_ask_text,
)


async def begin(update: Update, context: RangkulContext) -> int:
    """/ask: who may ask, how many are open, then the group or straight to the text."""
    session = await context.session(update)
    t, member = session.t, session.member
    s = context.services
    if member is None:
        await show(update, join_first_text(t))
        return ConversationHandler.END
    if member.consent_version < s.notice_version:
        await show(update, *new_notice_view(t, s.settings.privacy_contact))
        return ConversationHandler.END
    open_count = await service.open_count(s.questions, member)
    if open_count >= MAX_OPEN_QUESTIONS:
        await show(update, views.too_many_open_text(t, open_count))
        return ConversationHandler.END
    groups = await service.askable_groups(s.questions, s.clock, member)
    if not groups:
        await show(update, views.no_group_to_ask_text(t))
        return ConversationHandler.END
    only = groups[0][0] if len(groups) == 1 else 0
    FLOW.drop(context)
    step = Step.TEXT if only else Step.GROUP
    return await FLOW.go(update, context, step, AskDraft(group_id=only), note=views.intro_text(t))


async def choose_group(update: Update, context: RangkulContext, action: AskGroup) -> int:
    """A group from the list; the view re-checks that it may still be asked."""
    return await FLOW.go(update, context, Step.TEXT, AskDraft(group_id=action.group_id))


async def take_text(update: Update, context: RangkulContext) -> int:
    """The question (or a new version of it at the preview): checked, screened, previewed."""
    session = await context.session(update)
    draft = FLOW.draft(context)
    text, problem, length = clean_text(text_of(update))
    if text is None:
        await follow_up(update, views.text_problem_text(session.t, problem, length))
        return Step.PREVIEW if draft.text else Step.TEXT
    signal = screen_relay_text(text)
    if signal is not None:
        # Held, not relayed: see the module docstring.
        await send_crisis_reply(update, context, CrisisSource.DETECTED, signal)
        await follow_up(update, views.question_crisis_text(session.t))
        return await FLOW.end(update, context)
    draft.text = text
    return await FLOW.go(update, context, Step.PREVIEW, draft)


async def send(update: Update, context: RangkulContext, _: SendQuestion) -> int:
    """Send: stored and planned for the facilitators, re-checked now."""
    session = await context.session(update)
    t, member = session.t, session.member
    draft = FLOW.draft(context)
    if member is None or not draft.text:
        await query_of(update).answer(views.step_passed_text(t))
        return ConversationHandler.END
    s = context.services
    asked = await service.ask(
        s.questions, s.roles, s.outbox, s.clock, s.rng, member, draft.group_id, draft.text
    )
    match asked.outcome:
        case AskOutcome.SENT:
            assert asked.question is not None, "a sent question is returned"
            return await FLOW.end(update, context, views.question_sent_text(t, asked.question))
        case AskOutcome.TOO_MANY:
            return await FLOW.end(update, context, views.too_many_open_text(t, asked.open_count))
    return await FLOW.end(update, context, views.cannot_ask_text(t))


async def drop(update: Update, context: RangkulContext, _: DropQuestion) -> int:
    session = await context.session(update)
    return await FLOW.end(update, context, views.question_dropped_text(session.t))


async def step_passed(update: Update, context: RangkulContext, _: object) -> None:
    """Send or Cancel under a preview whose step has passed (a double tap, an old preview):
    nothing changes, a toast says so."""
    session = await context.session(update)
    await query_of(update).answer(views.step_passed_text(session.t))


def handlers() -> list[BaseHandler]:
    """The persistent /ask conversation, for the safety handler group (before detection)."""
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    typed = MessageHandler(private & filters.TEXT & ~filters.COMMAND, handled_first(take_text))
    states: dict[object, list[BaseHandler]] = {
        Step.GROUP: [on_button(AskGroup, handled_first(choose_group))],
        Step.TEXT: [typed],
        Step.PREVIEW: [
            on_button(SendQuestion, handled_first(send)),
            on_button(DropQuestion, handled_first(drop)),
            typed,
        ],
    }
    FLOW.add_step_hints(states, wrap=handled_first)
    return [
        persistent_conversation(
            "ask",
            allow_reentry=True,
            entry_points=[
                CommandHandler("ask", handled_first(begin), filters.ChatType.PRIVATE),
            ],
            states=states,
            fallbacks=[
                CommandHandler("cancel", handled_first(FLOW.leaving(cancel))),
                CommandHandler("forget", handled_first(FLOW.leaving(ask_to_forget))),
            ],
        )
    ]


def buttons() -> list[BaseHandler]:
    """Send and Cancel of either preview once its step has passed (with the single-step
    buttons, bot.app): the conversations no longer take them."""
    return [
        on_button(action, step_passed)
        for action in (SendQuestion, DropQuestion, SendAnswer, DropAnswer)
    ]
