"""Provinces, their timezones, and list paging."""

from __future__ import annotations

import pytest

from bot.domain.paging import page
from bot.domain.regions import (
    ONLINE_ONLY,
    PROVINCES,
    WIB,
    WIT,
    WITA,
    province_by_code,
    region_by_name,
    timezone_for,
)


def test_there_are_38_provinces_with_unique_names() -> None:
    assert len(PROVINCES) == 38
    assert len({p.name_id for p in PROVINCES}) == 38
    assert len({p.name_en for p in PROVINCES}) == 38


def test_codes_are_short_unique_ascii() -> None:
    codes = [p.code for p in PROVINCES]
    assert len(set(codes)) == len(codes)
    assert ONLINE_ONLY not in codes
    for code in codes:
        assert code.isascii() and code.isalnum() and code == code.lower(), code
        assert len(code) <= 10, code


def test_every_timezone_is_one_of_indonesias_three() -> None:
    assert {p.timezone for p in PROVINCES} == {WIB, WITA, WIT}
    assert sum(p.timezone == WIB for p in PROVINCES) == 18
    assert sum(p.timezone == WITA for p in PROVINCES) == 12
    assert sum(p.timezone == WIT for p in PROVINCES) == 8


@pytest.mark.parametrize(
    ("name", "tz"),
    [
        ("Bali", WITA),
        ("Papua", WIT),
        ("Papua Pegunungan", WIT),
        ("Maluku Utara", WIT),
        ("Aceh", WIB),
        ("Kepulauan Bangka Belitung", WIB),
        ("DKI Jakarta", WIB),
        ("Kalimantan Barat", WIB),
        ("Kalimantan Tengah", WIB),
        ("Kalimantan Timur", WITA),
        ("Kalimantan Selatan", WITA),
        ("Gorontalo", WITA),
        ("Nusa Tenggara Timur", WITA),
    ],
)
def test_timezone_spot_checks(name: str, tz: str) -> None:
    (province,) = [p for p in PROVINCES if p.name_id == name]
    assert province.timezone == tz


@pytest.mark.parametrize(
    ("code", "name_id", "name_en"),
    [
        ("jabar", "Jawa Barat", "West Java"),
        ("jkt", "DKI Jakarta", "Jakarta"),
        ("diy", "DI Yogyakarta", "Yogyakarta"),
        ("aceh", "Aceh", "Aceh"),
        ("pbd", "Papua Barat Daya", "Southwest Papua"),
    ],
)
def test_names_in_both_languages(code: str, name_id: str, name_en: str) -> None:
    province = province_by_code(code)
    assert province is not None
    assert (province.name("id"), province.name("en")) == (name_id, name_en)


def test_west_to_east() -> None:
    assert PROVINCES[0].name_id == "Aceh"
    # Island by island, so West Kalimantan (WIB) follows Bali (WITA); but no WIT province
    # comes before a WIB one.
    zones = [p.timezone for p in PROVINCES]
    assert len(zones) - zones[::-1].index(WIB) <= zones.index(WIT)


def test_lookup_and_timezone_for() -> None:
    assert province_by_code("bali") == PROVINCES[[p.code for p in PROVINCES].index("bali")]
    assert province_by_code(ONLINE_ONLY) is None
    assert province_by_code("atlantis") is None
    assert timezone_for("papua", WIB) == WIT
    assert timezone_for("bali", WIB) == WITA
    assert timezone_for(ONLINE_ONLY, WITA) == WITA
    assert timezone_for(None, WIB) == WIB
    assert timezone_for("atlantis", WIB) == WIB


def test_paging() -> None:
    items = list(range(25))
    assert page(items, 0, 10) == (list(range(10)), False, True)
    assert page(items, 1, 10) == (list(range(10, 20)), True, True)
    assert page(items, 2, 10) == (list(range(20, 25)), True, False)
    assert page(items[:20], 1, 10) == (list(range(10, 20)), True, False)
    assert page(items, 3, 10) == ([], True, False)  # a stale button after the list shrank
    assert page([], 0, 10) == ([], False, False)
    assert page(PROVINCES, 0, 8)[0] == PROVINCES[:8]


@pytest.mark.parametrize(("index", "size"), [(-1, 10), (0, 0)])
def test_paging_rejects_nonsense(index: int, size: int) -> None:
    with pytest.raises(ValueError, match="invalid page"):
        page([1, 2, 3], index, size)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("jabar", "jabar"),
        ("Jawa Barat", "jabar"),
        ("  jawa   BARAT. ", "jabar"),
        ("West Java", "jabar"),
        ("Provinsi Jawa Barat", "jabar"),
        ("DIY", "diy"),
        ("DI Yogyakarta", "diy"),
        ("D.I. Yogyakarta", "diy"),
        ("jawabarat", "jabar"),
        ("Jogja", "diy"),
        ("Jakarta", "jkt"),
        ("DKI", "jkt"),
        ("Papua", "papua"),
        ("Papua Barat Daya", "pbd"),
        ("Kepulauan Riau", "kepri"),
        ("Riau", "riau"),
        ("online", ONLINE_ONLY),
        ("Daring", ONLINE_ONLY),
        ("Daring saja", ONLINE_ONLY),
        ("Jawa Tngah", "jateng"),
        ("Nusa Tengara Barat", "ntb"),
        ("provinsi jawa brat", "jabar"),
        ("West Jav", "jabar"),
        ("Yogykarta", "diy"),
    ],
)
def test_a_typed_region_is_found_by_its_code_or_either_name(typed: str, code: str) -> None:
    assert region_by_name(typed) == code


@pytest.mark.parametrize(
    "typed",
    [
        "Kalimantan",
        "Jawa",
        "Bandung",
        "",
        "   ",
        "jabar jatim",
        "Atlantis",
        "province",
        # Codes only exactly: one letter off, a code is another province or none.
        "jatin",
        "sulbr",
        # A typo that could mean East or West Java is no answer.
        "Estjava",
    ],
)
def test_a_part_of_a_name_or_anything_else_is_no_region(typed: str) -> None:
    assert region_by_name(typed) is None
