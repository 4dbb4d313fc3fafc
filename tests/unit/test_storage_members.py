"""MemberRepository against a real SQLite file: registration, aliases, consent, export, forget."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.member import AliasTaken, MemberExists, NewMember
from bot.storage.database import Database
from bot.storage.members import MemberRepository
from bot.storage.persistence import SqlitePersistence

T0 = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
AYU = 700000001
BUDI = 800000002
GROUP_CHAT = -1001234567890


def new_member(telegram_id: int, alias: str, **changes: object) -> NewMember:
    base = NewMember(
        telegram_id=telegram_id,
        alias=alias,
        # Stands in for bot.domain.alias.alias_key: the repository only stores what it is given.
        alias_key=alias.strip().casefold(),
        language="id",
        timezone="Asia/Jakarta",
        province="JB",
        topics=("depression", "anxiety"),
        consent_version=1,
        consent_at=T0,
        adult_confirmed_at=T0,
        created_at=T0,
    )
    return replace(base, **changes)


@pytest.fixture
def repo(db: Database) -> MemberRepository:
    return MemberRepository(db)


async def test_create_and_read_back(repo: MemberRepository) -> None:
    created = await repo.create(new_member(AYU, "Ayu", adult_confirmed_at=T0 - timedelta(1)))
    loaded = await repo.by_telegram_id(AYU)
    assert loaded == created
    assert loaded is not None
    assert loaded.alias == "Ayu"
    assert loaded.topics == ("anxiety", "depression")
    assert loaded.province == "JB"
    assert loaded.is_coordinator is False
    assert loaded.consent_version == 1
    assert loaded.consent_at == T0
    assert loaded.consent_at.tzinfo is not None
    assert loaded.adult_confirmed_at == T0 - timedelta(1)
    assert await repo.by_telegram_id(BUDI) is None


async def test_times_are_stored_as_utc_text(repo: MemberRepository, db: Database) -> None:
    jakarta = datetime(2025, 3, 1, 16, 30, tzinfo=ZoneInfo("Asia/Jakarta"))
    await repo.create(new_member(AYU, "Ayu", created_at=jakarta))
    conn = await db.connection()
    rows = await conn.execute_fetchall("SELECT created_at FROM members")
    assert rows[0][0] == "2025-03-01T09:30:00.000000+00:00"


async def test_alias_is_unique_case_insensitively_via_alias_key(repo: MemberRepository) -> None:
    ayu = await repo.create(new_member(AYU, "Melati"))
    with pytest.raises(AliasTaken):
        await repo.create(new_member(BUDI, "MELATI "))
    assert await repo.by_telegram_id(BUDI) is None

    assert await repo.alias_taken("melati")
    assert not await repo.alias_taken("melati", except_member_id=ayu.id)
    assert not await repo.alias_taken("mawar")

    budi = await repo.create(new_member(BUDI, "Mawar"))
    with pytest.raises(AliasTaken):
        await repo.set_alias(budi.id, "melati", "melati")
    # Changing only the spelling of one's own alias is fine.
    await repo.set_alias(ayu.id, "MeLaTi", "melati")
    reloaded = await repo.by_telegram_id(AYU)
    assert reloaded is not None
    assert reloaded.alias == "MeLaTi"


async def test_registering_twice_is_a_clear_error_and_writes_nothing(
    repo: MemberRepository, db: Database
) -> None:
    await repo.create(new_member(AYU, "Ayu"))
    # Same account and same alias (a double tap): the account is the reason, not the alias.
    with pytest.raises(MemberExists):
        await repo.create(new_member(AYU, "Ayu", topics=("grief",)))
    with pytest.raises(MemberExists):
        await repo.create(new_member(AYU, "Other"))
    conn = await db.connection()
    assert (await conn.execute_fetchall("SELECT COUNT(*) FROM member_topics"))[0][0] == 2
    assert (await conn.execute_fetchall("SELECT COUNT(*) FROM consents"))[0][0] == 1


async def test_consent_history_keeps_every_version(repo: MemberRepository) -> None:
    ayu = await repo.create(new_member(AYU, "Ayu"))
    await repo.record_consent(ayu.id, 2, T0 + timedelta(days=30))
    current = await repo.by_telegram_id(AYU)
    assert current is not None
    assert (current.consent_version, current.consent_at) == (2, T0 + timedelta(days=30))
    export = await repo.export(AYU)
    assert export is not None
    assert export["consents"] == [
        {"notice_version": 1, "given_at": "2025-03-01T09:30:00.000000+00:00"},
        {"notice_version": 2, "given_at": "2025-03-31T09:30:00.000000+00:00"},
    ]


async def test_profile_updates(repo: MemberRepository) -> None:
    ayu = await repo.create(new_member(AYU, "Ayu"))
    await repo.set_language(ayu.id, "en")
    await repo.set_topics(ayu.id, ["peer-support", "grief", "grief"])
    await repo.set_region(ayu.id, None, "Asia/Makassar")
    loaded = await repo.by_telegram_id(AYU)
    assert loaded is not None
    assert loaded.language == "en"
    assert loaded.topics == ("grief", "peer-support")
    assert (loaded.province, loaded.timezone) == (None, "Asia/Makassar")

    await repo.set_topics(ayu.id, [])
    loaded = await repo.by_telegram_id(AYU)
    assert loaded is not None
    assert loaded.topics == ()

    with pytest.raises(sqlite3.IntegrityError):
        await repo.set_language(ayu.id, "fr")


async def test_unknown_member_id_raises_lookup_error(repo: MemberRepository) -> None:
    with pytest.raises(LookupError):
        await repo.set_language(42, "en")
    with pytest.raises(LookupError):
        await repo.set_alias(42, "X", "x")
    with pytest.raises(LookupError):
        await repo.set_region(42, None, "Asia/Jakarta")
    with pytest.raises(LookupError):
        await repo.set_topics(42, ["grief"])
    with pytest.raises(LookupError):
        await repo.record_consent(42, 2, T0)


async def test_referral_counts_are_aggregate(repo: MemberRepository, db: Database) -> None:
    for source in ["poster", "poster", "instagram", "poster"]:
        await repo.count_referral(source)
    conn = await db.connection()
    rows = await conn.execute_fetchall("SELECT source, count FROM referral_counts ORDER BY source")
    assert [tuple(row) for row in rows] == [("instagram", 1), ("poster", 3)]


async def _seed_two_people(repo: MemberRepository, db: Database) -> None:
    """Ayu and Budi, each with profile, consents and PTB persistence entries."""
    ayu = await repo.create(new_member(AYU, "Ayu Lestari", topics=("anxiety",)))
    await repo.record_consent(ayu.id, 2, T0 + timedelta(days=1))
    budi = await repo.create(new_member(BUDI, "Budi Santoso", topics=("grief",)))
    await repo.record_consent(budi.id, 2, T0 + timedelta(days=2))
    await repo.count_referral("poster")

    persistence = SqlitePersistence(db)
    for who in (AYU, BUDI):
        await persistence.update_user_data(who, {"draft": f"note of {who}", "lang": "id"})
        await persistence.update_chat_data(who, {"last_menu": "home"})
        await persistence.update_conversation("onboarding", (who, who), "ASK_ALIAS")
        await persistence.update_conversation("checkin", (GROUP_CHAT, who), 3)
        await persistence.update_conversation("solo", (who,), "S")
    await persistence.update_chat_data(GROUP_CHAT, {"group": "Bandung"})


async def test_export_contains_everything_about_the_person_and_nothing_else(
    repo: MemberRepository, db: Database
) -> None:
    await _seed_two_people(repo, db)
    export = await repo.export(AYU)
    assert export is not None

    assert export["profile"] == {
        "alias": "Ayu Lestari",
        "language": "id",
        "timezone": "Asia/Jakarta",
        "province": "JB",
        "is_coordinator": False,
        "adult_confirmed_at": "2025-03-01T09:30:00.000000+00:00",
        "created_at": "2025-03-01T09:30:00.000000+00:00",
    }
    assert export["topics"] == ["anxiety"]
    assert [c["notice_version"] for c in export["consents"]] == [1, 2]
    assert export["user_data"] == {"draft": f"note of {AYU}", "lang": "id"}
    assert export["private_chat_data"] == {"last_menu": "home"}
    # Conversation keys are Telegram ids, which exports never carry; the states are theirs.
    assert sorted((c["name"], str(c["state"])) for c in export["conversations"]) == sorted(
        [("onboarding", "ASK_ALIAS"), ("checkin", "3"), ("solo", "S")]
    )
    assert all("key" not in c for c in export["conversations"])

    text = json.dumps(export)  # JSON-ready as promised
    assert str(BUDI) not in text
    assert "Budi" not in text
    assert "grief" not in text
    assert "Bandung" not in text
    # Internal row ids are no one's business, not even the person's own.
    assert "id" not in export["profile"]
    assert "member_id" not in text


async def test_export_of_unknown_person_is_none(repo: MemberRepository) -> None:
    assert await repo.export(AYU) is None


async def test_export_of_unfinished_signup_holds_only_drafts(
    repo: MemberRepository, db: Database
) -> None:
    await SqlitePersistence(db).update_user_data(AYU, {"lang": "en"})
    export = await repo.export(AYU)
    assert export is not None
    assert export["profile"] is None
    assert export["user_data"] == {"lang": "en"}
    assert export["consents"] == []


async def _cells(db: Database) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, keyed by table name."""
    conn = await db.connection()
    tables = await conn.execute_fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    result: dict[str, list[tuple[object, ...]]] = {}
    for (table,) in tables:
        result[table] = [
            tuple(row) for row in await conn.execute_fetchall(f'SELECT * FROM "{table}"')
        ]
    return result


