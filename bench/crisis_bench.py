"""Benchmark: crisis detection per message against a plain keyword scan, on the held-out set.

Every private message goes through crisis detection before anything else, so its cost is paid
on every update. This times ``detect`` on each message of tests/crisis_heldout.toml, as written
and made twenty times longer, next to the cheapest thinkable check measured in the same run:
``str.lower()`` and ``in`` over a list of crisis phrases. It prints median and p95 time per
message, their ratio, and what each finds on the set (the reason the rules cost more). Not part
of the test suite; run with::

    .venv/bin/python bench/crisis_bench.py [--messages N]
"""

from __future__ import annotations

import argparse
import statistics
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

from bot.data_files import crisis_lexicon
from bot.domain.crisis_detection import detect

HELDOUT = Path(__file__).resolve().parents[1] / "tests" / "crisis_heldout.toml"
ROUNDS = 5
LONG = 20  # a long message: the text repeated this many times (most are one or two lines)
# The baseline's phrases: the common ways to say it, in both languages, as plain substrings.
PHRASES = (
    *("bunuh diri", "ingin mati", "pengen mati", "pingin mati", "mau mati", "mending mati"),
    *("akhiri hidup", "mengakhiri hidup", "gak mau hidup", "ga mau hidup", "tidak mau hidup"),
    *("menyakiti diri", "melukai diri", "nyayat", "sayat tangan", "gantung diri", "loncat dari"),
    *("minum obat banyak", "overdosis", "capek hidup", "lelah hidup", "hilang aja", "lenyap"),
    *("suicide", "kill myself", "want to die", "wanna die", "end my life", "end it all"),
    *("self harm", "self-harm", "cut myself", "hurt myself", "overdose", "better off dead"),
    *("no reason to live", "don't want to live", "disappear forever", "jump off"),
)


def keyword_scan(text: str) -> bool:
    """The baseline: lower-case once, then look for each phrase as a substring."""
    lowered = text.lower()
    return any(phrase in lowered for phrase in PHRASES)


def per_message_us(check: Callable[[str], object], texts: list[str]) -> list[float]:
    """Microseconds per message, every message timed ROUNDS times."""
    timings = []
    for _ in range(ROUNDS):
        for text in texts:
            start = time.perf_counter_ns()
            check(text)
            timings.append((time.perf_counter_ns() - start) / 1000)
    return timings


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main(count: int | None) -> None:
    examples = tomllib.loads(HELDOUT.read_text(encoding="utf-8"))["example"][:count]
    texts = [example["text"] for example in examples]
    lexicon = crisis_lexicon()

    def rules(text: str) -> bool:
        return detect(text, lexicon) is not None

    print(f"held-out messages: {len(texts)}, each timed {ROUNDS} times")
    print(f"{'':24} {'median us':>10} {'p95 us':>10}")
    for label, batch in (("as written", texts), (f"{LONG}x longer", [t * LONG for t in texts])):
        ours, baseline = per_message_us(rules, batch), per_message_us(keyword_scan, batch)
        for name, timings in ((f"detect, {label}", ours), (f"keywords, {label}", baseline)):
            print(f"{name:24} {statistics.median(timings):10.1f} {p95(timings):10.1f}")
        print(
            f"ratio (detect / keywords), {label}: median"
            f" {statistics.median(ours) / statistics.median(baseline):.1f}x,"
            f" p95 {p95(ours) / p95(baseline):.1f}x"
        )
    positives = [example["label"] != "none" for example in examples]
    for name, check in (("detect", rules), ("keywords", keyword_scan)):
        fired = [bool(check(text)) for text in texts]
        found = sum(f and p for f, p in zip(fired, positives, strict=True))
        alarms = sum(f and not p for f, p in zip(fired, positives, strict=True))
        print(f"{name}: finds {found} of {sum(positives)} crisis messages, {alarms} false alarms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=None, help="only the first N messages")
    main(parser.parse_args().messages)
