"""Workshops, seminars and social activities (issue 13): a facilitator schedules a seminar open
to everyone, a visitor finds it in /events, signs up, reserves a seat and is reminded; every
meeting message offers an .ics file with the time right in the group's time zone; the new
buttons pressed twice change nothing.

The clock starts on Tuesday 1 December 2026, 10:00 in Makassar (WITA); the seminar is on
Thursday 3 December at 19:30 WITA (11:30 UTC).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers.meetings import (
    FIRST_MEETING,
    a_facilitator,
    a_group,
    advance_to,
    plain,
    reminders,
    services,
)
from tests.journeys.helpers.onboarding import finish_onboarding_after_welcome, onboard_in_english

LINK = "https://meet.example.org/seminar-stigma"


def ics_fields(person: Person) -> dict[str, str]:
    """The newest .ics document the person got, unfolded into its properties."""
    entry = next(
        e for e in reversed(person.world.emulator.bot_messages(person.user_id)) if e.file_name
    )
    assert entry.kind == "document" and entry.file_name.endswith(".ics")
    assert entry.file_bytes is not None
    lines: list[str] = []
    for line in entry.file_bytes.decode().split("\r\n"):
        if line.startswith(" "):
            lines[-1] += line[1:]
        elif line:
            lines.append(line)
    return dict(line.split(":", 1) for line in lines)


def local(value: str, tz: str) -> datetime:
    return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC).astimezone(ZoneInfo(tz))


def sent(person: Person) -> int:
    return len(person.world.emulator.bot_messages(person.user_id))


async def schedule_open_seminar(facilitator: Person) -> None:
    await facilitator.send("/newmeeting")
    await facilitator.press("Thu 3 Dec")
    await facilitator.press("19:30")
    await facilitator.press("90 min")
    await facilitator.press("Just once")
    await facilitator.send("Community hall, Jl. Merdeka 5, Makassar")
    await facilitator.send(LINK)
    await facilitator.press("20")
    assert "Support meeting" in plain(facilitator.last.text)
    await facilitator.press("Type and title")
    await facilitator.press("Seminar")
    for bad, why in (
        ("Info: 0812 3456 7890", "contact"),
        ("<b>Stigma</b>", "without &lt; or &gt;"),
        ("x" * 120, "80 characters"),
    ):
        await facilitator.send(bad)
        assert why.replace("&lt;", "<").replace("&gt;", ">") in plain(facilitator.last.text)
    await facilitator.send("Stigma & us: talking about mental health")
    await facilitator.press("Open to everyone")
    summary = plain(facilitator.last.text)
    assert "Seminar" in summary and "Stigma &amp; us" not in summary
    assert "Stigma & us: talking about mental health" in summary
    assert "Open to everyone" in summary
    await facilitator.press("Schedule")
    assert "Scheduled" in plain(facilitator.last.text)


async def test_a_visitor_finds_an_open_seminar_signs_up_reserves_and_is_reminded(
    world: BotWorld,
) -> None:
    group_id = await a_group(world, trial_seats=1, online=True)
    sari = await a_facilitator(world, group_id)
    await schedule_open_seminar(sari)

    tamu = world.person(777, "Tamu", "en")
    await tamu.send("/events")
    listing = plain(tamu.last.text)
    assert "Seminar" in listing and "Stigma & us" in listing
    assert "Teman Cerita Makassar" in listing and "Thu 3 Dec" in listing
    await tamu.press("Stigma & us")
    detail = plain(tamu.last.text)
    assert "Thursday, December 3, 2026, 7:30 PM WITA" in detail
    assert LINK not in detail
    await tamu.press("Add to calendar")
    fields = ics_fields(tamu)
    assert local(fields["DTSTART"], "Asia/Makassar").strftime("%H:%M") == "19:30"
    assert LINK not in "".join(fields.values())  # no seat: no join link

    await tamu.press("Reserve a seat")
    assert "sign up" in plain(tamu.last.text).lower()
    await tamu.press("Sign up")
    assert "Welcome to Rangkul" in plain(tamu.last.text)
    await finish_onboarding_after_welcome(tamu, alias="Tamu Baru")

    # Sign-up ends on the event the visitor wanted a seat at.
    assert "Stigma & us" in plain(tamu.last.text) and "Reserve a seat" in " ".join(tamu.buttons())
    await tamu.press("Reserve a seat")
    assert "You have a seat" in plain(tamu.last.text)
    assert LINK in plain(tamu.last.text)
    before = sent(tamu)
    await tamu.press("Reserve a seat")  # a double tap
    assert sent(tamu) == before
    seats = await services(world).meetings.counts(
        (await services(world).meetings.upcoming([group_id], world.clock.now()))[0].meeting.id
    )
    assert seats.going == 1
    # A guest seat at an open seminar is not the group's one trial: a trial stays possible.
    await tamu.send("/trial")
    await tamu.press("Teman Cerita Makassar")
    assert "Thu 3 Dec" in " ".join(tamu.buttons())

    await advance_to(world, FIRST_MEETING - timedelta(hours=24))
    [reminder] = reminders(tamu)
    assert "Stigma & us" in reminder and "Seminar" in reminder
    assert LINK in reminder
    await tamu.press("Add to calendar")
    fields = ics_fields(tamu)
    start = local(fields["DTSTART"], "Asia/Makassar")
    assert (start.day, start.hour, start.minute) == (3, 19, 30)
    assert local(fields["DTEND"], "Asia/Makassar").strftime("%H:%M") == "21:00"
    assert "Stigma & us" in fields["SUMMARY"] and "Tamu" not in fields["SUMMARY"]
    assert LINK in fields["URL"]
    before = sent(tamu)
    await tamu.press("Add to calendar")  # a double tap: no second file
    assert sent(tamu) == before


async def test_support_meetings_stay_members_only_and_offer_a_calendar_file(
    world: BotWorld,
) -> None:
    group_id = await a_group(world, trial_seats=1)
    sari = await a_facilitator(world, group_id)
    await sari.send("/newmeeting")
    for label in ("Thu 3 Dec", "19:30", "90 min", "Just once"):
        await sari.press(label)
    await sari.send("Community hall, Jl. Merdeka 5, Makassar")
    await sari.press("8")
    await sari.press("Type and title")
    workshop = sari.button("Workshop")
    await sari.press("Workshop")
    no_title = sari.button("No title")
    await sari.press("No title")
    summary = plain(sari.last.text)
    assert "Workshop" in summary and "Open to everyone" not in summary
    before = sent(sari)
    await sari.press_data(*workshop)  # double taps: those steps have passed, nothing changes
    await sari.press_data(*no_title)
    assert sent(sari) == before and plain(sari.last.text) == summary
    await sari.press("Schedule")

    ayu = world.person(778, "Ayu", "en")
    await onboard_in_english(ayu, alias="Ayu Senja")
    await ayu.send("/events")
    assert "no open events" in plain(ayu.last.text).lower()
    await services(world).groups.add_member(
        group_id, (await services(world).members.by_telegram_id(778)).id, world.clock.now()
    )
    await ayu.send("/mymeetings")
    assert "Workshop" in plain(ayu.last.text)
    await ayu.press("Add to calendar")
    fields = ics_fields(ayu)
    assert local(fields["DTSTART"], "Asia/Makassar").strftime("%d %H:%M") == "03 19:30"
    assert "Workshop" in fields["SUMMARY"]


async def test_events_is_in_help_and_the_command_menu_before_signing_up(world: BotWorld) -> None:
    visitor = world.person(779, "Tamu", "en")
    await visitor.send("/help")
    assert "/events" in plain(visitor.last.text)
    menus = world.emulator.commands.values()  # the default menu, in each language
    assert menus and all("events" in [c["command"] for c in menu] for menu in menus)
