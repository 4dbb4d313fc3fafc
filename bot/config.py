"""Frozen settings read from the environment (the contract in the README's configuration table)."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.i18n import LANGUAGES

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_BASE_FILE_URL = "https://api.telegram.org/file/bot"


class SettingsError(ValueError):
    """A missing or malformed environment variable; the message names it in one line."""


@dataclass(frozen=True)
class Settings:
    token: str | None
    base_url: str = DEFAULT_BASE_URL
    base_file_url: str = DEFAULT_BASE_FILE_URL
    database_path: Path = Path("var/rangkul.sqlite3")
    admin_ids: frozenset[int] = frozenset()
    timezone: str = "Asia/Jakarta"
    default_language: str = "id"
    max_rate: float = 30.0
    startup_retry_seconds: float = 60.0
    log_level: str = "INFO"
    # How people reach the data controller, shown in the privacy notice; None: the notice says
    # to ask the coordinators through a facilitator.
    privacy_contact: str | None = None
    # How long quick moods (with their tags and notes) and check-in answers are kept; None:
    # until the person deletes them (/forget). The privacy notice states what is set here.
    keep_moods: timedelta | None = None
    keep_checkin_answers: timedelta | None = None


@dataclass(frozen=True)
class Webhook:
    """``rangkul run --webhook URL``: where Telegram posts updates and where the bot listens."""

    url: str  # the public HTTPS address given to Telegram (setWebhook)
    secret_token: str  # Telegram sends it with every update; others' posts are refused
    listen: str = "127.0.0.1"  # behind a reverse proxy by default
    port: int = 8443

    @property
    def url_path(self) -> str:
        """The path the bot serves: the URL's, so a proxy passes requests on unchanged."""
        return urlsplit(self.url).path.lstrip("/")


def _admin_ids(raw: str) -> frozenset[int]:
    ids = set()
    for part in raw.split(","):
        part = part.strip()
        if not part:
            continue
        if not part.lstrip("-").isdigit():
            raise SettingsError(
                "ADMIN_IDS must be comma-separated numeric Telegram user ids "
                "(found a value that is not a number)"
            )
        ids.add(int(part))
    return frozenset(ids)


def _timezone(raw: str) -> str:
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(
            f"BOT_TIMEZONE={raw!r} is not a known IANA timezone (e.g. Asia/Jakarta)"
        ) from None
    return raw


def _language(raw: str) -> str:
    if raw not in LANGUAGES:
        raise SettingsError(f"DEFAULT_LANGUAGE must be one of {', '.join(LANGUAGES)}")
    return raw


def _max_rate(raw: str) -> float:
    try:
        rate = float(raw)
    except ValueError:
        raise SettingsError("TELEGRAM_MAX_RATE must be a number of messages per second") from None
    if rate < 0 or rate != rate:  # NaN is not a rate
        raise SettingsError("TELEGRAM_MAX_RATE must be 0 (no limiter) or a positive number")
    return rate


def _startup_retry_seconds(raw: str) -> float:
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):  # also refuses NaN
        raise SettingsError(
            "TELEGRAM_STARTUP_RETRY_SECONDS must be a number of seconds (0: do not retry)"
        )
    return seconds


