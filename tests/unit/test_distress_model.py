"""The distress detector's second stage: shipped weights, what the model sees, how it combines
with the lexicon, and the reply a model hit gets."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bot.data_files import distress_detector
from bot.domain.distress_detection import (
    DistressConcept,
    DistressSignal,
    detect_distress,
    guarded_forms,
)
from bot.domain.lexicon_text import model_segments
from bot.i18n import LANGUAGES, get_translator
from bot.ui.distress import VALIDATIONS, distress_view

ROOT = Path(__file__).resolve().parents[2]
DETECTOR = distress_detector()


def _tuning_negatives() -> list[str]:
    examples = tomllib.loads((ROOT / "tests" / "distress_eval.toml").read_text(encoding="utf-8"))
    return [e["text"] for e in examples["example"] if e["label"] == "none"]


@pytest.mark.parametrize("text", _tuning_negatives())
def test_the_model_never_fires_on_the_tuning_sets_everyday_messages(text: str) -> None:
    form = guarded_forms(text, DETECTOR.lexicon)[0]
    assert DETECTOR.model.predict(model_segments(form)) is None
    assert DETECTOR.detect(text) is None


@pytest.mark.parametrize(
    ("idiom", "feeling"),
    [("capek nunggu bus", "capek"), ("nangis nonton drakor", "nangis"), ("gak kuat pedes", "kuat")],
)
def test_the_model_never_sees_a_guard_idiom(idiom: str, feeling: str) -> None:
    form = guarded_forms(idiom, DETECTOR.lexicon)[0]
    assert feeling not in form
    assert DETECTOR.model.predict(model_segments(form)) is None


@pytest.mark.parametrize(
    "text",
    [
        "rasanya dunia runtuh",
        "aku jalan tapi rasanya kayak gak napak",
        "everything feels grey lately",
        "i feel like a ghost in my own house",
    ],
)
def test_the_model_catches_what_no_pattern_names(text: str) -> None:
    assert detect_distress(text, DETECTOR.lexicon) is None
    assert DETECTOR.detect(text) == DistressSignal(DistressConcept.MODEL)


def test_the_lexicon_wins_when_it_fires() -> None:
    assert DETECTOR.detect("capek bgt") == DistressSignal(DistressConcept.EXHAUSTION)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_model_hit_gets_the_general_reply_and_the_safety_question(lang: str) -> None:
    t = get_translator(lang)
    text, markup = distress_view(t, DistressConcept.MODEL, can_alert=False)
    assert text.startswith(f"💛 {t(VALIDATIONS[DistressConcept.MODEL])}")
    assert t("🆘 Need help now") in text  # it may be a crisis the crisis tier missed
    assert markup is not None
    assert markup.inline_keyboard[-1][0].text == t("🆘 Need help now")
