"""Distress detection: the tuning set with its targets, one focused case per concept, the
guards, and the reply every concept gets."""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bot.data_files import crisis_detector, distress_detector, distress_lexicon, shipped
from bot.domain.distress_detection import (
    LEXICON_CONCEPTS,
    DistressConcept,
    detect_distress,
    parse_distress_lexicon,
)
from bot.i18n import LANGUAGES, get_translator
from bot.ui.distress import VALIDATIONS, distress_view

EVAL_SET = Path(__file__).resolve().parents[1] / "distress_eval.toml"
HELDOUT_SET = Path(__file__).resolve().parents[1] / "distress_heldout.toml"
# Stated targets (also in data/README.md). A miss answers a feeling with the menu hint; a false
# alarm answers everyday chat with a kind word and a few buttons: recall is held higher.
RECALL_TARGET = 0.95
PRECISION_TARGET = 0.90
# Honest floors on the held-out set, per batch, just below what the two tiers achieve there as
# the bot runs them (bench/distress_eval_table.py): the crisis detector (lexicon, then model)
# first, distress detection (lexicon, then model) on what it leaves. Per batch: (recall,
# precision) of the distress reply for label "distress", then of the crisis reply for label
# "crisis". Before the round-2 models (lexicons only for distress): batch 1 0.662/1.000 and
# 0.880/0.957; batch 2 0.797/1.000 and 0.917/0.880. After, measured once: batch 1 0.905/1.000
# and 0.920/0.958; batch 2 0.959/1.000 and 1.000/1.000. A new batch needs its own row here.
HELDOUT_FLOORS: dict[int, tuple[tuple[float, float], tuple[float, float]]] = {
    1: ((0.88, 0.97), (0.90, 0.93)),
    2: ((0.93, 0.97), (0.95, 0.95)),
}
LEXICON = distress_lexicon()
DISTRESS = distress_detector()


def _examples(path: Path = EVAL_SET) -> list[dict[str, Any]]:
    with path.open("rb") as fh:
        return tomllib.load(fh)["example"]


def test_tuning_set_is_big_balanced_and_well_formed() -> None:
    examples = _examples()
    positives = [e for e in examples if e["label"] == "distress"]
    assert len(examples) >= 150
    assert 0.4 <= len(positives) / len(examples) <= 0.7
    assert {e["label"] for e in examples} == {"distress", "none"}
    assert {e["concept"] for e in positives} == set(LEXICON_CONCEPTS)
    assert len({e["text"] for e in examples}) == len(examples), "duplicate examples"


def test_tuning_set_meets_the_targets() -> None:
    """Prints the table with ``pytest -s``."""
    fired: Counter[str] = Counter()
    total: Counter[str] = Counter()
    misses, false_alarms, wrong_concept = [], [], []
    for example in _examples():
        signal = detect_distress(example["text"], LEXICON)
        row = example.get("concept", "none")
        total[row] += 1
        fired[row] += signal is not None
        if row != "none" and signal is None:
            misses.append(example["text"])
        if row == "none" and signal is not None:
            false_alarms.append(example["text"])
        if row != "none" and signal is not None and signal.concept != row:
            wrong_concept.append((example["text"], row, signal.concept))
    tp = sum(fired[c] for c in LEXICON_CONCEPTS)
    fn = sum(total[c] for c in LEXICON_CONCEPTS) - tp
    fp = fired["none"]
    recall, precision = tp / (tp + fn), tp / (tp + fp)
    print("\ndistress detection, tuning set (tests/distress_eval.toml)")
    print(f"{'label / concept':<16}{'messages':>9}{'detected':>9}")
    for row in [*LEXICON_CONCEPTS, "none"]:
        print(f"{row:<16}{total[row]:>9}{fired[row]:>9}")
    print(f"precision {precision:.3f}, recall {recall:.3f} (tp={tp} fp={fp} fn={fn})")
    assert recall >= RECALL_TARGET, f"recall {recall:.3f}; missed: {misses}"
    assert precision >= PRECISION_TARGET, f"precision {precision:.3f}; false alarms: {false_alarms}"
    assert wrong_concept == []


