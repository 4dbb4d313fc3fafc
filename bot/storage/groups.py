"""Groups, their topics, facilitators and members, and the one-time role invitations: queries
and row mapping. Every method takes the optional ``tx`` of bot.storage.database's convention;
what goes with archiving a group, leaving it or using an invitation is bot.services.groups.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import aiosqlite

from bot.domain.groups import (
    EditableField,
    Group,
    GroupFormat,
    GroupSummary,
    Invitation,
    InvitationKind,
    NewGroup,
    RoleHolder,
    invitation_expiry,
)
from bot.storage.database import Repository, Tx, from_db_time, to_db_time
from bot.storage.exports import export_sections

# 9 random bytes: 12 URL-safe characters, fits a deep link (64) with room to spare.
_CODE_BYTES = 9
_CODE_ATTEMPTS = 5
_COLUMNS = {
    EditableField.NAME: "name",
    EditableField.DESCRIPTION: "description",
    EditableField.MAX_MEMBERS: "max_members",
    EditableField.TRIAL_SEATS: "trial_seats",
    EditableField.REMINDERS: "reminder_offsets",
}
_SELECT_GROUP = """
    SELECT g.*, (SELECT group_concat(topic, ',') FROM
                 (SELECT topic FROM group_topics WHERE group_id = g.id ORDER BY topic)) AS topics
    FROM groups AS g
