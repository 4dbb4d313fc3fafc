"""Topic selections packed into a button."""

from __future__ import annotations

from bot.domain.topics import TOPICS, topics_from_mask, topics_mask


def test_a_selection_round_trips_in_canonical_order() -> None:
    assert topics_from_mask(topics_mask(["trauma", "anxiety"])) == ("anxiety", "trauma")
    assert topics_from_mask(topics_mask([])) == ()
    assert topics_from_mask(topics_mask(TOPICS)) == TOPICS


def test_unknown_codes_and_bits_are_ignored() -> None:
    assert topics_mask(["astrology"]) == 0
    assert topics_from_mask(1 << 40 | 1) == (TOPICS[0],)


def test_every_selection_fits_a_callback_button() -> None:
    assert len(f"ob:topics:{topics_mask(TOPICS)}".encode()) <= 64
