"""Numbered schema migrations: ``bot/storage/migrations/NNNN_name.sql``, applied in order.

The ``schema_version`` table records every applied version with its time. Each migration runs in
its own transaction together with its ``schema_version`` row, so a failure leaves the database
at the previous version, and running :func:`migrate` again is always safe.

Migrations are plain SQL. Foreign-key enforcement is switched off while one runs (SQLite's
documented procedure for table rebuilds: with it on, dropping the old copy of ``members`` would
cascade-delete every child row) and ``PRAGMA foreign_key_check`` must come back empty before the
migration commits.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.resources import files
from importlib.resources.abc import Traversable

import aiosqlite

_FILE_NAME = re.compile(r"^(?P<version>\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations(source: Traversable | None = None) -> list[Migration]:
    """The migrations in ``source`` (default: the packaged ones), sorted by version.

    Raises:
        ValueError: a ``.sql`` file is misnamed or two files share a version; failing here
            beats silently skipping a migration.
    """
    directory = source if source is not None else files("bot.storage").joinpath("migrations")
    found: dict[int, Migration] = {}
    for entry in directory.iterdir():
        if not entry.name.endswith(".sql"):
            continue
        match = _FILE_NAME.match(entry.name)
        if match is None:
            raise ValueError(f"migration file name must look like 0001_name.sql: {entry.name}")
        version = int(match["version"])
        if version in found:
            raise ValueError(f"two migrations with version {version}")
        found[version] = Migration(version, entry.name, entry.read_text(encoding="utf-8"))
    return [found[version] for version in sorted(found)]


def latest_version(source: Traversable | None = None) -> int:
    """The version a database has once every migration in ``source`` is applied."""
    migrations = load_migrations(source)
    return migrations[-1].version if migrations else 0


async def current_version(conn: aiosqlite.Connection) -> int:
    """The highest applied version; 0 for a database that was never migrated."""
    async with conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ) as cursor:
        if await cursor.fetchone() is None:
            return 0
    async with conn.execute("SELECT MAX(version) FROM schema_version") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row is not None and row[0] is not None else 0


async def migrate(conn: aiosqlite.Connection, migrations: Traversable | None = None) -> int:
    """Applies the pending migrations from ``migrations`` (default: the packaged ones).

    ``conn`` must be in autocommit mode (``isolation_level=None``), as :class:`Database` opens
    it. Returns the resulting schema version, which is higher than any known migration if the
    database was written by a newer bot (the caller decides whether that is acceptable).
    """
    await conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER PRIMARY KEY,"
        " applied_at TEXT NOT NULL)"
    )
    for migration in load_migrations(migrations):
        if migration.version > await current_version(conn):
            await _apply(conn, migration)
    return await current_version(conn)


async def _apply(conn: aiosqlite.Connection, migration: Migration) -> None:
    async with conn.execute("PRAGMA foreign_keys") as cursor:
        row = await cursor.fetchone()
    foreign_keys_were_on = bool(row and row[0])
    # Must happen outside a transaction: SQLite ignores this pragma inside one.
    await conn.execute("PRAGMA foreign_keys = OFF")
    try:
        await conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated between our check and taking the write lock.
            if migration.version > await current_version(conn):
                # executescript() would COMMIT first, so statements run one by one instead.
                for statement in _statements(migration.sql):
                    await conn.execute(statement)
                async with conn.execute("PRAGMA foreign_key_check") as cursor:
                    if await cursor.fetchone() is not None:
                        raise sqlite3.IntegrityError(
                            f"migration {migration.name} leaves rows with broken foreign keys"
                        )
                await conn.execute(
                    "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                    (migration.version, datetime.now(UTC).isoformat(timespec="microseconds")),
                )
        except BaseException:
            await conn.execute("ROLLBACK")
            raise
        await conn.execute("COMMIT")
    finally:
        if foreign_keys_were_on:
            await conn.execute("PRAGMA foreign_keys = ON")


def _statements(script: str) -> list[str]:
    """Splits a script into statements; ``sqlite3.complete_statement`` knows about string
    literals and ``CREATE TRIGGER … BEGIN … END`` bodies, so a ``;`` inside them does not split.
    """
    statements: list[str] = []
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip() != ";":
                statements.append(pending.strip())
            pending = ""
    if pending:
        # An unterminated trigger body or string: let SQLite report it rather than drop it.
        statements.append(pending)
    return statements
