"""/poll_time in a linked group chat (issue 14): the facilitator chooses where to ask; in the
chat the poll is a native, anonymous Telegram poll posted through the outbox (once, whatever
Telegram's passing failures), whose counts arrive as poll updates and are shown apart from the
private answers; ending the poll stops it in the chat, unless the chat is no longer linked."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers import rows
from tests.journeys.helpers.group_chats import (
    CHAT,
    a_chat,
    a_group_and_its_facilitator,
    link_chat,
)
from tests.journeys.helpers.meetings import a_group, a_person, member_id, plain, services

WHERE = "Where should I ask"
IN_CHAT = "In the group chat"


async def a_linked_group_with_members(world: BotWorld) -> tuple[Person, list[Person]]:
    """The facilitator of a group with a linked chat, and two members who are in the chat."""
    group_id, fasil = await a_group_and_its_facilitator(world)
    a_chat(world, admins=(fasil.user_id,))
    await link_chat(world, fasil)
    people = []
    for user_id, alias in ((320, "Melati Pagi"), (321, "Kenanga Biru")):
        person = await a_person(world, user_id, alias)
        await services(world).groups.add_member(
            group_id, await member_id(world, person), world.clock.now()
        )
        world.emulator.set_member(CHAT, user_id, "member")
        people.append(person)
    return fasil, people


async def propose_two_times(fasil: Person) -> None:
    await fasil.send("/poll_time")
    await fasil.press("Thu 3 Dec")
    await fasil.press("19:30")
    await fasil.send("2026-12-05 10:00")
    await fasil.press("Send the poll")


def chat_polls(world: BotWorld) -> list[dict]:
    return [e.poll for e in world.emulator.bot_messages(CHAT) if e.kind == "poll"]


async def vote(world: BotWorld, person: Person, poll: dict, options: list[int]) -> None:
    await world.deliver(world.emulator.user_answers_poll(person.user_id, poll["id"], options))


async def test_the_poll_is_posted_once_in_the_chat_anonymously_and_its_counts_are_shown(
    world: BotWorld,
) -> None:
    fasil, (melati, kenanga) = await a_linked_group_with_members(world)
    await propose_two_times(fasil)
    assert WHERE in fasil.last.text
    choice = fasil.button(IN_CHAT)
    await fasil.press_data(*choice)
    await fasil.press_data(*choice)  # a double tap
    assert "group chat" in fasil.last.text
    await world.tick()
    await world.tick()
    [poll] = chat_polls(world)
    assert poll["is_anonymous"] is True and poll["allows_multiple_answers"] is True
    # In the group's first language and timezone.
    assert "Teman Cerita Makassar" in poll["question"] and "Waktu mana" in poll["question"]
    assert [plain(o["text"]) for o in poll["options"]] == [
        "Kam 3 Des, 19.30 WITA",
        "Sab 5 Des, 10.00 WITA",
    ]
    # Nobody was asked privately.
    assert all(p.last.kind != "poll" for p in (melati, kenanga))

    await vote(world, melati, poll, [0])
    await vote(world, kenanga, poll, [0, 1])
    await fasil.send("/poll_time")
    results = plain(fasil.last.text)
    assert "Voted in the group chat (anonymously): 2" in results
    assert "answered so far" not in results  # nobody was asked privately
    assert "Thursday, December 3, 2026, 7:30 PM WITA: 2" in results
    assert "Saturday, December 5, 2026, 10:00 AM WITA: 1" in results
    assert "Melati" not in results and "Kenanga" not in results
    # No voter identity is stored, only the counts.
    [(counts, voters)] = rows(world, "SELECT counts, voters FROM time_poll_chats")
    assert (counts, voters) == ("[2, 1]", 2)

    end = fasil.button("End the poll")
    await fasil.press_data(*end)
    await fasil.press_data(*end)
    [poll] = chat_polls(world)
    assert poll["is_closed"] is True
    assert "ended" in fasil.last.text
    await fasil.send("/poll_time")
    assert "End the poll" not in str(fasil.last.reply_markup)
    assert "Voted in the group chat (anonymously): 2" in plain(fasil.last.text)


async def test_both_asks_privately_and_in_the_chat_and_counts_each_apart(world: BotWorld) -> None:
    fasil, (melati, kenanga) = await a_linked_group_with_members(world)
    await propose_two_times(fasil)
    await fasil.press("Both")
    await world.tick()
    [poll] = chat_polls(world)
    private = melati.last.poll
    assert private["is_anonymous"] is False and kenanga.last.kind == "poll"
    await vote(world, melati, private, [1])
    await vote(world, melati, poll, [1])
    await fasil.send("/poll_time")
    results = plain(fasil.last.text)
    assert "1 member answered so far." in results
    assert "Voted in the group chat (anonymously): 1" in results
    assert "counted apart from the private answers" in results


@pytest.mark.parametrize("fault", ["5xx", "429", "timeout"])
async def test_a_passing_failure_of_the_first_try_neither_loses_nor_doubles_the_poll(
    world: BotWorld, fault: str
) -> None:
    fasil, (melati, _) = await a_linked_group_with_members(world)
    await propose_two_times(fasil)
    world.emulator.faults.fail_next(fault, method="sendPoll", chat_id=CHAT, retry_after=5)
    await fasil.press(IN_CHAT)
    await world.tick()
    assert chat_polls(world) == []
    assert [f.kind for f in world.emulator.faults.served] == [fault]
    for _ in range(3):
        world.clock.advance(timedelta(minutes=1))
        await world.tick()
    [poll] = chat_polls(world)
    await vote(world, melati, poll, [1])
    assert rows(world, "SELECT counts FROM time_poll_chats") == [("[0, 1]",)]


async def test_a_facilitator_of_another_group_cannot_target_the_chat(world: BotWorld) -> None:
    fasil, _ = await a_linked_group_with_members(world)
    await propose_two_times(fasil)
    await fasil.press(IN_CHAT)
    await world.tick()
    [asked] = chat_polls(world)
    other_group = await a_group(world, name="Lingkar Pagi")
    tom = await a_person(world, 330, "Tom Laut")
    await services(world).groups.add_facilitator(
        other_group, await member_id(world, tom), world.clock.now()
    )
    await propose_two_times(tom)
    assert WHERE not in tom.last.text  # his group has no chat: asked privately, as before
    await tom.send("/poll_time")
    await tom.press("Propose new times")
    await tom.press("Thu 3 Dec")
    await tom.press("19:30")
    await tom.send("2026-12-05 10:00")
    await tom.press_data(tom.last.message_id, "tp:to:c")  # a forged "in the group chat"
    await world.tick()
    assert chat_polls(world) == [asked]
    assert rows(world, "SELECT chat_id FROM time_poll_chats") == [(CHAT,)]
    # Nor end the poll asked there, with a forged button (out of his own flow).
    await tom.send("/cancel")
    [(poll_id,)] = rows(world, "SELECT poll_id FROM time_poll_chats")
    await tom.press_data(tom.last.message_id, f"tp:end:{poll_id}")
    answers = list(world.emulator.callback_answers.values())
    assert "only this group's facilitators" in answers[-1]["text"]
    assert chat_polls(world)[0]["is_closed"] is False
    assert rows(world, "SELECT closed_at FROM time_polls WHERE id = ?", poll_id) == [(None,)]


async def test_after_unlinking_the_results_stay_and_ending_leaves_the_chat_alone(
    world: BotWorld,
) -> None:
    fasil, (melati, _) = await a_linked_group_with_members(world)
    await propose_two_times(fasil)
    await fasil.press(IN_CHAT)
    await world.tick()
    [poll] = chat_polls(world)
    await vote(world, melati, poll, [0])
    await fasil.send_in_group(CHAT, "/unlink")
    await fasil.send("/poll_time")
    assert "Voted in the group chat (anonymously): 1" in plain(fasil.last.text)
    await fasil.press("End the poll")
    assert "ended" in fasil.last.text
    [poll] = chat_polls(world)
    assert poll["is_closed"] is False  # stopPoll was not even tried in a chat not linked


async def test_a_chat_poll_that_cannot_be_stopped_still_ends(world: BotWorld) -> None:
    fasil, _ = await a_linked_group_with_members(world)
    await propose_two_times(fasil)
    await fasil.press(IN_CHAT)
    await world.tick()
    world.emulator.faults.fail_next("403", method="stopPoll", chat_id=CHAT)
    await fasil.send("/poll_time")
    await fasil.press("End the poll")
    assert "ended" in fasil.last.text
    assert rows(world, "SELECT closed_at IS NOT NULL FROM time_polls") == [(1,)]


async def test_poll_time_typed_in_the_chat_says_where_a_chat_poll_is_set_up(
    world: BotWorld,
) -> None:
    fasil, _people = await a_linked_group_with_members(world)
    sent = await fasil.send_in_group(CHAT, "/poll_time")
    [reply] = sent  # in the chat only: nothing private, no poll
    assert reply.chat_id == CHAT and reply.kind == "text"
    assert "/poll_time" in reply.text and IN_CHAT in reply.text and "anonymous" in reply.text
    assert chat_polls(world) == []
