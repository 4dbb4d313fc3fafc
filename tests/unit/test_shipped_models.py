"""The screening models that ship are what their training scripts make of the files in the
repository, and stay small enough to load at every start."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.data_files import crisis_detector, distress_detector, shipped

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("script", "weights", "source_hash"),
    [
        ("train_crisis_model.py", "crisis_model.json", crisis_detector().model.source_hash),
        ("train_distress_model.py", "distress_model.json", distress_detector().model.source_hash),
    ],
)
def test_shipped_weights_are_what_the_training_script_makes_of_the_files(
    script: str, weights: str, source_hash: str
) -> None:
    """Each weights file names a hash of everything it was trained from (corpora, tuning sets,
    guards, parameters); the script recomputes it without training. A mismatch means: run the
    script and commit the weights (a change to data/corpus/crisis/ needs both: its crisis
    messages are distress positives too)."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / script), "--hash"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == source_hash
    assert len((shipped("data") / weights).read_bytes()) < 2_000_000
