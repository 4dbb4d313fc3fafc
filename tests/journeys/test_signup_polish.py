"""Sign-up polish (issue 13): the welcome with 112 stays in the chat, /start mid-way carries on,
typed answers to a list are understood, a visitor's trial or seat survives signing up, the end
of sign-up suggests groups, and /cancel with nothing running says so."""

from __future__ import annotations

import pytest

from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers import rows
from tests.journeys.helpers.meetings import (
    a_facilitator,
    a_group,
    plain,
    schedule_weekly,
    services,
)
from tests.journeys.helpers.onboarding import finish_onboarding_after_welcome, onboard_in_english

TOAST = "This has already been taken care of."


def message(person: Person, message_id: int):
    return next(
        m for m in person.world.emulator.bot_messages(person.user_id) if m.message_id == message_id
    )


async def reach_region_step(person: Person) -> None:
    await person.send("/start")
    for label in ("English", "Continue", "Yes, I'm 18 or older", "I agree", "Use this alias"):
        await person.press(label)
    assert "Which province" in person.last.text


async def test_the_welcome_with_112_stays_in_the_chat_after_continue(world: BotWorld) -> None:
    ayu = world.person(1301, "Ayu", "en")
    await ayu.send("/start")
    await ayu.press("English")
    welcome = ayu.last.message_id
    await ayu.press("Continue")

    kept = message(ayu, welcome)
    assert "not an emergency service" in kept.text and "112" in kept.text
    assert not (kept.reply_markup or {}).get("inline_keyboard"), "its step is done"
    assert ayu.last.message_id != welcome and "18 years old" in ayu.last.text
    # The later steps edit that one new message in turn.
    steps = ayu.last.message_id
    await ayu.press("Yes, I'm 18 or older")
    await ayu.press("I agree")
    assert ayu.last.message_id == steps and "How about" in ayu.last.text
    assert "112" in message(ayu, welcome).text


async def test_start_in_the_middle_of_sign_up_carries_on_where_the_person_was(
    world: BotWorld,
) -> None:
    budi = world.person(1302, "Budi", "en")
    await budi.send("/start")
    for label in ("English", "Continue", "Yes, I'm 18 or older"):
        await budi.press(label)
    assert "Do you agree" in budi.last.text

    await budi.send("/start")
    assert "Which language" not in budi.last.text
    assert "where you left off" in budi.last.text and "Do you agree" in budi.last.text
    assert "I agree" in budi.buttons()
    await budi.press("I agree")
    await budi.press("Use this alias")
    await budi.press("Next")
    await budi.send("/start")
    assert "Bali" in budi.buttons(), "the page they were on"
    await budi.press("Bali")
    await budi.press("Done")
    assert rows(world, "SELECT language, province FROM members") == [("en", "bali")]


async def test_start_before_choosing_a_language_simply_asks_for_it(world: BotWorld) -> None:
    citra = world.person(1303, "Citra", "en")
    await citra.send("/start")
    await citra.send("/start")
    assert "Which language" in citra.last.text and "left off" not in citra.last.text


@pytest.mark.parametrize(
    ("typed", "province", "shown"),
    [
        ("jawa barat", "jabar", "West Java"),
        ("JABAR", "jabar", "West Java"),
        ("DIY", "diy", "Yogyakarta"),
        ("ntt", "ntt", "East Nusa Tenggara"),
        ("Jawa Tngah", "jateng", "Central Java"),
        ("  online  ", None, "Online only"),
    ],
)
async def test_a_typed_province_is_taken_at_sign_up(
    world: BotWorld, typed: str, province: str | None, shown: str
) -> None:
    dewi = world.person(1304, "Dewi", "en")
    await reach_region_step(dewi)
    await dewi.send(typed)
    assert "Which topics" in dewi.last.text
    assert shown in dewi.last.text, "says what it understood"
    await dewi.press("Done")
    assert rows(world, "SELECT province FROM members") == [(province,)]


