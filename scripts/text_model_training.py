"""What every screening tier's training script shares (scripts/train_crisis_model.py,
scripts/train_distress_model.py): the training loop, the stratified k-fold cross-validation,
the choice of the decision threshold from the held-out folds, the hash of the inputs and the
comparison table.

Deterministic: a fixed seed and plain Python floats, so the same files give the same weights,
byte for byte. The weights are for :class:`bot.domain.text_model.TextModel`, whose
``features`` the scripts compute the rows with; this module never reads text.
"""

from __future__ import annotations

import hashlib
import math
import random
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.domain.text_model import FeatureSpec, TextModel, dump_model, features, long_enough, softmax

Weights = dict[int, list[float]]
# Out of the first row name: rows whose cells are "how many of the found got the right label".
CATEGORY_ROW = "right category"


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    label: str
    lang: str  # "id", "en" or "?" (a tuning set does not say)
    kind: str  # what sort of positive or negative it is (each corpus's header lists them)


@dataclass(frozen=True, slots=True)
class Prediction:
    positive: float  # 1 - P(negative)
    category: str  # the most likely positive label


def source_hash(parts: Iterable[bytes]) -> str:
    """A hash over ``parts`` (each hashed on its own, so no two inputs can run together)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Training:
    """Multinomial logistic regression by stochastic gradient descent over feature rows.

    ``labels[0]`` is the negative class; ``params`` holds epochs, learning_rate, decay, l2,
    seed and folds."""

    labels: tuple[str, ...]
    params: Mapping[str, float | int]

    def train(
        self, rows: Sequence[list[int]], targets: Sequence[int]
    ) -> tuple[list[float], Weights]:
        """The bias and weights after training, L2 on touched rows."""
        rng = random.Random(self.params["seed"])
        bias = [0.0] * len(self.labels)
        weights: Weights = {}
        order = list(range(len(rows)))
        l2 = float(self.params["l2"])
        for epoch in range(int(self.params["epochs"])):
            rng.shuffle(order)
            rate = float(self.params["learning_rate"]) / (1 + float(self.params["decay"]) * epoch)
            for i in order:
                found = rows[i]
                scale = 1 / math.sqrt(len(found)) if found else 0.0
                grad = probabilities(bias, weights, found)
                grad[targets[i]] -= 1
                for k, g in enumerate(grad):
                    bias[k] -= rate * g
                for bucket in found:
                    row = weights.setdefault(bucket, [0.0] * len(self.labels))
                    for k, g in enumerate(grad):
                        row[k] -= rate * (g * scale + l2 * row[k])
        return bias, weights

    def folds_of(self, examples: Sequence[Example]) -> list[int]:
        """A fold number per example, stratified by label (deterministic)."""
        rng = random.Random(self.params["seed"])
        folds = int(self.params["folds"])
        fold = [0] * len(examples)
        for label in self.labels:
            members = [i for i, e in enumerate(examples) if e.label == label]
            rng.shuffle(members)
            for n, i in enumerate(members):
                fold[i] = n % folds
        return fold

    def cross_validate(
        self, examples: Sequence[Example], rows: Sequence[list[int]]
    ) -> list[Prediction]:
        """Out-of-fold predictions for every example."""
        targets = [self.labels.index(e.label) for e in examples]
        fold = self.folds_of(examples)
        folds = int(self.params["folds"])
        out: list[Prediction | None] = [None] * len(examples)
        for k in range(folds):
            train_idx = [i for i in range(len(examples)) if fold[i] != k]
            bias, weights = self.train(
                [rows[i] for i in train_idx], [targets[i] for i in train_idx]
            )
            for i in (i for i in range(len(examples)) if fold[i] == k):
                probs = probabilities(bias, weights, rows[i])
                best = max(range(1, len(self.labels)), key=lambda j: probs[j])
                out[i] = Prediction(1 - probs[0], self.labels[best])
            print(f"  fold {k + 1}/{folds} done", file=sys.stderr)
        return [p for p in out if p is not None]


def probabilities(bias: list[float], weights: Weights, found: list[int]) -> list[float]:
    """As :meth:`bot.domain.text_model.TextModel.probabilities`, on unquantised weights."""
    logits = list(bias)
    if found:
        scale = 1 / math.sqrt(len(found))
        for bucket in found:
            row = weights.get(bucket)
            if row is not None:
                for k, w in enumerate(row):
                    logits[k] += w * scale
    return softmax(logits)


def choose_threshold(
    negatives: Sequence[int],
    oof: Sequence[Prediction],
    lexicon_fired: Sequence[bool],
    max_fpr: float,
    *,
    lexicon_counts: bool = True,
) -> float:
    """The lowest threshold at which lexicon OR model stays within ``max_fpr`` false alarms on
    the ``negatives`` (indices, out of fold), rounded up to two decimals. With
    ``lexicon_counts=False`` only the model's own additions count (for a lexicon that alone
    exceeds the budget): the pair then stays within the lexicon's rate plus ``max_fpr``."""
    allowed = int(max_fpr * len(negatives))
    lexicon_fp = sum(lexicon_fired[i] for i in negatives) if lexicon_counts else 0
    model_only = sorted((oof[i].positive for i in negatives if not lexicon_fired[i]), reverse=True)
    budget = allowed - lexicon_fp
    if budget < 0:
        raise SystemExit(f"the lexicon alone exceeds the false-alarm budget ({lexicon_fp})")
    # Anything strictly above the (budget+1)-th highest negative score is within budget.
    floor = model_only[budget] if budget < len(model_only) else 0.0
    return math.ceil(floor * 100 + 1e-9) / 100


