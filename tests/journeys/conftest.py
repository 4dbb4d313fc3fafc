"""Fixtures for journey tests: a running bot on a temporary database, torn down cleanly."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.journeys.harness import BotWorld


@pytest.fixture
async def world(tmp_path) -> AsyncIterator[BotWorld]:
    world = BotWorld(db_path=tmp_path / "rangkul.sqlite3")
    await world.start()
    yield world
    await world.stop()
    # A journey passes only if Telegram accepted every call and no handler raised.
    assert world.emulator.rejected == [], world.emulator.rejected
    assert world.errors == [], world.errors
