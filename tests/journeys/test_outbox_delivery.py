"""The outbox inside the running bot: planned messages arrive on a tick, survive a crash, and
stop for someone who blocked the bot."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from telegram.error import Forbidden

from bot.domain.member import Member
from bot.domain.messages import PlannedMessage
from bot.i18n import Translator
from bot.services.container import Services
from tests.journeys.harness import BotWorld
from tests.journeys.helpers.onboarding import onboard_in_english


async def nudge(services: Services, t: Translator, member: Member, payload: Mapping[str, Any]):
    """A stand-in kind; real kinds are registered by their features the same way."""
    return f"<b>Nudge</b> {payload['n']}", None


async def a_member_with_a_planned_nudge(world: BotWorld, user_id: int, at: timedelta) -> None:
    assert world.app is not None
    world.app.bot_data["outbox_renderers"]["nudge"] = nudge
    await onboard_in_english(world.person(user_id, "Nia", "en"), alias=f"Nia {user_id}")
    assert await plan_nudge(world, user_id, at)


async def plan_nudge(world: BotWorld, user_id: int, at: timedelta) -> bool:
    services: Services = world.app.bot_data["services"]  # type: ignore[union-attr]
    member = await services.members.by_telegram_id(user_id)
    assert member is not None
    planned = PlannedMessage(
        member_id=member.id,
        kind="nudge",
        payload={"n": 1},
        not_before=world.clock.now() + at,
        dedupe_key=f"nudge:{member.id}",
    )
    async with services.outbox.transaction() as tx:
        return await services.outbox.enqueue([planned], now=world.clock.now(), tx=tx) == 1


async def test_a_planned_message_arrives_when_its_time_comes(world: BotWorld) -> None:
    await a_member_with_a_planned_nudge(world, 301, timedelta(hours=2))
    nia = world.person(301, "Nia", "en")
    before = len(nia.texts)
    await world.tick()
    assert len(nia.texts) == before
    world.clock.advance(timedelta(hours=2))
    await world.tick()
    await world.tick()
    assert nia.texts[before:] == ["Nudge 1"]  # HTML rendered, sent once
    assert nia.last.entities[0]["type"] == "bold"


async def test_a_message_in_flight_at_a_crash_is_sent_after_the_restart(world: BotWorld) -> None:
    await a_member_with_a_planned_nudge(world, 302, timedelta(0))
    services: Services = world.app.bot_data["services"]  # type: ignore[union-attr]
    assert len(await services.outbox.claim_due(world.clock.now(), 10)) == 1  # then "crash"
    await world.restart()
    world.app.bot_data["outbox_renderers"]["nudge"] = nudge  # type: ignore[union-attr]
    await world.tick()
    assert world.person(302, "Nia", "en").texts[-1] == "Nudge 1"


async def test_nothing_more_is_sent_to_someone_who_blocked_the_bot(world: BotWorld) -> None:
    await a_member_with_a_planned_nudge(world, 303, timedelta(hours=1))
    nia = world.person(303, "Nia", "en")
    before = len(nia.texts)
    world.emulator.user_blocks_bot(303)
    world.clock.advance(timedelta(hours=1))
    await world.tick()
    assert len(nia.texts) == before
    services: Services = world.app.bot_data["services"]  # type: ignore[union-attr]
    member = await services.members.by_telegram_id(303)
    assert member is not None and await services.outbox.is_member_blocked(member.id)
    # Telegram's 403 was the expected answer, not a mistake of the bot.
    assert [call.status for call in world.emulator.rejected] == [403]
    world.emulator.rejected.clear()


async def test_unblocking_the_bot_makes_a_member_reachable_again(world: BotWorld) -> None:
    await a_member_with_a_planned_nudge(world, 304, timedelta(hours=1))
    services: Services = world.app.bot_data["services"]  # type: ignore[union-attr]
    member = await services.members.by_telegram_id(304)
    assert member is not None
    blocked = world.emulator.user_blocks_bot(304)
    await world.deliver(blocked)
    assert await services.outbox.is_member_blocked(member.id)
    # The harness delivers only the text a person sends, so the my_chat_member update Telegram
    # sends when someone unblocks the bot is delivered here: the block update, reversed.
    change = blocked["my_chat_member"]
    unblocked = {
        "update_id": blocked["update_id"] + 1000,
        "my_chat_member": change
        | {
            "old_chat_member": change["new_chat_member"],
            "new_chat_member": change["old_chat_member"],
        },
    }
    await world.deliver(unblocked)
    assert not await services.outbox.is_member_blocked(member.id)
    await world.person(304, "Nia", "en").send("/menu")  # the emulator unblocks on writing
    # Blocking cancelled the planned nudge; planning it again revives it.
    world.clock.advance(timedelta(hours=1))
    await world.tick()
    assert world.person(304, "Nia", "en").texts[-1] != "Nudge 1"
    assert await plan_nudge(world, 304, timedelta(0))
    await world.tick()
    assert world.person(304, "Nia", "en").texts[-1] == "Nudge 1"


async def test_a_reply_refused_with_403_is_a_quiet_note_and_stops_the_outbox(
    world: BotWorld, caplog
) -> None:
    await a_member_with_a_planned_nudge(world, 305, timedelta(hours=1))
    nia = world.person(305, "Nia", "en")
    before = len(nia.texts)
    caplog.set_level(logging.INFO)
    world.emulator.faults.fail_next("403", method="sendMessage", chat_id=305)

    await nia.send("/menu")

    # The person blocked the bot: expected, so no error, no stack frames, no apology.
    assert [type(error) for error in world.errors] == [Forbidden]
    world.errors.clear()
    assert [record for record in caplog.records if record.levelno >= logging.ERROR] == []
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Traceback" not in logged and 'File "' not in logged
    assert "Forbidden" in logged
    assert "305" not in logged and "Nia" not in logged
    assert len(nia.texts) == before
    assert [fault.kind for fault in world.emulator.faults.served] == ["403"]
    services: Services = world.app.bot_data["services"]  # type: ignore[union-attr]
    member = await services.members.by_telegram_id(305)
    assert member is not None and await services.outbox.is_member_blocked(member.id)
    world.clock.advance(timedelta(hours=1))
    await world.tick()
    assert len(nia.texts) == before  # the planned nudge was cancelled
