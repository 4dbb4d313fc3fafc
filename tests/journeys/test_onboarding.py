"""Journeys through anonymous onboarding, in both languages, with every kind of bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from telegram.ext import ConversationHandler

from tests.journeys.harness import BotWorld
from tests.journeys.helpers import rows
from tests.journeys.helpers.onboarding import onboard_in_english, reach_own_alias_step


async def test_newcomer_onboards_in_english(world: BotWorld) -> None:
    ayu = world.person(101, "Ayu", language_code="en")

    await ayu.send("/start")
    assert "Which language" in ayu.last.text
    await ayu.press("English")
    assert "Rangkul is not an emergency service" in ayu.last.text
    assert "112" in ayu.last.text
    await ayu.press("Continue")
    assert "18 years old or older" in ayu.last.text
    await ayu.press("Yes, I'm 18 or older")
    assert "Personal Data Protection Law (UU No. 27/2022)" in ayu.last.text
    assert "/mydata" in ayu.last.text and "/forget" in ayu.last.text
    await ayu.press("I agree")
    suggested = ayu.last.text
    assert "How about" in suggested
    await ayu.press("Another one")
    assert ayu.last.text != suggested
    await ayu.press("Use this alias")
    assert "Which province" in ayu.last.text
    assert "Aceh" in ayu.buttons() and "Bali" not in ayu.buttons()
    await ayu.press("Next")
    await ayu.press("Bali")
    await ayu.press("Anxiety")
    assert "✅ Anxiety" in ayu.buttons()
    await ayu.press("Done")

    assert any("All set" in text for text in ayu.texts)
    assert "What would you like to do?" in ayu.last.text
    [(alias, language, province, timezone)] = rows(
        world, "SELECT alias, language, province, timezone FROM members WHERE telegram_id = 101"
    )
    assert (language, province, timezone) == ("en", "bali", "Asia/Makassar")
    assert rows(world, "SELECT topic FROM member_topics") == [("anxiety",)]
    [(version, given_at)] = rows(world, "SELECT notice_version, given_at FROM consents")
    assert version == 1 and given_at.startswith("2026-12-01")
    assert alias in ayu.last.text


async def test_newcomer_onboards_in_indonesian(world: BotWorld) -> None:
    budi = world.person(102, "Budi", language_code="id")

    await budi.send("/start")
    assert "bahasa apa" in budi.last.text
    await budi.press("Bahasa Indonesia")
    assert "bukan layanan darurat" in budi.last.text
    await budi.press("Lanjut")
    await budi.press("Ya, usia saya 18 tahun ke atas")
    assert "UU No. 27/2022" in budi.last.text
    await budi.press("Saya setuju")
    await budi.press("Pilih sendiri")
    await budi.send("Kenanga Pagi")
    assert "provinsi" in budi.last.text
    await budi.press("Daring saja")
    await budi.press("Depresi")
    await budi.press("Selesai")

    assert "Kenanga Pagi" in budi.last.text
    assert rows(world, "SELECT alias, language, province, timezone FROM members") == [
        ("Kenanga Pagi", "id", None, "Asia/Jakarta")
    ]


async def test_declining_consent_stores_nothing(world: BotWorld) -> None:
    citra = world.person(103, "Citra", language_code="en")
    await citra.send("/start")
    await citra.press("English")
    await citra.press("Continue")
    await citra.press("Yes, I'm 18 or older")
    await citra.press("Not now")

    assert "haven't stored anything" in citra.last.text
    await world.app.update_persistence()
    for table in ("members", "consents", "ptb_user_data", "ptb_conversations"):
        assert rows(world, f"SELECT * FROM {table}") == [], table
    # Crisis help does not depend on consent.
    await citra.send("/crisis")
    assert "112" in citra.last.text


async def test_under_18_gets_support_and_nothing_is_stored(world: BotWorld) -> None:
    dewi = world.person(104, "Dewi", language_code="en")
    await dewi.send("/start")
    await dewi.press("English")
    await dewi.press("Continue")
    await dewi.press("No, I'm under 18")

    assert "haven't stored anything" in dewi.last.text
    assert "112" in dewi.last.text
    await world.app.update_persistence()
    assert rows(world, "SELECT * FROM ptb_user_data") == []
    assert rows(world, "SELECT * FROM members") == []


@pytest.mark.parametrize(
    ("alias", "reason"),
    [
        ("Yo", "too short"),
        ("A" * 25, "too long"),
        ("@budi_s", "@usernames"),
        ("0812-3456-7890", "phone numbers"),
        ("budi@mail.com", "e-mail addresses"),
        ("t.me/budi", "links"),
        ("<b>x</b>", "letters, numbers"),
    ],
)
async def test_own_alias_is_refused_with_the_reason(
    world: BotWorld, alias: str, reason: str
) -> None:
    eko = world.person(105, "Eko", language_code="en")
    await reach_own_alias_step(eko)

    await eko.send(alias)
    assert reason in eko.last.text
    await eko.send("Eko Pelangi")
    assert "Which province" in eko.last.text


async def test_alias_in_use_is_refused_case_insensitively(world: BotWorld) -> None:
    await onboard_in_english(world.person(106, "First", "en"), alias="Melati Senja")
    second = world.person(107, "Second", "en")
    await reach_own_alias_step(second)
    await second.send("MELATI  senja")
    assert "already using that alias" in second.last.text


async def test_start_again_shows_the_menu(world: BotWorld) -> None:
    fajar = world.person(108, "Fajar", "en")
    await onboard_in_english(fajar)
    replies = await fajar.send("/start")
    assert len(replies) == 1
    assert "What would you like to do?" in replies[0].text
    assert len(rows(world, "SELECT * FROM members")) == 1


async def test_restart_in_the_middle_of_onboarding_resumes_the_step(world: BotWorld) -> None:
    gita = world.person(109, "Gita", "en")
    await reach_own_alias_step(gita)

    await world.restart()

    await gita.send("Gita Fajar")
    assert "Which province" in gita.last.text
    await gita.press("Online only")
    await gita.press("Done")
    assert rows(world, "SELECT alias, language FROM members") == [("Gita Fajar", "en")]


async def test_a_crash_in_the_middle_of_onboarding_loses_nothing(world: BotWorld) -> None:
    lala = world.person(115, "Lala", "en")
    await reach_own_alias_step(lala)

    await world.crash()
    await world.start()

    await lala.send("Lala Senja")
    assert "Which province" in lala.last.text


async def test_crisis_in_the_middle_of_onboarding_keeps_the_step(world: BotWorld) -> None:
    hana = world.person(110, "Hana", "en")
    await reach_own_alias_step(hana)

    replies = await hana.send("/crisis")
    assert len(replies) == 1
    crisis = replies[0].text
    assert "You don't have to go through this alone" in crisis
    assert "112" in crisis and "119" in crisis

    await hana.send("Hana Biru")
    assert "Which province" in hana.last.text


BAD_INPUTS = [
    "hello?",
    "x" * 5000,
    "🌸🌸🌸",
    "<b>bold</b> & <script>alert(1)</script>",
    "'; DROP TABLE members; --",
]


@pytest.mark.parametrize("bad", BAD_INPUTS)
async def test_bad_input_at_every_button_step_gets_a_kind_hint(world: BotWorld, bad: str) -> None:
    ika = world.person(111, "Ika", "en")
    steps = [
        ("/start", None),
        ("English", "Continue"),
        ("Continue", "Yes, I'm 18 or older"),
        ("Yes, I'm 18 or older", "I agree"),
        ("I agree", "Use this alias"),
        ("Use this alias", "Online only"),
        ("Online only", "Done"),
    ]
    for action, expected_button in steps:
        if action.startswith("/"):
            await ika.send(action)
        else:
            await ika.press(action)
        replies = await ika.send(bad)
        assert len(replies) == 1
        assert "buttons below" in replies[0].text or "Please choose" in replies[0].text
        assert bad not in replies[0].text  # never echoed back
        if expected_button:
            assert expected_button in " ".join(ika.buttons())
    await ika.press("Done")
    assert len(rows(world, "SELECT * FROM members")) == 1


@pytest.mark.parametrize("bad", [b for b in BAD_INPUTS if b != "🌸🌸🌸"])
async def test_bad_input_as_an_alias_is_refused_clearly(world: BotWorld, bad: str) -> None:
    joko = world.person(112, "Joko", "en")
    await reach_own_alias_step(joko)
    replies = await joko.send(bad)
    assert len(replies) == 1
    assert replies[0].text.startswith(("Please", "That alias is too"))
    assert bad not in replies[0].text
    assert rows(world, "SELECT count(*) FROM members") == [(0,)]  # the table is still there


async def test_an_emoji_alias_is_welcome(world: BotWorld) -> None:
    await onboard_in_english(world.person(114, "Lia", "en"), alias="🌸🌸🌸")
    assert rows(world, "SELECT alias FROM members") == [("🌸🌸🌸",)]


async def test_forged_and_stale_buttons_are_answered_kindly(world: BotWorld) -> None:
    kiki = world.person(113, "Kiki", "en")
    await kiki.send("/start")
    message_id, _ = kiki.button("English")
    await kiki.press("English")
    await kiki.press_data(message_id, "ob:region:atlantis")
    await kiki.press_data(message_id, "zz:" + "9" * 60)
    assert world.emulator.rejected == []


async def test_a_double_tap_on_a_button_is_harmless(world: BotWorld) -> None:
    mega = world.person(116, "Mega", "en")
    await reach_own_alias_step(mega)
    await mega.send("Mega Mendung")
    message_id, next_page = mega.button("Next")
    await mega.press_data(message_id, next_page)
    # The second tap arrives after the message already shows that page: nothing to change.
    await mega.press_data(message_id, next_page)
    assert "Which province" in mega.last.text
    assert "Bali" in mega.buttons()
    # The second tap is answered with a toast and nothing is edited (Telegram would refuse an
    # identical edit: the fixture checks no call was refused).
    assert world.emulator.rejected == []


async def test_an_alias_taken_while_choosing_topics_sends_the_person_back_to_the_alias_step(
    world: BotWorld,
) -> None:
    first, second = world.person(117, "Nia", "en"), world.person(118, "Oki", "en")
    await reach_own_alias_step(second)
    await second.send("Bintang Pagi")
    await second.press("Online only")
    await onboard_in_english(first, alias="Bintang Pagi")  # registers the alias first

    replies = await second.press("Done")

    assert len(replies) == 0  # the Done message itself becomes the alias step
    assert "Someone is already using that alias" in second.last.text
    assert "Use this alias" in " ".join(second.buttons())
    await second.press("Choose my own")
    await second.send("Bintang Sore")
    await second.press("Online only")
    await second.press("Done")
    assert sorted(rows(world, "SELECT alias FROM members")) == [
        ("Bintang Pagi",),
        ("Bintang Sore",),
    ]


def timeout_jobs(world: BotWorld) -> list:
    """PTB's conversation-timeout jobs (a JobQueue job per idle conversation)."""
    return [job for job in world.app.job_queue.jobs() if job.name == "_trigger_timeout"]


