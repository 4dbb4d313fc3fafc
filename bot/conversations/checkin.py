"""/checkin and the "Start" buttons of check-in prompts: the WHO-5 and three quality-of-life
items, one per message with its answers as buttons, then the result; after a low score, support
and two offers, each asked with buttons: telling the facilitator (consent asked every time) and
the PHQ-9 (never forced).

Answers are saved in the ``questionnaires`` row as they are given; the draft holds only which
sitting is on screen, so a restart, "Continue later" or an old "Start" button resume at the
first unanswered item. Every button carries its sitting (and an answer its item): the service
acts only if that is still the current step, else a toast says the question has passed and
nothing changes. Typed text at a question gets StepFlow's kind hint (or the distress reply).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, ConversationHandler, filters

from bot.context import RangkulContext
from bot.data_files import phq9, who5
from bot.domain.contacts import contacts_for
from bot.domain.instruments import WHO5
from bot.domain.member import Member
from bot.domain.questionnaires import (
    Purpose,
    instrument_items,
    is_low,
    may_skip,
    next_item,
    offers_phq9,
)
from bot.domain.safety import CrisisSource
from bot.narrowing import query_of
from bot.services import checkin as service
from bot.services.checkin import Answered, Began, CallOutcome, Instruments, Outcome
from bot.telegram_glue.chat import follow_up, show
from bot.telegram_glue.conversation import common_fallbacks, persistent_conversation
from bot.telegram_glue.crisis_reply import send_crisis_reply
from bot.telegram_glue.flow import StepFlow
from bot.telegram_glue.registered import member_or_refuse
from bot.ui import checkin as views
from bot.ui.callbacks import Area, on_button
from bot.ui.checkin import AnswerItem, AskForCall, ContinueLater, SkipItem, StartCheckin, TakePhq9
from bot.ui.view import View

CONVERSATION = "checkin"
# What a handler returns to leave the conversation's state as it is (PTB: None).
UNCHANGED_STATE = None


class Step(enum.IntEnum):
    ITEM = 1  # a question is on screen


@dataclass
class CheckinDraft:
    """Which sitting is on screen; its answers live in the questionnaires table."""

    sitting: int = 0


def instruments() -> Instruments:
    return Instruments(who5(), phq9())


async def _view(
    update: Update, context: RangkulContext, step: Step, draft: CheckinDraft
) -> View | None:
    """The sitting's first unanswered item; None once it is over (or gone)."""
    session = await context.session(update)
    if session.member is None:
        return None
    sitting = await service.current(
        context.services.questionnaires, session.member.id, draft.sitting
    )
    if sitting is None:
        return None
    found = instruments()
    items = instrument_items(found.who5, found.phq9, sitting.instrument)
    item = next_item(items, sitting.answers)
    if item is None:
        return None
    is_who5 = sitting.instrument == WHO5
    return views.item_view(
        session.t,
        found.who5.scale_of(item.key) if is_who5 else found.phq9.scale,
        item,
        sitting=sitting.id,
        number=items.index(item) + 1,
        total=len(items),
        can_skip=is_who5 and may_skip(found.who5, sitting.answers, item),
    )


FLOW: StepFlow[Step, CheckinDraft] = StepFlow(
    CONVERSATION,
    CheckinDraft,
    _view,
    hint=views.hint_text,
    lost=views.lost_text,
    area=Area.CHECKIN,
    save_before_reply=True,
)


async def _toast(update: Update, context: RangkulContext, text: str | None = None) -> None:
    t = (await context.session(update)).t
    await query_of(update).answer(text or views.passed_text(t))


async def begin(
    update: Update, context: RangkulContext, action: StartCheckin | None = None
) -> int | None:
    """/checkin or a prompt's "Start": the open sitting where it was left, or a new one."""
    member = await member_or_refuse(update, context)
    if member is None:
        return ConversationHandler.END
    purpose = action.purpose if action is not None else Purpose.SELF
    s = context.services
    began = await service.begin(s.questionnaires, s.clock, member.id, purpose)
    # A prompt stays as it was: the questions come in a message of their own.
    return await _show_first(update, context, began, edit=False)


async def _show_first(update: Update, context: RangkulContext, began: Began, *, edit: bool) -> int:
    t = (await context.session(update)).t
    if began.resumed:
        note = views.resume_note(t)
    else:
        note = views.who5_intro(t) if began.sitting.instrument == WHO5 else views.phq9_intro(t)
    return await FLOW.go(
        update, context, Step.ITEM, CheckinDraft(began.sitting.id), edit=edit, note=note
    )


async def answer_item(update: Update, context: RangkulContext, action: AnswerItem) -> int | None:
    return await _answer(update, context, action.sitting, action.item, action.value)


