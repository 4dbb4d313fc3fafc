"""The quick mood's rules: how a mood compares with the week before it, tags, the note."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.moods import (
    NOTE_MAX_CHARS,
    TAGS,
    Comparison,
    MoodPoint,
    NoteProblem,
    compare_with_recent,
    note_problem,
    offers_support,
    tags_from_mask,
    tags_mask,
)

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def days_ago(days: float, score: int) -> MoodPoint:
    return MoodPoint(NOW - timedelta(days=days), score)


def test_the_first_mood_ever_says_so() -> None:
    assert compare_with_recent(3, NOW, [], any_before=False) is Comparison.FIRST


def test_earlier_moods_older_than_a_week_are_not_compared_with() -> None:
    older = [days_ago(7.01, 5), days_ago(30, 1)]
    assert compare_with_recent(3, NOW, older, any_before=True) is Comparison.NONE_RECENT


@pytest.mark.parametrize(
    ("score", "recent", "expected"),
    [
        (3, [3, 3], Comparison.SAME),
        (3, [3, 2, 3], Comparison.SAME),  # a third of a step above
        (3, [2, 3], Comparison.BETTER),  # exactly half a step above the mean of 2.5
        (4, [3, 4], Comparison.BETTER),
        (4, [3], Comparison.BETTER),
        (5, [3, 4], Comparison.MUCH_BETTER),  # 1.5 above
        (2, [3, 2], Comparison.HARDER),
        (1, [3, 2], Comparison.MUCH_HARDER),
        (1, [5, 5, 5], Comparison.MUCH_HARDER),
    ],
)
def test_a_mood_is_compared_with_the_mean_of_the_week_before(
    score: int, recent: list[int], expected: Comparison
) -> None:
    earlier = [days_ago(1 + index, value) for index, value in enumerate(recent)]
    assert compare_with_recent(score, NOW, earlier, any_before=True) is expected


def test_the_week_starts_exactly_seven_days_before_and_later_moods_do_not_count() -> None:
    at_the_edge = days_ago(7, 1)
    later = MoodPoint(NOW + timedelta(minutes=1), 1)  # recorded after this one: not "before"
    assert compare_with_recent(5, NOW, [at_the_edge, later], any_before=True) is (
        Comparison.MUCH_BETTER
    )
    assert compare_with_recent(5, NOW, [later], any_before=True) is Comparison.NONE_RECENT


def test_support_is_offered_on_low_moods_and_much_harder_days() -> None:
    assert offers_support(1, Comparison.FIRST) and offers_support(2, Comparison.SAME)
    assert offers_support(3, Comparison.MUCH_HARDER)
    assert not offers_support(3, Comparison.HARDER) and not offers_support(5, Comparison.FIRST)


def test_tags_travel_as_a_mask_in_their_fixed_order() -> None:
    assert tags_from_mask(tags_mask(["work", "sleep"])) == ("sleep", "work")
    assert tags_from_mask(tags_mask(TAGS)) == TAGS
    assert tags_from_mask(1 << len(TAGS)) == ()  # unknown bits are ignored


def test_a_note_is_text_of_at_most_the_limit() -> None:
    assert note_problem("slept badly, but walked a bit") is None
    assert note_problem("x" * NOTE_MAX_CHARS) is None
    assert note_problem("x" * (NOTE_MAX_CHARS + 1)) is NoteProblem.TOO_LONG
    assert note_problem("   \n") is NoteProblem.EMPTY
