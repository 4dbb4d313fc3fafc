"""Members, groups and answers for journeys through the weekly check-in."""

from __future__ import annotations

from datetime import datetime

from bot.domain.groups import GroupFormat, NewGroup
from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers.checkin import check_in
from tests.journeys.helpers.onboarding import onboard_in_english

# Where each test member lives: (province code, timezone).
JAKARTA = ("jkt", "Asia/Jakarta")
JAYAPURA = ("papua", "Asia/Jayapura")
PROMPT = "Time for your weekly check-in"
NUDGE = "Just a gentle note"


def services(world: BotWorld):
    return world.app.bot_data["services"]


async def a_group(world: BotWorld) -> int:
    group = await services(world).groups.create(
        NewGroup(
            name="Lingkar Nusantara",
            description="An online peer group across Indonesia.",
            format=GroupFormat.ONLINE,
            province=None,
            city=None,
            languages=("id", "en"),
            timezone="Asia/Jakarta",
            max_members=20,
            offers_trials=False,
            trial_seats=0,
            topics=("anxiety",),
        ),
        world.clock.now(),
    )
    return group.id


async def a_member(
    world: BotWorld, user_id: int, alias: str, home: tuple[str, str], group_id: int | None
) -> Person:
    """Someone onboarded in English, living in ``home``, in the group (if given)."""
    person = world.person(user_id, alias.split()[0], "en")
    await onboard_in_english(person, alias=alias)
    member = await services(world).members.by_telegram_id(user_id)
    await services(world).members.set_region(member.id, *home)
    if group_id is not None:
        assert await services(world).groups.add_member(group_id, member.id, world.clock.now())
    return person


async def member_id(world: BotWorld, person: Person) -> int:
    return (await services(world).members.by_telegram_id(person.user_id)).id


async def answer_who5(world: BotWorld, person: Person, at: datetime) -> None:
    """At ``at`` (now or later), the person answers /checkin from start to end."""
    await advance_to(world, at)
    await check_in(person)


def prompts(person: Person) -> list[str]:
    return [text for text in person.texts if PROMPT in text]


def nudges(person: Person) -> list[str]:
    return [text for text in person.texts if NUDGE in text]


async def advance_to(world: BotWorld, moment: datetime) -> None:
    world.clock.advance(moment - world.clock.now())
    await world.tick()
