"""Trains the distress detector's second stage and writes data/distress_model.json.

Trains on data/corpus/distress/*.toml, every example of tests/distress_eval.toml, and, from the
crisis corpus (data/corpus/crisis/*.toml, read, never copied), its crisis messages and its
"distress" negatives as distress, its "everyday" messages as none: a crisis message the crisis
tier misses should at least get the warm distress reply with its "🆘 Need help now" button.
Texts are read as the bot reads them: normalised, with the distress lexicon's guard idioms
blanked out. Deterministic, like the crisis model's script (the machinery is shared:
scripts/text_model_training.py); the file records a hash of what it was trained from, which
tests/unit/test_distress_model.py checks.

Before the final fit a stratified k-fold cross-validation picks the decision threshold from
the held-out folds: the lowest at which the model adds false alarms on at most MAX_FPR of the
"none" messages (the ones the lexicon leaves alone: the lexicon alone already exceeds that
rate on this corpus's hard negatives). It prints the comparison table (lexicon alone, model alone,
lexicon OR model) that data/README.md quotes, and stores it in the weights file. About 15 s::

    .venv/bin/python scripts/train_distress_model.py          # cross-validate, train, write
    .venv/bin/python scripts/train_distress_model.py --hash   # only print the inputs' hash
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.data_files import distress_lexicon  # noqa: E402
from bot.domain.crisis_detection import PRIORITY  # noqa: E402
from bot.domain.distress_detection import (  # noqa: E402
    DistressLexicon,
    detect_distress,
    guarded_forms,
)
from bot.domain.lexicon_text import model_segments  # noqa: E402
from bot.domain.text_model import (  # noqa: E402
    FORMAT,
    FeatureSpec,
)
from scripts.text_model_training import (  # noqa: E402
    Example,
    Training,
    choose_threshold,
    fit_and_write,
    out_of_fold,
    print_table,
    report,
    source_hash,
)

# Every *.toml here is part of the corpus (kept out of the wheel: the bot needs only the weights).
CORPUS = ROOT / "data" / "corpus" / "distress"
CRISIS_CORPUS = ROOT / "data" / "corpus" / "crisis"
EVAL_SET = ROOT / "tests" / "distress_eval.toml"
OUTPUT = ROOT / "data" / "distress_model.json"
NEGATIVE = "none"
POSITIVE = "distress"
LABELS = (NEGATIVE, POSITIVE)
SPEC = FeatureSpec()
# Bump when the training procedure changes in a way PARAMS does not show.
TRAINER_VERSION = 2  # 2: MIN_WORDS
PARAMS = {
    "epochs": 12,
    "learning_rate": 2.0,
    "decay": 0.25,  # learning rate / (1 + decay * epoch)
    "l2": 1e-4,
    "seed": 20261206,
    "folds": 5,
    "max_fpr": 0.03,
}
TRAINING = Training(LABELS, PARAMS)
# What the crisis corpus's messages are here, by its label and kind ("none" kinds left out —
# "hard" and "topic" — share crisis words and mean nothing for distress either way).
CRISIS_LABELS = {category.value for category in PRIORITY}
# Kinds of positives that come from the crisis corpus (the table reports them apart).
FROM_CRISIS = ("crisis", "crisis-corpus distress")


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.toml"))


def crisis_corpus_files() -> list[Path]:
    return sorted(CRISIS_CORPUS.glob("*.toml"))


def _sets(path: Path) -> list[dict[str, object]]:
    sets: list[dict[str, object]] = tomllib.loads(path.read_text(encoding="utf-8"))["set"]
    return sets


def _from_crisis_corpus() -> Iterator[Example]:
    for path in crisis_corpus_files():
        for s in _sets(path):
            label, kind, lang = str(s["label"]), str(s["kind"]), str(s["lang"])
            texts = [str(text) for text in s["texts"]]  # type: ignore[attr-defined]
            if label in CRISIS_LABELS:
                yield from (Example(text, POSITIVE, lang, "crisis") for text in texts)
            elif kind == "distress":
                yield from (
                    Example(text, POSITIVE, lang, "crisis-corpus distress") for text in texts
                )
            elif kind == "everyday":
                yield from (Example(text, NEGATIVE, lang, "everyday") for text in texts)


def load_examples() -> list[Example]:
    """Every example once: a text written twice (in any file) is kept the first time, and a
    text given two labels stops training."""
    tuning = tomllib.loads(EVAL_SET.read_text(encoding="utf-8"))["example"]
    candidates = [
        *(
            Example(text, str(s["label"]), str(s["lang"]), str(s["kind"]))
            for path in corpus_files()
            for s in _sets(path)
            for text in s["texts"]  # type: ignore[attr-defined]
        ),
        *(Example(e["text"], e["label"], "?", e.get("concept", "tuning")) for e in tuning),
        *_from_crisis_corpus(),
    ]
    kept: dict[str, Example] = {}
    for example in candidates:
        key = example.text.casefold().strip()
        first = kept.setdefault(key, example)
        if first.label != example.label:
            raise SystemExit(f"labelled both {first.label} and {example.label}: {example.text!r}")
    return list(kept.values())


def input_hash(lexicon: DistressLexicon) -> str:
    """What the weights depend on: both corpora, the tuning set, the guards (they shape the
    text the model reads), the features and the training parameters."""
    return source_hash(
        (
            *(path.name.encode() + path.read_bytes() for path in corpus_files()),
            *(
                b"crisis/" + path.name.encode() + path.read_bytes()
                for path in crisis_corpus_files()
            ),
            EVAL_SET.read_bytes(),
            json.dumps([g.pattern for g in lexicon.guards]).encode(),
            json.dumps([FORMAT, TRAINER_VERSION, SPEC.as_dict(), PARAMS], sort_keys=True).encode(),
        )
    )


def slices(examples: Sequence[Example]) -> dict[str, Callable[[Example], bool]]:
    """Recall per source and language of positives, false alarms per kind and language."""

    def own(e: Example) -> bool:
        return e.label == POSITIVE and e.kind not in FROM_CRISIS and e.lang != "?"

    rows: dict[str, Callable[[Example], bool]] = {
        "recall, all positives": lambda e: e.label == POSITIVE,
        "recall, distress corpus, id": lambda e: own(e) and e.lang == "id",
        "recall, distress corpus, en": lambda e: own(e) and e.lang == "en",
        "recall, tuning set": lambda e: e.label == POSITIVE and e.lang == "?",
        "recall, crisis corpus: crisis, id": lambda e: e.kind == "crisis" and e.lang == "id",
        "recall, crisis corpus: crisis, en": lambda e: e.kind == "crisis" and e.lang == "en",
        "recall, crisis corpus: distress": lambda e: e.kind == "crisis-corpus distress",
        "false alarms, all none": lambda e: e.label == NEGATIVE,
        "false alarms, none, id": lambda e: e.label == NEGATIVE and e.lang == "id",
        "false alarms, none, en": lambda e: e.label == NEGATIVE and e.lang == "en",
    }
    kinds = sorted({e.kind for e in examples if e.label == NEGATIVE})
    for kind in kinds:
        rows[f"false alarms, {kind}"] = lambda e, kind=kind: e.label == NEGATIVE and e.kind == kind
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hash", action="store_true", help="print the inputs' hash and stop")
    args = parser.parse_args()
    lexicon = distress_lexicon()
    digest = input_hash(lexicon)
    if args.hash:
        print(digest)
        return
    examples = load_examples()
    segments = [model_segments(guarded_forms(e.text, lexicon)[0]) for e in examples]
    lexicon_fired = [detect_distress(e.text, lexicon) is not None for e in examples]
    rows, oof = out_of_fold(TRAINING, examples, segments, SPEC)
    negatives = [i for i, e in enumerate(examples) if e.label == NEGATIVE]
    # The lexicon alone already exceeds 3 % on this corpus's hard negatives (questions about a
    # topic or someone else it does not guard): the budget bounds what the model adds.
    threshold = choose_threshold(
        negatives, oof, lexicon_fired, float(PARAMS["max_fpr"]), lexicon_counts=False
    )

    def lexicon_alone(i: int) -> str | None:
        return POSITIVE if lexicon_fired[i] else None

    def model_alone(i: int) -> str | None:
        return POSITIVE if oof[i].positive >= threshold else None

    systems = {
        "lexicon alone": lexicon_alone,
        "model alone": model_alone,
        "lexicon OR model": lambda i: lexicon_alone(i) or model_alone(i),
    }
    table = report(examples, systems, slices(examples))
    print(
        f"threshold {threshold:.2f} (out-of-fold, false alarms the model adds on none <= "
        f"{PARAMS['max_fpr']:.0%})"
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
