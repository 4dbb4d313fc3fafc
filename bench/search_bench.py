"""Benchmark: the resource search index against a naive substring scan, on 5,000 entries.

Builds a synthetic directory from the real data file (each copy with varied words), runs a
mix of queries (affixed Indonesian, typos, English) through both, and prints median and p95
latency and their ratio. Not part of the test suite; run with::

    .venv/bin/python bench/search_bench.py
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import replace

from bot.data_files import resource_directory
from bot.domain.contacts import Localized
from bot.domain.resources import Resource
from bot.domain.search import SearchIndex, normalise

SIZE = 5_000
ROUNDS = 5
QUERIES = (
    "obat tidur",
    "pengobatan",
    "kecemasan",
    "perawatan keluarga",
    "skizofernia",  # typo
    "psikolgo klinis",  # typo
    "rumah sakit jiwa bali",
    "sleeping pills",
    "therapies for insomnia",
    "caregiver burnout",
    "rehabilitasi keterampilan",
    "facilitator conflict",
)
# Words mixed into each copy, so the copies differ the way real entries do.
_FILLER = (
    *("layanan", "konseling", "dukungan", "keluarga", "pemulihan", "kelompok", "edukasi"),
    *("komunitas", "terapi", "sebaya", "support", "group", "recovery", "education"),
    *("community", "skills", "wellbeing", "hope"),
)


def synthetic(base: list[Resource], size: int, rng: random.Random) -> list[Resource]:
    """``size`` entries: copies of the real ones with a few varied words and a new id."""
    entries = []
    for number in range(size):
        source = base[number % len(base)]
        extra = " ".join(rng.sample(_FILLER, 4)) + f" varian{number}"
        entries.append(
            replace(
                source,
                id=f"{source.id[:36]}-{number}",
                description=Localized(
                    id=f"{source.description.id} {extra}", en=f"{source.description.en} {extra}"
                ),
            )
        )
    return entries


def naive_texts(entries: list[Resource]) -> list[tuple[str, Resource]]:
    """The baseline's only preparation: each entry's text, normalised once."""
    return [
        (
            normalise(
                " ".join(
                    (
                        entry.title.id,
                        entry.title.en,
                        entry.description.id,
                        entry.description.en,
                        *entry.tags,
                    )
                )
            ),
            entry,
        )
        for entry in entries
    ]


def naive_search(texts: list[tuple[str, Resource]], query: str) -> list[Resource]:
    """The baseline: a linear scan, each query word as a substring of every entry's text."""
    words = normalise(query).split()
    hits = []
    for text, entry in texts:
        score = sum(word in text for word in words)
        if score:
            hits.append((score, entry.id, entry))
    return [entry for _, _, entry in sorted(hits, key=lambda item: (-item[0], item[1]))]


def measure(run: Callable[[str], object]) -> list[float]:
    timings = []
    for _ in range(ROUNDS):
        for query in QUERIES:
            start = time.perf_counter()
            run(query)
            timings.append((time.perf_counter() - start) * 1000)
    return timings


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main(size: int) -> None:
    entries = synthetic(list(resource_directory()), size, random.Random(7))
    start = time.perf_counter()
    index = SearchIndex(entries)
    build = time.perf_counter() - start
    ours = measure(lambda query: index.search(query, limit=50))
    texts = naive_texts(entries)
    naive = measure(lambda query: naive_search(texts, query))
    print(f"entries: {len(entries)}, queries: {len(QUERIES)} x {ROUNDS}, index build {build:.2f} s")
    print(f"{'':10} {'median ms':>10} {'p95 ms':>10}")
    for name, timings in (("index", ours), ("naive", naive)):
        print(f"{name:10} {statistics.median(timings):10.2f} {p95(timings):10.2f}")
    print(
        f"ratio (naive / index): median {statistics.median(naive) / statistics.median(ours):.1f}x,"
        f" p95 {p95(naive) / p95(ours):.1f}x"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=SIZE)
    main(parser.parse_args().entries)
