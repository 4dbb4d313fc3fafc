"""Muting announcements in /settings: per group, edited in place, meeting reminders still come;
a double tap switches once; people in no group are not offered it."""

from __future__ import annotations

from datetime import timedelta

from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers import rows
from tests.journeys.helpers.broadcasts import copies_received
from tests.journeys.helpers.meetings import (
    FIRST_MEETING,
    a_facilitator,
    a_group,
    a_person,
    advance_to,
    member_id,
    reminders,
    schedule_weekly,
    services,
)

MAKASSAR = "Teman Cerita Makassar"
DARING = "Teman Cerita Daring"
ENTRY = "📣 Announcements"


def toasts(world: BotWorld) -> list[str]:
    return [answer["text"] for answer in world.emulator.callback_answers.values() if answer["text"]]


async def announce(world: BotWorld, facilitator: Person, group: str, text: str) -> None:
    await facilitator.send("/broadcast")
    await facilitator.press(group)
    await facilitator.send(text)
    assert "Recipients:" in facilitator.last.text
    await facilitator.press("Send")
    await world.tick()


async def join(world: BotWorld, person: Person, *group_ids: int) -> None:
    for group_id in group_ids:
        await services(world).groups.add_member(
            group_id, await member_id(world, person), world.clock.now()
        )


async def open_announcements(person: Person) -> int:
    """/settings, then the announcements' screen; returns its message id."""
    await person.send("/settings")
    await person.press(ENTRY)
    return person.last.message_id


async def test_a_muted_group_sends_no_announcements_but_meeting_reminders_still_come(
    world: BotWorld,
) -> None:
    makassar = await a_group(world)
    sari = await a_facilitator(world, makassar)
    await schedule_weekly(sari)
    daring = await a_group(world, name=DARING, online=True)
    await services(world).groups.add_facilitator(
        daring, await member_id(world, sari), world.clock.now()
    )
    budi = await a_person(world, 7601, "Budi Pagi")
    await join(world, budi, makassar, daring)
    ayu = await a_person(world, 7602, "Ayu Senja")  # also in Makassar; she mutes nothing
    await join(world, ayu, makassar)

    screen = await open_announcements(budi)
    assert "meeting reminders" in budi.last.text and "still come" in budi.last.text
    assert budi.buttons() == [f"{DARING}: 🔔 on", f"{MAKASSAR}: 🔔 on", "◀ Back to settings"]
    await budi.press(MAKASSAR)
    assert budi.last.message_id == screen  # edited in place
    assert f"Announcements of {MAKASSAR} are muted" in budi.last.text
    assert budi.buttons() == [f"{DARING}: 🔔 on", f"{MAKASSAR}: 🔕 muted", "◀ Back to settings"]

    await announce(world, sari, MAKASSAR, "Kopdar Makassar Sabtu ini")
    await announce(world, sari, DARING, "Sesi daring Minggu malam")
    assert copies_received(world, ayu.user_id, "Kopdar Makassar Sabtu ini") == 1
    assert copies_received(world, budi.user_id, "Kopdar Makassar Sabtu ini") == 0
    assert copies_received(world, budi.user_id, "Sesi daring Minggu malam") == 1

    await advance_to(world, FIRST_MEETING - timedelta(hours=24))
    assert len(reminders(budi)) == 1  # the muted group's meeting reminder still comes

    await open_announcements(budi)
    await budi.press(MAKASSAR)
    assert f"Announcements of {MAKASSAR} are on again" in budi.last.text
    await announce(world, sari, MAKASSAR, "Kopdar Makassar pekan depan")
    assert copies_received(world, budi.user_id, "Kopdar Makassar pekan depan") == 1


async def test_a_double_tap_switches_once_and_leaving_the_group_drops_the_mute(
    world: BotWorld,
) -> None:
    makassar = await a_group(world)
    ayu = await a_person(world, 7611, "Ayu Senja")
    await join(world, ayu, makassar)
    await open_announcements(ayu)
    message_id, data = ayu.button(MAKASSAR)
    await ayu.press_data(message_id, data)
    await ayu.press_data(message_id, data)  # the second of a double tap
    assert rows(world, "SELECT COUNT(*) FROM announcement_mutes") == [(1,)]  # muted, once
    assert "Already saved ✅" in toasts(world)
    assert ayu.buttons()[0] == f"{MAKASSAR}: 🔕 muted"

    await services(world).groups.remove_member(makassar, await member_id(world, ayu))
    assert rows(world, "SELECT COUNT(*) FROM announcement_mutes") == [(0,)]  # gone with her
    await ayu.press(MAKASSAR)  # "unmute", on a screen from before she left
    assert rows(world, "SELECT COUNT(*) FROM announcement_mutes") == [(0,)]
    assert any("These settings have changed since" in toast for toast in toasts(world))


async def test_someone_in_no_group_is_not_offered_announcements(world: BotWorld) -> None:
    dewi = await a_person(world, 7621, "Dewi Senja")
    await dewi.send("/settings")
    assert "🗓 Weekly check-in" in dewi.buttons()
    assert ENTRY not in dewi.buttons()
