"""Benchmark: rendering the /progress chart (1200 x 800 PNG) from a full 12 weeks of data.

Prints the first render in this process (matplotlib imported and its fonts loaded) and the
median and p95 of the renders after it; the bot renders in a thread (asyncio.to_thread), so
this is how long a person waits for the picture, not how long the bot stops. Not part of the
test suite; run with::

    .venv/bin/python bench/progress_chart_bench.py
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, datetime, timedelta

from bot.domain.moods import MoodPoint
from bot.domain.progress import WINDOW_DAYS, progress_series
from bot.i18n import get_translator
from bot.ui.progress_chart import render_chart

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=20)
    args = parser.parse_args()
    # The most a chart holds: a mood every day (two on some) and a WHO-5 score every week.
    moods = [
        MoodPoint(NOW - timedelta(days=day, hours=hour), 1 + (day + hour) % 5)
        for day in range(WINDOW_DAYS)
        for hour in ((1, 9) if day % 3 == 0 else (1,))
    ]
    who5 = [MoodPoint(NOW - timedelta(weeks=week), 30 + 4 * week) for week in range(12)]
    series = progress_series(NOW, "Asia/Jakarta", moods, who5)
    t = get_translator("id")

    started = time.perf_counter()
    render_chart(t, series)
    first = time.perf_counter() - started
    times = []
    for _ in range(args.renders):
        started = time.perf_counter()
        render_chart(t, series)
        times.append(time.perf_counter() - started)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(f"first render (import + fonts): {first * 1000:.0f} ms")
    print(f"render median: {statistics.median(times) * 1000:.0f} ms, p95: {p95 * 1000:.0f} ms")
    print(f"ratio first / median: {first / statistics.median(times):.1f}")


if __name__ == "__main__":
    main()
