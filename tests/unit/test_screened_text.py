"""One screening pass per message: crisis and distress detection share one ``ScreenedText``
(its normalised forms and model features) and find exactly what each finds on its own, on
every text of the corpora, tuning and held-out sets."""

from __future__ import annotations

import pytest

from bot.data_files import crisis_detector, distress_detector
from bot.domain import lexicon_text
from bot.domain.lexicon_text import ScreenedText, normalise
from tests.unit.test_screening_fast_path import TEXTS

CRISIS = crisis_detector()
DISTRESS = distress_detector()


def test_a_shared_pass_finds_what_the_separate_ones_find() -> None:
    for text in TEXTS:
        alone = (CRISIS.detect(text), DISTRESS.detect(text))
        screened = ScreenedText(text)
        assert (CRISIS.detect_screened(screened), DISTRESS.detect_screened(screened)) == alone
        # The other way round: whichever tier reads first, the second finds the same.
        screened = ScreenedText(text)
        distress = DISTRESS.detect_screened(screened)
        assert (CRISIS.detect_screened(screened), distress) == alone


def test_forms_are_normalise_for_each_lexicon() -> None:
    for text in TEXTS:
        screened = ScreenedText(text)
        assert screened.forms(CRISIS.lexicon.unmask_words) == normalise(
            text, CRISIS.lexicon.unmask_words
        )
        assert screened.forms() == normalise(text)


def test_the_unmask_words_reach_only_the_tier_that_has_them() -> None:
    screened = ScreenedText("b*nuh d*ri")
    assert screened.forms(CRISIS.lexicon.unmask_words) == ("bunuh diri",)
    assert screened.forms() == ("b nuh d ri",)


def test_a_message_is_hashed_into_features_once(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[list[str]] = []

    def counted(segments: list[str], spec: lexicon_text.FeatureSpec) -> list[int]:
        made.append(segments)
        return real(segments, spec)

    real = lexicon_text.features
    monkeypatch.setattr(lexicon_text, "features", counted)
    # No pattern of either tier matches, so both models read it.
    screened = ScreenedText("besok aku mau ke pasar beli sayur sama ibu")
    assert CRISIS.detect_screened(screened) is None
    assert DISTRESS.detect_screened(screened) is None
    assert len(made) == 1
    DISTRESS.detect_screened(ScreenedText(screened.text))  # a fresh reading hashes again
    assert len(made) == 2
