"""The catalog guard: every message in the code is translated, in both languages, correctly.

Messages are extracted from ``bot/`` when the test runs, with the mapping and keywords of
``babel.cfg`` (exactly what ``pybabel extract`` sees), and compared with the ``.po`` files. A
missing, empty or fuzzy translation, a translation whose ``{placeholders}`` differ from the
source's, or a wrong plural rule fails the test with a list of the offending messages.
Obsolete entries are fine: ``pybabel update`` keeps them for reuse.

The checker is tested on a tiny synthetic project too, so a passing guard means something.
"""

from __future__ import annotations

import gettext
import string
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]

# The plural rule each catalog must use, checked by evaluating it rather than comparing text.
PLURAL_RULES = {
    "id": (1, "nplurals=1; plural=0;"),
    "en": (2, "nplurals=2; plural=(n != 1);"),
}


@dataclass(frozen=True)
class Extracted:
    msgid: str
    msgid_plural: str | None
    context: str | None
    where: str


def extract(source_dir: Path, mapping_file: Path) -> list[Extracted]:
    with mapping_file.open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, str(mapping_file))
    found: dict[tuple[str, str | None], Extracted] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        source_dir, method_map, options_map, keywords=DEFAULT_KEYWORDS
    ):
        # Plural keywords give (singular, plural); the others give the msgid alone.
        msgid, msgid_plural = message[:2] if isinstance(message, tuple) else (message, None)
        found.setdefault(
            (msgid, context), Extracted(msgid, msgid_plural, context, f"{filename}:{lineno}")
        )
    return list(found.values())


def placeholders(text: str) -> set[str]:
    """The ``str.format`` field names in ``text`` (``{alias}``, ``{n:d}``, ``{a.b}`` → ``a``)."""
    names = set()
    for _literal, field, _spec, _conversion in string.Formatter().parse(text):
        if field is not None:
            names.add(field.split(".", 1)[0].split("[", 1)[0])
    return names


def _placeholders_or_problem(text: str) -> set[str] | str:
    try:
        return placeholders(text)
    except ValueError as error:  # an unbalanced brace: .format() would raise at run time
        return f"malformed placeholder ({error})"


def check_message(lang: str, catalog: Catalog, wanted: Extracted) -> list[str]:
    label = f"[{lang}] {wanted.msgid!r} ({wanted.where})"
    message = catalog.get(wanted.msgid, context=wanted.context)
    if message is None:
        return [f"{label}: missing"]
    if message.fuzzy:
        return [f"{label}: fuzzy"]
    is_plural = wanted.msgid_plural is not None
    if is_plural != message.pluralizable:
        return [f"{label}: the catalog entry is {'' if message.pluralizable else 'not '}plural"]

    if not is_plural:
        forms = [message.string]
        required = allowed = placeholders(wanted.msgid)
    else:
        # read_po pads or truncates the forms to the header's nplurals: a missing one is empty.
        forms = list(message.string)
        allowed = placeholders(wanted.msgid) | placeholders(wanted.msgid_plural)
        # A singular may say "One" instead of "{n}"; every other value must appear in every form.
        required = allowed - {"n"}

    problems = []
    for index, form in enumerate(forms):
        where = f"{label} form {index}" if is_plural else label
        if not form:
            problems.append(f"{where}: empty")
            continue
        names = _placeholders_or_problem(form)
        if isinstance(names, str):
            problems.append(f"{where}: {names}")
        elif not required <= names <= allowed:
            problems.append(f"{where}: placeholders {sorted(names)}, expected {sorted(required)}")
    # The last form covers "many" (the only form in Indonesian): it must show the count.
    if is_plural and forms[-1] and "n" in placeholders(wanted.msgid_plural or ""):
        last = _placeholders_or_problem(forms[-1])
        if isinstance(last, set) and "n" not in last:
            problems.append(f"{label} form {len(forms) - 1}: does not show {{n}}")
    return problems


def check_plural_rule(lang: str, catalog: Catalog) -> list[str]:
    expected_count, expected_header = PLURAL_RULES[lang]
    expected = gettext.c2py(expected_header.split("plural=", 1)[1].rstrip(";"))
    try:
        actual = gettext.c2py(catalog.plural_expr)
    except ValueError:
        actual = None
    if (
        catalog.num_plurals != expected_count
        or actual is None
        or any(actual(n) != expected(n) for n in range(1000))
    ):
        return [f"[{lang}] Plural-Forms is {catalog.plural_forms!r}, must be {expected_header!r}"]
    return []


def check_catalogs(
    source_dir: Path, mapping_file: Path, locales_dir: Path, langs: Iterable[str]
) -> list[str]:
    wanted = extract(source_dir, mapping_file)
    problems = []
    for lang in langs:
        po_path = locales_dir / lang / "LC_MESSAGES" / "bot.po"
        if not po_path.exists():
            problems.append(f"[{lang}] {po_path} does not exist")
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=lang)
        problems += check_plural_rule(lang, catalog)
        for message in wanted:
            problems += check_message(lang, catalog, message)
    return problems


