"""Journeys through meetings: scheduling, trials with a waitlist, durable reminders across
restarts, cancelling and moving, RSVPs, attendance and time polls.

The clock starts on Tuesday 1 December 2026, 10:00 in Makassar (WITA). The group meets in
Makassar; the survivor lives in Jayapura (WIT, one hour later).
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers import rows
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
    texts,
)


def last(person: Person) -> str:
    return plain(person.last.text)


def buttons(person: Person) -> list[str]:
    return [plain(label) for label in person.buttons()]


def last_alert(world: BotWorld) -> str:
    return list(world.emulator.callback_answers.values())[-1]["text"]


async def test_facilitator_schedules_a_weekly_meeting_with_buttons_and_bad_input(
    world: BotWorld,
) -> None:
    group_id = await a_group(world)
    sari = await a_facilitator(world, group_id)

    await sari.send("/newmeeting")
    assert "Which day? Times are in WITA" in last(sari)
    assert len([b for b in buttons(sari) if "Dec" in b]) == 14
    for bad in ("tomorrow evening", "2026-02-30 19:00", "<b>2026</b>", "x" * 5000, "😀"):
        await sari.send(bad)
        assert "couldn't read that as a date and time" in texts(sari)[-2]
    await sari.send("2026-11-30 19:00")
    assert "already passed" in texts(sari)[-2]
    await sari.send("2028-01-01 19:00")
    assert "more than a year ahead" in texts(sari)[-2]
    await sari.send("2026-12-03 19:30")
    assert "Thursday, December 3, 2026, 7:30 PM WITA" in last(sari)
    await sari.press("Change the time")
    await sari.press("Thu 3 Dec")
    assert "06:00…" in buttons(sari) and "• 18:00…" in buttons(sari)
    await sari.press("19:30")
    await sari.press("90 min")
    assert "Every month on the first Thursday" in buttons(sari)
    await sari.send("weekly")
    assert "use the buttons" in last(sari) and "Does it repeat?" in last(sari)
    await sari.press("Every week on Thursday")
    assert "Where do you meet?" in last(sari)
    for bad, reason in (
        ("😀😀", "in words"),
        ("<script>alert(1)</script>", "without &lt; or &gt;"),
        ("x" * 5000, "under 200 characters"),
    ):
        await sari.send(bad)
        assert reason.replace("&lt;", "<").replace("&gt;", ">") in last(sari)
        assert bad not in last(sari)
    await sari.send("Community hall'; DROP TABLE meetings; --")
    assert "How many people" in last(sari)
    for bad in ("lots", "1", "1000", "-5", "٣"):
        await sari.send(bad)
        assert "whole number between 2 and 100" in texts(sari)[-2]
    await sari.send("12")
    assert "Up to 12 people" in last(sari)
    assert "DROP TABLE" in last(sari)  # shown back as text, stored as text
    await sari.press("Schedule")
    assert "Scheduled for <b>Teman Cerita Makassar</b>" not in last(sari)
    assert "Scheduled for Teman Cerita Makassar" in last(sari)

    starts = rows(world, "SELECT starts_at FROM meetings ORDER BY starts_at")
    assert len(starts) == 8  # eight weeks ahead
    assert starts[0][0].startswith("2026-12-03T11:30")
    assert starts[1][0].startswith("2026-12-10T11:30")

    world.clock.advance(timedelta(weeks=1))
    await world.tick()
    assert len(rows(world, "SELECT * FROM meetings")) == 9  # the planner keeps eight weeks ahead


async def test_survivor_trial_reminders_waitlist_promotion_and_joining(world: BotWorld) -> None:
    group_id = await a_group(world, trial_seats=1)
    sari = await a_facilitator(world, group_id)
    await schedule_weekly(sari)
    ayu = await a_person(world, 302, "Ayu Senja", tz="Asia/Jayapura")
    budi = await a_person(world, 303, "Budi Pagi")

    await ayu.send("/trial")
    await ayu.press("Teman Cerita Makassar")
    assert "Thu 3 Dec 8:30 PM" in buttons(ayu)  # her own timezone, an hour ahead
    await ayu.press("Thu 3 Dec")
    assert "What to expect" in last(ayu) and "No commitment" in last(ayu)
    assert "what is said here stays here" in last(ayu)
    await ayu.press("Sign me up")
    assert "You have a trial seat" in last(ayu)
    assert "8:30 PM WIT" in last(ayu)

    await budi.send("/trial")
    await budi.press("Teman Cerita Makassar")
    assert "Thu 3 Dec 7:30 PM (waitlist)" in buttons(budi)
    await budi.press("Thu 3 Dec")
    await budi.press("Join the waitlist")
    assert "You're on the waitlist" in last(budi)

    await ayu.send("/trial")
    await ayu.press("Teman Cerita Makassar")
    await ayu.press("Thu 10 Dec")
    await ayu.press("Sign me up")
    assert "already have a trial session planned" in last(ayu)

    await advance_to(world, FIRST_MEETING - timedelta(hours=24, minutes=1))
    assert reminders(ayu) == []
    await advance_to(world, FIRST_MEETING - timedelta(hours=24))
    assert len(reminders(ayu)) == 1
    assert "Thursday, December 3, 2026, 8:30 PM WIT" in reminders(ayu)[0]
    assert "Community hall" in reminders(ayu)[0]
    assert reminders(budi) == [] and reminders(sari) == []

    await ayu.send("/mymeetings")
    assert "your seat is confirmed" in last(ayu)
    await ayu.press("Cancel trial")
    assert "trial seat is cancelled" in last(ayu)
    await world.tick()
    assert "A seat opened up" in last(budi)

    await advance_to(world, FIRST_MEETING - timedelta(hours=1))
    assert len(reminders(budi)) == 1  # the 24-hour one had passed when he got the seat
    assert len(reminders(ayu)) == 1

    await advance_to(world, FIRST_MEETING + timedelta(minutes=95))
    assert "Would you like to join this group?" in last(budi)
    await budi.press("Yes, I'd like to join")
    assert "Welcome to <b>Teman Cerita Makassar</b>" not in last(budi)
    assert "Welcome to Teman Cerita Makassar" in last(budi)
    budi_id = await member_id(world, budi)
    assert rows(world, "SELECT member_id FROM group_members") == [(budi_id,)]
    answered = len(texts(budi))
    await world.tick()
    assert len(texts(budi)) == answered  # asked once, never again
    assert not any("Would you like to join" in text for text in texts(ayu))

    # As a member he now gets reminders for the next meeting, with RSVP buttons.
    await advance_to(world, FIRST_MEETING + timedelta(days=6, hours=1))
    assert "Thursday, December 10, 2026" in reminders(budi)[-1]
    await budi.press("Not going")
    assert "not going this time" in last_alert(world)  # a toast; the reminder shows it too
    assert "✓ Not going" in buttons(budi)
    await advance_to(world, FIRST_MEETING + timedelta(days=7, minutes=-30))
    assert not any("December 10" in text for text in reminders(budi)[1:] if "1 hour" in text)
    assert sum("December 10" in text for text in reminders(budi)) == 1


async def join_from_card(world: BotWorld, person: Person, group_id: int) -> str:
    """Opens the group's card through its g- link and presses Join there."""
    [(code,)] = rows(world, "SELECT invite_code FROM groups WHERE id = ?", group_id)
    await person.send(f"/start g-{code}")
    await person.press("Join this group")
    return last(person)