def _log_level(raw: str) -> str:
    level = raw.upper()
    if not isinstance(logging.getLevelName(level), int):
        raise SettingsError("LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
    return level


# The forms of PRIVACY_CONTACT: an e-mail address, a web address, or a Telegram @username.
_CONTACT_FORMS = (
    re.compile(r"[^@\s<>\"]+@[^@\s<>\"]+\.[A-Za-z]{2,}"),
    re.compile(r"https?://[^\s<>\"]+\.[^\s<>\"]+"),
    re.compile(r"@[A-Za-z][A-Za-z0-9_]{4,31}"),
)
_MAX_CONTACT = 200


def _privacy_contact(raw: str) -> str | None:
    contact = raw.strip()
    if not contact:
        return None
    if len(contact) > _MAX_CONTACT or not any(f.fullmatch(contact) for f in _CONTACT_FORMS):
        raise SettingsError(
            "PRIVACY_CONTACT must be an e-mail address, an http(s):// link or a Telegram "
            "@username (or be left unset)"
        )
    return contact


def _keep_days(name: str, raw: str) -> timedelta | None:
    """A whole number of days, or nothing (kept until the person deletes it)."""
    raw = raw.strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise SettingsError(
            f"{name} must be a whole number of days (1 or more), or unset to keep them "
            "until the person deletes them"
        )
    return timedelta(days=int(raw))


# Telegram's rule for secret_token: 1-256 characters A-Z, a-z, 0-9, _ and -.
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
_LOOPBACK = ("localhost", "127.0.0.1", "::1")


def load_webhook(
    url: str,
    env: Mapping[str, str] | None = None,
    *,
    listen: str | None = None,
    port: int | None = None,
) -> Webhook:
    """The webhook of ``rangkul run --webhook URL``: ``listen`` and ``port`` from the flags or
    WEBHOOK_LISTEN and WEBHOOK_PORT, the secret from WEBHOOK_SECRET_TOKEN only (a flag would
    show in the process list). Raises SettingsError naming the first bad value."""
    env = os.environ if env is None else env
    parts = urlsplit(url)
    loopback = parts.hostname in _LOOPBACK  # a local Bot API server may post over plain HTTP
    if not parts.hostname or not (
        parts.scheme == "https" or (parts.scheme, loopback) == ("http", True)
    ):
        raise SettingsError("--webhook must be the bot's public https:// address")
    secret = env.get("WEBHOOK_SECRET_TOKEN", "").strip()
    if not _SECRET_TOKEN.fullmatch(secret):
        raise SettingsError(
            "WEBHOOK_SECRET_TOKEN must be set for --webhook: 1-256 characters of A-Z, a-z, "
            "0-9, _ and - (without it anyone who finds the address could post updates)"
        )
    if port is None:
        raw_port = env.get("WEBHOOK_PORT", "8443").strip()
        port = int(raw_port) if raw_port.isdigit() else -1
    if not 0 < port < 65536:
        raise SettingsError("WEBHOOK_PORT (or --port) must be a TCP port, 1-65535")
    return Webhook(
        url=url,
        secret_token=secret,
        listen=listen or env.get("WEBHOOK_LISTEN", "").strip() or "127.0.0.1",
        port=port,
    )


def _url(name: str, raw: str) -> str:
    if not raw.startswith(("http://", "https://")):
        raise SettingsError(f"{name} must start with http:// or https://")
    return raw


def load_settings(env: Mapping[str, str] | None = None, *, require_token: bool = True) -> Settings:
    """Reads and validates the environment; raises SettingsError naming the first bad variable."""
    env = os.environ if env is None else env
    token = env.get("TELEGRAM_BOT_TOKEN", "").strip() or None
    if require_token and token is None:
        raise SettingsError("TELEGRAM_BOT_TOKEN is not set (get one from @BotFather)")
    if token is not None and (":" not in token or any(c.isspace() for c in token)):
        raise SettingsError("TELEGRAM_BOT_TOKEN does not look like a bot token (<id>:<secret>)")
    return Settings(
        token=token,
        base_url=_url("TELEGRAM_BASE_URL", env.get("TELEGRAM_BASE_URL", DEFAULT_BASE_URL)),
        base_file_url=_url(
            "TELEGRAM_BASE_FILE_URL", env.get("TELEGRAM_BASE_FILE_URL", DEFAULT_BASE_FILE_URL)
        ),
        database_path=Path(env.get("DATABASE_PATH", "var/rangkul.sqlite3")),
        admin_ids=_admin_ids(env.get("ADMIN_IDS", "")),
        timezone=_timezone(env.get("BOT_TIMEZONE", "Asia/Jakarta")),
        default_language=_language(env.get("DEFAULT_LANGUAGE", "id")),
        max_rate=_max_rate(env.get("TELEGRAM_MAX_RATE", "30")),
        startup_retry_seconds=_startup_retry_seconds(
            env.get("TELEGRAM_STARTUP_RETRY_SECONDS", "60")
        ),
        log_level=_log_level(env.get("LOG_LEVEL", "INFO")),
        privacy_contact=_privacy_contact(env.get("PRIVACY_CONTACT", "")),
        keep_moods=_keep_days("KEEP_MOODS_DAYS", env.get("KEEP_MOODS_DAYS", "")),
        keep_checkin_answers=_keep_days(
            "KEEP_CHECKIN_ANSWERS_DAYS", env.get("KEEP_CHECKIN_ANSWERS_DAYS", "")
        ),
    )
