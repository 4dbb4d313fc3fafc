"""Scoring and the rules of the weekly questionnaire, on the shipped instrument files."""

from __future__ import annotations

import pytest

from bot.data_files import phq9, shipped, who5
from bot.domain.instruments import parse_phq9, parse_who5
from bot.domain.questionnaires import (
    Level,
    is_low,
    may_skip,
    needs_crisis_reply,
    next_item,
    offers_phq9,
    phq9_band,
    phq9_total,
    who5_result,
    who5_score,
)

WHO5 = who5()
PHQ9 = phq9()
KEYS = [item.key for item in WHO5.scale.items]


def answers(*values: int | None) -> dict[str, int | None]:
    return dict(zip(KEYS, values, strict=True))


@pytest.mark.parametrize(
    ("values", "score"),
    [
        ((0, 0, 0, 0, 0), 0),
        ((1, 1, 1, 2, 2), 28),  # raw 7
        ((1, 1, 2, 2, 2), 32),  # raw 8: the first score above 28 from five answers
        ((2, 2, 3, 3, 3), 52),
        ((5, 5, 5, 5, 5), 100),
        ((2, 2, 2, 3, 3), 48),
    ],
)
def test_five_answers_score_raw_times_four(values: tuple[int, ...], score: int) -> None:
    assert who5_score(WHO5, answers(*values)) == score


@pytest.mark.parametrize(
    ("values", "score"),
    [
        ((None, 0, 0, 0, 0), 0),
        ((None, 1, 1, 1, 2), 25),  # mean 1.25 x 5 x 4
        ((1, 1, 1, 2, None), 25),
        ((None, 1, 2, 2, 1), 30),
        ((2, None, 3, 2, 3), 50),
        ((5, 5, None, 5, 5), 100),
    ],
)
def test_one_skipped_item_prorates_the_four_answered(
    values: tuple[int | None, ...], score: int
) -> None:
    assert who5_score(WHO5, answers(*values)) == score


def test_two_skipped_items_give_no_score() -> None:
    assert who5_score(WHO5, answers(None, None, 5, 5, 5)) is None
    assert who5_score(WHO5, {"cheerful": 5, "calm": 5, "active": 5}) is None


def test_one_who5_skip_per_sitting_and_quality_of_life_always() -> None:
    first, second = WHO5.scale.items[0], WHO5.scale.items[1]
    connected = WHO5.quality_of_life.items[0]
    assert may_skip(WHO5, {}, first)
    assert may_skip(WHO5, {first.key: 3}, second)
    assert not may_skip(WHO5, {first.key: None}, second)
    assert may_skip(WHO5, answers(None, 1, 1, 1, 1), connected)


def test_the_sitting_asks_the_who5_then_quality_of_life_and_resumes_at_the_gap() -> None:
    assert [item.key for item in WHO5.items] == [*KEYS, "connected", "coping", "supported"]
    assert next_item(WHO5.items, {}) == WHO5.items[0]
    assert next_item(WHO5.items, answers(3, None, 2, 1, 0)) == WHO5.quality_of_life.items[0]
    full = {**answers(3, 3, 3, 3, 3), "connected": 2, "coping": None, "supported": 5}
    assert next_item(WHO5.items, full) is None


@pytest.mark.parametrize(
    ("score", "level", "low"),
    [
        (0, Level.LOW, True),
        (28, Level.LOW, True),
        (29, Level.POOR, False),
        (50, Level.POOR, False),
        (51, Level.FAIR, False),
        (100, Level.FAIR, False),
    ],
)
def test_level_and_low_at_the_boundaries(score: int, level: Level, low: bool) -> None:
    result = who5_result(WHO5, score, baseline=None, previous=None)
    assert result.level is level and result.is_baseline
    assert is_low(WHO5, result) is low
    assert offers_phq9(WHO5, result) is low


@pytest.mark.parametrize(
    ("baseline", "previous", "low"),
    [
        (None, 69, False),  # a drop of 9 since last time
        (None, 70, True),  # a drop of 10 since last time
        (69, 60, False),  # 9 below the baseline, up since last time
        (70, 60, True),  # 10 below the baseline
        (40, 40, False),  # no change
        (50, 80, True),
    ],
)
def test_a_drop_of_ten_since_last_time_or_the_baseline_is_low(
    baseline: int | None, previous: int | None, low: bool
) -> None:
    result = who5_result(WHO5, 60, baseline=baseline, previous=previous)
    assert is_low(WHO5, result) is low
    assert not offers_phq9(WHO5, result)  # the PHQ-9 follows the score itself only


def test_changes_since_the_baseline_and_last_time() -> None:
    result = who5_result(WHO5, 64, baseline=40, previous=72)
    assert (result.since_baseline, result.since_previous) == (24, -8)
    assert not result.is_baseline
    first = who5_result(WHO5, 64, baseline=None, previous=None)
    assert (first.since_baseline, first.since_previous) == (None, None)


@pytest.mark.parametrize(
    ("total", "severity"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately severe"),
        (19, "moderately severe"),
        (20, "severe"),
        (27, "severe"),
    ],
)
def test_phq9_bands(total: int, severity: str) -> None:
    assert phq9_band(PHQ9, total).severity == severity


def test_phq9_total_needs_every_item() -> None:
    full = {item.key: 3 for item in PHQ9.items}
    assert phq9_total(PHQ9, full) == 27
    assert phq9_total(PHQ9, {**full, "harm": None}) is None
    assert phq9_total(PHQ9, {"interest": 1}) is None


@pytest.mark.parametrize(("value", "crisis"), [(0, False), (1, True), (2, True), (3, True)])
def test_item_nine_above_not_at_all_is_a_crisis_whatever_the_total(
    value: int, crisis: bool
) -> None:
    assert PHQ9.items[8].key == PHQ9.safety_item
    assert needs_crisis_reply(PHQ9, PHQ9.safety_item, value) is crisis
    assert not needs_crisis_reply(PHQ9, "down", 3)


def test_instrument_files_state_their_wording_sources_and_rules() -> None:
    text = _data("who5.toml")
    assert "Psychiatric Research Unit, Mental Health Centre North Zealand" in text
    assert 'id = "faithful translation, not the published validated wording"' in text
    assert "One WHO-5 item may be skipped per sitting" in text
    assert "not validated" in text
    assert "Kroenke" in _data("phq9.toml") and "Pfizer" in _data("phq9.toml")
    assert WHO5.scale.choices[0].label.en == "All of the time"
    assert PHQ9.scale.choices[0].label.get("id") == "Tidak pernah"


def test_a_bad_edit_is_refused_naming_the_file() -> None:
    broken = _data("who5.toml").replace('key = "calm"', 'key = "cheerful"')
    with pytest.raises(ValueError, match=r"data/who5\.toml"):
        parse_who5(broken, "data/who5.toml")
    gap = _data("phq9.toml").replace("min = 5", "min = 6")
    with pytest.raises(ValueError, match="bands"):
        parse_phq9(gap, "data/phq9.toml")


def _data(name: str) -> str:
    return (shipped("data") / name).read_text(encoding="utf-8")
