"""``rangkul backup`` and ``rangkul restore``: a consistent copy of the live database, and
putting one back.

A backup uses SQLite's online backup API from a connection of its own, so the bot keeps running
and writing: the copy is taken in one step inside one read transaction, which in WAL mode never
blocks the bot's writes, and it holds every transaction committed before it began and none
after (including what is still only in the WAL). The copy is written next to its target and
renamed into place once it passed ``PRAGMA integrity_check``, so a failed or interrupted backup
never leaves a half-written file under the name an operator expects. It holds personal data:
it is created readable by its owner only.

A restore refuses while anything has the database open (the bot, a backup): it takes SQLite's
exclusive lock, which an open WAL connection, even an idle one, keeps it from getting. Then the
backup is copied into the database with the same API, so the WAL and shared-memory files stay
consistent with it (copying the file over a WAL database by hand would not).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.operations import OperationError
from bot.storage.migrate import latest_version

# How long a restore waits for the database to be free; a running bot never frees it.
_LOCK_WAIT_SECONDS = 0.5


@dataclass(frozen=True, slots=True)
class Copied:
    """What a backup or restore copied: the file written, its size and schema version."""

    path: Path
    size_bytes: int
    schema_version: int


def backup(database: Path, target: Path, *, force: bool = False) -> Copied:
    """Copies the live ``database`` to ``target`` while the bot may run.

    Raises:
        OperationError: no database there, ``target`` exists (without ``force``) or cannot be
            written, or the copy fails its integrity check.
    """
    if target.exists() and not force:
        raise OperationError(f"{target} already exists (use --force to replace it)")
    if target.is_dir():
        raise OperationError(f"{target} is a directory; give the backup's file name")
    partial = target.with_name(f".{target.name}.partial")
    try:
        _create_private(partial)
        with _open(database, mode="ro") as source, _open(partial, mode="rw") as copy:
            source.backup(copy)  # all pages in one step: one consistent snapshot
            # A backup is one self-contained file; the bot switches to WAL when it opens it.
            copy.execute("PRAGMA journal_mode = DELETE").fetchall()
            _check(copy, partial)
            version = _schema_version(copy, partial)
        with partial.open("rb") as written:
            os.fsync(written.fileno())
        partial.replace(target)
    except OSError as problem:
        raise OperationError(f"cannot write {target}: {problem.strerror or problem}") from None
    finally:
        partial.unlink(missing_ok=True)
    return Copied(target, target.stat().st_size, version)


def restore(backup_file: Path, database: Path) -> Copied:
    """Replaces ``database`` with ``backup_file``; the bot must be stopped.

    Raises:
        OperationError: the backup is missing, damaged or from a newer bot, or the database
            is in use.
    """
    with _open(backup_file, mode="ro") as source:
        _check(source, backup_file)
        version = _schema_version(source, backup_file)
        if version > latest_version():
            raise OperationError(
                f"{backup_file} has schema version {version}, newer than this bot "
                f"({latest_version()}); restore it with the version that made it"
            )
        database.parent.mkdir(parents=True, exist_ok=True)
        with _open(database, mode="rwc", timeout=_LOCK_WAIT_SECONDS) as live:
            _lock_exclusively(live, database)
            source.backup(live)
            _check(live, database)
    return Copied(database, database.stat().st_size, version)


def _lock_exclusively(live: sqlite3.Connection, database: Path) -> None:
    """Keeps the exclusive lock on ``database`` until ``live`` closes, or says who has it."""
    live.execute("PRAGMA locking_mode = EXCLUSIVE").fetchall()
    try:
        live.execute("BEGIN EXCLUSIVE")
        live.execute("COMMIT")  # in exclusive locking mode the lock outlives the transaction
    except sqlite3.OperationalError:
        raise OperationError(
            f"{database} is in use (is the bot running?): stop it, then restore"
        ) from None


def _create_private(path: Path) -> None:
    """An empty file only its owner can read, for SQLite to fill (an empty file is an empty
    database)."""
    path.unlink(missing_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


@contextlib.contextmanager
def _open(path: Path, *, mode: str, timeout: float = 5.0) -> Iterator[sqlite3.Connection]:
    """A connection to ``path`` in the URI ``mode`` (``ro``, ``rw``, ``rwc``): a backup never
    creates the database it reads."""
    if mode != "rwc" and not path.is_file():
        raise OperationError(f"no database at {path}")
    try:
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode={mode}",
            uri=True,
            timeout=timeout,
            isolation_level=None,
        )
    except sqlite3.Error as problem:
        raise OperationError(f"cannot open {path}: {problem}") from None
    try:
        yield conn
    except sqlite3.DatabaseError as problem:
        raise OperationError(f"{path}: {problem}") from None
    finally:
        conn.close()


def _check(conn: sqlite3.Connection, path: Path) -> None:
    result = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
    if result != ["ok"]:
        raise OperationError(f"{path} failed its integrity check: {result[0]}")


def _schema_version(conn: sqlite3.Connection, path: Path) -> int:
    try:
        [(version,)] = conn.execute("SELECT MAX(version) FROM schema_version").fetchall()
    except sqlite3.OperationalError:
        raise OperationError(f"{path} is not a Rangkul database (no schema version)") from None
    return int(version or 0)
