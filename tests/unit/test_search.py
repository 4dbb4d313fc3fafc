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


def test_a_copy_and_its_original_change_independently(index: SearchIndex) -> None:
    twin = index.copy()
    twin.upsert(entry("art", "Terapi seni", "Melukis bersama"))
    twin.remove("sleep")
    assert ids(twin.search("melukis")) == ["art"]
    assert ids(index.search("melukis")) == []
    assert "sleep" in ids(index.search("obat tidur")) and "sleep" not in twin
    index.upsert(entry("yoga", "Yoga untuk kecemasan"))
    assert ids(index.search("yoga")) == ["yoga"]
    assert ids(twin.search("yoga")) == []


def test_empty_or_meaningless_queries_find_nothing(index: SearchIndex) -> None:
    assert index.search("") == []
    assert index.search("!!! ???") == []
    assert index.search("dan yang") == []


# --- Crisis entries first ------------------------------------------------------------------------

CRISIS_TAGS = ("bunuh diri", "suicide", "menyakiti diri", "self-harm", "krisis", "crisis")


def crisis_line(entry_id: str, title: str) -> Resource:
    return entry(entry_id, title, "Telepon gratis dan rahasia", CRISIS_TAGS, category="crisis")


def test_crisis_entries_come_first_when_the_query_names_their_tag() -> None:
    index = SearchIndex(
        [
            # An advocacy entry that matches "bunuh diri" far better by text alone.
            entry(
                "advocacy",
                "Pencegahan bunuh diri",
                "Edukasi pencegahan bunuh diri; suicide prevention",
                ("pencegahan bunuh diri", "suicide prevention"),
            ),
            crisis_line("line", "SEJIWA 119"),
            entry("selfcare", "Merawat diri", "Self-care", ("merawat diri", "self-care")),
        ]
    )
    for query in ("bunuh diri", "suicide", "aku mau bunuh diri", "BUNUH DIRI!", "suicde"):
        assert ids(index.search(query))[0] == "line", query
    assert ids(index.search("suicide prevention"))[0] == "line"  # names the tag "suicide"
    # Half a phrase is not enough: "diri" alone belongs to self-care as much as to crisis.
    assert ids(index.search("merawat diri"))[0] == "selfcare"
    assert ids(index.search("self-care")) == ["selfcare"]


def test_crisis_first_respects_the_visibility_filter_and_removal() -> None:
    index = SearchIndex([crisis_line("line", "SEJIWA"), entry("other", "Bunuh diri: mitos")])
    assert ids(index.search("bunuh diri", visible=lambda r: r.category != "crisis")) == ["other"]
    index.remove("line")
    assert ids(index.search("bunuh diri")) == ["other"]


def test_shipped_crisis_contacts_carry_search_words_in_both_languages() -> None:
    from bot.data_files import crisis_contacts
    from bot.domain.resources import from_contact

    for contact in crisis_contacts():
        tags = from_contact(contact).tags
        for word in ("krisis", "crisis"):
            assert word in tags, (contact.id, word)
        # A search for suicide must not open on the police or the violence line.
        answers_suicide = contact.kind not in ("police", "violence_line")
        for word in ("bunuh diri", "suicide", "self-harm", "putus asa"):
            assert (word in tags) is answers_suicide, (contact.id, word)


# --- Completion, places, hyphens -----------------------------------------------------------------


def test_a_word_beginning_is_completed_below_exact_and_stem_matches() -> None:
    index = SearchIndex(
        [
            entry("prefix", "Skizofrenia", "Halusinasi"),
            entry("stem", "Skizonya", "x"),
        ]
    )
    assert ids(index.search("skizo")) == ["stem", "prefix"]  # stem (skizo-nya) beats completion
    assert ids(index.search("skizof")) == ["prefix"]
    assert index.search("ski") == []  # three letters: too short to complete


def test_provinces_are_found_by_official_and_everyday_names() -> None:
    index = SearchIndex(
        [
            entry("grhasia", "RSJ Grhasia", "Sleman", province="diy", category="services"),
            entry("bogor", "RSJ Bogor", "Kota Bogor", province="jabar", category="services"),
            entry("jakarta", "Puskesmas", "Konseling", province="jkt", category="services"),
        ]
    )
    for query in ("jogja", "Yogya", "jogjakarta", "yogyakarta", "DIY"):
        assert ids(index.search(query)) == ["grhasia"], query
    assert ids(index.search("jawa barat")) == ["bogor"]
    assert ids(index.search("west java")) == ["bogor"]
    assert ids(index.search("jabar")) == ["bogor"]
    assert ids(index.search("jkt")) == ["jakarta"]
    assert ids(index.search("dki")) == ["jakarta"]
    # A city finds an entry only through the entry's own text: no Bandung here.
    assert index.search("bandung") == []


def test_an_entry_naming_the_city_comes_first() -> None:
    index = SearchIndex(
        [
            entry("bali", "Rumah sakit jiwa Bali", "Rumah sakit jiwa", province="bali"),
            entry("bogor", "Rumah sakit jiwa Bogor", "Rumah sakit jiwa", province="jabar"),
            entry(
                "bandung", "Klinik jiwa", "Poli jiwa di rumah sakit Kota Bandung", province="jabar"
            ),
        ]
    )
    assert ids(index.search("rumah sakit jiwa bandung"))[0] == "bandung"


def test_a_hyphenated_query_word_needs_all_its_parts() -> None:
    index = SearchIndex(
        [
            entry("daycare", "Day care rehabilitasi", "Program harian", ("day care",)),
            entry("selfcare", "Merawat diri", "Self-care untuk pendamping", ("self-care",)),
            entry("spaced", "Self care", "Rest"),
        ]
    )
    assert ids(index.search("self-care")) == ["selfcare"]  # the compound, where it is written
    assert ids(index.search("selfcare")) == ["selfcare"]
    # Two separate words: an entry with only one of them still shows, but last.
    assert ids(index.search("self care"))[-1] == "daycare"


def test_four_letter_words_tolerate_only_a_swap() -> None:
    index = SearchIndex([entry("cara", "Cara daftar", "x"), entry("obat", "Obat", "x")])
    assert index.search("care") == []  # not "cara"
    assert ids(index.search("obta")) == ["obat"]


def test_question_words_do_not_count() -> None:
    index = SearchIndex(
        [
            entry("family", "Family course", "For parents", ("helping your child", "son")),
            entry("cbt", "CBT", "CBT helps you notice thoughts"),
        ]
    )
    assert ids(index.search("how to help my son"))[0] == "family"
    assert index.search("how what where") == []
