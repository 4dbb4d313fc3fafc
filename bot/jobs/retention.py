"""The retention purge as a JobQueue heartbeat: soon after start-up, then once a day.

What is past its rule is decided against the injected clock (bot.services.retention), never
the job's firing time, so a late or missed firing only delays a deletion, and tests move time
by moving the clock. Only counts are logged.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram.ext import Application, ContextTypes

from bot.domain.retention import DataCategory
from bot.services import retention
from bot.services.container import Services

log = logging.getLogger(__name__)

JOB_NAME = "retention-purge"


async def purge(services: Services) -> dict[DataCategory, int]:
    """One purge pass; afterwards the WAL is emptied so deleted rows leave the files too."""
    s = services
    deleted = await retention.purge_expired(s, s.clock, s.retention)
    if deleted:
        if not await s.db.checkpoint():
            log.warning("retention: the WAL still holds purged rows until the next checkpoint")
        summary = ", ".join(f"{category} {count}" for category, count in deleted.items())
        log.info("retention: purged %s", summary)
    return deleted


def install_retention(
    application: Application,
    interval: timedelta = timedelta(days=1),
    first: timedelta = timedelta(seconds=30),
) -> None:
    """Runs :func:`purge` ``first`` after start-up, then every ``interval``.

    ``misfire_grace_time=None`` and ``coalesce``: a late beat still runs, missed ones collapse.
    """

    async def beat(context: ContextTypes.DEFAULT_TYPE) -> None:
        await purge(context.application.bot_data["services"])

    job_queue = application.job_queue
    if job_queue is None:
        raise RuntimeError("the purge needs PTB's JobQueue (python-telegram-bot[job-queue])")
    job_queue.run_repeating(
        beat,
        interval=interval,
        first=first,
        name=JOB_NAME,
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )
