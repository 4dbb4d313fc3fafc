"""The first check-in, offered as a starting point at the end of sign-up and on joining a group
(the baseline the 4th- and 12th-week check-ins are compared with)."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.context import RangkulContext
from bot.domain.member import Member
from bot.i18n import Translator
from bot.ui.checkin_prompts import baseline_offer_view
from bot.ui.view import View


async def with_baseline_offer(
    context: RangkulContext, t: Translator, member: Member, view: View
) -> View:
    """``view`` with the offer and its "Start" button below, for someone who has never
    completed a check-in; as it is for everyone else. One message, not two: the offer belongs
    to the moment it follows."""
    if await context.services.checkins.completed_who5_since(member.id):
        return view
    text, markup = view
    offer, start = baseline_offer_view(t)
    above = markup.inline_keyboard if markup is not None else ()
    return f"{text}\n\n{offer}", InlineKeyboardMarkup([*above, *start.inline_keyboard])
