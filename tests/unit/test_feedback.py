"""Feedback after meetings: when the question is due, what a comment may be, and the batching
rule (never fewer than three answers in a message, as many as fit one message)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from bot.domain.feedback import (
    MAX_COMMENT,
    MIN_BATCH,
    FeedbackKind,
    ReadyAnswer,
    batch_messages,
    clean_comment,
    feedback_question,
    next_batch,
    shuffled,
)
from bot.domain.safety import AnswerProblem

ENDS = datetime(2026, 12, 3, 13, 0, tzinfo=UTC)


def answers(*comments: str | None) -> list[ReadyAnswer]:
    return [ReadyAnswer(index, comment) for index, comment in enumerate(comments, start=1)]


def test_the_question_is_due_an_hour_after_the_end_and_planned_once() -> None:
    question = feedback_question(7, 42, ENDS)
    assert question.not_before == ENDS + timedelta(hours=1)
    assert question.dedupe_key == "feedback:7:42"
    assert question.kind == FeedbackKind.QUESTION and question.meeting_id == 7
    assert question.expires_at == question.not_before + timedelta(hours=12)


def test_fewer_than_three_answers_make_no_batch() -> None:
    assert next_batch([]) == []
    assert next_batch(answers(None, "ok")) == []


def test_three_or_more_go_together() -> None:
    assert next_batch(answers(None, "ok", None)) == [1, 2, 3]
    assert next_batch(answers(*["ok"] * 7)) == list(range(1, 8))


def test_long_comments_fill_a_message_and_the_rest_wait_for_a_batch_of_their_own() -> None:
    longest = "x" * MAX_COMMENT
    ready = answers(longest, longest, longest, longest)

    assert next_batch(ready) == [1, 2, 3]
    assert next_batch(ready[3:]) == []  # one left: it waits for two more
    assert len(next_batch(ready[3:] + answers(None, None))) == MIN_BATCH


def test_batch_messages_carry_no_answer_and_no_person() -> None:
    [message] = batch_messages(7, [3], ENDS)
    assert message.member_id == 3 and message.kind == FeedbackKind.BATCH
    assert set(message.payload) == {"meeting_id", "batch"}


def test_a_comment_is_text_of_at_most_1000_as_telegram_counts() -> None:
    assert clean_comment("  helpful  ") == ("helpful", None)
    assert clean_comment("   ") == (None, AnswerProblem.EMPTY)
    assert clean_comment("x" * MAX_COMMENT) == ("x" * MAX_COMMENT, None)
    assert clean_comment("x" * (MAX_COMMENT + 1)) == (None, AnswerProblem.TOO_LONG)
    # An emoji outside the BMP counts twice, as in Telegram's limit.
    assert clean_comment("🙂" * 501) == (None, AnswerProblem.TOO_LONG)


def test_shuffling_keeps_every_answer_and_changes_the_order() -> None:
    ordered = list(range(20))
    mixed = shuffled(ordered, random.Random(1))
    assert sorted(mixed) == ordered and mixed != ordered
