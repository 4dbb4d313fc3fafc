"""/progress and "My progress": the chart of the person's WHO-5 scores and daily moods."""

from __future__ import annotations

import asyncio
import logging
import time
from io import BytesIO

from telegram import InputFile, Update
from telegram.constants import ChatAction
from telegram.ext import BaseHandler, CommandHandler

from bot.context import RangkulContext
from bot.narrowing import chat_of
from bot.services.moods import progress
from bot.telegram_glue.chat import show
from bot.telegram_glue.registered import member_or_refuse
from bot.ui.callbacks import on_button
from bot.ui.mood import ShowProgress
from bot.ui.progress_chart import progress_caption, render_chart, too_little_view

log = logging.getLogger(__name__)


async def show_progress(
    update: Update, context: RangkulContext, _: ShowProgress | None = None
) -> None:
    """The chart with its summary as caption, in a message of its own; with fewer than two
    points, a friendly word and a way to record a mood instead."""
    member = await member_or_refuse(update, context)
    if member is None:
        return
    session = await context.session(update)
    query = update.callback_query
    s = context.services
    series = await progress(s.moods, s.clock, member)
    if not series.drawable:
        await show(update, *too_little_view(session.t), edit=False)
        return
    if query is not None:
        await query.answer()
    chat = chat_of(update)
    await chat.send_chat_action(ChatAction.UPLOAD_PHOTO)
    started = time.perf_counter()
    # Off the event loop: a render takes a few hundred milliseconds of CPU.
    png = await asyncio.to_thread(render_chart, session.t, series)
    log.info("progress chart rendered in %.0f ms", (time.perf_counter() - started) * 1000)
    await chat.send_photo(
        InputFile(BytesIO(png), filename="progress.png"),
        caption=progress_caption(session.t, series),
    )


def handlers() -> list[BaseHandler]:
    return [CommandHandler("progress", show_progress), on_button(ShowProgress, show_progress)]
