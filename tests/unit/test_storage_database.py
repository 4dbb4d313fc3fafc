"""Database connection, pragmas, transactions and schema migrations against real SQLite files."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import aiosqlite
import pytest

from bot.storage.database import Database, StorageError
from bot.storage.migrate import _statements as split_statements
from bot.storage.migrate import current_version, latest_version, migrate

PACKAGED_0001 = Path(__file__).parents[2] / "bot" / "storage" / "migrations" / "0001_initial.sql"


async def _scalar(conn: aiosqlite.Connection, sql: str, params: tuple = ()) -> object:
    async with conn.execute(sql, params) as cursor:
        row = await cursor.fetchone()
    return row[0]


@pytest.fixture
async def open_raw():
    """Opens bare autocommit connections (as Database does) to build old databases by hand.

    They are closed at teardown even when a test fails: an open aiosqlite connection's thread
    would keep the test process from exiting.
    """
    opened: list[aiosqlite.Connection] = []

    async def open_(path: Path) -> aiosqlite.Connection:
        conn = await aiosqlite.connect(path, isolation_level=None)
        opened.append(conn)
        return conn

    yield open_
    for conn in opened:
        await conn.close()


def _write(directory: Path, name: str, sql: str) -> None:
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(sql, encoding="utf-8")


# --- connection ---


async def test_constructor_does_no_io_and_first_use_creates_directory(
    tmp_path: Path, make_db
) -> None:
    path = tmp_path / "nested" / "dir" / "db.sqlite3"
    database = make_db(path)
    assert not path.parent.exists()
    await database.connection()
    assert path.exists()


async def test_fresh_database_is_migrated_with_wal_and_foreign_keys(db: Database) -> None:
    conn = await db.connection()
    assert await _scalar(conn, "PRAGMA journal_mode") == "wal"
    assert await _scalar(conn, "PRAGMA foreign_keys") == 1
    assert await _scalar(conn, "PRAGMA synchronous") == 1  # NORMAL
    assert await _scalar(conn, "PRAGMA busy_timeout") > 0
    assert await _scalar(conn, "PRAGMA secure_delete") == 1
    assert await current_version(conn) == latest_version() >= 1
    tables = {
        row[0]
        for row in await conn.execute_fetchall("SELECT name FROM sqlite_master WHERE type='table'")
    }
    assert {
        "schema_version",
        "members",
        "member_topics",
        "consents",
        "referral_counts",
        "ptb_conversations",
        "ptb_user_data",
        "ptb_chat_data",
        "ptb_bot_data",
        "ptb_callback_data",
    } <= tables
    # Foreign keys are enforced, not just declared.
    with pytest.raises(sqlite3.IntegrityError):
        await conn.execute("INSERT INTO member_topics (member_id, topic) VALUES (999, 'x')")


async def test_migrate_is_idempotent(db: Database, make_db) -> None:
    conn = await db.connection()
    rows_before = await _scalar(conn, "SELECT COUNT(*) FROM schema_version")
    assert await migrate(conn) == latest_version()
    assert await migrate(conn) == latest_version()
    assert await _scalar(conn, "SELECT COUNT(*) FROM schema_version") == rows_before
    await db.close()

    reopened = make_db(db.path)
    assert await current_version(await reopened.connection()) == latest_version()


async def test_close_is_idempotent_and_final(db: Database) -> None:
    await db.connection()
    await db.close()
    await db.close()
    with pytest.raises(StorageError, match="closed"):
        await db.connection()


async def test_close_without_ever_connecting(tmp_path: Path) -> None:
    database = Database(tmp_path / "never.sqlite3")
    await database.close()
    assert not (tmp_path / "never.sqlite3").exists()


async def test_unusable_parent_raises_storage_error_naming_path(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("plain file")
    path = blocker / "db.sqlite3"
    with pytest.raises(StorageError) as caught:
        await Database(path).connection()
    message = str(caught.value)
    assert str(path) in message
    assert "\n" not in message


async def test_file_that_is_not_a_database_raises_storage_error(tmp_path: Path, make_db) -> None:
    path = tmp_path / "garbage.sqlite3"
    path.write_bytes(b"this is not an sqlite database, just some bytes" * 100)
    with pytest.raises(StorageError, match=r"garbage\.sqlite3"):
        await make_db(path).connection()


async def test_database_from_a_newer_bot_is_refused(tmp_path: Path, make_db) -> None:
    path = tmp_path / "newer.sqlite3"
    first = make_db(path)
    conn = await first.connection()
    await conn.execute(
        "INSERT INTO schema_version (version, applied_at) VALUES (9999, '2030-01-01T00:00:00Z')"
    )
    await first.close()
    with pytest.raises(StorageError, match="9999"):
        await make_db(path).connection()


# --- transactions ---


async def test_transaction_commits_and_rolls_back(db: Database) -> None:
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO referral_counts (source, count) VALUES ('kept', 1)")
    with pytest.raises(ValueError):
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO referral_counts (source, count) VALUES ('lost', 1)")
            raise ValueError("boom")
    conn = await db.connection()
    assert not conn.in_transaction
    sources = [row[0] for row in await conn.execute_fetchall("SELECT source FROM referral_counts")]
    assert sources == ["kept"]


async def test_nested_transaction_fails_instead_of_deadlocking(db: Database) -> None:
    async with db.transaction():
        with pytest.raises(RuntimeError, match="nest"):
            async with db.transaction():
                pass


async def test_concurrent_transactions_are_serialised(db: Database) -> None:
    async def bump() -> None:
        async with db.transaction() as conn:
            await conn.execute(
                "INSERT INTO referral_counts (source, count) VALUES ('x', 1)"
                " ON CONFLICT (source) DO UPDATE SET count = count + 1"
            )
            await asyncio.sleep(0)  # give the others a chance to interleave

    await asyncio.gather(*(bump() for _ in range(50)))
    conn = await db.connection()
    assert await _scalar(conn, "SELECT count FROM referral_counts WHERE source = 'x'") == 50


async def test_data_survives_close_and_reopen(db: Database, make_db) -> None:
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO referral_counts (source, count) VALUES ('poster', 3)")
    await db.close()
    conn = await make_db(db.path).connection()
    assert await _scalar(conn, "SELECT count FROM referral_counts WHERE source='poster'") == 3


async def test_a_checkpoint_empties_the_wal_of_deleted_rows(db: Database) -> None:
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO referral_counts (source, count) VALUES ('pamflet-x', 1)")
    async with db.transaction() as conn:
        await conn.execute("DELETE FROM referral_counts")
    wal = db.path.with_name(db.path.name + "-wal")
    assert b"pamflet-x" in wal.read_bytes()

    assert await db.checkpoint()

    assert wal.read_bytes() == b""
    assert b"pamflet-x" not in db.path.read_bytes()


# --- migrations with test-only migration directories ---


async def test_old_database_upgrades_in_place_keeping_rows(tmp_path: Path, open_raw) -> None:
    migrations = tmp_path / "migrations"
    _write(
        migrations, "0001_people.sql", "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT);"
    )
    path = tmp_path / "old.sqlite3"

    # A version-1 database with rows, as an older bot would have left it.
    conn = await open_raw(path)
    assert await migrate(conn, migrations=migrations) == 1
    await conn.executemany("INSERT INTO people (name) VALUES (?)", [("Ayu",), ("Budi",)])
    await conn.close()

    _write(
        migrations,
        "0002_nicknames.sql",
        """
        -- A comment; with a semicolon inside.
        ALTER TABLE people ADD COLUMN nickname TEXT NOT NULL DEFAULT '';
        UPDATE people SET nickname = 'x;y' WHERE name = 'Ayu';
        """,
    )
    conn = await open_raw(path)
    assert await migrate(conn, migrations=migrations) == 2
    rows = await conn.execute_fetchall("SELECT name, nickname FROM people ORDER BY id")
    assert [tuple(row) for row in rows] == [("Ayu", "x;y"), ("Budi", "")]
    versions = await conn.execute_fetchall("SELECT version FROM schema_version ORDER BY version")
    assert [row[0] for row in versions] == [1, 2]
    await conn.close()


async def test_version_zero_database_without_schema_table_is_migrated(
    tmp_path: Path, open_raw
) -> None:
    migrations = tmp_path / "migrations"
    _write(migrations, "0001_notes.sql", "CREATE TABLE notes (body TEXT);")
    conn = await open_raw(tmp_path / "zero.sqlite3")
    await conn.execute("CREATE TABLE unrelated (x INTEGER)")
    await conn.execute("INSERT INTO unrelated VALUES (42)")
    assert await current_version(conn) == 0
    assert await migrate(conn, migrations=migrations) == 1
    assert await _scalar(conn, "SELECT x FROM unrelated") == 42
    await conn.close()


async def test_member_table_rebuild_keeps_children(tmp_path: Path, open_raw) -> None:
    """A later migration that rebuilds `members` must not cascade-delete topics and consents."""
    migrations = tmp_path / "migrations"
    _write(migrations, "0001_initial.sql", PACKAGED_0001.read_text(encoding="utf-8"))
    path = tmp_path / "rebuild.sqlite3"
    conn = await open_raw(path)
    await conn.execute("PRAGMA foreign_keys = ON")
    assert await migrate(conn, migrations=migrations) == 1
    await conn.execute(
        "INSERT INTO members (id, telegram_id, alias, alias_key, language, timezone,"
        " adult_confirmed_at, created_at) VALUES (1, 100, 'Ayu', 'ayu', 'id', 'Asia/Jakarta',"
        " '2025-01-01T00:00:00.000000+00:00', '2025-01-01T00:00:00.000000+00:00')"
    )
    await conn.execute("INSERT INTO member_topics VALUES (1, 'anxiety')")
    await conn.execute(
        "INSERT INTO consents (member_id, notice_version, given_at)"
        " VALUES (1, 1, '2025-01-01T00:00:00.000000+00:00')"
    )

    _write(
        migrations,
        "0002_rebuild_members.sql",
        """
        CREATE TABLE members_new (
            id INTEGER PRIMARY KEY,
            telegram_id INTEGER NOT NULL UNIQUE,
            alias TEXT NOT NULL,
            alias_key TEXT NOT NULL UNIQUE,
            language TEXT NOT NULL CHECK (language IN ('id', 'en', 'jv')),
            timezone TEXT NOT NULL,
            province TEXT NULL,
            is_coordinator INTEGER NOT NULL DEFAULT 0,
            adult_confirmed_at TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        INSERT INTO members_new SELECT * FROM members;
        DROP TABLE members;
        ALTER TABLE members_new RENAME TO members;
        """,
    )
    assert await migrate(conn, migrations=migrations) == 2
    assert await _scalar(conn, "PRAGMA foreign_keys") == 1  # switched back on
    assert await _scalar(conn, "SELECT COUNT(*) FROM member_topics") == 1
    assert await _scalar(conn, "SELECT COUNT(*) FROM consents") == 1
    await conn.execute("DELETE FROM members WHERE id = 1")
    assert await _scalar(conn, "SELECT COUNT(*) FROM member_topics") == 0  # cascade still works
    await conn.close()


async def test_failing_migration_leaves_previous_version(tmp_path: Path, open_raw) -> None:
    migrations = tmp_path / "migrations"
    _write(migrations, "0001_a.sql", "CREATE TABLE a (x INTEGER);")
    _write(migrations, "0002_b.sql", "CREATE TABLE b (x INTEGER);\nTHIS IS NOT SQL;")
    conn = await open_raw(tmp_path / "fail.sqlite3")
    with pytest.raises(sqlite3.OperationalError):
        await migrate(conn, migrations=migrations)
    assert await current_version(conn) == 1
    assert not conn.in_transaction
    tables = [r[0] for r in await conn.execute_fetchall("SELECT name FROM sqlite_master")]
    assert "a" in tables
    assert "b" not in tables
    await conn.close()


async def test_misnamed_or_duplicate_migrations_are_rejected(tmp_path: Path, open_raw) -> None:
    misnamed = tmp_path / "misnamed"
    _write(misnamed, "1_short.sql", "SELECT 1;")
    duplicate = tmp_path / "duplicate"
    _write(duplicate, "0001_a.sql", "SELECT 1;")
    _write(duplicate, "0001_b.sql", "SELECT 1;")
    conn = await open_raw(tmp_path / "x.sqlite3")
    with pytest.raises(ValueError, match="0001_name"):
        await migrate(conn, migrations=misnamed)
    with pytest.raises(ValueError, match="version 1"):
        await migrate(conn, migrations=duplicate)
    await conn.close()


def test_statement_splitter_respects_strings_comments_and_triggers() -> None:
    script = """
    CREATE TABLE t (x TEXT); -- trailing; comment
    INSERT INTO t VALUES ('a;b');
    CREATE TRIGGER tr AFTER INSERT ON t BEGIN
        INSERT INTO t VALUES ('c');
        SELECT 1;
    END;
    """
    statements = split_statements(script)
    assert len(statements) == 3
    assert "'a;b'" in statements[1]
    assert statements[2].endswith("END;")
    conn = sqlite3.connect(":memory:")
    for statement in statements:
        conn.execute(statement)
    conn.execute("INSERT INTO t VALUES ('d')")
    assert conn.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 3  # a;b, d, c (trigger)
    conn.close()
