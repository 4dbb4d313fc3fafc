"""The Indonesian catalog keeps to locales/GLOSSARY.md: no word its Avoid table lists, no "-ku"
outside quoted speech (the bot says "saya", and so do buttons in the person's voice), and the
phrases issue 13 named read as they should now.

The Avoid table is read from the glossary itself, so adding a row there is enough to enforce
it; the checker is also run on made-up text, so a passing test means something.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "locales" / "GLOSSARY.md"
CATALOG = ROOT / "locales" / "id" / "LC_MESSAGES" / "bot.po"

# Indonesian words that end in "ku" without being the possessive "-ku".
NOT_POSSESSIVE_KU = {"berlaku"}
# Speech a person might say themselves ("aku" is theirs to use): straight or curly quotes.
QUOTED = re.compile(r'"[^"]*"|“[^”]*”')
# Placeholders, HTML tags, entities and /commands are not words the reader sees as Indonesian.
NOT_WORDS = re.compile(r"\{[^}]*\}|<[^>]*>|&[a-z]+;|/[a-z_]+")
# "grup" is right for a Telegram group chat (Telegram's own word), only never for a support group.
TELEGRAM_GROUP_CHAT = re.compile(r"\bobrolan grup\b|\bgrup telegram\b", re.IGNORECASE)


def avoided_terms(glossary: str = GLOSSARY.read_text()) -> list[str]:
    """The backticked first cells of the glossary's Avoid table (the "-ku" row has its own test)."""
    section = glossary.split("\n## Avoid\n", 1)[1].split("\n## ", 1)[0]
    terms = re.findall(r"^\| `([^`]+)` \|", section, flags=re.MULTILINE)
    return [term for term in terms if not term.startswith("-")]


def term_pattern(term: str) -> re.Pattern[str]:
    """A whole word or phrase; a trailing ``*`` also matches longer words that start with it."""
    if term.endswith("*"):
        return re.compile(rf"\b{re.escape(term[:-1])}\w*", re.IGNORECASE)
    return re.compile(rf"\b{re.escape(term)}\b", re.IGNORECASE)


def indonesian() -> dict[str, str]:
    """Every Indonesian string of the catalog (each plural form), keyed by its msgid."""
    with CATALOG.open("rb") as po:
        catalog = read_po(po, locale="id")
    found: dict[str, str] = {}
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        forms = [message.string] if isinstance(message.string, str) else list(message.string)
        found[msgid] = "\n".join(forms)
    return found


def avoided_uses(texts: dict[str, str], terms: list[str]) -> list[str]:
    problems = []
    for msgid, text in texts.items():
        visible = TELEGRAM_GROUP_CHAT.sub(" ", NOT_WORDS.sub(" ", text))
        for term in terms:
            if match := term_pattern(term).search(visible):
                problems.append(f"{match[0]!r} (avoid {term}) in {text!r} [msgid {msgid!r}]")
    return problems


def ku_uses(texts: dict[str, str]) -> list[str]:
    problems = []
    for msgid, text in texts.items():
        unquoted = QUOTED.sub(" ", NOT_WORDS.sub(" ", text))
        for word in re.findall(r"\b\w+ku\b|\baku\b", unquoted, flags=re.IGNORECASE):
            if word.lower() not in NOT_POSSESSIVE_KU:
                problems.append(f"{word!r} in {text!r} [msgid {msgid!r}]")
    return problems


def test_the_glossary_lists_the_words_issue_13_named() -> None:
    terms = avoided_terms()
    for named in ("kursi*", "pensiun*", "hembus*", "buang", "mohon", "oke", "bilangan bulat"):
        assert named in terms


def test_the_indonesian_catalog_uses_no_word_the_glossary_avoids() -> None:
    problems = avoided_uses(indonesian(), avoided_terms())
    if problems:
        pytest.fail(f"{len(problems)} avoided word(s):\n" + "\n".join(problems), pytrace=False)


def test_nothing_says_ku_outside_quoted_speech() -> None:
    problems = ku_uses(indonesian())
    if problems:
        pytest.fail(f"{len(problems)} '-ku' word(s):\n" + "\n".join(problems), pytrace=False)


# The phrases issue 13 quoted, by msgid, with what the Indonesian says now.
NAMED_PHRASES = {
    "✅ Acknowledge": "✅ Sudah saya lihat",
    "✖️ Discard": "✖️ Batalkan",
    "🗑 Retire": "🗑 Nonaktifkan",
    "📋 My groups": "📋 Kelompok saya",
    "📅 My meetings": "📅 Pertemuan saya",
    "Please send a whole number from {low} to {high}.": "Kirim angka dari {low} sampai {high}, ya.",
    "Which times suit you for the next meeting of {group}?": (
        "Waktu mana saja yang cocok buatmu untuk pertemuan {group} berikutnya?"
    ),
    "Your alias now is <b>{current}</b>. How about <b>{alias}</b>? You can also choose your own.": (
        "Aliasmu sekarang <b>{current}</b>. Bagaimana kalau <b>{alias}</b>? "
        "Kamu juga bisa memilih sendiri."
    ),
    "Next": "Berikutnya",
}


@pytest.mark.parametrize("msgid", sorted(NAMED_PHRASES))
def test_a_phrase_issue_13_named_reads_as_written_by_a_person(msgid: str) -> None:
    assert indonesian()[msgid] == NAMED_PHRASES[msgid]


def test_the_breathing_exercise_says_embuskan() -> None:
    [breathing] = [text for msgid, text in indonesian().items() if "Breathe out slowly" in msgid]
    assert "Embuskan perlahan" in breathing and "mengembuskan napas" in breathing


# --- the checkers themselves, on made-up text ---------------------------------------------


def test_the_checkers_catch_avoided_words_and_ku_but_not_placeholders_or_quotes() -> None:
    texts = {
        "a": "Mohon pilih kursimu, ya.",
        "b": "Kursi {kursi} <b>Oke</b> dipensiunkan",
        "c": 'Tulis "aku di sini" atau “aku merasa…”; tautan berlaku 7 hari.',
        "d": "📋 Kelompokku",
        "e": "Mengembuskan napas, ya.",
    }
    assert [p.split(" (", 1)[0] for p in avoided_uses(texts, ["mohon", "kursi*", "oke"])] == [
        "'Mohon'",
        "'kursimu'",
        "'Kursi'",
        "'Oke'",
    ]
    assert [p.split(" in ", 1)[0] for p in ku_uses(texts)] == ["'Kelompokku'"]


def test_the_avoid_table_is_read_from_its_own_section() -> None:
    glossary = (
        "# G\n\n| `kursi*` | x |\n\n"
        "## Avoid\n\n| `buang` | batalkan | why |\n| `-ku` | saya | y |\n"
    )
    assert avoided_terms(glossary) == ["buang"]