async def test_after_a_trial_a_full_group_or_a_no_still_leaves_the_card_join_open(
    world: BotWorld,
) -> None:
    group_id = await a_group(world, trial_seats=2, max_members=2)
    sari = await a_facilitator(world, group_id)
    await schedule_weekly(sari)
    ayu = await a_person(world, 302, "Ayu Senja")
    budi = await a_person(world, 303, "Budi Pagi")
    cici = await a_person(world, 304, "Cici Hujan")
    dedi = await a_person(world, 305, "Dedi Angin")
    for regular in (cici, dedi):
        await services(world).groups.add_member(
            group_id, await member_id(world, regular), world.clock.now()
        )
    await sign_up_for_trial(ayu)
    await sign_up_for_trial(budi)
    await advance_to(world, FIRST_MEETING + timedelta(minutes=95))

    await ayu.press("Yes, I'd like to join")
    assert "is full right now" in last(ayu) and "waitlist" not in last(ayu)
    await budi.press("No, thank you")
    assert "you can still join from the group's card" in last(budi)

    await services(world).groups.remove_member(group_id, await member_id(world, cici))
    await ayu.press("Open the group card")
    await ayu.press("Join this group")
    assert "Welcome to Teman Cerita Makassar!" in last(ayu)

    await services(world).groups.remove_member(group_id, await member_id(world, dedi))
    assert "Welcome to Teman Cerita Makassar!" in await join_from_card(world, budi, group_id)
    assert len(rows(world, "SELECT * FROM group_members")) == 2


