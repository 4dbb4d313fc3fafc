"""The one way the bot answers distress, wherever a message would otherwise get a hint or an
error: outside any conversation, text at a step that waits for a button, and typed steps that
expect a short answer (an alias, search words).

Crisis language never gets here: the safety handler group answers it first and stops. What the
person wrote is neither stored nor logged; only that the reply was shown is logged.
"""

from __future__ import annotations

import logging

from telegram import Update

from bot.context import RangkulContext
from bot.data_files import distress_detector
from bot.domain.distress_detection import DistressSignal
from bot.narrowing import chat_of
from bot.services.safety import can_alert_facilitator
from bot.ui.distress import distress_view

log = logging.getLogger(__name__)


def distress_in(update: Update, context: RangkulContext) -> DistressSignal | None:
    """The distress the person's new message (text or caption) expresses, or None. Not
    ``effective_message``: for a button press that is the bot's own message. Read as crisis
    detection read it for this update (``context.screened``), not afresh."""
    message = update.message
    text = (message.text or message.caption) if message is not None else None
    return distress_detector().detect_screened(context.screened(text)) if text else None


async def answer_distress(update: Update, context: RangkulContext) -> bool:
    """Sends the distress reply, as a new message, if the update expresses distress; says
    whether it did. A step the person was on is theirs to show again afterwards."""
    signal = distress_in(update, context)
    if signal is None:
        return False
    session = await context.session(update)
    can_alert = await can_alert_facilitator(context.services.safety, session.member)
    text, markup = distress_view(
        session.t, signal.concept, can_alert=can_alert, member=session.member is not None
    )
    await chat_of(update).send_message(text, reply_markup=markup)
    log.info("distress reply shown")  # never who, never what they wrote
    return True
