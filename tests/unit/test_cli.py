"""The command line as a person runs it: clear one-line failures with exit code 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.storage.migrate import latest_version


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_missing_token_is_one_clear_line_and_exit_2(tmp_path: Path) -> None:
    result = run_cli("run", env={"DATABASE_PATH": str(tmp_path / "db.sqlite3")})
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "TELEGRAM_BOT_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_variable_is_named(tmp_path: Path) -> None:
    result = run_cli("migrate", env={"ADMIN_IDS": "x", "DATABASE_PATH": str(tmp_path / "d")})
    assert result.returncode == 2
    assert "ADMIN_IDS" in result.stderr and "Traceback" not in result.stderr


def test_a_malformed_privacy_contact_stops_start_up_in_one_line(tmp_path: Path) -> None:
    env = {"TELEGRAM_BOT_TOKEN": "1:abc", "PRIVACY_CONTACT": "ring the office"}
    result = run_cli("run", env={**env, "DATABASE_PATH": str(tmp_path / "d")})
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "PRIVACY_CONTACT" in result.stderr
    assert "Traceback" not in result.stderr


def test_unusable_database_path_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = run_cli(
        "run",
        env={"TELEGRAM_BOT_TOKEN": "1:abc", "DATABASE_PATH": str(blocker / "db.sqlite3")},
    )
    assert result.returncode == 2
    assert "db.sqlite3" in result.stderr and "Traceback" not in result.stderr


def test_migrate_creates_the_schema(tmp_path: Path) -> None:
    path = tmp_path / "fresh.sqlite3"
    result = run_cli("migrate", env={"DATABASE_PATH": str(path)})
    assert result.returncode == 0, result.stderr
    assert f"schema version {latest_version()}" in result.stdout
    assert path.exists()


def test_an_unreachable_bot_api_is_retried_then_one_line(tmp_path: Path) -> None:
    result = run_cli(
        "run",
        env={
            "TELEGRAM_BOT_TOKEN": "1:abc",
            "TELEGRAM_BASE_URL": "http://127.0.0.1:9/bot",  # nothing listens on the discard port
            "TELEGRAM_STARTUP_RETRY_SECONDS": "1",
            "DATABASE_PATH": str(tmp_path / "db.sqlite3"),
        },
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == (
        "rangkul: the Telegram Bot API at 127.0.0.1 kept failing at start-up "
        "(getMe: NetworkError; gave up after 1 s)"
    )
    assert [line for line in lines if line.startswith("rangkul:")] == lines[-1:]
    assert "retrying" in lines[0] and "Traceback" not in result.stderr
    assert "1:abc" not in result.stderr


def test_a_sandbox_port_out_of_range_is_refused() -> None:
    result = run_cli("sandbox", "--port", "70000", env={})
    assert result.returncode == 2 and "--port" in result.stderr
    assert "Traceback" not in result.stderr


def test_run_loads_nothing_of_the_sandbox() -> None:
    # The sandbox (web chat, demo data, the HTTP front) is a development tool and aiohttp an
    # optional extra: what `rangkul run` imports, the CLI and the application, needs neither.
    probe = (
        "import sys, bot.__main__, bot.app; "
        "print(sorted(m for m in sys.modules if m == 'aiohttp' or m.startswith('bot.sandbox')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "[]", result.stderr