async def test_restart_between_scheduling_and_reminders_sends_each_once(world: BotWorld) -> None:
    group_id = await a_group(world)
    sari = await a_facilitator(world, group_id)
    await schedule_weekly(sari)
    ayu = await a_person(world, 302, "Ayu Senja", tz="Asia/Jayapura")
    await sign_up_for_trial(ayu)

    await world.restart()
    await advance_to(world, FIRST_MEETING - timedelta(hours=24))
    await world.restart()
    await world.tick()
    await advance_to(world, FIRST_MEETING - timedelta(hours=1))
    await world.tick()
    assert len(reminders(ayu)) == 2


async def test_a_reminder_missed_while_down_is_sent_late_once_but_not_after_the_start(
    world: BotWorld,
) -> None:
    group_id = await a_group(world, trial_seats=2)
    sari = await a_facilitator(world, group_id)
    await schedule_weekly(sari)
    ayu = await a_person(world, 302, "Ayu Senja", tz="Asia/Jayapura")
    await sign_up_for_trial(ayu)
    await advance_to(world, FIRST_MEETING - timedelta(hours=24))
    assert len(reminders(ayu)) == 1

    await world.stop()
    world.clock.advance(FIRST_MEETING - timedelta(minutes=30) - world.clock.now())
    await world.start()
    await world.tick()
    await world.tick()
    assert len(reminders(ayu)) == 2  # the 1-hour reminder, 30 minutes late, once

    # Next week's meeting: down across both the 1-hour reminder and the start.
    next_week = FIRST_MEETING + timedelta(weeks=1)
    budi = await a_person(world, 303, "Budi Pagi")
    await services(world).groups.add_member(
        group_id, await member_id(world, budi), world.clock.now()
    )
    await world.tick()  # the planner's next beat plans the new member's reminders
    await advance_to(world, next_week - timedelta(hours=24))
    assert len(reminders(budi)) == 1
    await world.stop()
    world.clock.advance(next_week + timedelta(minutes=10) - world.clock.now())
    await world.start()
    await world.tick()
    assert len(reminders(budi)) == 1
    assert rows(world, "SELECT count(*) FROM outbox WHERE status = 'skipped'") >= [(1,)]


async def test_cancelling_tells_everyone_and_removes_their_reminders(world: BotWorld) -> None:
    group_id = await a_group(world)
    sari = await a_facilitator(world, group_id)
    await schedule_weekly(sari)
    ayu = await a_person(world, 302, "Ayu Senja", tz="Asia/Jayapura")
    await sign_up_for_trial(ayu)

    await sari.send("/meetings")
    assert "Thu 3 Dec 7:30 PM — Teman Cerita Makassar: 1 going, 1 of them on trial" in last(sari)
    await sari.press("Thu 3 Dec")
    await sari.press("Cancel this meeting")
    assert "Everyone expected will be told" in last(sari)
    await sari.press("Yes, cancel")
    await world.tick()
    assert "is cancelled" in last(ayu) and "8:30 PM WIT" in last(ayu)

    await advance_to(world, FIRST_MEETING + timedelta(minutes=5))
    assert reminders(ayu) == []
    await sari.send("/meetings")
    assert "Thu 10 Dec" in " ".join(buttons(sari)) and "Thu 3 Dec" not in " ".join(buttons(sari))


