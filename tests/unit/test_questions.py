"""Anonymous questions: random tickets unique among open questions, the text limits, and the
open-question limit enforced by the use case itself (not only by the conversation)."""

from __future__ import annotations

import itertools
import random
from datetime import timedelta

from bot.domain.questions import (
    MAX_OPEN_QUESTIONS,
    QUOTE_CHARS,
    TICKETS,
    AskOutcome,
    clean_text,
    new_ticket,
    quoted,
)
from bot.domain.retention import DataCategory, rule_for
from bot.domain.safety import AnswerProblem
from bot.domain.text import utf16_len
from bot.services import questions as service
from bot.storage.questions import QuestionRepository
from tests.unit.conftest import Network


def test_a_ticket_is_four_digits_and_never_one_an_open_question_holds() -> None:
    rng = random.Random(7)
    taken = set(range(1000, 9990))  # all but ten are held
    drawn = {new_ticket(rng, taken) for _ in range(200)}
    assert drawn <= set(range(9990, 10_000)) and len(drawn) > 1


def test_tickets_are_random_not_counted_up() -> None:
    rng = random.Random(11)
    taken: set[int] = set()
    for _ in range(50):
        taken.add(new_ticket(rng, taken))
    assert len(taken) == 50  # each one new
    ordered = sorted(taken)
    assert len(taken) == 50 and all(ticket in TICKETS for ticket in taken)
    # Spread over the range, not consecutive numbers: a ticket says nothing of when.
    assert ordered[-1] - ordered[0] > 5000
    assert len({b - a for a, b in itertools.pairwise(ordered)}) > 10


def test_no_free_ticket_is_an_error_not_an_endless_loop() -> None:
    try:
        new_ticket(random.Random(1), set(TICKETS))
    except RuntimeError:
        return
    raise AssertionError("a ticket was drawn although every one is held")


def test_text_limits_count_as_telegram_does() -> None:
    assert clean_text("  hi  ") == ("hi", None, 2)
    assert clean_text("   ")[1] is AnswerProblem.EMPTY
    assert clean_text(None)[1] is AnswerProblem.EMPTY
    assert clean_text("a" * 2000)[0] == "a" * 2000
    assert clean_text("a" * 2001) == (None, AnswerProblem.TOO_LONG, 2001)
    # An emoji counts two, as in Telegram's 4096: 1001 of them are too many.
    assert clean_text("🙂" * 1001) == (None, AnswerProblem.TOO_LONG, 2002)


def test_a_long_question_is_shortened_where_it_is_quoted() -> None:
    assert quoted("short") == "short"
    long = "word " * 1000
    shown = quoted(long)
    assert shown.endswith("…") and utf16_len(shown) <= QUOTE_CHARS


async def test_the_use_case_refuses_a_sixth_open_question(network: Network) -> None:
    n = network
    asker, facilitator = await n.person(1), await n.person(2)
    group = await n.group(members=(asker,), facilitators=(facilitator,))
    questions, rng = QuestionRepository(n.db), random.Random(3)

    async def ask() -> AskOutcome:
        asked = await service.ask(
            questions, n.roles, n.outbox, n.clock, rng, asker, group.id, "A question"
        )
        return asked.outcome

    assert [await ask() for _ in range(MAX_OPEN_QUESTIONS)] == [AskOutcome.SENT] * 5
    assert await ask() is AskOutcome.TOO_MANY
    assert len(await questions.open_tickets()) == MAX_OPEN_QUESTIONS
    # Each went to the facilitator, about the asker (whose /forget deletes them).
    planned = await n.rows("SELECT member_id, about_member_id FROM outbox")
    assert planned == [(facilitator.id, asker.id)] * MAX_OPEN_QUESTIONS


async def test_retention_counts_from_the_answer_or_else_from_the_asking(network: Network) -> None:
    n = network
    asker, facilitator = await n.person(1), await n.person(2)
    group = await n.group(members=(asker,), facilitators=(facilitator,))
    questions, rng = QuestionRepository(n.db), random.Random(5)
    assert rule_for(DataCategory.QUESTIONS).keep_for == timedelta(days=30)
    asked_at = n.clock.now()
    answered, unanswered = [
        (
            await service.ask(
                questions, n.roles, n.outbox, n.clock, rng, asker, group.id, "A question"
            )
        ).question
        for _ in range(2)
    ]
    assert answered is not None and unanswered is not None
    n.clock.advance(timedelta(days=3))
    await service.answer(
        questions, n.roles, n.outbox, n.clock, facilitator, answered.id, "An answer"
    )

    # The purge passes cutoff(rule, now): the moment ``keep_for`` before now.
    answered_at = asked_at + timedelta(days=3)
    assert await questions.delete_old(asked_at - timedelta(seconds=1)) == 0
    assert await questions.delete_old(asked_at) == 1  # the unanswered one, from its asking
    assert await questions.get(answered.id) is not None
    assert await questions.delete_old(answered_at - timedelta(seconds=1)) == 0
    assert await questions.delete_old(answered_at) == 1  # the answered one, from its answer
    assert await n.rows("SELECT * FROM questions") == []
