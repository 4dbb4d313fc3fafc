"""Crisis-language detection: suicidal thoughts, self-harm and immediate danger, id and en.

Two stages. The lexicon (``data/crisis_lexicon.toml``) comes first: fast (regexes compiled
once), explainable (a signal names the pattern group that fired, whose rationale is in the
lexicon) and easy to review by people who know the language. Behind it, when the lexicon finds
nothing, a small linear model over character and word n-grams (:mod:`bot.domain.text_model`,
weights in ``data/crisis_model.json``) catches wording no pattern anticipated; it reads the
same normalised text with the lexicon's guard idioms blanked out, so "mati gaya" or "killing
it" never reach it. Its signal names the rule ``"model"``. Pure: bot.data_files reads the
files, and every caller passes what it detects with.

The text itself never leaves this module: a :class:`CrisisSignal` carries the category and the
rule id only, so nothing downstream can store or log what the person wrote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from bot.domain.entries import parse_toml
from bot.domain.lexicon_text import (
    ScreenedText,
    any_of,
    blank_guards,
    compile_patterns,
    model_segments,
)
from bot.domain.text_model import TextModel


class CrisisCategory(StrEnum):
    # Harm already done that needs emergency care now (an overdose taken): the reply shows
    # emergency care first, before the safety plan.
    MEDICAL = "medical"
    # Danger from another person (threats, violence): the police and, for violence and abuse,
    # the women's and children's protection line come first.
    VIOLENCE = "violence"
    SUICIDAL = "suicidal"
    SELF_HARM = "self_harm"

    @property
    def is_immediate_danger(self) -> bool:
        return self in (CrisisCategory.MEDICAL, CrisisCategory.VIOLENCE)


# The most urgent category wins when a message matches several.
PRIORITY: tuple[CrisisCategory, ...] = (
    CrisisCategory.MEDICAL,
    CrisisCategory.VIOLENCE,
    CrisisCategory.SUICIDAL,
    CrisisCategory.SELF_HARM,
)


@dataclass(frozen=True, slots=True)
class CrisisSignal:
    """What was recognised (never the words themselves)."""

    category: CrisisCategory
    rule: str  # id of the lexicon group that matched, or MODEL_RULE


@dataclass(frozen=True, slots=True)
class _Rule:
    id: str
    category: CrisisCategory
    regex: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class Lexicon:
    rules: tuple[_Rule, ...]  # in PRIORITY order
    guards: tuple[re.Pattern[str], ...]
    unmask_words: tuple[str, ...]
    # Derived: one search that says no guard / no rule can match (see lexicon_text.any_of).
    any_guard: re.Pattern[str] = field(init=False, repr=False, compare=False)
    any_rule: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "any_guard", any_of(self.guards))
        object.__setattr__(self, "any_rule", any_of([rule.regex for rule in self.rules]))

    def detect(self, text: str) -> CrisisSignal | None:
        """The lexicon alone (see :func:`detect`)."""
        return detect(text, self)


# The rule id of a signal from the second stage.
MODEL_RULE = "model"


class Detector(Protocol):
    """What screening needs: a :class:`Lexicon` alone or a :class:`CrisisDetector`."""

    def detect(self, text: str) -> CrisisSignal | None: ...


@dataclass(frozen=True, slots=True)
class CrisisDetector:
    """The lexicon, then (when it finds nothing) the model."""

    lexicon: Lexicon
    model: TextModel

    def detect(self, text: str) -> CrisisSignal | None:
        return self.detect_screened(ScreenedText(text))

    def detect_screened(self, screened: ScreenedText) -> CrisisSignal | None:
        """:meth:`detect` of ``screened.text``, sharing its readings with other tiers."""
        forms = _guarded(screened, self.lexicon)
        if signal := _match(forms, self.lexicon):
            return signal
        return _model_signal(screened.predict(self.model, forms[0]))


def model_signal(guarded_form: str, model: TextModel) -> CrisisSignal | None:
    """The model's signal for one of :func:`guarded_forms`, or ``None``."""
    return _model_signal(model.predict(model_segments(guarded_form)))


def _model_signal(label: str | None) -> CrisisSignal | None:
    return CrisisSignal(CrisisCategory(label), MODEL_RULE) if label else None


def parse_lexicon(text: str, source: str = "crisis lexicon") -> Lexicon:
    """Compiles the lexicon's TOML ``text``; a bad entry raises ``ValueError`` naming it."""
    data = parse_toml(text, source)
    macros: dict[str, str] = data.get("macros", {})
    rules: list[_Rule] = []
    for group in data.get("group", []):
        rules.append(_rule(group, macros))
    if not rules:
        raise ValueError(f"{source}: no [[group]] entries")
    guards = [
        compile_patterns([p], macros, f"crisis lexicon {g.get('id', '?')!r}")
        for g in data.get("guard", [])
        for p in g["patterns"]
    ]
    rules.sort(key=lambda rule: PRIORITY.index(rule.category))
    words = tuple(data.get("unmask", {}).get("words", ()))
    return Lexicon(tuple(rules), tuple(guards), words)


def _rule(group: dict[str, Any], macros: dict[str, str]) -> _Rule:
    rule_id = group.get("id")
    if not isinstance(rule_id, str) or not rule_id:
        raise ValueError("crisis lexicon: a [[group]] has no id")
    try:
        category = CrisisCategory(str(group.get("category")))
    except ValueError:
        raise ValueError(f"crisis lexicon group {rule_id!r}: unknown category") from None
    if not str(group.get("rationale", "")).strip():
        raise ValueError(f"crisis lexicon group {rule_id!r}: a rationale is required")
    patterns = group.get("patterns")
    if not isinstance(patterns, list) or not patterns:
        raise ValueError(f"crisis lexicon group {rule_id!r}: no patterns")
    regex = compile_patterns(patterns, macros, f"crisis lexicon {rule_id!r}")
    return _Rule(rule_id, category, regex)


def detect(text: str, lexicon: Lexicon) -> CrisisSignal | None:
    """The most urgent signal of the lexicon in ``text``, or ``None``."""
    return _match(guarded_forms(text, lexicon), lexicon)


def guarded_forms(text: str, lexicon: Lexicon) -> list[str]:
    """The normalised forms of ``text`` with every guard span blanked out (a newline)."""
    return _guarded(ScreenedText(text), lexicon)


def _guarded(screened: ScreenedText, lexicon: Lexicon) -> list[str]:
    return [
        blank_guards(form, lexicon.guards, lexicon.any_guard)
        for form in screened.forms(lexicon.unmask_words)
    ]


def _match(forms: list[str], lexicon: Lexicon) -> CrisisSignal | None:
    if not any(lexicon.any_rule.search(form) for form in forms):
        return None
    for rule in lexicon.rules:
        if any(rule.regex.search(form) for form in forms):
            return CrisisSignal(rule.category, rule.id)
    return None