async def test_moving_a_meeting_moves_the_reminders(world: BotWorld) -> None:
    group_id = await a_group(world, online=True)
    sari = await a_facilitator(world, group_id)
    await schedule_weekly(sari, online=True)
    ayu = await a_person(world, 302, "Ayu Senja", tz="Asia/Jayapura")
    await sign_up_for_trial(ayu)

    await sari.send("/meetings")
    await sari.press("Thu 3 Dec")
    await sari.press("Move this meeting")
    await sari.press("Fri 4 Dec")
    await sari.press("19:00")
    assert "to <b>Friday, December 4, 2026, 7:00 PM WITA</b>" in last(sari).replace(
        "Friday", "<b>Friday"
    ) or "Friday, December 4, 2026, 7:00 PM WITA" in last(sari)
    await sari.press("Yes, move it")
    await world.tick()
    assert "has moved" in last(ayu) and "Friday, December 4, 2026, 8:00 PM WIT" in last(ayu)

    await advance_to(world, FIRST_MEETING - timedelta(hours=24))
    assert reminders(ayu) == []  # the old time's reminder is gone
    new_start = datetime(2026, 12, 4, 11, 0, tzinfo=UTC)
    await advance_to(world, new_start - timedelta(hours=24))
    assert len(reminders(ayu)) == 1
    await advance_to(world, new_start - timedelta(hours=1))
    assert len(reminders(ayu)) == 2
    assert "https://meet.example.org/teman-cerita" in reminders(ayu)[-1]  # her seat is confirmed


async def test_moving_a_meeting_back_to_its_old_time_is_announced_too(world: BotWorld) -> None:
    group_id = await a_group(world)
    sari = await a_facilitator(world, group_id)
    await schedule_weekly(sari)
    ayu = await a_person(world, 302, "Ayu Senja", tz="Asia/Jayapura")
    await sign_up_for_trial(ayu)

    async def move_to(day: str, time: str) -> None:
        await sari.send("/meetings")
        await sari.press("Teman Cerita Makassar")  # the first (the soonest) meeting
        await sari.press("Move this meeting")
        await sari.press(day)
        await sari.press(time)
        await sari.press("Yes, move it")
        await world.tick()

    # Thursday → Friday → Thursday → Friday → Thursday: four notices, none lost.
    for day, time in (("Fri 4 Dec", "19:00"), ("Thu 3 Dec", "19:30")) * 2:
        await move_to(day, time)
        world.clock.advance(timedelta(minutes=5))
    moves = [text for text in texts(ayu) if "has moved" in text]
    assert len(moves) == 4
    assert "from Friday, December 4, 2026, 8:00 PM WIT" in moves[-1]
    assert "to Thursday, December 3, 2026, 8:30 PM WIT" in moves[-1]

    # The same move confirmed again (an old button) tells nobody a second time.
    (meeting_id,) = rows(world, "SELECT id FROM meetings ORDER BY starts_at LIMIT 1")[0]
    await sari.send("/meetings")
    await sari.press_data(sari.last.message_id, f"mt:mvok:{meeting_id}:202612031130")
    await world.tick()
    assert sum("has moved" in text for text in texts(ayu)) == 4


async def test_after_downtime_across_both_reminders_only_the_later_one_is_sent(
    world: BotWorld,
) -> None:
    group_id = await a_group(world)
    sari = await a_facilitator(world, group_id)
    await schedule_weekly(sari)
    ayu = await a_person(world, 302, "Ayu Senja", tz="Asia/Jayapura")
    await sign_up_for_trial(ayu)

    await world.stop()
    world.clock.advance(FIRST_MEETING - timedelta(minutes=30) - world.clock.now())
    await world.start()
    await world.tick()
    await world.tick()
    assert len(reminders(ayu)) == 1  # the 1-hour one; the 24-hour one is out of date
    statuses = rows(
        world, "SELECT dedupe_key, status FROM outbox WHERE kind = 'reminder' ORDER BY not_before"
    )
    assert [(key.split(":")[3], status) for key, status in statuses] == [
        ("1440", "skipped"),
        ("60", "sent"),
    ]


