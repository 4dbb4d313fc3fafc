"""Journeys through /progress: a PNG chart of the last 12 weeks with a two-line summary as its
caption (English and Indonesian), and a friendly word instead when there is too little to draw.

The WHO-5 scores are written with the moods repository's own small method: the questionnaire
that writes them in the bot is built alongside this feature (issue 11).
"""

from __future__ import annotations

import struct
from datetime import timedelta

from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers.crisis import a_member, member_id

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk (the first, right after the signature)."""
    assert data[:8] == PNG_SIGNATURE
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    width, height = struct.unpack(">II", data[16:24])
    return width, height


async def with_history(world: BotWorld, person: Person, alias: str) -> None:
    """Three WHO-5 scores (the last two within the window) and moods on four days."""
    s = world.app.bot_data["services"]
    member = member_id(world, alias)
    now = world.clock.now()
    for weeks_ago, score in ((14, 20), (3, 52), (0, 60)):
        await s.moods.add_who5_score(member, score, now - timedelta(weeks=weeks_ago, hours=1))
    for days_ago, score in ((20, 2), (9, 3), (2, 4), (1, 5)):
        await s.moods.add(member, score, now - timedelta(days=days_ago))


async def test_progress_is_a_png_chart_with_a_summary_for_screen_readers(
    world: BotWorld,
) -> None:
    rina = await a_member(world, 801, "Rina Senja")
    await with_history(world, rina, "Rina Senja")

    [chart] = await rina.send("/progress")

    assert chart.kind == "photo" and chart.file_bytes is not None
    assert png_size(chart.file_bytes) == (1200, 800)
    assert chart.caption is not None and len(chart.caption) <= 1024
    title, who5, mood = chart.caption.split("\n")
    assert title == "My progress: the last 12 weeks"
    assert who5 == "Well-being (WHO-5): 60 of 100, +8 since the one before."
    assert mood == "Mood (1-5): 4.5 on average this week, 2.5 before."


async def test_in_indonesian_from_the_menu(world: BotWorld) -> None:
    dewi = await a_member(world, 802, "Dewi Pagi")
    await dewi.send("/language")
    await dewi.press("Bahasa Indonesia")
    await with_history(world, dewi, "Dewi Pagi")
    await dewi.send("/menu")

    [chart] = await dewi.press("Perkembangan saya")

    assert chart.kind == "photo" and png_size(chart.file_bytes or b"") == (1200, 800)
    assert chart.caption is not None
    assert "Kesejahteraan (WHO-5): 60 dari 100, +8 dibanding sebelumnya." in chart.caption
    assert "Perasaan (1-5): rata-rata 4,5 minggu ini, 2,5 sebelumnya." in chart.caption


async def test_fewer_than_two_points_get_a_friendly_word_and_a_way_to_record_a_mood(
    world: BotWorld,
) -> None:
    eka = await a_member(world, 803, "Eka Pagi")
    [reply] = await eka.send("/progress")
    assert "There isn't enough to draw yet" in reply.text
    assert eka.buttons() == ["🙂 Record my mood"]

    await eka.press("Record my mood")
    await eka.press("Good")
    await eka.press("Done")
    await eka.press("Skip")
    [still_one] = await eka.send("/progress")  # one mood is one point: still no chart
    assert still_one.kind == "text" and "There isn't enough" in still_one.text

    world.clock.advance(timedelta(days=1))
    await eka.send("/mood")
    await eka.press("Okay")
    await eka.press("Done")
    await eka.press("Skip")
    await eka.press("My progress")  # under the thanks
    assert eka.last.kind == "photo"
    assert eka.last.caption is not None
    assert "no check-in in these 12 weeks yet" in eka.last.caption
