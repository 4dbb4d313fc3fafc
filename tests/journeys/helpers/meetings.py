"""Groups, facilitators, members and meetings for journeys through meetings and reminders."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.groups import GroupFormat, NewGroup
from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers.onboarding import onboard_in_english

# Thursday 3 December 2026, 19:30 WITA.
FIRST_MEETING = datetime(2026, 12, 3, 11, 30, tzinfo=UTC)


def plain(text: str) -> str:
    """Babel's English times use a narrow no-break space before AM/PM."""
    return text.replace("\u202f", " ")


def texts(person: Person) -> list[str]:
    return [plain(text) for text in person.texts]


def services(world: BotWorld):
    return world.app.bot_data["services"]


async def a_group(
    world: BotWorld,
    *,
    trial_seats: int = 1,
    online: bool = False,
    max_members: int = 10,
    name: str = "Teman Cerita Makassar",
) -> int:
    group = await services(world).groups.create(
        NewGroup(
            name=name,
            description="A warm peer group for people living with anxiety.",
            format=GroupFormat.HYBRID if online else GroupFormat.IN_PERSON,
            province="sulsel",
            city="Makassar",
            languages=("id", "en"),
            timezone="Asia/Makassar",
            max_members=max_members,
            offers_trials=trial_seats > 0,
            trial_seats=trial_seats,
            topics=("anxiety",),
        ),
        world.clock.now(),
    )
    return group.id


async def a_person(world: BotWorld, user_id: int, alias: str, *, tz: str | None = None) -> Person:
    person = world.person(user_id, alias, "en")
    await onboard_in_english(person, alias=alias)
    if tz is not None:
        member = await services(world).members.by_telegram_id(user_id)
        await services(world).members.set_region(member.id, "papua", tz)
    return person


async def member_id(world: BotWorld, person: Person) -> int:
    return (await services(world).members.by_telegram_id(person.user_id)).id


async def a_facilitator(
    world: BotWorld, group_id: int, user_id: int = 301, *, in_jakarta: bool = False
) -> Person:
    facilitator = await a_person(world, user_id, "Fasil Sari")
    if in_jakarta:
        member = await services(world).members.by_telegram_id(user_id)
        await services(world).members.set_region(member.id, "jkt", "Asia/Jakarta")
    await services(world).groups.add_facilitator(
        group_id, await member_id(world, facilitator), world.clock.now()
    )
    return facilitator


async def schedule_weekly(facilitator: Person, *, online: bool = False) -> None:
    """Thursday 3 December, 19:30 WITA, 90 minutes, weekly, for 8 people."""
    await facilitator.send("/newmeeting")
    await facilitator.press("Thu 3 Dec")
    await facilitator.press("19:30")
    await facilitator.press("90 min")
    await facilitator.press("Every week on Thursday")
    await facilitator.send("Community hall, Jl. Merdeka 5, Makassar")
    if online:
        await facilitator.send("https://meet.example.org/teman-cerita")
    await facilitator.press("8")
    await facilitator.press("Schedule")


async def sign_up_for_trial(person: Person) -> None:
    await person.send("/trial")
    await person.press("Teman Cerita Makassar")
    await person.press("Thu 3 Dec")
    await person.press("Sign me up")


def reminders(person: Person) -> list[str]:
    return [text for text in texts(person) if "Reminder" in text]


async def advance_to(world: BotWorld, moment: datetime) -> None:
    world.clock.advance(moment - world.clock.now())
    await world.tick()
