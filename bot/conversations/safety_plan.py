"""/safetyplan: a member writes, one short step at a time, their personal safety plan, sees it
back and can change any section later.

Answers are stored as soon as they are written (nothing waits in user_data), only for members,
and only their owner ever sees them.

The conversation lives in the safety handler group, just before crisis detection, and every
step it handles stops further handling (``ApplicationHandlerStop(state)``). So:

- crisis words in a plan answer do not interrupt: a plan names hard moments on purpose, so the
  answer is saved as written and a short, gentle note with contacts follows; wording that
  signals acute danger (an intention, a time, preparations: ``is_acute``) is saved too, but
  followed by the full crisis reply before the next question;
- a conversation the person was in before (e.g. /alias, or a crisis reply mid-onboarding)
  stays at its step and resumes after the plan;
- another command while an answer is awaited pauses the plan (everything is already saved)
  and goes on to its own handler; /crisis is answered first and the plan waits.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import RangkulContext
from bot.domain.contacts import contacts_for
from bot.domain.safety import SECTIONS, AnswerProblem, CrisisSource, PlanSection
from bot.narrowing import query_of, text_of
from bot.services.safety import save_plan_answer
from bot.telegram_glue.chat import follow_up, show
from bot.telegram_glue.conversation import handled_first, persistent_conversation
from bot.telegram_glue.crisis_reply import send_crisis_reply
from bot.telegram_glue.endings import ask_to_forget, cancel
from bot.telegram_glue.flow import StepFlow
from bot.ui import safety_plan as views
from bot.ui.callbacks import on_button
from bot.ui.crisis import OpenSafetyPlan
from bot.ui.safety_plan import ClosePlan, EditSection, SkipQuestion


class Step(enum.IntEnum):
    ANSWER = 1
    REVIEW = 2


@dataclass
class PlanDraft:
    """Where the person is in their plan, never their answers (those are saved at once)."""

    section: PlanSection = SECTIONS[0]
    edit: bool = False  # one section changed from the review, not the plan written in order


# The review is the plan in several messages, not one view: the flow keeps the draft only.
FLOW: StepFlow[Step, PlanDraft] = StepFlow("safety_plan", PlanDraft)


async def begin(update: Update, context: RangkulContext, _: OpenSafetyPlan | None = None) -> int:
    """Shows the plan with its edit buttons, or starts it with the first question."""
    session = await context.session(update)
    if session.member is None:
        await show(update, views.visitor_view(session.t), edit=False)
        return ConversationHandler.END
    if update.callback_query is not None:
        await update.callback_query.answer()
    plan = await context.services.safety.plan(session.member.id)
    if not plan.is_empty:
        return await _review(update, context)
    FLOW.keep(context, PlanDraft())
    await follow_up(update, views.intro_text(session.t))
    await follow_up(update, *views.question_view(session.t, SECTIONS[0]))
    return Step.ANSWER


async def answer(update: Update, context: RangkulContext) -> int:
    """A typed answer: checked, saved at once, then the next question (or back to the plan)."""
    session = await context.session(update)
    member = session.member
    assert member is not None, "only members enter the plan (begin)"
    section = FLOW.draft(context).section
    s = context.services
    result = await save_plan_answer(s.safety, s.clock, member, section, text_of(update))
    if result.problem is not None:
        await show(update, views.answer_problem_text(session.t, result.problem))
        return Step.ANSWER
    if result.acute:
        # Saved, but an intention, a time or preparations need more than a note: the full
        # reply (contacts, grounding, the facilitator offer), then the plan goes on.
        await send_crisis_reply(
            update, context, CrisisSource.DETECTED, result.crisis, with_plan=False
        )
    elif result.crisis is not None:
        contacts = contacts_for(context.services.contacts, member.province)
        await follow_up(update, views.crisis_note(session.t, contacts))
    return await _advance(update, context)


async def not_text(update: Update, context: RangkulContext) -> int:
    """A photo, sticker or voice note where an answer is awaited: ask kindly for text."""
    session = await context.session(update)
    await show(update, views.answer_problem_text(session.t, AnswerProblem.EMPTY))
    return Step.ANSWER


async def skip(update: Update, context: RangkulContext, _: SkipQuestion) -> int:
    """Skip (or "keep as it is"): nothing changes for this section."""
    query = query_of(update)
    await query.answer()
    await query.edit_message_reply_markup(None)
    return await _advance(update, context)


async def _advance(update: Update, context: RangkulContext) -> int:
    session = await context.session(update)
    draft = FLOW.draft(context)
    index = SECTIONS.index(draft.section)
    if not draft.edit and index + 1 < len(SECTIONS):
        draft.section = SECTIONS[index + 1]
        FLOW.keep(context, draft)
        await follow_up(update, *views.question_view(session.t, draft.section))
        return Step.ANSWER
    await follow_up(update, views.saved_text(session.t))
    return await _review(update, context)


async def _review(update: Update, context: RangkulContext) -> int:
    """The whole plan back (only to its owner), then the edit buttons."""
    session = await context.session(update)
    assert session.member is not None, "only members enter the plan (begin)"
    FLOW.drop(context)
    plan = await context.services.safety.plan(session.member.id)
    if plan.is_empty:
        await follow_up(update, views.empty_plan_text(session.t))
    for text in views.plan_messages(session.t, plan) if not plan.is_empty else []:
        await follow_up(update, text)
    await follow_up(update, *views.review_view(session.t, plan))
    return Step.REVIEW


async def edit_section(update: Update, context: RangkulContext, action: EditSection) -> int:
    """ "✏️ <section>": that one question again, showing the current answer."""
    session = await context.session(update)
    assert session.member is not None, "only members enter the plan (begin)"
    section = action.section
    plan = await context.services.safety.plan(session.member.id)
    FLOW.keep(context, PlanDraft(section, edit=True))
    await show(update, *views.question_view(session.t, section, current=plan.answers.get(section)))
    return Step.ANSWER


async def done(update: Update, context: RangkulContext, _: ClosePlan) -> int:
    session = await context.session(update)
    return await FLOW.end(update, context, views.closed_text(session.t))


async def step_aside(update: Update, context: RangkulContext) -> int:
    """Another command while an answer is awaited: the plan pauses (all is saved) and the
    command goes on to its own handler (this one does not stop the update)."""
    return await FLOW.end(update, context)


def handlers() -> list[BaseHandler]:
    """The persistent /safetyplan conversation, for the safety handler group."""
    cancel_and_forget = [
        CommandHandler("cancel", handled_first(cancel)),
        CommandHandler("forget", handled_first(ask_to_forget)),
    ]
    return [
        persistent_conversation(
            "safety_plan",
            allow_reentry=True,
            entry_points=[
                CommandHandler("safetyplan", handled_first(begin)),
                on_button(OpenSafetyPlan, handled_first(begin)),
            ],
            states={
                Step.ANSWER: [
                    MessageHandler(
                        filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND,
                        handled_first(answer),
                    ),
                    on_button(SkipQuestion, handled_first(skip)),
                    on_button(EditSection, handled_first(edit_section)),
                    *cancel_and_forget,
                    MessageHandler(filters.COMMAND, step_aside),
                    MessageHandler(
                        filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE,
                        handled_first(not_text),
                    ),
                ],
                Step.REVIEW: [
                    on_button(EditSection, handled_first(edit_section)),
                    on_button(ClosePlan, handled_first(done)),
                ],
            },
            fallbacks=cancel_and_forget,
        )
    ]
