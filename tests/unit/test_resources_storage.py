"""Seeding the directory: idempotent, and never overwriting what a coordinator changed."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import ControllableClock
from bot.data_files import resource_directory
from bot.domain.contacts import Localized
from bot.domain.directory import Draft, ResourceDirectory
from bot.services.resources import add_resource, load_directory, replace_resource, retire_resource
from bot.storage.database import Database
from bot.storage.resources import ResourceRepository

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
async def database(tmp_path):
    db = Database(tmp_path / "resources.sqlite3")
    yield db
    await db.close()


async def test_seeding_twice_changes_nothing(database: Database) -> None:
    repository = ResourceRepository(database)
    data = resource_directory()
    first = await repository.seed(data, NOW)
    second = await repository.seed(data, NOW + timedelta(days=1))
    assert first.inserted == len(data)
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, len(data))
    assert len(await repository.active()) == len(data)


async def test_a_changed_file_updates_entries_not_edited_in_the_bot(database: Database) -> None:
    repository = ResourceRepository(database)
    data = list(resource_directory())
    await repository.seed(data, NOW)
    data[0] = replace(data[0], title=Localized(id="Judul baru", en="New title"))
    report = await repository.seed(data, NOW)
    assert report.updated == 1
    [stored] = [r for r in await repository.active() if r.id == data[0].id]
    assert stored.title.en == "New title"


async def test_bot_edits_survive_a_reimport_and_are_reported(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    clock = ControllableClock(NOW)
    repository, directory = ResourceRepository(database), ResourceDirectory()
    data = list(resource_directory())
    await load_directory(repository, directory, clock, data)
    edited = replace(data[0], title=Localized(id="Diubah koordinator", en="Edited in the bot"))
    assert await replace_resource(repository, directory, clock, edited)
    await retire_resource(repository, directory, clock, data[1].id)

    data[0] = replace(data[0], title=Localized(id="Dari berkas", en="From the file"))
    data[1] = replace(data[1], title=Localized(id="Dari berkas", en="From the file too"))
    with caplog.at_level(logging.WARNING):
        report = await load_directory(repository, directory, clock, data)

    assert set(report.kept_bot_edits) == {data[0].id, data[1].id}
    assert directory.get(data[0].id, privileged=True).title.en == "Edited in the bot"
    assert directory.get(data[1].id, privileged=True) is None  # stays retired
    assert "2 entries edited in the bot were kept" in caplog.text


async def test_entries_dropped_from_the_file_are_retired(database: Database) -> None:
    repository = ResourceRepository(database)
    data = list(resource_directory())
    await repository.seed(data, NOW)
    report = await repository.seed(data[1:], NOW)
    assert report.retired == 1
    assert data[0].id not in {r.id for r in await repository.active()}
    back = await repository.seed(data, NOW)
    assert back.updated == 1 and data[0].id in {r.id for r in await repository.active()}


async def test_added_entries_get_unique_ids_and_are_searchable(database: Database) -> None:
    repository, directory, clock = (
        ResourceRepository(database),
        ResourceDirectory(),
        ControllableClock(NOW),
    )
    await load_directory(repository, directory, clock, resource_directory())
    draft = Draft(
        category="therapy",
        title_id="Terapi seni",
        title_en="Art therapy",
        description_id="Melukis bersama",
        description_en="Painting together",
        province="national",
        tags=("seni", "art"),
    )
    first = await add_resource(repository, directory, clock, draft)
    second = await add_resource(repository, directory, clock, draft)
    assert (first.id, second.id) == ("art-therapy", "art-therapy-2")
    assert [r.id for r in directory.search("melukis", privileged=False)][:2] == [
        "art-therapy",
        "art-therapy-2",
    ]


async def test_a_coordinators_change_stays_in_its_own_bot(tmp_path) -> None:
    # Two bots in one process start from the same directory (their search index is built once
    # and shared until it changes): an entry added in one is not found by the other.
    clock, bots = ControllableClock(NOW), []
    for name in ("one", "two"):
        database = Database(tmp_path / f"{name}.sqlite3")
        repository, directory = ResourceRepository(database), ResourceDirectory()
        await load_directory(repository, directory, clock, resource_directory())
        bots.append((repository, directory, database))
    (first_store, first, _), (second_store, second, _) = bots
    draft = Draft("therapy", "Terapi seni", "Art therapy", "Melukis", "Painting", "national", ())
    added = await add_resource(first_store, first, clock, draft)
    retired = resource_directory()[-1]
    await retire_resource(second_store, second, clock, retired.id)
    try:
        assert [r.id for r in first.search("melukis", privileged=True)] == [added.id]
        assert second.search("melukis", privileged=True) == []
        assert retired.id in {r.id for r in first.search(retired.title.en, privileged=True)}
        assert retired.id not in {r.id for r in second.search(retired.title.en, privileged=True)}
    finally:
        for _, _, database in bots:
            await database.close()
