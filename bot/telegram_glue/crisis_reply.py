"""The crisis reply, sent from /crisis, detection, the safety plan and relays alike.

What comes first fits what was recognised (``reply_kind``): for thoughts of suicide or
self-harm, or when the person asked for help, their safety plan (if any) before the short
reply; for harm already done or danger from someone else, the short reply with emergency care
or the police first, and the plan one tap away. The words that triggered the flow are never
stored or logged: only that it ran, for members.
"""

from __future__ import annotations

import logging

from telegram import Chat, Update

from bot.context import RangkulContext
from bot.domain.contacts import CrisisContact, contacts_for
from bot.domain.crisis_detection import CrisisSignal
from bot.domain.member import Member
from bot.domain.safety import CrisisReplyKind, CrisisSource, reply_kind
from bot.i18n import Translator
from bot.narrowing import chat_of
from bot.services import safety as safety_service
from bot.telegram_glue.chat import show
from bot.ui import crisis as views
from bot.ui.safety_plan import plan_messages

log = logging.getLogger(__name__)


def _contacts(context: RangkulContext, member: Member | None) -> tuple[CrisisContact, ...]:
    return contacts_for(context.services.contacts, member.province if member else None)


async def send_crisis_reply(
    update: Update,
    context: RangkulContext,
    source: CrisisSource,
    signal: CrisisSignal | None = None,
    *,
    with_plan: bool = True,
) -> None:
    """The crisis reply for ``signal`` (None: the person asked for help). Also for relays that
    found crisis language (bot.services.safety).

    The plan is best effort: whatever goes wrong loading or sending it is logged (by type
    only) and the reply with the contacts still goes out. ``with_plan=False`` where the person
    is writing their plan right now."""
    session = await context.session(update)
    services, member, chat = context.services, session.member, chat_of(update)
    await safety_service.record_crisis_flow(services.safety, services.clock, member, source)
    log.info("crisis flow ran")  # never who, never what they wrote
    kind = reply_kind(signal)
    if member is not None and with_plan and kind is CrisisReplyKind.PLAN_FIRST:
        await _send_plan(context, session.t, member, chat)
    can_alert = await safety_service.can_alert_facilitator(services.safety, member)
    text, markup = views.crisis_view(
        session.t, _contacts(context, member), kind, can_alert=can_alert
    )
    await chat.send_message(text, reply_markup=markup)


async def expand_crisis_reply(
    update: Update, context: RangkulContext, kind: CrisisReplyKind
) -> None:
    """ "More contacts": the pressed reply grows in place into every contact for the person.
    A second tap (or a tap on an old reply) renders the same message: nothing changes."""
    session = await context.session(update)
    member = session.member
    can_alert = await safety_service.can_alert_facilitator(context.services.safety, member)
    text, markup = views.crisis_view(
        session.t, _contacts(context, member), kind, can_alert=can_alert, expanded=True
    )
    await show(update, text, markup)


async def _send_plan(context: RangkulContext, t: Translator, member: Member, chat: Chat) -> None:
    try:
        plan = await context.services.safety.plan(member.id)
        for text in plan_messages(t, plan) if not plan.is_empty else []:
            await chat.send_message(text)
    except Exception as error:
        # Nothing may keep the contacts from being sent. Logged by type only: a Telegram
        # error's description may quote the plan.
        log.error("crisis flow: safety plan not sent (%s)", type(error).__name__)
