"""Crisis-language detection: the tuning and held-out sets with their targets, focused cases."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot.data_files import crisis_detector, crisis_lexicon, shipped
from bot.domain.crisis_detection import (
    CrisisCategory,
    Detector,
    detect,
    parse_lexicon,
)
from bot.domain.lexicon_text import normalise

EVAL_SET = Path(__file__).resolve().parents[1] / "crisis_eval.toml"
HELDOUT_SET = Path(__file__).resolve().parents[1] / "crisis_heldout.toml"
# Stated targets (also in data/README.md). A miss can cost a life, a false alarm costs one kind
# message, so recall is held higher than precision. Met on the tuning set (crisis_eval.toml).
RECALL_TARGET = 0.95
PRECISION_TARGET = 0.90
# Honest floors on the held-out set, per group of batches, just below what the bot's detector
# (the lexicon, then the model) achieves there: (recall, precision). Each batch was written
# before the round it measures and measured once after (bench/crisis_eval_table.py; the table
# of every round is in data/README.md). Batches 1-3 together: 0.962 and 0.955. Batch 4: 0.763
# and 0.897. Batch 5, the only one nobody had seen when the final model was trained: 0.880 and
# 0.886. The recall target is NOT met on unseen messages. A new batch needs its own row here.
HELDOUT_FLOORS: dict[tuple[int, ...], tuple[float, float]] = {
    (1, 2, 3): (0.93, 0.93),
    (4,): (0.74, 0.87),
    (5,): (0.86, 0.86),
}
LABELS = {"none", *CrisisCategory}
LEXICON = crisis_lexicon()
DETECTOR = crisis_detector()


def _examples(path: Path = EVAL_SET) -> list[dict[str, Any]]:
    with path.open("rb") as fh:
        return tomllib.load(fh)["example"]


@dataclass
class _Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    def __str__(self) -> str:
        return (
            f"precision {self.precision:.3f}, recall {self.recall:.3f}"
            f" (tp={self.tp} fp={self.fp} fn={self.fn})"
        )


def _score(examples: list[dict[str, Any]], detector: Detector = LEXICON) -> _Score:
    """Scored with the lexicon alone (the tuning set's regression floor) unless told."""
    score = _Score()
    for example in examples:
        fired = detector.detect(example["text"]) is not None
        positive = example["label"] != "none"
        score.tp += fired and positive
        score.fp += fired and not positive
        score.fn += positive and not fired
        if positive and not fired:
            score.misses.append(example["text"])
        if fired and not positive:
            score.false_alarms.append(example["text"])
    return score


def _assert_at_least(score: _Score, recall: float, precision: float) -> None:
    assert score.recall >= recall, f"recall {score.recall:.3f} < {recall}; missed: {score.misses}"
    assert score.precision >= precision, (
        f"precision {score.precision:.3f} < {precision}; false alarms: {score.false_alarms}"
    )


@pytest.mark.parametrize("path", [EVAL_SET, HELDOUT_SET], ids=["eval", "heldout"])
def test_example_sets_are_big_and_balanced_enough(path: Path) -> None:
    examples = _examples(path)
    positives = sum(e["label"] != "none" for e in examples)
    assert len(examples) >= 120
    assert 0.4 <= positives / len(examples) <= 0.65
    assert {e["label"] for e in examples} <= LABELS
    assert len({e["text"] for e in examples}) == len(examples), "duplicate examples"


def test_heldout_set_shares_no_message_with_the_tuning_set() -> None:
    tuning = {e["text"] for e in _examples(EVAL_SET)}
    assert [e["text"] for e in _examples(HELDOUT_SET) if e["text"] in tuning] == []


def test_tuning_set_meets_the_targets() -> None:
    score = _score(_examples(EVAL_SET))
    print(f"crisis detection, tuning set (crisis_eval.toml): {score}")
    _assert_at_least(score, RECALL_TARGET, PRECISION_TARGET)


def test_every_heldout_batch_has_floors() -> None:
    covered = sorted(batch for batches in HELDOUT_FLOORS for batch in batches)
    assert covered == sorted({e["batch"] for e in _examples(HELDOUT_SET)})


@pytest.mark.parametrize(
    ("batches", "floors"),
    HELDOUT_FLOORS.items(),
    ids=["batches-" + "-".join(map(str, batches)) for batches in HELDOUT_FLOORS],
)
def test_heldout_batches_stay_above_their_floors(
    batches: tuple[int, ...], floors: tuple[float, float]
) -> None:
    examples = [e for e in _examples(HELDOUT_SET) if e["batch"] in batches]
    recall, precision = floors
    score = _score(examples, DETECTOR)
    rows = [
        (f"batch {b}", _score([e for e in examples if e["batch"] == b], DETECTOR)) for b in batches
    ]
    if len(batches) > 1:
        rows.append((f"batches {batches[0]}-{batches[-1]}", score))
    print(
        f"\n{'crisis_heldout.toml':22} {'precision':>9} {'recall':>7} {'tp':>4} {'fp':>4} {'fn':>4}"
    )
    for name, part in rows:
        print(
            f"{name:22} {part.precision:9.3f} {part.recall:7.3f}"
            f" {part.tp:4} {part.fp:4} {part.fn:4}"
        )
    print(f"{'floors':22} {precision:9.3f} {recall:7.3f}")
    # Counts only: whoever tunes the lexicon must not see the held-out messages.
    assert score.recall >= recall, f"held-out recall {score.recall:.3f} < {recall}"
    assert score.precision >= precision, f"held-out precision {score.precision:.3f} < {precision}"


def test_positives_get_their_category() -> None:
    wrong = [
        (e["text"], e["label"], signal.category)
        for e in _examples()
        if e["label"] != "none"
        and (signal := detect(e["text"], LEXICON))
        and signal.category != e["label"]
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
        ("aku udah minum obat banyak, pengen mati", CrisisCategory.MEDICAL),
    ],
)
def test_spelling_variants_and_priority(text: str, category: CrisisCategory) -> None:
    signal = detect(text, LEXICON)
    assert signal is not None and signal.category is category


