"""Crisis safety, answered first from any state of any conversation: /crisis, "Need help now",
crisis language in any message, grounding, and consented facilitator alerts.

These run in the safety handler group, before conversations see the update, and stop further
handling so the conversation the person was in stays exactly where it was. The words that
triggered the crisis flow are never stored or logged: only that the flow ran, for members.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    MessageHandler,
    filters,
)

from bot.context import RangkulContext
from bot.conversations.common import show
from bot.domain.contacts import CrisisContact, contacts_for
from bot.domain.crisis_detection import detect
from bot.domain.member import Member
from bot.domain.safety import CrisisSource
from bot.services import safety as safety_service
from bot.services.safety import AckOutcome, AlertOutcome
from bot.ui import crisis as views
from bot.ui import grounding
from bot.ui.callbacks import args, pattern
from bot.ui.menu import AREA as MENU_AREA
from bot.ui.safety_plan import plan_messages

log = logging.getLogger(__name__)


def _contacts(context: RangkulContext, member: Member | None) -> tuple[CrisisContact, ...]:
    return contacts_for(context.services.contacts, member.province if member else None)


async def send_crisis_reply(update: Update, context: RangkulContext, source: CrisisSource) -> None:
    """The crisis reply: the person's safety plan first (if any), then warm words, contacts and
    the offers. Also for relays that found crisis language (bot.services.safety)."""
    session = await context.session(update)
    services, member, chat = context.services, session.member, update.effective_chat
    await safety_service.record_crisis_flow(services, member, source)
    log.info("crisis flow ran")  # never who, never what they wrote
    if member is not None:
        plan = await services.safety.plan(member.id)
        if not plan.is_empty:
            for text in plan_messages(session.t, plan):
                await chat.send_message(text)
    can_alert = await safety_service.can_alert_facilitator(services, member)
    text, markup = views.crisis_view(session.t, _contacts(context, member), can_alert=can_alert)
    await chat.send_message(text, reply_markup=markup)


async def crisis(update: Update, context: RangkulContext) -> None:
    """/crisis and the menu's "Need help now"."""
    source = CrisisSource.COMMAND
    if update.callback_query is not None:
        await update.callback_query.answer()
        source = CrisisSource.BUTTON
    await send_crisis_reply(update, context, source)
    raise ApplicationHandlerStop


async def detect_crisis(update: Update, context: RangkulContext) -> None:
    """Every private text or caption: crisis language gets the crisis reply, and the message
    goes no further (the conversation stays at its step); anything else passes on.

    A safety-plan answer never reaches this handler: the plan conversation runs just before it
    in the same group and keeps it (bot/conversations/safety_plan.py)."""
    message = update.effective_message
    if detect(message.text or message.caption) is None:
        return
    await send_crisis_reply(update, context, CrisisSource.DETECTED)
    raise ApplicationHandlerStop


async def ask_alert_consent(update: Update, context: RangkulContext) -> None:
    """ "Let my facilitator know": nothing is sent before an explicit yes."""
    session = await context.session(update)
    await show(update, *views.alert_consent_view(session.t), edit=False)
    raise ApplicationHandlerStop


async def answer_alert_consent(update: Update, context: RangkulContext) -> None:
    """Yes: alert the facilitator (and plan the escalation). No: nothing is sent or stored."""
    session = await context.session(update)
    t, member = session.t, session.member
    if args(update.callback_query.data) != ["yes"] or member is None:
        await show(update, views.alert_declined_text(t))
        raise ApplicationHandlerStop
    outcome, _alert = await safety_service.alert_facilitator(context.services, member)
    text = {
        AlertOutcome.SENT: views.alert_sent_text,
        AlertOutcome.ALREADY_SENT: views.alert_already_sent_text,
        AlertOutcome.NO_FACILITATOR: views.no_facilitator_text,
    }[outcome](t)
    await show(update, text)
    raise ApplicationHandlerStop


async def acknowledge(update: Update, context: RangkulContext) -> None:
    """A facilitator's or coordinator's "Acknowledge", re-checked against their role now."""
    session = await context.session(update)
    t, query = session.t, update.callback_query
    (raw,) = args(query.data)[:1] or [""]
    if not raw.isdigit():
        await query.answer(views.not_allowed_text(t), show_alert=True)
        raise ApplicationHandlerStop
    outcome, alert = await safety_service.acknowledge_alert(
        context.services, session.member, session.is_coordinator, int(raw)
    )
    if outcome is AckOutcome.NOT_ALLOWED:
        await query.answer(views.not_allowed_text(t), show_alert=True)
    elif outcome is AckOutcome.GONE or alert is None:
        await show(update, t("This alert no longer exists."))
    else:
        await show(update, views.acknowledged_text(t, alert, session.member.timezone))
    raise ApplicationHandlerStop


async def start_grounding(update: Update, context: RangkulContext) -> None:
    """ "Grounding exercise now" / "Calm down now": a new message, so the crisis reply stays."""
    session = await context.session(update)
    await show(update, *grounding.start_view(session.t), edit=False)
    raise ApplicationHandlerStop


async def senses_step(update: Update, context: RangkulContext) -> None:
    """The next step of the 5-4-3-2-1 senses exercise, edited in place."""
    session = await context.session(update)
    await show(update, *grounding.senses_view(session.t, _step(update)))
    raise ApplicationHandlerStop


async def breathing_step(update: Update, context: RangkulContext) -> None:
    """The next round of slow breathing, edited in place."""
    session = await context.session(update)
    await show(update, *grounding.breathing_view(session.t, _step(update)))
    raise ApplicationHandlerStop


def _step(update: Update) -> int:
    (raw,) = args(update.callback_query.data)[:1] or ["1"]
    return int(raw) if raw.isdigit() else 1


async def grounding_done(update: Update, context: RangkulContext) -> None:
    """After the exercise: calmer, or still not okay (then the crisis reply again)."""
    session = await context.session(update)
    if args(update.callback_query.data) == ["better"]:
        await show(update, grounding.calmer_text(session.t))
        raise ApplicationHandlerStop
    await update.callback_query.answer()
    await send_crisis_reply(update, context, CrisisSource.BUTTON)
    raise ApplicationHandlerStop


def handlers() -> list[BaseHandler]:
    """The safety group's buttons, and crisis detection last (after the safety-plan
    conversation, which keeps its own answers)."""
    buttons = [
        (views.AREA, "alert", _alert_button),
        (views.ACK_AREA, "ack", acknowledge),
        (views.GROUNDING_AREA, "start", start_grounding),
        (views.GROUNDING_AREA, "senses", senses_step),
        (views.GROUNDING_AREA, "breath", breathing_step),
        (views.GROUNDING_AREA, "done", grounding_done),
        (MENU_AREA, "calm", start_grounding),
    ]
    private_text = filters.ChatType.PRIVATE & (filters.TEXT | filters.CAPTION) & ~filters.COMMAND
    return [
        *(CallbackQueryHandler(cb, pattern=pattern(area, action)) for area, action, cb in buttons),
        MessageHandler(private_text, detect_crisis),
    ]


async def _alert_button(update: Update, context: RangkulContext) -> None:
    """ "cr:alert" asks for consent; "cr:alert:yes|no" is the answer."""
    if args(update.callback_query.data):
        await answer_alert_consent(update, context)
    else:
        await ask_alert_consent(update, context)