def test_heldout_set_is_well_formed_and_shares_no_message_with_the_tuning_set() -> None:
    examples = _examples(HELDOUT_SET)
    assert {e["label"] for e in examples} == {"distress", "crisis", "none"}
    assert {e["lang"] for e in examples} == {"id", "en"}
    assert len({e["text"] for e in examples}) == len(examples), "duplicate examples"
    # Batch 1 and the tuning set, written the same day, share four short everyday messages; from
    # batch 2 on, none. The failure names batches only, never messages.
    tuning = {e["text"] for e in _examples()}
    assert [e["batch"] for e in examples if e["batch"] > 1 and e["text"] in tuning] == []


def test_every_heldout_batch_has_floors() -> None:
    assert sorted(HELDOUT_FLOORS) == sorted({e["batch"] for e in _examples(HELDOUT_SET)})


def _reply(text: str) -> str:
    """The reply the bot gives: the crisis tier first, distress only for what it leaves."""
    if crisis_detector().detect(text) is not None:
        return "crisis"
    return "distress" if DISTRESS.detect(text) is not None else "none"


@pytest.mark.parametrize(
    ("batch", "floors"), HELDOUT_FLOORS.items(), ids=[f"batch-{b}" for b in HELDOUT_FLOORS]
)
def test_heldout_batches_stay_above_their_floors(
    batch: int, floors: tuple[tuple[float, float], tuple[float, float]]
) -> None:
    """Prints the table with ``pytest -s``."""
    replies = [
        (e["label"], _reply(e["text"])) for e in _examples(HELDOUT_SET) if e["batch"] == batch
    ]
    print(f"\ndistress_heldout.toml batch {batch}")
    print(f"{'reply':10} {'precision':>9} {'recall':>7} {'tp':>4} {'fp':>4} {'fn':>4} floors")
    below = []
    for target, (recall_floor, precision_floor) in zip(("distress", "crisis"), floors, strict=True):
        tp = sum(label == target and reply == target for label, reply in replies)
        fp = sum(label != target and reply == target for label, reply in replies)
        fn = sum(label == target and reply != target for label, reply in replies)
        recall = tp / (tp + fn) if tp + fn else 0.0
        precision = tp / (tp + fp) if tp + fp else 0.0
        row = f"{target:10} {precision:9.3f} {recall:7.3f} {tp:4} {fp:4} {fn:4}"
        print(f"{row} {precision_floor:.2f} {recall_floor:.2f}")
        if recall < recall_floor or precision < precision_floor:
            below.append(row)
    # Counts only: whoever tunes the lexicons must not see the held-out messages.
    assert below == [], f"batch {batch} below its floors: {below}"


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("aku udh ga kuat sm semua ini", DistressConcept.CANT_GO_ON),
        ("I can't do this anymore", DistressConcept.CANT_GO_ON),
        ("gak ada harapan lagi", DistressConcept.HOPELESS),
        ("what's the point", DistressConcept.HOPELESS),
        ("gue cuma jadi beban", DistressConcept.BURDEN),
        ("I'm such a burden", DistressConcept.BURDEN),
        ("capek bgt, rasanya pgn menghilang aj", DistressConcept.DISAPPEAR),
        ("I just want to disappear", DistressConcept.DISAPPEAR),
        ("ngerasa gak berharga", DistressConcept.WORTHLESS),
        ("I hate myself", DistressConcept.WORTHLESS),
        ("lagi panic attack", DistressConcept.PANIC),
        ("overthinking terus", DistressConcept.PANIC),
        ("kesepian bngt", DistressConcept.LONELINESS),
        ("I feel so alone", DistressConcept.LONELINESS),
        ("rasanya hampa", DistressConcept.NUMBNESS),
        ("I feel empty", DistressConcept.NUMBNESS),
        ("mental breakdown", DistressConcept.OVERWHELM),
        ("I'm so overwhelmed", DistressConcept.OVERWHELM),
        ("nangis terus dari semalem", DistressConcept.SADNESS),
        ("sedih bgt", DistressConcept.SADNESS),
        ("ngga bisa tidur lagi", DistressConcept.SLEEPLESS),
        ("I can't sleep", DistressConcept.SLEEPLESS),
        ("CAPEEEK BANGETTT", DistressConcept.EXHAUSTION),
        ("I'm exhausted", DistressConcept.EXHAUSTION),
    ],
)
def test_each_concept_in_chat_spelling(text: str, concept: DistressConcept) -> None:
    signal = detect_distress(text, LEXICON)
    assert signal is not None and signal.concept is concept


