"""Settings parsing: defaults, every variable, and one clear line for each kind of mistake."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import SettingsError, load_settings, load_webhook

TOKEN = {"TELEGRAM_BOT_TOKEN": "123456:ABCdef"}


def test_defaults_follow_the_contract() -> None:
    settings = load_settings(TOKEN)
    assert settings.token == "123456:ABCdef"
    assert settings.base_url == "https://api.telegram.org/bot"
    assert settings.base_file_url == "https://api.telegram.org/file/bot"
    assert settings.database_path == Path("var/rangkul.sqlite3")
    assert settings.admin_ids == frozenset()
    assert (settings.timezone, settings.default_language) == ("Asia/Jakarta", "id")
    assert (settings.max_rate, settings.log_level) == (30.0, "INFO")
    assert settings.startup_retry_seconds == 60.0


def test_every_variable_is_read() -> None:
    settings = load_settings(
        {
            **TOKEN,
            "TELEGRAM_BASE_URL": "http://127.0.0.1:8081/bot",
            "TELEGRAM_BASE_FILE_URL": "http://127.0.0.1:8081/file/bot",
            "DATABASE_PATH": "/tmp/x.sqlite3",
            "ADMIN_IDS": " 11, 22 ,",
            "BOT_TIMEZONE": "Asia/Jayapura",
            "DEFAULT_LANGUAGE": "en",
            "TELEGRAM_MAX_RATE": "0",
            "TELEGRAM_STARTUP_RETRY_SECONDS": "2.5",
            "LOG_LEVEL": "debug",
        }
    )
    assert settings.startup_retry_seconds == 2.5
    assert settings.base_url == "http://127.0.0.1:8081/bot"
    assert settings.admin_ids == frozenset({11, 22})
    assert settings.timezone == "Asia/Jayapura"
    assert settings.default_language == "en"
    assert settings.max_rate == 0
    assert settings.log_level == "DEBUG"


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({}, "TELEGRAM_BOT_TOKEN"),
        ({"TELEGRAM_BOT_TOKEN": "not a token"}, "TELEGRAM_BOT_TOKEN"),
        ({**TOKEN, "ADMIN_IDS": "12,abc"}, "ADMIN_IDS"),
        ({**TOKEN, "BOT_TIMEZONE": "Mars/Olympus"}, "BOT_TIMEZONE"),
        ({**TOKEN, "DEFAULT_LANGUAGE": "fr"}, "DEFAULT_LANGUAGE"),
        ({**TOKEN, "TELEGRAM_MAX_RATE": "fast"}, "TELEGRAM_MAX_RATE"),
        ({**TOKEN, "TELEGRAM_MAX_RATE": "-1"}, "TELEGRAM_MAX_RATE"),
        ({**TOKEN, "TELEGRAM_MAX_RATE": "nan"}, "TELEGRAM_MAX_RATE"),
        ({**TOKEN, "TELEGRAM_STARTUP_RETRY_SECONDS": "soon"}, "TELEGRAM_STARTUP_RETRY_SECONDS"),
        ({**TOKEN, "TELEGRAM_STARTUP_RETRY_SECONDS": "-5"}, "TELEGRAM_STARTUP_RETRY_SECONDS"),
        ({**TOKEN, "TELEGRAM_STARTUP_RETRY_SECONDS": "inf"}, "TELEGRAM_STARTUP_RETRY_SECONDS"),
        ({**TOKEN, "LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({**TOKEN, "TELEGRAM_BASE_URL": "ftp://x"}, "TELEGRAM_BASE_URL"),
        ({**TOKEN, "PRIVACY_CONTACT": "call the office"}, "PRIVACY_CONTACT"),
        ({**TOKEN, "PRIVACY_CONTACT": "@ab"}, "PRIVACY_CONTACT"),
        ({**TOKEN, "KEEP_MOODS_DAYS": "a month"}, "KEEP_MOODS_DAYS"),
        ({**TOKEN, "KEEP_MOODS_DAYS": "0"}, "KEEP_MOODS_DAYS"),
        ({**TOKEN, "KEEP_CHECKIN_ANSWERS_DAYS": "-30"}, "KEEP_CHECKIN_ANSWERS_DAYS"),
        ({**TOKEN, "KEEP_CHECKIN_ANSWERS_DAYS": "1.5"}, "KEEP_CHECKIN_ANSWERS_DAYS"),
    ],
)
def test_a_bad_value_names_its_variable_in_one_line(env: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError) as problem:
        load_settings(env)
    message = str(problem.value)
    assert named in message and "\n" not in message


def test_the_token_is_optional_where_the_caller_says_so() -> None:
    assert load_settings({}, require_token=False).token is None


@pytest.mark.parametrize(
    "contact", ["privasi@contoh.org", "https://contoh.org/privasi", "@rangkul_privasi"]
)
def test_a_privacy_contact_is_an_address_a_link_or_a_username(contact: str) -> None:
    assert load_settings({**TOKEN, "PRIVACY_CONTACT": f" {contact} "}).privacy_contact == contact
    assert load_settings(TOKEN).privacy_contact is None


def test_moods_and_checkin_answers_are_kept_until_deleted_unless_days_are_set() -> None:
    assert (load_settings(TOKEN).keep_moods, load_settings(TOKEN).keep_checkin_answers) == (
        None,
        None,
    )
    settings = load_settings(
        {**TOKEN, "KEEP_MOODS_DAYS": " 90 ", "KEEP_CHECKIN_ANSWERS_DAYS": "365"}
    )
    assert settings.keep_moods == timedelta(days=90)
    assert settings.keep_checkin_answers == timedelta(days=365)


SECRET = {"WEBHOOK_SECRET_TOKEN": "s3cret_-token"}


def test_a_webhook_takes_its_path_from_the_url_and_listens_locally_by_default() -> None:
    webhook = load_webhook("https://bot.example.org/telegram/rangkul", SECRET)
    assert (webhook.url_path, webhook.listen, webhook.port) == (
        "telegram/rangkul",
        "127.0.0.1",
        8443,
    )
    assert webhook.secret_token == "s3cret_-token"
    from_env = load_webhook(
        "https://bot.example.org/hook",
        {**SECRET, "WEBHOOK_LISTEN": "0.0.0.0", "WEBHOOK_PORT": "8080"},
    )
    assert (from_env.listen, from_env.port) == ("0.0.0.0", 8080)
    flags_win = load_webhook(
        "https://bot.example.org/hook", {**SECRET, "WEBHOOK_PORT": "8080"}, listen="::", port=9000
    )
    assert (flags_win.listen, flags_win.port) == ("::", 9000)


@pytest.mark.parametrize(
    ("url", "env", "named"),
    [
        ("http://bot.example.org/hook", SECRET, "--webhook"),
        ("bot.example.org/hook", SECRET, "--webhook"),
        ("https://bot.example.org/hook", {}, "WEBHOOK_SECRET_TOKEN"),
        (
            "https://bot.example.org/hook",
            {"WEBHOOK_SECRET_TOKEN": "has space"},
            "WEBHOOK_SECRET_TOKEN",
        ),
        ("https://bot.example.org/hook", {**SECRET, "WEBHOOK_PORT": "http"}, "WEBHOOK_PORT"),
        ("https://bot.example.org/hook", {**SECRET, "WEBHOOK_PORT": "70000"}, "WEBHOOK_PORT"),
    ],
)
def test_a_bad_webhook_setting_is_named_in_one_line(
    url: str, env: dict[str, str], named: str
) -> None:
    with pytest.raises(SettingsError) as problem:
        load_webhook(url, env)
    assert named in str(problem.value) and "\n" not in str(problem.value)


def test_a_local_bot_api_server_may_post_over_plain_http() -> None:
    assert load_webhook("http://127.0.0.1:8081/hook", SECRET).url_path == "hook"
