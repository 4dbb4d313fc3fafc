"""What journey tests share, by topic (onboarding, groups, meetings, crisis), and reading the
database here. Test modules import helpers from this package and the harness, never from one
another.
"""

from __future__ import annotations

import sqlite3

from tests.journeys.harness import BotWorld


def rows(world: BotWorld, sql: str, *params: object) -> list[tuple]:
    with sqlite3.connect(world.db_path) as db:
        return db.execute(sql, params).fetchall()
