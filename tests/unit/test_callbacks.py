"""The callback-data scheme: Telegram's 64-byte limit and one area per feature."""

from __future__ import annotations

import re

import pytest

from bot.ui.callbacks import MAX_CALLBACK_BYTES, Area, args, callback, pattern


def test_parts_round_trip() -> None:
    data = callback(Area.MEETINGS, "trial", 42)
    assert data == "mt:trial:42"
    assert args(data) == ["42"]


def test_data_longer_than_telegram_allows_is_refused_when_built() -> None:
    with pytest.raises(ValueError):
        callback(Area.RESOURCES, "op", "x" * MAX_CALLBACK_BYTES)
    with pytest.raises(ValueError):
        callback(Area.MENU, "a:b", 1)  # a separator inside a part would shift every argument


def test_areas_are_distinct_and_patterns_do_not_overlap() -> None:
    values = [area.value for area in Area]
    assert len(values) == len(set(values))
    for area in Area:
        for other in Area:
            if other is not area:
                assert re.match(pattern(area), callback(other, "x")) is None
