"""Crisis safety, answered first from any state of any conversation: /crisis, "Need help now",
crisis language in any message (command arguments included), grounding, and consented
facilitator alerts.

These run in the safety handler group, before conversations see the update, and stop further
handling so the conversation the person was in stays exactly where it was. The words that
triggered the crisis flow are never stored or logged: only that the flow ran, for members.
"""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.context import RangkulContext
from bot.data_files import crisis_detector
from bot.domain.safety import (
    AckOutcome,
    AlertOutcome,
    AuthoringDraft,
    CrisisSource,
    names_the_topic,
)
from bot.narrowing import chat_of, query_of, user_data_of
from bot.services import safety as safety_service
from bot.telegram_glue.chat import show
from bot.telegram_glue.crisis_reply import expand_crisis_reply, send_crisis_reply
from bot.ui import crisis as views
from bot.ui import grounding
from bot.ui.callbacks import on_button
from bot.ui.crisis import (
    Acknowledge,
    AlertAnswer,
    LetFacilitatorKnow,
    MoreContacts,
    StartGrounding,
)
from bot.ui.grounding import BreathingRound, FeelCalmer, SensesStep, StillNotOkay
from bot.ui.menu import CalmDown, NeedHelp

log = logging.getLogger(__name__)


async def crisis(update: Update, context: RangkulContext, _: NeedHelp | None = None) -> None:
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

    One exception, for staff writing content for others (a group, a meeting place, a
    resource, an announcement: see ``AuthoringDraft``): text that only names the topic
    ("pencegahan bunuh diri", see ``names_the_topic``) gets a short note with /crisis and goes
    on to their step.
    Anything in the first person, any other crisis wording and anything acute still gets the
    full reply and stops, staff or not: a disclosure must never become a meeting place.

    A safety-plan answer never reaches this handler: the plan conversation runs just before it
    in the same group and keeps it (bot/conversations/safety_plan.py)."""
    message = update.effective_message
    # The filters let in only messages with a text or a caption.
    text = (message.text or message.caption) if message is not None else None
    detector = crisis_detector()
    signal = detector.detect_screened(context.screened(text)) if text is not None else None
    if signal is None:
        return
    if names_the_topic(text, detector) and await _is_authoring_staff(update, context):
        session = await context.session(update)
        await chat_of(update).send_message(views.authoring_note(session.t))
        return
    await send_crisis_reply(update, context, CrisisSource.DETECTED, signal)
    raise ApplicationHandlerStop


async def _is_authoring_staff(update: Update, context: RangkulContext) -> bool:
    session = await context.session(update)
    staff = session.is_coordinator or session.is_facilitator
    drafts = context.user_data or {}
    return staff and any(key in drafts for key in AuthoringDraft)


_SEARCH_COMMANDS = frozenset({"resources"})


class _CrisisInArguments(filters.MessageFilter):
    """A command whose arguments (the words after the command, not the command) hold crisis
    language: ``/resources aku mau bunuh diri``."""

    def filter(self, message: Message) -> bool:
        parts = (message.text or "").split(maxsplit=1)
        return len(parts) == 2 and crisis_detector().detect(parts[1]) is not None


async def screen_command(update: Update, context: RangkulContext) -> None:
    """Crisis words after a command: the crisis reply first. The command then waits (the
    reply is what matters now), except a directory search, which goes on below the reply:
    for these words its first results are the crisis lines themselves."""
    message = update.effective_message
    assert message is not None  # a MessageHandler's filters pass only updates with a message
    command, arguments = (message.text or "").split(maxsplit=1)
    signal = crisis_detector().detect(arguments)
    await send_crisis_reply(update, context, CrisisSource.DETECTED, signal)
    if command[1:].split("@")[0].lower() not in _SEARCH_COMMANDS:
        raise ApplicationHandlerStop


def before_conversations() -> list[BaseHandler]:
    """/crisis, "Need help now" and crisis words after a command: for the safety group, before
    any conversation there (one that takes commands, like the safety plan's "another command
    pauses the plan", would otherwise see them first)."""
    return [
        CommandHandler("crisis", crisis),
        on_button(NeedHelp, crisis),
        MessageHandler(
            filters.ChatType.PRIVATE & filters.COMMAND & _CrisisInArguments(), screen_command
        ),
    ]


async def end_authoring(update: Update, context: RangkulContext) -> None:
    """/cancel and /forget end any conversation: the authoring drafts go with them now, so
    a staff member's later crisis message is never mistaken for content. Passes on."""
    for key in AuthoringDraft:
        user_data_of(context).pop(key, None)


async def alert_facilitator(
    update: Update, context: RangkulContext, action: LetFacilitatorKnow
) -> None:
    """ "Let my facilitator know" asks for consent: nothing is sent before an explicit yes.
    Yes alerts the facilitator (and plans the escalation); no sends and stores nothing."""
    session = await context.session(update)
    t, member = session.t, session.member
    if action.answer is None:
        await show(update, *views.alert_consent_view(t), edit=False)
        raise ApplicationHandlerStop
    if action.answer is AlertAnswer.NO or member is None:
        await show(update, views.alert_declined_text(t))
        raise ApplicationHandlerStop
    s = context.services
    outcome, _alert = await safety_service.alert_facilitator(s.safety, s.outbox, s.clock, member)
    text = {
        AlertOutcome.SENT: views.alert_sent_text,
        AlertOutcome.ALREADY_SENT: views.alert_already_sent_text,
        AlertOutcome.NO_FACILITATOR: views.no_facilitator_text,
    }[outcome](t)
    await show(update, text)
    raise ApplicationHandlerStop


async def more_contacts(update: Update, context: RangkulContext, action: MoreContacts) -> None:
    """ "More contacts" under the crisis reply: every contact, in place (idempotent)."""
    await expand_crisis_reply(update, context, action.kind)
    raise ApplicationHandlerStop


async def acknowledge(update: Update, context: RangkulContext, action: Acknowledge) -> None:
    """A facilitator's or coordinator's "Acknowledge", re-checked against their role now."""
    session = await context.session(update)
    t, query = session.t, query_of(update)
    s = context.services
    outcome, alert = await safety_service.acknowledge_alert(
        s.safety,
        s.roles,
        s.outbox,
        s.clock,
        session.member,
        session.is_coordinator,
        action.alert_id,
    )
    if outcome is AckOutcome.NOT_ALLOWED:
        await query.answer(views.not_allowed_text(t), show_alert=True)
    elif outcome is AckOutcome.GONE or alert is None:
        await show(update, t("This alert no longer exists."))
    else:
        # Acknowledged (or already): only staff, so a member, get past acknowledge_alert.
        assert session.member is not None
        await show(update, *views.acknowledged_view(t, alert, session.member.timezone))
    raise ApplicationHandlerStop


async def start_grounding(
    update: Update, context: RangkulContext, _: StartGrounding | CalmDown
) -> None:
    """ "Grounding exercise now" / "Calm down now": a new message, so the crisis reply stays."""
    session = await context.session(update)
    await show(update, *grounding.start_view(session.t), edit=False)
    raise ApplicationHandlerStop


async def senses_step(update: Update, context: RangkulContext, action: SensesStep) -> None:
    """The next step of the 5-4-3-2-1 senses exercise, edited in place."""
    session = await context.session(update)
    await show(update, *grounding.senses_view(session.t, action.step))
    raise ApplicationHandlerStop


async def breathing_round(update: Update, context: RangkulContext, action: BreathingRound) -> None:
    """The next round of slow breathing, edited in place."""
    session = await context.session(update)
    await show(update, *grounding.breathing_view(session.t, action.round))
    raise ApplicationHandlerStop


async def feel_calmer(update: Update, context: RangkulContext, _: FeelCalmer) -> None:
    """After the exercise, a little calmer."""
    session = await context.session(update)
    await show(update, grounding.calmer_text(session.t))
    raise ApplicationHandlerStop


async def still_not_okay(update: Update, context: RangkulContext, _: StillNotOkay) -> None:
    """After the exercise, still not okay: the crisis reply again."""
    await query_of(update).answer()
    await send_crisis_reply(update, context, CrisisSource.BUTTON)
    raise ApplicationHandlerStop


def after_conversations() -> list[BaseHandler]:
    """The safety group's buttons, and crisis detection last (after the safety-plan
    conversation, which keeps its own answers)."""
    private_text = filters.ChatType.PRIVATE & (filters.TEXT | filters.CAPTION) & ~filters.COMMAND
    return [
        on_button(MoreContacts, more_contacts),
        on_button(LetFacilitatorKnow, alert_facilitator),
        on_button(Acknowledge, acknowledge),
        on_button(StartGrounding, start_grounding),
        on_button(SensesStep, senses_step),
        on_button(BreathingRound, breathing_round),
        on_button(FeelCalmer, feel_calmer),
        on_button(StillNotOkay, still_not_okay),
        on_button(CalmDown, start_grounding),
        CommandHandler(["cancel", "forget"], end_authoring),
        MessageHandler(private_text, detect_crisis),
    ]
