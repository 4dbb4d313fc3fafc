"""Aliases: contact details are refused, names of any script and emoji are welcome."""

from __future__ import annotations

import random

import pytest

from bot.domain.alias import (
    MAX_LENGTH,
    SUGGESTION_NAMES,
    AliasProblem,
    alias_key,
    check_alias,
    normalize_alias,
    suggest_alias,
)


@pytest.mark.parametrize(
    "alias",
    [
        "Melati 27",
        "Ayu",
        "Sri Wahyuni",
        "Ni Luh Putu",
        "Bunga 🌸",
        "O'Neil",
        "Nur\u2019aini",  # the apostrophe a phone keyboard types
        "Kupu-kupu_biru",
        "A.R. Rahman",
        "Dr. Me",
        "👩‍⚕️ Dina",  # emoji joined with a zero-width joiner
        "❤️‍🔥 semangat",
        "Lala 🫨",  # newer than Python's Unicode tables
        "ꦧꦸꦝꦶ",  # Javanese script
        "محمد",
        "Tahun 2024",
        "Ｍｅｌａｔｉ",  # noqa: RUF001 - full-width letters, as some keyboards type them
        "  Melati   27  ",
        "x" * MAX_LENGTH,
    ],
)
def test_acceptable_aliases(alias: str) -> None:
    assert check_alias(alias) is None


@pytest.mark.parametrize(
    ("alias", "problem"),
    [
        ("0812-3456-7890", AliasProblem.PHONE),
        ("+62 812 3456 7890", AliasProblem.PHONE),
        ("Ayu 081234567890", AliasProblem.PHONE),
        ("(021) 555.1234", AliasProblem.PHONE),
        ("wa 0812 345 678", AliasProblem.PHONE),
        ("@budi", AliasProblem.HANDLE),
        ("ig @budi_s", AliasProblem.HANDLE),
        ("＠budi", AliasProblem.HANDLE),  # noqa: RUF001 - full-width @ normalises to @
        ("budi@mail.com", AliasProblem.EMAIL),
        ("budi.s@yahoo.co.id", AliasProblem.EMAIL),
        ("t.me/x", AliasProblem.LINK),
        ("www.x.id", AliasProblem.LINK),
        ("ig.com/x", AliasProblem.LINK),
        ("https://x.y", AliasProblem.LINK),
        ("tokoayu.co.id", AliasProblem.LINK),
        ("Ayu\nsaya baru di sini", AliasProblem.INVALID_CHARS),
        ("Ayu\tBudi", AliasProblem.INVALID_CHARS),
        ("Ay\u200bu", AliasProblem.INVALID_CHARS),  # zero-width space
        ("\u200dAyu", AliasProblem.INVALID_CHARS),  # a joiner not between emoji
        ("\u3164\u3164\u3164", AliasProblem.INVALID_CHARS),  # Hangul filler: a blank name
        ("<b>Ayu</b>", AliasProblem.INVALID_CHARS),
        ("Ayu > Budi", AliasProblem.INVALID_CHARS),
        ("Ayu\x00", AliasProblem.INVALID_CHARS),
        ("", AliasProblem.TOO_SHORT),
        ("   ", AliasProblem.TOO_SHORT),
        ("Yu", AliasProblem.TOO_SHORT),
        ("x" * (MAX_LENGTH + 1), AliasProblem.TOO_LONG),
        ("Bunga yang mekar di pagi hari", AliasProblem.TOO_LONG),
    ],
)
def test_problems(alias: str, problem: AliasProblem) -> None:
    assert check_alias(alias) is problem


def test_normalize_trims_and_collapses_whitespace() -> None:
    assert normalize_alias("  Sri \u00a0  Wahyuni ") == "Sri Wahyuni"
    assert normalize_alias("Nur\u2019aini") == "Nur'aini"
    assert normalize_alias("Ｍｅｌａｔｉ") == "Melati"  # noqa: RUF001


def test_keys_ignore_case_width_and_spacing() -> None:
    assert alias_key("MELATI 27") == alias_key("melati 27") == alias_key(" Melati  27 ")
    assert alias_key("Ｍｅｌａｔｉ") == alias_key("melati")  # noqa: RUF001
    assert alias_key("STRASSE") == alias_key("Straße")
    assert alias_key("Melati 27") != alias_key("Melati 28")


def test_suggestions_are_always_valid() -> None:
    seen = set()
    for seed in range(2000):
        alias = suggest_alias(random.Random(seed))
        assert check_alias(alias) is None, alias
        name, number = alias.rsplit(" ", 1)
        assert name in SUGGESTION_NAMES
        assert 10 <= int(number) <= 99
        seen.add(name)
    assert seen == set(SUGGESTION_NAMES)


def test_suggestions_are_reproducible() -> None:
    assert suggest_alias(random.Random(7)) == suggest_alias(random.Random(7))


def test_every_suggestion_name_is_distinct_and_capitalised() -> None:
    assert len(set(SUGGESTION_NAMES)) == len(SUGGESTION_NAMES) >= 40
    assert all(name[0].isupper() for name in SUGGESTION_NAMES)
