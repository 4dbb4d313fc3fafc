"""An edited message at any typed step: no crash, a kind note, the step still waits; crisis
words in an edit get the crisis reply."""

from __future__ import annotations

from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers import rows
from tests.journeys.helpers.groups import a_coordinator
from tests.journeys.helpers.meetings import a_facilitator
from tests.journeys.helpers.meetings import a_group as a_meeting_group
from tests.journeys.helpers.onboarding import onboard_in_english, reach_own_alias_step

EDIT_NOTE = "I only read new messages"


async def edit_last_message(person: Person, text: str) -> None:
    replies = await person.edit(person.last_sent_id, text)
    assert len(replies) == 1
    assert EDIT_NOTE in replies[0].text
    assert text not in replies[0].text


async def test_an_edit_at_onboardings_alias_step_is_not_taken_and_the_step_waits(
    world: BotWorld,
) -> None:
    lia = world.person(401, "Lia", "en")
    await reach_own_alias_step(lia)
    await lia.send("x")  # refused: too short
    await edit_last_message(lia, "Lia Edited")
    await lia.send("Lia Typed")
    assert "Which province" in lia.last.text
    await lia.press("Online only")
    await lia.press("Done")
    assert rows(world, "SELECT alias FROM members") == [("Lia Typed",)]


async def test_an_edit_at_the_alias_command_is_not_taken(world: BotWorld) -> None:
    nur = world.person(402, "Nur", "en")
    await onboard_in_english(nur, alias="Nur Lama")
    await nur.send("/alias")
    await nur.press("Choose my own")
    await nur.send("no")
    await edit_last_message(nur, "Nur Baru")
    assert rows(world, "SELECT alias FROM members") == [("Nur Lama",)]


async def test_an_edit_at_new_group_name_is_not_taken(world: BotWorld) -> None:
    koor = await a_coordinator(world)
    await koor.send("/newgroup")
    await koor.send("x")
    await edit_last_message(koor, "Teman Cerita Edit")
    await koor.send("Teman Cerita Makassar")
    assert "topics" in koor.last.text


async def test_an_edit_at_new_meeting_typed_date_is_not_taken(world: BotWorld) -> None:
    sari = await a_facilitator(world, await a_meeting_group(world))
    await sari.send("/newmeeting")
    await sari.send("tomorrow evening")
    await edit_last_message(sari, "2026-12-03 19:30")
    await sari.send("2026-12-03 19:30")
    assert "December 3, 2026" in sari.last.text


async def test_crisis_words_in_an_edit_get_the_crisis_reply(world: BotWorld) -> None:
    tia = world.person(403, "Tia", "en")
    await reach_own_alias_step(tia)
    await tia.send("ok")
    replies = await tia.edit(tia.last_sent_id, "aku pengen mati aja")
    [reply] = replies
    assert "You don't have to go through this alone" in reply.text
    await tia.send("Tia Tetap")
    assert "Which province" in tia.last.text


async def test_an_edit_from_someone_who_never_joined_is_harmless(world: BotWorld) -> None:
    ana = world.person(404, "Ana", "en")
    await ana.send("hello")
    await edit_last_message(ana, "hello again")
    assert rows(world, "SELECT count(*) FROM ptb_user_data") == [(0,)]
