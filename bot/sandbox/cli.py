"""`rangkul sandbox`: the command-line face of bot.sandbox.server.

Problems the person can fix (a refused host, a busy port, an unusable database) end with one
line and exit code 2, like the rest of the CLI.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.i18n import LANGUAGES
from bot.sandbox.server import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    SandboxError,
    SandboxOptions,
    run_sandbox,
)
from bot.storage.database import StorageError

EXIT_CONFIG = 2
EXIT_INTERRUPTED = 130  # the shell's convention for "ended by SIGINT"


def _port(text: str) -> int:
    """A TCP port: argparse turns the ValueError into one clear line and exit code 2."""
    port = int(text)
    if not 0 <= port <= 65535:
        raise ValueError(text)
    return port


def parse_sandbox_arguments(args: Sequence[str]) -> argparse.Namespace:
    """The options of ``rangkul sandbox``; a bad one ends with one line and exit code 2."""
    parser = argparse.ArgumentParser(
        prog="rangkul sandbox", description="Try the bot locally: emulated Telegram + web chat."
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default {DEFAULT_HOST}; loopback only unless --allow-remote)",
    )
    parser.add_argument(
        "--port", type=_port, default=DEFAULT_PORT, help=f"web chat port (default {DEFAULT_PORT})"
    )
    parser.add_argument(
        "--database",
        type=Path,
        metavar="PATH",
        help="SQLite file to use and keep (default: a temporary file deleted at exit)",
    )
    parser.add_argument(
        "--no-demo",
        dest="demo",
        action="store_false",
        help="do not load the demo personas' data (only two new visitors remain)",
    )
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow listening on a non-loopback address (the sandbox has no authentication)",
    )
    parser.add_argument(
        "--language",
        choices=LANGUAGES,
        default="id",
        help="the bot's default language (default id)",
    )
    return parser.parse_args(args)


def run_sandbox_command(args: Sequence[str]) -> int:
    """Runs the sandbox as ``args`` ask until Ctrl-C or SIGTERM; returns the process exit code."""
    options = parse_sandbox_arguments(args)
    sandbox_options = SandboxOptions(
        host=options.host,
        port=options.port,
        database=options.database,
        demo=options.demo,
        allow_remote=options.allow_remote,
        language=options.language,
    )
    try:
        run_sandbox(sandbox_options)
    except (SandboxError, StorageError) as problem:
        print(f"rangkul sandbox: {problem}", file=sys.stderr)
        return EXIT_CONFIG
    except OSError as problem:  # most often: the port is already in use
        reason = problem.strerror or problem
        print(f"rangkul sandbox: cannot start on port {options.port}: {reason}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:  # Ctrl-C before start-up finished; what had started is stopped
        return EXIT_INTERRUPTED
    return 0
