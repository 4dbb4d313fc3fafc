"""Journeys through crisis safety: crisis words from any step, the reply and its offers, the
consented facilitator alert and its escalation, the personal safety plan, and grounding."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers import pause, rows
from tests.journeys.helpers.crisis import a_group_with, a_member, assert_stored_nowhere, member_id
from tests.journeys.helpers.onboarding import reach_own_alias_step

CRISIS_REPLY = "You don't have to go through this alone"
COORDINATOR_ID = 801


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
    assert "More contacts" in hana.buttons()[0]
    assert any("Grounding exercise now" in label for label in hana.buttons())
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
    assert fasil.buttons() == ["✅ Acknowledge", "💬 Send a message"]

    # Someone who is not a facilitator of the group cannot acknowledge with copied data.
    _message_id, data = fasil.button("Acknowledge")
    await other.press_data(other.last.message_id, data)
    answers = list(world.emulator.callback_answers.values())
    assert "Only the facilitators" in answers[-1]["text"]
    assert rows(world, "SELECT acknowledged_at FROM crisis_alerts") == [(None,)]

    await fasil.press("Acknowledge")
    assert "Acknowledged by Fasil Pelangi" in fasil.last.text
    await world.tick()
    # What happened, nothing more: the facilitator never sees what Mawar wrote.
    assert "Your facilitator knows you may need support and will reach out" in mawar.last.text
    assert "seen your message" not in mawar.last.text

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
    pause(world)
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


# --- QA findings: long plans, command arguments, role changes, staff authoring, relays ----------


async def test_a_long_emoji_plan_never_stops_the_crisis_reply(world: BotWorld) -> None:
    # Telegram counts UTF-16 code units: 1000 emoji are 2000 units, not 1000 characters.
    ema = await a_member(world, 371, "Ema Bulan")
    await ema.send("/safetyplan")
    for _ in range(6):
        await ema.send("🙂" * 1000)

    replies = await ema.send("/crisis")

    assert world.emulator.rejected == [] and world.errors == []
    plan_parts = [r.text for r in replies[:-1]]
    assert plan_parts[0].startswith("📝 Your safety plan")
    assert sum(part.count("🙂") for part in plan_parts) == 6000
    assert CRISIS_REPLY in replies[-1].text


async def test_the_crisis_reply_goes_out_even_if_the_plan_cannot_be_sent(
    world: BotWorld, monkeypatch, caplog
) -> None:
    ilham = await a_member(world, 372, "Ilham Sore")
    await ilham.send("/safetyplan")
    await ilham.send("Walking by the sea")
    await ilham.send("/cancel")
    # A plan message Telegram refuses (as an over-long one was before the fix).
    monkeypatch.setattr(
        "bot.telegram_glue.crisis_reply.plan_messages", lambda t, plan: ["<b>broken"]
    )

    replies = await ilham.send("aku pengen mati aja")

    assert CRISIS_REPLY in replies[-1].text
    assert [call.method for call in world.emulator.rejected] == ["sendMessage"]
    world.emulator.rejected.clear()  # expected here; the fixture checks for any other
    assert "safety plan not sent (BadRequest)" in caplog.text
    assert "Walking" not in caplog.text and "broken" not in caplog.text


async def test_crisis_words_after_a_command_get_the_crisis_reply(world: BotWorld) -> None:
    yuni = await a_member(world, 373, "Yuni Pagi")

    replies = await yuni.send("/alias aku mau bunuh diri")

    assert len(replies) == 1 and CRISIS_REPLY in replies[0].text  # the command waits
    assert rows(world, "SELECT source FROM crisis_events") == [("detected",)]
    # A directory search goes on below the crisis reply (its first results are crisis lines).
    replies = await yuni.send("/resources aku mau bunuh diri")
    assert CRISIS_REPLY in replies[0].text and "I found" in replies[-1].text
    await world.app.update_persistence()
    assert_stored_nowhere(world, "mau bunuh diri")
    # Inside the safety plan too (it lets other commands through), and the plan stays open.
    await yuni.send("/safetyplan")
    replies = await yuni.send("/alias pengen mati aja")
    assert CRISIS_REPLY in replies[-1].text
    await yuni.send("Not sleeping")
    assert rows(world, "SELECT answer FROM safety_plans") == [("Not sleeping",)]
    # Ordinary arguments still work.
    replies = await yuni.send("/resources obat tidur")
    assert all(CRISIS_REPLY not in r.text for r in replies)


async def test_escalation_follows_the_roles_at_escalation_time(world: BotWorld) -> None:
    first = await a_member(world, 381, "Fasil Tetap")
    former = await a_member(world, 382, "Fasil Mantan")
    koor = await a_member(world, 383, "Koor Baru")
    wulan = await a_member(world, 384, "Wulan Senja")
    group_id = await a_group_with(
        world, facilitators=["Fasil Tetap", "Fasil Mantan"], members=["Wulan Senja"]
    )
    await wulan.send("/crisis")
    await wulan.press("Let my facilitator know")
    await wulan.press("Yes, tell my facilitator")
    await world.tick()

    # After the consent: one facilitator steps down, someone becomes a coordinator, and the
    # bot restarts (everything the escalation needs is in the database).
    groups = world.app.bot_data["services"].groups
    await groups.remove_facilitator(group_id, member_id(world, "Fasil Mantan"))
    await world.restart(admin_ids=frozenset({383}))
    world.clock.advance(timedelta(minutes=31))
    await world.tick()
    await world.tick()

    def escalations(person: Person) -> list[str]:
        return [t for t in person.texts if "Still unanswered" in t]

    assert len(escalations(first)) == 1 and len(escalations(koor)) == 1
    assert escalations(former) == []


async def test_staff_can_write_about_suicide_prevention_while_authoring(
    world: BotWorld,
) -> None:
    await world.restart(admin_ids=frozenset({COORDINATOR_ID}))
    koor = await a_member(world, COORDINATOR_ID, "Koordinator Satu")
    await koor.send("/newgroup")

    replies = await koor.send("Pencegahan Bunuh Diri Makassar")

    assert "I'll take this as what you're writing" in replies[0].text and "/crisis" in (
        replies[0].text
    )
    assert all(CRISIS_REPLY not in r.text for r in replies)
    assert "topics" in koor.last.text  # the name was taken: on to the next step
    assert rows(world, "SELECT count(*) FROM crisis_events") == [(0,)]

    # Acute wording is never taken as content, staff or not.
    await koor.send("/cancel")
    await koor.send("/addresource")
    await koor.press("🗣 Therapy")
    replies = await koor.send("aku akan bunuh diri malam ini")
    assert CRISIS_REPLY in replies[-1].text
    await koor.send("Layanan pencegahan bunuh diri")  # the title step is still open
    assert "I'll take this as what you're writing" in koor.texts[-2]

    # Out of the authoring step, the same words get the full reply.
    await koor.send("/cancel")
    replies = await koor.send("aku mau bunuh diri")
    assert CRISIS_REPLY in replies[-1].text


async def test_members_get_the_full_reply_whatever_drafts_they_have(world: BotWorld) -> None:
    sekar = await a_member(world, 385, "Sekar Pagi")
    await sekar.send("/newgroup")  # refused: not a coordinator, no draft is kept
    replies = await sekar.send("Pencegahan bunuh diri")
    assert CRISIS_REPLY in replies[-1].text


async def test_acute_words_in_a_plan_answer_get_the_full_reply_after_saving(
    world: BotWorld,
) -> None:
    fajar = await a_member(world, 386, "Fajar Timur")
    await fajar.send("/safetyplan")

    replies = await fajar.send("aku akan bunuh diri malam ini, sudah siap semuanya")

    texts = [r.text for r in replies]
    assert any(CRISIS_REPLY in t for t in texts)
    assert not any("it takes courage" in t for t in texts)
    assert "Things that calm me" in fajar.last.text  # saved; the plan goes on
    assert rows(world, "SELECT count(*) FROM safety_plans") == [(1,)]
    assert rows(world, "SELECT source FROM crisis_events") == [("detected",)]


async def test_a_facilitator_sends_one_message_through_the_bot(world: BotWorld) -> None:
    fasil = await a_member(world, 391, "Fasil Hangat")
    other = await a_member(world, 392, "Bukan Fasil")
    rina = await a_member(world, 393, "Rina Senja")
    await a_group_with(world, facilitators=["Fasil Hangat"], members=["Rina Senja"])
    await rina.send("/crisis")
    await rina.press("Let my facilitator know")
    await rina.press("Yes, tell my facilitator")
    await world.tick()

    # Someone else, with the button's data copied, is refused.
    message_id, data = fasil.button("Send a message")
    await other.press_data(other.last.message_id, data)
    assert "Only the facilitators" in list(world.emulator.callback_answers.values())[-1]["text"]

    await fasil.press("Send a message")
    assert "Write one message to Rina Senja" in fasil.last.text
    replies = await fasil.send("x" * 1001)
    assert "under 1000 characters" in replies[-1].text and "xxx" not in replies[-1].text
    replies = await fasil.send("aku juga pengen mati")  # the facilitator's own crisis
    assert CRISIS_REPLY in replies[0].text and "I haven't sent" in replies[-1].text
    await world.tick()
    assert not any("pengen mati" in t for t in rina.texts)

    await fasil.send("I'm here for you <3 & we can talk tomorrow")
    assert "on its way" in fasil.last.text
    await world.tick()
    assert rina.last.text.startswith("💬 A message from your facilitator Fasil Hangat:")
    assert "I'm here for you <3 & we can talk tomorrow" in rina.last.text
    assert "391" not in rina.last.text
    # Delivered: the text is gone from the outbox; no table keeps it.
    assert rows(world, "SELECT status FROM outbox WHERE kind = 'crisis_relay'") == [("sent",)]
    assert_stored_nowhere(world, "I'm here for you")

    # After acknowledging, the way to write stays under the alert.
    await fasil.press("Acknowledge")
    [alert] = [m for m in world.emulator.bot_messages(391) if m.message_id == message_id]
    assert "Acknowledged by Fasil Hangat" in alert.text
    assert [b["text"] for [b] in alert.reply_markup["inline_keyboard"]] == ["💬 Send a message"]


async def test_a_relayed_message_to_someone_unreachable_leaves_no_text(world: BotWorld) -> None:
    fasil = await a_member(world, 394, "Fasil Tenang")
    dina = await a_member(world, 395, "Dina Hujan")
    await a_group_with(world, facilitators=["Fasil Tenang"], members=["Dina Hujan"])
    await dina.send("/crisis")
    await dina.press("Let my facilitator know")
    await dina.press("Yes, tell my facilitator")
    await world.tick()
    await fasil.press("Send a message")
    await world.deliver(world.emulator.user_blocks_bot(395))

    await fasil.send("Thinking of you today")
    await world.tick()

    assert rows(world, "SELECT status FROM outbox WHERE kind = 'crisis_relay'") == [("skipped",)]
    assert_stored_nowhere(world, "Thinking of you")
