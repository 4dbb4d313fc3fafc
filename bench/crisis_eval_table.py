"""Crisis detection on a labelled example file, as tables: a batch's numbers before and after.

Reads ``[[example]]`` entries (text, label, batch, and from batch 4 on lang and kind) from
``--file`` (default tests/crisis_heldout.toml), keeps those of ``--batch`` (all when left out)
and prints Markdown tables:

- precision and recall, overall and per language;
- per label, then per kind: how many messages the detector flags as a crisis. For a crisis
  label that is the recall (and how many got that very category); for any other label
  ("none", "distress") every flag is a false alarm.

A label is a crisis when it is a crisis category or "crisis" (tests/distress_heldout.toml);
every other label is not. Only the counts are printed, never a message, so the output can be
shared without showing the held-out messages to whoever tunes. Not part of the test suite::

    .venv/bin/python bench/crisis_eval_table.py --batch 4
    .venv/bin/python bench/crisis_eval_table.py --file tests/distress_heldout.toml
"""

from __future__ import annotations

import argparse
import tomllib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.data_files import crisis_detector
from bot.domain.crisis_detection import CrisisCategory, Detector

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FILE = ROOT / "tests" / "crisis_heldout.toml"
CATEGORIES = set(CrisisCategory)
CRISIS_LABELS = {"crisis", *CATEGORIES}
UNTAGGED = "(untagged)"  # batches 1-3 name no language or kind


def detected_category(text: str, detector: Detector) -> str | None:
    """The one place detection runs: the category it gives ``text``, or None for no crisis."""
    signal = detector.detect(text)
    return None if signal is None else str(signal.category)


@dataclass(frozen=True)
class Outcome:
    label: str
    lang: str
    kind: str
    category: str | None  # what the detector said

    @property
    def crisis(self) -> bool:
        return self.label in CRISIS_LABELS

    @property
    def flagged(self) -> bool:
        return self.category is not None


def outcomes(examples: Iterable[dict[str, Any]], detector: Detector) -> list[Outcome]:
    return [
        Outcome(
            label=e["label"],
            lang=e.get("lang", UNTAGGED),
            kind=e.get("kind", UNTAGGED),
            category=detected_category(e["text"], detector),
        )
        for e in examples
    ]


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "-"


def precision_recall_table(title: str, groups: dict[str, list[Outcome]]) -> list[str]:
    lines = [
        f"### {title}",
        "",
        "| | messages | crisis | flagged | tp | fp | fn | precision | recall |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, group in groups.items():
        tp = sum(o.crisis and o.flagged for o in group)
        fp = sum(o.flagged and not o.crisis for o in group)
        fn = sum(o.crisis and not o.flagged for o in group)
        lines.append(
            f"| {name} | {len(group)} | {tp + fn} | {tp + fp} | {tp} | {fp} | {fn}"
            f" | {_ratio(tp, tp + fp)} | {_ratio(tp, tp + fn)} |"
        )
    return [*lines, ""]


def flag_table(title: str, groups: dict[str, list[Outcome]]) -> list[str]:
    lines = [
        f"### {title}",
        "",
        "| | crisis? | messages | flagged | recall | same category | false alarm rate |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for name, group in groups.items():
        crisis = [o for o in group if o.crisis]
        other = [o for o in group if not o.crisis]
        found = sum(o.flagged for o in crisis)
        categorised = [o for o in crisis if o.label in CATEGORIES]  # not the bare "crisis"
        same = sum(o.category == o.label for o in categorised)
        alarms = sum(o.flagged for o in other)
        kind = "yes" if not other else "no" if not crisis else "mixed"
        lines.append(
            f"| {name} | {kind} | {len(group)} | {found + alarms}"
            f" | {_ratio(found, len(crisis))}"
            f" | {_ratio(same, len(categorised))}"
            f" | {_ratio(alarms, len(other))} |"
        )
    return [*lines, ""]


def grouped(items: list[Outcome], key: Callable[[Outcome], str]) -> dict[str, list[Outcome]]:
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for item in sorted(items, key=lambda o: (not o.crisis, key(o))):
        groups[key(item)].append(item)
    return dict(groups)


def tables(examples: list[dict[str, Any]], batch: int | None, detector: Detector) -> list[str]:
    chosen = [e for e in examples if batch is None or e["batch"] == batch]
    if not chosen:
        raise SystemExit(f"no examples in batch {batch}")
    results = outcomes(chosen, detector)
    where = "all batches" if batch is None else f"batch {batch}"
    per_lang = _tagged(grouped(results, lambda o: o.lang))
    per_kind = _tagged(grouped(results, lambda o: o.kind))
    return [
        *precision_recall_table(f"Precision and recall, {where}", {"all": results, **per_lang}),
        *flag_table(f"Per label, {where}", grouped(results, lambda o: o.label)),
        *(flag_table(f"Per kind, {where}", per_kind) if per_kind else []),
    ]


def _tagged(groups: dict[str, list[Outcome]]) -> dict[str, list[Outcome]]:
    """No rows at all when nothing is tagged: one "(untagged)" row would repeat "all"."""
    return {} if list(groups) == [UNTAGGED] else groups


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE, help="labelled examples")
    parser.add_argument("--batch", type=int, default=None, help="only this batch")
    parser.add_argument(
        "--lexicon-only", action="store_true", help="the first stage alone, without the model"
    )
    args = parser.parse_args()
    examples = tomllib.loads(args.file.read_text(encoding="utf-8"))["example"]
    print(f"## Crisis detection on {args.file.name}\n")
    full = crisis_detector()
    detector: Detector = full.lexicon if args.lexicon_only else full
    print("\n".join(tables(examples, args.batch, detector)))


if __name__ == "__main__":
    main()
