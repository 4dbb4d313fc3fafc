"""A message to one's buddy ("Write to …", "Reply"): one typed text, checked, then relayed.

One message per press, with no preview: writing to a buddy should feel like a chat, and ending
after each message means nothing typed later (a note to oneself, an answer to another step)
can reach the buddy by mistake. "Write another" under the confirmation starts the next one.

Like /ask (bot/conversations/ask.py), this conversation lives in the safety handler group and
screens its own text, in this order:

1. Crisis language: the sender gets the crisis reply (whose "Let my facilitator know" is the
   consented way to a facilitator) and a word that nothing was sent; the flow ends, nothing
   is stored or relayed, and the buddy learns nothing. A buddy is a peer, not a crisis line.
2. Contact details (bot.domain.off_platform): held back with a kind explanation; the step
   stays open for a new version.
3. Relayed (stored for the report button, planned through the outbox). Distress that is not a
   crisis is relayed, since sharing a hard week is what buddies are for, and the sender also
   gets the warm distress reply, so the bot answers it too and not only a peer.

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
from bot.ui.buddies import WriteToBuddy
from bot.ui.callbacks import on_button
from bot.ui.meeting_forms import use_buttons_hint
from bot.ui.menu import expired_button_text
from bot.ui.privacy import new_notice_view
from bot.ui.view import View


class Step(enum.IntEnum):
    TEXT = 1


@dataclass
class BuddyDraft:
    pairing_id: int = 0


async def _view(
    update: Update, context: RangkulContext, step: Step, draft: BuddyDraft
) -> View | Step | None:
    member = (await context.session(update)).member
    if member is None:
        return None
    target = await service.relay_target(context.services.buddies, member, draft.pairing_id)
    if target is None:
        return None
    return views.write_prompt_text((await context.session(update)).t, target[1]), None


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
        return Step.TEXT if draft.pairing_id else ConversationHandler.END
    if draft.pairing_id == action.pairing_id:
        await query.answer(views.already_writing_text(t, target[1]))
        return Step.TEXT
    await query.answer()
    FLOW.keep(context, BuddyDraft(action.pairing_id))
    await follow_up(update, views.write_prompt_text(t, target[1]))
    return Step.TEXT


async def take_text(update: Update, context: RangkulContext) -> int:
    """The message: checked, screened, relayed (see the module docstring for the order)."""
    session = await context.session(update)
    t, member, s = session.t, session.member, context.services
    draft = FLOW.draft(context)
    text, problem, length = clean_message(text_of(update))
    if text is None:
        await follow_up(update, views.text_problem_text(t, problem, length))
        return Step.TEXT
    if (signal := screen_relay_text(text)) is not None:
        await send_crisis_reply(update, context, CrisisSource.DETECTED, signal)
        await follow_up(update, views.relay_crisis_text(t))
        return await FLOW.end(update, context)
    if kinds := contact_details(text):
        await follow_up(update, views.held_back_text(t, kinds))
        return Step.TEXT
    target = await service.relay_target(s.buddies, member, draft.pairing_id) if member else None
    if member is None or target is None:
        return await FLOW.lost(update, context)
    outcome = await service.relay(s.buddies, s.outbox, s.clock, member, draft.pairing_id, text)
    if outcome is RelayOutcome.ENDED:
        return await FLOW.lost(update, context)
    if outcome is RelayOutcome.SUSPENDED:
        return await FLOW.end(update, context, views.suspended_text(t))
    pairing, alias = target
    await FLOW.end(update, context, *views.sent_view(t, pairing, alias))
    await answer_distress(update, context)
    return ConversationHandler.END


def handlers() -> list[BaseHandler]:
    """The persistent buddy message conversation, for the safety handler group (before
    detection)."""
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    typed = MessageHandler(private & filters.TEXT & ~filters.COMMAND, handled_first(take_text))
    states: dict[object, list[BaseHandler]] = {Step.TEXT: [typed]}
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