@pytest.mark.parametrize(
    "text",
    [
        "capek nunggu bus",  # situational tiredness: the kind menu hint (data/README.md)
        "cape deh macet",  # "cape deh" is exasperation, not exhaustion
        "nangis nonton drakor",
        "gak kuat pedes",
        "aku gak sedih kok",
        "temenku lagi sedih, gimana cara bantu dia?",
        "what's the point of the check in round?",
        "halo",
        "makasih",
        "mau daftar grup",
        "jadwal pertemuan kapan?",
    ],
)
def test_everyday_chat_stays_everyday(text: str) -> None:
    assert detect_distress(text, LEXICON) is None


def test_a_guard_only_removes_its_own_words() -> None:
    assert detect_distress("capek nunggu bus, tapi jujur aku capek banget sama semuanya", LEXICON)
    assert detect_distress("nangis nonton drakor, abis itu nangis terus sendirian", LEXICON)


def test_signal_never_carries_the_text() -> None:
    signal = detect_distress("aku kesepian banget", LEXICON)
    assert signal is not None
    assert "kesepian" not in repr(signal)
    assert signal.__slots__ == ("concept",)


def test_a_bad_lexicon_fails_loudly() -> None:
    with pytest.raises(ValueError, match="unknown macro"):
        parse_distress_lexicon('[[concept]]\nid = "panic"\nrationale = "r"\npatterns = ["<x>"]\n')
    with pytest.raises(ValueError, match="unknown concept"):
        parse_distress_lexicon('[[concept]]\nid = "bored"\nrationale = "r"\npatterns = ["a"]\n')
    with pytest.raises(ValueError, match="unknown concept"):  # the model's, not a pattern's
        parse_distress_lexicon('[[concept]]\nid = "model"\nrationale = "r"\npatterns = ["a"]\n')
    with pytest.raises(ValueError, match="rationale"):
        parse_distress_lexicon('[[concept]]\nid = "panic"\npatterns = ["a"]\n')


def test_shipped_lexicon_names_every_concept_once_with_a_rationale() -> None:
    data = tomllib.loads((shipped("data") / "distress_lexicon.toml").read_text(encoding="utf-8"))
    ids = [entry["id"] for entry in data["concept"]]
    assert sorted(ids) == sorted(LEXICON_CONCEPTS)
    for entry in [*data["concept"], *data["guard"]]:
        assert entry["rationale"].strip(), entry["id"]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("concept", list(DistressConcept))
def test_every_concept_gets_a_warm_reply_with_its_next_steps(
    lang: str, concept: DistressConcept
) -> None:
    t = get_translator(lang)
    text, markup = distress_view(t, concept, can_alert=False)
    assert t(VALIDATIONS[concept]) in text and len(text) < 4096
    assert markup is not None
    labels = [button.text for row in markup.inline_keyboard for button in row]
    assert labels == [
        t("🌿 Grounding exercise now"),
        t("📝 My safety plan"),
        t("👥 Find a group"),
        t("📚 Resources"),
        t("🆘 Need help now"),
    ]
    _, with_group = distress_view(t, concept, can_alert=True)
    assert with_group is not None
    assert with_group.inline_keyboard[2][0].text == t("🤝 Let my facilitator know")
