"""/crisis and the "Need help now" button: answered first, from any state of any conversation.

These run in the safety handler group, before conversations see the update, and stop further
handling so the conversation the person was in stays exactly where it was.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.context import RangkulContext
from bot.domain.contacts import contacts_for
from bot.ui.crisis import crisis_message

log = logging.getLogger(__name__)


async def crisis(update: Update, context: RangkulContext) -> None:
    """Warm words and crisis contacts (national plus the person's province)."""
    session = await context.session(update)
    province = session.member.province if session.member else None
    contacts = contacts_for(context.services.contacts, province)
    if update.callback_query is not None:
        await update.callback_query.answer()
    # Only that the flow ran is logged: never who, never what they wrote.
    log.info("crisis reply sent")
    await update.effective_chat.send_message(crisis_message(session.t, contacts))
    raise ApplicationHandlerStop
