"""The questionnaires' instruments as typed data, parsed from the text of ``data/who5.toml`` and
``data/phq9.toml``: item texts and answer labels in both languages, scoring rules, bands.

Pure domain code (bot.data_files reads the files). A malformed file is refused with a
``ValueError`` naming the file and the entry, so a bad edit stops start-up and the tests instead
of showing a broken question.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.domain.contacts import Localized
from bot.domain.entries import parse_toml

WHO5 = "who5"
PHQ9 = "phq9"


@dataclass(frozen=True, slots=True)
class Choice:
    """One answer of a scale: its value and its label."""

    value: int
    label: Localized


@dataclass(frozen=True, slots=True)
class Item:
    key: str  # stored in questionnaires.answers and carried by the answer buttons
    text: Localized


@dataclass(frozen=True, slots=True)
class Scale:
    """Items answered on the same choices, under one stem ("Over the last two weeks:")."""

    stem: Localized
    choices: tuple[Choice, ...]  # in the order they are shown
    items: tuple[Item, ...]

    def item(self, key: str) -> Item | None:
        return next((item for item in self.items if item.key == key), None)

    def takes(self, value: int) -> bool:
        return any(choice.value == value for choice in self.choices)


@dataclass(frozen=True, slots=True)
class Who5:
    """The WHO-5 and, after it, Rangkul's own quality-of-life items (never scored)."""

    scale: Scale
    quality_of_life: Scale
    multiplier: int  # raw 0-25 x 4 = 0-100
    max_skipped: int  # WHO-5 items one sitting may skip
    low: int  # a score at or below this is low
    poor: int  # at or below this: poor wellbeing (not low yet)
    drop: int  # a drop of this many points since the previous score or the baseline is low
    source: tuple[str, ...]

    @property
    def items(self) -> tuple[Item, ...]:
        """Every item of a sitting, in the order asked: the WHO-5, then quality of life."""
        return self.scale.items + self.quality_of_life.items

    def scale_of(self, key: str) -> Scale:
        return self.scale if self.scale.item(key) is not None else self.quality_of_life


@dataclass(frozen=True, slots=True)
class Band:
    low: int
    high: int
    severity: str  # the published name (Kroenke et al. 2001), for reports, never shown
    words: Localized  # what the person reads


@dataclass(frozen=True, slots=True)
class Phq9:
    scale: Scale
    bands: tuple[Band, ...]
    safety_item: str  # thoughts of being better off dead or of self-harm (item 9)
    source: tuple[str, ...]

    @property
    def items(self) -> tuple[Item, ...]:
        return self.scale.items


def parse_who5(text: str, source: str) -> Who5:
    data = parse_toml(text, source)
    scoring = _table(data, "scoring", source)
    who5 = Who5(
        scale=_scale(data, source),
        quality_of_life=_scale(_table(data, "quality_of_life", source), source),
        multiplier=_int(scoring, "multiplier", source),
        max_skipped=_int(scoring, "max_skipped", source),
        low=_int(scoring, "low", source),
        poor=_int(scoring, "poor", source),
        drop=_int(scoring, "drop", source),
        source=_sources(data, source),
    )
    if len(who5.scale.items) != 5 or [c.value for c in who5.scale.choices] != [5, 4, 3, 2, 1, 0]:
        raise ValueError(f"{source}: the WHO-5 has five items answered 5 to 0")
    keys = [item.key for item in who5.items]
    if len(set(keys)) != len(keys):
        raise ValueError(f"{source}: item keys must be unique")
    return who5


def parse_phq9(text: str, source: str) -> Phq9:
    data = parse_toml(text, source)
    scale = _scale(data, source)
    safety_item = _str(_table(data, "scoring", source), "safety_item", source)
    bands = tuple(
        Band(
            _int(raw, "min", source),
            _int(raw, "max", source),
            _str(raw, "severity", source),
            _localized(raw, source),
        )
        for raw in _list(data, "bands", source)
    )
    if len(scale.items) != 9 or [c.value for c in scale.choices] != [0, 1, 2, 3]:
        raise ValueError(f"{source}: the PHQ-9 has nine items answered 0 to 3")
    if scale.item(safety_item) is None:
        raise ValueError(f"{source}: safety_item {safety_item!r} is not an item")
    covered = [n for band in bands for n in range(band.low, band.high + 1)]
    if covered != list(range(28)):
        raise ValueError(f"{source}: the bands must cover 0-27 once, in order")
    return Phq9(scale, bands, safety_item, _sources(data, source))


def _scale(data: Mapping[str, Any], source: str) -> Scale:
    return Scale(
        stem=_localized(_table(data, "stem", source), source),
        choices=tuple(
            Choice(_int(raw, "value", source), _localized(raw, source))
            for raw in _list(data, "answers", source)
        ),
        items=tuple(
            Item(_str(raw, "key", source), _localized(raw, source))
            for raw in _list(data, "items", source)
        ),
    )


def _localized(raw: Mapping[str, Any], source: str) -> Localized:
    return Localized(id=_str(raw, "id", source), en=_str(raw, "en", source))


def _sources(data: Mapping[str, Any], source: str) -> tuple[str, ...]:
    found = data.get("source")
    if not isinstance(found, list) or not found or not all(isinstance(s, str) for s in found):
        raise ValueError(f"{source}: source must name where the wording comes from")
    return tuple(found)


def _table(data: Mapping[str, Any], name: str, source: str) -> Mapping[str, Any]:
    found = data.get(name)
    if not isinstance(found, Mapping):
        raise ValueError(f"{source}: missing table [{name}]")
    return found


def _list(data: Mapping[str, Any], name: str, source: str) -> list[Mapping[str, Any]]:
    found = data.get(name)
    if not isinstance(found, list) or not found or not all(isinstance(x, Mapping) for x in found):
        raise ValueError(f"{source}: missing [[{name}]] entries")
    return found


def _str(raw: Mapping[str, Any], name: str, source: str) -> str:
    found = raw.get(name)
    if not isinstance(found, str) or not found.strip():
        raise ValueError(f"{source}: {name!r} must be a non-empty string (in {dict(raw)!r:.60})")
    return found


def _int(raw: Mapping[str, Any], name: str, source: str) -> int:
    found = raw.get(name)
    if not isinstance(found, int) or isinstance(found, bool):
        raise ValueError(f"{source}: {name!r} must be a whole number")
    return found
