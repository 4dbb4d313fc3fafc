"""The benchmarks in bench/ still run (tiny sizes): they are not part of the suite's timing,
but a benchmark that no longer starts measures nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.mark.parametrize(
    ("script", "size", "expected"),
    [
        ("search_bench.py", ("--entries", "60"), "ratio (naive / index)"),
        (
            "update_bench.py",
            (
                *("--members", "60", "--groups", "3", "--facilitators", "3", "--users", "4"),
                *("--messages", "2", "--repetitions", "1", "--rate", "10", "--seconds", "1"),
            ),
            "ratio p95 Rangkul / echo",
        ),
        ("fanout_bench.py", ("--members", "40", "--groups", "2"), "ratio last / floor"),
        (
            "scale_bench.py",
            (
                *("--members", "60", "--groups", "3", "--facilitators", "3"),
                *("--checkins", "600", "--samples", "10", "--users", "4", "--minutes", "0.05"),
                *("--joined-weeks-ago", "3"),
            ),
            "RSS after start",
        ),
        ("outbox_bench.py", ("--rows", "60"), "ratio dispatcher / bare"),
        ("faults_bench.py", ("--members", "6", "--users", "6"), "ratio faults / idle"),
        (
            "transactions_bench.py",
            ("--members", "60"),
            "ratio one-transaction schedule / longest now",
        ),
        ("crisis_bench.py", ("--messages", "60"), "ratio (lexicon+model / keywords)"),
        ("crisis_eval_table.py", ("--batch", "4"), "| all |"),
        ("distress_eval_table.py", ("--batch", "2"), "| distress | all |"),
        (
            "reply_path_bench.py",
            (
                *("--members", "60", "--groups", "3", "--facilitators", "3", "--users", "4"),
                *("--many-users", "8", "--messages", "2", "--repetitions", "1"),
                *("--reminders", "20", "--idle-seconds", "0.3", "--think", "0.2"),
                *("--broadcast", "40", "--broadcast-asking", "3", "--broadcast-think", "0.2"),
                *("--broadcast-429", "0"),
            ),
            "during the broadcast",
        ),
    ],
)
def test_a_benchmark_runs_and_reports_its_ratio(
    script: str, size: tuple[str, ...], expected: str
) -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH / script), *size],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=BENCH.parent,
    )
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout
