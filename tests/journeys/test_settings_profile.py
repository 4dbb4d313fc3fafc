"""Journeys through a member's rights over their profile: correcting it in /settings (province
by button or typed, topics), reading a summary of /mydata, and /forget pressed again.

Every button is idempotent: a double tap or a press on an old message changes nothing and gets
a short toast; the world fixture fails any journey in which Telegram would refuse a call.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from telegram import Update

from bot.domain.alias import alias_key
from bot.services import seats
from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers import rows
from tests.journeys.helpers.meetings import a_facilitator, a_group, schedule_weekly, services
from tests.journeys.helpers.onboarding import onboard_in_english

SAVED = "✅ Saved."
OUT_OF_DATE = "These settings have changed since"


def region(world: BotWorld, user_id: int) -> tuple[str | None, str]:
    [found] = rows(world, "SELECT province, timezone FROM members WHERE telegram_id = ?", user_id)
    return found


def topics(world: BotWorld, user_id: int) -> list[str]:
    return [
        topic
        for (topic,) in rows(
            world,
            "SELECT topic FROM member_topics JOIN members ON members.id = member_id"
            " WHERE telegram_id = ? ORDER BY topic",
            user_id,
        )
    ]


def toasts(world: BotWorld) -> list[str]:
    return [answer["text"] for answer in world.emulator.callback_answers.values() if answer["text"]]


def message_text(world: BotWorld, person: Person, message_id: int) -> str:
    [entry] = [m for m in world.emulator.bot_messages(person.user_id) if m.message_id == message_id]
    return entry.text


async def a_member_in_bali(world: BotWorld, user_id: int = 401) -> Person:
    """Onboarded in English: Bali (WITA), topics anxiety and trauma."""
    person = world.person(user_id, "Sekar", "en")
    await onboard_in_english(person, alias="Sekar Pagi")
    return person


async def test_settings_show_the_profile_and_correct_the_province_by_button(
    world: BotWorld,
) -> None:
    sekar = await a_member_in_bali(world)

    await sekar.send("/settings")
    for line in ("Alias: Sekar Pagi", "Language: English", "Province: Bali (times in WITA)"):
        assert line in sekar.last.text
    assert "Topics: Anxiety, Trauma" in sekar.last.text
    await sekar.press("Province")
    assert "Your province now: Bali" in sekar.last.text
    assert "Bali" in sekar.buttons()  # the list opens on the page of the current province
    await sekar.press("West Java")

    assert region(world, 401) == ("jabar", "Asia/Jakarta")
    assert sekar.last.text.startswith(SAVED)
    assert "Province: West Java (times in WIB)" in sekar.last.text
    assert "📍 Province" in sekar.buttons()  # the settings screen again

    await sekar.press("Province")
    await sekar.press("Online only")
    assert region(world, 401) == (None, "Asia/Jakarta")
    assert "Province: Online only" in sekar.last.text


@pytest.mark.parametrize(
    ("typed", "code", "label"),
    [
        ("jabar", "jabar", "West Java"),
        ("Jawa Barat", "jabar", "West Java"),
        ("DIY", "diy", "Yogyakarta"),
    ],
)
async def test_a_typed_province_name_is_accepted(
    world: BotWorld, typed: str, code: str, label: str
) -> None:
    sekar = await a_member_in_bali(world)
    await sekar.send("/settings")
    await sekar.press("Province")

    await sekar.send(typed)

    assert region(world, 401) == (code, "Asia/Jakarta")
    assert sekar.last.text.startswith(SAVED)
    assert f"Province: {label}" in sekar.last.text


async def test_a_typed_name_that_is_no_province_asks_again_and_changes_nothing(
    world: BotWorld,
) -> None:
    sekar = await a_member_in_bali(world)
    await sekar.send("/settings")
    await sekar.press("Province")

    await sekar.send("Kalimantan")
    assert "couldn't find a province" in sekar.last.text
    assert "Aceh" in sekar.buttons()
    await sekar.send_sticker()
    assert "couldn't find a province" in sekar.last.text
    assert region(world, 401) == ("bali", "Asia/Makassar")

    await sekar.send("Papua")
    assert region(world, 401) == ("papua", "Asia/Jayapura")
    # Once saved, a province name is just text again.
    await sekar.send("jabar")
    assert "only help with what's in the menu" in sekar.last.text
    assert region(world, 401) == ("papua", "Asia/Jayapura")


async def test_topics_are_corrected_with_toggles_and_done(world: BotWorld) -> None:
    sekar = await a_member_in_bali(world)
    await sekar.send("/settings")
    await sekar.press("Topics")
    assert "✅ Anxiety" in sekar.buttons()

    await sekar.press("Depression")
    await sekar.press("Anxiety")
    assert topics(world, 401) == ["anxiety", "trauma"]  # saved with "Done", not before
    await sekar.press("Done")

    assert topics(world, 401) == ["depression", "trauma"]
    assert sekar.last.text.startswith(SAVED)
    assert "Topics: Depression, Trauma" in sekar.last.text


async def test_two_quick_taps_on_a_topic_end_as_the_person_sees(world: BotWorld) -> None:
    sekar = await a_member_in_bali(world)
    await sekar.send("/settings")
    await sekar.press("Topics")

    # Both taps reach the bot with the data of the button as first shown.
    message_id, tick = sekar.button("Depression")
    await sekar.press_data(message_id, tick)
    await sekar.press_data(message_id, tick)
    assert "✅ Depression" in sekar.buttons()
    # Two taps on the updated button: ticked, then unticked again.
    await sekar.press("Bipolar")
    message_id, untick = sekar.button("✅ Bipolar")
    await sekar.press_data(message_id, untick)
    assert "Bipolar" in sekar.buttons() and "✅ Bipolar" not in sekar.buttons()

    await sekar.press("Done")
    assert topics(world, 401) == ["anxiety", "depression", "trauma"]


async def test_a_double_tap_on_a_choice_saves_once_and_says_so(world: BotWorld) -> None:
    sekar = await a_member_in_bali(world)
    await sekar.send("/settings")
    await sekar.press("Province")
    message_id, west_java = sekar.button("West Java")

    await sekar.press_data(message_id, west_java)
    screen = sekar.last.text
    await sekar.press_data(message_id, west_java)

    assert region(world, 401) == ("jabar", "Asia/Jakarta")
    assert toasts(world)[-1] == "Already saved ✅"
    assert message_text(world, sekar, message_id) == screen

    await sekar.press("Topics")
    await sekar.press("Caregivers")
    message_id, done = sekar.button("Done")
    await sekar.press_data(message_id, done)
    await sekar.press_data(message_id, done)
    assert topics(world, 401) == ["anxiety", "caregivers", "trauma"]
    assert toasts(world)[-1] == "Already saved ✅"


async def test_a_choice_on_an_old_settings_message_changes_nothing(world: BotWorld) -> None:
    sekar = await a_member_in_bali(world)
    await sekar.send("/settings")
    await sekar.press("Province")
    old_provinces, east_java = sekar.button("East Java")
    await sekar.send("/settings")
    await sekar.press("Topics")
    old_topics, depression = sekar.button("Depression")
    _, old_done = sekar.button("Done")

    # Newer settings messages change both.
    await sekar.send("/settings")
    await sekar.press("Province")
    await sekar.press("West Java")
    await sekar.press("Topics")
    await sekar.press("Bipolar")
    await sekar.press("Done")
    now_stored = (("jabar", "Asia/Jakarta"), ["anxiety", "bipolar", "trauma"])
    assert (region(world, 401), topics(world, 401)) == now_stored

    for message_id, data in ((old_provinces, east_java), (old_topics, depression)):
        before = message_text(world, sekar, message_id)
        await sekar.press_data(message_id, data)
        assert OUT_OF_DATE in toasts(world)[-1]
        assert message_text(world, sekar, message_id) == before
    await sekar.press_data(old_topics, old_done)
    assert OUT_OF_DATE in toasts(world)[-1]
    assert (region(world, 401), topics(world, 401)) == now_stored


async def test_settings_are_for_members_only(world: BotWorld) -> None:
    guest = world.person(402, "Guest", "en")
    await guest.send("/settings")
    assert "This is for people who have joined Rangkul" in guest.last.text

    sekar = await a_member_in_bali(world, 403)
    await sekar.send("/settings")
    await sekar.press("Province")
    message_id, east_java = sekar.button("East Java")
    await sekar.send("/forget")
    await sekar.press("Yes, delete everything")
    await sekar.press_data(message_id, east_java)  # an old settings message, after forgetting
    assert "no longer active" in toasts(world)[-1]
    assert rows(world, "SELECT * FROM members") == []


async def summary_world(world: BotWorld, user_id: int, language: str) -> Person:
    """A member whose alias and group name hold HTML, with a seat, a crisis moment and a
    safety plan answer, speaking ``language``."""
    group_id = await a_group(world, name="Teman <Cerita> & Kopi")
    fasil = await a_facilitator(world, group_id)
    await schedule_weekly(fasil)
    lina = world.person(user_id, "Lina", "en")
    await onboard_in_english(lina, alias="Lina Laut")
    s = services(world)
    member = await s.members.by_telegram_id(user_id)
    # Onboarding refuses < and &; an alias from before that rule, or a bug, must still be safe.
    await s.members.set_alias(member.id, "Lin<b>&", alias_key("Lin<b>&"))
    await s.groups.add_member(group_id, member.id, world.clock.now())
    [(meeting_id,)] = rows(
        world, "SELECT id FROM meetings WHERE group_id = ? ORDER BY starts_at LIMIT 1", group_id
    )
    member = await s.members.by_telegram_id(user_id)
    await seats.rsvp(s.meetings, s.groups, s.outbox, s.clock, member, meeting_id, True)
    await lina.send("/crisis")
    await s.members.set_language(member.id, language)
    return lina


async def test_mydata_starts_with_a_summary_in_english(world: BotWorld) -> None:
    lina = await summary_world(world, 404, "en")

    await lina.send("/mydata")

    *_, summary, document = world.emulator.bot_messages(404)
    assert document.kind == "document"
    text = summary.text
    for line in (
        "Alias: Lin<b>&",
        "Language: English",
        "Province: Bali (times in WITA)",
        "Topics: Anxiety, Trauma",
        "Member since: Dec 1, 2026",
        "Groups: Teman <Cerita> & Kopi",
        "Upcoming seats: 1 — the next one: Teman <Cerita> & Kopi, Thu 3 Dec",
        "Safety plan: none",
        "Crisis moments recorded: 1; alerts to a facilitator: 0",
        "Your rights: /settings to correct your data, /forget to erase all of it.",
    ):
        assert line in text, line
    assert "Messages in the log: 2 to you, 0 about you" in text  # the seat's reminders
    # Stored text is shown as text: the only bold is the title and the alias itself.
    bold = [(e["offset"], e["length"]) for e in summary.entities if e["type"] == "bold"]
    assert bold == [(0, text.index("\n")), (text.index("Lin<b>&"), len("Lin<b>&"))]
    assert "404" not in text and len(text) <= 4096
    assert max(len(line) for line in text.splitlines()) <= 90  # two lines on a phone at most


async def test_mydata_summary_in_indonesian(world: BotWorld) -> None:
    lina = await summary_world(world, 405, "id")

    await lina.send("/mydata")

    *_, summary, document = world.emulator.bot_messages(405)
    assert document.kind == "document"
    for line in (
        "Alias: Lin<b>&",
        "Bahasa: Bahasa Indonesia",
        "Provinsi: Bali (waktu dalam WITA)",
        "Kelompok: Teman <Cerita> & Kopi",
        "Rencana keselamatan: belum ada",
        "Hakmu: /settings untuk memperbaiki datamu, /forget untuk menghapus semuanya.",
    ):
        assert line in summary.text, line
    assert max(len(line) for line in summary.text.splitlines()) <= 90


async def test_forget_pressed_twice_deletes_once_and_says_goodbye_once(world: BotWorld) -> None:
    # Telegram says Indonesian, the member chose English: the second press must not flip.
    mira = world.person(406, "Mira", "id")
    await onboard_in_english(mira, alias="Mira Pagi")
    await mira.send("/forget")
    message_id, yes = mira.button("Yes, delete everything")
    assert yes.endswith(":en")

    await mira.press_data(message_id, yes)
    goodbye = mira.last.text
    sent = len(world.emulator.bot_messages(406))
    await mira.press_data(message_id, yes)

    assert "has been deleted" in goodbye
    assert message_text(world, mira, message_id) == goodbye
    assert len(world.emulator.bot_messages(406)) == sent
    assert toasts(world)[-1] == "Everything was already deleted."
    assert world.emulator.rejected == []


async def test_an_old_confirmation_pressed_after_forgetting_changes_nothing(
    world: BotWorld,
) -> None:
    nina = world.person(407, "Nina", "en")
    await onboard_in_english(nina, alias="Nina Senja")
    await nina.send("/language")
    await nina.press("Bahasa Indonesia")
    await nina.send("/forget")
    old_id, old_yes = nina.button("Ya, hapus semuanya")
    _, old_no = nina.button("Tidak, simpan data saya")
    await nina.send("/forget")
    await nina.press("Ya, hapus semuanya")
    sent = len(world.emulator.bot_messages(407))

    await nina.press_data(old_id, old_yes)
    assert toasts(world)[-1] == "Semuanya sudah dihapus sebelumnya."
    await nina.press_data(old_id, old_no)
    assert toasts(world)[-1] == "Semuanya sudah dihapus sebelumnya."

    assert len(world.emulator.bot_messages(407)) == sent
    assert "simpan" in message_text(world, nina, old_id)  # the old question, untouched
    assert rows(world, "SELECT * FROM members") == []
    assert world.emulator.rejected == []


async def test_two_presses_of_forget_arriving_together_delete_once(world: BotWorld) -> None:
    tomo = world.person(408, "Tomo", "en")
    await onboard_in_english(tomo, alias="Tomo Hujan")
    await tomo.send("/forget")
    message_id, yes = tomo.button("Yes, delete everything")
    app = world.app
    presses = [
        Update.de_json(world.emulator.user_presses_button(408, message_id, yes), app.bot)
        for _ in range(2)
    ]

    # As PTB's update fetcher runs them: through the update processor, at the same time.
    await asyncio.gather(
        *(app.update_processor.process_update(u, app.process_update(u)) for u in presses)
    )

    goodbyes = [t for t in tomo.texts if "has been deleted" in t]
    assert len(goodbyes) == 1
    assert toasts(world)[-1] == "Everything was already deleted."
    assert rows(world, "SELECT * FROM members") == []
    assert world.emulator.rejected == []


async def test_a_feeling_at_the_province_step_gets_a_warm_reply_and_the_step_again(
    world: BotWorld,
) -> None:
    sekar = await a_member_in_bali(world)
    await sekar.send("/settings")
    await sekar.press("Province")

    await sekar.send("aku capek banget, gak kuat lagi")
    warm, step = sekar.texts[-2:]
    assert "couldn't find a province" not in warm + step
    assert "Need help now" in str(sekar.world.emulator.bot_messages(401)[-2].reply_markup)
    assert "Aceh" in sekar.buttons()
    await sekar.send("Papua")
    assert region(world, 401) == ("papua", "Asia/Jayapura")


async def test_a_question_from_before_joining_again_never_deletes_the_new_account(
    world: BotWorld,
) -> None:
    rani = world.person(409, "Rani", "en")
    await onboard_in_english(rani, alias="Rani Fajar")
    await rani.send("/forget")
    old_id, old_yes = rani.button("Yes, delete everything")
    await rani.press("Yes, delete everything")
    world.clock.advance(timedelta(minutes=5))
    await onboard_in_english(rani, alias="Rani Baru")

    await rani.press_data(old_id, old_yes)
    assert "earlier account" in toasts(world)[-1]
    assert rows(world, "SELECT alias FROM members") == [("Rani Baru",)]
    assert world.emulator.rejected == []


async def test_a_question_too_old_to_check_never_deletes_anything(world: BotWorld) -> None:
    wulan = world.person(410, "Wulan", "en")
    await onboard_in_english(wulan, alias="Wulan Senja")
    await wulan.send("/forget")
    old_id, old_yes = wulan.button("Yes, delete everything")

    await wulan.press_data(old_id, old_yes, inaccessible=True)
    assert "too old for me to check" in toasts(world)[-1]
    assert rows(world, "SELECT alias FROM members") == [("Wulan Senja",)]
    assert world.emulator.rejected == []
