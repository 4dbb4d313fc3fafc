"""Buddy pairings and relayed messages for moderation journeys.

The buddy relay (/buddy) is built in parallel (issue 12) and is not on this branch, so these
helpers write its rows with plain SQL (schema: 0016_buddies.sql) and deliver a relayed message
the way the relay will: under the sender's alias, with the "Report" button of bot/ui/reports.py.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from bot.ui.keyboards import inline
from bot.ui.reports import ReportBuddyMessage
from tests.journeys.harness import BotWorld, Person


def a_pairing(world: BotWorld, group_id: int, first: int, second: int) -> int:
    """A running four-week pairing of two members (ids) of the group."""
    now = world.clock.now()
    a, b = sorted((first, second))
    with sqlite3.connect(world.db_path) as db:
        cursor = db.execute(
            "INSERT INTO buddy_pairings (group_id, member_a, member_b, started_at, ends_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (group_id, a, b, now.isoformat(), (now + timedelta(weeks=4)).isoformat()),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid


async def relay(
    world: BotWorld, pairing_id: int, sender_id: int, sender_alias: str, to: Person, text: str
) -> int:
    """Stores a buddy message and delivers it to ``to`` with its Report button; its id."""
    with sqlite3.connect(world.db_path) as db:
        cursor = db.execute(
            "INSERT INTO buddy_messages (pairing_id, sender_id, text, sent_at) VALUES (?, ?, ?, ?)",
            (pairing_id, sender_id, text, world.clock.now().isoformat()),
        )
        message_id = cursor.lastrowid
    assert message_id is not None and world.app is not None
    await world.app.bot.send_message(
        to.user_id,
        f"{sender_alias}: {text}",
        parse_mode=None,
        reply_markup=inline([[("🚩 Report", ReportBuddyMessage(message_id))]]),
    )
    return message_id
