"""The crisis detector's second stage: shipped weights, what the model sees, how it combines."""

from __future__ import annotations

import pytest

from bot.data_files import crisis_detector, distress_detector
from bot.domain.crisis_detection import (
    MODEL_RULE,
    CrisisCategory,
    detect,
    guarded_forms,
    model_signal,
)
from bot.domain.lexicon_text import model_segments
from bot.domain.text_model import FeatureSpec, TextModel, dump_model, features, parse_model

DETECTOR = crisis_detector()
# Everyday idioms the lexicon's guards blank out: the model must never see them.
GUARD_IDIOMS = [
    "mati gaya",
    "mati lampu",
    "hp gue mau mati",
    "mati matian",
    "ngakak sampe mau mati",
    "bunuh waktu",
    "nyawa tinggal 1",
    "menyayat hati",
    "pamit dulu",
    "killing it",
    "kill time",
    "dead tired",
    "to die for",
    "bored to death",
    "back is killing me",
    "cut myself shaving",
    "overdose on coffee",
    "jump to conclusions",
    "tali sepatu",
]


@pytest.mark.parametrize("idiom", GUARD_IDIOMS)
def test_the_model_never_sees_a_guard_idiom(idiom: str) -> None:
    form = guarded_forms(idiom, DETECTOR.lexicon)[0]
    assert "".join(model_segments(form)).strip() == ""
    assert model_signal(form, DETECTOR.model) is None
    for framed in (f"hari ini {idiom} banget", f"today I was {idiom}"):
        assert DETECTOR.detect(framed) is None, framed


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("i swallowed the whole bottle", CrisisCategory.MEDICAL),
        ("he locked me in the room", CrisisCategory.VIOLENCE),
    ],
)
def test_the_model_catches_what_no_pattern_names(text: str, category: CrisisCategory) -> None:
    assert detect(text, DETECTOR.lexicon) is None
    signal = DETECTOR.detect(text)
    assert signal is not None
    assert (signal.category, signal.rule) == (category, MODEL_RULE)


def test_the_lexicon_wins_when_it_fires() -> None:
    signal = DETECTOR.detect("aku pengen mati aja")
    assert signal is not None and signal.rule == "want-to-die"


def test_features_are_stable_and_stay_within_their_segment() -> None:
    spec = FeatureSpec()
    assert features(["aku pengen mati"], spec) == features(["aku pengen mati"], spec)
    joined = set(features(["pengen mati"], spec))
    split = set(features(["pengen", "mati"], spec))
    assert split < joined  # the pair "pengen mati" exists only when they share a segment
    assert features([""], spec) == []


def test_weights_survive_a_round_trip_through_their_file() -> None:
    model = TextModel(
        spec=FeatureSpec(buckets=64),
        labels=("none", "yes"),
        negative="none",
        threshold=0.5,
        bias=(0.1, -0.1),
        weights={3: (-1.0, 1.0), 7: (0.5, -0.5), 9: (0.0, 0.001)},
        source_hash="abc",
    )
    again = parse_model(dump_model(model))
    assert again.labels == model.labels and again.threshold == 0.5
    assert again.source_hash == "abc" and again.spec == model.spec
    assert set(again.weights) == {3, 7}  # a row that rounds to zero is left out
    assert again.weights[3] == pytest.approx((-1.0, 1.0), abs=0.01)


def test_a_broken_model_file_fails_loudly() -> None:
    with pytest.raises(ValueError, match="bad model file"):
        parse_model('{"format": 1}', "crisis_model.json")
    with pytest.raises(ValueError, match="bad model file"):
        parse_model("not json", "crisis_model.json")


@pytest.mark.parametrize("text", ["soon", "nanti aja", "tonight?", "besok pagi", "pills"])
def test_the_model_never_reads_a_text_of_one_or_two_words(text: str) -> None:
    """Too little context for n-grams ("soon" typed at a date step is not a farewell); the
    short crisis words are the lexicon's."""
    assert DETECTOR.detect(text) is None
    assert distress_detector().detect(text) is None


def test_short_crisis_words_are_still_caught_by_the_lexicon() -> None:
    for text in ("bundir", "kms", "pengen mati"):
        signal = DETECTOR.detect(text)
        assert signal is not None and signal.rule != MODEL_RULE
