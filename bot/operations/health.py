"""``rangkul health``: is the bot alive, and does its database open?

A process that merely exists proves little (a stuck event loop answers nobody), so the running
bot touches a heartbeat file next to its database from a JobQueue job: the job runs only while
the event loop, and with it the scheduler that sends reminders, is turning. The check reads that
file's age and opens the database read-only (it never migrates or writes). Docker's
HEALTHCHECK and monitoring scripts call it; it prints one line and exits 0 or 1.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

from telegram.ext import Application, ContextTypes

from bot.operations import OperationError
from bot.storage.migrate import latest_version

HEARTBEAT_EVERY = timedelta(seconds=30)
# Three missed beats: a busy moment (a long purge, a burst of replies) is not an outage.
STALE_AFTER = 3 * HEARTBEAT_EVERY
JOB_NAME = "heartbeat"


def heartbeat_path(database: Path) -> Path:
    """``/data/rangkul.sqlite3`` beats in ``/data/rangkul.sqlite3.alive``."""
    return database.with_name(f"{database.name}.alive")


def install_heartbeat(application: Application, database: Path) -> None:
    """Touches the heartbeat file a second after start, then every :data:`HEARTBEAT_EVERY`
    (``first=0`` would never run: APScheduler drops a start date already past, PTB's docs)."""
    path = heartbeat_path(database)

    async def beat(_: ContextTypes.DEFAULT_TYPE) -> None:
        path.touch()

    job_queue = application.job_queue
    if job_queue is None:
        raise RuntimeError("the heartbeat needs PTB's JobQueue (python-telegram-bot[job-queue])")
    job_queue.run_repeating(
        beat,
        interval=HEARTBEAT_EVERY,
        first=1,
        name=JOB_NAME,
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )


def check_health(database: Path, now: float, stale_after: timedelta = STALE_AFTER) -> str:
    """One line saying what is healthy, at ``now`` (seconds since the epoch, as file times).

    Raises:
        OperationError: the database does not open at the current schema, or the heartbeat is
            missing or older than ``stale_after``.
    """
    if not database.is_file():
        raise OperationError(f"no database at {database}")
    try:
        conn = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            [(version,)] = conn.execute("SELECT MAX(version) FROM schema_version").fetchall()
        finally:
            conn.close()
    except sqlite3.Error as problem:
        raise OperationError(f"database {database} does not open: {problem}") from None
    if version != latest_version():
        raise OperationError(
            f"database {database} is at schema version {version}, the bot at {latest_version()}"
        )
    beat = heartbeat_path(database)
    try:
        age = now - beat.stat().st_mtime
    except FileNotFoundError:
        raise OperationError(f"no heartbeat at {beat}: is the bot running?") from None
    if age > stale_after.total_seconds():
        raise OperationError(f"the bot's last heartbeat was {age:.0f} s ago (stuck or stopped)")
    return f"ok: database at schema version {version}, heartbeat {max(age, 0):.0f} s ago"
