"""/impact and /export: k-anonymous figures. A group of 4 shows none (and no chart), a group of
5 shows them; facilitators see only the groups they facilitate (checked at every press), and
coordinators see the network and every group, and can export it all as CSV without any person
in it."""

from __future__ import annotations

import csv
import io
import struct
from dataclasses import dataclass
from datetime import timedelta

from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers.groups import a_coordinator
from tests.journeys.helpers.meetings import (
    FIRST_MEETING,
    a_group,
    a_person,
    advance_to,
    member_id,
    services,
)
from tests.journeys.helpers.wellbeing import MEMBER_IDS, a_meeting, members_going, who5

SMALL, BIG = "Lingkar Empat", "Lingkar Lima"
FEWER = "fewer than 5"
FIGURE_LINES = (
    "Members:",
    "Trial sign-ups",
    "Attendance rate:",
    "Check-in response rate:",
    "WHO-5 median",
    "Mean meeting rating",
)


@dataclass
class Network:
    koor: Person
    small_facilitator: Person
    big_facilitator: Person
    members: list[Person]


async def a_network(world: BotWorld) -> Network:
    """A group of 4 and a group of 5, each with a facilitator and a meeting everyone came to
    and rated, and a WHO-5 baseline (40) and a later check-in (56) for everyone."""
    koor = await a_coordinator(world)
    s = services(world)
    facilitators, members = [], []
    for index, (name, size) in enumerate(((SMALL, 4), (BIG, 5))):
        group = await a_group(world, name=name)
        facilitator = await a_person(world, 301 + index, f"Fasil {name}")
        await s.groups.add_facilitator(
            group, await member_id(world, facilitator), world.clock.now()
        )
        meeting = await a_meeting(world, group, FIRST_MEETING)
        people = await members_going(world, group, meeting, size, first=len(members))
        for person in people:
            await s.meetings.toggle_attendance(
                meeting.id, await member_id(world, person), world.clock.now()
            )
            await who5(world, person, 40, world.clock.now())
        facilitators.append(facilitator)
        members += people
    await advance_to(world, FIRST_MEETING + timedelta(hours=2, minutes=30))
    for person in members:
        await person.press("4")
        await person.press("Skip")
        await who5(world, person, 56, world.clock.now())
    await advance_to(world, world.clock.now() + timedelta(hours=1))
    return Network(koor, facilitators[0], facilitators[1], members)


async def report(person: Person, period: str = "Last 4 weeks") -> list:
    await person.send("/impact")
    assert "Which period" in person.last.text
    return await person.press(period)


def report_text(sent: list) -> str:
    return "\n".join(entry.text for entry in sent if entry.kind == "text")


def section(text: str, title: str) -> str:
    """The lines of one scope's section of a report."""
    return text.split(title, 1)[1].split("\n\n", 1)[0]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


async def test_a_group_of_four_shows_no_figures_and_no_chart(world: BotWorld) -> None:
    network = await a_network(world)
    facilitator = network.small_facilitator

    sent = await report(facilitator)

    text = report_text(world.emulator.bot_messages(facilitator.user_id)[-2:])
    lines = section(text, SMALL).splitlines()
    for label in FIGURE_LINES:
        [line] = [line for line in lines if line.startswith(label)]
        figures = line.split(":", 1)[1].replace(FEWER, "")
        assert FEWER in line and not any(ch.isdigit() for ch in figures), line
    assert BIG not in text  # only their own group
    assert [entry.kind for entry in sent] == ["text"]  # no chart
    assert "No chart this time" in facilitator.last.text


async def test_a_group_of_five_shows_its_figures_and_a_chart(world: BotWorld) -> None:
    network = await a_network(world)
    facilitator = network.big_facilitator

    sent = await report(facilitator)

    text = report_text(world.emulator.bot_messages(facilitator.user_id)[-2:])
    lines = section(text, BIG)
    assert "Members: 5" in lines
    assert "Attendance rate: 100%" in lines
    assert "first → latest check-in: 40 → 56; improved by 10 points or more: 5 of 5" in lines
    assert "Mean meeting rating (1-5): 4" in lines
    assert SMALL not in text and "Whole network" not in text
    [chart] = [entry for entry in sent if entry.kind == "photo"]
    assert png_size(chart.file_bytes) == (800, 300)
    assert "WHO-5" in chart.caption


async def test_a_facilitator_who_lost_the_group_sees_nothing_at_the_next_press(
    world: BotWorld,
) -> None:
    network = await a_network(world)
    facilitator = network.big_facilitator
    await facilitator.send("/impact")
    s = services(world)
    [big] = [summary.group.id for summary in await s.groups.list_all() if summary.group.name == BIG]
    await s.groups.remove_facilitator(big, await member_id(world, facilitator))

    sent = await facilitator.press("Last 3 months")

    assert sent == []
    toast = list(world.emulator.callback_answers.values())[-1]
    assert toast["text"] == "Impact reports are for facilitators and coordinators."


async def test_a_coordinator_sees_the_network_and_every_group(world: BotWorld) -> None:
    network = await a_network(world)

    sent = await report(network.koor, "All time")

    text = report_text(world.emulator.bot_messages(network.koor.user_id)[-3:])
    assert "Members: 9" in section(text, "Whole network")
    assert "Members: 5" in section(text, BIG)
    assert f"Members: {FEWER}" in section(text, SMALL)
    assert [entry.kind for entry in sent][-1] == "photo"


async def test_the_export_holds_figures_only_and_only_coordinators_get_it(
    world: BotWorld,
) -> None:
    network = await a_network(world)
    await network.big_facilitator.send("/export")
    assert network.big_facilitator.last.text == "The export is for coordinators."

    await network.koor.send("/export")

    document = network.koor.last
    assert document.kind == "document" and document.file_name.endswith(".csv")
    content = document.file_bytes.decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(content)))
    assert set(table[0]) == {"scope", "group", "period", "figure", "value"}
    value = {(r["group"], r["period"], r["figure"]): r["value"] for r in table}
    assert value[(BIG, "4w", "members")] == "5"
    assert value[("", "all", "members")] == "9"
    assert value[(BIG, "all", "who5_latest")] == "56.0"
    assert all(v == FEWER for (group, _, _), v in value.items() if group == SMALL)
    for alias in ("Anggota", "Fasil", "Koordinator"):
        assert alias not in content
    for telegram_id in (*MEMBER_IDS[:9], 301, 302, network.koor.user_id):
        assert str(telegram_id) not in content
