"""Journeys through the distress tier: a feeling written outside any conversation, at a step
that waits for a button, at a typed step, or as a search gets a warm reply with next steps
(never "I didn't understand"); every next step works; everyday text gets a kind menu hint; and
nothing of what was written is stored or logged."""

from __future__ import annotations

import logging

from tests.journeys.harness import BotWorld
from tests.journeys.helpers import pause, rows
from tests.journeys.helpers.crisis import a_group_with, a_member, assert_stored_nowhere
from tests.journeys.helpers.onboarding import reach_own_alias_step

WARM_ID = "Kedengarannya"  # every Indonesian validation that opens with "It sounds like…"
BOT_ID = "Saya cuma bot"
CRISIS_REPLY = "You don't have to go through this alone"
MENU_HINT = "I'm a bot, so I can only help with what's in the menu"


async def test_a_feeling_outside_any_conversation_gets_a_warm_reply_in_indonesian(
    world: BotWorld, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    ayu = world.person(401, "Ayu", "id")
    text = "capek banget, rasanya pengen menghilang aja"

    replies = await ayu.send(text)

    [reply] = replies
    assert "menjauh dari semuanya" in reply.text and BOT_ID in reply.text
    assert "kurang menangkap" not in reply.text
    assert "🆘 Butuh bantuan sekarang" in reply.text  # "disappear" asks about safety plainly
    assert ayu.buttons() == [
        "🌿 Latihan menenangkan diri sekarang",
        "📝 Rencana keselamatan saya",
        "👥 Cari kelompok",  # not in a group: a group to join, not a facilitator
        "📚 Sumber informasi",
        "🆘 Butuh bantuan sekarang",
    ]
    await world.app.update_persistence()
    assert_stored_nowhere(world, "menghilang")
    assert "menghilang" not in caplog.text and "distress reply shown" in caplog.text

    for other in ("aku gak kuat lagi", "sedih bgt", "overthinking terus tiap malam"):
        [again] = await ayu.send(other)
        assert BOT_ID in again.text and "Butuh bantuan sekarang" in ayu.buttons()[-1], other


async def test_everyday_text_gets_a_kind_menu_hint_and_crisis_words_the_crisis_reply(
    world: BotWorld,
) -> None:
    ayu = world.person(402, "Ayu", "id")
    [hint] = await ayu.send("jadwal pertemuan kapan?")
    assert BOT_ID in hint.text and "/start" in hint.text and "/crisis" in hint.text
    assert "kurang menangkap" not in hint.text

    sari = await a_member(world, 403, "Sari Senja")
    for text in ("halo", "makasih", "mau daftar grup", "capek nunggu bus"):
        [reply] = await sari.send(text)
        assert MENU_HINT in reply.text and "/crisis" in reply.text, text

    [crisis] = await sari.send("aku pengen mati aja")  # the crisis tier answers first
    assert CRISIS_REPLY in crisis.text


async def test_a_feeling_at_a_button_step_gets_the_reply_then_the_step_again(
    world: BotWorld,
) -> None:
    hana = world.person(404, "Hana", "en")
    await reach_own_alias_step(hana)
    await hana.send("Hana Biru")
    assert "Which province" in hana.last.text

    warm, step = await hana.send("I'm so overwhelmed")

    assert "a lot to deal with all at once" in warm.text
    assert "Which province" in step.text  # the step again, without the generic hint
    step_buttons = hana.buttons()
    await hana.press("Next")
    await hana.press("Bali")  # the step works as before
    assert rows(world, "SELECT alias FROM members") == []  # still onboarding, moving on
    assert "Bali" not in hana.last.text and hana.buttons() != step_buttons


async def test_a_feeling_typed_as_an_alias_never_becomes_the_alias(world: BotWorld) -> None:
    rudi = await a_member(world, 405, "Rudi Awan")
    await rudi.send("/alias")
    await rudi.press("Choose my own")
    prompt = rudi.last.text

    warm, step = await rudi.send("aku capek")  # a valid alias by its rules, but a feeling

    assert "That sounds exhausting" in warm.text
    assert step.text == prompt  # the question again, not "Done: you are now aku capek"
    assert rows(world, "SELECT alias FROM members") == [("Rudi Awan",)]
    await rudi.send("Rudi Hujan")
    assert rows(world, "SELECT alias FROM members") == [("Rudi Hujan",)]


async def test_a_feeling_typed_as_a_search_gets_the_reply_and_any_results(
    world: BotWorld,
) -> None:
    nina = await a_member(world, 406, "Nina Pagi")
    await nina.send("/resources")
    await nina.press("🔎 Search")

    replies = await nina.send("aku cemas banget")

    warm, results = replies  # the results follow: "cemas" finds the entries on anxiety
    assert "frightening" in warm.text
    assert "I found" in results.text
    await world.app.update_persistence()
    assert rows(world, "SELECT name FROM ptb_conversations") == []  # the search has ended
    assert_stored_nowhere(world, "cemas banget")


async def test_each_next_step_of_the_reply_works(world: BotWorld) -> None:
    lina = await a_member(world, 407, "Lina Embun")
    await lina.send("I feel so alone")
    assert "Feeling alone is so heavy" in lina.last.text

    await lina.press("Grounding exercise now")
    assert "Let's slow down together" in lina.last.text
    await lina.press("My safety plan")
    assert "Your safety plan" in lina.texts[-2]
    await lina.send("/cancel")
    # Like the menu's buttons, these two open in place of the reply they were pressed on.
    await lina.press("Find a group")
    assert any("Find a support group" in text for text in lina.texts)
    await lina.send("I'm exhausted")
    await lina.press("Resources")
    assert "Information about conditions, medication, therapy" in lina.last.text
    await lina.send("I can't do this anymore")
    await lina.press("Need help now")
    assert CRISIS_REPLY in lina.last.text


async def test_talking_to_the_group_is_offered_only_with_a_facilitator(world: BotWorld) -> None:
    mawar = await a_member(world, 408, "Mawar Pagi")
    await a_member(world, 409, "Fasil Pelangi")
    await mawar.send("I feel empty")
    assert "Let my facilitator know" not in mawar.buttons()

    await a_group_with(world, facilitators=["Fasil Pelangi"], members=["Mawar Pagi"])
    await mawar.send("I feel empty")
    assert "🤝 Let my facilitator know" in mawar.buttons()
    await mawar.press("Let my facilitator know")
    assert "Shall I tell your facilitator?" in mawar.last.text  # consent first, nothing sent
    assert rows(world, "SELECT * FROM crisis_alerts") == []

    # After a distress reply there are no contacts "above": the texts point to /crisis.
    await mawar.press("Yes, tell my facilitator")
    assert "/crisis" in mawar.last.text and "above" not in mawar.last.text
    assert len(rows(world, "SELECT * FROM crisis_alerts")) == 1


async def test_double_tapping_a_reply_button_is_harmless(world: BotWorld) -> None:
    tari = await a_member(world, 410, "Tari Bintang")
    await tari.send("insomnia parah")
    message_id, grounding = tari.button("Grounding exercise now")
    _, need_help = tari.button("Need help now")

    # The second tap of a double tap posts nothing and gets a toast.
    await tari.press_data(message_id, grounding)
    assert "slow down together" in tari.last.text
    assert await tari.press_data(message_id, grounding) == []
    await tari.press_data(message_id, need_help)
    assert CRISIS_REPLY in tari.last.text
    assert await tari.press_data(message_id, need_help) == []
    assert sum(CRISIS_REPLY in text for text in tari.texts) == 1
    # A deliberate second press later still helps: the buttons stay live.
    pause(world)
    await tari.press_data(message_id, need_help)
    assert sum(CRISIS_REPLY in text for text in tari.texts) == 2
    # Only the two crisis replies were recorded (as any press of the button is); nothing else.
    assert rows(world, "SELECT source FROM crisis_events") == [("button",), ("button",)]


async def test_nothing_written_is_stored_anywhere(world: BotWorld, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    dewi = await a_member(world, 411, "Dewi Fajar")
    texts = ["gue ngerepotin semua orang", "panic attack again tonight", "hatiku hancur"]
    for text in texts:
        await dewi.send(text)
    await dewi.send("/alias")
    await dewi.press("Choose my own")
    await dewi.send("lagi down")  # mid-conversation, a draft in user_data exists meanwhile
    await world.app.update_persistence()
    for text in [*texts, "lagi down"]:
        assert_stored_nowhere(world, text)
        assert text not in caplog.text
    assert rows(world, "SELECT * FROM crisis_events") == []  # distress is not a crisis event
