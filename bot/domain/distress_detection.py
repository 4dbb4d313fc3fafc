"""Distress detection: feelings people write to the bot (tiredness, loneliness, panic,
hopelessness, "gak kuat lagi"), in Indonesian and English, so they are answered warmly rather
than as input the bot did not understand.

The tier below crisis detection: crisis language is answered earlier (the safety handler
group), so what reaches this module is everything else a person writes. Two stages, as for
crisis language. The lexicon first, read the same way as the crisis lexicon: the text is
normalised by :func:`bot.domain.lexicon_text.normalise`, guards blank out everyday idioms,
and the first concept of ``data/distress_lexicon.toml`` with a matching pattern names the
signal. When no pattern matches, a small linear model (:mod:`bot.domain.text_model`, weights in
``data/distress_model.json``) reads the same guarded text; its signal names the concept
``model``, which gets a general warm reply (it knows *that* something hurts, not what).

The text itself never leaves this module: a :class:`DistressSignal` carries the concept only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from bot.domain.entries import parse_toml
from bot.domain.lexicon_text import (
    ScreenedText,
    any_of,
    blank_guards,
    compile_patterns,
)
from bot.domain.text_model import TextModel


class DistressConcept(StrEnum):
    """What the feeling is about; the reply's first words are shaped by it."""

    CANT_GO_ON = "cant_go_on"
    HOPELESS = "hopeless"
    BURDEN = "burden"
    DISAPPEAR = "disappear"
    WORTHLESS = "worthless"
    PANIC = "panic"
    LONELINESS = "loneliness"
    NUMBNESS = "numbness"
    OVERWHELM = "overwhelm"
    SADNESS = "sadness"
    SLEEPLESS = "sleepless"
    EXHAUSTION = "exhaustion"
    # The second stage fired: no pattern names the feeling, so the reply is a general one.
    MODEL = "model"


# The concepts the lexicon names (every one but the model's).
LEXICON_CONCEPTS: tuple[DistressConcept, ...] = tuple(
    c for c in DistressConcept if c is not DistressConcept.MODEL
)


@dataclass(frozen=True, slots=True)
class DistressSignal:
    """What was recognised (never the words themselves)."""

    concept: DistressConcept


@dataclass(frozen=True, slots=True)
class DistressLexicon:
    concepts: tuple[tuple[DistressConcept, re.Pattern[str]], ...]  # in file order: first wins
    guards: tuple[re.Pattern[str], ...]
    # Derived: one search that says no guard / no concept can match (lexicon_text.any_of).
    any_guard: re.Pattern[str] = field(init=False, repr=False, compare=False)
    any_concept: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "any_guard", any_of(self.guards))
        object.__setattr__(self, "any_concept", any_of([regex for _, regex in self.concepts]))


def parse_distress_lexicon(text: str, source: str = "distress lexicon") -> DistressLexicon:
    """Compiles the lexicon's TOML ``text``; a bad entry raises ``ValueError`` naming it."""
    data = parse_toml(text, source)
    macros: dict[str, str] = data.get("macros", {})
    concepts: list[tuple[DistressConcept, re.Pattern[str]]] = []
    for entry in data.get("concept", []):
        concepts.append(_concept(entry, macros, source))
    if not concepts:
        raise ValueError(f"{source}: no [[concept]] entries")
    guards = tuple(_compile(_patterns(g, source), macros, source) for g in data.get("guard", []))
    return DistressLexicon(tuple(concepts), guards)


def _concept(
    entry: dict[str, Any], macros: dict[str, str], source: str
) -> tuple[DistressConcept, re.Pattern[str]]:
    concept_id = str(entry.get("id"))
    if concept_id not in LEXICON_CONCEPTS:
        raise ValueError(f"{source}: unknown concept {concept_id!r}")
    concept = DistressConcept(concept_id)
    return concept, _compile(_patterns(entry, source), macros, source)


def _patterns(entry: dict[str, Any], source: str) -> tuple[str, list[str]]:
    where = str(entry.get("id", "?"))
    if not str(entry.get("rationale", "")).strip():
        raise ValueError(f"{source} {where!r}: a rationale is required")
    patterns = entry.get("patterns")
    if not isinstance(patterns, list) or not patterns:
        raise ValueError(f"{source} {where!r}: no patterns")
    return where, patterns


def _compile(entry: tuple[str, list[str]], macros: dict[str, str], source: str) -> re.Pattern[str]:
    where, patterns = entry
    return compile_patterns(patterns, macros, f"{source} {where!r}")


def detect_distress(text: str, lexicon: DistressLexicon) -> DistressSignal | None:
    """The first distress concept of the lexicon alone that ``text`` expresses, or ``None``."""
    return _match(guarded_forms(text, lexicon), lexicon)


@dataclass(frozen=True, slots=True)
class DistressDetector:
    """The lexicon, then (when it finds nothing) the model."""

    lexicon: DistressLexicon
    model: TextModel

    def detect(self, text: str) -> DistressSignal | None:
        return self.detect_screened(ScreenedText(text))

    def detect_screened(self, screened: ScreenedText) -> DistressSignal | None:
        """:meth:`detect` of ``screened.text``, sharing its readings with crisis detection."""
        forms = _guarded(screened, self.lexicon)
        if signal := _match(forms, self.lexicon):
            return signal
        positive = screened.predict(self.model, forms[0])
        return DistressSignal(DistressConcept.MODEL) if positive else None


def guarded_forms(text: str, lexicon: DistressLexicon) -> list[str]:
    """The normalised forms of ``text`` with every guard span blanked out (a newline): what
    the patterns and the model read."""
    return _guarded(ScreenedText(text), lexicon)


def _guarded(screened: ScreenedText, lexicon: DistressLexicon) -> list[str]:
    return [blank_guards(form, lexicon.guards, lexicon.any_guard) for form in screened.forms()]


def _match(forms: list[str], lexicon: DistressLexicon) -> DistressSignal | None:
    if not any(lexicon.any_concept.search(form) for form in forms):
        return None
    for concept, regex in lexicon.concepts:
        if any(regex.search(form) for form in forms):
            return DistressSignal(concept)
    return None
