"""Robustness journeys: the journeys' running bot (tests/journeys/conftest.py, which also fails
a test on any refused Bot API call or handler error), a cast of one person per role, and the
Hypothesis profiles of the fuzz run.

    pytest tests/robustness                               # quick and repeatable (~1 min)
    pytest tests/robustness --hypothesis-profile=long     # many more inputs, new ones each run

The long profile needs the path: Hypothesis reads its option before pytest gets to this file
when it collects all of tests/.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from hypothesis import HealthCheck, settings

from tests.journeys.conftest import world
from tests.journeys.harness import BotWorld
from tests.journeys.helpers.cast import Cast, a_cast

# The cast's bot runs across a test's examples (each starts from a fresh /cancel), so the
# function-scoped fixture check does not apply; a step can take a few seconds on a slow box.
# No example database: a failure is reported with its inputs, and the quick run is
# derandomized, so it repeats anyway.
_SHARED = {
    "suppress_health_check": [HealthCheck.function_scoped_fixture],
    "deadline": None,
    "database": None,
}
settings.register_profile("quick", max_examples=4, derandomize=True, **_SHARED)
settings.register_profile("long", max_examples=60, **_SHARED)


def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption("hypothesis_profile", None):
        settings.load_profile("quick")


@pytest.fixture
async def cast(world: BotWorld) -> AsyncIterator[Cast]:
    cast = await a_cast(world)
    cast.snapshot()
    yield cast


__all__ = ["cast", "world"]