async def test_forged_group_choices_in_newmeeting_and_poll_time_are_refused(
    world: BotWorld,
) -> None:
    group_a = await a_group(world)
    await a_facilitator(world, group_a)
    tom = await a_person(world, 304, "Tom Laut")
    for _ in range(2):
        await services(world).groups.add_facilitator(
            await a_group(world), await member_id(world, tom), world.clock.now()
        )

    for command, data in (
        ("/newmeeting", f"nm:group:{group_a}"),
        ("/poll_time", f"tp:group:{group_a}"),
    ):
        await tom.send(command)
        choice = tom.last
        await tom.press_data(choice.message_id, data)
        assert "only this group's facilitators" in last_alert(world)
        assert tom.last.message_id == choice.message_id  # still at the group choice
        assert "for facilitators of a group" not in last(tom)
    assert rows(world, "SELECT count(*) FROM meeting_series") == [(0,)]


async def test_typing_at_the_group_choice_shows_the_groups_again(world: BotWorld) -> None:
    """A facilitator of two groups who types, sends a sticker or presses an old button at
    "For which group?" stays there, with a hint and the group buttons, in both flows."""
    tom = await a_person(world, 304, "Tom Laut")
    for name in ("Teman Cerita Makassar", "Ruang Aman Online"):
        await services(world).groups.add_facilitator(
            await a_group(world, name=name), await member_id(world, tom), world.clock.now()
        )

    for command, stale in (
        ("/newmeeting", "nm:date:20261203"),
        ("/poll_time", "tp:date:20261203"),
    ):
        await tom.send(command)
        for unexpected in ("text", "sticker", "old button"):
            if unexpected == "text":
                await tom.send("the Makassar one")
            elif unexpected == "sticker":
                await tom.send_sticker()
            else:
                await tom.press_data(tom.last.message_id, stale)
            assert "use the buttons" in last(tom) and "For which group?" in last(tom)
            assert buttons(tom) == ["Teman Cerita Makassar", "Ruang Aman Online"]
        await tom.press("Ruang Aman Online")
        assert "Ruang Aman Online" in last(tom) and "Which day?" in last(tom)
        assert "for facilitators of a group" not in " ".join(texts(tom))
        await tom.send("/cancel")


async def test_poll_results_are_read_not_answered_and_their_buttons_start_anew(
    world: BotWorld,
) -> None:
    """The results end the poll's conversation: what is typed next is not taken for an answer
    there, and "Propose new times" starts a poll again (for the group on the button)."""
    group_id = await a_group(world)
    sari = await a_facilitator(world, group_id)
    await sari.send("/poll_time")
    await sari.send("2026-12-04 19:00")
    await sari.send("2026-12-05 10:00")
    await sari.press("Send the poll")

    await sari.send("/poll_time")
    assert buttons(sari) == [
        "📅 Schedule Fri 4 Dec 7:00 PM",
        "📅 Schedule Sat 5 Dec 10:00 AM",
        "🏁 End the poll",
        "🗳 Propose new times",
    ]
    await sari.send("new times please")
    assert "Time poll" not in last(sari) and "use the buttons" not in last(sari)
    await sari.press("Propose new times")
    assert "Propose 2 to 5 times" in last(sari)
    await sari.send_sticker()  # at the day step: the days again
    assert "use the buttons" in last(sari) and "Which day?" in last(sari)
    assert "Thu 3 Dec" in buttons(sari)


