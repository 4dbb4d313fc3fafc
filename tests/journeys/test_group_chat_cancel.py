"""A meeting cancelled in a linked group's chat (issue 14): the chat that was told about the
meeting hears once that it is off, in the group's first language and timezone, with nothing
personal and no join link; the chat's reminder for it never comes."""

from __future__ import annotations

from datetime import timedelta

from tests.journeys.harness import BotWorld
from tests.journeys.helpers.group_chats import (
    a_chat,
    a_group_and_its_facilitator,
    link_chat,
    posts,
)
from tests.journeys.helpers.meetings import FIRST_MEETING, advance_to, schedule_weekly


def cancel_posts(world: BotWorld) -> list[str]:
    return [text for text in posts(world) if "dibatalkan" in text]


async def test_cancelling_a_meeting_posts_once_in_the_chat_and_no_reminder_follows(
    world: BotWorld,
) -> None:
    _, fasil = await a_group_and_its_facilitator(world)
    a_chat(world, admins=(fasil.user_id,))
    await link_chat(world, fasil)
    await schedule_weekly(fasil, online=True)
    await world.tick()
    assert len([text for text in posts(world) if "bertemu" in text]) == 1

    await fasil.send("/meetings")
    await fasil.press("Thu 3 Dec")
    await fasil.press("Cancel this meeting")
    confirm = fasil.button("Yes, cancel")
    await fasil.press_data(*confirm)
    await fasil.press_data(*confirm)  # a double tap
    await world.tick()
    await world.tick()
    [cancelled] = cancel_posts(world)
    # The group's first language (Indonesian) and timezone (WITA), its name, nothing else.
    assert "Teman Cerita Makassar" in cancelled and "19.30" in cancelled
    assert "Kamis" in cancelled and "WITA" in cancelled
    assert "Fasil" not in cancelled and "meet.example.org" not in cancelled

    await advance_to(world, FIRST_MEETING - timedelta(minutes=59))
    await advance_to(world, FIRST_MEETING + timedelta(minutes=5))
    assert not any("satu jam" in text for text in posts(world))
    assert len(cancel_posts(world)) == 1


async def test_cancelling_a_series_posts_about_what_the_chat_was_told_only(
    world: BotWorld,
) -> None:
    _, fasil = await a_group_and_its_facilitator(world)
    a_chat(world, admins=(fasil.user_id,))
    await link_chat(world, fasil)
    await schedule_weekly(fasil)
    await world.tick()  # Thu 3 Dec is announced; the weeks after are too far ahead to be
    await fasil.send("/meetings")
    await fasil.press("Thu 3 Dec")
    await fasil.press("Cancel this and all later ones")
    await fasil.press("Yes, cancel")
    await world.tick()
    [cancelled] = cancel_posts(world)
    assert "Teman Cerita Makassar" in cancelled and "19.30" in cancelled
    assert "berikutnya" in cancelled  # and the ones after it


async def test_a_meeting_the_chat_never_heard_of_is_cancelled_without_a_post(
    world: BotWorld,
) -> None:
    _, fasil = await a_group_and_its_facilitator(world)
    await schedule_weekly(fasil)
    await fasil.send("/meetings")
    await fasil.press("Thu 3 Dec")
    await fasil.press("Cancel this meeting")
    await fasil.press("Yes, cancel")
    # Linked after the cancellation: nothing was ever announced about that meeting.
    a_chat(world, admins=(fasil.user_id,))
    await link_chat(world, fasil)
    await world.tick()
    assert cancel_posts(world) == []
    assert not any("3 Des" in text for text in posts(world))
