"""The deployment files say what the README says: the Dockerfile installs and runs the bot with
the README's commands, as a non-root user with its data on a volume and a health check, and
the systemd sample runs the same command, which is the entry point the process journeys start
(``python -m bot``). Parsed, never built: no Docker, no network."""

from __future__ import annotations

import configparser
import json
import re
import shlex
import tomllib
from pathlib import Path

from bot.config import load_webhook

ROOT = Path(__file__).resolve().parents[2]


def readme_commands() -> set[str]:
    """The commands of the first sh block under "## Running on a server", comments dropped."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Running on a server", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block is not None, "README's 'Running on a server' has no sh block"
    lines = (line.split("#", 1)[0].strip() for line in block.group(1).splitlines())
    return {_normal(line) for line in lines if line}


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n\s*", " ", "\n".join(lines))
    found = []
    for line in joined.splitlines():
        if line.strip():
            instruction, _, arguments = line.strip().partition(" ")
            found.append((instruction.upper(), arguments.strip()))
    return found


def _normal(command: str) -> str:
    return " ".join(shlex.split(command))


def _exec_form(arguments: str) -> str:
    return " ".join(json.loads(arguments))


def docker_commands() -> set[str]:
    """What the image runs of the bot: its install step, its command and its health check."""
    commands = set()
    for instruction, arguments in dockerfile():
        if instruction == "RUN":
            commands.update(
                _normal(part) for part in arguments.split("&&") if "pip install" in part
            )
        elif instruction == "CMD":
            commands.add(_exec_form(arguments))
        elif instruction == "HEALTHCHECK":
            commands.add(_exec_form(arguments.split(" CMD ", 1)[1]))
    return commands


def test_the_dockerfile_runs_the_readmes_commands() -> None:
    commands = docker_commands()
    assert {"pip install --no-cache-dir .", "rangkul run", "rangkul health"} <= commands
    assert commands <= readme_commands()


def test_the_image_runs_unprivileged_with_its_data_on_a_volume() -> None:
    instructions = dockerfile()
    first = instructions[0]
    assert first == ("FROM", "python:3.11-slim")
    users = [arguments for instruction, arguments in instructions if instruction == "USER"]
    assert users and users[-1] not in ("root", "0")
    # The install runs before the switch, the bot after it.
    names = [instruction for instruction, _ in instructions]
    assert names.index("USER") > max(i for i, n in enumerate(names) if n == "RUN")
    assert ("VOLUME", '["/data"]') in instructions
    assert ("ENV", "DATABASE_PATH=/data/rangkul.sqlite3") in instructions


def test_the_systemd_sample_runs_the_readmes_command_and_restarts_on_failure() -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(ROOT / "deploy" / "rangkul.service", encoding="utf-8")
    service = unit["Service"]
    assert Path(service["ExecStart"].split()[0]).name == "rangkul"
    assert _normal("rangkul " + service["ExecStart"].split(" ", 1)[1]) in readme_commands()
    assert service["Restart"] == "on-failure"
    assert service["RestartPreventExitStatus"] == "2"  # a configuration error is not retried
    assert service.get("EnvironmentFile") and (service.get("User") or service.get("DynamicUser"))
    assert service["User"] != "root"


def test_the_installed_command_is_the_entry_point_the_process_journeys_run() -> None:
    """``rangkul`` (Dockerfile CMD, systemd ExecStart) and ``python -m bot`` (the journeys in
    test_process_lifecycle.py and test_webhook_round_trip.py) are the same ``main``."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"] == {"rangkul": "bot.__main__:main"}
    module = (ROOT / "bot" / "__main__.py").read_text(encoding="utf-8")
    assert module.rstrip().endswith('if __name__ == "__main__":\n    sys.exit(main())')


def test_the_image_exposes_the_port_webhook_mode_listens_on_by_default() -> None:
    default = load_webhook("https://bot.example.org/telegram", {"WEBHOOK_SECRET_TOKEN": "s"})
    assert ("EXPOSE", str(default.port)) in dockerfile()
