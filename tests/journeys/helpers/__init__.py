"""What journey tests share, by topic (onboarding, groups, meetings, crisis), and reading the
database here. Test modules import helpers from this package and the harness, never from one
another.
"""

from __future__ import annotations

import sqlite3

from bot.telegram_glue.presses import REPEAT_WINDOW
from tests.journeys.harness import BotWorld


def rows(world: BotWorld, sql: str, *params: object) -> list[tuple]:
    with sqlite3.connect(world.db_path) as db:
        return db.execute(sql, params).fetchall()


def pause(world: BotWorld) -> None:
    """Time enough that the next press is a deliberate second one, not the second tap of a
    double tap (which changes nothing)."""
    world.clock.advance(REPEAT_WINDOW)
