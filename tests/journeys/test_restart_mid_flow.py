"""A restart in the middle of a form resumes it: the typed drafts come back from SQLite with the
conversation state, and the next answer goes on from where the person was."""

from __future__ import annotations

from tests.journeys.harness import BotWorld
from tests.journeys.test_groups import a_coordinator
from tests.journeys.test_meetings import a_facilitator, a_group, last, rows


async def test_a_new_meeting_goes_on_after_a_restart(world: BotWorld) -> None:
    sari = await a_facilitator(world, await a_group(world))
    await sari.send("/newmeeting")
    for label in ("Thu 3 Dec", "19:30", "90 min"):
        await sari.press(label)

    await world.restart()

    await sari.press("Every week on Thursday")
    await sari.send("Community hall, Jl. Merdeka 5, Makassar")
    await sari.press("8")
    assert "Thursday, December 3, 2026, 7:30 PM WITA" in last(sari)
    await sari.press("Schedule")
    assert rows(world, "SELECT recurrence, duration_minutes, capacity FROM meeting_series") == [
        ("weekly", 90, 8)
    ]


async def test_times_proposed_before_a_restart_stay_in_the_poll(world: BotWorld) -> None:
    sari = await a_facilitator(world, await a_group(world))
    await sari.send("/poll_time")
    await sari.send("2026-12-04 19:00")

    await world.restart()

    await sari.send("2026-12-05 10:00")
    assert "Friday, December 4" in last(sari) and "Saturday, December 5" in last(sari)
    await sari.press("Send the poll")
    assert "went to" in last(sari)


async def test_a_new_group_goes_on_after_a_restart(world: BotWorld) -> None:
    koor = await a_coordinator(world)
    await koor.send("/newgroup")
    await koor.send("Ruang Aman Online")
    await koor.press("Anxiety")
    await koor.press("Done")
    await koor.press("Online")

    await world.restart()

    await koor.press("Bahasa Indonesia")
    await koor.press("Done")
    await koor.send("A warm group for people living with anxiety.")
    await koor.send("12")
    await koor.press("No trial sessions")
    assert "Ruang Aman Online" in koor.last.text and "Anxiety" in koor.last.text
    await koor.press("Create the group")
    assert rows(world, "SELECT name, format, languages FROM groups") == [
        ("Ruang Aman Online", "online", "id")
    ]
