"""The one SQLite connection the bot uses: opened lazily, tuned, migrated, and shared; and the
base of the repositories built on it.

PTB loads persistence inside ``Application.initialize()``, before any ``post_init`` hook could
open a database, so :class:`Database` connects on first use instead of in a start-up step.

One process, one connection, one write lock. aiosqlite runs every statement on the
connection's own thread, so SQLite work is serialised anyway; :meth:`Database.transaction`
also serialises *transactions* between coroutines (an ``asyncio.Lock``): without it two
coroutines could interleave statements inside one shared ``BEGIN … COMMIT`` (PTB writes
persistence with ``asyncio.gather``). Two consequences every caller lives with:

- A plain read (:meth:`Database.connection`, a repository method called without ``tx``) shares
  the connection with whatever transaction another coroutine has open, so it can see that
  transaction's uncommitted rows. That is harmless for what the bot reads outside a
  transaction (single rows to show, and checks that the use case repeats inside its own
  transaction before it writes), but a rule that must hold when something is written is
  checked inside the transaction that writes it.
- Every write, including PTB's persistence after *every* update, waits for the lock: while one
  transaction runs, every reply waits (and since one thread runs every statement, so does a
  long query, in a transaction or not). Transactions therefore stay short (milliseconds): a
  use case that touches hundreds of people splits its work into batches, each its own
  idempotent transaction (bench/transactions_bench.py measures the longest one).

Repositories (:class:`Repository`) follow one convention: every method takes an optional
keyword ``tx``, the connection of an open :meth:`Repository.transaction`. Given, the method runs
inside that transaction, so a use case can re-check its preconditions and write across several
repositories in one transaction; omitted, a read uses the shared connection and a write opens
its own short transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import aiosqlite

from bot.domain.messages import instant_text, parse_instant
from bot.storage.migrate import latest_version, migrate

# A second writer (the `migrate` CLI, a backup) holds the lock briefly; wait instead of failing.
BUSY_TIMEOUT_MS = 5000

# The connection of an open transaction, passed to repository methods as ``tx``.
Tx = aiosqlite.Connection


class StorageError(Exception):
    """The database cannot be used (unreadable, unwritable, not a database, too new).

    The message is one line that names the path, fit to print before exiting with code 2.
    """


# How every table stores an instant: as outbox payloads and drafts carry them
# (bot.domain.messages), fixed-width UTC text that sorts in time order.
to_db_time = instant_text
from_db_time = parse_instant


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
        # A second, idle connection whose only use is `PRAGMA data_version` (see `version`).
        self._watcher: sqlite3.Connection | None = None

    @property
    def version(self) -> int | None:
        """A number that changes whenever anything is committed to the file, by this process or
        any other; None while this process has a transaction running (a plain read may see its
        rows before they are committed) or before the database is open.

        The same number before and after a read means the read saw committed data that is
        still current, so what it found may be kept in memory (bot.context.SessionCache) for as
        long as the number stays the same. SQLite's ``data_version`` of a connection changes
        when *other* connections commit, so it is asked of an idle connection of its own: a
        few microseconds on the event loop, no trip to the connection's thread.
        """
        if self._watcher is None or self._tx_lock.locked():
            return None
        try:
            # fetchall: the statement runs to its end, so no read stays open on the watcher
            # (it would keep a checkpoint from emptying the WAL).
            [(version,)] = self._watcher.execute("PRAGMA data_version").fetchall()
        except sqlite3.Error:
            return None  # busy for a moment (a checkpoint resetting the WAL): nothing is kept
        return int(version)

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
                self._watcher = sqlite3.connect(self.path, isolation_level=None)
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

    def require_transaction(self, tx: Tx) -> None:
        """Raises RuntimeError unless ``tx`` is inside a transaction the *calling task* opened.

        ``tx.in_transaction`` alone is not enough: the connection is shared, so another
        coroutine's open transaction would make it true.
        """
        current = asyncio.current_task()
        if not tx.in_transaction or current is None or current is not self._tx_owner:
            raise RuntimeError("use the connection of an open transaction() as tx")

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
                if self._watcher is not None:
                    self._watcher.close()
                    self._watcher = None


async def _close_quietly(conn: aiosqlite.Connection | None) -> None:
    if conn is None:
        return
    # Already failing with a clearer error; a failed close adds nothing.
    with contextlib.suppress(sqlite3.Error):
        await conn.close()


class Repository:
    """Base of the repositories: queries and row mapping over one :class:`Database`, with the
    ``tx`` convention of the module docstring."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def transaction(self) -> AbstractAsyncContextManager[Tx]:
        """A transaction for a use case; every repository of the same database can join it."""
        return self._db.transaction()

    async def _reading(self, tx: Tx | None) -> Tx:
        """The connection a read runs on: the caller's transaction, or the shared one."""
        if tx is None:
            return await self._db.connection()
        self._db.require_transaction(tx)
        return tx

    async def _fetch_all(
        self, tx: Tx | None, sql: str, params: Sequence[object] = ()
    ) -> list[aiosqlite.Row]:
        """Every row of a read, in one trip to the connection's thread.

        ``async with conn.execute(...) as cursor`` then fetching costs three trips or more
        (execute, fetch, close), each a wake-up of that thread and of the event loop: on the
        reply path (every update reads who is talking) that was most of the bot's own time.
        """
        conn = await self._reading(tx)
        return list(await conn.execute_fetchall(sql, params))

    @asynccontextmanager
    async def _writing(self, tx: Tx | None) -> AsyncIterator[Tx]:
        """The caller's transaction, or a transaction of the write's own."""
        if tx is None:
            async with self._db.transaction() as own:
                yield own
        else:
            self._db.require_transaction(tx)
            yield tx