async def _member_references(db: Database, member_id: int) -> list[str]:
    """Tables with a foreign key to members that still point at ``member_id``."""
    conn = await db.connection()
    tables = await conn.execute_fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    found = []
    for (table,) in tables:
        for fk in await conn.execute_fetchall(f'PRAGMA foreign_key_list("{table}")'):
            if fk["table"] == "members":
                count = await conn.execute_fetchall(
                    f'SELECT COUNT(*) FROM "{table}" WHERE "{fk["from"]}" = ?', (member_id,)
                )
                if count[0][0]:
                    found.append(table)
    return found


async def test_forget_removes_every_row_about_the_person(
    repo: MemberRepository, db: Database
) -> None:
    await _seed_two_people(repo, db)
    ayu = await repo.by_telegram_id(AYU)
    assert ayu is not None
    before = await _cells(db)
    # The scan below really looks at the places where the person was.
    mentioned_before = {
        table
        for table, rows in before.items()
        if any(str(AYU) in str(cell) for row in rows for cell in row)
    }
    assert {"members", "ptb_user_data", "ptb_chat_data", "ptb_conversations"} <= mentioned_before
    assert set(await _member_references(db, ayu.id)) == {"member_topics", "consents"}

    assert await repo.forget(AYU) is True

    after = await _cells(db)
    for table, rows in after.items():
        for row in rows:
            for cell in row:
                text = str(cell)
                assert str(AYU) not in text, f"{table} still mentions the Telegram id"
                assert "Ayu" not in text, f"{table} still holds the alias"
    assert await _member_references(db, ayu.id) == []
    assert await repo.by_telegram_id(AYU) is None
    assert await repo.export(AYU) is None

    # Everyone else's rows are untouched, and so is the aggregate count.
    budi = await repo.by_telegram_id(BUDI)
    assert budi is not None
    assert budi.consent_version == 2
    assert await repo.export(BUDI) is not None
    assert after["referral_counts"] == before["referral_counts"]
    assert (GROUP_CHAT, '{"group":"Bandung"}') in after["ptb_chat_data"]
    assert len(after["ptb_conversations"]) == len(before["ptb_conversations"]) // 2


