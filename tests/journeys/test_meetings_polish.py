"""Journeys through the polish of meetings and groups (issue 13): reminder buttons that follow
the answer, reminders that say when, a paged /meetings, scheduling a poll's time, pickers that
only offer what lies ahead, group names and descriptions that stay unique and contact-free, and
times written the Indonesian way ("19.30").

The clock starts on Tuesday 1 December 2026, 10:00 in Makassar (WITA), where the group meets.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from bot.domain.meetings import NewMeeting
from bot.domain.recurrence import Recurrence
from bot.services import meetings as meeting_service
from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers import rows
from tests.journeys.helpers.groups import a_coordinator
from tests.journeys.helpers.meetings import (
    FIRST_MEETING,
    a_facilitator,
    a_group,
    a_person,
    advance_to,
    member_id,
    plain,
    reminders,
    schedule_weekly,
    services,
    sign_up_for_trial,
)


def last_alert(world: BotWorld) -> str:
    return list(world.emulator.callback_answers.values())[-1]["text"]


def labels(entry) -> list[str]:
    markup = entry.reply_markup or {}
    return [plain(b["text"]) for row in markup.get("inline_keyboard", []) for b in row]


def message(person: Person, message_id: int):
    return next(
        m for m in person.world.emulator.bot_messages(person.user_id) if m.message_id == message_id
    )


async def a_member(world: BotWorld, group_id: int, user_id: int = 303) -> Person:
    budi = await a_person(world, user_id, "Budi Pagi")
    await services(world).groups.add_member(
        group_id, await member_id(world, budi), world.clock.now()
    )
    return budi


async def in_indonesian(world: BotWorld, person: Person) -> None:
    await services(world).members.set_language(await member_id(world, person), "id")


async def test_a_reminder_keeps_the_answer_on_its_buttons_and_loses_them_once_past(
    world: BotWorld,
) -> None:
    group_id = await a_group(world)
    sari = await a_facilitator(world, group_id)
    budi = await a_member(world, group_id)
    await schedule_weekly(sari)

    await advance_to(world, FIRST_MEETING - timedelta(hours=24))
    reminder = budi.last
    assert "Reminder" in reminder.text
    sent = len(budi.texts)
    yes = budi.button("I'm going")
    await budi.press_data(*yes)
    assert len(budi.texts) == sent  # answered on the reminder itself, no new message
    assert "going" in last_alert(world)
    assert labels(message(budi, reminder.message_id))[0].startswith("✓")
    await budi.press_data(*yes)  # a second tap: a toast, nothing else
    assert len(budi.texts) == sent

    await advance_to(world, FIRST_MEETING + timedelta(hours=2))
    await budi.press_data(reminder.message_id, "mt:rsvp:1:n")
    assert "already started" in last_alert(world)
    assert labels(message(budi, reminder.message_id)) == []
    assert len(budi.texts) == sent
    going = rows(world, "SELECT status FROM seats WHERE meeting_id = 1")
    assert going == [("going",)]  # the late press changed nothing


async def test_cancel_my_trial_on_a_past_reminder_gets_a_toast_and_the_button_goes(
    world: BotWorld,
) -> None:
    group_id = await a_group(world)
    sari = await a_facilitator(world, group_id)
    await schedule_weekly(sari)
    ayu = await a_person(world, 302, "Ayu Senja")
    await sign_up_for_trial(ayu)

    await advance_to(world, FIRST_MEETING - timedelta(hours=24))
    reminder = ayu.last
    assert labels(reminder) == ["Cancel my trial", "📅 Add to calendar"]
    await advance_to(world, FIRST_MEETING + timedelta(hours=2))
    sent = len(ayu.texts)
    await ayu.press("Cancel my trial")
    assert "already started" in last_alert(world)
    assert labels(message(ayu, reminder.message_id)) == []
    assert len(ayu.texts) == sent


async def test_the_one_hour_reminder_says_today_and_the_day_before_says_tomorrow(
    world: BotWorld,
) -> None:
    group_id = await a_group(world)
    sari = await a_facilitator(world, group_id)
    budi = await a_member(world, group_id)
    await schedule_weekly(sari)

    await advance_to(world, FIRST_MEETING - timedelta(hours=24))
    await advance_to(world, FIRST_MEETING - timedelta(hours=1))
    day_before, hour_before = reminders(budi)
    assert "tomorrow" in day_before and "today" not in day_before
    assert "today" in hour_before and "in 1 hour" in hour_before
    assert "7:30 PM WITA" in hour_before


async def test_meetings_is_paged_and_leaves_out_zero_counts(world: BotWorld) -> None:
    group_id = await a_group(world)
    sari = await a_facilitator(world, group_id)
    await schedule_weekly(sari)
    other = await a_group(world, name="Ruang Aman Makassar")
    await services(world).groups.add_facilitator(
        other, await member_id(world, sari), world.clock.now()
    )
    await schedule(world, other, sari)
    budi = await a_member(world, group_id)
    await budi.send("/mymeetings")
    await budi.press("✅ Thu 3 Dec")

    await sari.send("/meetings")
    first = plain(sari.last.text)
    assert "0 going" not in first and "0 waiting" not in first and "0 on trial" not in first
    assert "1 going" in first
    assert len(first) < 700
    assert "Next ▶" in labels(sari.last)  # the pagination label every list uses
    await sari.press("Next ▶")
    second = plain(sari.last.text)
    assert second != first and "Upcoming meetings" in second
    assert "◀ Previous" in labels(sari.last)


async def test_poll_results_offer_to_schedule_a_time_in_newmeeting(world: BotWorld) -> None:
    group_id = await a_group(world)
    sari = await a_facilitator(world, group_id)
    await sari.send("/poll_time")
    await sari.send("2026-12-04 19:00")
    await sari.send("2026-12-05 10:00")
    await sari.press("Send the poll")

    await sari.send("/poll_time")
    assert any("Schedule" in label for label in labels(sari.last))
    await sari.press("Sat 5 Dec")
    assert "How long" in plain(sari.last.text) or "min" in " ".join(labels(sari.last))
    await sari.press("90 min")
    await sari.press("Just once")
    await sari.send("Community hall, Makassar")
    await sari.press("8")
    assert "Saturday, December 5, 2026, 10:00 AM WITA" in plain(sari.last.text)
    await sari.press("Schedule")
    assert rows(world, "SELECT starts_at FROM meetings")[0][0].startswith("2026-12-05T02:00")
    await sari.send("thanks")  # the poll no longer holds the facilitator at its results
    assert "Time poll" not in plain(sari.last.text)


async def test_date_pickers_offer_only_days_with_times_left_and_examples_ahead(
    world: BotWorld,
) -> None:
    group_id = await a_group(world)
    sari = await a_facilitator(world, group_id)
    # Tuesday 1 December, 22:30 WITA: no start time is left today.
    await advance_to(world, datetime(2026, 12, 1, 14, 30, tzinfo=UTC))
    await sari.send("/newmeeting")
    assert "Tue 1 Dec" not in labels(sari.last)
    assert labels(sari.last)[0] == "Wed 2 Dec"

    await advance_to(world, datetime(2027, 3, 1, 2, 0, tzinfo=UTC))
    for command in ("/newmeeting", "/poll_time"):
        await sari.send(command)
        example = re.search(r"like (\d{4}-\d\d-\d\d) \d\d[:.]\d\d", sari.last.text)
        assert example is not None, sari.last.text
        assert date.fromisoformat(example.group(1)) > date(2027, 3, 1)
        await sari.send("soon")
        assert "2026-" not in sari.texts[-2]
        await sari.send("/cancel")


async def test_a_group_name_is_refused_when_another_group_has_it_in_any_case(
    world: BotWorld,
) -> None:
    koor = await a_coordinator(world)
    await a_group(world, name="Teman Cerita Jakarta")
    await a_group(world, name="Ruang Aman Bandung")

    await koor.send("/newgroup")
    await koor.send("teman  cerita JAKARTA")
    assert "already" in koor.last.text and "Teman Cerita Jakarta" in koor.last.text
    await koor.send("Teman Cerita Bandung")
    assert "topics" in koor.last.text
    await koor.send("/cancel")

    await koor.send("/groups")
    await koor.press("Ruang Aman Bandung")
    await koor.press("Edit")
    await koor.press("Name")
    await koor.send("TEMAN CERITA JAKARTA")
    assert "already" in koor.last.text
    await koor.send("Ruang Aman bandung")  # its own name in another case is fine
    assert "Saved" in " ".join(koor.texts[-2:])


async def test_a_group_description_with_contact_details_is_refused_and_times_pass(
    world: BotWorld,
) -> None:
    koor = await a_coordinator(world)
    await a_group(world, name="Ruang Aman Bandung")

    await koor.send("/groups")
    await koor.press("Ruang Aman Bandung")
    await koor.press("Edit")
    await koor.press("Description")
    for bad, reason in (
        ("Info lebih lanjut: (022) 255-1111, tanya saja.", "phone number"),
        ("Hubungi kami di 0812 3456 7890 kapan saja ya.", "phone number"),
        ("Tulis ke halo@ruangaman.org untuk bergabung.", "e-mail"),
        ("Gabung lewat t.me/ruangaman untuk info.", "link"),
    ):
        await koor.send(bad)
        assert reason in koor.last.text, bad
        assert "Anyone can read the group's card" in koor.last.text
    await koor.send("Kami bertemu tiap Kamis 19.00-21.00, 3-4 kali sebulan.")
    assert "Saved" in " ".join(koor.texts[-2:])


async def test_indonesian_times_are_written_with_a_dot(world: BotWorld) -> None:
    group_id = await a_group(world)
    sari = await a_facilitator(world, group_id)
    await in_indonesian(world, sari)

    await sari.send("/newmeeting")
    await sari.press("Kam 3 Des")
    assert "19.30" in labels(sari.last) and "• 18.00…" in labels(sari.last)
    assert not any(re.search(r"\d:\d\d", label) for label in labels(sari.last))
    await sari.press("19.30")
    assert "19.30 WITA" in sari.last.text
    await sari.send("/cancel")
    await schedule(world, group_id, sari)
    await sari.send("/meetings")
    assert "19.30" in sari.last.text and not re.search(r"\d:\d\d", sari.last.text)


async def schedule(world: BotWorld, group_id: int, facilitator: Person) -> None:
    """Weekly from Thursday 3 December, 19:30 WITA, scheduled straight through the service."""
    s = services(world)
    new = NewMeeting(
        group_id=group_id,
        first_starts_at=FIRST_MEETING,
        duration_minutes=90,
        recurrence=Recurrence.WEEKLY,
        place="Balai warga",
        join_link=None,
        capacity=8,
    )
    await meeting_service.schedule(
        s.meetings, s.groups, s.outbox, s.clock, new, await member_id(world, facilitator)
    )
