"""A facilitator's one message to the person a crisis alert is about ("💬 Send a message").

Facilitators only ever see an alias, so the bot relays: the facilitator writes one message,
it is delivered through the outbox signed with their alias, and neither side learns the
other's Telegram account. The role is re-checked when the button is pressed and again when
the message is written. The text is stored only in the outbox row, whose payload the outbox
empties once the row is settled (bot/storage/outbox.py); user_data keeps only the alert id.

This conversation lives in the safety handler group, before crisis detection, so it screens
the facilitator's own words itself: crisis language gets them the crisis reply and a word
that nothing was sent, and the step stays open.
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
from bot.domain.safety import AckOutcome, AnswerProblem, CrisisSource, RelayOutcome
from bot.narrowing import query_of, text_of
from bot.services.safety import relay_to_person, staff_alert
from bot.telegram_glue.chat import follow_up, show
from bot.telegram_glue.conversation import handled_first, persistent_conversation
from bot.telegram_glue.crisis_reply import send_crisis_reply
from bot.telegram_glue.endings import ask_to_forget, cancel
from bot.telegram_glue.flow import StepFlow
from bot.ui import crisis as views
from bot.ui.callbacks import on_button
from bot.ui.crisis import ReplyToAlert


class Step(enum.IntEnum):
    TEXT = 1


@dataclass
class AlertReplyDraft:
    alert_id: int = 0  # never the message itself


# One prompt, then text until it is sent: the flow keeps the draft only.
FLOW: StepFlow[Step, AlertReplyDraft] = StepFlow("alert_reply", AlertReplyDraft)


async def begin(update: Update, context: RangkulContext, action: ReplyToAlert) -> int:
    """The button under an alert: re-checked now, then asks for the message."""
    session = await context.session(update)
    query, t = query_of(update), session.t
    s = context.services
    refused, alert = await staff_alert(
        s.safety, s.roles, session.member, session.is_coordinator, action.alert_id
    )
    if refused is AckOutcome.GONE:
        await query.answer(t("This alert no longer exists."), show_alert=True)
        return ConversationHandler.END
    if alert is None:
        await query.answer(views.not_allowed_text(t), show_alert=True)
        return ConversationHandler.END
    await query.answer()
    FLOW.keep(context, AlertReplyDraft(alert.id))
    await follow_up(update, views.relay_prompt(t, alert.alias))
    return Step.TEXT


async def take_text(update: Update, context: RangkulContext) -> int:
    """The message: checked, screened, re-authorised, then planned for delivery."""
    session = await context.session(update)
    t = session.t
    s = context.services
    relayed = await relay_to_person(
        s.safety,
        s.roles,
        s.outbox,
        s.clock,
        session.member,
        session.is_coordinator,
        FLOW.draft(context).alert_id,
        text_of(update),
    )
    match relayed.outcome:
        case RelayOutcome.INVALID:
            assert relayed.problem is not None, "an invalid text always says what is wrong"
            await show(update, views.relay_problem_text(t, relayed.problem))
            return Step.TEXT
        case RelayOutcome.CRISIS:
            await send_crisis_reply(update, context, CrisisSource.DETECTED, relayed.crisis)
            await follow_up(update, views.relay_crisis_text(t))
            return Step.TEXT
        case RelayOutcome.SENT:
            assert relayed.alert is not None, "a sent message always names its alert"
            await show(update, views.relay_sent_text(t, relayed.alert.alias))
        case RelayOutcome.GONE:
            await show(update, t("This alert no longer exists."))
        case RelayOutcome.NOT_ALLOWED:
            await show(update, views.not_allowed_text(t))
    return await FLOW.end(update, context)


async def not_text(update: Update, context: RangkulContext) -> int:
    """A sticker, photo or voice note: only text is relayed."""
    session = await context.session(update)
    await show(update, views.relay_problem_text(session.t, AnswerProblem.EMPTY))
    return Step.TEXT


def handlers() -> list[BaseHandler]:
    """The persistent relay conversation, for the safety handler group (before detection)."""
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    return [
        persistent_conversation(
            "alert_reply",
            allow_reentry=True,
            entry_points=[on_button(ReplyToAlert, handled_first(begin))],
            states={
                Step.TEXT: [
                    MessageHandler(
                        private & filters.TEXT & ~filters.COMMAND, handled_first(take_text)
                    ),
                    MessageHandler(private & ~filters.COMMAND, handled_first(not_text)),
                ],
            },
            fallbacks=[
                CommandHandler("cancel", handled_first(FLOW.leaving(cancel))),
                CommandHandler("forget", handled_first(FLOW.leaving(ask_to_forget))),
            ],
        )
    ]
