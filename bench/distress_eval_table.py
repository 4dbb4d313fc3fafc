"""Which reply each labelled message gets, crisis or distress, as tables: a batch's numbers.

Reads ``[[example]]`` entries (text, label "distress" / "crisis" / "none", batch, lang) from
``--file`` (default tests/distress_heldout.toml), keeps those of ``--batch`` (all when left out)
and runs them through the two tiers as the bot does: the crisis detector first (lexicon, then
model); only a message it does not take goes on to distress detection. Prints Markdown tables:

- per label and language: how many messages get the crisis reply, the distress reply, neither;
- precision and recall, overall and per language, of the distress reply for label "distress"
  and of the crisis reply for label "crisis".

Only counts are printed, never a message, so the output can be shared without showing the
held-out messages to whoever tunes. Not part of the test suite::

    .venv/bin/python bench/distress_eval_table.py --batch 2
"""

from __future__ import annotations

import argparse
import tomllib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from bot.data_files import crisis_detector, distress_detector
from bot.domain.crisis_detection import CrisisDetector
from bot.domain.distress_detection import DistressDetector

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FILE = ROOT / "tests" / "distress_heldout.toml"

Reply = Literal["crisis", "distress", "none"]


def reply_for(text: str, crisis: CrisisDetector, distress: DistressDetector) -> Reply:
    """The one place detection runs, in the bot's order: crisis first, then distress."""
    if crisis.detect(text) is not None:
        return "crisis"
    return "distress" if distress.detect(text) is not None else "none"


@dataclass(frozen=True)
class Outcome:
    label: str
    lang: str
    reply: Reply


def outcomes(
    examples: Iterable[dict[str, Any]], crisis: CrisisDetector, distress: DistressDetector
) -> list[Outcome]:
    return [
        Outcome(e["label"], e.get("lang", "-"), reply_for(e["text"], crisis, distress))
        for e in examples
    ]


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "-"


def reply_table(title: str, results: list[Outcome]) -> list[str]:
    groups: dict[tuple[str, str], list[Outcome]] = defaultdict(list)
    for o in results:
        groups[(o.label, o.lang)].append(o)
    lines = [
        f"### {title}",
        "",
        "| label | lang | messages | crisis reply | distress reply | no reply |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for (label, lang), group in sorted(groups.items()):
        counts = {reply: sum(o.reply == reply for o in group) for reply in ("crisis", "distress")}
        lines.append(
            f"| {label} | {lang} | {len(group)} | {counts['crisis']} | {counts['distress']}"
            f" | {len(group) - sum(counts.values())} |"
        )
    return [*lines, ""]


def precision_recall_table(title: str, results: list[Outcome]) -> list[str]:
    lines = [
        f"### {title}",
        "",
        "| reply for label | lang | labelled | replied | tp | fp | fn | precision | recall |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    langs = ["all", *sorted({o.lang for o in results})]
    for target in ("distress", "crisis"):
        for lang in langs:
            group = [o for o in results if lang in ("all", o.lang)]
            tp = sum(o.label == target and o.reply == target for o in group)
            fp = sum(o.label != target and o.reply == target for o in group)
            fn = sum(o.label == target and o.reply != target for o in group)
            lines.append(
                f"| {target} | {lang} | {tp + fn} | {tp + fp} | {tp} | {fp} | {fn}"
                f" | {_ratio(tp, tp + fp)} | {_ratio(tp, tp + fn)} |"
            )
    return [*lines, ""]


def tables(
    examples: list[dict[str, Any]],
    batch: int | None,
    crisis: CrisisDetector,
    distress: DistressDetector,
) -> list[str]:
    chosen = [e for e in examples if batch is None or e["batch"] == batch]
    if not chosen:
        raise SystemExit(f"no examples in batch {batch}")
    results = outcomes(chosen, crisis, distress)
    where = "all batches" if batch is None else f"batch {batch}"
    return [
        *reply_table(f"Replies per label and language, {where}", results),
        *precision_recall_table(f"Precision and recall of each reply, {where}", results),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE, help="labelled examples")
    parser.add_argument("--batch", type=int, default=None, help="only this batch")
    args = parser.parse_args()
    examples = tomllib.loads(args.file.read_text(encoding="utf-8"))["example"]
    print(f"## Crisis and distress replies on {args.file.name}\n")
    print("\n".join(tables(examples, args.batch, crisis_detector(), distress_detector())))


if __name__ == "__main__":
    main()
