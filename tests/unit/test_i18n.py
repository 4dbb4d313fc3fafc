"""Translators: catalogs compiled in memory, HTML-safe formatting, plurals, languages, dates."""

from __future__ import annotations

import gettext
import logging
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from bot.domain.topics import TOPICS
from bot.i18n import (
    LANGUAGES,
    N_,
    Catalogs,
    Html,
    Translator,
    get_translator,
    pick_language,
    tz_abbreviation,
)
from bot.ui.labels import LANGUAGE_NAMES, TOPIC_LABELS

ID_PO = r"""
msgid ""
msgstr ""
"Language: id\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=1; plural=0;\n"

msgid "Hello, {alias}!"
msgstr "Halo, {alias}!"

msgid "One meeting left"
msgid_plural "{n} meetings left"
msgstr[0] "{n} pertemuan lagi"

#, fuzzy
msgid "See you"
msgstr "Sampai jumpa"

msgid "Thanks, {alias}"
msgstr "Terima kasih, {nama}"
"""

EN_PO = r"""
msgid ""
msgstr ""
"Language: en\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"
"""


@pytest.fixture
def catalogs(tmp_path: Path) -> Catalogs:
    for lang, text in (("id", ID_PO), ("en", EN_PO)):
        (tmp_path / lang / "LC_MESSAGES").mkdir(parents=True)
        (tmp_path / lang / "LC_MESSAGES" / "bot.po").write_text(text, encoding="utf-8")
    return Catalogs(tmp_path, default_language="id")


@pytest.fixture
def en() -> Translator:
    return Translator("en", gettext.NullTranslations())


def test_po_files_are_compiled_in_memory(catalogs: Catalogs, tmp_path: Path) -> None:
    t = catalogs.get("id")
    assert t("Hello, {alias}!", alias="Melati 27") == "Halo, Melati 27!"
    assert catalogs.get("en")("Hello, {alias}!", alias="Melati 27") == "Hello, Melati 27!"
    assert not list(tmp_path.rglob("*.mo"))


def test_fuzzy_translations_are_not_used(catalogs: Catalogs) -> None:
    assert catalogs.get("id")("See you") == "See you"


def test_unknown_or_missing_language_gets_the_default(catalogs: Catalogs) -> None:
    assert catalogs.get(None).lang == "id"
    assert catalogs.get("fr").lang == "id"
    assert catalogs.get("en").lang == "en"


def test_default_language_must_be_supported(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="default language"):
        Catalogs(tmp_path, default_language="fr")


def test_indonesian_has_one_plural_form(catalogs: Catalogs) -> None:
    t = catalogs.get("id")
    assert [t.plural("One meeting left", "{n} meetings left", n) for n in (1, 2)] == [
        "1 pertemuan lagi",
        "2 pertemuan lagi",
    ]


def test_english_plural_uses_the_source_strings(en: Translator) -> None:
    assert en.plural("One meeting left", "{n} meetings left", 1) == "One meeting left"
    assert en.plural("One meeting left", "{n} meetings left", 3) == "3 meetings left"


def test_values_are_html_escaped(en: Translator) -> None:
    text = en("<b>{alias}</b> wrote: {text}", alias="<i>Ayu</i>", text='a & b "quoted" O\'Neil')
    assert text == "<b>&lt;i&gt;Ayu&lt;/i&gt;</b> wrote: a &amp; b &quot;quoted&quot; O'Neil"


def test_html_values_and_numbers_pass_through(en: Translator) -> None:
    link = Html('<a href="tg://user?id=1">Ayu</a>')
    assert en("{who} has {count:d} replies", who=link, count=3) == (
        '<a href="tg://user?id=1">Ayu</a> has 3 replies'
    )


def test_translated_text_is_html_so_it_nests_without_double_escaping(en: Translator) -> None:
    inner = en("{alias} and friends", alias="Ayu & Budi")
    assert isinstance(inner, Html)
    assert en("<b>{title}</b>", title=inner) == "<b>Ayu &amp; Budi and friends</b>"


def test_plural_values_are_escaped_too(en: Translator) -> None:
    assert en.plural("{alias}: one", "{alias}: {n}", 2, alias="<x>") == "&lt;x&gt;: 2"


