"""Coordinators and groups for journeys through the network."""

from __future__ import annotations

from bot.domain.groups import GroupFormat, NewGroup
from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers.onboarding import onboard_in_english

COORDINATOR_ID = 501


async def a_coordinator(world: BotWorld) -> Person:
    await world.restart(admin_ids=frozenset({COORDINATOR_ID}))
    koor = world.person(COORDINATOR_ID, "Koor", "en")
    await onboard_in_english(koor, alias="Koordinator Satu")
    return koor


async def a_group(
    world: BotWorld,
    name: str = "Teman Cerita Makassar",
    *,
    online: bool = False,
    province: str = "sulsel",
    topics: tuple[str, ...] = ("anxiety",),
    trials: bool = True,
    max_members: int = 10,
) -> int:
    services = world.app.bot_data["services"]
    group = await services.groups.create(
        NewGroup(
            name=name,
            description="A warm peer group for people living with anxiety.",
            format=GroupFormat.ONLINE if online else GroupFormat.IN_PERSON,
            province=None if online else province,
            city=None if online else "Makassar",
            languages=("id",),
            timezone="Asia/Jakarta" if online else "Asia/Makassar",
            max_members=max_members,
            offers_trials=trials,
            trial_seats=2 if trials else 0,
            topics=topics,
        ),
        world.clock.now(),
    )
    return group.id
