"""The one SQLite connection the bot uses: opened lazily, tuned, migrated, and shared.

PTB loads persistence inside ``Application.initialize()``, before any ``post_init`` hook could
open a database, so :class:`Database` connects on first use instead of in a start-up step.

One process, one connection: aiosqlite runs every statement on the connection's own thread, so
SQLite work is serialised anyway. Writers go through :meth:`Database.transaction`, which also
serialises *transactions* between coroutines: without it two coroutines could interleave
statements inside one shared ``BEGIN … COMMIT`` (PTB writes persistence with ``asyncio.gather``).
Plain reads may use :meth:`Database.connection` directly; because they share the connection
they can see a concurrent transaction's uncommitted rows, which is harmless for the single-row
lookups the bot does (the transaction either commits them a moment later or raises).
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite

from bot.storage.migrate import latest_version, migrate

# A second writer (the `migrate` CLI, a backup) holds the lock briefly; wait instead of failing.
BUSY_TIMEOUT_MS = 5000


class StorageError(Exception):
    """The database cannot be used (unreadable, unwritable, not a database, too new).

    The message is one line that names the path, fit to print before exiting with code 2.
    """


def to_db_time(moment: datetime) -> str:
    """An aware datetime as the fixed-width ISO-8601 UTC text every table stores.

    Fixed width (always microseconds) keeps text order equal to time order, so SQL can compare
    and sort timestamps as strings.
    """
    if moment.tzinfo is None:
        raise ValueError("naive datetime: timestamps must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_db_time(text: str) -> datetime:
    """The aware UTC datetime stored by :func:`to_db_time`."""
    return datetime.fromisoformat(text)


class Database:
    """A lazily opened, migrated SQLite database file.

    The constructor does no I/O, so the composition root can build it synchronously.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._conn: aiosqlite.Connection | None = None
        self._closed = False
        self._connect_lock = asyncio.Lock()
        self._tx_lock = asyncio.Lock()
        # The task inside transaction(): lets a nested call fail loudly instead of deadlocking
        # on the non-reentrant lock.
        self._tx_owner: asyncio.Task[object] | None = None

    async def connection(self) -> aiosqlite.Connection:
        """The shared connection, opened, tuned and migrated on first use.

        Raises:
            StorageError: the file cannot be opened, written or migrated, or was closed.
        """
        if self._conn is not None:
            return self._conn
        async with self._connect_lock:
            if self._closed:
                raise StorageError(f"database {self.path} is already closed")
            if self._conn is None:
                self._conn = await self._open()
        return self._conn

    async def _open(self) -> aiosqlite.Connection:
        conn: aiosqlite.Connection | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: no implicit BEGINs from the sqlite3 module; transactions
            # are exactly the ones transaction() and the migrator open.
            conn = await aiosqlite.connect(self.path, isolation_level=None)
            conn.row_factory = aiosqlite.Row
            await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            async with conn.execute("PRAGMA journal_mode = WAL") as cursor:
                row = await cursor.fetchone()
            if row is None or str(row[0]).lower() != "wal":
                raise StorageError(f"database {self.path}: cannot switch to WAL journal mode")
            await conn.execute("PRAGMA synchronous = NORMAL")
            await conn.execute("PRAGMA foreign_keys = ON")
            # Deleted rows are overwritten with zeros, so erased personal data does not linger
            # in free space of pages (which later writes would copy into the WAL again).
            await conn.execute("PRAGMA secure_delete = ON")
            version, known = await migrate(conn), latest_version()
            if version > known:
                # An older bot must not write to a schema it does not know (e.g. after the code
                # was rolled back but the data was not).
                raise StorageError(
                    f"database {self.path} has schema version {version}, "
                    f"newer than this bot ({known})"
                )
        except StorageError:
            await _close_quietly(conn)
            raise
        except (OSError, sqlite3.Error) as exc:
            await _close_quietly(conn)
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise StorageError(f"cannot open database {self.path}: {reason}") from exc
        return conn

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """``BEGIN IMMEDIATE`` … ``COMMIT``, or ``ROLLBACK`` if the block raises.

        IMMEDIATE takes the write lock up front, so a check-then-write inside the block cannot
        be overtaken by another writer. Transactions do not nest.
        """
        conn = await self.connection()
        current = asyncio.current_task()
        if current is not None and current is self._tx_owner:
            raise RuntimeError("Database.transaction() does not nest")
        async with self._tx_lock:
            self._tx_owner = current
            try:
                await conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                    await conn.execute("COMMIT")
                except BaseException:
                    # Also after a failed COMMIT: an open transaction would break every next one.
                    if conn.in_transaction:
                        await conn.execute("ROLLBACK")
                    raise
            finally:
                self._tx_owner = None

    async def checkpoint(self) -> bool:
        """Copies the WAL into the database file and empties it (``TRUNCATE``): old WAL frames
        keep deleted rows until then. Returns False if a reader elsewhere (a backup, another
        process) kept it from completing."""
        conn = await self.connection()
        # The shared connection must not be inside another coroutine's transaction.
        async with self._tx_lock, conn.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cursor:
            row = await cursor.fetchone()
        return row is not None and row[0] == 0

    async def commit(self) -> None:
        """Waits for running transactions and commits anything left open; no-op if never opened."""
        async with self._tx_lock:
            if self._conn is not None:
                await self._conn.commit()

    async def close(self) -> None:
        """Commits and closes the connection. Safe to call more than once."""
        async with self._connect_lock:
            self._closed = True
            if self._conn is None:
                return
            # Taking the transaction lock means a transaction in flight finishes first.
            async with self._tx_lock:
                conn, self._conn = self._conn, None
                await conn.commit()
                await conn.close()


async def _close_quietly(conn: aiosqlite.Connection | None) -> None:
    if conn is None:
        return
    # Already failing with a clearer error; a failed close adds nothing.
    with contextlib.suppress(sqlite3.Error):
        await conn.close()
