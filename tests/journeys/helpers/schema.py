"""Reading the schema of a journey's database: which tables hold rows about members."""

from __future__ import annotations

import sqlite3


def member_columns(db: sqlite3.Connection) -> set[tuple[str, str]]:
    """Every (table, column) that holds a member's id: by foreign key or by name."""
    found = set()
    for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        if table == "members":  # the person's own row: the export's profile
            continue
        to_members = {
            fk[3] for fk in db.execute(f"PRAGMA foreign_key_list({table})") if fk[2] == "members"
        }
        for column in (c[1] for c in db.execute(f"PRAGMA table_info({table})")):
            named = column == "member_id" or column.endswith("_member_id")
            if named or column in to_members or column in ("used_by", "created_by"):
                found.add((table, column))
    return found
