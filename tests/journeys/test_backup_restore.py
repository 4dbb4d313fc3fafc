"""Backing up the live database while the bot runs and people write, and restoring it: the bot
starts on the restored copy and sees what was there at the backup, nothing later.
"""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from bot.operations import OperationError
from bot.operations.backup import backup, restore
from tests.journeys.harness import BotWorld
from tests.journeys.helpers import rows
from tests.journeys.helpers.crisis import a_member


def integrity(path) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute("PRAGMA integrity_check").fetchall()


async def test_a_backup_taken_while_people_write_restores_to_what_was_there(
    world: BotWorld, tmp_path
) -> None:
    rina = await a_member(world, 711, "Rina Senja")
    await rina.send("/mood")
    await rina.press("Good")
    writers = [await a_member(world, 720 + n, f"Penulis {n}") for n in range(5)]

    first_round_done = asyncio.Event()

    async def keep_writing() -> None:
        for _ in range(10):
            for person in writers:
                await person.send("/mood")
                await person.press("Okay")
            first_round_done.set()

    target = tmp_path / "backups" / "rangkul-backup.sqlite3"
    target.parent.mkdir()
    writing = asyncio.ensure_future(keep_writing())
    await first_round_done.wait()  # the backup starts between two writes and runs beside them
    copied = await asyncio.to_thread(backup, world.db_path, target)
    await writing
    assert copied.size_bytes > 0 and integrity(target) == [("ok",)]
    assert target.stat().st_mode & 0o077 == 0  # personal data: readable by its owner only
    moods_at_backup = sqlite3.connect(target).execute("SELECT COUNT(*) FROM moods").fetchone()[0]
    assert 1 + 5 <= moods_at_backup < 1 + 50  # some writes came before it, the rest after

    # After the backup: a newcomer joins and Rina records another mood.
    await a_member(world, 730, "Baru Datang")
    await rina.send("/mood")
    await rina.press("Very low")

    with pytest.raises(OperationError, match="is in use"):
        restore(target, world.db_path)  # never under a running bot

    await world.stop()
    restore(target, world.db_path)
    await world.start()

    assert integrity(world.db_path) == [("ok",)]
    assert rows(world, "SELECT COUNT(*) FROM moods") == [(moods_at_backup,)]
    assert rows(world, "SELECT alias FROM members WHERE alias = 'Baru Datang'") == []
    [scores] = rows(
        world,
        "SELECT GROUP_CONCAT(score) FROM moods WHERE member_id = ("
        "SELECT id FROM members WHERE alias = 'Rina Senja')",
    )
    assert scores == ("4",)  # the mood after the backup is gone
    [scale] = await rina.send("/mood")  # the restored member carries on as before
    assert "How are you feeling today?" in scale.text


async def test_a_backup_never_replaces_a_file_unless_forced(world: BotWorld, tmp_path) -> None:
    target = tmp_path / "existing.sqlite3"
    target.write_text("an earlier backup")

    with pytest.raises(OperationError, match="already exists"):
        backup(world.db_path, target)
    assert target.read_text() == "an earlier backup"

    backup(world.db_path, target, force=True)
    assert integrity(target) == [("ok",)]
    assert list(tmp_path.glob(".*partial")) == []