def report(
    examples: Sequence[Example],
    systems: dict[str, Callable[[int], str | None]],
    slices: dict[str, Callable[[Example], bool]],
) -> dict[str, dict[str, str]]:
    """For each slice and system: how many of the slice's examples the system flags (recall
    for positives, false alarms for negatives), or, in a row named CATEGORY_ROW..., how many
    of those flagged got their own label."""
    table: dict[str, dict[str, str]] = {}
    for row, keep in slices.items():
        members = [i for i, e in enumerate(examples) if keep(e)]
        table[row] = {}
        for name, predict in systems.items():
            if row.startswith(CATEGORY_ROW):
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


def out_of_fold(
    training: Training,
    examples: Sequence[Example],
    segments: Sequence[list[str]],
    spec: FeatureSpec,
) -> tuple[list[list[int]], list[Prediction]]:
    """The examples' feature rows and their out-of-fold predictions, as the bot reads them: a
    text too short for the model (``long_enough``) is never its positive."""
    rows = [features(parts, spec) for parts in segments]
    print(
        f"{len(examples)} examples, {training.params['folds']}-fold cross-validation",
        file=sys.stderr,
    )
    oof = training.cross_validate(examples, rows)
    return rows, [
        p if long_enough(parts) else Prediction(0.0, p.category)
        for p, parts in zip(oof, segments, strict=True)
    ]


def fit_and_write(
    training: Training,
    rows: Sequence[list[int]],
    examples: Sequence[Example],
    *,
    spec: FeatureSpec,
    threshold: float,
    digest: str,
    table: dict[str, dict[str, str]],
    output: Path,
) -> None:
    """Trains on every example and writes the weights, their input hash and the table."""
    labels = training.labels
    bias, weights = training.train(rows, [labels.index(e.label) for e in examples])
    model = TextModel(
        spec=spec,
        labels=labels,
        negative=labels[0],
        threshold=threshold,
        bias=tuple(bias),
        weights={b: tuple(row) for b, row in weights.items()},
        source_hash=digest,
    )
    extra = {"params": training.params, "examples": len(examples), "cross_validation": table}
    output.write_text(dump_model(model, extra), encoding="utf-8")
    print(f"wrote {output.name} ({output.stat().st_size // 1024} KiB)")
