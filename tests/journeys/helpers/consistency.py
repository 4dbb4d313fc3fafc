"""The database of a journey is consistent: SQLite finds no corruption and no row points at
a row that is gone."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from tests.journeys.harness import BotWorld


def assert_database_consistent(world: BotWorld) -> None:
    with closing(sqlite3.connect(world.db_path)) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
