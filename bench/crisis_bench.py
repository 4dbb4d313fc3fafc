"""Benchmark: crisis detection per message (lexicon, lexicon + model) against a keyword scan,
and crisis then distress detection (both tiers' lexicon + model), what a message that is not a
crisis costs.

Every private message goes through crisis detection before anything else, so its cost is paid
on every update; free text no step took goes through distress detection too. This times, per
message of the tuning sets (tests/crisis_eval.toml, tests/distress_eval.toml) and the corpora
(data/corpus/crisis/, data/corpus/distress/), as written and made twenty times longer, the
crisis lexicon alone, the crisis lexicon + model the bot uses, and crisis then distress
detection (sharing one reading of the text, as the bot does, and "apart": each tier reading it
afresh), next to the cheapest thinkable check measured in the same run: ``str.lower()`` and
``in`` over a list of crisis phrases. It prints median and p95 time per message and their
ratios, and the peak memory (ru_maxrss) of a fresh process after loading both detectors, next
to a bare Python process measured the same way. It measures speed only: what the detectors find
is the business of the tests and the training scripts' cross-validation. The held-out sets are
never read here. Not part of the test suite; run with::

    .venv/bin/python bench/crisis_bench.py [--messages N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
EVAL_SETS = (ROOT / "tests" / "crisis_eval.toml", ROOT / "tests" / "distress_eval.toml")
CORPORA = (ROOT / "data" / "corpus" / "crisis", ROOT / "data" / "corpus" / "distress")
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
# Peak resident memory of a process, in KiB on Linux (ru_maxrss). A child starts from its
# parent's peak (Linux keeps it across fork and exec), so both are measured before this
# process loads anything of the bot.
_RSS = "import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
_LOADED = (
    "from bot.data_files import crisis_detector, distress_detector; "
    f"crisis_detector(); distress_detector(); {_RSS}"
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


def texts_to_time(count: int | None) -> list[str]:
    tuning = [
        e["text"]
        for path in EVAL_SETS
        for e in tomllib.loads(path.read_text(encoding="utf-8"))["example"]
    ]
    corpus = [
        s
        for folder in CORPORA
        for path in sorted(folder.glob("*.toml"))
        for s in tomllib.loads(path.read_text(encoding="utf-8"))["set"]
    ]
    return [*tuning, *(text for s in corpus for text in s["texts"])][:count]


def peak_rss_kib(code: str) -> int:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return int(result.stdout.strip())


def main(count: int | None) -> None:
    bare, loaded = peak_rss_kib(_RSS), peak_rss_kib(_LOADED)
    from bot.data_files import crisis_detector, distress_detector
    from bot.domain.lexicon_text import ScreenedText

    texts = texts_to_time(count)
    detector, distress = crisis_detector(), distress_detector()

    def both(text: str) -> object:  # as the bot: the distress tier only when no crisis,
        screened = ScreenedText(text)  # reading the text as crisis detection read it
        return detector.detect_screened(screened) or distress.detect_screened(screened)

    def both_apart(text: str) -> object:  # each tier reading the text afresh (before)
        return detector.detect(text) or distress.detect(text)

    checks: dict[str, Callable[[str], object]] = {
        "keywords": keyword_scan,
        "lexicon": detector.lexicon.detect,
        "lexicon+model": detector.detect,
        "crisis+distress": both,
        "crisis+distress apart": both_apart,
    }
    print(f"messages: {len(texts)} (tuning sets + corpora), each timed {ROUNDS} times")
    print(f"{'':36} {'median us':>10} {'p95 us':>10}")
    for label, batch in (("as written", texts), (f"{LONG}x longer", [t * LONG for t in texts])):
        timings = {name: per_message_us(check, batch) for name, check in checks.items()}
        for name, values in timings.items():
            print(f"{name + ', ' + label:36} {statistics.median(values):10.1f} {p95(values):10.1f}")
        base = timings["keywords"]
        for name in ("lexicon", "lexicon+model", "crisis+distress", "crisis+distress apart"):
            ours = timings[name]
            print(
                f"ratio ({name} / keywords), {label}: median"
                f" {statistics.median(ours) / statistics.median(base):.1f}x,"
                f" p95 {p95(ours) / p95(base):.1f}x"
            )
    print(
        f"peak RSS: bare python {bare / 1024:.1f} MiB, after loading both lexicons + models"
        f" {loaded / 1024:.1f} MiB (+{(loaded - bare) / 1024:.1f} MiB)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=None, help="only the first N messages")
    main(parser.parse_args().messages)