async def skip_item(update: Update, context: RangkulContext, action: SkipItem) -> int | None:
    return await _answer(update, context, action.sitting, action.item, None)


async def _answer(
    update: Update, context: RangkulContext, sitting: int, item: str, value: int | None
) -> int | None:
    member = await member_or_refuse(update, context)
    if member is None:
        return ConversationHandler.END
    s = context.services
    done = await service.answer(
        s.questionnaires, s.clock, instruments(), member.id, sitting, item, value
    )
    match done.outcome:
        case Outcome.STALE:
            await _toast(update, context)
            return UNCHANGED_STATE
        case Outcome.NEXT:
            return await FLOW.go(update, context, Step.ITEM, CheckinDraft(sitting))
        case Outcome.CRISIS:
            t = (await context.session(update)).t
            await FLOW.end(update, context, views.phq9_crisis_text(t))
            await send_crisis_reply(update, context, CrisisSource.DETECTED)
            return ConversationHandler.END
        case Outcome.DONE:
            return await _finish(update, context, member, done)


async def _finish(update: Update, context: RangkulContext, member: Member, done: Answered) -> int:
    """The result in place of the last question, then support and offers where they fit."""
    t = (await context.session(update)).t
    if done.band is not None:
        return await FLOW.end(update, context, views.phq9_result_text(t, done.band))
    result = done.result
    if result is None or done.sitting is None:
        return await FLOW.end(update, context, views.no_score_text(t))
    await FLOW.end(update, context, views.result_text(t, result))
    s = context.services
    found = instruments()
    if is_low(found.who5, result):
        await follow_up(update, views.support_text(t, contacts_for(s.contacts, member.province)))
        if await service.has_facilitator(s.questionnaires, member.id):
            await follow_up(update, *views.call_question_view(t, done.sitting.id))
    if offers_phq9(found.who5, result):
        await follow_up(update, *views.phq9_offer_view(t, done.sitting.id))
    return ConversationHandler.END


async def later(update: Update, context: RangkulContext, action: ContinueLater) -> int | None:
    """ "Continue later": the sitting stays open; /checkin or any "Start" resumes it."""
    member = await member_or_refuse(update, context)
    if member is None:
        return ConversationHandler.END
    if await service.current(context.services.questionnaires, member.id, action.sitting) is None:
        await _toast(update, context)
        return UNCHANGED_STATE
    t = (await context.session(update)).t
    return await FLOW.end(update, context, views.later_text(t))


async def take_phq9(update: Update, context: RangkulContext, action: TakePhq9) -> int | None:
    member = await member_or_refuse(update, context)
    if member is None:
        return ConversationHandler.END
    t = (await context.session(update)).t
    if not action.take:
        await show(update, views.phq9_declined_text(t))
        return UNCHANGED_STATE
    s = context.services
    began = await service.start_phq9(s.questionnaires, s.clock, who5(), member.id, action.sitting)
    if began is None:
        await _toast(update, context)
        return UNCHANGED_STATE
    return await _show_first(update, context, began, edit=True)


async def ask_for_call(update: Update, context: RangkulContext, action: AskForCall) -> int | None:
    member = await member_or_refuse(update, context)
    if member is None:
        return ConversationHandler.END
    t = (await context.session(update)).t
    if not action.yes:
        await show(update, views.call_declined_text(t))
        return UNCHANGED_STATE
    s = context.services
    outcome = await service.ask_for_call(
        s.questionnaires, s.outbox, s.clock, member.id, action.sitting
    )
    match outcome:
        case CallOutcome.SENT:
            await show(update, views.call_sent_text(t))
        case CallOutcome.NO_FACILITATOR:
            await show(update, views.no_facilitator_text(t))
        case CallOutcome.ALREADY:
            await _toast(update, context, views.call_already_text(t))
        case CallOutcome.STALE:
            await _toast(update, context)
    return UNCHANGED_STATE


def handlers() -> list[BaseHandler]:
    """The persistent check-in conversation: every button works from any state (an old
    message included, judged by what it carries); at a question, typed text gets the hint."""
    states: dict[object, list[BaseHandler]] = {Step.ITEM: []}
    FLOW.add_step_hints(states)
    return [
        persistent_conversation(
            CONVERSATION,
            allow_reentry=True,
            entry_points=[
                CommandHandler("checkin", begin, filters=filters.ChatType.PRIVATE),
                on_button(StartCheckin, begin),
                on_button(AnswerItem, answer_item),
                on_button(SkipItem, skip_item),
                on_button(ContinueLater, later),
                on_button(TakePhq9, take_phq9),
                on_button(AskForCall, ask_for_call),
            ],
            states=states,
            fallbacks=common_fallbacks(),
        )
    ]
