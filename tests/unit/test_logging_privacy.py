"""LOG_LEVEL=DEBUG must not turn library debug logs (updates, SQL parameters) into a leak."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from bot.__main__ import _configure_logging

QUIET = ("telegram", "telegram.ext.ExtBot", "httpx", "httpcore", "aiosqlite")


@pytest.fixture
def restored_levels() -> Iterator[None]:
    names = ["", *QUIET, "apscheduler.executors.default"]
    before = {name: logging.getLogger(name).level for name in names}
    yield
    for name, level in before.items():
        logging.getLogger(name).setLevel(level)


def test_debug_level_keeps_libraries_that_log_contents_at_info(restored_levels: None) -> None:
    logging.getLogger().setLevel(logging.DEBUG)  # as basicConfig(level="DEBUG") would

    _configure_logging("DEBUG")

    for name in QUIET:
        assert not logging.getLogger(name).isEnabledFor(logging.DEBUG), name
    assert logging.getLogger("bot.handlers.safety").isEnabledFor(logging.DEBUG)
