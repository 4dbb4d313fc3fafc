"""Trains the crisis detector's second stage and writes data/crisis_model.json.

Trains on data/corpus/crisis/*.toml plus every example of tests/crisis_eval.toml, as the bot
reads them: normalised, with the lexicon's guard idioms blanked out. Deterministic (a fixed
seed, plain Python floats): the same files give the same weights, byte for byte, and the file
records a hash of what it was trained from, which tests/unit/test_crisis_model.py checks.

Before the final fit it runs a stratified k-fold cross-validation and picks the decision
threshold from the held-out folds: the lowest at which lexicon OR model keeps false alarms on
hard negatives (everyday messages sharing crisis words) at or under PARAMS["max_hard_fpr"]. It
prints the comparison table (lexicon alone, model alone, lexicon OR model) that
data/README.md quotes, and stores it in the weights file. The machinery (training loop, folds,
threshold, table) is shared with the distress model's script: scripts/text_model_training.py.
Takes about a minute::

    .venv/bin/python scripts/train_crisis_model.py          # cross-validate, train, write
    .venv/bin/python scripts/train_crisis_model.py --hash   # only print the inputs' hash
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.data_files import crisis_lexicon  # noqa: E402
from bot.domain.crisis_detection import (  # noqa: E402
    PRIORITY,
    Lexicon,
    guarded_forms,
)
from bot.domain.lexicon_text import model_segments  # noqa: E402
from bot.domain.text_model import (  # noqa: E402
    FORMAT,
    FeatureSpec,
)
from scripts.text_model_training import (  # noqa: E402
    CATEGORY_ROW,
    Example,
    Training,
    choose_threshold,
    fit_and_write,
    out_of_fold,
    print_table,
)
from scripts.text_model_training import report as shared_report  # noqa: E402
from scripts.text_model_training import source_hash as hash_of  # noqa: E402

# Every *.toml here is part of the corpus (kept out of the wheel: the bot needs only the weights).
CORPUS = ROOT / "data" / "corpus" / "crisis"
EVAL_SET = ROOT / "tests" / "crisis_eval.toml"
# Pain that is not a crisis, from the distress tier's corpus and tuning set: negatives here, so
# the model learns where the crisis reply stops and the distress reply begins.
DISTRESS_CORPUS = ROOT / "data" / "corpus" / "distress"
DISTRESS_EVAL_SET = ROOT / "tests" / "distress_eval.toml"
OUTPUT = ROOT / "data" / "crisis_model.json"
NEGATIVE = "none"
LABELS = (NEGATIVE, *PRIORITY)
SPEC = FeatureSpec()
# Bump when the training procedure changes in a way PARAMS does not show.
TRAINER_VERSION = 3  # 2: the distress tier's messages are negatives; 3: MIN_WORDS
PARAMS = {
    "epochs": 12,
    "learning_rate": 2.0,
    "decay": 0.25,  # learning rate / (1 + decay * epoch)
    "l2": 1e-4,
    "seed": 20261205,
    "folds": 5,
    "max_hard_fpr": 0.05,
}
TRAINING = Training(LABELS, PARAMS)


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
    seen = {e.text for e in examples}
    distress = [
        (text, s["label"], s["lang"])
        for path in sorted(DISTRESS_CORPUS.glob("*.toml"))
        for s in tomllib.loads(path.read_text(encoding="utf-8"))["set"]
        for text in s["texts"]
    ] + [
        (e["text"], e["label"], "?")
        for e in tomllib.loads(DISTRESS_EVAL_SET.read_text(encoding="utf-8"))["example"]
    ]
    for text, label, lang in distress:
        if text not in seen:  # a crisis example keeps its crisis label
            seen.add(text)
            kind = "distress" if label == "distress" else "everyday"
            examples.append(Example(text, NEGATIVE, lang, kind))
    return examples


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.toml"))


def distress_files() -> list[Path]:
    return [*sorted(DISTRESS_CORPUS.glob("*.toml")), DISTRESS_EVAL_SET]


def source_hash(lexicon: Lexicon) -> str:
    """What the weights depend on: the corpus, the tuning set, the guards and unmask words
    (they shape the text the model reads), the features and the training parameters."""
    return hash_of(
        (
            *(path.name.encode() + path.read_bytes() for path in corpus_files()),
            EVAL_SET.read_bytes(),
            *(path.name.encode() + path.read_bytes() for path in distress_files()),
            json.dumps([g.pattern for g in lexicon.guards]).encode(),
            json.dumps(lexicon.unmask_words).encode(),
            json.dumps([FORMAT, TRAINER_VERSION, SPEC.as_dict(), PARAMS], sort_keys=True).encode(),
        )
    )


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
        f"{CATEGORY_ROW} (of positives found)": lambda e: e.label != NEGATIVE,
    }
    return shared_report(examples, systems, slices)


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
    segments = [model_segments(guarded_forms(e.text, lexicon)[0]) for e in examples]
    lexicon_signals = [lexicon.detect(e.text) for e in examples]
    rows, oof = out_of_fold(TRAINING, examples, segments, SPEC)
    # The tuning set's and the corpus's hard negatives share words with crisis language: the
    # false-alarm budget is spent on them.
    hard = [i for i, e in enumerate(examples) if e.kind == "hard"]
    lexicon_fired = [s is not None for s in lexicon_signals]
    threshold = choose_threshold(hard, oof, lexicon_fired, float(PARAMS["max_hard_fpr"]))

    def lexicon_alone(i: int) -> str | None:
        signal = lexicon_signals[i]
        return signal.category.value if signal else None

    def model_alone(i: int) -> str | None:
        return oof[i].category if oof[i].positive >= threshold else None

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
    fit_and_write(
        TRAINING,
        rows,
        examples,
        spec=SPEC,
        threshold=threshold,
        digest=digest,
        table=table,
        output=OUTPUT,
    )


if __name__ == "__main__":
    main()
