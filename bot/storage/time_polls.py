"""Time polls: candidate start times sent to a group's members as native Telegram polls.

One poll message per member asked privately; answers arrive as ``poll_answer`` updates keyed
by Telegram's poll id. At most one anonymous poll in the group's linked chat
(``time_poll_chats``, 0021_chat_polls.sql), whose counts arrive as ``poll`` updates: only the
counts are kept, Telegram tells no voter. Results are counts per option, never names.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import aiosqlite

from bot.domain.time_polls import ChatPoll, PollResults, TimePoll
from bot.storage.database import Repository, Tx, from_db_time, to_db_time
from bot.storage.exports import export_sections

# The personal-data export, by section (bot.storage.exports).
_EXPORT = {
    "time_polls_created": "SELECT g.name AS group_name, p.options, p.created_at, p.closed_at"
    " FROM time_polls AS p JOIN groups AS g ON g.id = p.group_id"
    " WHERE p.created_by = ? ORDER BY p.created_at, p.id",
    # A poll that was sent but not answered (yet) shows no chosen times.
    "time_poll_answers": "SELECT g.name AS group_name, p.created_at AS poll_sent_at, p.options,"
    " pm.option_ids FROM time_poll_messages AS pm JOIN time_polls AS p ON p.id = pm.poll_id"
    " JOIN groups AS g ON g.id = p.group_id WHERE pm.member_id = ? ORDER BY p.created_at, p.id",
}


class TimePollRepository(Repository):
    async def create(
        self, group_id: int, options: Sequence[datetime], created_by: int, now: datetime
    ) -> TimePoll:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO time_polls (group_id, options, created_by, created_at)"
                " VALUES (?, ?, ?, ?)",
                (
                    group_id,
                    _options_json(options),
                    created_by,
                    to_db_time(now),
                ),
            )
            assert cursor.lastrowid is not None
            poll_id = cursor.lastrowid
        return TimePoll(poll_id, group_id, tuple(options), now)

    async def recipients(self, group_id: int) -> list[int]:
        """Member ids of the group who can be reached (not blocked)."""
        conn = await self._reading(None)
        async with conn.execute(
            "SELECT gm.member_id FROM group_members AS gm JOIN members AS m"
            " ON m.id = gm.member_id WHERE gm.group_id = ? AND m.blocked_at IS NULL"
            " ORDER BY gm.member_id",
            (group_id,),
        ) as cursor:
            return [row[0] async for row in cursor]

    async def add_message(self, poll_id: int, member_id: int, telegram_poll_id: str) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT OR REPLACE INTO time_poll_messages (poll_id, member_id, telegram_poll_id)"
                " VALUES (?, ?, ?)",
                (poll_id, member_id, telegram_poll_id),
            )

    async def record_answer(
        self, telegram_poll_id: str, member_id: int, option_ids: Sequence[int]
    ) -> bool:
        """Stores a vote (an empty list: the vote was retracted); False for unknown polls and
        for votes by anyone but the member the poll was sent to.

        A forwarded non-anonymous poll brings the bot every voter's answer under the same poll
        id: only the recipient's vote is theirs to give.
        """
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE time_poll_messages SET option_ids = ?"
                " WHERE telegram_poll_id = ? AND member_id = ?",
                (json.dumps(list(option_ids)) if option_ids else None, telegram_poll_id, member_id),
            )
            return cursor.rowcount > 0

    async def latest(self, group_id: int) -> TimePoll | None:
        conn = await self._reading(None)
        async with conn.execute(
            "SELECT * FROM time_polls WHERE group_id = ? ORDER BY created_at DESC, id DESC LIMIT 1",
            (group_id,),
        ) as cursor:
            row = await cursor.fetchone()
        return _poll(row) if row is not None else None

    async def get(self, poll_id: int, *, tx: Tx | None = None) -> TimePoll | None:
        rows = await self._fetch_all(tx, "SELECT * FROM time_polls WHERE id = ?", (poll_id,))
        return _poll(rows[0]) if rows else None

    async def close(self, poll_id: int, now: datetime, *, tx: Tx) -> bool:
        """Ends the poll; False if it had already ended."""
        self._db.require_transaction(tx)
        cursor = await tx.execute(
            "UPDATE time_polls SET closed_at = ? WHERE id = ? AND closed_at IS NULL",
            (to_db_time(now), poll_id),
        )
        return cursor.rowcount > 0

    async def add_chat(self, poll_id: int, chat_id: int, *, tx: Tx) -> bool:
        """The poll is to be asked in this chat too; False if it already was."""
        self._db.require_transaction(tx)
        cursor = await tx.execute(
            "INSERT INTO time_poll_chats (poll_id, chat_id) VALUES (?, ?)"
            " ON CONFLICT (poll_id) DO NOTHING",
            (poll_id, chat_id),
        )
        return cursor.rowcount > 0

    async def chat_poll(self, poll_id: int, *, tx: Tx | None = None) -> ChatPoll | None:
        rows = await self._fetch_all(
            tx,
            "SELECT poll_id, chat_id, message_id, counts, voters FROM time_poll_chats"
            " WHERE poll_id = ?",
            (poll_id,),
        )
        return _chat_poll(rows[0]) if rows else None

    async def chat_poll_posted(self, poll_id: int, message_id: int, telegram_poll_id: str) -> None:
        async with self._writing(None) as tx:
            await tx.execute(
                "UPDATE time_poll_chats SET message_id = ?, telegram_poll_id = ? WHERE poll_id = ?",
                (message_id, telegram_poll_id, poll_id),
            )

    async def record_chat_counts(
        self, telegram_poll_id: str, counts: Sequence[int], voters: int
    ) -> bool:
        """Telegram's latest counts of a chat poll; False for any other poll."""
        async with self._writing(None) as tx:
            cursor = await tx.execute(
                "UPDATE time_poll_chats SET counts = ?, voters = ? WHERE telegram_poll_id = ?",
                (json.dumps(list(counts)), voters, telegram_poll_id),
            )
        return cursor.rowcount > 0

    async def results(self, poll: TimePoll) -> PollResults:
        conn = await self._reading(None)
        counts = [0] * len(poll.options)
        voters = asked = 0
        async with conn.execute(
            "SELECT option_ids FROM time_poll_messages WHERE poll_id = ?", (poll.id,)
        ) as cursor:
            async for row in cursor:
                asked += 1
                if row[0] is None:
                    continue
                voters += 1
                for index in json.loads(row[0]):
                    if 0 <= index < len(counts):
                        counts[index] += 1
        return PollResults(tuple(counts), voters, asked)

    async def delete_past(self, last_time_before: datetime) -> int:
        """Retention: polls whose latest candidate time is at or before ``last_time_before``,
        with every answer to them; returns how many polls. Options are stored as fixed-width
        UTC text, so the text maximum is the latest time."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM time_polls WHERE COALESCE((SELECT max(value)"
                " FROM json_each(time_polls.options)), created_at) <= ?",
                (to_db_time(last_time_before),),
            )
        return cursor.rowcount

    async def export(self, member_id: int) -> dict[str, list[dict[str, Any]]]:
        """The polls the person sent and received with their own answers, JSON-ready (UU PDP
        right of access). Only their choice is shown, as the candidate times themselves."""
        conn = await self._reading(None)
        sections = await export_sections(conn, _EXPORT, member_id)
        for answer in sections["time_poll_answers"]:
            options = json.loads(answer.pop("options"))
            chosen = json.loads(answer.pop("option_ids") or "[]")
            answer["chosen_times"] = [options[i] for i in chosen if 0 <= i < len(options)]
        for poll in sections["time_polls_created"]:
            poll["candidate_times"] = json.loads(poll.pop("options"))
        return sections


def _poll(row: aiosqlite.Row) -> TimePoll:
    options = tuple(from_db_time(o) for o in json.loads(row["options"]))
    closed = row["closed_at"]
    return TimePoll(
        row["id"],
        row["group_id"],
        options,
        from_db_time(row["created_at"]),
        from_db_time(closed) if closed is not None else None,
    )


def _chat_poll(row: aiosqlite.Row) -> ChatPoll:
    counts = tuple(json.loads(row[3])) if row[3] is not None else ()
    return ChatPoll(row[0], row[1], row[2], counts, row[4])


def _options_json(options: Sequence[datetime]) -> str:
    return json.dumps([to_db_time(option) for option in options])
