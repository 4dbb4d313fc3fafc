"""Peer buddies' rules: who is paired (even and odd counts, someone new first, never again after
an ending by one side, the same pairs from the same random state), the weekly round, the four
weeks and continuing, and the weekly prompt's timing."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from bot.domain.buddies import (
    PERIOD,
    WEEK,
    Pairing,
    clean_message,
    continued,
    first_end,
    is_over,
    may_continue,
    pair_up,
    prompt_week,
    round_start,
)
from bot.domain.safety import AnswerProblem

# Monday 7 December 2026, 09:00 in Makassar (UTC+8).
ROUND = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)


def pairing(*, a: bool = False, b: bool = False) -> Pairing:
    return Pairing(1, 10, 1, 2, ROUND, first_end(ROUND), continue_a=a, continue_b=b)


def paired_people(pairs: list[tuple[int, int]]) -> list[int]:
    return sorted(person for pair in pairs for person in pair)


def test_an_even_number_of_people_are_all_paired_each_once() -> None:
    pairs = pair_up([4, 1, 3, 2, 6, 5], {}, set(), random.Random(1))
    assert len(pairs) == 3 and paired_people(pairs) == [1, 2, 3, 4, 5, 6]
    assert all(a < b for a, b in pairs)


def test_with_an_odd_number_one_person_waits() -> None:
    pairs = pair_up([1, 2, 3, 4, 5], {}, set(), random.Random(1))
    assert len(pairs) == 2 and len(set(paired_people(pairs))) == 4


def test_one_person_alone_is_not_paired() -> None:
    assert pair_up([7], {}, set(), random.Random(1)) == []


def test_people_not_paired_before_come_first() -> None:
    past = {frozenset((1, 2)): 1, frozenset((3, 4)): 1}
    for seed in range(30):
        pairs = pair_up([1, 2, 3, 4], past, set(), random.Random(seed))
        assert not {frozenset(pair) for pair in pairs} & past.keys(), seed


def test_a_repeat_is_made_when_it_is_the_only_way_to_pair() -> None:
    assert pair_up([1, 2], {frozenset((1, 2)): 3}, set(), random.Random(1)) == [(1, 2)]


def test_a_pair_one_of_them_ended_is_never_made_again() -> None:
    never = {frozenset((1, 2))}
    assert pair_up([1, 2], {}, never, random.Random(1)) == []
    for seed in range(30):
        pairs = pair_up([1, 2, 3, 4], {}, never, random.Random(seed))
        assert (1, 2) not in pairs and len(pairs) == 2


def test_the_same_random_state_gives_the_same_pairs_whatever_the_order() -> None:
    people = list(range(1, 11))
    first = pair_up(people, {}, set(), random.Random(42))
    assert pair_up(list(reversed(people)), {}, set(), random.Random(42)) == first
    assert any(pair_up(people, {}, set(), random.Random(s)) != first for s in range(5))


def test_the_round_is_the_last_monday_at_nine_in_the_groups_timezone() -> None:
    tz = "Asia/Makassar"
    assert round_start(ROUND, tz) == ROUND
    assert round_start(ROUND - timedelta(seconds=1), tz) == ROUND - WEEK
    assert round_start(ROUND + timedelta(days=3), tz) == ROUND
    # 09:00 in Jakarta is an hour later than in Makassar.
    assert round_start(ROUND, "Asia/Jakarta") == ROUND - WEEK + timedelta(hours=1)
    assert round_start(ROUND + timedelta(hours=1), "Asia/Jakarta") == ROUND + timedelta(hours=1)


def test_a_pairing_ends_after_four_weeks_exactly_at_a_later_round() -> None:
    p = pairing()
    assert p.ends_at == ROUND + PERIOD == round_start(p.ends_at, "Asia/Makassar")
    assert not is_over(p, p.ends_at - timedelta(seconds=1))
    assert is_over(p, p.ends_at)


def test_continuing_is_offered_in_the_last_week_only() -> None:
    p = pairing()
    assert not may_continue(p, p.ends_at - WEEK - timedelta(seconds=1))
    assert may_continue(p, p.ends_at - WEEK)
    assert may_continue(p, p.ends_at - timedelta(seconds=1))
    assert not may_continue(p, p.ends_at)


def test_four_more_weeks_only_once_both_choose_and_then_the_choices_start_afresh() -> None:
    p = pairing()
    assert continued(p, 1) == (True, False, p.ends_at)
    assert continued(pairing(a=True), 1) == (True, False, p.ends_at)  # a second press
    assert continued(pairing(a=True), 2) == (False, False, p.ends_at + PERIOD)


def test_the_weekly_prompt_comes_mid_week_within_a_day_and_not_after_the_end() -> None:
    p = pairing()
    thursday = ROUND + timedelta(days=3)
    assert prompt_week(p, thursday - timedelta(seconds=1)) is None
    assert prompt_week(p, thursday) == 0
    assert prompt_week(p, thursday + timedelta(hours=23)) == 0
    assert prompt_week(p, thursday + timedelta(days=1)) is None  # past its grace
    assert prompt_week(p, thursday + 3 * WEEK) == 3
    assert prompt_week(p, thursday + 4 * WEEK) is None  # the pairing has ended


def test_a_buddy_message_is_trimmed_and_at_most_1000_characters() -> None:
    assert clean_message("  hi  ") == ("hi", None, 2)
    assert clean_message("   ") == (None, AnswerProblem.EMPTY, 0)
    assert clean_message("a" * 1000)[0] == "a" * 1000
    assert clean_message("a" * 1001) == (None, AnswerProblem.TOO_LONG, 1001)
    assert clean_message("😊" * 501)[1] is AnswerProblem.TOO_LONG  # Telegram counts two each
