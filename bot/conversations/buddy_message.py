"""A message to one's buddy ("Write to …", "Reply"): the text, a preview, then Send.

The preview is what keeps a stray text from reaching the buddy: while this conversation waits
(up to its timeout), text meant for something else (a note in another flow started with a
button, a thought typed hours later) only ever becomes a preview, never a message. After Send
the flow ends; "Write another" under the confirmation starts the next one.

Like /ask (bot/conversations/ask.py), this conversation lives in the safety handler group and
screens its own text, in this order:

1. Crisis language: the sender gets the crisis reply (whose "Let my facilitator know" is the
   consented way to a facilitator) and a word that nothing was sent; the flow ends, nothing
   is stored or relayed, and the buddy learns nothing. A buddy is a peer, not a crisis line.
2. Contact details (bot.domain.off_platform): held back with a kind explanation; the step
   stays open for a new version.
3. Previewed, and relayed on Send (stored for the report button, planned through the outbox).
   Distress that is not a crisis may be sent, since sharing a hard week is what buddies are
   for; the sender also gets the warm distress reply when they write it, so the bot answers
   it too and not only a peer.

Being in this group, it checks consent to a changed privacy notice itself (the guard comes
after it).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot.context import RangkulContext
from bot.domain.buddies import RelayOutcome, clean_message
from bot.domain.off_platform import contact_details
from bot.domain.safety import CrisisSource
from bot.narrowing import query_of, text_of
from bot.services import buddies as service
from bot.services.safety import screen_relay_text
from bot.telegram_glue.chat import follow_up
from bot.telegram_glue.conversation import handled_first, persistent_conversation
from bot.telegram_glue.crisis_reply import send_crisis_reply
from bot.telegram_glue.distress_reply import answer_distress
from bot.telegram_glue.endings import ask_to_forget, cancel
from bot.telegram_glue.flow import StepFlow
from bot.ui import buddies as views
from bot.ui.buddies import DropBuddyMessage, SendBuddyMessage, WriteToBuddy
from bot.ui.callbacks import on_button
from bot.ui.meeting_forms import use_buttons_hint
from bot.ui.menu import expired_button_text
from bot.ui.privacy import new_notice_view
from bot.ui.view import View


class Step(enum.IntEnum):
    TEXT = 1
    PREVIEW = 2


@dataclass
class BuddyDraft:
    pairing_id: int = 0
    text: str = ""  # the message, once written and screened


async def _view(
    update: Update, context: RangkulContext, step: Step, draft: BuddyDraft
) -> View | Step | None:
    member = (await context.session(update)).member
    if member is None:
        return None
    target = await service.relay_target(context.services.buddies, member, draft.pairing_id)
    if target is None:
        return None
    t = (await context.session(update)).t
    if step is Step.PREVIEW and draft.text:
        return views.preview_view(t, draft.pairing_id, target[1], draft.text)
    return views.write_prompt_text(t, target[1]), None


FLOW: StepFlow[Step, BuddyDraft] = StepFlow(
    "buddy_message",
    BuddyDraft,
    _view,
    hint=use_buttons_hint,
    typing_hint=lambda t: views.text_problem_text(t, None),
    lost=views.pairing_ended_text,
)


async def begin(update: Update, context: RangkulContext, action: WriteToBuddy) -> int:
    """ "Write to …" / "Reply": the pairing is checked now, then the text is asked for. A
    second press while writing only says to go ahead."""
    session = await context.session(update)
    t, member, s = session.t, session.member, context.services
    query = query_of(update)
    if member is None:
        await query.answer(expired_button_text(t))
        return ConversationHandler.END
    if member.consent_version < s.notice_version:
        await query.answer()
        await follow_up(update, *new_notice_view(t, s.settings.privacy_contact))
        return ConversationHandler.END
    target = await service.relay_target(s.buddies, member, action.pairing_id)
    draft = FLOW.draft(context)
    if target is None:
        await query.answer(views.pairing_over_text(t))
        return _unchanged(context)
    if draft.pairing_id == action.pairing_id:
        await query.answer(views.already_writing_text(t, target[1]))
        return _unchanged(context)
    await query.answer()
    FLOW.keep(context, BuddyDraft(action.pairing_id))
    await follow_up(update, views.write_prompt_text(t, target[1]))
    return Step.TEXT


def _unchanged(context: RangkulContext) -> int:
    """The state as it was, for a refused press: the step of a draft under way, or none."""
    draft = FLOW.draft(context)
    if not draft.pairing_id:
        return ConversationHandler.END
    return Step.PREVIEW if draft.text else Step.TEXT


async def take_text(update: Update, context: RangkulContext) -> int:
    """The message (or a new version at the preview): checked, screened, previewed (see the
    module docstring for the order)."""
    t = (await context.session(update)).t
    draft = FLOW.draft(context)
    here = _unchanged(context)
    text, problem, length = clean_message(text_of(update))
    if text is None:
        await follow_up(update, views.text_problem_text(t, problem, length))
        return here
    if (signal := screen_relay_text(text)) is not None:
        await send_crisis_reply(update, context, CrisisSource.DETECTED, signal)
        await follow_up(update, views.relay_crisis_text(t))
        return await FLOW.end(update, context)
    if kinds := contact_details(text):
        await follow_up(update, views.held_back_text(t, kinds))
        return here
    await answer_distress(update, context)
    draft.text = text
    return await FLOW.go(update, context, Step.PREVIEW, draft)


async def send(update: Update, context: RangkulContext, action: SendBuddyMessage) -> int:
    """Send: relayed once, the pairing re-checked; a second press gets a toast."""
    session = await context.session(update)
    t, member, s = session.t, session.member, context.services
    draft = FLOW.draft(context)
    if member is None or draft.pairing_id != action.pairing_id or not draft.text:
        await query_of(update).answer(views.step_passed_text(t))
        return _unchanged(context)
    target = await service.relay_target(s.buddies, member, draft.pairing_id)
    outcome = await service.relay(
        s.buddies, s.moderation, s.outbox, s.clock, member, draft.pairing_id, draft.text
    )
    if outcome is RelayOutcome.SUSPENDED:
        return await FLOW.end(update, context, views.suspended_text(t))
    if outcome is RelayOutcome.ENDED or target is None:
        return await FLOW.end(update, context, views.pairing_ended_text(t))
    return await FLOW.end(update, context, *views.sent_view(t, *target))


async def drop(update: Update, context: RangkulContext, action: DropBuddyMessage) -> int:
    t = (await context.session(update)).t
    if FLOW.draft(context).pairing_id != action.pairing_id:
        await query_of(update).answer(views.step_passed_text(t))
        return _unchanged(context)
    return await FLOW.end(update, context, views.dropped_text(t))


async def step_passed(update: Update, context: RangkulContext, _: object) -> None:
    """Send or Cancel under a preview whose step has passed: nothing changes, a toast."""
    t = (await context.session(update)).t
    await query_of(update).answer(views.step_passed_text(t))


def handlers() -> list[BaseHandler]:
    """The persistent buddy message conversation, for the safety handler group (before
    detection)."""
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    typed = MessageHandler(private & filters.TEXT & ~filters.COMMAND, handled_first(take_text))
    states: dict[object, list[BaseHandler]] = {
        Step.TEXT: [typed],
        Step.PREVIEW: [
            on_button(SendBuddyMessage, handled_first(send)),
            on_button(DropBuddyMessage, handled_first(drop)),
            typed,
        ],
    }
    FLOW.add_step_hints(states, wrap=handled_first)
    return [
        persistent_conversation(
            "buddy_message",
            allow_reentry=True,
            entry_points=[on_button(WriteToBuddy, handled_first(begin))],
            states=states,
            fallbacks=[
                CommandHandler("cancel", handled_first(FLOW.leaving(cancel))),
                CommandHandler("forget", handled_first(FLOW.leaving(ask_to_forget))),
            ],
        )
    ]


def buttons() -> list[BaseHandler]:
    """Send and Cancel of a preview once its step has passed (with the single-step buttons,
    bot.app): the conversation no longer takes them."""
    return [on_button(action, step_passed) for action in (SendBuddyMessage, DropBuddyMessage)]
