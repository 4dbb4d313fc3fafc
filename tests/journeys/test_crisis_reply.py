"""Journeys through the crisis reply itself: short first, fitted to the danger (emergency care,
the police and SAPA 129, or the person's own plan), every contact one tap away, and a short,
kind answer of its own for someone under 18."""

from __future__ import annotations

from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers import rows
from tests.journeys.helpers.crisis import a_group_with, a_member, assert_stored_nowhere

OPENING = "You don't have to go through this alone"
SAPA_WHATSAPP = "https://wa.me/628111129129"
FIRST_MESSAGE_MAX = 500  # characters a person reads before the first contact, and a bit more


def url_buttons(person: Person) -> dict[str, str]:
    """Label → address of the newest bot message's link buttons."""
    markup = person.last.reply_markup or {}
    return {
        b["text"]: b["url"] for row in markup.get("inline_keyboard", []) for b in row if "url" in b
    }


async def a_member_with_a_plan(world: BotWorld, user_id: int, alias: str) -> Person:
    person = await a_member(world, user_id, alias)
    await person.send("/safetyplan")
    await person.send("Not sleeping, staying in my room")
    await person.send("/cancel")
    return person


async def test_the_first_reply_is_short_and_shows_the_essentials(world: BotWorld) -> None:
    for user_id, language in ((501, "en"), (502, "id")):
        person = world.person(user_id, "Visitor", language)
        replies = await person.send("/crisis")

        [reply] = replies  # a visitor has no plan
        assert len(reply.text) <= FIRST_MESSAGE_MAX, (language, len(reply.text))
        for number in ("112", "119", "110", "119 ext. 8"):
            assert number in reply.text, (language, number)
        links = url_buttons(person)
        assert list(links.values()) == ["https://healing119.id"], language
    en_reply = world.emulator.bot_messages(501)[-1].text
    assert en_reply.startswith(OPENING)
    # 112 is never named alone: the ambulance and the police come with it.
    assert "112 — or 119 for an ambulance, 110 for the police" in en_reply


async def test_more_contacts_grows_in_place_and_a_double_tap_changes_nothing(
    world: BotWorld,
) -> None:
    sari = await a_member(world, 503, "Sari Senja")
    await sari.send("/crisis")
    short = sari.last

    message_id, data = sari.button("More contacts")
    assert await sari.press_data(message_id, data) == []  # edited, nothing new sent
    expanded = sari.last
    assert expanded.message_id == short.message_id
    assert expanded.text.startswith(short.text)  # the essentials stay on top
    for detail in ("Healing119.id", "SAPA 129", "Hours: 24 hours", "busy signals"):
        assert detail in expanded.text, detail
    assert len(expanded.text) <= 4096
    assert not any("More contacts" in label for label in sari.buttons())
    assert any("Grounding exercise now" in label for label in sari.buttons())

    # A double tap (the old button's data, pressed again): the same message, no error.
    assert await sari.press_data(message_id, data) == []
    assert sari.last.text == expanded.text
    assert world.emulator.rejected == []  # no identical edit for Telegram to refuse
    assert world.errors == []


async def test_the_offers_work_from_the_expanded_reply(world: BotWorld) -> None:
    fasil = await a_member(world, 504, "Fasil Teduh")
    mira = await a_member(world, 505, "Mira Pagi")
    await a_group_with(world, facilitators=["Fasil Teduh"], members=["Mira Pagi"])
    await mira.send("/crisis")
    await mira.press("More contacts")

    await mira.press("Grounding exercise now")
    assert "Let's slow down together" in mira.last.text
    await mira.press("Let my facilitator know")
    assert "only your alias and the time" in mira.last.text
    await mira.press("Yes, tell my facilitator")
    await world.tick()
    assert "Mira Pagi" in fasil.last.text


