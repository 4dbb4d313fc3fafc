"""Feelings written outside any conversation ("capek banget", "aku gak kuat lagi", "I feel so
alone") get the distress reply instead of the menu hint.

Registered last among the features, just before the catch-alls: a command, a button or a
conversation's step always comes first, and crisis language never gets here (the safety group
answers it and stops).
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.context import RangkulContext
from bot.data_files import distress_detector
from bot.telegram_glue.distress_reply import answer_distress


class _Distress(filters.MessageFilter):
    """A text or caption that expresses distress."""

    def filter(self, message: Message) -> bool:
        text = message.text or message.caption
        return text is not None and distress_detector().detect(text) is not None


async def reply_to_distress(update: Update, context: RangkulContext) -> None:
    """A feeling, not a command: the warm reply and its next steps."""
    await answer_distress(update, context)


def handlers() -> list[BaseHandler]:
    """For the features group, right before the menu's catch-alls."""
    private_text = filters.ChatType.PRIVATE & (filters.TEXT | filters.CAPTION) & ~filters.COMMAND
    return [MessageHandler(private_text & _Distress(), reply_to_distress)]
