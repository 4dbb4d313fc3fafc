"""A crash between the reply reaching Telegram and the state write: every onboarding button
the person sees still works, and what they see ticked is what is stored."""

from __future__ import annotations

from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers import rows
from tests.journeys.helpers.onboarding import reach_own_alias_step

EXPIRED = "no longer active"


async def restarted(world: BotWorld) -> None:
    await world.start()


def no_expired_answers(world: BotWorld) -> None:
    answers = [a["text"] or "" for a in world.emulator.callback_answers.values()]
    assert not any(EXPIRED in text for text in answers), answers


async def finish_from_region(person: Person) -> None:
    await person.press("Online only")
    await person.press("Done")


async def test_the_language_buttons_work_after_a_crash_right_after_start(world: BotWorld) -> None:
    ayu = world.person(501, "Ayu", "en")
    await ayu.send_then_crash("/start")
    await restarted(world)
    await ayu.press("English")
    assert "Welcome to Rangkul" in ayu.last.text
    for label in ("Continue", "Yes, I'm 18 or older", "I agree", "Use this alias"):
        await ayu.press(label)
    await finish_from_region(ayu)
    no_expired_answers(world)
    assert rows(world, "SELECT language FROM members") == [("en",)]


async def test_each_button_step_survives_a_crash_after_its_reply(world: BotWorld) -> None:
    budi = world.person(502, "Budi", "en")
    await budi.send("/start")
    for label in ("English", "Continue", "Yes, I'm 18 or older", "I agree", "Use this alias"):
        await budi.press_then_crash(label)
        await restarted(world)
    suggested = rows(world, "SELECT data FROM ptb_user_data")
    assert suggested, "the draft was saved before the reply"
    await budi.press_then_crash("Online only")
    await restarted(world)
    await budi.press("Done")
    no_expired_answers(world)
    assert len(rows(world, "SELECT * FROM members")) == 1


async def test_a_typed_alias_is_kept_through_a_crash_after_its_reply(world: BotWorld) -> None:
    cici = world.person(503, "Cici", "en")
    await reach_own_alias_step(cici)
    await cici.send_then_crash("Cici Senja")
    await restarted(world)
    assert "Which province" in cici.last.text
    await finish_from_region(cici)
    no_expired_answers(world)
    assert rows(world, "SELECT alias FROM members") == [("Cici Senja",)]


async def test_topics_ticked_before_a_crash_are_the_ones_stored(world: BotWorld) -> None:
    dodi = world.person(504, "Dodi", "en")
    await reach_own_alias_step(dodi)
    await dodi.send("Dodi Pagi")
    await dodi.press("Online only")
    await dodi.press("Anxiety")
    await dodi.press_then_crash("Trauma")
    await restarted(world)
    assert "✅ Trauma" in dodi.buttons() and "✅ Anxiety" in dodi.buttons()
    await dodi.press("Done")
    assert sorted(rows(world, "SELECT topic FROM member_topics")) == [("anxiety",), ("trauma",)]


async def test_a_double_tap_on_a_topic_leaves_it_ticked(world: BotWorld) -> None:
    eko = world.person(505, "Eko", "en")
    await reach_own_alias_step(eko)
    await eko.send("Eko Sore")
    await eko.press("Online only")
    message_id, data = eko.button("Anxiety")
    await eko.press_data(message_id, data)
    await eko.press_data(message_id, data)  # the same button again: the same selection
    world.emulator.rejected.clear()  # Telegram refuses the identical edit; that is expected
    await eko.press("Done")
    assert rows(world, "SELECT topic FROM member_topics") == [("anxiety",)]


async def test_a_crash_after_registering_leaves_no_onboarding_behind(world: BotWorld) -> None:
    fifi = world.person(506, "Fifi", "en")
    await reach_own_alias_step(fifi)
    await fifi.send("Fifi Laut")
    await fifi.press("Online only")
    done = fifi.button("Done")
    await fifi.press_then_crash("Done")
    await restarted(world)
    assert rows(world, "SELECT alias FROM members") == [("Fifi Laut",)]
    # Start-up drops what onboarding left for people who have joined since.
    assert rows(world, "SELECT name FROM ptb_conversations") == []
    assert rows(world, "SELECT data FROM ptb_user_data") == []
    await fifi.press_data(*done)  # a late second tap: the menu, not a second registration
    assert "What would you like to do?" in fifi.last.text
    assert len(rows(world, "SELECT * FROM members")) == 1


async def test_a_second_tap_on_not_now_keeps_nothing(world: BotWorld) -> None:
    gita = world.person(507, "Gita", "en")
    await gita.send("/start")
    for label in ("English", "Continue", "Yes, I'm 18 or older"):
        await gita.press(label)
    message_id, data = gita.button("Not now")
    await gita.press_data(message_id, data)
    await gita.press_data(message_id, data)
    world.emulator.rejected.clear()  # the identical edit of the second tap
    await world.app.update_persistence()
    assert rows(world, "SELECT * FROM ptb_user_data") == []
    assert rows(world, "SELECT * FROM ptb_conversations") == []