async def test_harm_already_done_gets_emergency_care_first_not_the_plan(world: BotWorld) -> None:
    budi = await a_member_with_a_plan(world, 506, "Budi Fajar")

    replies = await budi.send("I just took too many pills")

    [reply] = replies  # the plan is not sent first...
    assert "Your safety plan" not in reply.text
    care = reply.text.index("Please get emergency care now")
    assert care < reply.text.index("119 for an ambulance") < reply.text.index("119 ext. 8")
    assert "emergency department (IGD) of the nearest hospital" in reply.text
    assert len(reply.text) <= FIRST_MESSAGE_MAX
    assert any("My safety plan" in label for label in budi.buttons())  # ...it is offered
    assert rows(world, "SELECT source FROM crisis_events") == [("detected",)]
    await world.app.update_persistence()
    assert_stored_nowhere(world, "too many pills")


async def test_harm_already_done_in_indonesian(world: BotWorld) -> None:
    rani = world.person(507, "Rani", "id")

    [reply] = await rani.send("aku udah minum obat sebotol sekaligus")

    assert "IGD rumah sakit terdekat" in reply.text
    assert reply.text.index("119") < reply.text.index("112")


async def test_danger_from_someone_gets_the_police_and_sapa_first(world: BotWorld) -> None:
    dina = await a_member_with_a_plan(world, 508, "Dina Hujan")

    [reply] = await dina.send("my husband is beating me")

    assert "Your safety plan" not in reply.text
    police = reply.text.index("110 for the police")
    assert police < reply.text.index("112") < reply.text.index("SAPA 129")
    assert "WhatsApp +62 8111-129-129" in reply.text  # international: Telegram links it
    assert len(reply.text) <= FIRST_MESSAGE_MAX
    assert list(url_buttons(dina).values()) == [SAPA_WHATSAPP]
    # "More contacts" keeps the kind: the expanded reply still leads with the police.
    await dina.press("More contacts")
    assert dina.last.text.index("110 for the police") < dina.last.text.index("Hours:")


async def test_thoughts_of_suicide_show_the_persons_plan_first(world: BotWorld) -> None:
    lina = await a_member_with_a_plan(world, 509, "Lina Laut")

    replies = await lina.send("aku pengen mati aja")

    assert len(replies) == 2
    assert replies[0].text.startswith("📝 Your safety plan") and "Not sleeping" in replies[0].text
    assert replies[1].text.startswith(OPENING) and "119 ext. 8" in replies[1].text
    assert len(replies[1].text) <= FIRST_MESSAGE_MAX


async def test_need_help_now_works_mid_flow_and_records_the_button(world: BotWorld) -> None:
    tari = await a_member(world, 510, "Tari Bintang")
    await tari.send("/menu")
    await tari.send("/alias")
    await tari.press("Choose my own")
    await tari.press_data(*tari.button("Need help now"))
    assert tari.last.text.startswith(OPENING)
    await tari.send("Tari Bulan")
    assert rows(world, "SELECT alias FROM members") == [("Tari Bulan",)]
    assert rows(world, "SELECT source FROM crisis_events") == [("button",)]


async def test_someone_under_18_gets_a_short_answer_of_their_own(world: BotWorld) -> None:
    for user_id, language, labels in (
        (511, "en", ("English", "Continue", "No, I'm under 18")),
        (512, "id", ("Bahasa Indonesia", "Lanjut", "di bawah 18")),
    ):
        person = world.person(user_id, "Adik", language)
        await person.send("/start")
        for label in labels:
            await person.press(label)
        text = person.last.text
        assert len(text) <= 650, (language, len(text))  # the adults' reply was 2,500
        assert "fasilitator" not in text.lower() and "facilitator" not in text.lower()
        for number in ("112", "119", "110", "119 ext. 8", "129", "+62 8111-129-129"):
            assert number in text, (language, number)
        assert list(url_buttons(person).values()) == [SAPA_WHATSAPP]

    en = world.emulator.bot_messages(511)[-1].text
    assert "Rangkul's groups are for adults" in en and "haven't stored anything" in en
    await world.app.update_persistence()
    for table in ("members", "consents", "ptb_user_data", "ptb_conversations", "crisis_events"):
        assert rows(world, f"SELECT * FROM {table}") == [], table
