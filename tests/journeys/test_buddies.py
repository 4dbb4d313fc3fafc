"""Peer buddies (/buddy): two members who asked are paired at the weekly round and told in
their own language; the weekly peer check-in; messages both ways under aliases only; contact
details held back; crisis words never reach the buddy; ending by one side, after four weeks,
or by leaving the group or /forget (the other told kindly, without reasons); continuing when
both choose to; double taps; a 429 on a relayed message still delivers it once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.buddies import PERIOD, PROMPT_AFTER
from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers import rows
from tests.journeys.helpers.buddies import FIRST_ROUND, ask_for_a_buddy, pair_at_round
from tests.journeys.helpers.checkin import toasts
from tests.journeys.helpers.crisis import assert_stored_nowhere
from tests.journeys.helpers.meetings import a_facilitator, a_group, a_person, member_id, services

AYU, BUDI, CICI = 401, 402, 403
CRISIS_REPLY = "You don't have to go through this alone"
KIND_WORDS = "Semangat ya, minggu ini pasti bisa!"


def from_buddy(person: Person) -> list[str]:
    return [text for text in person.texts if "From your buddy" in text]


def told_ended(person: Person) -> list[str]:
    return [text for text in person.texts if "Your buddy pairing" in text or "are over" in text]


async def two_buddies(world: BotWorld) -> tuple[int, Person, Person]:
    """Ayu and Budi of one group, both asked for a buddy, paired at the first round."""
    group = await a_group(world)
    people = []
    for user_id, alias in ((AYU, "Ayu Kenari"), (BUDI, "Budi Pelangi")):
        person = await a_person(world, user_id, alias)
        await services(world).groups.add_member(
            group, await member_id(world, person), world.clock.now()
        )
        await ask_for_a_buddy(person)
        people.append(person)
    await pair_at_round(world)
    return group, people[0], people[1]


async def write(person: Person, text: str, button: str = "Write to") -> None:
    await person.press(button)
    await person.send(text)
    await person.press("Send")


async def test_two_members_are_paired_at_the_round_each_told_in_their_own_language(
    world: BotWorld,
) -> None:
    group = await a_group(world)
    ayu = await a_person(world, AYU, "Ayu Kenari")
    budi = await a_person(world, BUDI, "Budi Pelangi")
    for person in (ayu, budi):
        await services(world).groups.add_member(
            group, await member_id(world, person), world.clock.now()
        )
    await ayu.send("/buddy")
    assert "not a counsellor and not a crisis line" in ayu.last.text
    assert ayu.buttons() == ["🤝 Find me a buddy"]
    await ayu.press("Find me a buddy")
    await ayu.press("Stop looking")  # she changes her mind, twice
    assert ayu.buttons() == ["🤝 Find me a buddy"]
    await ayu.press("Find me a buddy")
    await ask_for_a_buddy(budi)
    await budi.send("/language")
    await budi.press("Bahasa Indonesia")

    await world.tick()  # before the round nobody is paired
    assert rows(world, "SELECT count(*) FROM buddy_pairings") == [(0,)]
    await pair_at_round(world)

    [(a, b)] = rows(world, "SELECT member_a, member_b FROM buddy_pairings")
    assert {a, b} == {await member_id(world, ayu), await member_id(world, budi)}
    [to_ayu] = [text for text in ayu.texts if "Your buddy this month" in text]
    assert "Your buddy this month is Budi Pelangi" in to_ayu
    [to_budi] = [text for text in budi.texts if "Buddy-mu bulan ini" in text]
    assert "Ayu Kenari" in to_budi
    assert budi.buttons() == ["✍️ Tulis ke Ayu Kenari"]
    await world.tick()  # a later pass pairs nobody twice and announces nothing again
    assert rows(world, "SELECT count(*) FROM buddy_pairings") == [(1,)]
    assert len([t for t in ayu.texts if "Your buddy this month" in t]) == 1

    await ayu.send("/buddy")
    assert "your buddy is Budi Pelangi" in ayu.last.text
    assert ayu.buttons() == ["✍️ Write to Budi Pelangi", "End pairing", "Report"]


async def test_with_three_people_one_waits_for_the_next_round(world: BotWorld) -> None:
    group, _, _ = await two_buddies(world)
    cici = await a_person(world, CICI, "Cici Merpati")
    await services(world).groups.add_member(group, await member_id(world, cici), world.clock.now())
    await ask_for_a_buddy(cici)
    await pair_at_round(world, FIRST_ROUND + timedelta(days=2))
    assert rows(world, "SELECT count(*) FROM buddy_pairings") == [(1,)]
    await cici.send("/buddy")
    assert "you're looking for a buddy" in cici.last.text


async def test_the_weekly_prompt_and_messages_both_ways(world: BotWorld) -> None:
    _, ayu, budi = await two_buddies(world)

    world.clock.advance(FIRST_ROUND + PROMPT_AFTER - world.clock.now())
    await world.tick()
    await world.tick()
    for person, other in ((ayu, "Budi Pelangi"), (budi, "Ayu Kenari")):
        [prompt] = [text for text in person.texts if "words of encouragement?" in text]
        assert f"Send {other} a few words of encouragement?" in prompt
    await world.tick()
    assert len([text for text in ayu.texts if "words of encouragement?" in text]) == 1

    await ayu.press("Write to")
    await ayu.send(KIND_WORDS + " <3 & cheers")
    assert "This is what Budi Pelangi will read" in ayu.last.text
    assert ayu.buttons() == ["📨 Send", "Cancel"]
    send = ayu.button("Send")
    await ayu.press("Send")
    assert "Sent to Budi Pelangi" in ayu.last.text
    await ayu.press_data(*send)  # a double tap sends nothing more
    assert toasts(world)[-1] == "This has already been taken care of."
    await world.tick()
    [received] = from_buddy(budi)
    assert "From your buddy Ayu Kenari" in received and KIND_WORDS + " <3 & cheers" in received
    assert budi.buttons() == ["↩️ Reply", "Report"]
    [(message_id,)] = rows(world, "SELECT id FROM buddy_messages")
    assert budi.button("Report")[1] == f"mo:msg:{message_id}"

    await write(budi, "Makasih Ayu, kamu juga ya", "Reply")
    await world.tick()
    [back] = from_buddy(ayu)
    assert "From your buddy Budi Pelangi" in back and "kamu juga" in back
    assert len(rows(world, "SELECT * FROM buddy_messages")) == 2
    # Aliases only: no first name, no Telegram id crossed over.
    for text in budi.texts:
        assert str(AYU) not in text
    for text in ayu.texts:
        assert str(BUDI) not in text


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("wa aku aja ya di 0812-3456-7890", "a phone number"),
        ("follow aku @ayu_kenari", "a username"),
        ("baca ini deh https://example.com/tips", "a link"),
        ("email aku ayu@example.com", "an e-mail address"),
    ],
)
async def test_contact_details_are_held_back_kindly(world: BotWorld, text: str, what: str) -> None:
    _, ayu, budi = await two_buddies(world)
    await ayu.press("Write to")
    await ayu.send(text)
    assert "I've held this message back" in ayu.last.text and what in ayu.last.text
    await world.tick()
    assert from_buddy(budi) == [] and rows(world, "SELECT * FROM buddy_messages") == []

    await ayu.send("Ketemu di pertemuan jam 19.00 ya, 3-4 orang datang")  # still at the step
    await ayu.press("Send")
    assert "Sent to Budi Pelangi" in ayu.last.text
    await world.tick()
    assert len(from_buddy(budi)) == 1


async def test_a_message_over_1000_characters_or_not_text_is_refused_kindly(
    world: BotWorld,
) -> None:
    _, ayu, _ = await two_buddies(world)
    await ayu.press("Write to")
    await ayu.send("a" * 1001)
    assert "That's 1001 characters" in ayu.last.text
    await ayu.send_sticker()
    assert "I can only pass on text" in ayu.last.text
    await ayu.send("a" * 1000)
    await ayu.press("Send")
    assert "Sent to Budi Pelangi" in ayu.last.text


async def test_crisis_words_reach_the_crisis_reply_and_never_the_buddy(world: BotWorld) -> None:
    group, ayu, budi = await two_buddies(world)
    await a_facilitator(world, group)
    await ayu.press("Write to")
    budi_had = len(budi.texts)

    replies = await ayu.send("aku pengen mati aja rasanya")

    assert CRISIS_REPLY in replies[0].text
    offers = [b["text"] for row in replies[0].reply_markup["inline_keyboard"] for b in row]
    assert "Let my facilitator know" in " ".join(offers)  # the facilitator path, with consent
    assert "I haven't sent this message to your buddy" in replies[-1].text
    await world.tick()
    assert len(budi.texts) == budi_had
    assert rows(world, "SELECT * FROM buddy_messages") == []
    await world.app.update_persistence()
    assert_stored_nowhere(world, "pengen mati")
    await ayu.send("Semangat!")  # the flow ended: this is not relayed
    await world.tick()
    assert from_buddy(budi) == []


async def test_text_typed_later_for_something_else_only_becomes_a_preview(
    world: BotWorld,
) -> None:
    _, ayu, budi = await two_buddies(world)
    await ayu.press("Write to")
    await ayu.send("/mygroups")  # she does something else in between
    await ayu.send("Catatan pribadi untuk diriku sendiri")
    assert ayu.buttons() == ["📨 Send", "Cancel"]
    await ayu.press("Cancel")
    assert "I haven't sent it" in ayu.last.text
    await world.tick()
    assert from_buddy(budi) == [] and rows(world, "SELECT * FROM buddy_messages") == []


async def test_distress_is_relayed_and_the_sender_also_gets_the_warm_reply(
    world: BotWorld,
) -> None:
    _, ayu, budi = await two_buddies(world)
    await ayu.press("Write to")
    replies = await ayu.send("minggu ini aku sedih banget dan capek, tapi aku coba bertahan")
    assert len(replies) == 2  # the warm distress reply, then the preview
    assert "This is what Budi Pelangi will read" in replies[-1].text
    await ayu.press("Send")
    await world.tick()
    assert len(from_buddy(budi)) == 1


async def test_one_side_ends_it_and_the_other_is_told_kindly_without_reasons(
    world: BotWorld,
) -> None:
    _, ayu, budi = await two_buddies(world)
    await ayu.send("/buddy")
    await ayu.press("End pairing")
    assert "told kindly that it has ended, without any reason" in ayu.last.text
    confirm = ayu.button("Yes, end it")
    await ayu.press("Yes, end it")
    assert "Your pairing with Budi Pelangi has ended" in ayu.last.text
    await ayu.press_data(*confirm)  # a double tap
    assert toasts(world)[-1] == "This pairing has already ended."

    await world.tick()
    [told] = told_ended(budi)
    assert "Your buddy pairing with Ayu Kenari has ended" in told
    assert told_ended(ayu) == []  # she saw it on screen
    # Budi's old buttons no longer reach Ayu.
    await budi.press("Write to")
    assert toasts(world)[-1] == "This pairing has already ended."
    # Neither is paired with the other again, even when they are the only two.
    await pair_at_round(world, FIRST_ROUND + timedelta(weeks=1))
    assert rows(world, "SELECT count(*) FROM buddy_pairings") == [(1,)]


async def test_after_four_weeks_it_ends_unless_both_continue(world: BotWorld) -> None:
    _, ayu, budi = await two_buddies(world)
    last_week = FIRST_ROUND + PERIOD - timedelta(days=6)
    world.clock.advance(last_week - world.clock.now())
    await ayu.send("/buddy")
    await ayu.press("Continue 4 more weeks")
    assert "You chose to continue" in ayu.last.text
    await ayu.press_data(*ayu.button("Write to"))  # (opens a message; cancelled below)
    await ayu.send("/cancel")
    await budi.send("/buddy")
    await budi.press("Continue 4 more weeks")
    assert "both chose to continue" in budi.last.text
    await world.tick()
    assert len([text for text in ayu.texts if "both chose to continue" in text]) == 1

    await pair_at_round(world, FIRST_ROUND + PERIOD)
    assert rows(world, "SELECT ended_at FROM buddy_pairings") == [(None,)]
    await pair_at_round(world, FIRST_ROUND + 2 * PERIOD)
    assert rows(world, "SELECT ended_reason FROM buddy_pairings") == [("expired",)]
    for person, other in ((ayu, "Budi Pelangi"), (budi, "Ayu Kenari")):
        [told] = told_ended(person)
        assert f"Your four weeks as buddies with {other} are over" in told
    # Not straight back together (not both chose to); a later round may pair them again.
    await pair_at_round(world, FIRST_ROUND + 2 * PERIOD + timedelta(weeks=1))
    assert rows(world, "SELECT count(*) FROM buddy_pairings WHERE ended_at IS NULL") == [(1,)]


async def test_continuing_is_only_for_the_last_week(world: BotWorld) -> None:
    _, ayu, _ = await two_buddies(world)
    await ayu.send("/buddy")
    assert "Continue 4 more weeks" not in ayu.buttons()
    [(pairing_id,)] = rows(world, "SELECT id FROM buddy_pairings")
    await ayu.press_data(ayu.last.message_id, f"bd:more:{pairing_id}")
    assert toasts(world)[-1] == "You can choose to continue in the last week of a pairing."


async def test_leaving_the_group_ends_the_pairing(world: BotWorld) -> None:
    _, ayu, budi = await two_buddies(world)
    await budi.send("/mygroups")
    await budi.press("Leave")
    await budi.press("Yes, leave")
    await world.tick()
    [told] = told_ended(ayu)
    assert "Your buddy pairing with Budi Pelangi has ended" in told
    assert told_ended(budi) == []
    assert rows(world, "SELECT ended_reason FROM buddy_pairings") == [("left_group",)]
    budi_id = await member_id(world, budi)
    assert rows(world, "SELECT * FROM buddy_optins WHERE member_id = ?", budi_id) == []


async def test_forget_ends_the_pairing_and_the_other_is_told(world: BotWorld) -> None:
    _, ayu, budi = await two_buddies(world)
    await write(budi, "Semangat Ayu!")
    await budi.send("/forget")
    await budi.press("Yes")
    assert rows(world, "SELECT count(*) FROM buddy_pairings") == [(0,)]
    await world.tick()
    [told] = told_ended(ayu)
    assert "Your buddy pairing in Teman Cerita Makassar has ended" in told
    assert from_buddy(ayu) == []  # her message went with her data


async def test_a_429_on_the_relayed_message_still_delivers_it_once(world: BotWorld) -> None:
    _, ayu, budi = await two_buddies(world)
    await ayu.press("Write to")
    await ayu.send(KIND_WORDS)
    world.emulator.faults.fail_next("429", method="sendMessage", chat_id=BUDI, retry_after=30)
    await ayu.press("Send")
    await world.tick()
    assert from_buddy(budi) == []
    assert [fault.kind for fault in world.emulator.faults.served] == ["429"]
    for _ in range(3):
        world.clock.advance(timedelta(minutes=1))
        await world.tick()
    assert len(from_buddy(budi)) == 1


async def test_a_second_press_of_write_only_says_go_ahead(world: BotWorld) -> None:
    _, ayu, budi = await two_buddies(world)
    button = ayu.button("Write to")
    await ayu.press_data(*button)
    await ayu.press_data(*button)
    assert toasts(world)[-1] == "Go ahead: type your message to Budi Pelangi below."
    await ayu.send(KIND_WORDS)
    await ayu.press("Send")
    await world.tick()
    assert len(from_buddy(budi)) == 1
