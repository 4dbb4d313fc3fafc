"""The resource directory's table: seeding from the data file, and the coordinators' changes.

Seeding is an upsert by id: a new entry is inserted, an unchanged one is left alone, a changed
one is updated — unless a coordinator edited or retired it in the bot, in which case the file's
version is skipped (and reported) rather than silently overwriting their change. Seeded entries
that disappeared from the file are retired, unless they were edited in the bot.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.domain.contacts import Localized
from bot.domain.resources import Resource, content_hash
from bot.storage.database import Repository, Tx, to_db_time

_CONTENT_COLUMNS = (
    "category, title_id, title_en, description_id, description_en, province, tags, source,"
    " checked, phone, whatsapp, url, address"
)


@dataclass(frozen=True, slots=True)
class SeedReport:
    inserted: int
    updated: int
    unchanged: int
    retired: int
    # Entries changed in the data file but kept as edited in the bot.
    kept_bot_edits: tuple[str, ...]


class ResourceRepository(Repository):
    async def active(self) -> list[Resource]:
        """Every entry not retired, in id order."""
        conn = await self._reading(None)
        async with conn.execute(
            f"SELECT id, {_CONTENT_COLUMNS} FROM resources WHERE retired_at IS NULL ORDER BY id"
        ) as cursor:
            return [_resource(row) async for row in cursor]

    async def all_ids(self, *, tx: Tx | None = None) -> frozenset[str]:
        """Every id ever used, retired entries included (ids are never reused)."""
        conn = await self._reading(tx)
        async with conn.execute("SELECT id FROM resources") as cursor:
            return frozenset([row[0] async for row in cursor])

    async def seed(self, resources: Iterable[Resource], now: datetime) -> SeedReport:
        """Imports the data file's entries in one transaction (see the module docstring)."""
        inserted = updated = unchanged = 0
        kept: list[str] = []
        stamp = to_db_time(now)
        async with self._db.transaction() as conn:
            existing = await _seed_state(conn)
            for resource in resources:
                digest = content_hash(resource)
                state = existing.pop(resource.id, None)
                if state is None:
                    await _insert(conn, resource, "seed", digest, stamp)
                    inserted += 1
                elif state.edited_in_bot:
                    if state.seed_hash == digest:
                        unchanged += 1
                    else:
                        kept.append(resource.id)
                elif state.seed_hash == digest and not state.retired:
                    unchanged += 1
                else:  # changed in the file, or back in the file after being dropped
                    await _update(conn, resource, stamp, seed_hash=digest)
                    updated += 1
            gone = [
                rid
                for rid, s in existing.items()
                if s.is_seed and not s.edited_in_bot and not s.retired
            ]
            for resource_id in gone:
                await conn.execute(
                    "UPDATE resources SET retired_at = ?, updated_at = ?"
                    " WHERE id = ? AND retired_at IS NULL",
                    (stamp, stamp, resource_id),
                )
        return SeedReport(inserted, updated, unchanged, len(gone), tuple(kept))

    async def add(self, resource: Resource, now: datetime, *, tx: Tx | None = None) -> None:
        """Stores an entry a coordinator made in the bot."""
        async with self._writing(tx) as conn:
            await _insert(conn, resource, "bot", None, to_db_time(now))

    async def replace(self, resource: Resource, now: datetime) -> bool:
        """Saves a coordinator's edit; False if the entry is gone or retired."""
        async with self._db.transaction() as conn:
            return await _update(conn, resource, to_db_time(now), edited=True)

    async def retire(self, resource_id: str, now: datetime) -> bool:
        """Hides the entry for good (kept for the record); False if already retired or unknown."""
        stamp = to_db_time(now)
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE resources SET retired_at = ?, edited_in_bot_at = ?, updated_at = ?"
                " WHERE id = ? AND retired_at IS NULL",
                (stamp, stamp, stamp, resource_id),
            )
            return cursor.rowcount == 1


@dataclass(frozen=True, slots=True)
class _SeedState:
    seed_hash: str | None
    edited_in_bot: bool
    is_seed: bool
    retired: bool


async def _seed_state(conn: aiosqlite.Connection) -> dict[str, _SeedState]:
    async with conn.execute(
        "SELECT id, seed_hash, edited_in_bot_at, origin, retired_at FROM resources"
    ) as cursor:
        return {
            row["id"]: _SeedState(
                row["seed_hash"],
                row["edited_in_bot_at"] is not None,
                row["origin"] == "seed",
                row["retired_at"] is not None,
            )
            async for row in cursor
        }


def _content(resource: Resource) -> tuple[object, ...]:
    return (
        resource.category,
        resource.title.id,
        resource.title.en,
        resource.description.id,
        resource.description.en,
        resource.province,
        json.dumps(list(resource.tags), ensure_ascii=False),
        json.dumps(list(resource.source)),
        resource.checked.isoformat(),
        resource.phone,
        resource.whatsapp,
        resource.url,
        resource.address,
    )


async def _insert(
    conn: aiosqlite.Connection, resource: Resource, origin: str, digest: str | None, stamp: str
) -> None:
    await conn.execute(
        f"INSERT INTO resources (id, {_CONTENT_COLUMNS}, origin, seed_hash, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (resource.id, *_content(resource), origin, digest, stamp, stamp),
    )


async def _update(
    conn: aiosqlite.Connection,
    resource: Resource,
    stamp: str,
    *,
    seed_hash: str | None = None,
    edited: bool = False,
) -> bool:
    assignments = ", ".join(f"{column.strip()} = ?" for column in _CONTENT_COLUMNS.split(","))
    extra, values = "", [*_content(resource), stamp]
    if seed_hash is not None:
        extra += ", seed_hash = ?, retired_at = NULL"
        values.append(seed_hash)
    if edited:
        extra += ", edited_in_bot_at = ?"
        values.append(stamp)
    cursor = await conn.execute(
        f"UPDATE resources SET {assignments}, updated_at = ?{extra}"
        f" WHERE id = ?{'' if seed_hash else ' AND retired_at IS NULL'}",
        (*values, resource.id),
    )
    return cursor.rowcount == 1


def _resource(row: aiosqlite.Row) -> Resource:
    return Resource(
        id=row["id"],
        category=row["category"],
        title=Localized(id=row["title_id"], en=row["title_en"]),
        description=Localized(id=row["description_id"], en=row["description_en"]),
        province=row["province"],
        tags=tuple(json.loads(row["tags"])),
        source=tuple(json.loads(row["source"])),
        checked=dt.date.fromisoformat(row["checked"]),
        phone=row["phone"],
        whatsapp=row["whatsapp"],
        url=row["url"],
        address=row["address"],
    )