def test_a_guard_only_removes_its_own_words() -> None:
    assert detect("mati lampu terus nih", LEXICON) is None
    assert detect("mati lampu terus, aku pengen mati aja", LEXICON) is not None
    assert detect("my phone died and I want to die", LEXICON) is not None
    assert detect("ngakak sampe mau mati, tapi jujur aku pengen mati aja", LEXICON) is not None
    assert detect("tali sepatu putus, tapi aku udah siapin talinya", LEXICON) is not None
    assert detect("I want to die, my hair is falling out", LEXICON) is not None


@pytest.mark.parametrize(
    "text",
    [
        "ketawa ketawa sampe hampir mati",
        "I'm going to dye my hair green",
        "she wants to die her hair pink again",
        "jumping rope at the park",
        "let's not jump to conclusions",
        "atlet lompat galah itu juara",
        "terjun payung di Bali seru banget",
        "beli tali rafia sama lakban",
        "skipping rope is great cardio",
        "still learning the ropes at the new job",
    ],
)
def test_everyday_idioms_are_guarded(text: str) -> None:
    assert detect(text, LEXICON) is None


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("rasanya keluargaku lebih tenang kalo gue tiada", "better-off-without-me"),
        ("pingin nyusul almarhumah nenek", "join-the-dead"),
        ("gusti, cabut nyawaku", "god-take-my-life"),
        ("tali udah terpasang", "preparations"),
        ("kepikiran lompat dari tebing", "jump-from-height"),
        ("I do not see any reason to keep living", "no-reason-to-live"),
        ("pacarku lagi nendang aku", "danger-hurt-by-someone"),
        ("dia ngancem aku pake golok", "danger-threatened-by-someone"),
    ],
)
def test_each_new_concept_has_its_group(text: str, rule: str) -> None:
    signal = detect(text, LEXICON)
    assert signal is not None and signal.rule == rule


def test_normalise_reads_chat_spelling() -> None:
    assert "pengen mati" in normalise("Pengennn MATIII!!!")
    assert normalise("kerja mati2an")[0] == "kerja mati matian"
    assert normalise("I don't") == ("i dont",)
    assert normalise("Ĉàfé") == ("cafe",)
    assert normalise("call 119 now")[0] == "call 119 now"  # numbers alone are not leetspeak


def test_signal_never_carries_the_text() -> None:
    signal = detect("aku pengen mati aja", LEXICON)
    assert signal is not None
    assert "mati" not in repr(signal).replace("want-to-die", "")


def test_a_bad_lexicon_fails_loudly() -> None:
    bad = '[[group]]\nid = "x"\ncategory = "suicidal"\nrationale = "r"\npatterns = ["<nope>"]\n'
    with pytest.raises(ValueError, match="unknown macro"):
        parse_lexicon(bad)
    with pytest.raises(ValueError, match="rationale"):
        parse_lexicon('[[group]]\nid = "x"\ncategory = "suicidal"\npatterns = ["a"]\n')


def test_shipped_lexicon_groups_all_have_a_rationale() -> None:
    data = tomllib.loads((shipped("data") / "crisis_lexicon.toml").read_text(encoding="utf-8"))
    for entry in [*data["group"], *data["guard"]]:
        assert entry["rationale"].strip(), entry["id"]
