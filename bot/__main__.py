"""Command line: ``rangkul run`` (default; ``--webhook URL`` for webhook mode), ``migrate``,
``backup PATH``, ``restore BACKUP``, ``health`` and ``sandbox``.

Configuration problems end with one line naming the variable and exit code 2, never a traceback;
a backup, restore or health check that fails ends with one line and exit code 1.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from telegram.error import InvalidToken

from bot.config import Settings, SettingsError, Webhook, load_settings, load_webhook
from bot.operations import OperationError, backup, health
from bot.startup_retry import StartupRetry, TelegramUnavailable
from bot.storage.database import Database, StorageError
from bot.storage.migrate import current_version

EXIT_FAILED = 1
EXIT_CONFIG = 2


class StartupError(Exception):
    """The bot could not start for a reason the person running it can fix; one line."""


def _configure_logging(level: str) -> None:
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=level)
    # httpx logs every request URL, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # Logs never contain message text. At DEBUG, PTB logs updates and Bot API results (what
    # people wrote, what the bot answered, Telegram ids), httpcore the raw traffic and
    # aiosqlite every statement with its parameters (safety plans, drafts, relayed messages),
    # so these stay at INFO or above even with LOG_LEVEL=DEBUG; our own modules still debug.
    for name in ("telegram", "httpcore", "aiosqlite"):
        logger = logging.getLogger(name)
        logger.setLevel(max(logging.INFO, logger.getEffectiveLevel()))
    # APScheduler logs two INFO lines per job run (every 5 s for the outbox heartbeat alone)
    # and one per job added at start. Its warnings (missed runs) and errors still show.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


async def _migrate(settings: Settings) -> int:
    db = Database(settings.database_path)
    try:
        return await current_version(await db.connection())  # connecting migrates
    finally:
        await db.close()


def _run(settings: Settings, webhook: Webhook | None) -> None:
    from bot.app import build_application
    from bot.polling import run_polling

    asyncio.run(_migrate(settings))  # a bad database path stops here with a clear line
    application = build_application(settings)
    health.install_heartbeat(application, settings.database_path)
    retry = StartupRetry(settings.startup_retry_seconds)
    host = urlsplit(settings.base_url).hostname
    try:
        # Stops on SIGINT/SIGTERM: polling ends, running updates finish, persistence is
        # written and the database closed before this returns.
        asyncio.run(run_polling(application, retry, webhook))
    except InvalidToken:
        # Telegram's message quotes the token; never print it.
        raise StartupError(
            "TELEGRAM_BOT_TOKEN was refused by Telegram (check it with @BotFather)"
        ) from None
    except TelegramUnavailable as problem:
        raise StartupError(
            f"the Telegram Bot API at {host} kept failing at start-up ({problem})"
        ) from None


def _sandbox(args: Sequence[str]) -> int:
    """``rangkul sandbox``, imported only when asked for: a development tool whose aiohttp is an
    optional extra, so ``rangkul run`` never loads it."""
    try:
        from bot.sandbox.cli import run_sandbox_command
    except ModuleNotFoundError as missing:
        if missing.name != "aiohttp":
            raise
        raise StartupError("the sandbox needs aiohttp: pip install 'rangkul[sandbox]'") from None
    return run_sandbox_command(args)


def _operate(command: str, options: argparse.Namespace, settings: Settings) -> str:
    """``backup``, ``restore`` and ``health``: what happened, in one line."""
    database = settings.database_path
    if command == "health":
        return health.check_health(database, now=time.time())
    if command == "backup":
        copy = backup.backup(database, options.path, force=options.force)
        return f"backed up {database} to {copy.path} ({_size(copy)}, schema {copy.schema_version})"
    copy = backup.restore(options.backup, database)
    return (
        f"restored {options.backup} into {database} ({_size(copy)}, schema {copy.schema_version})"
    )


def _size(copy: backup.Copied) -> str:
    return f"{copy.size_bytes / 1_000_000:.1f} MB"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rangkul", description=__doc__)
    commands = parser.add_subparsers(dest="command")
    run = commands.add_parser("run", help="run the bot with long polling (the default)")
    run.add_argument(
        "--webhook",
        metavar="URL",
        help="receive updates at this public https:// address instead of polling "
        "(needs WEBHOOK_SECRET_TOKEN)",
    )
    run.add_argument("--listen", help="address the webhook server binds (WEBHOOK_LISTEN)")
    run.add_argument("--port", type=int, help="port the webhook server binds (WEBHOOK_PORT)")
    commands.add_parser("migrate", help="apply database migrations and exit")
    make_backup = commands.add_parser(
        "backup", help="copy the live database to PATH (safe while the bot runs)"
    )
    make_backup.add_argument("path", type=Path, metavar="PATH")
    make_backup.add_argument("--force", action="store_true", help="replace PATH if it exists")
    restore = commands.add_parser(
        "restore", help="replace the database with BACKUP (only while the bot is stopped)"
    )
    restore.add_argument("backup", type=Path, metavar="BACKUP")
    commands.add_parser("health", help="exit 0 if the bot is alive and its database opens")
    # The sandbox's options and --help are its own (bot.sandbox.cli).
    commands.add_parser(
        "sandbox", add_help=False, help="try the bot locally: emulated Telegram + web chat"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    options, sandbox_args = parser.parse_known_args(argv)
    command = options.command or "run"
    if sandbox_args and command != "sandbox":
        parser.error(f"unrecognized arguments: {' '.join(sandbox_args)}")
    try:
        settings = load_settings(require_token=command == "run")
        _configure_logging(settings.log_level)
        if command == "sandbox":
            return _sandbox(sandbox_args)
        if command == "migrate":
            version = asyncio.run(_migrate(settings))
            print(f"database is at schema version {version}")
        elif command == "run":
            webhook = getattr(options, "webhook", None)
            if webhook is None and (
                getattr(options, "listen", None) or getattr(options, "port", None)
            ):
                parser.error("--listen and --port belong to --webhook")
            _run(
                settings,
                webhook and load_webhook(webhook, listen=options.listen, port=options.port),
            )
        else:
            print(_operate(command, options, settings))
    except (SettingsError, StorageError, StartupError) as problem:
        print(f"rangkul: {problem}", file=sys.stderr)
        return EXIT_CONFIG
    except OperationError as problem:
        print(f"rangkul {command}: {problem}", file=sys.stderr)
        return EXIT_FAILED
    return 0


if __name__ == "__main__":
    sys.exit(main())
