"""The first check-in, offered as a starting point at the end of sign-up and on joining a group
(the baseline the 4th- and 12th-week check-ins are compared with)."""

from __future__ import annotations

from telegram import Update

from bot.context import RangkulContext
from bot.domain.member import Member
from bot.telegram_glue.chat import follow_up
from bot.ui.checkin_prompts import baseline_offer_view


async def offer_baseline(update: Update, context: RangkulContext, member: Member) -> None:
    """One message with a "Start" button, to someone who has never completed a check-in."""
    if await context.services.checkins.completed_who5_since(member.id):
        return
    t = (await context.session(update)).t
    await follow_up(update, *baseline_offer_view(t))