async def test_typed_answers_work_at_the_language_and_topic_steps_too(world: BotWorld) -> None:
    eka = world.person(1305, "Eka", "id")
    await eka.send("/start")
    await eka.send("english")
    assert "Welcome to Rangkul" in eka.last.text
    await eka.press("Continue")
    await eka.press("Yes, I'm 18 or older")
    await eka.press("I agree")
    await eka.press("Use this alias")
    await eka.send("Kalimantan")  # only a part of several names: no guess, the buttons again
    assert "Please choose" in eka.last.text and "Which province" in eka.last.text
    await eka.send("bali")
    await eka.send("anxeity")
    assert "✅ Anxiety" in eka.buttons()
    await eka.press("Done")
    assert rows(world, "SELECT topic FROM member_topics") == [("anxiety",)]


async def a_trial_group(world: BotWorld) -> None:
    group_id = await a_group(world, trial_seats=2)
    await schedule_weekly(await a_facilitator(world, group_id))


async def test_a_visitor_who_taps_try_a_session_lands_on_that_trial_after_signing_up(
    world: BotWorld,
) -> None:
    await a_trial_group(world)
    tamu = world.person(1306, "Tamu", "en")
    await tamu.send("/groups")
    await tamu.press("All groups")
    await tamu.press("Teman Cerita Makassar")
    await tamu.press("Try a session")
    assert "sign up" in tamu.last.text.lower()
    sign_up = tamu.button("Sign up")
    await tamu.press("Sign up")
    assert "Welcome to Rangkul" in tamu.last.text
    sent = len(tamu.texts)
    await tamu.press_data(*sign_up)  # a double tap: nothing more
    assert len(tamu.texts) == sent
    await world.restart()  # the chosen trial is kept with the sign-up's draft

    await finish_onboarding_after_welcome(tamu, alias="Tamu Baru")
    assert "Teman Cerita Makassar" in plain(tamu.last.text)
    assert any("Thu 3 Dec" in label for label in tamu.buttons()), tamu.buttons()
    assert not any("match the topics" in text for text in tamu.texts), "they chose already"
    await tamu.press("Thu 3 Dec")
    await tamu.press("Sign me up")
    assert "signed up" in plain(tamu.last.text).lower() or "seat" in plain(tamu.last.text)
    member = await services(world).members.by_telegram_id(1306)
    assert member is not None and member.alias == "Tamu Baru"


async def test_sign_up_ends_with_groups_that_match_the_chosen_topics(world: BotWorld) -> None:
    for name in ("Anxiety A", "Anxiety B", "Anxiety C", "Anxiety D"):
        await a_group(world, name=name)
    fajar = world.person(1307, "Fajar", "en")
    await onboard_in_english(fajar, alias="Fajar Pagi")

    [suggested] = [m for m in world.emulator.bot_messages(1307) if "match the topics" in m.text]
    labels = [b["text"] for row in suggested.reply_markup["inline_keyboard"] for b in row]
    assert len([label for label in labels if label.startswith("Anxiety")]) == 3
    assert "What would you like to do?" in fajar.last.text, "the menu stays last"
    await fajar.press("All groups for you")
    listed = message(fajar, suggested.message_id)  # the list takes the suggestions' place
    shown = [b["text"] for row in listed.reply_markup["inline_keyboard"] for b in row]
    assert all(any(name in label for label in shown) for name in ("Anxiety A", "Anxiety D"))


async def test_sign_up_without_matching_groups_suggests_nothing(world: BotWorld) -> None:
    gita = world.person(1308, "Gita", "en")
    await onboard_in_english(gita)
    assert not any("match the topics" in text for text in gita.texts)


async def test_cancel_with_nothing_running_says_there_was_nothing_to_stop(
    world: BotWorld,
) -> None:
    guest = world.person(1309, "Tamu", "en")
    await guest.send("/cancel")
    assert "nothing to stop" in guest.last.text and "/menu" in guest.last.text
    assert "stopped that" not in guest.last.text

    member = world.person(1310, "Hana", "en")
    await onboard_in_english(member)
    await member.send("/cancel")
    assert "nothing to stop" in member.last.text and "/menu" in member.last.text

    await member.send("/alias")
    await member.send("/cancel")  # inside a conversation: it stops it, as before
    assert "stopped that" in member.last.text
