"""The outbox: every message the bot sends on its own initiative, as a durable row first.

Use cases *enqueue* rows (bot.domain.messages.PlannedMessage) inside the transaction of the
change that causes them (an RSVP, a new broadcast), so the message exists exactly when the
change does. The dispatcher
(bot.jobs.dispatcher) claims due rows and records each outcome here.

Row life cycle::

    pending --claim_due--> sending --mark_sent--> sent
       ^                      |------mark_skipped--> skipped   (no longer applies / too late)
       |                      |------mark_failed---> failed    (will never succeed)
       +-----retry_later------+
    pending --cancel_pending--> cancelled   (meeting cancelled, RSVP withdrawn, person blocked)

"Nothing twice" rests on the UNIQUE ``dedupe_key``: enqueueing the same key again adds nothing.
The one exception is a *cancelled* row, which was never sent: enqueueing its key again revives
it with the new time and payload, so a meeting that is moved (its reminders cancelled and
planned again) or an RSVP withdrawn and given again still gets its reminders.

Delivery is *at least once* in one narrow case: if the process dies after Telegram accepted a
message but before ``mark_sent`` committed, :meth:`OutboxRepository.recover_in_flight` puts the
row back to pending and it is sent again. The alternative (marking rows failed on recovery)
would silently drop reminders after every crash; a rare duplicate is the kinder error.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from bot.domain.group_chats import PlannedPost
from bot.domain.messages import PlannedMessage
from bot.storage.database import Repository, Tx, from_db_time, to_db_time
from bot.storage.exports import export_sections

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
SKIPPED = "skipped"
FAILED = "failed"
CANCELLED = "cancelled"

# Stored errors are short diagnostics (exception class + Telegram's description), not logs.
_MAX_ERROR = 200


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """One planned message. ``payload`` is what the renderer of ``kind`` needs, as JSON."""

    id: int
    member_id: int | None  # the recipient; None for a post in a linked group chat
    kind: str
    payload: dict[str, Any]
    not_before: datetime
    # End of the grace window: still unsent then, the message is skipped (None: no limit).
    expires_at: datetime | None
    status: str
    # Tries of this row that reached Telegram (a 429 flood wait does not count).
    attempts: int
    meeting_id: int | None
    dedupe_key: str
    chat_id: int | None = None  # a linked group chat the row is posted in (bot.domain.group_chats)


class OutboxRepository(Repository):
    """Planning rows inside a use case's transaction, and the dispatcher's side: claiming due
    rows and recording outcomes.

    Outcome methods only act on rows in ``sending`` (claimed by this process): a row deleted
    meanwhile by ``/forget`` is simply gone.
    """

    async def enqueue(self, messages: Iterable[PlannedMessage], *, now: datetime, tx: Tx) -> int:
        """Plans messages inside the caller's transaction (``tx`` is required: a message
        enqueued outside the transaction of its cause could outlive a rolled-back change).

        Returns how many rows were added (or cancelled ones revived); a ``dedupe_key`` already
        planned, sent or settled adds nothing.

        Raises:
            ValueError: a payload is not a JSON object with string keys; a time is naive.
            RuntimeError: ``tx`` is not this task's open transaction.
        """
        self._db.require_transaction(tx)
        rows = [_row(message, now) for message in messages]
        if not rows:
            return 0
        cursor = await tx.executemany(
            "INSERT INTO outbox (member_id, kind, payload, not_before, expires_at, meeting_id,"
            " about_member_id, dedupe_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (dedupe_key) DO UPDATE SET"
            "   member_id = excluded.member_id, kind = excluded.kind, payload = excluded.payload,"
            "   not_before = excluded.not_before, expires_at = excluded.expires_at,"
            "   meeting_id = excluded.meeting_id, about_member_id = excluded.about_member_id,"
            "   status = 'pending', attempts = 0, last_error = NULL"
            " WHERE outbox.status = 'cancelled'",
            rows,
        )
        # executemany sums the changes of every row; an ignored duplicate changes nothing.
        return cursor.rowcount

    async def enqueue_posts(self, posts: Iterable[PlannedPost], *, now: datetime, tx: Tx) -> int:
        """Plans posts in linked group chats, as :meth:`enqueue` plans messages to members
        (same transaction rule, same dedupe rule); returns how many rows were added."""
        self._db.require_transaction(tx)
        rows = [
            (
                post.chat_id,
                post.kind,
                _payload_json(post.payload),
                to_db_time(post.not_before),
                to_db_time(post.expires_at) if post.expires_at is not None else None,
                post.meeting_id,
                post.about_member_id,
                post.dedupe_key,
                to_db_time(now),
            )
            for post in posts
        ]
        if not rows:
            return 0
        cursor = await tx.executemany(
            "INSERT INTO outbox (chat_id, kind, payload, not_before, expires_at, meeting_id,"
            " about_member_id, dedupe_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            # A cancelled post (its meeting moved away and back) is planned again, as in enqueue.
            " ON CONFLICT (dedupe_key) DO UPDATE SET"
            "   chat_id = excluded.chat_id, kind = excluded.kind, payload = excluded.payload,"
            "   not_before = excluded.not_before, expires_at = excluded.expires_at,"
            "   status = 'pending', attempts = 0, last_error = NULL"
            " WHERE outbox.status = 'cancelled'",
            rows,
        )
        return cursor.rowcount

    async def cancel_pending(
        self,
        *,
        tx: Tx,
        meeting_id: int | None = None,
        member_id: int | None = None,
        dedupe_prefix: str | None = None,
        group_id: int | None = None,
        kinds: Iterable[str] | None = None,
        ids: Iterable[int] | None = None,
    ) -> int:
        """Cancels pending rows matching *all* given filters (``group_id``: rows about any
        meeting of the group); returns how many.

        Rows already being sent are left alone: they are in Telegram's hands.

        Raises:
            ValueError: no filter given (cancelling everything is never meant).
            RuntimeError: ``tx`` is not this task's open transaction.
        """
        self._db.require_transaction(tx)
        conditions: list[str] = ["status = 'pending'"]
        params: list[object] = []
        if meeting_id is not None:
            conditions.append("meeting_id = ?")
            params.append(meeting_id)
        if member_id is not None:
            conditions.append("member_id = ?")
            params.append(member_id)
        if dedupe_prefix is not None:
            # substr instead of LIKE: keys contain ':' and may contain '_' or '%'.
            conditions.append("substr(dedupe_key, 1, length(?)) = ?")
            params += [dedupe_prefix, dedupe_prefix]
        if group_id is not None:
            conditions.append("meeting_id IN (SELECT id FROM meetings WHERE group_id = ?)")
            params.append(group_id)
        for column, values in (("kind", kinds), ("id", ids)):
            if values is not None:
                wanted = tuple(values)
                conditions.append(f"{column} IN ({','.join('?' * len(wanted)) or 'NULL'})")
                params += wanted
        if len(conditions) == 1:
            raise ValueError("cancel_pending needs at least one filter")
        cursor = await tx.execute(
            f"UPDATE outbox SET status = 'cancelled', {_FORGET} WHERE {' AND '.join(conditions)}",
            params,
        )
        return cursor.rowcount

    async def chats_told_about(
        self, meeting_id: int, kinds: Iterable[str], *, tx: Tx | None = None
    ) -> list[int]:
        """The linked chats of the meeting's group that were sent (or are being sent) a post
        of ``kinds`` about it; a pending one never reached the chat."""
        kinds = list(kinds)
        conn = await self._reading(tx)
        async with conn.execute(
            "SELECT DISTINCT o.chat_id FROM outbox AS o"
            " JOIN group_chats AS c ON c.chat_id = o.chat_id"
            " JOIN meetings AS m ON m.id = o.meeting_id AND m.group_id = c.group_id"
            f" WHERE o.meeting_id = ? AND o.kind IN ({', '.join('?' * len(kinds))})"
            " AND o.status IN ('sending', 'sent') ORDER BY o.chat_id",
            (meeting_id, *kinds),
        ) as cursor:
            return [row[0] async for row in cursor]

    async def pending_about(
        self, meeting_id: int, kind: str, *, after_id: int, limit: int, tx: Tx | None = None
    ) -> list[OutboxMessage]:
        """Pending rows of ``kind`` about the meeting, by id, past ``after_id``."""
        conn = await self._reading(tx)
        async with conn.execute(
            "SELECT * FROM outbox WHERE meeting_id = ? AND status = 'pending' AND kind = ?"
            " AND id > ? ORDER BY id LIMIT ?",
            (meeting_id, kind, after_id, limit),
        ) as cursor:
            return [_message(row) async for row in cursor]

    async def claim_due(self, now: datetime, limit: int) -> list[OutboxMessage]:
        """Up to ``limit`` pending rows with ``not_before <= now``, oldest first, now ``sending``.

        One statement, so no other claimer can take the same rows.
        """
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE outbox SET status = 'sending' WHERE id IN ("
                "  SELECT id FROM outbox WHERE status = 'pending' AND not_before <= ?"
                "  ORDER BY not_before, id LIMIT ?"
                ") RETURNING *",
                (to_db_time(now), limit),
            )
            rows = await cursor.fetchall()
        # RETURNING gives no order guarantee.
        return sorted((_message(row) for row in rows), key=lambda m: (m.not_before, m.id))

    async def mark_sent(self, message_id: int, now: datetime) -> None:
        await self._settle(
            message_id,
            f"status = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL, {_FORGET}",
            to_db_time(now),
        )

    async def mark_skipped(self, message_id: int, reason: str) -> None:
        """No longer applies or too late; ``reason`` is a short code, not user data."""
        await self._settle(
            message_id, f"status = 'skipped', last_error = ?, {_FORGET}", _clip(reason)
        )

    async def retry_later(
        self, message_id: int, at: datetime, error: str, *, count_attempt: bool
    ) -> None:
        """Back to pending until ``at``; ``count_attempt=False`` for flood waits."""
        await self._settle(
            message_id,
            "status = 'pending', not_before = ?, last_error = ?, attempts = attempts + ?",
            to_db_time(at),
            _clip(error),
            int(count_attempt),
        )

    async def mark_failed(self, message_id: int, error: str) -> None:
        """Will never succeed; counts as one more attempt."""
        await self._settle(
            message_id,
            f"status = 'failed', last_error = ?, attempts = attempts + 1, {_FORGET}",
            _clip(error),
        )

    async def recover_in_flight(self) -> int:
        """After a crash: rows left in ``sending`` go back to pending (see the module docstring).

        Call once at start-up, before the dispatcher runs. Returns how many rows were recovered.
        """
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE outbox SET status = 'pending' WHERE status = 'sending'"
            )
            return cursor.rowcount

    async def mark_member_blocked(self, member_id: int, now: datetime) -> None:
        """The person blocked the bot (403): nothing more is planned or sent to them."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE members SET blocked_at = COALESCE(blocked_at, ?) WHERE id = ?",
                (to_db_time(now), member_id),
            )
            await self.cancel_pending(tx=conn, member_id=member_id)

    async def clear_member_blocked(self, member_id: int) -> None:
        """The person can be reached again (they unblocked the bot or wrote to it)."""
        async with self._db.transaction() as conn:
            await conn.execute("UPDATE members SET blocked_at = NULL WHERE id = ?", (member_id,))

    async def is_member_blocked(self, member_id: int) -> bool:
        conn = await self._db.connection()
        async with conn.execute(
            "SELECT blocked_at IS NOT NULL FROM members WHERE id = ?", (member_id,)
        ) as cursor:
            row = await cursor.fetchone()
        return bool(row and row[0])

    async def delete_settled(self, before: datetime, *, tx: Tx | None = None) -> int:
        """Retention: deletes rows settled (sent, skipped, failed, cancelled) whose sending
        time, or planned time if they never went out, is at or before ``before``; pending and
        in-flight rows stay. Returns how many.

        Past that point a row's dedupe key is free again, so no feature may plan the same key
        that long after its time (none does: reminders, alerts and follow-ups are planned
        before or shortly after their moment).
        """
        async with self._writing(tx) as conn:
            cursor = await conn.execute(
                "DELETE FROM outbox WHERE status IN ('sent', 'skipped', 'failed', 'cancelled')"
                " AND COALESCE(sent_at, not_before) <= ?",
                (to_db_time(before),),
            )
        return cursor.rowcount

    async def export(self, member_id: int) -> dict[str, list[dict[str, Any]]]:
        """The person's messages (to them, and about them to others), JSON-ready: kind, status
        and times only. Payloads stay out (they can hold someone else's words), and so do the
        recipients of messages about them."""
        return await export_sections(await self._db.connection(), _EXPORT, member_id)

    async def _settle(self, message_id: int, assignments: str, *values: object) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                f"UPDATE outbox SET {assignments} WHERE id = ? AND status = 'sending'",
                (*values, message_id),
            )


