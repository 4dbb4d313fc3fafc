"""Settings parsing: defaults, every variable, and one clear line for each kind of mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import SettingsError, load_settings

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
