"""Anonymous questions (/ask): a question reaches the group's facilitators with only the group
and a ticket, the first answer comes back from "a facilitator of <group>", and nobody's
identity crosses over in any message. Limits (5 open, 2,000 characters, text only), crisis
words on either side, and double taps."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.domain.meetings import NewMeeting
from bot.services import meetings as meeting_service
from bot.services import questions as question_service
from bot.services import seats
from bot.ui.questions import SendQuestion
from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers import rows
from tests.journeys.helpers.checkin import toasts
from tests.journeys.helpers.crisis import assert_stored_nowhere
from tests.journeys.helpers.meetings import (
    FIRST_MEETING,
    a_group,
    a_person,
    advance_to,
    member_id,
    services,
)
from tests.journeys.helpers.onboarding import onboard_in_english

LINA = 918273645  # the asker: first name "Linawati", alias "Lina Laut"
FASIL, DUA = 301, 302  # facilitators "Fasil Sari" and "Dua Bulan"
CRISIS_REPLY = "You don't have to go through this alone"
QUESTION = "Is it okay to come to the meeting if I don't want to talk at all?"
ANSWER = "Yes, absolutely. Listening is a way of taking part too."


async def a_group_with_two_facilitators(world: BotWorld) -> tuple[int, Person, Person, Person]:
    group = await a_group(world)
    s = services(world)
    facilitators = []
    for user_id, alias in ((FASIL, "Fasil Sari"), (DUA, "Dua Bulan")):
        person = await a_person(world, user_id, alias)
        await s.groups.add_facilitator(group, await member_id(world, person), world.clock.now())
        facilitators.append(person)
    lina = world.person(LINA, "Linawati", "en")
    await onboard_in_english(lina, alias="Lina Laut")
    assert await s.groups.add_member(group, await member_id(world, lina), world.clock.now())
    return group, lina, facilitators[0], facilitators[1]


async def ask(person: Person, text: str = QUESTION) -> str:
    """Asks through the whole flow; returns the ticket ("#1234") the bot gave."""
    await person.send("/ask")
    await person.send(text)
    await person.press("Send")
    found = re.search(r"#\d{4}", person.last.text)
    assert found, person.last.text
    return found.group()


def questions_received(person: Person) -> list[str]:
    return [text for text in person.texts if "Anonymous question" in text]


def answers_received(person: Person) -> list[str]:
    return [text for text in person.texts if "answered your question" in text]


async def test_a_question_and_its_answer_round_trip_without_identity(world: BotWorld) -> None:
    _, lina, fasil, dua = await a_group_with_two_facilitators(world)

    await lina.send("/ask")
    assert "without your alias or your Telegram account" in lina.last.text
    assert "Teman Cerita Makassar" in lina.last.text  # one group: straight to the question
    await lina.send(QUESTION)
    assert QUESTION in lina.last.text and lina.buttons() == ["📨 Send", "Cancel"]
    await lina.press("Send")
    ticket = re.search(r"#\d{4}", lina.last.text).group()
    assert "Sent to the facilitators of" in lina.last.text

    await world.tick()
    for facilitator in (fasil, dua):
        [received] = questions_received(facilitator)
        assert ticket in received and "Teman Cerita Makassar" in received and QUESTION in received
        assert facilitator.buttons() == ["✍️ Answer"]

    await fasil.press("Answer")
    assert f"Write your answer to question {ticket}" in fasil.last.text
    await fasil.send(ANSWER)
    await fasil.press("Send answer")
    assert f"Your answer to question {ticket} is on its way" in fasil.last.text
    await world.tick()

    [answer] = answers_received(lina)
    assert f"A facilitator of Teman Cerita Makassar answered your question {ticket}" in answer
    assert QUESTION in answer and ANSWER in answer
    # No identity crossed over, in any message either side received.
    for facilitator in (fasil, dua):
        for text in facilitator.texts:
            for leak in ("Lina Laut", "Linawati", str(LINA)):
                assert leak not in text, (leak, text)
    for text in lina.texts:
        for leak in ("Fasil Sari", "Dua Bulan", "Fasil", str(FASIL), str(DUA)):
            assert leak not in text, (leak, text)
    # Stored until retention: the question, its answer, who asked (never shown).
    assert rows(world, "SELECT question, answer FROM questions") == [(QUESTION, ANSWER)]


async def test_the_first_answer_wins_and_the_other_facilitator_sees_it_answered(
    world: BotWorld,
) -> None:
    _, lina, fasil, dua = await a_group_with_two_facilitators(world)
    ticket = await ask(lina)
    await world.tick()

    await dua.press("Answer")
    await dua.send("Dua's answer, a little slower")  # at the preview when Fasil answers
    await fasil.press("Answer")
    await fasil.send(ANSWER)
    await fasil.press("Send answer")

    await dua.press("Send answer")
    assert toasts(world)[-1] == f"Question {ticket} has already been answered by a facilitator."
    assert "answered by another facilitator in the meantime" in dua.last.text
    assert dua.buttons() == []

    # Dua's copy of the question: pressing Answer now only marks it answered.
    message_id, data = dua.button("Answer")
    await dua.press_data(message_id, data)
    assert toasts(world)[-1] == f"Question {ticket} has already been answered by a facilitator."
    [copy] = [e for e in world.emulator.bot_messages(DUA) if e.message_id == message_id]
    assert "A facilitator has answered this question" in copy.text and not copy.reply_markup

    await world.tick()
    [answer] = answers_received(lina)
    assert ANSWER in answer and "slower" not in answer


async def test_copies_not_yet_delivered_are_dropped_once_answered(world: BotWorld) -> None:
    _, lina, fasil, dua = await a_group_with_two_facilitators(world)
    await ask(lina)
    s = services(world)
    [(question_id,)] = rows(world, "SELECT id FROM questions")
    answerer = await s.members.by_telegram_id(FASIL)
    # Answered (say, from an earlier copy) before the outbox delivered anything.
    await question_service.answer(
        s.questions, s.roles, s.outbox, s.clock, answerer, question_id, ANSWER
    )

    await world.tick()
    assert questions_received(fasil) == [] and questions_received(dua) == []
    assert len(answers_received(lina)) == 1


async def test_the_sixth_open_question_is_refused_kindly(world: BotWorld) -> None:
    _, lina, fasil, _ = await a_group_with_two_facilitators(world)
    tickets = [await ask(lina, f"Question number {n}") for n in range(5)]
    assert len(set(tickets)) == 5

    await lina.send("/ask")
    assert "You have 5 questions waiting for an answer" in lina.last.text
    assert lina.buttons() == []

    # One is answered: there is room again.
    await world.tick()
    await fasil.press("Answer")
    await fasil.send(ANSWER)
    await fasil.press("Send answer")
    await lina.send("/ask")
    assert "Write your question" in lina.last.text


async def test_a_question_over_2000_characters_is_refused_kindly(world: BotWorld) -> None:
    _, lina, _, _ = await a_group_with_two_facilitators(world)
    await lina.send("/ask")

    await lina.send("a" * 2001)
    assert "That's 2001 characters" in lina.last.text and "2000" in lina.last.text
    assert rows(world, "SELECT * FROM questions") == []

    await lina.send("a" * 2000)
    assert lina.buttons() == ["📨 Send", "Cancel"]


async def test_crisis_words_in_a_question_get_the_crisis_reply_and_nothing_is_sent(
    world: BotWorld,
) -> None:
    _, lina, fasil, dua = await a_group_with_two_facilitators(world)
    await lina.send("/ask")

    replies = await lina.send("aku pengen mati aja, gimana ya")

    assert CRISIS_REPLY in replies[0].text
    offers = [b["text"] for row in replies[0].reply_markup["inline_keyboard"] for b in row]
    assert "Let my facilitator know" in " ".join(offers)  # the way to a person, with consent
    assert "I haven't sent your question" in replies[-1].text
    await world.tick()
    assert questions_received(fasil) == [] and questions_received(dua) == []
    await world.app.update_persistence()
    assert_stored_nowhere(world, "pengen mati")
    assert rows(world, "SELECT source FROM crisis_events") == [("detected",)]
    # The flow ended: the next message is not taken as a question.
    await lina.send("Is the meeting on Thursday?")
    assert "📨 Send" not in lina.buttons()


async def test_crisis_words_in_an_answer_are_held_and_other_words_go(world: BotWorld) -> None:
    _, lina, fasil, _ = await a_group_with_two_facilitators(world)
    await ask(lina)
    await world.tick()
    await fasil.press("Answer")

    replies = await fasil.send("I also wanted to end it all once")

    assert CRISIS_REPLY in replies[0].text
    assert "I haven't sent that message" in replies[-1].text
    await fasil.send(ANSWER)  # the step stayed open
    await fasil.press("Send answer")
    await world.tick()
    [answer] = answers_received(lina)
    assert ANSWER in answer and "end it all" not in answer
    await world.app.update_persistence()
    assert_stored_nowhere(world, "end it all")


async def test_a_sticker_gets_a_hint_and_an_edit_changes_nothing(world: BotWorld) -> None:
    _, lina, fasil, _ = await a_group_with_two_facilitators(world)
    await lina.send("/ask")

    await lina.send_sticker()
    assert "I can only pass on text" in lina.last.text
    assert "Write your question" in lina.last.text

    await lina.send(QUESTION)
    await lina.edit(lina.last_sent_id, "Something else entirely")
    assert "that edit didn't change anything" in lina.last.text
    await lina.press("Send")
    await world.tick()
    [received] = questions_received(fasil)
    assert QUESTION in received and "Something else" not in received


async def test_double_taps_change_nothing(world: BotWorld) -> None:
    _, lina, fasil, dua = await a_group_with_two_facilitators(world)
    await lina.send("/ask")
    await lina.send(QUESTION)
    message_id, data = lina.button("Send")
    await lina.press_data(message_id, data)
    await lina.press_data(message_id, data)
    assert toasts(world)[-1] == "This has already been taken care of."
    assert len(rows(world, "SELECT * FROM questions")) == 1
    assert SendQuestion.parse(data) is not None

    await world.tick()
    await world.tick()
    assert len(questions_received(fasil)) == 1 and len(questions_received(dua)) == 1
    answer_id, answer_data = fasil.button("Answer")
    await fasil.press_data(answer_id, answer_data)
    await fasil.press_data(answer_id, answer_data)
    assert "You're writing the answer" in toasts(world)[-1]
    assert len([t for t in fasil.texts if "Write your answer" in t]) == 1
    await fasil.send(ANSWER)
    send_id, send_data = fasil.button("Send answer")
    await fasil.press_data(send_id, send_data)
    await fasil.press_data(send_id, send_data)
    assert toasts(world)[-1] == "This has already been taken care of."

    await world.tick()
    await world.tick()
    assert len(answers_received(lina)) == 1


async def test_a_trial_participant_may_ask_until_their_trial_meeting_has_passed(
    world: BotWorld,
) -> None:
    group, _, fasil, _ = await a_group_with_two_facilitators(world)
    s = services(world)
    meeting = NewMeeting(
        group_id=group,
        first_starts_at=FIRST_MEETING,
        duration_minutes=90,
        recurrence="once",
        place="Community hall",
        join_link=None,
        capacity=8,
    )
    [first, *_] = await meeting_service.schedule(
        s.meetings, s.groups, s.outbox, s.clock, meeting, await member_id(world, fasil)
    )
    guest = await a_person(world, 401, "Tamu Pagi")
    tamu = await s.members.by_telegram_id(401)
    await seats.sign_up_for_trial(s.meetings, s.groups, s.outbox, s.clock, tamu, first.id)

    await ask(guest)
    await world.tick()
    assert len(questions_received(fasil)) == 1

    await advance_to(world, FIRST_MEETING + timedelta(minutes=91))
    await guest.send("/ask")
    assert "no such group with a facilitator" in guest.last.text


async def test_someone_in_no_group_is_told_where_questions_go(world: BotWorld) -> None:
    loner = await a_person(world, 501, "Sendiri Saja")
    await loner.send("/ask")
    assert "Questions go to the facilitators of a group you are in" in loner.last.text


async def test_forget_deletes_the_question_and_the_copies_not_yet_sent(world: BotWorld) -> None:
    _, lina, fasil, _ = await a_group_with_two_facilitators(world)
    await ask(lina)
    await lina.send("/forget")
    await lina.press("Yes")
    assert rows(world, "SELECT * FROM questions") == []
    assert rows(world, "SELECT * FROM outbox WHERE kind = 'anon_question'") == []
    await world.tick()
    assert questions_received(fasil) == []
