"""Trains the crisis detector's second stage and writes data/crisis_model.json.

Trains on data/corpus/crisis/*.toml plus every example of tests/crisis_eval.toml, as the bot
reads them: normalised, with the lexicon's guard idioms blanked out. Deterministic (a fixed
seed, plain Python floats): the same files give the same weights, byte for byte, and the file
records a hash of what it was trained from, which tests/unit/test_crisis_model.py checks.

Before the final fit it runs a stratified k-fold cross-validation and picks the decision
threshold from the held-out folds: the lowest at which lexicon OR model keeps false alarms on
hard negatives (everyday messages sharing crisis words) at or under MAX_HARD_FPR. It prints the
comparison table (lexicon alone, model alone, lexicon OR model) that data/README.md quotes,
and stores it in the weights file. Takes about a minute or two::

    .venv/bin/python scripts/train_crisis_model.py          # cross-validate, train, write
    .venv/bin/python scripts/train_crisis_model.py --hash   # only print the inputs' hash
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import sys
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.data_files import crisis_lexicon  # noqa: E402
from bot.domain.crisis_detection import (  # noqa: E402
    PRIORITY,
    Lexicon,
    guarded_forms,
    model_segments,
)
from bot.domain.text_model import (  # noqa: E402
    FORMAT,
    FeatureSpec,
    TextModel,
    dump_model,
    features,
    softmax,
)

# Every *.toml here is part of the corpus (kept out of the wheel: the bot needs only the weights).
CORPUS = ROOT / "data" / "corpus" / "crisis"
EVAL_SET = ROOT / "tests" / "crisis_eval.toml"
OUTPUT = ROOT / "data" / "crisis_model.json"
NEGATIVE = "none"
LABELS = (NEGATIVE, *PRIORITY)
SPEC = FeatureSpec()
# Bump when the training procedure changes in a way PARAMS does not show.
TRAINER_VERSION = 1
PARAMS = {
    "epochs": 12,
    "learning_rate": 2.0,
    "decay": 0.25,  # learning rate / (1 + decay * epoch)
    "l2": 1e-4,
    "seed": 20261205,
    "folds": 5,
    "max_hard_fpr": 0.03,
}


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    label: str
    lang: str  # "id", "en" or "?" (the tuning set does not say)
    kind: str  # "crisis", "hard", "distress" or "everyday"


def load_examples() -> list[Example]:
    examples = [
        Example(text, s["label"], s["lang"], s["kind"])
        for path in corpus_files()
        for s in tomllib.loads(path.read_text(encoding="utf-8"))["set"]
        for text in s["texts"]
    ]
    tuning = tomllib.loads(EVAL_SET.read_text(encoding="utf-8"))["example"]
    # The tuning set's negatives all share words with crisis language: hard negatives.
    examples += [
        Example(e["text"], e["label"], "?", "crisis" if e["label"] != NEGATIVE else "hard")
        for e in tuning
    ]
    return examples


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.toml"))


def source_hash(lexicon: Lexicon) -> str:
    """What the weights depend on: the corpus, the tuning set, the guards and unmask words
    (they shape the text the model reads), the features and the training parameters."""
    digest = hashlib.sha256()
    for part in (
        *(path.name.encode() + path.read_bytes() for path in corpus_files()),
        EVAL_SET.read_bytes(),
        json.dumps([g.pattern for g in lexicon.guards]).encode(),
        json.dumps(lexicon.unmask_words).encode(),
        json.dumps([FORMAT, TRAINER_VERSION, SPEC.as_dict(), PARAMS], sort_keys=True).encode(),
    ):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def featurise(text: str, lexicon: Lexicon) -> list[int]:
    return features(model_segments(guarded_forms(text, lexicon)[0]), SPEC)


Weights = dict[int, list[float]]


def train(rows: Sequence[list[int]], targets: Sequence[int]) -> tuple[list[float], Weights]:
    """Multinomial logistic regression by stochastic gradient descent, L2 on touched rows."""
    rng = random.Random(PARAMS["seed"])
    bias = [0.0] * len(LABELS)
    weights: Weights = {}
    order = list(range(len(rows)))
    l2 = float(PARAMS["l2"])
    for epoch in range(int(PARAMS["epochs"])):
        rng.shuffle(order)
        rate = float(PARAMS["learning_rate"]) / (1 + float(PARAMS["decay"]) * epoch)
        for i in order:
            found = rows[i]
            scale = 1 / math.sqrt(len(found)) if found else 0.0
            grad = _probabilities(bias, weights, found)
            grad[targets[i]] -= 1
            for k, g in enumerate(grad):
                bias[k] -= rate * g
            for bucket in found:
                row = weights.setdefault(bucket, [0.0] * len(LABELS))
                for k, g in enumerate(grad):
                    row[k] -= rate * (g * scale + l2 * row[k])
    return bias, weights


def _probabilities(bias: list[float], weights: Weights, found: list[int]) -> list[float]:
    logits = list(bias)
    if found:
        scale = 1 / math.sqrt(len(found))
        for bucket in found:
            row = weights.get(bucket)
            if row is not None:
                for k, w in enumerate(row):
                    logits[k] += w * scale
    return softmax(logits)


def folds_of(examples: Sequence[Example]) -> list[int]:
    """A fold number per example, stratified by label (deterministic)."""
    rng = random.Random(PARAMS["seed"])
    fold = [0] * len(examples)
    for label in LABELS:
        members = [i for i, e in enumerate(examples) if e.label == label]
        rng.shuffle(members)
        for n, i in enumerate(members):
            fold[i] = n % int(PARAMS["folds"])
    return fold


@dataclass(frozen=True, slots=True)
class Prediction:
    crisis: float  # 1 - P(none)
    category: str  # the most likely crisis label


def cross_validate(examples: Sequence[Example], rows: Sequence[list[int]]) -> list[Prediction]:
    """Out-of-fold predictions for every example."""
    targets = [LABELS.index(e.label) for e in examples]
    fold = folds_of(examples)
    out: list[Prediction | None] = [None] * len(examples)
    for k in range(int(PARAMS["folds"])):
        train_idx = [i for i in range(len(examples)) if fold[i] != k]
        bias, weights = train([rows[i] for i in train_idx], [targets[i] for i in train_idx])
        for i in (i for i in range(len(examples)) if fold[i] == k):
            probs = _probabilities(bias, weights, rows[i])
            best = max(range(1, len(LABELS)), key=lambda j: probs[j])
            out[i] = Prediction(1 - probs[0], LABELS[best])
        print(f"  fold {k + 1}/{PARAMS['folds']} done", file=sys.stderr)
    return [p for p in out if p is not None]


def choose_threshold(
    examples: Sequence[Example], oof: Sequence[Prediction], lexicon_fired: Sequence[bool]
) -> float:
    """The lowest threshold at which lexicon OR model stays within MAX_HARD_FPR on hard
    negatives (out of fold), rounded up to two decimals."""
    hard = [i for i, e in enumerate(examples) if e.kind == "hard"]
    allowed = int(float(PARAMS["max_hard_fpr"]) * len(hard))
    lexicon_fp = sum(lexicon_fired[i] for i in hard)
    model_only = sorted((oof[i].crisis for i in hard if not lexicon_fired[i]), reverse=True)
    budget = allowed - lexicon_fp
    if budget < 0:
        raise SystemExit(f"the lexicon alone exceeds the false-alarm budget ({lexicon_fp})")
    # Anything strictly above the (budget+1)-th highest negative score is within budget.
    floor = model_only[budget] if budget < len(model_only) else 0.0
    return math.ceil(floor * 100 + 1e-9) / 100


def report(
    examples: Sequence[Example],
    systems: dict[str, Callable[[int], str | None]],
) -> dict[str, dict[str, str]]:
    """Recall per slice of positives and false-alarm rate per kind of negative."""
    slices: dict[str, Callable[[Example], bool]] = {
        "recall, all positives": lambda e: e.label != NEGATIVE,
        **{f"recall, {label}": (lambda e, label=label: e.label == label) for label in LABELS[1:]},
        "recall, id": lambda e: e.label != NEGATIVE and e.lang == "id",
        "recall, en": lambda e: e.label != NEGATIVE and e.lang == "en",
        "false alarms, hard negatives": lambda e: e.kind == "hard",
        "false alarms, distress": lambda e: e.kind == "distress",
        "answered, topic (on purpose)": lambda e: e.kind == "topic",
        "false alarms, everyday": lambda e: e.kind == "everyday",
        "right category (of positives found)": lambda e: e.label != NEGATIVE,
    }
    table: dict[str, dict[str, str]] = {}
    for row, keep in slices.items():
        members = [i for i, e in enumerate(examples) if keep(e)]
        table[row] = {}
        for name, predict in systems.items():
            if row.startswith("right category"):
                found = [(i, c) for i in members if (c := predict(i)) is not None]
                right = sum(c == examples[i].label for i, c in found)
                table[row][name] = f"{right / len(found):.3f}" if found else "-"
            else:
                fired = sum(predict(i) is not None for i in members)
                table[row][name] = f"{fired / len(members):.3f} ({fired}/{len(members)})"
    return table


def print_table(table: dict[str, dict[str, str]]) -> None:
    names = list(next(iter(table.values())))
    print("| | " + " | ".join(names) + " |")
    print("| --- |" + " --- |" * len(names))
    for row, cells in table.items():
        print(f"| {row} | " + " | ".join(cells[n] for n in names) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hash", action="store_true", help="print the inputs' hash and stop")
    args = parser.parse_args()
    lexicon = crisis_lexicon()
    digest = source_hash(lexicon)
    if args.hash:
        print(digest)
        return
    examples = load_examples()
    rows = [featurise(e.text, lexicon) for e in examples]
    lexicon_signals = [lexicon.detect(e.text) for e in examples]
    print(f"{len(examples)} examples, {PARAMS['folds']}-fold cross-validation", file=sys.stderr)
    oof = cross_validate(examples, rows)
    threshold = choose_threshold(examples, oof, [s is not None for s in lexicon_signals])

    def lexicon_alone(i: int) -> str | None:
        signal = lexicon_signals[i]
        return signal.category.value if signal else None

    def model_alone(i: int) -> str | None:
        return oof[i].category if oof[i].crisis >= threshold else None

    table = report(
        examples,
        {
            "lexicon alone": lexicon_alone,
            "model alone": model_alone,
            "lexicon OR model": lambda i: lexicon_alone(i) or model_alone(i),
        },
    )
    print(
        f"threshold {threshold:.2f} (out-of-fold, hard-negative false alarms <= "
        f"{PARAMS['max_hard_fpr']:.0%} for lexicon OR model)"
    )
    print_table(table)
    bias, weights = train(rows, [LABELS.index(e.label) for e in examples])
    model = TextModel(
        spec=SPEC,
        labels=LABELS,
        negative=NEGATIVE,
        threshold=threshold,
        bias=tuple(bias),
        weights={b: tuple(row) for b, row in weights.items()},
        source_hash=digest,
    )
    extra = {"params": PARAMS, "examples": len(examples), "cross_validation": table}
    OUTPUT.write_text(dump_model(model, extra), encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)} ({OUTPUT.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
