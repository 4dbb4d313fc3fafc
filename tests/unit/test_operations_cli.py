"""``rangkul backup``, ``restore`` and ``health`` as an operator runs them: one line on success,
one line and exit code 1 when they cannot do it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from telegram.ext import ApplicationBuilder

from bot.operations import OperationError
from bot.operations.health import JOB_NAME as HEARTBEAT_JOB
from bot.operations.health import (
    STALE_AFTER,
    check_health,
    heartbeat_path,
    install_heartbeat,
)


def rangkul(*args: str, database: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "KEEP_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env={**clean, "DATABASE_PATH": str(database)},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "rangkul.sqlite3"
    assert rangkul("migrate", database=path).returncode == 0
    return path


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    [line] = (result.stdout + result.stderr).strip().splitlines()
    return line


def test_backup_then_restore_round_trip(database: Path, tmp_path: Path) -> None:
    target = tmp_path / "backup.sqlite3"
    made = rangkul("backup", str(target), database=database)
    assert made.returncode == 0 and one_line(made).startswith(f"backed up {database} to {target}")

    again = rangkul("backup", str(target), database=database)
    assert again.returncode == 1
    assert one_line(again) == f"rangkul backup: {target} already exists (use --force to replace it)"
    assert rangkul("backup", "--force", str(target), database=database).returncode == 0

    db = sqlite3.connect(database)
    db.execute("CREATE TABLE written_after_the_backup (x)")
    db.close()  # a connection left open is the bot still running: restore would refuse
    back = rangkul("restore", str(target), database=database)
    assert back.returncode == 0 and one_line(back).startswith(f"restored {target} into {database}")
    with sqlite3.connect(database) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        assert "written_after_the_backup" not in tables and "members" in tables
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_restore_refuses_while_the_database_is_open(database: Path, tmp_path: Path) -> None:
    target = tmp_path / "backup.sqlite3"
    assert rangkul("backup", str(target), database=database).returncode == 0
    bot = sqlite3.connect(database)  # as the running bot holds it: WAL, idle
    bot.execute("SELECT COUNT(*) FROM members").fetchall()
    try:
        refused = rangkul("restore", str(target), database=database)
    finally:
        bot.close()
    assert refused.returncode == 1
    assert "is in use (is the bot running?)" in one_line(refused)


def test_a_missing_database_or_backup_is_one_line(tmp_path: Path) -> None:
    nowhere = tmp_path / "missing.sqlite3"
    failed = rangkul("backup", str(tmp_path / "b.sqlite3"), database=nowhere)
    assert (
        failed.returncode == 1 and one_line(failed) == f"rangkul backup: no database at {nowhere}"
    )
    failed = rangkul("restore", str(nowhere), database=tmp_path / "db.sqlite3")
    assert failed.returncode == 1 and "no database at" in one_line(failed)


def test_health_needs_a_fresh_heartbeat_and_a_database_that_opens(database: Path) -> None:
    stopped = rangkul("health", database=database)
    assert stopped.returncode == 1 and "no heartbeat" in one_line(stopped)

    heartbeat_path(database).touch()
    alive = rangkul("health", database=database)
    assert alive.returncode == 0 and one_line(alive).startswith("ok: database at schema version")

    beat = heartbeat_path(database).stat().st_mtime
    edge = STALE_AFTER.total_seconds()
    assert check_health(database, now=beat + edge).startswith("ok")
    with pytest.raises(OperationError, match="stuck or stopped"):
        check_health(database, now=beat + edge + 1)


def test_health_fails_on_something_that_is_not_the_database(tmp_path: Path) -> None:
    junk = tmp_path / "rangkul.sqlite3"
    junk.write_text("not a database")
    heartbeat_path(junk).touch()
    with pytest.raises(OperationError, match="does not open"):
        check_health(junk, now=time.time(), stale_after=timedelta(minutes=1))


async def test_the_first_heartbeat_comes_a_second_after_start_not_an_interval_later(
    tmp_path: Path,
) -> None:
    """``first=0`` would silently skip the first beat (APScheduler drops a start already
    past): health would then fail for the first 30 seconds of every start."""
    application = ApplicationBuilder().token("1:abc").build()
    install_heartbeat(application, tmp_path / "rangkul.sqlite3")
    assert application.job_queue is not None
    [job] = application.job_queue.get_jobs_by_name(HEARTBEAT_JOB)
    await application.job_queue.start()
    try:
        started = datetime.now(UTC)
        assert job.next_t is not None and job.next_t - started <= timedelta(seconds=2)
    finally:
        await application.job_queue.stop()
