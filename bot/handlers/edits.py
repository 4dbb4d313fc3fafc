"""Edited messages: screened for crisis words, never taken as an answer.

A step has moved on by the time someone edits what they typed (an alias, a group name, a
date), so treating the edit as the answer would change something behind the person's back.
Instead they are told, kindly, to send it again. Crisis words in an edit get the crisis reply
as anywhere else. Nothing of the edited text is stored or logged.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop, BaseHandler, MessageHandler, filters

from bot.context import RangkulContext
from bot.data_files import crisis_detector
from bot.domain.safety import CrisisSource
from bot.narrowing import chat_of
from bot.telegram_glue.crisis_reply import send_crisis_reply
from bot.ui.menu import edit_ignored_text


async def on_edit(update: Update, context: RangkulContext) -> None:
    """Every edited private message stops here, after its crisis screening."""
    message = update.edited_message
    text = (message.text or message.caption or "") if message else ""
    signal = crisis_detector().detect(text)
    if signal is not None:
        await send_crisis_reply(update, context, CrisisSource.DETECTED, signal)
    else:
        session = await context.session(update)
        await chat_of(update).send_message(edit_ignored_text(session.t))
    raise ApplicationHandlerStop


def handlers() -> list[BaseHandler]:
    """For the public group: an edit is screened, never taken as an answer to a step."""
    return [MessageHandler(filters.UpdateType.EDITED_MESSAGE & filters.ChatType.PRIVATE, on_edit)]