async def test_facilitators_see_times_in_their_own_timezone(world: BotWorld) -> None:
    """Sari lives in Jakarta (WIB) and runs a Makassar group (WITA, an hour ahead)."""
    group_id = await a_group(world, online=True)
    sari = await a_facilitator(world, group_id, in_jakarta=True)
    await sari.send("/newmeeting")
    assert "Times are in WITA" in last(sari)  # the picker stays in the group's timezone
    await sari.press("Thu 3 Dec")
    await sari.press("19:30")
    assert "7:30 PM WITA (6:30 PM WIB for you)" in last(sari)
    for label in ("90 min", "Every week on Thursday"):
        await sari.press(label)
    await sari.send("Community hall, Jl. Merdeka 5, Makassar")
    await sari.send("https://meet.example.org/teman-cerita")
    await sari.press("8")
    assert "Thursday, December 3, 2026, 7:30 PM WITA (6:30 PM WIB for you)" in last(sari)
    await sari.press("Schedule")
    assert "7:30 PM WITA (6:30 PM WIB for you)" in last(sari)

    await sari.send("/meetings")
    assert "(times in WIB)" in last(sari)
    assert "Thu 3 Dec 6:30 PM — Teman Cerita Makassar" in last(sari)
    assert "Thu 3 Dec 6:30 PM · Teman Cerita Makassar" in buttons(sari)
    assert "WITA" not in last(sari)
    await sari.press("Thu 3 Dec")
    assert "6:30 PM WIB" in last(sari) and "WITA" not in last(sari)
    await sari.press("Cancel this meeting")
    assert "6:30 PM WIB" in last(sari)

    await sari.send("/meetings")
    await sari.press("Thu 3 Dec")
    await sari.press("Move this meeting")
    assert "7:30 PM WITA (6:30 PM WIB for you)" in last(sari)
    await sari.press("Fri 4 Dec")
    await sari.press("19:00")
    assert "7:00 PM WITA (6:00 PM WIB for you)" in last(sari)

    await advance_to(world, FIRST_MEETING + timedelta(hours=2))
    await sari.send("/attendance")
    assert "Thu 3 Dec 6:30 PM · Teman Cerita Makassar" in buttons(sari)
    await sari.press("Thu 3 Dec")
    assert "6:30 PM WIB" in last(sari)

    await sari.send("/poll_time")
    await sari.send("2026-12-10 19:00")
    assert "7:00 PM WITA (6:00 PM WIB for you)" in last(sari)
    await sari.send("2026-12-11 19:00")
    await sari.press("Send the poll")
    await sari.send("/poll_time")
    assert "Thursday, December 10, 2026, 6:00 PM WIB: 0" in last(sari)


async def test_forged_facilitator_buttons_are_refused(world: BotWorld) -> None:
    group_id = await a_group(world)
    sari = await a_facilitator(world, group_id)
    await schedule_weekly(sari)
    (meeting_id,) = rows(world, "SELECT id FROM meetings ORDER BY starts_at LIMIT 1")[0]
    other_group = await a_group(world)
    tom = await a_person(world, 304, "Tom Laut")
    await services(world).groups.add_facilitator(
        other_group, await member_id(world, tom), world.clock.now()
    )
    budi = await a_person(world, 303, "Budi Pagi")
    await services(world).groups.add_member(
        group_id, await member_id(world, budi), world.clock.now()
    )

    await budi.send("/meetings")
    assert "for facilitators" in last(budi)
    await budi.send("/newmeeting")
    assert "for facilitators" in last(budi)
    for person in (budi, tom):
        for data in (
            f"mt:cancelok:{meeting_id}",
            f"mt:cseriesok:{meeting_id}",
            f"mt:mvok:{meeting_id}:202612041100",
            f"mt:open:{meeting_id}",
            f"mt:att:{meeting_id}:0",
            f"mt:atx:{meeting_id}:1:0",
        ):
            await person.press_data(person.last.message_id, data)
            assert "only this group's facilitators" in last_alert(world)
    assert rows(world, "SELECT DISTINCT status FROM meetings") == [("scheduled",)]
    assert rows(world, "SELECT * FROM attendance") == []


