"""Typed drafts: JSON that persistence accepts, read back into the same dataclass, and older
or damaged drafts loading with defaults instead of failing."""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.storage.persistence import to_json
from bot.telegram_glue.drafts import check_draft_type, draft_from_json, draft_to_json


class Colour(enum.StrEnum):
    RED = "red"
    BLUE = "blue"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


@dataclass
class Everything:
    name: str = ""
    count: int = 0
    done: bool = False
    at: datetime | None = None
    colour: Colour = Colour.RED
    level: Level | None = None
    tags: list[str] = field(default_factory=list)
    pages: tuple[int, ...] = ()
    times: list[datetime] = field(default_factory=list)
    note: str | None = None


FULL = Everything(
    name="Teman Cerita",
    count=12,
    done=True,
    at=datetime(2026, 12, 3, 11, 30, tzinfo=UTC),
    colour=Colour.BLUE,
    level=Level.HIGH,
    tags=["anxiety", "trauma"],
    pages=(0, 2),
    times=[datetime(2026, 12, 4, 12, tzinfo=UTC)],
    note=None,
)


def test_a_draft_comes_back_as_it_was_through_persisted_json() -> None:
    stored = json.loads(to_json(draft_to_json(FULL)))  # what a restart reads back
    assert draft_from_json(Everything, stored) == FULL


def test_values_are_stored_in_plain_readable_forms() -> None:
    stored = draft_to_json(FULL)
    assert stored["colour"] == "blue" and stored["level"] == 2
    assert stored["at"] == "2026-12-03T11:30:00+00:00"
    assert stored["pages"] == [0, 2] and stored["note"] is None


def test_times_are_stored_in_utc_and_mean_the_same_moment() -> None:
    makassar = timezone(timedelta(hours=8))
    draft = Everything(at=datetime(2026, 12, 3, 19, 30, tzinfo=makassar))
    stored = draft_to_json(draft)
    assert stored["at"] == "2026-12-03T11:30:00+00:00"
    assert draft_from_json(Everything, stored).at == draft.at


def test_a_naive_time_is_refused_when_kept() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        draft_to_json(Everything(at=datetime(2026, 12, 3, 19, 30)))


def test_missing_and_unknown_keys_load_with_defaults() -> None:
    older = {"name": "Teman", "step": 4, "province": None}  # keys this version does not know
    assert draft_from_json(Everything, older) == Everything(name="Teman")
    assert draft_from_json(Everything, {}) == Everything()


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("name", 5),
        ("count", True),  # JSON true is no number
        ("count", "12"),
        ("done", 1),
        ("at", "yesterday"),
        ("at", "2026-12-03T11:30:00"),  # no timezone: which moment is unknown
        ("colour", "green"),
        ("level", 3),
        ("tags", "anxiety"),
        ("tags", ["anxiety", 7]),
        ("pages", {"0": 1}),
        ("times", ["soon"]),
    ],
)
def test_an_unreadable_value_takes_the_default_and_the_rest_still_loads(
    key: str, value: object
) -> None:
    loaded = draft_from_json(Everything, {"name": "Teman", key: value})
    assert getattr(loaded, key) == getattr(Everything(), key)
    assert key == "name" or loaded.name == "Teman"


@pytest.mark.parametrize("stored", [None, [], "draft", 3])
def test_something_that_is_no_draft_at_all_loads_as_a_fresh_one(stored: object) -> None:
    assert draft_from_json(Everything, stored) == Everything()


def test_defaults_are_not_shared_between_drafts() -> None:
    first, second = draft_from_json(Everything, {}), draft_from_json(Everything, {})
    first.tags.append("anxiety")
    assert second.tags == []


@dataclass
class NoDefault:
    name: str


@dataclass
class Nested:
    answers: dict[str, int] = field(default_factory=dict)


@dataclass
class Fractional:
    share: float = 0.5


@dataclass
class Ambiguous:
    value: int | str = 0


class NotADataclass:
    name: str = ""


@pytest.mark.parametrize(
    ("draft_type", "problem"),
    [
        (NoDefault, "needs a default"),
        (Nested, "unsupported"),
        (Fractional, "unsupported"),
        (Ambiguous, "unsupported"),
        (NotADataclass, "must be a dataclass"),
    ],
)
def test_a_draft_type_that_could_not_round_trip_fails_where_it_is_declared(
    draft_type: type, problem: str
) -> None:
    with pytest.raises(TypeError, match=problem):
        check_draft_type(draft_type)
