"""Groups, their topics, facilitators and members, and the one-time role invitations.

Changes that touch more than one row (a group with its topics, claiming an invitation and
granting its role, archiving a group and cancelling its meetings, leaving a group and giving
up one's seats) are each one transaction.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
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
    InvitationProblem,
    NewGroup,
    invitation_expiry,
    invitation_problem,
)
from bot.storage import meetings, outbox
from bot.storage.database import Database, from_db_time, to_db_time
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
    "invitations_used": "SELECT i.kind, g.name AS group_name, i.used_at"
    " FROM invitations AS i LEFT JOIN groups AS g ON g.id = i.group_id"
    " WHERE i.used_by = ? ORDER BY i.used_at, i.code",
}


@dataclass(frozen=True, slots=True)
class ClaimedInvitation:
    """The outcome of opening a one-time link: the invitation used, or why it could not be."""

    invitation: Invitation | None
    problem: InvitationProblem | None = None
    # The person already had the role (the link is still used up).
    already: bool = False


@dataclass(frozen=True, slots=True)
class RoleHolder:
    """A registered coordinator or facilitator, for their role's command menu."""

    telegram_id: int
    language: str
    is_coordinator: bool
    is_facilitator: bool


def new_code() -> str:
    return secrets.token_urlsafe(_CODE_BYTES)


class GroupRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    # --- groups --------------------------------------------------------------------------

    async def create(self, new: NewGroup, now: datetime) -> Group:
        """Stores the group and its topics together, with a fresh unique invitation code."""
        async with self._db.transaction() as conn:
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

    async def get(self, group_id: int) -> Group | None:
        return await _load(await self._db.connection(), "g.id = ?", group_id)

    async def active(self, group_id: int | None) -> Group | None:
        """The group unless it is archived (or unknown)."""
        if group_id is None:
            return None
        return await _load(
            await self._db.connection(), "g.id = ? AND g.archived_at IS NULL", group_id
        )

    async def by_invite_code(self, code: str) -> Group | None:
        """The active group whose invitation link carries ``code``."""
        conn = await self._db.connection()
        return await _load(conn, "g.invite_code = ? AND g.archived_at IS NULL", code)

    async def list_all(self) -> list[GroupSummary]:
        """Every active group, by name, with its member and facilitator counts."""
        return await self._summaries("g.archived_at IS NULL")

    async def summary(self, group_id: int) -> GroupSummary | None:
        """One active group with its counts."""
        found = await self._summaries("g.archived_at IS NULL AND g.id = ?", group_id)
        return found[0] if found else None

    async def _summaries(self, where: str, *params: object) -> list[GroupSummary]:
        conn = await self._db.connection()
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
        return await _load_many(await self._db.connection(), " AND ".join(where), params)

    async def update(
        self, group_id: int, field: EditableField, value: str | int | tuple[int, ...]
    ) -> None:
        """Changes one field of an active group; raises LookupError if it is gone.

        Reminder offsets (minutes) are stored as "2880,120". Reminders already in the outbox
        keep their times: the planner only fills in people with no reminder row for a meeting,
        so new offsets apply to reminders planned from now on (new meetings, new sign-ups).
        """
        if isinstance(value, tuple):
            value = ",".join(map(str, value))
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                f"UPDATE groups SET {_COLUMNS[field]} = ?"  # column from a fixed whitelist
                " WHERE id = ? AND archived_at IS NULL",
                (value, group_id),
            )
            if cursor.rowcount == 0:
                raise LookupError("no such active group")

    async def archive(self, group_id: int, now: datetime) -> list[tuple[int, int]] | None:
        """Archives the group and cancels its future meetings in the same transaction.

        Returns what the meetings storage reports as cancelled, or ``None`` if the group was
        not active (already archived, or gone).
        """
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE groups SET archived_at = ? WHERE id = ? AND archived_at IS NULL",
                (to_db_time(now), group_id),
            )
            if cursor.rowcount == 0:
                return None
            return await meetings.cancel_group_meetings(conn, group_id, now)

    # --- facilitators and members ---------------------------------------------------------

    async def add_facilitator(self, group_id: int, member_id: int, now: datetime) -> bool:
        """False if they already facilitate this group."""
        async with self._db.transaction() as conn:
            return await _add_facilitator(conn, group_id, member_id, now)

    async def remove_facilitator(self, group_id: int, member_id: int) -> bool:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM group_facilitators WHERE group_id = ? AND member_id = ?",
                (group_id, member_id),
            )
            return cursor.rowcount > 0

    async def facilitators(self, group_id: int) -> list[tuple[int, str]]:
        """(member id, alias) of a group's facilitators, oldest first."""
        conn = await self._db.connection()
        async with conn.execute(
            "SELECT m.id, m.alias FROM group_facilitators AS f JOIN members AS m"
            " ON m.id = f.member_id WHERE f.group_id = ? ORDER BY f.added_at, m.id",
            (group_id,),
        ) as cursor:
            return [(row[0], row[1]) async for row in cursor]

    async def add_member(self, group_id: int, member_id: int, now: datetime) -> bool:
        """Adds a member if the active group has room; False if full, gone or already in."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO group_members (group_id, member_id, joined_at)"
                " SELECT g.id, ?, ? FROM groups AS g WHERE g.id = ? AND g.archived_at IS NULL"
                " AND (SELECT count(*) FROM group_members WHERE group_id = g.id) < g.max_members",
                (member_id, to_db_time(now), group_id),
            )
            return cursor.rowcount > 0

    async def remove_member(self, group_id: int, member_id: int, now: datetime) -> bool:
        """Takes the member out, gives up their seats and drops their pending reminders for
        this group's meetings, all at once. False if they were not a member."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM group_members WHERE group_id = ? AND member_id = ?",
                (group_id, member_id),
            )
            if cursor.rowcount == 0:
                return False
            await meetings.release_member_seats(conn, group_id, member_id, now)
            # Seat release drops reminders of seats given up; this also catches any other
            # pending row about the group's meetings (a notice, a not-going seat's leftovers).
            async with conn.execute(
                "SELECT DISTINCT o.meeting_id FROM outbox AS o"
                " JOIN meetings AS m ON m.id = o.meeting_id"
                " WHERE o.member_id = ? AND m.group_id = ? AND o.status = 'pending'",
                (member_id, group_id),
            ) as pending:
                meeting_ids = [row[0] async for row in pending]
            for meeting_id in meeting_ids:
                await outbox.cancel_pending(conn, meeting_id=meeting_id, member_id=member_id)
            return True

    async def is_member(self, group_id: int, member_id: int) -> bool:
        conn = await self._db.connection()
        async with conn.execute(
            "SELECT 1 FROM group_members WHERE group_id = ? AND member_id = ?",
            (group_id, member_id),
        ) as cursor:
            return await cursor.fetchone() is not None

    async def member_group_ids(self, member_id: int) -> frozenset[int]:
        """Active groups this person belongs to as a member."""
        conn = await self._db.connection()
        async with conn.execute(
            "SELECT gm.group_id FROM group_members AS gm JOIN groups AS g ON g.id = gm.group_id"
            " WHERE gm.member_id = ? AND g.archived_at IS NULL",
            (member_id,),
        ) as cursor:
            return frozenset([row[0] async for row in cursor])

    async def member_count(self, group_id: int) -> int:
        conn = await self._db.connection()
        async with conn.execute(
            "SELECT count(*) FROM group_members WHERE group_id = ?", (group_id,)
        ) as cursor:
            row = await cursor.fetchone()
        return row[0]

    async def trial_answer(self, group_id: int, member_id: int) -> str | None:
        """'yes', 'no' or 'waitlist' after a trial session in this group, or None."""
        conn = await self._db.connection()
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
    ) -> Invitation:
        """A fresh one-time invitation, valid for seven days from ``now``."""
        invitation = Invitation(new_code(), kind, group_id, now, invitation_expiry(now), None)
        async with self._db.transaction() as conn:
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

    async def claim_invitation(
        self, code: str, kind: InvitationKind, member_id: int, now: datetime
    ) -> ClaimedInvitation:
        """Uses the invitation up and grants its role, or says why not; one transaction, so a
        link opened twice at once still works only once."""
        async with self._db.transaction() as conn:
            invitation, group_active = await _invitation(conn, code)
            if invitation is not None and invitation.kind is not kind:
                invitation = None  # an f- code opened as c- (or the reverse) is just unknown
            problem = invitation_problem(invitation, now, group_active=group_active)
            if problem is not None:
                return ClaimedInvitation(invitation, problem)
            assert invitation is not None
            await conn.execute(
                "UPDATE invitations SET used_at = ?, used_by = ? WHERE code = ?",
                (to_db_time(now), member_id, code),
            )
            if kind is InvitationKind.FACILITATOR:
                assert invitation.group_id is not None  # schema CHECK
                granted = await _add_facilitator(conn, invitation.group_id, member_id, now)
            else:
                cursor = await conn.execute(
                    "UPDATE members SET is_coordinator = 1 WHERE id = ? AND is_coordinator = 0",
                    (member_id,),
                )
                granted = cursor.rowcount > 0
            return ClaimedInvitation(invitation, already=not granted)

    async def role_holders(
        self, admin_telegram_ids: Iterable[int], *, telegram_id: int | None = None
    ) -> list[RoleHolder]:
        """Registered coordinators (ADMIN_IDS and promoted) and facilitators of active groups;
        only the one with ``telegram_id`` if given (empty if they have no role)."""
        admins = tuple(admin_telegram_ids)
        marks = ",".join("?" * len(admins)) or "NULL"
        conn = await self._db.connection()
        async with conn.execute(
            f"SELECT m.telegram_id, m.language, (m.is_coordinator = 1 OR m.telegram_id IN"
            f" ({marks})) AS coordinates, EXISTS (SELECT 1 FROM group_facilitators AS f"
            " JOIN groups AS g ON g.id = f.group_id"
            " WHERE f.member_id = m.id AND g.archived_at IS NULL) AS facilitates"
            " FROM members AS m WHERE (coordinates OR facilitates)"
            " AND (? IS NULL OR m.telegram_id = ?) ORDER BY m.id",
            (*admins, telegram_id, telegram_id),
        ) as cursor:
            return [RoleHolder(row[0], row[1], bool(row[2]), bool(row[3])) async for row in cursor]

    # --- the personal-data export ---------------------------------------------------------

    async def export(self, member_id: int) -> dict[str, list[dict[str, Any]]]:
        """The person's groups, roles and role links, JSON-ready (UU PDP right of access).

        Group names are not about anyone; who else is in a group, who invited them and who
        used their links are, and stay out.
        """
        return await export_sections(await self._db.connection(), _EXPORT, member_id)


async def _add_facilitator(
    conn: aiosqlite.Connection, group_id: int, member_id: int, now: datetime
) -> bool:
    cursor = await conn.execute(
        "INSERT OR IGNORE INTO group_facilitators (group_id, member_id, added_at) VALUES (?, ?, ?)",
        (group_id, member_id, to_db_time(now)),
    )
    return cursor.rowcount > 0


async def _invitation(conn: aiosqlite.Connection, code: str) -> tuple[Invitation | None, bool]:
    """The invitation with ``code`` and whether its group (if any) is still active."""
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