async def test_member_rsvps_from_mymeetings_and_gets_the_link_once_going(world: BotWorld) -> None:
    group_id = await a_group(world, online=True)
    sari = await a_facilitator(world, group_id)
    await schedule_weekly(sari, online=True)
    budi = await a_person(world, 303, "Budi Pagi")
    await services(world).groups.add_member(
        group_id, await member_id(world, budi), world.clock.now()
    )

    await budi.send("/mymeetings")
    assert "haven't said yet" in last(budi)
    assert "meet.example.org" not in last(budi)
    sent = len(texts(budi))
    await budi.press("✅ Thu 3 Dec")
    assert "you're going" in last_alert(world)
    assert len(texts(budi)) == sent  # the list itself shows the answer
    assert "You're going." in last(budi)
    await budi.send("/mymeetings")
    assert "https://meet.example.org/teman-cerita" in last(budi)

    await sari.send("/meetings")
    assert "1 going" in last(sari) and "on trial" not in last(sari)


async def test_attendance_is_marked_with_aliases(world: BotWorld) -> None:
    group_id = await a_group(world)
    sari = await a_facilitator(world, group_id)
    await schedule_weekly(sari)
    ayu = await a_person(world, 302, "Ayu Senja")
    await sign_up_for_trial(ayu)
    budi = await a_person(world, 303, "Budi Pagi")
    await services(world).groups.add_member(
        group_id, await member_id(world, budi), world.clock.now()
    )

    await sari.send("/attendance")
    assert "No meetings in the last two weeks" in last(sari)
    await advance_to(world, FIRST_MEETING + timedelta(hours=2))
    await sari.send("/attendance")
    await sari.press("Thu 3 Dec")
    assert buttons(sari)[:2] == ["⬜ Ayu Senja", "⬜ Budi Pagi"]
    await sari.press("Ayu Senja")
    assert "☑️ Ayu Senja" in buttons(sari)
    await sari.press("Save")
    assert "Saved: 1 person came." in last(sari)
    assert rows(world, "SELECT member_id FROM attendance") == [(await member_id(world, ayu),)]


async def test_time_poll_goes_to_members_and_counts_answers(world: BotWorld) -> None:
    group_id = await a_group(world)
    sari = await a_facilitator(world, group_id)
    budi = await a_person(world, 303, "Budi Pagi", tz="Asia/Jayapura")
    await services(world).groups.add_member(
        group_id, await member_id(world, budi), world.clock.now()
    )

    await sari.send("/poll_time")
    assert "Propose 2 to 5 times" in last(sari)
    await sari.press("Thu 3 Dec")
    await sari.press("19:30")
    assert "Send the poll" not in " ".join(buttons(sari))
    await sari.send("2026-12-05 10:00")
    await sari.send("2026-12-05 10:00")
    assert "already on the list" in texts(sari)[-2]
    await sari.send("soon")
    assert "couldn't read that" in texts(sari)[-2]
    await sari.press("Send the poll")
    assert "went to 1 member" in last(sari)

    poll = budi.last
    assert poll.kind == "poll"
    assert (
        poll.poll["question"]
        == "Which times suit you for the next meeting of Teman Cerita Makassar?"
    )
    assert [plain(o["text"]) for o in poll.poll["options"]] == [
        "Thu 3 Dec, 8:30 PM WIT",
        "Sat 5 Dec, 11:00 AM WIT",
    ]
    await world.deliver(world.emulator.user_answers_poll(budi.user_id, poll.poll["id"], [1]))
    await sari.send("/poll_time")
    assert "1 member answered so far." in last(sari)
    assert "Saturday, December 5, 2026, 10:00 AM WITA: 1" in last(sari)
    assert "Budi" not in last(sari)