def test_a_wrong_placeholder_in_the_code_raises(en: Translator) -> None:
    with pytest.raises(KeyError):
        en("Hello, {alias}!")


def test_a_broken_translation_falls_back_to_english(
    catalogs: Catalogs, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="bot.i18n"):
        assert catalogs.get("id")("Thanks, {alias}", alias="Ayu") == "Thanks, Ayu"
    assert "Broken id translation" in caplog.text


def test_the_project_catalogs_load() -> None:
    assert {get_translator(lang).lang for lang in LANGUAGES} == {"id", "en"}
    assert get_translator("xx").lang in LANGUAGES


def test_n_marks_without_translating() -> None:
    assert N_("Depression") == "Depression"


def test_every_topic_has_a_label_and_every_language_a_name() -> None:
    assert set(TOPIC_LABELS) == set(TOPICS)
    assert set(LANGUAGE_NAMES) == set(LANGUAGES)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en", "en"),
        ("en-US", "en"),
        ("en_GB", "en"),
        ("EN", "en"),
        ("id", "id"),
        ("in", "id"),
        ("id-ID", "id"),
        ("ms", "id"),
        ("jv", "id"),
        ("", "id"),
        (None, "id"),
    ],
)
def test_pick_language(code: str | None, expected: str) -> None:
    assert pick_language(code, "id") == expected


def test_pick_language_uses_the_given_default() -> None:
    assert pick_language("nl", "en") == "en"
    assert pick_language("in", "en") == "id"


# 12:00 UTC is 19.00 WIB, 20.00 WITA and 21.00 WIT.
NOON_UTC = datetime(2025, 3, 5, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("tz", "hour", "abbreviation"),
    [
        ("Asia/Jakarta", "19", "WIB"),
        ("Asia/Makassar", "20", "WITA"),
        ("Asia/Jayapura", "21", "WIT"),
    ],
)
def test_times_are_shown_in_the_persons_zone(
    catalogs: Catalogs, tz: str, hour: str, abbreviation: str
) -> None:
    t = catalogs.get("id")
    assert t.format_time(NOON_UTC, tz) == f"{hour}.00"
    assert t.format_datetime(NOON_UTC, tz) == f"5 Mar 2025 {hour}.00.00"
    assert tz_abbreviation(tz) == abbreviation


def test_english_formats(en: Translator) -> None:
    assert en.format_time(NOON_UTC, "Asia/Makassar") == "8:00\u202fPM"
    assert en.format_date(NOON_UTC, "Asia/Jayapura", "long") == "March 5, 2025"
    assert en.format_datetime(NOON_UTC, "Asia/Jakarta", "EEEE d MMMM, HH:mm") == (
        "Wednesday 5 March, 19:00"
    )


def test_indonesian_names_of_days_and_months(catalogs: Catalogs) -> None:
    t = catalogs.get("id")
    assert t.format_date(NOON_UTC, "Asia/Jakarta", "full") == "Rabu, 05 Maret 2025"


def test_the_date_depends_on_the_zone(en: Translator) -> None:
    late = datetime(2025, 3, 5, 16, 30, tzinfo=UTC)  # 23.30 WIB, already 00.30 WITA
    assert en.format_date(late, "Asia/Jakarta", "yyyy-MM-dd") == "2025-03-05"
    assert en.format_date(late, "Asia/Makassar", "yyyy-MM-dd") == "2025-03-06"
    assert en.format_date(date(2025, 3, 5), "Asia/Jayapura", "yyyy-MM-dd") == "2025-03-05"


def test_naive_datetimes_are_utc_and_bare_times_are_wall_clock(en: Translator) -> None:
    assert en.format_time(datetime(2025, 3, 5, 12, 0), "Asia/Jayapura", "HH:mm") == "21:00"
    assert en.format_time(time(19, 0), "Asia/Makassar", "HH:mm") == "19:00"


def test_other_zones_are_shown_by_name() -> None:
    assert tz_abbreviation("Asia/Pontianak") == "WIB"
    assert tz_abbreviation("Europe/Amsterdam") == "Europe/Amsterdam"
