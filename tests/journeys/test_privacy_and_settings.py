"""Journeys through the privacy rights and personal settings of a registered member."""

from __future__ import annotations

import json
import sqlite3

from bot.sandbox.methods import scope_key
from tests.journeys.harness import BotWorld
from tests.journeys.helpers import rows
from tests.journeys.helpers.crisis import a_group_with, a_member, assert_stored_nowhere
from tests.journeys.helpers.onboarding import onboard_in_english, reach_own_alias_step

JOIN_FIRST = "This is for people who have joined Rangkul"


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
    await a_group_with(world, facilitators=["Stays Here"], members=["Mira Pagi"])
    await mira.send("/crisis")  # an alert, and its escalation planned for the facilitators
    await mira.press("Let my facilitator know")
    await mira.press("Yes, tell my facilitator")
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
    # Messages to others about her alert point at it only through their payload: gone too.
    assert rows(world, "SELECT kind, status FROM outbox") == []

    await mira.send("/start")
    assert "Which language" in mira.last.text


async def test_forget_leaves_no_trace_in_the_database_file_or_its_wal(world: BotWorld) -> None:
    alias = "Zefira Kalimaya"
    zefira = world.person(207, "Zefira", "en")
    await onboard_in_english(zefira, alias=alias)
    await zefira.send("/mygroups")  # a few more writes after the alias was stored
    await world.app.update_persistence()
    wal = world.db_path.with_name(world.db_path.name + "-wal")
    traces = (alias.encode(), alias.casefold().encode())
    assert any(trace in wal.read_bytes() for trace in traces)  # the test can see a trace

    await zefira.send("/forget")
    await zefira.press("Yes, delete everything")
    assert "has been deleted" in zefira.last.text
    await world.app.update_persistence()

    for path in (world.db_path, wal):
        content = path.read_bytes() if path.exists() else b""
        for trace in traces:
            assert trace not in content, (path.name, trace)


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
    notice = "\n".join(message.text for message in await oki.send("/privacy"))
    assert "UU No. 27/2022" in notice
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
    assert "/start" in sari.last.text and "/menu" not in sari.last.text  # /menu is for members
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


async def test_a_facilitators_forget_takes_their_unsent_message_along(world: BotWorld) -> None:
    fasil = await a_member(world, 221, "Fasil Rindu")
    dina = await a_member(world, 222, "Dina Pagi")
    await a_group_with(world, facilitators=["Fasil Rindu"], members=["Dina Pagi"])
    await dina.send("/crisis")
    await dina.press("Let my facilitator know")
    await dina.press("Yes, tell my facilitator")
    await world.tick()
    await fasil.press("Send a message")
    await fasil.send("Thinking of you today")  # planned for Dina, not sent yet

    await fasil.send("/forget")
    await fasil.press("Yes, delete everything")

    assert_stored_nowhere(world, "Thinking of you")
    await world.tick()
    assert not any("Thinking of you" in text for text in dina.texts)


async def test_people_who_have_not_joined_are_pointed_to_start(world: BotWorld) -> None:
    guest = world.person(223, "Guest", "en")
    # (/menu answers them with what works without joining: test_menus_and_language.py)
    for command in ("/language", "/alias", "/trial", "/mymeetings", "/mygroups"):
        await guest.send(command)
        assert JOIN_FIRST in guest.last.text, command
    await guest.send("hello there")
    assert "/start" in guest.last.text and "/menu" not in guest.last.text
    await guest.send("/cancel")  # nothing was running; /menu works for them now (issue 13)
    assert "/start" in guest.last.text and "nothing to stop" in guest.last.text

    await guest.send("/forget")  # nothing to delete: no confirmation about an alias they lack
    assert "doesn't store anything" in guest.last.text
    assert guest.buttons() == []


async def test_cancel_before_joining_keeps_nothing(world: BotWorld) -> None:
    guest = world.person(224, "Guest", "en")
    await guest.send("/start")
    await guest.press("English")
    assert rows(world, "SELECT count(*) FROM ptb_user_data WHERE user_id = 224") == [(1,)]

    await guest.send("/cancel")

    assert "/start" in guest.last.text
    assert rows(world, "SELECT * FROM ptb_user_data WHERE user_id = 224") == []
    assert rows(world, "SELECT * FROM ptb_conversations") == []


async def test_forget_before_joining_drops_the_draft_and_says_nothing_is_stored(
    world: BotWorld,
) -> None:
    guest = world.person(225, "Guest", "en")
    await reach_own_alias_step(guest)

    await guest.send("/forget")

    assert "doesn't store anything" in guest.last.text and guest.buttons() == []
    assert rows(world, "SELECT * FROM ptb_user_data WHERE user_id = 225") == []
    assert rows(world, "SELECT * FROM ptb_conversations") == []


async def test_cancel_clears_a_members_drafts(world: BotWorld) -> None:
    wati = world.person(226, "Wati", "en")
    await onboard_in_english(wati)
    for command in ("/alias", "/safetyplan"):
        await wati.send(command)
        assert rows(world, "SELECT count(*) FROM ptb_user_data WHERE user_id = 226") == [(1,)]

        await wati.send("/cancel")

        assert "/menu" in wati.last.text
        assert rows(world, "SELECT * FROM ptb_user_data WHERE user_id = 226") == [], command


async def test_cancel_in_the_safety_plan_keeps_the_draft_of_the_step_under_it(
    world: BotWorld,
) -> None:
    yani = world.person(227, "Yani", "en")
    await onboard_in_english(yani)
    await yani.send("/alias")
    [(data,)] = rows(world, "SELECT data FROM ptb_user_data WHERE user_id = 227")
    suggestion = json.loads(data)["alias"]["suggestion"]
    await yani.send("/safetyplan")  # over the alias change, which waits

    await yani.send("/cancel")  # ends the safety plan only

    await yani.press("Use this alias")
    assert rows(world, "SELECT alias FROM members") == [(suggestion,)]
    await yani.send("/cancel")  # in no conversation now: every draft goes
    assert rows(world, "SELECT * FROM ptb_user_data WHERE user_id = 227") == []


async def test_my_command_menu_follows_my_language_and_goes_with_forget(
    world: BotWorld,
) -> None:
    fasil = await a_member(world, 228, "Fasil Cahaya")
    await a_group_with(world, facilitators=["Fasil Cahaya"], members=[])
    await world.restart()  # start-up sets every facilitator's own menu, in the background
    await world.set_role_menus()
    mine = (scope_key({"type": "chat", "chat_id": 228}), "")
    everyone = {lang: cmds for (_scope, lang), cmds in world.emulator.commands.items() if lang}

    def crisis_line(commands: list[dict]) -> str:
        return next(c["description"] for c in commands if c["command"] == "crisis")

    assert crisis_line(world.emulator.commands[mine]) == crisis_line(everyone["en"])
    await fasil.send("/language")
    await fasil.press("Bahasa Indonesia")
    assert crisis_line(world.emulator.commands[mine]) == crisis_line(everyone["id"])
    assert "newmeeting" in [c["command"] for c in world.emulator.commands[mine]]

    await fasil.send("/forget")
    await fasil.press("Ya, hapus semuanya")

    assert mine not in world.emulator.commands