async def test_a_declined_person_who_opens_search_leaves_no_row_once_it_times_out(
    world: BotWorld,
) -> None:
    rani = world.person(119, "Rani", "en")
    await rani.send("/start")
    for label in ("English", "Continue", "Yes, I'm 18 or older", "Not now"):
        await rani.press(label)
    await rani.send("/resources")
    await rani.press("🔎 Search")
    assert rows(world, "SELECT name FROM ptb_conversations") == [("resource_search",)]

    [job] = timeout_jobs(world)  # the conversation's timeout, run now rather than in 30 min
    await job.run(world.app)
    await world.app.update_persistence()

    assert rows(world, "SELECT * FROM ptb_conversations") == []
    assert rows(world, "SELECT * FROM ptb_user_data") == []
    await rani.send("anxiety")  # no longer a search: the kind menu hint
    assert "I'm a bot" in rani.last.text


async def test_a_conversation_left_before_a_restart_times_out_at_the_next_start(
    world: BotWorld,
) -> None:
    sita = world.person(120, "Sita", "en")
    await sita.send("/resources")
    await sita.press("🔎 Search")
    await world.stop()
    world.clock.advance(timedelta(hours=1))
    await world.start()
    assert rows(world, "SELECT * FROM ptb_conversations") == []
    await sita.send("anxiety")
    assert "I'm a bot" in sita.last.text


async def test_every_conversation_has_a_timeout(world: BotWorld) -> None:
    conversations = [
        handler
        for group in world.app.handlers.values()
        for handler in group
        if isinstance(handler, ConversationHandler)
    ]
    assert len(conversations) >= 10
    assert all(handler.conversation_timeout for handler in conversations)
