"""Announcements in journeys: many members at once, media from a person, and a hard kill of
the bot in the middle of a broadcast."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

from bot.domain.alias import alias_key
from bot.domain.member import NewMember
from bot.sandbox.emulator import ChatEntry
from tests.journeys.harness import BotWorld, Person

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (4).to_bytes(4, "big") * 2 + b"\x08\x06"


async def members_of(
    world: BotWorld,
    group_id: int,
    first_user_id: int,
    count: int,
    *,
    province: str | None = "sulsel",
) -> list[int]:
    """``count`` registered members of the group (user ids from ``first_user_id``), stored
    directly: onboarding 1,200 people through the chat would take minutes."""
    services = world.app.bot_data["services"]  # type: ignore[union-attr]
    now = world.clock.now()
    user_ids = list(range(first_user_id, first_user_id + count))
    for user_id in user_ids:
        world.emulator.add_user(user_id, f"M{user_id}", language_code="en")
        alias = f"Anggota {user_id}"
        member = await services.members.create(
            NewMember(
                telegram_id=user_id,
                alias=alias,
                alias_key=alias_key(alias),
                language="en",
                timezone="Asia/Makassar",
                province=province,
                topics=(),
                consent_version=services.notice_version,
                consent_at=now,
                adult_confirmed_at=now,
                created_at=now,
            )
        )
        await services.groups.add_member(group_id, member.id, now)
    return user_ids


async def send_photo(person: Person, caption: str, entities: list[dict]) -> list[ChatEntry]:
    """The person sends a photo with a formatted caption; returns the bot's answers."""
    emulator = person.world.emulator
    before = len(emulator.bot_messages(person.user_id))
    update = emulator.user_sends_file(
        person.user_id,
        "photo",
        ("poster.png", PNG, "image/png"),
        caption=caption,
        caption_entities=entities,
    )
    await person.world.deliver(update)
    return emulator.bot_messages(person.user_id)[before:]


async def send_formatted(person: Person, text: str, entities: list[dict]) -> list[ChatEntry]:
    emulator = person.world.emulator
    before = len(emulator.bot_messages(person.user_id))
    await person.world.deliver(emulator.user_sends_text(person.user_id, text, entities=entities))
    return emulator.bot_messages(person.user_id)[before:]


def copies_received(world: BotWorld, user_id: int, text: str) -> int:
    return sum(1 for entry in world.emulator.bot_messages(user_id) if entry.text == text)


async def two_seconds_pass(world: BotWorld) -> None:
    """For the bot's clock and, when it has one, its rate limiter's virtual time (on which
    flood holds end)."""
    world.clock.advance(timedelta(seconds=2))
    if world.limiter_time is not None:
        await world.limiter_time.advance(2)


def drive_jobs_by_hand(world: BotWorld) -> None:
    """The outbox and progress heartbeats wait for the test's ``world.tick()``: a pass running
    on its own beside the test's would make where a kill lands a matter of luck."""
    assert world.app is not None and world.app.job_queue is not None
    for job in world.app.job_queue.jobs():
        job.enabled = False


async def kill_at_copy(world: BotWorld, nth: int) -> None:
    """Runs a heartbeat and kills the bot hard while its ``nth`` copyMessage is on the way to
    Telegram (before Telegram took it): the pass dies where it is, no outcome is recorded,
    nothing is shut down cleanly."""
    emulator = world.emulator
    real_call = emulator.call
    seen = 0
    killed = asyncio.Event()

    async def call(token: str, method: str, params: dict, files: dict | None = None):
        nonlocal seen
        if method.lower() == "copymessage":
            seen += 1
            if seen >= nth:
                killed.set()
                await asyncio.Event().wait()  # never answered: the process is gone
        return await real_call(token, method, params, files)

    emulator.call = call  # type: ignore[method-assign]
    kill = asyncio.create_task(killed.wait())
    try:
        while True:  # a flood wait may end a pass early: the next beat goes on
            passing = asyncio.create_task(world.tick())
            await asyncio.wait([passing, kill], return_when=asyncio.FIRST_COMPLETED)
            if killed.is_set():
                break
            await two_seconds_pass(world)
        passing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await passing
        await world.crash()
    finally:
        emulator.call = real_call  # type: ignore[method-assign]