def test_every_message_is_translated_in_both_languages() -> None:
    problems = check_catalogs(ROOT / "bot", ROOT / "babel.cfg", ROOT / "locales", PLURAL_RULES)
    if problems:
        pytest.fail(f"{len(problems)} catalog problem(s):\n" + "\n".join(problems), pytrace=False)


# --- the checker itself, on a synthetic project -------------------------------------------

SOURCE = """
from bot.i18n import N_

LABEL = N_("Depression")


def reply(t, alias, n):
    t("Welcome, {alias}!", alias=alias)
    t("Good night")
    t.plural("One meeting left", "{n} meetings left", n)
    t.plural("{alias} has one reply", "{alias} has {n} replies", n, alias=alias)
"""

HEADER = """
msgid ""
msgstr ""
"Language: {lang}\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: {rule}\\n"
"""

GOOD_ID = """
msgid "Depression"
msgstr "Depresi"

msgid "Welcome, {alias}!"
msgstr "Selamat datang, {alias}!"

msgid "Good night"
msgstr "Selamat malam"

msgid "One meeting left"
msgid_plural "{n} meetings left"
msgstr[0] "{n} pertemuan lagi"

msgid "{alias} has one reply"
msgid_plural "{alias} has {n} replies"
msgstr[0] "{alias} punya {n} balasan"

#~ msgid "Old message"
#~ msgstr "Pesan lama"
"""

GOOD_EN = """
msgid "Depression"
msgstr "Depression"

msgid "Welcome, {alias}!"
msgstr "Welcome, {alias}!"

msgid "Good night"
msgstr "Good night"

msgid "One meeting left"
msgid_plural "{n} meetings left"
msgstr[0] "One meeting left"
msgstr[1] "{n} meetings left"

msgid "{alias} has one reply"
msgid_plural "{alias} has {n} replies"
msgstr[0] "{alias} has one reply"
msgstr[1] "{alias} has {n} replies"
"""


def _check(tmp_path: Path, id_body: str, en_body: str, id_rule: str = PLURAL_RULES["id"][1]):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "handlers.py").write_text(SOURCE)
    for lang, rule, body in (("id", id_rule, id_body), ("en", PLURAL_RULES["en"][1], en_body)):
        (tmp_path / "locales" / lang / "LC_MESSAGES").mkdir(parents=True)
        po = HEADER.replace("{lang}", lang).replace("{rule}", rule) + body
        (tmp_path / "locales" / lang / "LC_MESSAGES" / "bot.po").write_text(po)
    return check_catalogs(tmp_path / "src", ROOT / "babel.cfg", tmp_path / "locales", PLURAL_RULES)


def test_checker_accepts_complete_catalogs(tmp_path: Path) -> None:
    assert _check(tmp_path, GOOD_ID, GOOD_EN) == []


def test_checker_reports_missing_empty_and_fuzzy(tmp_path: Path) -> None:
    id_body = GOOD_ID.replace('msgid "Depression"\nmsgstr "Depresi"\n', "").replace(
        '"Selamat malam"', '""'
    )
    en_body = GOOD_EN.replace('msgid "Good night"', '#, fuzzy\nmsgid "Good night"')
    assert _check(tmp_path, id_body, en_body) == [
        "[id] 'Depression' (handlers.py:4): missing",
        "[id] 'Good night' (handlers.py:9): empty",
        "[en] 'Good night' (handlers.py:9): fuzzy",
    ]


def test_checker_reports_placeholder_mismatches(tmp_path: Path) -> None:
    id_body = (
        GOOD_ID.replace('"Selamat datang, {alias}!"', '"Selamat datang, {nama}!"')
        .replace('"Selamat malam"', '"Selamat malam {alias"')
        .replace('"{n} pertemuan lagi"', '"Satu pertemuan lagi"')
    )
    en_body = GOOD_EN.replace('msgstr[0] "{alias} has one reply"', 'msgstr[0] "You have one reply"')
    assert _check(tmp_path, id_body, en_body) == [
        "[id] 'Welcome, {alias}!' (handlers.py:8): placeholders ['nama'], expected ['alias']",
        "[id] 'Good night' (handlers.py:9): malformed placeholder "
        "(expected '}' before end of string)",
        "[id] 'One meeting left' (handlers.py:10) form 0: does not show {n}",
        "[en] '{alias} has one reply' (handlers.py:11) form 0: placeholders [], expected ['alias']",
    ]


def test_checker_reports_plural_rule_and_shape(tmp_path: Path) -> None:
    # `pybabel init -l id` writes the English rule: then every plural message lacks a form.
    id_body = GOOD_ID.replace(
        'msgid "Good night"\nmsgstr', 'msgid "Good night"\nmsgid_plural "Good nights"\nmsgstr[0]'
    )
    problems = _check(tmp_path, id_body, GOOD_EN, id_rule="nplurals=2; plural=(n != 1);")
    assert problems == [
        "[id] Plural-Forms is 'nplurals=2; plural=(n != 1);', must be 'nplurals=1; plural=0;'",
        "[id] 'Good night' (handlers.py:9): the catalog entry is plural",
        "[id] 'One meeting left' (handlers.py:10) form 1: empty",
        "[id] '{alias} has one reply' (handlers.py:11) form 1: empty",
    ]
