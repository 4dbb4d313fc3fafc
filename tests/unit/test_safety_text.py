"""Tests for Telegram-length text helpers and the acute-danger reading of crisis text."""

from __future__ import annotations

from html import escape

import pytest

from bot.data_files import crisis_lexicon
from bot.domain.safety import is_acute, names_the_topic
from bot.domain.text import split_to_fit, utf16_len


def test_utf16_len_counts_emoji_outside_the_basic_plane_twice() -> None:
    assert utf16_len("abc") == 3
    assert utf16_len("🙂") == 2
    assert utf16_len("é") == 1
    assert utf16_len("🙂" * 1000) == 2000


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        ("🙂" * 1000, 4000),
        ("🙂" * 1000, 999),
        ("kata " * 300, 97),
        (" 🙂🙂🙂", 5),
        ("a" * 50, 7),
        ("", 10),
    ],
)
def test_pieces_fit_and_join_back_to_the_text(text: str, limit: int) -> None:
    pieces = split_to_fit(text, limit)
    assert "".join(pieces) == text
    assert all(utf16_len(piece) <= limit for piece in pieces)
    assert all(pieces) or pieces == [""]


def test_cuts_fall_after_whitespace_so_words_stay_whole() -> None:
    assert split_to_fit("satu dua tiga", 9) == ["satu dua ", "tiga"]


def test_cost_can_measure_the_escaped_text() -> None:
    def escaped(char: str) -> int:
        return utf16_len(escape(char))

    pieces = split_to_fit("&" * 1000, 4000, cost=escaped)
    assert [len(escape(p)) for p in pieces] == [4000, 1000]


def test_a_limit_below_one_character_is_refused() -> None:
    with pytest.raises(ValueError):
        split_to_fit("🙂", 1)


@pytest.mark.parametrize(
    "text",
    [
        "aku akan bunuh diri malam ini, sudah siap semuanya",
        "I will kill myself tonight",
        "udah siapin talinya",
        "aku sudah menulis surat perpisahan",
        "saat ini aku mau bunuh diri",
    ],
)
def test_intention_time_or_preparations_are_acute(text: str) -> None:
    assert is_acute(text, crisis_lexicon())


@pytest.mark.parametrize(
    "text",
    [
        "When I think I want to die I call my sister",
        "Kalau aku merasa mau bunuh diri, aku akan telepon kakak",
        "Pencegahan bunuh diri",
        "Jika kamu berpikir untuk bunuh diri malam ini, hubungi 112",
        "aku pengen mati aja",
        "capek banget kerja hari ini",
        "",
    ],
)
def test_thoughts_conditions_and_topics_are_not_acute(text: str) -> None:
    assert not is_acute(text, crisis_lexicon())


@pytest.mark.parametrize(
    "text",
    [
        "Pencegahan Bunuh Diri Makassar",
        "Buku panduan pencegahan bunuh diri",
        "Suicide prevention peer group",
        "Self-harm support circle",
    ],
)
def test_naming_the_subject_is_a_topic(text: str) -> None:
    assert names_the_topic(text, crisis_lexicon())


@pytest.mark.parametrize(
    "text",
    [
        "aku pengen mati aja",  # a wish, not a subject
        "aku mau bunuh diri",  # first person
        "I self-harm",
        "bunuh diri malam ini",  # acute
        "Teman Cerita Makassar",  # no crisis words at all
        None,
    ],
)
def test_wishes_first_person_and_acute_wording_are_not_a_topic(text: str | None) -> None:
    assert not names_the_topic(text, crisis_lexicon())