"""
# The personal-data export, by section (bot.storage.exports).
_EXPORT = {
    "group_memberships": "SELECT g.name AS group_name, gm.joined_at"
    " FROM group_members AS gm JOIN groups AS g ON g.id = gm.group_id"
    " WHERE gm.member_id = ? ORDER BY gm.joined_at, g.id",
    "facilitator_roles": "SELECT g.name AS group_name, f.added_at"
    " FROM group_facilitators AS f JOIN groups AS g ON g.id = f.group_id"
    " WHERE f.member_id = ? ORDER BY f.added_at, g.id",
    "invitations_created": "SELECT i.kind, g.name AS group_name, i.created_at,"
    " i.expires_at, i.used_at FROM invitations AS i"
    " LEFT JOIN groups AS g ON g.id = i.group_id"
    " WHERE i.created_by = ? ORDER BY i.created_at, i.code",
    "meeting_watches": "SELECT g.name AS group_name, w.created_at AS asked_at"
    " FROM meeting_watches AS w JOIN groups AS g ON g.id = w.group_id"
    " WHERE w.member_id = ? ORDER BY w.created_at, g.id",
    "invitations_used": "SELECT i.kind, g.name AS group_name, i.used_at"
    " FROM invitations AS i LEFT JOIN groups AS g ON g.id = i.group_id"
    " WHERE i.used_by = ? ORDER BY i.used_at, i.code",
}


def new_code() -> str:
    return secrets.token_urlsafe(_CODE_BYTES)


class GroupRepository(Repository):
    # --- groups --------------------------------------------------------------------------

    async def create(self, new: NewGroup, now: datetime, *, tx: Tx | None = None) -> Group:
        """Stores the group and its topics together, with a fresh unique invitation code."""
        async with self._writing(tx) as conn:
            for attempt in range(_CODE_ATTEMPTS):
                try:
                    cursor = await conn.execute(
                        "INSERT INTO groups (name, description, format, province, city,"
                        " languages, timezone, max_members, offers_trials, trial_seats,"
                        " invite_code, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            new.name,
                            new.description,
                            new.format.value,
                            new.province,
                            new.city,
                            ",".join(new.languages),
                            new.timezone,
                            new.max_members,
                            int(new.offers_trials),
                            new.trial_seats,
                            new_code(),
                            to_db_time(now),
                        ),
                    )
                    break
                except sqlite3.IntegrityError:
                    # A code collision is astronomically rare; anything else is a real error.
                    if attempt == _CODE_ATTEMPTS - 1:
                        raise
            group_id = cursor.lastrowid
            await conn.executemany(
                "INSERT INTO group_topics (group_id, topic) VALUES (?, ?)",
                [(group_id, topic) for topic in new.topics],
            )
            group = await _load(conn, "g.id = ?", group_id)
        assert group is not None  # written in this very transaction
        return group

    async def get(self, group_id: int, *, tx: Tx | None = None) -> Group | None:
        return await _load(await self._reading(tx), "g.id = ?", group_id)

    async def active(self, group_id: int | None) -> Group | None:
        """The group unless it is archived (or unknown)."""
        if group_id is None:
            return None
        return await _load(
            await self._reading(None), "g.id = ? AND g.archived_at IS NULL", group_id
        )

    async def by_invite_code(self, code: str) -> Group | None:
        """The active group whose invitation link carries ``code``."""
        conn = await self._reading(None)
        return await _load(conn, "g.invite_code = ? AND g.archived_at IS NULL", code)

    async def list_all(self) -> list[GroupSummary]:
        """Every active group, by name, with its member and facilitator counts."""
        return await self._summaries("g.archived_at IS NULL")

    async def summary(self, group_id: int) -> GroupSummary | None:
        """One active group with its counts."""
        found = await self._summaries("g.archived_at IS NULL AND g.id = ?", group_id)
        return found[0] if found else None

    async def _summaries(self, where: str, *params: object) -> list[GroupSummary]:
        conn = await self._reading(None)
        groups = await _load_many(conn, where, params)
        counts: dict[int, tuple[int, int]] = {}
        async with conn.execute(
            "SELECT g.id,"
            " (SELECT count(*) FROM group_members WHERE group_id = g.id),"
            " (SELECT count(*) FROM group_facilitators WHERE group_id = g.id)"
            f" FROM groups AS g WHERE {where}",
            params,
        ) as cursor:
            async for row in cursor:
                counts[row[0]] = (row[1], row[2])
        return [GroupSummary(g, *counts.get(g.id, (0, 0))) for g in groups]

    async def browse(
        self,
        *,
        topic: str | None = None,
        province: str | None = None,
        online_only: bool = False,
        language: str | None = None,
    ) -> list[Group]:
        """Active groups matching every filter given, by name."""
        where, params = ["g.archived_at IS NULL"], []
        if topic is not None:
            where.append("EXISTS (SELECT 1 FROM group_topics WHERE group_id = g.id AND topic = ?)")
            params.append(topic)
        if province is not None:
            where.append("g.province = ?")
            params.append(province)
        if online_only:
            where.append("g.format IN ('online', 'hybrid')")
        if language is not None:
            where.append("(',' || g.languages || ',') LIKE ?")
            params.append(f"%,{language},%")
        return await _load_many(await self._reading(None), " AND ".join(where), params)

    async def update(
        self,
        group_id: int,
        field: EditableField,
        value: str | int | tuple[int, ...],
        *,
        tx: Tx | None = None,
    ) -> None:
        """Changes one field of an active group; raises LookupError if it is gone.

        Reminder offsets (minutes) are stored as "2880,120". Reminders already in the outbox
        keep their times: the planner only fills in people with no reminder row for a meeting,
        so new offsets apply to reminders planned from now on (new meetings, new sign-ups).
        """
        if isinstance(value, tuple):
            value = ",".join(map(str, value))
        async with self._writing(tx) as conn:
            cursor = await conn.execute(
                f"UPDATE groups SET {_COLUMNS[field]} = ?"  # column from a fixed whitelist
                " WHERE id = ? AND archived_at IS NULL",
                (value, group_id),
            )
            if cursor.rowcount == 0:
                raise LookupError("no such active group")

    async def archive(self, group_id: int, now: datetime, *, tx: Tx | None = None) -> bool:
        """Marks the group archived; False if it was not active (already archived, or gone)."""
        async with self._writing(tx) as conn:
            cursor = await conn.execute(
                "UPDATE groups SET archived_at = ? WHERE id = ? AND archived_at IS NULL",
                (to_db_time(now), group_id),
            )
        return cursor.rowcount > 0

    # --- facilitators and members ---------------------------------------------------------

    async def add_facilitator(
        self, group_id: int, member_id: int, now: datetime, *, tx: Tx | None = None
    ) -> bool:
        """False if they already facilitate this group."""
        async with self._writing(tx) as conn:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO group_facilitators (group_id, member_id, added_at)"
                " VALUES (?, ?, ?)",
                (group_id, member_id, to_db_time(now)),
            )
        return cursor.rowcount > 0

    async def remove_facilitator(
        self, group_id: int, member_id: int, *, tx: Tx | None = None
    ) -> bool:
        async with self._writing(tx) as conn:
            cursor = await conn.execute(
                "DELETE FROM group_facilitators WHERE group_id = ? AND member_id = ?",
                (group_id, member_id),
            )
            return cursor.rowcount > 0

    async def facilitators(self, group_id: int) -> list[tuple[int, str]]:
        """(member id, alias) of a group's facilitators, oldest first."""
        conn = await self._reading(None)
        async with conn.execute(
            "SELECT m.id, m.alias FROM group_facilitators AS f JOIN members AS m"
            " ON m.id = f.member_id WHERE f.group_id = ? ORDER BY f.added_at, m.id",
            (group_id,),
        ) as cursor:
            return [(row[0], row[1]) async for row in cursor]

    async def add_member(
        self, group_id: int, member_id: int, now: datetime, *, tx: Tx | None = None
    ) -> bool:
        """Adds a member if the active group has room; False if full, gone or already in.

        Room is checked by the statement itself, so two last-seat joins cannot both win.
        """
        async with self._writing(tx) as conn:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO group_members (group_id, member_id, joined_at)"
                " SELECT g.id, ?, ? FROM groups AS g WHERE g.id = ? AND g.archived_at IS NULL"
                " AND (SELECT count(*) FROM group_members WHERE group_id = g.id) < g.max_members",
                (member_id, to_db_time(now), group_id),
            )
        return cursor.rowcount > 0

    async def remove_member(self, group_id: int, member_id: int, *, tx: Tx | None = None) -> bool:
        """False if they were not a member. Their mute of its announcements belongs to the
        membership and goes with it (data kept for no purpose; a re-join starts unmuted)."""
        async with self._writing(tx) as conn:
            cursor = await conn.execute(
                "DELETE FROM group_members WHERE group_id = ? AND member_id = ?",
                (group_id, member_id),
            )
            await conn.execute(
                "DELETE FROM announcement_mutes WHERE group_id = ? AND member_id = ?",
                (group_id, member_id),
            )
        return cursor.rowcount > 0

    async def is_member(self, group_id: int, member_id: int, *, tx: Tx | None = None) -> bool:
        conn = await self._reading(tx)
        async with conn.execute(
            "SELECT 1 FROM group_members WHERE group_id = ? AND member_id = ?",
            (group_id, member_id),
        ) as cursor:
            return await cursor.fetchone() is not None

    async def member_group_ids(self, member_id: int) -> frozenset[int]:
        """Active groups this person belongs to as a member."""
        conn = await self._reading(None)
        async with conn.execute(
            "SELECT gm.group_id FROM group_members AS gm JOIN groups AS g ON g.id = gm.group_id"
            " WHERE gm.member_id = ? AND g.archived_at IS NULL",
            (member_id,),
        ) as cursor:
            return frozenset([row[0] async for row in cursor])

    async def member_ids_at(self, group_id: int, at: datetime) -> frozenset[int]:
        """Members of the group who had joined it by ``at`` (and are still in it)."""
        conn = await self._reading(None)
        async with conn.execute(
            "SELECT member_id FROM group_members WHERE group_id = ? AND joined_at <= ?",
            (group_id, to_db_time(at)),
        ) as cursor:
            return frozenset([row[0] async for row in cursor])

    async def member_count(self, group_id: int, *, tx: Tx | None = None) -> int:
        conn = await self._reading(tx)
        async with conn.execute(
            "SELECT count(*) FROM group_members WHERE group_id = ?", (group_id,)
        ) as cursor:
            row = await cursor.fetchone()
        assert row is not None  # count(*) always yields one row
        count: int = row[0]
        return count

    async def trial_answer(
        self, group_id: int, member_id: int, *, tx: Tx | None = None
    ) -> str | None:
        """'yes', 'no' or 'waitlist' after a trial session in this group, or None."""
        conn = await self._reading(tx)
        async with conn.execute(
            "SELECT answer FROM trial_outcomes WHERE group_id = ? AND member_id = ?",
            (group_id, member_id),
        ) as cursor:
            row = await cursor.fetchone()
        return row[0] if row else None

    # --- invitations and roles ------------------------------------------------------------

    async def create_invitation(
        self,
        kind: InvitationKind,
        *,
        created_by: int | None,
        now: datetime,
        group_id: int | None = None,
        tx: Tx | None = None,
    ) -> Invitation:
        """A fresh one-time invitation, valid for seven days from ``now``."""
        invitation = Invitation(new_code(), kind, group_id, now, invitation_expiry(now), None)
        async with self._writing(tx) as conn:
            await conn.execute(
                "INSERT INTO invitations (code, kind, group_id, created_by, created_at,"
                " expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    invitation.code,
                    kind.value,
                    group_id,
                    created_by,
                    to_db_time(now),
                    to_db_time(invitation.expires_at),
                ),
            )
        return invitation

    async def invitation(
        self, code: str, *, tx: Tx | None = None
    ) -> tuple[Invitation | None, bool]:
        """The invitation with ``code`` and whether its group (if any) is still active."""
        conn = await self._reading(tx)
        async with conn.execute(
            "SELECT i.*, g.archived_at AS group_archived_at FROM invitations AS i"
            " LEFT JOIN groups AS g ON g.id = i.group_id WHERE i.code = ?",
            (code,),
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None, False
        invitation = Invitation(
            code=row["code"],
            kind=InvitationKind(row["kind"]),
            group_id=row["group_id"],
            created_at=from_db_time(row["created_at"]),
            expires_at=from_db_time(row["expires_at"]),
            used_at=from_db_time(row["used_at"]) if row["used_at"] else None,
        )
        return invitation, row["group_archived_at"] is None

    async def use_invitation(
        self, code: str, member_id: int, now: datetime, *, tx: Tx | None = None
    ) -> None:
        async with self._writing(tx) as conn:
            await conn.execute(
                "UPDATE invitations SET used_at = ?, used_by = ? WHERE code = ?",
                (to_db_time(now), member_id, code),
            )

    async def delete_expired_invitations(
        self, expired_before: datetime, *, tx: Tx | None = None
    ) -> int:
        """Retention: invitations (used or not) that expired at or before ``expired_before``."""
        async with self._writing(tx) as conn:
            cursor = await conn.execute(
                "DELETE FROM invitations WHERE expires_at <= ?", (to_db_time(expired_before),)
            )
        return cursor.rowcount

    async def menu_holders(
        self, admin_telegram_ids: Iterable[int], *, telegram_id: int | None = None
    ) -> list[RoleHolder]:
        """Every registered person (each has a command menu of their own, in their language)
        with their roles: coordinator (ADMIN_IDS or promoted), facilitator of an active group;
        only the one with ``telegram_id`` if given (empty if they have not joined)."""
        admins = tuple(admin_telegram_ids)
        marks = ",".join("?" * len(admins)) or "NULL"
        conn = await self._reading(None)
        async with conn.execute(
            f"SELECT m.telegram_id, m.language, (m.is_coordinator = 1 OR m.telegram_id IN"
            f" ({marks})) AS coordinates, EXISTS (SELECT 1 FROM group_facilitators AS f"
            " JOIN groups AS g ON g.id = f.group_id"
            " WHERE f.member_id = m.id AND g.archived_at IS NULL) AS facilitates"
            " FROM members AS m WHERE (? IS NULL OR m.telegram_id = ?) ORDER BY m.id",
            (*admins, telegram_id, telegram_id),
        ) as cursor:
            return [RoleHolder(row[0], row[1], bool(row[2]), bool(row[3])) async for row in cursor]

    # --- "tell me when a meeting is scheduled" --------------------------------------------

    async def set_watch(
        self, group_id: int, member_id: int, on: bool, now: datetime, *, tx: Tx | None = None
    ) -> bool:
        """Asks (``on``) or stops asking to be told of the group's next meeting; False if it
        was so already."""
        async with self._writing(tx) as conn:
            if on:
                cursor = await conn.execute(
                    "INSERT OR IGNORE INTO meeting_watches (group_id, member_id, created_at)"
                    " VALUES (?, ?, ?)",
                    (group_id, member_id, to_db_time(now)),
                )
            else:
                cursor = await conn.execute(
                    "DELETE FROM meeting_watches WHERE group_id = ? AND member_id = ?",
                    (group_id, member_id),
                )
        return cursor.rowcount > 0

    async def is_watching(self, group_id: int, member_id: int) -> bool:
        conn = await self._reading(None)
        async with conn.execute(
            "SELECT 1 FROM meeting_watches WHERE group_id = ? AND member_id = ?",
            (group_id, member_id),
        ) as cursor:
            return await cursor.fetchone() is not None

    async def take_watchers(self, group_id: int, *, tx: Tx) -> list[int]:
        """In the caller's transaction: who asked about the group's next meeting (member ids),
        their requests removed: each is answered once."""
        async with (
            self._writing(tx) as conn,
            conn.execute(
                "DELETE FROM meeting_watches WHERE group_id = ? RETURNING member_id",
                (group_id,),
            ) as cursor,
        ):
            return sorted([row[0] async for row in cursor])

    async def delete_old_watches(self, asked_before: datetime, *, tx: Tx | None = None) -> int:
        """Retention: requests made at or before ``asked_before`` and never answered."""
        async with self._writing(tx) as conn:
            cursor = await conn.execute(
                "DELETE FROM meeting_watches WHERE created_at <= ?", (to_db_time(asked_before),)
            )
        return cursor.rowcount

    # --- the personal-data export ---------------------------------------------------------

    async def export(self, member_id: int) -> dict[str, list[dict[str, Any]]]:
        """The person's groups, roles and role links, JSON-ready (UU PDP right of access).

        Group names are not about anyone; who else is in a group, who invited them and who
        used their links are, and stay out.
        """
        return await export_sections(await self._reading(None), _EXPORT, member_id)


async def _load(conn: aiosqlite.Connection, where: str, *params: object) -> Group | None:
    groups = await _load_many(conn, where, params)
    return groups[0] if groups else None


async def _load_many(
    conn: aiosqlite.Connection, where: str, params: Iterable[object]
) -> list[Group]:
    """Groups matching ``where`` (built from fixed fragments only, never user input)."""
    async with conn.execute(
        f"{_SELECT_GROUP} WHERE {where} ORDER BY g.name COLLATE NOCASE, g.id", tuple(params)
    ) as cursor:
        return [_group(row) async for row in cursor]


def _group(row: aiosqlite.Row) -> Group:
    return Group(
        id=row["id"],
        name=row["name"],
        description=row["description"],
        format=GroupFormat(row["format"]),
        province=row["province"],
        city=row["city"],
        languages=tuple(row["languages"].split(",")),
        timezone=row["timezone"],
        max_members=row["max_members"],
        offers_trials=bool(row["offers_trials"]),
        trial_seats=row["trial_seats"],
        reminder_offsets=tuple(int(m) for m in row["reminder_offsets"].split(",") if m),
        invite_code=row["invite_code"],
        archived=row["archived_at"] is not None,
        topics=tuple(row["topics"].split(",")) if row["topics"] else (),
    )
