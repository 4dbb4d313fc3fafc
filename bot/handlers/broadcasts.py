"""/broadcasts: a facilitator's recent announcements with their reports (coordinators see
everyone's)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.context import RangkulContext
from bot.notifications.broadcasts import audience_of
from bot.telegram_glue.chat import show
from bot.ui import broadcasts as views

RECENT = 10


async def list_broadcasts(update: Update, context: RangkulContext) -> None:
    session = await context.session(update)
    t, services = session.t, context.services
    if session.member is None or not (session.is_coordinator or session.is_facilitator):
        await show(update, views.refused_text(t))
        return
    author = None if session.is_coordinator else session.member.id
    entries = []
    for broadcast in await services.broadcasts.recent(author, RECENT):
        progress = await services.broadcasts.progress(broadcast.id)
        to = await audience_of(services, t, broadcast)
        entries.append(views.history_entry(t, broadcast, to, progress, session.member.timezone))
    await show(update, views.history_text(t, entries, everyone=session.is_coordinator))


def handlers() -> list[BaseHandler]:
    return [CommandHandler("broadcasts", list_broadcasts, filters=filters.ChatType.PRIVATE)]
