"""Corrections of stored values judged from the screen they were chosen on."""

from __future__ import annotations

import pytest

from bot.domain.corrections import Correction, judge_correction


@pytest.mark.parametrize(
    ("stored", "chosen", "shown", "expected"),
    [
        ("bali", "jabar", "bali", Correction.SAVE),
        ("bali", "bali", "bali", Correction.UNCHANGED),
        # A double tap: the first press stored "jabar" on a screen that showed "bali".
        ("jabar", "jabar", "bali", Correction.ALREADY),
        # An old screen: it showed "bali", "jabar" is stored since, "papua" would undo that.
        ("jabar", "papua", "bali", Correction.OUT_OF_DATE),
        (frozenset({"anxiety"}), frozenset(), frozenset({"anxiety"}), Correction.SAVE),
    ],
)
def test_a_correction_applies_only_on_a_screen_showing_what_is_stored(
    stored: object, chosen: object, shown: object, expected: Correction
) -> None:
    assert judge_correction(stored, chosen, shown) is expected
