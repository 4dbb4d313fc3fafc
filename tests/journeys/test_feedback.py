"""Feedback after meetings: asked an hour after the meeting ends (not before), a rating and an
optional comment, and the facilitator hears nothing until three answers are in, then gets them
in one message without aliases."""

from __future__ import annotations

from datetime import timedelta

from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers import rows
from tests.journeys.helpers.crisis import assert_stored_nowhere
from tests.journeys.helpers.meetings import (
    FIRST_MEETING,
    a_facilitator,
    a_group,
    advance_to,
    member_id,
    services,
)
from tests.journeys.helpers.wellbeing import a_meeting, members_going

CRISIS_REPLY = "You don't have to go through this alone"
QUESTION = "How helpful was today's meeting"
# The meeting lasts 90 minutes: it ends at 13:00 UTC, and the question is due at 14:00.
DUE = FIRST_MEETING + timedelta(minutes=90) + timedelta(hours=1)


def questions(person: Person) -> list[str]:
    return [text for text in person.texts if QUESTION in text]


def feedback_batches(person: Person) -> list[str]:
    return [text for text in person.texts if "Feedback on the meeting" in text]


async def test_the_question_comes_an_hour_after_the_meeting_ends_to_those_going(
    world: BotWorld,
) -> None:
    group = await a_group(world)
    meeting = await a_meeting(world, group, FIRST_MEETING)
    going = await members_going(world, group, meeting, 2)
    [stayed_home] = await members_going(world, group, None, 1, first=2)

    await advance_to(world, DUE - timedelta(minutes=1))
    assert [questions(person) for person in going] == [[], []]

    await advance_to(world, DUE)
    for person in going:
        [question] = questions(person)
        assert "Teman Cerita Makassar" in question
        assert person.buttons() == ["1", "2", "3", "4", "5"]
    assert questions(stayed_home) == []

    await advance_to(world, DUE + timedelta(hours=1))  # no second question
    assert [len(questions(person)) for person in going] == [1, 1]


async def test_when_attendance_was_taken_only_those_present_are_asked(world: BotWorld) -> None:
    group = await a_group(world)
    meeting = await a_meeting(world, group, FIRST_MEETING)
    came, did_not = await members_going(world, group, meeting, 2)
    s = services(world)
    await s.meetings.toggle_attendance(meeting.id, await member_id(world, came), DUE)

    await advance_to(world, DUE)

    assert len(questions(came)) == 1 and questions(did_not) == []


async def test_facilitators_get_answers_only_three_at_a_time_and_without_aliases(
    world: BotWorld,
) -> None:
    group = await a_group(world)
    facilitator = await a_facilitator(world, group)
    meeting = await a_meeting(world, group, FIRST_MEETING)
    ana, budi, citra, dewi = await members_going(world, group, meeting, 4)
    await advance_to(world, DUE)

    await ana.press("4")
    assert "Is there something that helped" in ana.last.text
    await ana.send("The breathing exercise at the start helped me")
    assert "Thank you for your feedback" in ana.last.text
    await budi.press("5")
    await budi.press("Skip")
    assert "Thank you for your answer" in budi.last.text
    await advance_to(world, DUE + timedelta(minutes=5))
    assert feedback_batches(facilitator) == []  # two answers: nothing yet

    await citra.press("2")
    await citra.send("More time for everyone to talk, please")
    await advance_to(world, DUE + timedelta(minutes=10))
    [batch] = feedback_batches(facilitator)
    assert "3 answers" in batch
    assert "The breathing exercise at the start helped me" in batch
    assert "More time for everyone to talk, please" in batch
    assert "★★★★★ 5/5" in batch and "★★★★☆ 4/5" in batch and "★★☆☆☆ 2/5" in batch
    for alias in ("Anggota 1", "Anggota 2", "Anggota 3"):
        assert alias not in batch

    # A fourth answer waits for two more: it never goes on its own.
    await dewi.press("3")
    await dewi.send("Good")
    await advance_to(world, DUE + timedelta(hours=3))
    assert len(feedback_batches(facilitator)) == 1


async def test_a_rating_left_without_a_comment_counts_once_the_comment_step_is_over(
    world: BotWorld,
) -> None:
    group = await a_group(world)
    facilitator = await a_facilitator(world, group)
    meeting = await a_meeting(world, group, FIRST_MEETING)
    people = await members_going(world, group, meeting, 3)
    await advance_to(world, DUE)
    for person in people:
        await person.press("4")  # and then nothing: no comment, no Skip

    await advance_to(world, DUE + timedelta(hours=1))
    assert feedback_batches(facilitator) == []
    await advance_to(world, DUE + timedelta(hours=2, minutes=1))
    [batch] = feedback_batches(facilitator)
    assert batch.count("★★★★☆ 4/5") == 3


async def test_a_second_press_changes_nothing(world: BotWorld) -> None:
    group = await a_group(world)
    meeting = await a_meeting(world, group, FIRST_MEETING)
    [ana] = await members_going(world, group, meeting, 1)
    await advance_to(world, DUE)
    question_id, four = ana.button("4")
    _, one = ana.button("1")

    await ana.press("4")
    prompt = ana.last.text
    for data in (four, one):  # a double tap, and another rating of the same meeting
        await ana.press_data(question_id, data)
        toast = list(world.emulator.callback_answers.values())[-1]
        assert toast["text"] == "You have already answered this one. Thank you!"

    assert ana.last.text == prompt  # still waiting for the comment
    assert rows(world, "SELECT rating, comment FROM meeting_feedback") == [(4, None)]


async def test_a_comment_with_crisis_words_gets_the_crisis_reply_and_is_not_kept(
    world: BotWorld,
) -> None:
    group = await a_group(world)
    meeting = await a_meeting(world, group, FIRST_MEETING)
    [ana] = await members_going(world, group, meeting, 1)
    await advance_to(world, DUE)
    await ana.press("2")

    await ana.send("setelah pertemuan aku ingin bunuh diri")

    assert CRISIS_REPLY in ana.last.text
    assert_stored_nowhere(world, "setelah pertemuan")
    await ana.send("A quieter room would help")  # the comment step is still open
    assert "Thank you for your feedback" in ana.last.text
    assert rows(world, "SELECT comment FROM meeting_feedback") == [("A quieter room would help",)]


async def test_a_comment_must_be_text_and_not_too_long(world: BotWorld) -> None:
    group = await a_group(world)
    meeting = await a_meeting(world, group, FIRST_MEETING)
    [ana] = await members_going(world, group, meeting, 1)
    await advance_to(world, DUE)
    await ana.press("5")

    await ana.send_sticker()
    assert "Please write your comment as a text message" in ana.last.text
    await ana.send("x" * 1001)
    assert "please keep it to 1000 characters" in ana.last.text
    await ana.send("x" * 1000)
    assert "Thank you for your feedback" in ana.last.text
