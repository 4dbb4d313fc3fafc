"""Journeys through crisis safety: crisis words from any step, the reply and its offers, the
consented facilitator alert and its escalation, the personal safety plan, and grounding."""

from __future__ import annotations

import json
import logging
import sqlite3
from datetime import timedelta

from tests.journeys.harness import BotWorld, Person
from tests.journeys.test_groups import a_group
from tests.journeys.test_onboarding import onboard_in_english, reach_own_alias_step, rows

CRISIS_REPLY = "You don't have to go through this alone"
COORDINATOR_ID = 801


def assert_stored_nowhere(world: BotWorld, text: str) -> None:
    """No table holds ``text`` (or a part of it) in any column."""
    with sqlite3.connect(world.db_path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in db.execute(f"SELECT * FROM {table}"):
                for value in row:
                    assert not (isinstance(value, str) and text in value), (table, row)


def member_id(world: BotWorld, alias: str) -> int:
    [(found,)] = rows(world, "SELECT id FROM members WHERE alias = ?", alias)
    return found


async def a_member(world: BotWorld, user_id: int, alias: str) -> Person:
    person = world.person(user_id, alias.split()[0], "en")
    await onboard_in_english(person, alias=alias)
    return person


async def a_group_with(world: BotWorld, *, facilitators: list[str], members: list[str]) -> int:
    """A group whose facilitators and members are the given (already registered) aliases."""
    group_id = await a_group(world)
    groups = world.app.bot_data["services"].groups
    for alias in facilitators:
        await groups.add_facilitator(group_id, member_id(world, alias), world.clock.now())
        world.clock.advance(timedelta(seconds=1))  # "first facilitator" is by time added
    for alias in members:
        assert await groups.add_member(group_id, member_id(world, alias), world.clock.now())
    return group_id


async def test_crisis_words_mid_onboarding_get_help_and_the_step_resumes(
    world: BotWorld, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    hana = world.person(110, "Hana", "en")
    await reach_own_alias_step(hana)

    replies = await hana.send("aku pengen mati aja")

    assert len(replies) == 1
    reply = replies[0]
    assert CRISIS_REPLY in reply.text and "112" in reply.text and "119" in reply.text
    assert "Grounding exercise now" in hana.buttons()[0]
    assert all("facilitator" not in label for label in hana.buttons())  # not a member yet
    await world.app.update_persistence()
    assert_stored_nowhere(world, "pengen mati")
    assert rows(world, "SELECT * FROM crisis_events") == []  # non-members leave no row at all
    assert "pengen mati" not in caplog.text and "crisis flow ran" in caplog.text

    await hana.send("Hana Biru")
    assert "Which province" in hana.last.text


async def test_crisis_words_mid_alias_change_are_recorded_only_as_an_event(
    world: BotWorld,
) -> None:
    rudi = await a_member(world, 301, "Rudi Awan")
    await rudi.send("/alias")
    await rudi.press("Choose my own")

    replies = await rudi.send("I just want to end it all")

    assert CRISIS_REPLY in replies[-1].text
    assert rows(world, "SELECT source FROM crisis_events") == [("detected",)]
    await world.app.update_persistence()
    assert_stored_nowhere(world, "end it all")

    await rudi.send("Rudi Hujan")
    assert rows(world, "SELECT alias FROM members") == [("Rudi Hujan",)]


async def test_everyday_words_do_not_trigger_the_crisis_reply(world: BotWorld) -> None:
    sari = await a_member(world, 302, "Sari Senja")
    for text in ("mati lampu terus nih", "capek banget kerja", "killing it at work today"):
        replies = await sari.send(text)
        assert all(CRISIS_REPLY not in r.text for r in replies), text
    assert rows(world, "SELECT * FROM crisis_events") == []


async def test_crisis_command_and_menu_button_are_recorded_with_their_source(
    world: BotWorld,
) -> None:
    tari = await a_member(world, 303, "Tari Bintang")
    await tari.send("/crisis")
    assert CRISIS_REPLY in tari.last.text
    assert all("facilitator" not in label for label in tari.buttons())  # in no group
    await tari.send("/menu")
    await tari.press("Need help now")
    assert CRISIS_REPLY in tari.last.text
    assert rows(world, "SELECT source FROM crisis_events ORDER BY id") == [
        ("command",),
        ("button",),
    ]


async def test_consent_alerts_the_facilitator_who_acknowledges(world: BotWorld) -> None:
    fasil = await a_member(world, 311, "Fasil Pelangi")
    mawar = await a_member(world, 312, "Mawar Pagi")
    other = await a_member(world, 313, "Orang Lain")
    await a_group_with(world, facilitators=["Fasil Pelangi"], members=["Mawar Pagi", "Orang Lain"])

    await mawar.send("aku gak kuat hidup lagi")
    await mawar.press("Let my facilitator know")
    assert "only your alias and the time" in mawar.last.text
    await mawar.press("Yes, tell my facilitator")
    assert "I've told your facilitator" in mawar.last.text

    await world.tick()
    alert = fasil.last
    assert "Mawar Pagi" in alert.text and "10:00 WITA" in alert.text  # Bali: Makassar time
    assert "Suggested next step" in alert.text and "gak kuat" not in alert.text
    assert fasil.buttons() == ["✅ Acknowledge"]

    # Someone who is not a facilitator of the group cannot acknowledge with copied data.
    _message_id, data = fasil.button("Acknowledge")
    await other.press_data(other.last.message_id, data)
    answers = list(world.emulator.callback_answers.values())
    assert "Only the facilitators" in answers[-1]["text"]
    assert rows(world, "SELECT acknowledged_at FROM crisis_alerts") == [(None,)]

    await fasil.press("Acknowledge")
    assert "Acknowledged by Fasil Pelangi" in fasil.last.text
    await world.tick()
    assert "Your facilitator has seen your message" in mawar.last.text

    # Acknowledged: nobody else is told later.
    before = len(world.emulator.bot_messages(311))
    world.clock.advance(timedelta(minutes=31))
    await world.tick()
    assert len(world.emulator.bot_messages(311)) == before
    assert rows(world, "SELECT escalated_at FROM crisis_alerts") == [(None,)]


async def test_unacknowledged_alert_escalates_once_after_30_minutes(world: BotWorld) -> None:
    await world.restart(admin_ids=frozenset({COORDINATOR_ID}))
    koor = await a_member(world, COORDINATOR_ID, "Koordinator Satu")
    first = await a_member(world, 321, "Fasil Satu")
    second = await a_member(world, 322, "Fasil Dua")
    melati = await a_member(world, 323, "Melati Senja")
    await a_group_with(world, facilitators=["Fasil Satu", "Fasil Dua"], members=["Melati Senja"])

    await melati.send("/crisis")
    await melati.press("Let my facilitator know")
    await melati.press("Yes, tell my facilitator")
    await melati.press("Let my facilitator know")  # a second consent does not alert twice
    await melati.press("Yes, tell my facilitator")
    assert "already been told" in melati.last.text
    await world.tick()
    assert sum("Melati Senja" in t for t in first.texts) == 1
    assert not any("Melati Senja" in t for t in second.texts + koor.texts)

    world.clock.advance(timedelta(minutes=29))
    await world.tick()
    assert not any("Melati Senja" in t for t in second.texts + koor.texts)

    world.clock.advance(timedelta(minutes=2))
    await world.tick()
    await world.tick()
    for person in (first, second, koor):
        escalations = [t for t in person.texts if "Still unanswered after 30 minutes" in t]
        assert len(escalations) == 1, person.user_id
        assert "Melati Senja" in escalations[0]
    assert rows(world, "SELECT escalated_at IS NOT NULL FROM crisis_alerts") == [(1,)]

    # The coordinator may acknowledge too.
    await koor.press("Acknowledge")
    assert "Acknowledged by Koordinator Satu" in koor.last.text


async def test_safety_plan_is_written_shown_first_exported_and_forgotten(
    world: BotWorld,
) -> None:
    await a_member(world, 331, "Stays Here")
    lina = await a_member(world, 332, "Lina Laut")

    await lina.send("/safetyplan")
    assert "Warning signs" in lina.last.text or "warning signs" in lina.last.text.lower()
    replies = await lina.send("x" * 5000)
    assert "under 1000 characters" in replies[-1].text and "xxxx" not in replies[-1].text
    await lina.send("Not sleeping, staying in my room")
    assert "Things that calm me" in lina.last.text
    await lina.press("Skip")
    # Crisis words in an answer: saved as written, with a gentle note, not the crisis reply.
    replies = await lina.send("When I think I want to die I call my sister")
    texts = [r.text for r in replies]
    assert any("it takes courage" in t for t in texts)
    assert not any(CRISIS_REPLY in t for t in texts)
    assert "People I can ask for help" in lina.last.text
    for _ in range(3):
        await lina.press("Skip")
    plan_text = next(t for t in reversed(lina.texts) if t.startswith("📝 Your safety plan\n"))
    assert "Not sleeping" in plan_text and "call my sister" in plan_text
    assert "Things that calm me" not in plan_text

    await lina.press("Things that calm me")
    await lina.send("Music & a warm shower <3")
    plan_text = next(t for t in reversed(lina.texts) if t.startswith("📝 Your safety plan\n"))
    assert "Music & a warm shower <3" in plan_text
    await lina.press("Done")

    replies = await lina.send("/crisis")
    assert "Your safety plan" in replies[0].text and "Not sleeping" in replies[0].text
    assert CRISIS_REPLY in replies[-1].text

    await lina.send("/mydata")
    exported = json.loads(lina.last.file_bytes)
    assert exported["safety_plan"] == {
        "warning_signs": "Not sleeping, staying in my room",
        "calming": "Music & a warm shower <3",
        "distractions": "When I think I want to die I call my sister",
    }
    assert [e["source"] for e in exported["crisis_events"]] == ["command"]

    await lina.send("/forget")
    await lina.press("Yes, delete everything")
    await world.app.update_persistence()
    assert_stored_nowhere(world, "Not sleeping")
    assert_stored_nowhere(world, "warm shower")
    assert rows(world, "SELECT count(*) FROM safety_plans") == [(0,)]


async def test_another_command_pauses_the_plan_and_goes_through(world: BotWorld) -> None:
    nina = await a_member(world, 341, "Nina Hujan")
    await nina.send("/safetyplan")
    await nina.send("/alias")
    assert "Your alias now is" in nina.last.text
    await nina.press("Choose my own")
    await nina.send("Nina Pagi")
    assert rows(world, "SELECT alias FROM members") == [("Nina Pagi",)]
    assert rows(world, "SELECT count(*) FROM safety_plans") == [(0,)]


async def test_visitors_get_the_plan_questions_without_anything_stored(world: BotWorld) -> None:
    dewi = world.person(351, "Dewi", "en")
    await reach_own_alias_step(dewi)
    await dewi.send("/crisis")
    await dewi.press("My safety plan")
    assert "write one on paper" in dewi.last.text and "My warning signs" in dewi.last.text
    await dewi.send("Dewi Fajar")
    assert "Which province" in dewi.last.text


async def test_grounding_from_the_crisis_reply_and_the_menu(world: BotWorld) -> None:
    visitor = world.person(361, "Visitor", "en")
    await visitor.send("/crisis")
    await visitor.press("Grounding exercise now")
    assert "Let's slow down together" in visitor.last.text
    await visitor.press("5-4-3-2-1 senses")
    assert "5 things you can see" in visitor.last.text
    for _ in range(5):
        await visitor.press("Next")
    assert "How are you feeling now?" in visitor.last.text
    await visitor.press("A little calmer")
    assert "I'm glad" in visitor.last.text

    ayu = await a_member(world, 362, "Ayu Tenang")
    await ayu.send("/menu")
    await ayu.press("Calm down now")
    await ayu.press("Slow breathing")
    assert "Round 1 of 4" in ayu.last.text
    for _ in range(4):
        await ayu.press("Next breath")
    await ayu.press("Still not okay")
    assert CRISIS_REPLY in ayu.last.text
    assert rows(world, "SELECT source FROM crisis_events") == [("button",)]