async def test_only_the_member_a_time_poll_was_sent_to_can_answer_it(world: BotWorld) -> None:
    group_id = await a_group(world)
    sari = await a_facilitator(world, group_id)
    budi = await a_person(world, 303, "Budi Pagi")
    await services(world).groups.add_member(
        group_id, await member_id(world, budi), world.clock.now()
    )
    await sari.send("/poll_time")
    await sari.press("Thu 3 Dec")
    await sari.press("19:30")
    await sari.send("2026-12-05 10:00")
    await sari.press("Send the poll")
    poll_id = budi.last.poll["id"]
    await world.deliver(world.emulator.user_answers_poll(budi.user_id, poll_id, [1]))
    await sari.send("/poll_time")
    results = last(sari)
    assert "1 member answered so far." in results

    # Budi forwards his (non-anonymous) poll: whoever votes on it there reaches the bot too.
    stranger = world.person(399, "Orang Lain", "en")
    dewi = await a_person(world, 304, "Dewi Fajar")
    for voter, options in ((stranger, [0]), (dewi, [0]), (stranger, []), (dewi, [])):
        await world.deliver(world.emulator.user_answers_poll(voter.user_id, poll_id, options))

    assert rows(world, "SELECT member_id, option_ids FROM time_poll_messages") == [
        (await member_id(world, budi), "[1]")
    ]
    await sari.send("/poll_time")
    assert last(sari) == results


async def test_crisis_words_mid_sign_up_and_mid_scheduling_then_both_resume(
    world: BotWorld,
) -> None:
    group_id = await a_group(world)
    facilitator = await a_facilitator(world, group_id)
    await facilitator.send("/newmeeting")
    for label in ("Thu 3 Dec", "19:30", "90 min", "Every week on Thursday"):
        await facilitator.press(label)
    replies = await facilitator.send("aku pengen mati aja")
    assert len(replies) == 1 and "112" in replies[0].text
    await facilitator.send("Community hall, Jl. Merdeka 5, Makassar")  # the place step resumes
    await facilitator.press("8")
    await facilitator.press("Schedule")

    survivor = await a_person(world, 401, "Awan Teduh")
    await survivor.send("/trial")
    await survivor.press("Teman Cerita Makassar")
    await survivor.press("Thu 3 Dec")
    replies = await survivor.send("I want to kill myself")
    assert len(replies) == 1 and "You don't have to go through this alone" in replies[0].text
    await survivor.press("Sign me up")
    assert rows(world, "SELECT kind, status FROM seats") == [("trial", "going")]
    # Only that the crisis flow ran is kept, never the words.
    with sqlite3.connect(world.db_path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            dump = str(db.execute(f"SELECT * FROM {table}").fetchall())
            assert "kill myself" not in dump and "pengen mati" not in dump, table


async def test_archiving_a_group_cancels_its_meetings_with_notices_and_no_reminders(
    world: BotWorld,
) -> None:
    world.admin_ids = frozenset({900})
    await world.restart()
    coordinator = await a_person(world, 900, "Koor Demo")
    group_id = await a_group(world)
    await schedule_weekly(await a_facilitator(world, group_id))
    survivor = await a_person(world, 401, "Awan Teduh")
    await sign_up_for_trial(survivor)

    await coordinator.send("/groups")
    await coordinator.press("Teman Cerita Makassar")
    await coordinator.press("Archive")
    await coordinator.press("Yes, archive it")
    await world.tick()

    assert any("cancelled" in text.lower() for text in texts(survivor))
    world.clock.advance(timedelta(days=3))
    await world.tick()
    assert reminders(survivor) == []
    assert rows(world, "SELECT count(*) FROM meetings WHERE status = 'scheduled'") == [(0,)]


async def test_a_referral_link_is_counted_without_linking_it_to_the_person(world: BotWorld) -> None:
    newcomer = world.person(402, "Rujuk", "en")
    await newcomer.send("/start r-zq-clinic-7")
    for label in ("English", "Continue", "Yes, I'm 18 or older", "I agree", "Use this alias"):
        await newcomer.press(label)
    await newcomer.press("Online only")
    await newcomer.press("Done")

    assert rows(world, "SELECT source, count FROM referral_counts") == [("zq-clinic-7", 1)]
    with sqlite3.connect(world.db_path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in (t for t in tables if t != "referral_counts"):
            assert "zq-clinic" not in str(db.execute(f"SELECT * FROM {table}").fetchall()), table
