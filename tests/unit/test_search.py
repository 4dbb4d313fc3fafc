"""The directory's search: normalising, stemming, typos, ranking, filters and visibility."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.domain.contacts import Localized
from bot.domain.resources import Resource
from bot.domain.search import (
    SearchIndex,
    damerau_levenshtein,
    deletions,
    normalise,
    stem_english,
    stem_indonesian,
    tokenize,
)


def entry(
    entry_id: str,
    title: str,
    description: str = "",
    tags: tuple[str, ...] = (),
    *,
    category: str = "conditions",
    province: str = "national",
) -> Resource:
    return Resource(
        id=entry_id,
        category=category,
        title=Localized(id=title, en=title),
        description=Localized(id=description or title, en=description or title),
        province=province,
        tags=tags,
        source=("https://example.org",),
        checked=dt.date(2026, 11, 27),
    )


DIRECTORY = [
    entry(
        "sleep",
        "Obat tidur",
        "Tanya dokter sebelum minum obat tidur",
        ("insomnia", "sleeping pills"),
    ),
    entry("meds", "Pertanyaan tentang obat", "Efek samping dan pengobatan", ("medication",)),
    entry("anxiety", "Memahami kecemasan", "Cemas berlebihan bisa diobati", ("anxiety",)),
    entry("schizo", "Skizofrenia", "Halusinasi dan waham", ("psychosis",)),
    entry("therapy", "Cognitive behavioural therapy", "Therapies for thoughts", ("cbt",)),
    entry("bali", "Rumah sakit jiwa Bali", "Psikiater", province="bali", category="services"),
    entry("guide", "Facilitator guidelines", "Handling conflict", category="facilitators"),
]


@pytest.fixture
def index() -> SearchIndex:
    return SearchIndex(DIRECTORY)


def ids(results: list[Resource]) -> list[str]:
    return [r.id for r in results]


def test_normalise_strips_case_accents_and_punctuation() -> None:
    assert normalise("Café—ÉLAN! (Obat)") == "cafe elan obat"
    assert tokenize("Obat untuk tidur, dan the sleep") == ["obat", "tidur", "sleep"]


@pytest.mark.parametrize(
    ("word", "root"),
    [
        ("pengobatan", "obat"),
        ("kecemasan", "cemas"),
        ("mengobati", "obat"),
        ("menulis", "tulis"),
        ("memukul", "pukul"),
        ("mengirim", "kirim"),
        ("penyakit", "sakit"),
        ("dirawat", "rawat"),
        ("perawatan", "rawat"),
        ("keluarganya", "keluarga"),
        ("berobatlah", "obat"),
        ("terapinya", "terapi"),
    ],
)
def test_indonesian_affixes_reach_the_root(word: str, root: str) -> None:
    assert root in stem_indonesian(word)


def test_short_words_are_not_over_stemmed() -> None:
    assert all(len(root) >= 3 for root in stem_indonesian("diam"))


@pytest.mark.parametrize(
    ("word", "stem"),
    [("therapies", "therapy"), ("pills", "pill"), ("running", "run"), ("helped", "help")],
)
def test_english_suffixes(word: str, stem: str) -> None:
    assert stem in stem_english(word)


def test_damerau_levenshtein_counts_a_transposition_as_one() -> None:
    assert damerau_levenshtein("obta", "obat", 2) == 1
    assert damerau_levenshtein("skizofrenia", "skizofernia", 2) == 1
    assert damerau_levenshtein("abcdef", "uvwxyz", 2) == 3  # stops early past the limit
    assert "bat" in deletions("obat", 1)


def test_affixed_queries_find_the_root(index: SearchIndex) -> None:
    assert "meds" in ids(index.search("obat"))
    assert "sleep" in ids(index.search("pengobatan"))
    assert ids(index.search("cemas"))[0] == "anxiety"
    assert ids(index.search("kecemasan"))[0] == "anxiety"


def test_both_languages(index: SearchIndex) -> None:
    assert ids(index.search("sleeping pills"))[0] == "sleep"
    assert ids(index.search("therapy"))[0] == "therapy"
    assert ids(index.search("ANXIETY!"))[0] == "anxiety"


def test_typos_are_tolerated_by_length(index: SearchIndex) -> None:
    assert ids(index.search("skizofernia"))[0] == "schizo"  # transposition
    assert ids(index.search("insomina"))[0] == "sleep"
    assert ids(index.search("obta tidru"))[0] == "sleep"
    assert index.search("obx") == []  # three letters: no typo tolerance


def test_ranking_prefers_title_then_full_coverage(index: SearchIndex) -> None:
    ranked = ids(index.search("obat tidur"))
    assert ranked[0] == "sleep"  # both words, in the title
    assert ranked.index("sleep") < ranked.index("meds")


def test_exact_beats_stem_beats_typo() -> None:
    index = SearchIndex(
        [
            entry("exact", "Terapi", "x"),
            entry("stem", "Terapinya", "x"),
            entry("typo", "Tearpi", "x"),
        ]
    )
    assert ids(index.search("terapi")) == ["exact", "stem", "typo"]


def test_visibility_filter_hides_facilitator_guides(index: SearchIndex) -> None:
    members = index.search("facilitator", visible=lambda r: not r.facilitator_only)
    assert members == []
    assert ids(index.search("facilitator")) == ["guide"]


def test_filters_by_category_and_province(index: SearchIndex) -> None:
    only_bali = index.search("rumah sakit jiwa", visible=lambda r: r.province in {"bali"})
    assert ids(only_bali) == ["bali"]
    services = index.search("psikiater", visible=lambda r: r.category == "services")
    assert ids(services) == ["bali"]


def test_updates_are_searchable_at_once(index: SearchIndex) -> None:
    index.upsert(entry("new", "Terapi seni", "Melukis bersama"))
    assert ids(index.search("melukis")) == ["new"]
    index.upsert(entry("new", "Lingkaran lukis", "Menggambar"))
    assert index.search("melukis") == [] or ids(index.search("melukis")) == ["new"]
    assert ids(index.search("menggambar")) == ["new"]
    index.remove("new")
    assert index.search("menggambar") == []


def test_empty_or_meaningless_queries_find_nothing(index: SearchIndex) -> None:
    assert index.search("") == []
    assert index.search("!!! ???") == []
    assert index.search("dan yang") == []
