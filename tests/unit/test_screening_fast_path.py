"""Screening's quick paths (skipped normalisation steps, one search before the guards and the
rules one by one, cached word n-grams, the model's sums folded in C) change nothing: on every
text of the corpora, tuning and held-out sets, each stage gives exactly what the plain
reading written out below gives, to the last bit of every probability."""

from __future__ import annotations

import math
import re
import tomllib
import unicodedata
import zlib
from pathlib import Path

from bot.data_files import crisis_detector, distress_detector
from bot.domain import crisis_detection, distress_detection
from bot.domain.crisis_detection import CrisisSignal
from bot.domain.distress_detection import DistressConcept, DistressSignal
from bot.domain.lexicon_text import model_segments, normalise
from bot.domain.text_model import FeatureSpec, TextModel, features, long_enough, softmax

ROOT = Path(__file__).resolve().parents[2]
CRISIS = crisis_detector()
DISTRESS = distress_detector()


def corpus_texts() -> list[str]:
    texts: list[str] = []
    paths = [*sorted((ROOT / "data" / "corpus").glob("*/*.toml"))]
    paths += sorted((ROOT / "tests").glob("*_heldout.toml"))
    paths += sorted((ROOT / "tests").glob("*_eval.toml"))
    for path in paths:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for entry in data.get("set", []):
            texts.extend(entry["texts"])
        texts.extend(example["text"] for example in data.get("example", []))
    # Shapes the corpora hold few of: accents, masks, leetspeak, reduplication, long runs.
    texts += ["Ĉàfé olé", "b*nuh d*ri", "m4t1 aja", "kerja mati2an", "pengennn matiii", "", "!!"]
    return texts


TEXTS = corpus_texts()

# ---------------------------------------------------------------- the plain reading

_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)


def plain_normalise(text: str, unmask_words: tuple[str, ...] = ()) -> tuple[str, ...]:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    plain = plain.replace("'", "").replace("\u2019", "")
    plain = re.sub(r"[\w*]*\*[\w*]*", lambda m: plain_unmask(m.group(0), unmask_words), plain)
    plain = re.sub(
        r"\b(?=[\w@$]*[a-z])(?=[\w@$]*[0134579@$])[\w@$]+",
        lambda m: m.group(0).translate(_LEET),
        plain,
    )
    plain = re.sub(r"[^\w]+", " ", plain).replace("_", " ")
    plain = re.sub(r"\b([a-z]{2,})2(an|nya|kan|in|i)?\b", r"\1 \1\2", plain)
    plain = " ".join(plain.split())
    run3 = re.compile(r"([a-z])\1{2,}")
    return tuple(dict.fromkeys((run3.sub(r"\1", plain), run3.sub(r"\1\1", plain))))


def plain_unmask(word: str, candidates: tuple[str, ...]) -> str:
    shape = re.compile("".join("[a-z0-9]" if ch == "*" else re.escape(ch) for ch in word))
    for candidate in candidates:
        if len(candidate) == len(word) and shape.fullmatch(candidate):
            return candidate
    return word


def plain_guarded(
    text: str, guards: tuple[re.Pattern[str], ...], unmask: tuple[str, ...]
) -> list[str]:
    forms = []
    for form in plain_normalise(text, unmask):
        for guard in guards:
            form = guard.sub("\n", form)
        forms.append(form)
    return forms


def plain_features(segments: list[str], spec: FeatureSpec) -> list[int]:
    found: set[int] = set()

    def bucket(key: str) -> int:
        return zlib.crc32(key.encode()) % spec.buckets

    for segment in segments:
        words = segment.split()
        for word in words:
            padded = f" {word} "
            for n in range(spec.char_min, min(spec.char_max, len(padded)) + 1):
                for start in range(len(padded) - n + 1):
                    found.add(bucket("c" + padded[start : start + n]))
        for n in range(1, spec.word_ngrams + 1):
            for start in range(len(words) - n + 1):
                found.add(bucket("w" + " ".join(words[start : start + n])))
    return sorted(found)


def plain_probabilities(model: TextModel, segments: list[str]) -> list[float]:
    logits = list(model.bias)
    found = plain_features(segments, model.spec)
    if found:
        scale = 1 / math.sqrt(len(found))
        for bucket in found:
            for k, weight in enumerate(model.weights.get(bucket, ())):
                logits[k] += weight * scale
    return softmax(logits)


def plain_predict(model: TextModel, segments: list[str]) -> str | None:
    if not long_enough(segments):
        return None
    probs = plain_probabilities(model, segments)
    if 1 - probs[model.labels.index(model.negative)] < model.threshold:
        return None
    return max(
        (p, label) for p, label in zip(probs, model.labels, strict=True) if label != model.negative
    )[1]


def plain_crisis(text: str) -> CrisisSignal | None:
    lexicon = CRISIS.lexicon
    forms = plain_guarded(text, lexicon.guards, lexicon.unmask_words)
    for rule in lexicon.rules:
        if any(rule.regex.search(form) for form in forms):
            return CrisisSignal(rule.category, rule.id)
    label = plain_predict(CRISIS.model, model_segments(forms[0]))
    return CrisisSignal(crisis_detection.CrisisCategory(label), "model") if label else None


def plain_distress(text: str) -> DistressSignal | None:
    lexicon = DISTRESS.lexicon
    forms = plain_guarded(text, lexicon.guards, ())
    for concept, regex in lexicon.concepts:
        if any(regex.search(form) for form in forms):
            return DistressSignal(concept)
    positive = plain_predict(DISTRESS.model, model_segments(forms[0]))
    return DistressSignal(DistressConcept.MODEL) if positive else None


# ---------------------------------------------------------------- the comparisons


def test_the_corpus_is_there_to_compare_on() -> None:
    assert len(TEXTS) > 5000


def test_normalised_and_guarded_forms_are_the_plain_ones() -> None:
    crisis, distress = CRISIS.lexicon, DISTRESS.lexicon
    for text in TEXTS:
        assert normalise(text, crisis.unmask_words) == plain_normalise(text, crisis.unmask_words)
        assert normalise(text) == plain_normalise(text)
        assert crisis_detection.guarded_forms(text, crisis) == plain_guarded(
            text, crisis.guards, crisis.unmask_words
        )
        assert distress_detection.guarded_forms(text, distress) == plain_guarded(
            text, distress.guards, ()
        )


def test_features_and_probabilities_are_the_plain_ones_to_the_last_bit() -> None:
    for text in TEXTS:
        for model, form in (
            (CRISIS.model, crisis_detection.guarded_forms(text, CRISIS.lexicon)[0]),
            (DISTRESS.model, distress_detection.guarded_forms(text, DISTRESS.lexicon)[0]),
        ):
            segments = model_segments(form)
            assert features(segments, model.spec) == plain_features(segments, model.spec)
            assert model.probabilities(segments) == plain_probabilities(model, segments)


def test_every_detection_is_the_plain_one() -> None:
    for text in TEXTS:
        assert CRISIS.detect(text) == plain_crisis(text)
        assert DISTRESS.detect(text) == plain_distress(text)
