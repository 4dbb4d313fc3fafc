"""The shared step of every repository's personal-data export: named queries to JSON rows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aiosqlite


async def export_sections(
    conn: aiosqlite.Connection, queries: Mapping[str, str], member_id: int
) -> dict[str, list[dict[str, Any]]]:
    """Runs each query (one ``?``: the member id) and returns its rows as dicts by section.

    Queries select JSON-ready columns under the names the export shows, and never an internal
    row id or a Telegram id.
    """
    sections: dict[str, list[dict[str, Any]]] = {}
    for section, sql in queries.items():
        async with conn.execute(sql, (member_id,)) as cursor:
            sections[section] = [dict(row) async for row in cursor]
    return sections
