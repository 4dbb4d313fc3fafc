"""The fault runs of bench/fault_run.py against the real ``rangkul run`` process, asserted.

They take minutes, so they are opt-in (pyproject.toml keeps the ``faults`` marker out of the
default run)::

    .venv/bin/python -m pytest -q -p no:cacheprovider -m faults tests/faults

The record-sized runs (20 kills; 10 minutes of 10 % faults) print their counts directly:
``.venv/bin/python bench/fault_run.py kills`` and ``bench/fault_run.py faults``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "fault_run.py"


def fault_run(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, str(BENCH), *args], capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stderr
    result = done.stdout.strip().splitlines()[-1]
    assert result.startswith("RESULT "), done.stdout
    return json.loads(result.removeprefix("RESULT "))


@pytest.mark.faults
@pytest.mark.parametrize("kills", [2, 20])
def test_sigkills_lose_nothing_and_send_twice_only_what_telegram_had_accepted(kills: int) -> None:
    result = fault_run("kills", "--kills", str(kills), "--members", "30", "--people", "3")
    assert result["lost"] == 0
    # A duplicate only where Telegram accepted the send just before a kill (the outbox's
    # at-least-once window, counted separately), never otherwise.
    assert result["sent_twice"] <= result["window"]
    assert result["onboarded"] == result["people"] == result["completed"]
    assert result["integrity_ok"] == kills + 1
    assert result["exit_code"] == 0
    assert result["tracebacks"] == 0 and result["log_errors"] == 0


@pytest.mark.faults
def test_a_tenth_of_calls_failing_loses_nothing_and_never_loops() -> None:
    result = fault_run("faults", "--minutes", "0.5", "--members", "30", "--users", "3")
    assert result["faults_served"] > 0
    assert result["lost"] == 0 and result["sent_twice"] == 0
    assert result["help_answered"] > 0 and result["help_nothing"] == 0
    assert result["onboarding_completed"] == result["people"]
    # Paced at 30/s, plus replies, polling and start-up calls (the 10-minute record run's
    # busiest second: 62); a retry loop would be far above.
    assert result["busiest_second"] <= 120
    assert result["alive"] and result["exit_code"] == 0
    assert result["tracebacks"] == 0 and result["log_errors"] == 0
    assert result["integrity"] == "ok"