async def test_forget_compares_conversation_keys_exactly(
    repo: MemberRepository, db: Database
) -> None:
    persistence = SqlitePersistence(db)
    # Ids that merely contain Ayu's digits, and an inline message id spelling them out.
    await persistence.update_conversation("c", (AYU * 10 + 5,), 1)
    await persistence.update_conversation("c", (GROUP_CHAT, int("9" + str(AYU))), 1)
    await persistence.update_conversation("c", ("inline-" + str(AYU),), 1)
    await persistence.update_conversation("c", (GROUP_CHAT, AYU), 1)

    await repo.forget(AYU)

    remaining = await persistence.get_conversations("c")
    assert set(remaining) == {
        (AYU * 10 + 5,),
        (GROUP_CHAT, int("9" + str(AYU))),
        ("inline-" + str(AYU),),
    }


async def test_forget_of_unknown_person_is_harmless(repo: MemberRepository) -> None:
    await repo.create(new_member(BUDI, "Budi"))
    assert await repo.forget(AYU) is False
    assert await repo.by_telegram_id(BUDI) is not None


async def test_a_second_forget_finds_nothing_left(repo: MemberRepository) -> None:
    await repo.create(new_member(AYU, "Ayu"))
    assert await repo.forget(AYU) is True
    assert await repo.forget(AYU) is False
