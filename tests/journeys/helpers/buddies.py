"""Buddies for journeys: members of one group who asked for a buddy, the clock moved to the
pairing round (Monday 09:00 in the group's timezone, Makassar); and, for moderation journeys
that need a pairing in a given state, pairings and relayed messages written directly (schema:
0016_buddies.sql) and delivered the way the relay does, with the "Report" button."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

from bot.ui.keyboards import inline
from bot.ui.reports import ReportBuddyMessage
from tests.journeys.harness import BotWorld, Person

# Monday 7 December 2026, 09:00 in Makassar: the first round after the journeys' start.
FIRST_ROUND = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)


async def ask_for_a_buddy(person: Person) -> None:
    """/buddy in a one-group person's chat, then "Find me a buddy"."""
    await person.send("/buddy")
    await person.press("Find me a buddy")
    assert "you're looking for a buddy" in person.last.text, person.last.text


async def pair_at_round(world: BotWorld, moment: datetime = FIRST_ROUND) -> None:
    """The clock at ``moment``, then a heartbeat: the round pairs and the outbox sends."""
    world.clock.advance(moment - world.clock.now())
    await world.tick()
    await world.tick()  # messages planned by the first pass go out


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
