"""Peer buddies: who asked for a buddy, the pairings, the messages relayed between buddies,
their retention and the personal-data export (rules: bot.domain.buddies; use cases:
bot.services.buddies).

Every method takes the optional ``tx`` of bot.storage.database's convention.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from bot.domain.buddies import NEVER_AGAIN, WEEK, BuddyGroup, EndReason, Pairing
from bot.storage.database import Repository, Tx, from_db_time, to_db_time
from bot.storage.exports import export_sections

_PAIRING = (
    "p.id, p.group_id, p.member_a, p.member_b, p.started_at, p.ends_at, p.continue_a,"
    " p.continue_b, p.ended_at, p.ended_reason"
)

# A person's own rows: the groups where they asked for a buddy, their pairings (group and
# dates, never who the buddy was: that is someone else's identity), and the messages they
# sent (not those they received: those are the other's words).
_EXPORT = {
    "buddy_optins": "SELECT g.name AS group_name, o.opted_in_at FROM buddy_optins AS o"
    " JOIN groups AS g ON g.id = o.group_id WHERE o.member_id = ? ORDER BY o.opted_in_at",
    "buddy_pairings": "SELECT g.name AS group_name, p.started_at, p.ends_at, p.ended_at,"
    " p.ended_reason FROM buddy_pairings AS p JOIN groups AS g ON g.id = p.group_id"
    " WHERE ?1 IN (p.member_a, p.member_b) ORDER BY p.started_at",
    "buddy_messages_sent": "SELECT g.name AS group_name, m.text, m.sent_at"
    " FROM buddy_messages AS m JOIN buddy_pairings AS p ON p.id = m.pairing_id"
    " JOIN groups AS g ON g.id = p.group_id WHERE m.sender_id = ? ORDER BY m.sent_at",
}


@dataclass(frozen=True, slots=True)
class BuddyMessage:
    id: int
    pairing: Pairing
    sender_id: int
    sender_alias: str
    text: str
    sent_at: datetime


class BuddyRepository(Repository):
    # --- asking for a buddy -------------------------------------------------------------------

    async def groups_of(self, member_id: int, *, tx: Tx | None = None) -> list[BuddyGroup]:
        """The person's active groups by name, with their buddy state in each."""
        rows = await self._fetch_all(
            tx,
            "SELECT g.id, g.name, o.member_id IS NOT NULL AS opted_in"
            " FROM groups AS g JOIN group_members AS gm ON gm.group_id = g.id"
            " LEFT JOIN buddy_optins AS o ON o.group_id = g.id AND o.member_id = gm.member_id"
            " WHERE gm.member_id = ? AND g.archived_at IS NULL ORDER BY g.name, g.id",
            (member_id,),
        )
        found = []
        for row in rows:
            pairing = await self.active_pairing(row["id"], member_id, tx=tx)
            alias = await self.alias(pairing.other(member_id), tx=tx) if pairing else None
            found.append(BuddyGroup(row["id"], row["name"], bool(row["opted_in"]), pairing, alias))
        return found

    async def opt_in(self, group_id: int, member_id: int, now: datetime, *, tx: Tx) -> bool:
        """Asks for a buddy in a group the person belongs to (and that is active); False if
        they already had, or may not."""
        self._db.require_transaction(tx)
        cursor = await tx.execute(
            "INSERT OR IGNORE INTO buddy_optins (group_id, member_id, opted_in_at)"
            " SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM group_members AS gm"
            "   JOIN groups AS g ON g.id = gm.group_id"
            "   WHERE gm.group_id = ?1 AND gm.member_id = ?2 AND g.archived_at IS NULL)",
            (group_id, member_id, to_db_time(now)),
        )
        return cursor.rowcount > 0

    async def opt_out(self, group_id: int, member_id: int, *, tx: Tx | None = None) -> bool:
        async with self._writing(tx) as conn:
            cursor = await conn.execute(
                "DELETE FROM buddy_optins WHERE group_id = ? AND member_id = ?",
                (group_id, member_id),
            )
        return cursor.rowcount > 0

    # --- pairings -----------------------------------------------------------------------------

    async def get(self, pairing_id: int, *, tx: Tx | None = None) -> Pairing | None:
        rows = await self._fetch_all(
            tx, f"SELECT {_PAIRING} FROM buddy_pairings AS p WHERE p.id = ?", (pairing_id,)
        )
        return _pairing(rows[0]) if rows else None

    async def active_pairing(
        self, group_id: int, member_id: int, *, tx: Tx | None = None
    ) -> Pairing | None:
        rows = await self._fetch_all(
            tx,
            f"SELECT {_PAIRING} FROM buddy_pairings AS p WHERE p.group_id = ?"
            " AND ? IN (p.member_a, p.member_b) AND p.ended_at IS NULL",
            (group_id, member_id),
        )
        return _pairing(rows[0]) if rows else None

    async def active_pairings_of(self, member_id: int, *, tx: Tx | None = None) -> list[Pairing]:
        rows = await self._fetch_all(
            tx,
            f"SELECT {_PAIRING} FROM buddy_pairings AS p"
            " WHERE ? IN (p.member_a, p.member_b) AND p.ended_at IS NULL ORDER BY p.id",
            (member_id,),
        )
        return [_pairing(row) for row in rows]

    async def alias(self, member_id: int, *, tx: Tx | None = None) -> str | None:
        rows = await self._fetch_all(tx, "SELECT alias FROM members WHERE id = ?", (member_id,))
        return rows[0][0] if rows else None

    async def groups_waiting(self, *, tx: Tx | None = None) -> list[tuple[int, str]]:
        """(id, timezone) of active groups with at least two people asking for a buddy who
        have none there: the only groups a round could pair anyone in."""
        rows = await self._fetch_all(
            tx,
            "SELECT g.id, g.timezone FROM groups AS g JOIN buddy_optins AS o ON o.group_id = g.id"
            " WHERE g.archived_at IS NULL AND NOT EXISTS (SELECT 1 FROM buddy_pairings AS p"
            "   WHERE p.group_id = g.id AND p.ended_at IS NULL"
            "   AND o.member_id IN (p.member_a, p.member_b))"
            " GROUP BY g.id HAVING count(*) >= 2 ORDER BY g.id",
        )
        return [(row[0], row[1]) for row in rows]

    async def round_candidates(self, group_id: int, round_start: datetime, *, tx: Tx) -> list[int]:
        """Who the round starting at ``round_start`` pairs in the group: members who asked
        before it, have no buddy there, and had no pairing there end after it (so a round's
        people are fixed once it starts: see bot.domain.buddies)."""
        rows = await self._fetch_all(
            tx,
            "SELECT o.member_id FROM buddy_optins AS o JOIN group_members AS gm"
            "   ON gm.group_id = o.group_id AND gm.member_id = o.member_id"
            " WHERE o.group_id = ?1 AND o.opted_in_at <= ?2"
            " AND NOT EXISTS (SELECT 1 FROM buddy_pairings AS p WHERE p.group_id = ?1"
            "   AND o.member_id IN (p.member_a, p.member_b)"
            "   AND (p.ended_at IS NULL OR p.ended_at > ?2))"
            " ORDER BY o.member_id",
            (group_id, to_db_time(round_start)),
        )
        return [row[0] for row in rows]

    async def history(
        self, group_id: int, round_start: datetime, *, tx: Tx
    ) -> tuple[dict[frozenset[int], int], set[frozenset[int]]]:
        """The group's past pairs (how often each), and those the round must not make: pairs
        one side ended, and pairs whose four weeks ran out in the week before the round (not
        both chose to continue, so not straight away again)."""
        rows = await self._fetch_all(
            tx,
            "SELECT member_a, member_b, ended_reason, ended_at FROM buddy_pairings"
            " WHERE group_id = ?",
            (group_id,),
        )
        past: dict[frozenset[int], int] = {}
        never: set[frozenset[int]] = set()
        just_expired_after = round_start - WEEK
        for row in rows:
            pair = frozenset((row[0], row[1]))
            past[pair] = past.get(pair, 0) + 1
            reason = EndReason(row[2]) if row[2] is not None else None
            if reason in NEVER_AGAIN or (
                reason is EndReason.EXPIRED and from_db_time(row[3]) > just_expired_after
            ):
                never.add(pair)
        return past, never

    async def insert_pairing(
        self, group_id: int, a: int, b: int, started_at: datetime, ends_at: datetime, *, tx: Tx
    ) -> Pairing:
        self._db.require_transaction(tx)
        cursor = await tx.execute(
            "INSERT INTO buddy_pairings (group_id, member_a, member_b, started_at, ends_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (group_id, min(a, b), max(a, b), to_db_time(started_at), to_db_time(ends_at)),
        )
        assert cursor.lastrowid is not None, "an INSERT has a rowid"
        pairing = await self.get(cursor.lastrowid, tx=tx)
        assert pairing is not None, "inserted in this transaction"
        return pairing

    async def end(self, pairing_id: int, reason: EndReason, ended_at: datetime, *, tx: Tx) -> bool:
        """Ends an active pairing; False if it had ended already (or is gone)."""
        self._db.require_transaction(tx)
        cursor = await tx.execute(
            "UPDATE buddy_pairings SET ended_at = ?, ended_reason = ?"
            " WHERE id = ? AND ended_at IS NULL",
            (to_db_time(ended_at), reason.value, pairing_id),
        )
        return cursor.rowcount > 0

    async def set_continue(
        self, pairing_id: int, continue_a: bool, continue_b: bool, ends_at: datetime, *, tx: Tx
    ) -> None:
        self._db.require_transaction(tx)
        await tx.execute(
            "UPDATE buddy_pairings SET continue_a = ?, continue_b = ?, ends_at = ?"
            " WHERE id = ? AND ended_at IS NULL",
            (int(continue_a), int(continue_b), to_db_time(ends_at), pairing_id),
        )

    async def over(self, now: datetime, *, limit: int, tx: Tx) -> list[Pairing]:
        """Active pairings whose end has come, oldest end first."""
        rows = await self._fetch_all(
            tx,
            f"SELECT {_PAIRING} FROM buddy_pairings AS p WHERE p.ended_at IS NULL"
            " AND p.ends_at <= ? ORDER BY p.ends_at, p.id LIMIT ?",
            (to_db_time(now), limit),
        )
        return [_pairing(row) for row in rows]

    async def active(self, *, after_id: int, limit: int, tx: Tx | None = None) -> list[Pairing]:
        """Active pairings by id, past ``after_id``."""
        rows = await self._fetch_all(
            tx,
            f"SELECT {_PAIRING} FROM buddy_pairings AS p WHERE p.ended_at IS NULL AND p.id > ?"
            " ORDER BY p.id LIMIT ?",
            (after_id, limit),
        )
        return [_pairing(row) for row in rows]

    # --- messages -----------------------------------------------------------------------------

    async def insert_message(
        self, pairing_id: int, sender_id: int, text: str, now: datetime, *, tx: Tx
    ) -> int:
        self._db.require_transaction(tx)
        cursor = await tx.execute(
            "INSERT INTO buddy_messages (pairing_id, sender_id, text, sent_at) VALUES (?, ?, ?, ?)",
            (pairing_id, sender_id, text, to_db_time(now)),
        )
        assert cursor.lastrowid is not None, "an INSERT has a rowid"
        return cursor.lastrowid

    async def message(self, message_id: int, *, tx: Tx | None = None) -> BuddyMessage | None:
        rows = await self._fetch_all(
            tx,
            f"SELECT m.id AS message_id, m.sender_id, s.alias, m.text, m.sent_at, {_PAIRING}"
            " FROM buddy_messages AS m JOIN buddy_pairings AS p ON p.id = m.pairing_id"
            " JOIN members AS s ON s.id = m.sender_id WHERE m.id = ?",
            (message_id,),
        )
        if not rows:
            return None
        row = rows[0]
        return BuddyMessage(
            id=row["message_id"],
            pairing=_pairing(row),
            sender_id=row["sender_id"],
            sender_alias=row["alias"],
            text=row["text"],
            sent_at=from_db_time(row["sent_at"]),
        )

    # --- retention and export -----------------------------------------------------------------

    async def delete_old_messages(self, before: datetime, *, tx: Tx | None = None) -> int:
        """Retention: messages sent at or before ``before``."""
        async with self._writing(tx) as conn:
            cursor = await conn.execute(
                "DELETE FROM buddy_messages WHERE sent_at <= ?", (to_db_time(before),)
            )
        return cursor.rowcount

    async def delete_ended_pairings(self, before: datetime, *, tx: Tx | None = None) -> int:
        """Retention: pairings that ended at or before ``before`` (with any message left)."""
        async with self._writing(tx) as conn:
            cursor = await conn.execute(
                "DELETE FROM buddy_pairings WHERE ended_at <= ?", (to_db_time(before),)
            )
        return cursor.rowcount

    async def export(self, member_id: int) -> dict[str, list[dict[str, Any]]]:
        return await export_sections(await self._reading(None), _EXPORT, member_id)


def _pairing(row: aiosqlite.Row) -> Pairing:
    ended_at, reason = row["ended_at"], row["ended_reason"]
    return Pairing(
        id=row["id"],
        group_id=row["group_id"],
        member_a=row["member_a"],
        member_b=row["member_b"],
        started_at=from_db_time(row["started_at"]),
        ends_at=from_db_time(row["ends_at"]),
        continue_a=bool(row["continue_a"]),
        continue_b=bool(row["continue_b"]),
        ended_at=from_db_time(ended_at) if ended_at is not None else None,
        ended_reason=EndReason(reason) if reason is not None else None,
    )
