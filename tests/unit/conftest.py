"""Shared fixtures for unit tests that need a real SQLite database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.storage.database import Database


@pytest.fixture
async def make_db() -> AsyncIterator[Callable[[Path], Database]]:
    """Builds Databases and closes them all at teardown, even when the test failed: an open
    aiosqlite connection's thread would keep the test process from exiting."""
    made: list[Database] = []

    def make(path: Path) -> Database:
        made.append(Database(path))
        return made[-1]

    yield make
    for database in made:
        await database.close()


@pytest.fixture
def db(make_db: Callable[[Path], Database], tmp_path: Path) -> Database:
    """A fresh database file (in a not-yet-existing folder, which it creates on first use)."""
    return make_db(tmp_path / "data" / "rangkul.sqlite3")
