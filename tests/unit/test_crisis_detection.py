"""Crisis-language detection: the labelled evaluation set with its targets, and focused cases."""

from __future__ import annotations

import time
import tomllib
from pathlib import Path

import pytest

from bot.domain.crisis_detection import (
    DEFAULT_PATH,
    CrisisCategory,
    detect,
    load_lexicon,
    normalise,
)

EVAL_SET = Path(__file__).resolve().parents[1] / "crisis_eval.toml"
# Stated targets (also in data/README.md). A miss can cost a life, a false alarm costs one kind
# message, so recall is held higher than precision.
RECALL_TARGET = 0.95
PRECISION_TARGET = 0.90
LABELS = {"none", *CrisisCategory}


def _examples() -> list[dict[str, str]]:
    with EVAL_SET.open("rb") as fh:
        return tomllib.load(fh)["example"]


def test_eval_set_is_big_and_balanced_enough() -> None:
    examples = _examples()
    positives = sum(e["label"] != "none" for e in examples)
    assert len(examples) >= 120
    assert 0.4 <= positives / len(examples) <= 0.65
    assert {e["label"] for e in examples} <= LABELS
    assert len({e["text"] for e in examples}) == len(examples), "duplicate examples"


def test_precision_and_recall_meet_the_targets() -> None:
    tp = fp = fn = 0
    misses, false_alarms = [], []
    for example in _examples():
        fired = detect(example["text"]) is not None
        positive = example["label"] != "none"
        tp += fired and positive
        fp += fired and not positive
        fn += positive and not fired
        if positive and not fired:
            misses.append(example["text"])
        if fired and not positive:
            false_alarms.append(example["text"])
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    print(
        f"crisis detection: precision {precision:.3f}, recall {recall:.3f}"
        f" (tp={tp} fp={fp} fn={fn})"
    )
    assert recall >= RECALL_TARGET, f"recall {recall:.3f} < {RECALL_TARGET}; missed: {misses}"
    assert precision >= PRECISION_TARGET, (
        f"precision {precision:.3f} < {PRECISION_TARGET}; false alarms: {false_alarms}"
    )


def test_positives_get_their_category() -> None:
    wrong = [
        (e["text"], e["label"], signal.category)
        for e in _examples()
        if e["label"] != "none" and (signal := detect(e["text"])) and signal.category != e["label"]
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("aku pengen mati aja", CrisisCategory.SUICIDAL),
        ("PENGEN MATIIIII", CrisisCategory.SUICIDAL),
        ("b*nuh d1ri", CrisisCategory.SUICIDAL),
        ("bunuhdiri", CrisisCategory.SUICIDAL),
        ("I wanna diiiie", CrisisCategory.SUICIDAL),
        ("mau nyayat tangan", CrisisCategory.SELF_HARM),
        ("aku udah minum obat banyak, pengen mati", CrisisCategory.DANGER),
    ],
)
def test_spelling_variants_and_priority(text: str, category: CrisisCategory) -> None:
    signal = detect(text)
    assert signal is not None and signal.category is category


def test_a_guard_only_removes_its_own_words() -> None:
    assert detect("mati lampu terus nih") is None
    assert detect("mati lampu terus, aku pengen mati aja") is not None
    assert detect("my phone died and I want to die") is not None


def test_normalise_reads_chat_spelling() -> None:
    assert "pengen mati" in normalise("Pengennn MATIII!!!")
    assert normalise("kerja mati2an")[0] == "kerja mati matian"
    assert normalise("I don't") == ("i dont",)
    assert normalise("Ĉàfé") == ("cafe",)
    assert normalise("call 119 now")[0] == "call 119 now"  # numbers alone are not leetspeak


def test_signal_never_carries_the_text() -> None:
    signal = detect("aku pengen mati aja")
    assert signal is not None
    assert "mati" not in repr(signal).replace("want-to-die", "")


def test_detection_is_fast() -> None:
    text = "hari ini capek banget kerja, mati lampu pula, tapi besok mau ikut sesi " * 20
    detect(text)
    started = time.perf_counter()
    for _ in range(200):
        detect(text)
    assert (time.perf_counter() - started) / 200 < 0.01  # well under 10 ms per long message


def test_a_bad_lexicon_fails_loudly(tmp_path: Path) -> None:
    bad = tmp_path / "lexicon.toml"
    bad.write_text(
        '[[group]]\nid = "x"\ncategory = "suicidal"\nrationale = "r"\npatterns = ["<nope>"]\n'
    )
    with pytest.raises(ValueError, match="unknown macro"):
        load_lexicon(bad)
    bad.write_text('[[group]]\nid = "x"\ncategory = "suicidal"\npatterns = ["a"]\n')
    with pytest.raises(ValueError, match="rationale"):
        load_lexicon(bad)


def test_shipped_lexicon_groups_all_have_a_rationale() -> None:
    with DEFAULT_PATH.open("rb") as fh:
        data = tomllib.load(fh)
    for entry in [*data["group"], *data["guard"]]:
        assert entry["rationale"].strip(), entry["id"]
