"""The authors' progress messages: a heartbeat looks at every running announcement, edits its
author's one progress message when the count has moved (at most every few seconds, decided on
the injected clock), and settles the final report once no copy is waiting.

Kept apart from the dispatcher on purpose: counting is one indexed query per running
broadcast per beat, not work on every send. An edit is only a display (the report itself goes
through the outbox), so a lost edit costs nothing.
"""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from bot.i18n import get_translator
from bot.services import broadcasts as service
from bot.services.container import Services
from bot.ui import broadcasts as views

log = logging.getLogger(__name__)

JOB_NAME = "broadcast-progress"


async def show_progress(services: Services, bot: Bot) -> None:
    """One beat: every running broadcast's progress message brought up to date."""
    for broadcast in await services.broadcasts.running():
        step = await service.check_progress(
            services.broadcasts, services.outbox, services.clock, broadcast
        )
        if step.progress is None or broadcast.progress_message_id is None:
            continue
        author = await services.members.by_id(broadcast.author_id)
        if author is None:
            continue
        t = get_translator(author.language)
        render = views.finished_text if step.finished else views.progress_text
        try:
            await bot.edit_message_text(
                render(t, step.progress),
                chat_id=author.telegram_id,
                message_id=broadcast.progress_message_id,
            )
        except TelegramError as exc:  # deleted or blocked: the report still comes
            log.info("broadcast progress: not shown (%s)", type(exc).__name__)


def install_broadcast_progress(application: Application, interval_seconds: float = 3.0) -> None:
    async def beat(context: ContextTypes.DEFAULT_TYPE) -> None:
        await show_progress(context.application.bot_data["services"], context.bot)

    job_queue = application.job_queue
    if job_queue is None:
        raise RuntimeError("broadcast progress needs PTB's JobQueue")
    job_queue.run_repeating(
        beat,
        interval=interval_seconds,
        first=interval_seconds,
        name=JOB_NAME,
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )
