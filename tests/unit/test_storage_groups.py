"""GroupRepository on a real SQLite file: groups with topics, browsing, membership, roles."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.alias import alias_key
from bot.domain.groups import GroupFormat, NewGroup
from bot.domain.member import Member, NewMember
from bot.storage.database import Database
from bot.storage.groups import GroupRepository
from bot.storage.members import MemberRepository

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def new_group(name: str, **changes: object) -> NewGroup:
    values = {
        "name": name,
        "description": "A warm peer group for everyone.",
        "format": GroupFormat.IN_PERSON,
        "province": "sulsel",
        "city": "Makassar",
        "languages": ("id", "en"),
        "timezone": "Asia/Makassar",
        "max_members": 2,
        "offers_trials": True,
        "trial_seats": 2,
        "topics": ("anxiety", "depression"),
    } | changes
    return NewGroup(**values)  # type: ignore[arg-type]


async def a_member(db: Database, telegram_id: int) -> Member:
    alias = f"Melati {telegram_id}"
    return await MemberRepository(db).create(
        NewMember(
            telegram_id=telegram_id,
            alias=alias,
            alias_key=alias_key(alias),
            language="en",
            timezone="Asia/Jakarta",
            province=None,
            topics=(),
            consent_version=1,
            consent_at=NOW,
            adult_confirmed_at=NOW,
            created_at=NOW,
        )
    )


async def test_a_group_is_stored_with_its_topics_and_a_unique_code(db: Database) -> None:
    groups = GroupRepository(db)
    first = await groups.create(new_group("Teman Cerita"), NOW)
    second = await groups.create(new_group("Sahabat"), NOW)
    assert first.topics == ("anxiety", "depression") and first.languages == ("id", "en")
    assert first.reminder_offsets == (1440, 60) and not first.archived
    assert first.invite_code != second.invite_code and len(first.invite_code) == 12
    assert await groups.get(first.id) == first
    assert await groups.by_invite_code(first.invite_code) == first


async def test_browsing_filters_combine(db: Database) -> None:
    groups = GroupRepository(db)
    await groups.create(new_group("Makassar"), NOW)
    await groups.create(
        new_group(
            "Online",
            format=GroupFormat.ONLINE,
            province=None,
            city=None,
            languages=("en",),
            topics=("bipolar",),
        ),
        NOW,
    )
    await groups.create(new_group("Hybrid Bali", format=GroupFormat.HYBRID, province="bali"), NOW)

    def names(found: list) -> list[str]:
        return [g.name for g in found]

    assert names(await groups.browse()) == ["Hybrid Bali", "Makassar", "Online"]
    assert names(await groups.browse(topic="bipolar")) == ["Online"]
    assert names(await groups.browse(province="sulsel")) == ["Makassar"]
    assert names(await groups.browse(online_only=True)) == ["Hybrid Bali", "Online"]
    assert names(await groups.browse(language="id", topic="anxiety")) == ["Hybrid Bali", "Makassar"]


async def test_members_up_to_the_maximum_and_archiving(db: Database) -> None:
    groups = GroupRepository(db)
    group = await groups.create(new_group("Small"), NOW)
    people = [await a_member(db, n) for n in (1, 2, 3)]
    assert await groups.add_member(group.id, people[0].id, NOW)
    assert not await groups.add_member(group.id, people[0].id, NOW)
    assert await groups.add_member(group.id, people[1].id, NOW)
    assert not await groups.add_member(group.id, people[2].id, NOW)  # full
    [summary] = await groups.list_all()
    assert (summary.member_count, summary.facilitator_count) == (2, 0)
    assert await groups.member_group_ids(people[0].id) == {group.id}

    assert await groups.remove_member(group.id, people[0].id)
    assert not await groups.remove_member(group.id, people[0].id)
    assert await groups.archive(group.id, NOW)
    assert not await groups.archive(group.id, NOW)
    assert await groups.list_all() == [] and await groups.browse() == []
    assert await groups.by_invite_code(group.invite_code) is None


async def test_admin_ids_count_as_coordinators(db: Database) -> None:
    groups = GroupRepository(db)
    await a_member(db, 1)
    await a_member(db, 2)
    holders = await groups.menu_holders(frozenset({2, 99}))
    assert [(h.telegram_id, h.is_coordinator) for h in holders] == [(1, False), (2, True)]
    [one] = await groups.menu_holders(frozenset({2}), telegram_id=1)
    assert not one.is_coordinator and not one.is_facilitator
    assert await groups.menu_holders(frozenset({2}), telegram_id=99) == []