# The personal-data export, by section (bot.storage.exports).
_EXPORT = {
    section: "SELECT kind, status, not_before AS planned_for, sent_at FROM outbox"
    f" WHERE {column} = ? ORDER BY not_before, id"
    for section, column in (
        ("messages_to_you", "member_id"),
        ("messages_about_you", "about_member_id"),
    )
}

# A settled row keeps what happened, not what it said: payloads can carry a person's words (a
# facilitator's relayed message) and are only needed to render the message (data minimisation).
_FORGET = "payload = '{}'"


def _row(message: PlannedMessage, now: datetime) -> tuple[object, ...]:
    return (
        message.member_id,
        message.kind,
        _payload_json(message.payload),
        to_db_time(message.not_before),
        to_db_time(message.expires_at) if message.expires_at is not None else None,
        message.meeting_id,
        message.about_member_id,
        message.dedupe_key,
        to_db_time(now),
    )


def _payload_json(payload: Mapping[str, Any]) -> str:
    if not isinstance(payload, Mapping) or not all(isinstance(key, str) for key in payload):
        raise ValueError("outbox payload must be a JSON object with string keys")
    try:
        return json.dumps(dict(payload), ensure_ascii=False, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"outbox payload is not JSON-serialisable: {type(exc).__name__}") from exc


def _clip(error: str) -> str:
    return error[:_MAX_ERROR]


def _message(row: aiosqlite.Row) -> OutboxMessage:
    return OutboxMessage(
        id=row["id"],
        member_id=row["member_id"],
        kind=row["kind"],
        payload=json.loads(row["payload"]),
        not_before=from_db_time(row["not_before"]),
        expires_at=from_db_time(row["expires_at"]) if row["expires_at"] is not None else None,
        status=row["status"],
        attempts=row["attempts"],
        meeting_id=row["meeting_id"],
        dedupe_key=row["dedupe_key"],
        chat_id=row["chat_id"],
    )
