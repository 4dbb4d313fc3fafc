"""A small linear text classifier over hashed character and word n-grams (pure, no I/O).

Generic on purpose: crisis detection uses it as a second stage behind its lexicon, and any
other screening tier can train its own weights with the same features. Nothing here knows what
the labels mean. The weights come as JSON text (``parse_model``), written by a training script
(``scripts/train_crisis_model.py``) that computes features with :func:`features` — the same
function, so training and the bot can never disagree about what a feature is.

Features, for each segment of already normalised text (words separated by single spaces):
character n-grams of every word padded with a space on each side ("mati" -> " ma", "mat",
…, "ati "), which carry spelling variants and word parts; whole words; and pairs of adjacent
words. Each is hashed (CRC-32, stable across processes, unlike ``hash``) into a fixed number
of buckets, and the set of buckets a text hits is scaled to unit length, so a long message
does not score higher just for being long. The model is multinomial logistic regression:
one weight per bucket and class, plus a bias per class.
"""

from __future__ import annotations

import json
import math
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache, reduce
from itertools import repeat
from operator import add, mul
from typing import Any

FORMAT = 1
# A model reads only texts of at least this many words: one or two words ("soon", "cepat
# pulang") carry too little context for n-grams to mean anything, and the short ways to say
# a crisis or a feeling ("bundir", "sedih") are the lexicons' to catch.
MIN_WORDS = 3


def long_enough(segments: Iterable[str]) -> bool:
    return sum(len(segment.split()) for segment in segments) >= MIN_WORDS


@dataclass(frozen=True, slots=True)
class FeatureSpec:
    buckets: int = 1 << 20
    char_min: int = 3
    char_max: int = 5
    word_ngrams: int = 2

    def as_dict(self) -> dict[str, int]:
        return {
            "buckets": self.buckets,
            "char_min": self.char_min,
            "char_max": self.char_max,
            "word_ngrams": self.word_ngrams,
        }


def features(segments: Iterable[str], spec: FeatureSpec) -> list[int]:
    """The distinct feature buckets of ``segments``, sorted (n-grams never span segments)."""
    found: set[int] = set()
    for segment in segments:
        words = segment.split()
        for word in words:
            found.update(_char_buckets(word, spec.buckets, spec.char_min, spec.char_max))
        for n in range(1, spec.word_ngrams + 1):
            for start in range(len(words) - n + 1):
                found.add(_bucket("w" + " ".join(words[start : start + n]), spec.buckets))
    return sorted(found)


# People reuse their words, so a word's character n-grams are hashed once, not per message
# (a few thousand distinct words cover most chat; the cache stays a few MB at most).
@lru_cache(maxsize=20_000)
def _char_buckets(word: str, buckets: int, char_min: int, char_max: int) -> tuple[int, ...]:
    padded = f" {word} "
    return tuple(
        _bucket("c" + padded[start : start + n], buckets)
        for n in range(char_min, min(char_max, len(padded)) + 1)
        for start in range(len(padded) - n + 1)
    )


def _bucket(key: str, buckets: int) -> int:
    return zlib.crc32(key.encode()) % buckets


def softmax(logits: list[float]) -> list[float]:
    top = max(logits)
    exps = [math.exp(value - top) for value in logits]
    total = sum(exps)
    return [value / total for value in exps]


@dataclass(frozen=True, slots=True)
class TextModel:
    """Trained weights and the decision rule that goes with them."""

    spec: FeatureSpec
    labels: tuple[str, ...]  # one class per label; ``negative`` is one of them
    negative: str
    threshold: float  # a text is positive when 1 - P(negative) reaches this
    bias: tuple[float, ...]
    weights: Mapping[int, tuple[float, ...]]  # bucket -> one weight per label
    source_hash: str  # what the weights were trained from (checked by a test)

    def probabilities(self, segments: Iterable[str]) -> list[float]:
        """P(label) for each of ``labels``, in order."""
        return self.probabilities_of(features(segments, self.spec))

    def probabilities_of(self, found: list[int]) -> list[float]:
        """:meth:`probabilities` from the text's :func:`features` (made with ``spec``)."""
        if not found:
            return softmax(list(self.bias))
        scale = 1 / math.sqrt(len(found))  # as in training: pruned buckets still count
        rows = [row for row in map(self.weights.get, found) if row is not None]
        if not rows:
            return softmax(list(self.bias))
        # Per label, bias + w1*scale + w2*scale + ... added in bucket order, as a loop over
        # buckets would (the same floats to the last bit), folded in C rather than Python.
        return softmax(
            [
                reduce(add, map(mul, column, repeat(scale)), bias)
                for bias, column in zip(self.bias, zip(*rows, strict=True), strict=True)
            ]
        )

    def predict(self, segments: Iterable[str]) -> str | None:
        """The most likely positive label when the text is positive enough, else ``None``.
        A text of fewer than :data:`MIN_WORDS` words is never positive (see there)."""
        segments = list(segments)
        if not long_enough(segments):
            return None
        return self.predict_of(features(segments, self.spec))

    def predict_of(self, found: list[int]) -> str | None:
        """:meth:`predict` from the :func:`features` (made with ``spec``) of a text already
        known to be :func:`long_enough`: so features made once serve every model that shares
        the spec (see ``bot.domain.lexicon_text.ScreenedText``)."""
        probs = self.probabilities_of(found)
        negative = self.labels.index(self.negative)
        if 1 - probs[negative] < self.threshold:
            return None
        ranked = [(p, label) for p, label in zip(probs, self.labels, strict=True)]
        return max(item for item in ranked if item[1] != self.negative)[1]


def parse_model(text: str, source: str = "text model") -> TextModel:
    """Reads weights written by ``dump_model``; a malformed file raises ``ValueError``."""
    try:
        data: dict[str, Any] = json.loads(text)
        if data["format"] != FORMAT:
            raise ValueError(f"format {data['format']!r}, expected {FORMAT}")
        labels = tuple(data["labels"])
        scale = float(data["scale"])
        weights = {int(row[0]): tuple(q * scale for q in row[1:]) for row in data["weights"]}
        if any(len(row) != len(labels) for row in weights.values()):
            raise ValueError("a weight row does not have one weight per label")
        return TextModel(
            spec=FeatureSpec(**data["features"]),
            labels=labels,
            negative=str(data["negative"]),
            threshold=float(data["threshold"]),
            bias=tuple(float(b) for b in data["bias"]),
            weights=weights,
            source_hash=str(data["source_hash"]),
        )
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise ValueError(f"{source}: bad model file: {exc}") from exc


def dump_model(model: TextModel, extra: Mapping[str, Any] | None = None) -> str:
    """JSON text for ``model``: weights quantised to integers (a scale factor times -127..127),
    buckets whose weights all round to zero left out. ``extra`` (e.g. measurements) is kept
    alongside for people to read; ``parse_model`` ignores it."""
    largest = max((abs(w) for row in model.weights.values() for w in row), default=1.0)
    scale = largest / 127
    rows = []
    for bucket in sorted(model.weights):
        quantised = [round(w / scale) for w in model.weights[bucket]]
        if any(quantised):
            rows.append([bucket, *quantised])
    data = {
        "format": FORMAT,
        "source_hash": model.source_hash,
        "features": model.spec.as_dict(),
        "labels": list(model.labels),
        "negative": model.negative,
        "threshold": model.threshold,
        "bias": [round(b, 6) for b in model.bias],
        "scale": scale,
        **(extra or {}),
        "weights": rows,
    }
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n"
