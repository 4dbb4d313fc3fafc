"""Journeys through the privacy rights and personal settings of a registered member."""

from __future__ import annotations

import json
import sqlite3

from tests.journeys.harness import BotWorld
from tests.journeys.test_onboarding import onboard_in_english, rows


async def test_mydata_sends_everything_about_me_and_nothing_about_others(
    world: BotWorld,
) -> None:
    await onboard_in_english(world.person(201, "Other", "en"), alias="Someone Else")
    lina = world.person(202, "Lina", "en")
    await onboard_in_english(lina, alias="Lina Laut")

    await lina.send("/mydata")
    document = lina.last
    assert document.kind == "document"
    assert document.file_name.endswith(".json")
    data = json.loads(document.file_bytes)
    dumped = json.dumps(data)
    assert "Lina Laut" in dumped
    assert "Someone Else" not in dumped
    assert data["profile"]["language"] == "en"
    assert data["profile"]["province"] == "bali"
    assert sorted(data["topics"]) == ["anxiety", "trauma"]
    assert data["consents"][0]["notice_version"] == 1


async def test_mydata_for_a_stranger_says_nothing_is_stored(world: BotWorld) -> None:
    stranger = world.person(203, "Stranger", "en")
    await stranger.send("/mydata")
    assert "doesn't store anything" in stranger.last.text


async def test_forget_deletes_every_row_and_treats_me_as_new(world: BotWorld) -> None:
    await onboard_in_english(world.person(204, "Stays", "en"), alias="Stays Here")
    mira = world.person(205, "Mira", "en")
    await onboard_in_english(mira, alias="Mira Pagi")
    await mira.send("/alias")  # leave some conversation state and draft behind

    await mira.send("/forget")
    assert "cannot be undone" in mira.last.text
    await mira.press("Yes, delete everything")
    assert "has been deleted" in mira.last.text
    await world.app.update_persistence()

    with sqlite3.connect(world.db_path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in db.execute(f"SELECT * FROM {table}"):
                assert 205 not in row and "Mira Pagi" not in row, (table, row)
    assert rows(world, "SELECT alias FROM members") == [("Stays Here",)]

    await mira.send("/start")
    assert "Which language" in mira.last.text


async def test_forget_can_be_called_off(world: BotWorld) -> None:
    nina = world.person(206, "Nina", "en")
    await onboard_in_english(nina)
    await nina.send("/forget")
    await nina.press("No, keep my data")
    assert "nothing was deleted" in nina.last.text
    assert len(rows(world, "SELECT * FROM members")) == 1


async def test_privacy_shows_the_notice_and_my_consent(world: BotWorld) -> None:
    oki = world.person(207, "Oki", "en")
    await onboard_in_english(oki)
    await oki.send("/privacy")
    assert "UU No. 27/2022" in oki.last.text
    assert "version 1" in oki.last.text and "2026" in oki.last.text


async def test_a_new_privacy_notice_asks_again(world: BotWorld) -> None:
    putri = world.person(208, "Putri", "en")
    await onboard_in_english(putri)

    await world.restart(notice_version=2)

    await putri.send("/menu")
    assert "privacy notice has changed" in putri.last.text
    await putri.send("/crisis")  # safety never waits for consent
    assert "112" in putri.last.text
    notice_id, agree = putri.button("I agree")
    await putri.press_data(notice_id, agree)
    [notice] = [m for m in world.emulator.bot_messages(208) if m.message_id == notice_id]
    assert "What would you like to do?" in notice.text  # the notice turned into the menu
    assert rows(world, "SELECT notice_version FROM consents ORDER BY id") == [(1,), (2,)]


async def test_change_alias_and_language(world: BotWorld) -> None:
    rudi = world.person(209, "Rudi", "en")
    await onboard_in_english(rudi, alias="Rudi Awan")

    await rudi.send("/alias")
    assert "Rudi Awan" in rudi.last.text
    await rudi.press("Choose my own")
    await rudi.send("rudi@example.com")
    assert "e-mail" in rudi.last.text
    await rudi.send("Rudi Hujan")
    assert "you are now <b>Rudi Hujan</b>" in rudi.last.text or "Rudi Hujan" in rudi.last.text

    await rudi.send("/language")
    await rudi.press("Bahasa Indonesia")
    assert rows(world, "SELECT alias, language FROM members") == [("Rudi Hujan", "id")]
    await rudi.send("/help")
    assert "Yang bisa kamu lakukan" in rudi.last.text


async def test_a_sticker_where_an_alias_is_expected_asks_for_text(world: BotWorld) -> None:
    umi = world.person(212, "Umi", "en")
    await onboard_in_english(umi, alias="Umi Pelangi")
    await umi.send("/alias")
    await umi.press("Choose my own")
    replies = await umi.send_sticker()
    assert len(replies) == 1 and "Type the alias you'd like" in replies[0].text
    await umi.send("Umi Senja")
    assert rows(world, "SELECT alias FROM members") == [("Umi Senja",)]


async def test_help_and_unknown_input(world: BotWorld) -> None:
    sari = world.person(210, "Sari", "en")
    await sari.send("/help")
    assert "/start" in sari.last.text and "/crisis" in sari.last.text
    await sari.send("/nonsense")
    assert "/menu" in sari.last.text
    await sari.send("<i>hi</i>")
    assert "<i>hi</i>" not in sari.last.text


async def test_command_menus_are_set_per_language(world: BotWorld) -> None:
    commands = world.emulator.commands
    by_language = {lang: cmds for (_scope, lang), cmds in commands.items()}
    assert {"id", "en"} <= set(by_language)
    english = {c["command"]: c["description"] for c in by_language["en"]}
    indonesian = {c["command"]: c["description"] for c in by_language["id"]}
    assert "crisis" in english and "crisis" in indonesian
    assert english["crisis"] != indonesian["crisis"]


async def test_an_unexpected_error_gets_an_apology_and_a_clean_log(
    world: BotWorld, monkeypatch, caplog
) -> None:
    tari = world.person(211, "Tari", "en")
    await onboard_in_english(tari, alias="Tari Bintang")
    caplog.set_level("INFO")

    alias = "Tari Bintang"

    async def broken(*_args: object) -> None:
        raise RuntimeError(f"disk on fire for {alias}")  # data in a message must not leak

    monkeypatch.setattr(world.app.bot_data["services"].members, "set_language", broken)
    await tari.send("/language")
    await tari.press("Bahasa Indonesia")

    assert "something went wrong on our side" in tari.last.text
    assert "/menu" in tari.last.text
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "error while handling callback_query: RuntimeError" in logged
    assert "Tari" not in logged and "211" not in logged
    world.errors.clear()  # this journey raised on purpose
