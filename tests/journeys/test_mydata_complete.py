"""/mydata is complete: every table about a member is in the export or explicitly left out.

Lina is a member of one group (after a trial she attended), facilitates another (through an
invitation), scheduled a meeting and a time poll there, voted in a poll, has a seat with a
pending reminder, moved her weekly check-in, asked for her facilitator in a crisis, wrote a
safety plan, checked in, said how helpful her trial meeting was, asked her facilitators a
question and answered one in the group she facilitates, asked for a buddy, was paired and wrote
to her buddy. Other people around her (her
facilitator, a coordinator, another member) must never appear in her file.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.domain.broadcasts import Audience
from bot.domain.deep_links import DeepLink, LinkKind
from bot.domain.groups import InvitationKind
from bot.domain.meetings import NewMeeting
from bot.domain.safety import PlanSection
from bot.services import broadcasts, meeting_watch, seats
from bot.services import groups as group_service
from bot.services import meetings as meeting_service
from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers.buddies import pair_at_round
from tests.journeys.helpers.checkin import check_in
from tests.journeys.helpers.groups import a_group
from tests.journeys.helpers.onboarding import onboard_in_english
from tests.journeys.helpers.schema import member_columns

LINA, FASIL, KOOR, OTHER = 918273645, 918270002, 918270001, 918270003
THEIR_ALIASES = ("Fasil Sari", "Koordinator Satu", "Orang Lain")
# Thursday 3 December 2026, 19:30 in Makassar; the second meeting is a week later.
FIRST_MEETING = datetime(2026, 12, 3, 11, 30, tzinfo=UTC)
POLL_TIMES = (datetime(2026, 12, 8, 11, 0, tzinfo=UTC), datetime(2026, 12, 9, 11, 0, tzinfo=UTC))

# Every (table, column) that points at a member, and the export section that shows it.
EXPORTED = {
    ("member_topics", "member_id"): "topics",
    ("consents", "member_id"): "consents",
    ("group_members", "member_id"): "group_memberships",
    ("group_facilitators", "member_id"): "facilitator_roles",
    ("invitations", "created_by"): "invitations_created",
    ("invitations", "used_by"): "invitations_used",
    ("meeting_series", "created_by"): "meetings_scheduled",
    ("seats", "member_id"): "seats",
    ("meeting_watches", "member_id"): "meeting_watches",
    ("trial_outcomes", "member_id"): "trial_outcomes",
    ("attendance", "member_id"): "attendance",
    ("time_polls", "created_by"): "time_polls_created",
    ("time_poll_messages", "member_id"): "time_poll_answers",
    ("broadcasts", "author_id"): "announcements_sent",
    ("announcement_mutes", "member_id"): "announcements_muted",
    ("outbox", "member_id"): "messages_to_you",
    ("outbox", "about_member_id"): "messages_about_you",
    ("crisis_events", "member_id"): "crisis_events",
    ("crisis_alerts", "member_id"): "crisis_alerts",
    ("safety_plans", "member_id"): "safety_plan",
    ("questionnaires", "member_id"): "questionnaires",
    ("meeting_feedback", "member_id"): "meeting_feedback",
    ("moods", "member_id"): "moods",
    ("checkin_schedules", "member_id"): "checkin_schedule",
    ("questions", "member_id"): "questions_asked",
    ("questions", "answered_by"): "answers_given",
    ("buddy_optins", "member_id"): "buddy_optins",
    ("buddy_pairings", "member_a"): "buddy_pairings",
    ("buddy_pairings", "member_b"): "buddy_pairings",
    ("buddy_messages", "sender_id"): "buddy_messages_sent",
    ("audit_log", "subject_id"): "moderation_about_you",
    ("group_chats", "linked_by"): "group_chats_linked",
    ("reports", "reporter_id"): "reports_made",
    ("reports", "reported_id"): "reports_about_you",
    ("relay_suspensions", "member_id"): "relay_suspensions",
}
# Left out on purpose, with the reason. (Tables without any member column, such as
# referral_counts, which only counts arrivals per source, or time_poll_chats, a group chat
# poll's anonymous counts with no voter, never show up in the scan.)
LEFT_OUT = {
    # The alert is about the person in crisis, not about the facilitator who saw it: exporting
    # it would put someone else's crisis in the facilitator's file. The facilitator's /forget
    # still clears the column (ON DELETE SET NULL).
    ("crisis_alerts", "acknowledged_by"),
    # Exported as moderation_actions_taken (bot.storage.moderation) for a facilitator who acted
    # on a report; Lina facilitates no group with buddies here, so her file has no such row.
    ("audit_log", "actor_id"),
    # Who acted on a report is in the log (moderation_actions_taken, for the facilitator); the
    # report itself is about two buddies, not about the facilitator who read it.
    ("reports", "handled_by"),
}


def services(world: BotWorld):
    return world.app.bot_data["services"]


async def a_member(world: BotWorld, user_id: int, alias: str) -> Person:
    person = world.person(user_id, alias.split()[0], "en")
    await onboard_in_english(person, alias=alias)
    return person


async def member_of(world: BotWorld, person: Person):
    return await services(world).members.by_telegram_id(person.user_id)


async def lina_with_everything(world: BotWorld) -> Person:
    """Lina and the people around her, with one row of every kind about Lina."""
    await world.restart(admin_ids=frozenset({KOOR}))
    s = services(world)
    koor_chat = await a_member(world, KOOR, "Koordinator Satu")
    koor = await member_of(world, koor_chat)
    fasil_chat = await a_member(world, FASIL, "Fasil Sari")
    fasil = await member_of(world, fasil_chat)
    other_chat = await a_member(world, OTHER, "Orang Lain")
    other = await member_of(world, other_chat)
    lina_chat = await a_member(world, LINA, "Lina Laut")
    lina = await member_of(world, lina_chat)
    makassar = await a_group(world)
    bandung = await a_group(world, "Lingkar Pagi Bandung", online=True)
    now = world.clock.now()

    # Lina's role comes from a coordinator's link; she made a link of her own too.
    invitation = await s.groups.create_invitation(
        InvitationKind.FACILITATOR, created_by=koor.id, now=now, group_id=bandung
    )
    link = DeepLink(LinkKind.FACILITATOR_INVITATION, invitation.code)
    await group_service.accept_invitation(s.groups, s.members, s.clock, link, lina)
    await s.groups.create_invitation(InvitationKind.COORDINATOR, created_by=lina.id, now=now)
    repos = (s.meetings, s.groups, s.outbox, s.clock)
    await meeting_service.schedule(*repos, a_meeting(bandung, FIRST_MEETING), lina.id)
    await s.time_polls.create(bandung, POLL_TIMES, lina.id, now)
    world.emulator.add_group(-1001234500000, "Lingkar Pagi", supergroup=True)
    async with s.group_chats.transaction() as tx:  # she linked the group's Telegram chat
        await s.group_chats.link(-1001234500000, bandung, "Lingkar Pagi", lina.id, now, tx=tx)

    # A trial in Makassar, attended, then joining and a seat at the next meeting.
    await s.groups.add_facilitator(makassar, fasil.id, now)
    await s.groups.add_member(makassar, other.id, now)
    first, second, *_ = await meeting_service.schedule(
        *repos, a_meeting(makassar, FIRST_MEETING), fasil.id
    )
    await seats.sign_up_for_trial(*repos, lina, first.id)
    world.clock.advance(FIRST_MEETING + timedelta(hours=2) - world.clock.now())
    await s.meetings.toggle_attendance(first.id, lina.id, world.clock.now())
    await seats.answer_trial_followup(s.meetings, s.groups, s.clock, lina, makassar, join=True)
    await seats.rsvp(*repos, lina, second.id, True)
    await seats.rsvp(*repos, other, second.id, True)

    # A time poll in Makassar: Lina picks the second time, the other member the first.
    poll = await s.time_polls.create(makassar, POLL_TIMES, fasil.id, world.clock.now())
    for member, poll_id, choice in ((lina, "poll-lina", 1), (other, "poll-other", 0)):
        await s.time_polls.add_message(poll.id, member.id, poll_id)
        await s.time_polls.record_answer(poll_id, member.id, [choice])

    # Her weekly check-in moved to Friday.
    await lina_chat.send("/settings")
    await lina_chat.press("Weekly check-in")
    await lina_chat.press("Day")
    await lina_chat.press("Friday")
    # Lina announces to Bandung and mutes Makassar's announcements (the chat flow is in
    # tests/journeys/test_broadcast.py; muting's /settings screen comes later).
    await broadcasts.start_broadcast(
        s.broadcasts,
        s.outbox,
        s.clock,
        author_id=lina.id,
        author_chat_id=LINA,
        source_message_id=lina_chat.last_sent_id,
        target=broadcasts.Target(Audience.GROUP, bandung),
    )
    await broadcasts.mute_announcements(s.broadcasts, s.clock, lina.id, makassar, True)
    # Lina and the other member ask to hear when a quiet group schedules a meeting (the card's
    # button: tests/journeys/test_finding_a_group.py).
    quiet = await a_group(world, "Lingkar Senja Jayapura", online=True)
    for member in (lina, other):
        await meeting_watch.set_watch(s.groups, s.clock, quiet, member, True)

    at = world.clock.now()
    await s.safety.save_answer(lina.id, PlanSection.CALMING, "Tea on the porch", at)
    await s.safety.save_answer(other.id, PlanSection.CALMING, "Other secret plan", at)
    await lina_chat.send("/crisis")
    await lina_chat.press("Let my facilitator know")
    await lina_chat.press("Yes, tell my facilitator")
    await check_in(lina_chat)

    # An hour after her trial meeting ended she is asked how helpful it was, and answers.
    world.clock.advance(FIRST_MEETING + timedelta(hours=2, minutes=30) - world.clock.now())
    await world.tick()
    await lina_chat.press("4")
    await lina_chat.send("The quiet start helped")

    # A quick mood with a tag and a private note, through the real flow.
    await lina_chat.send("/mood")
    await lina_chat.press("Good")
    await lina_chat.press("Hope")
    await lina_chat.press("Done")
    await lina_chat.press("Add a note")
    await lina_chat.send("Tea with Rina helped")

    # An anonymous question to her Makassar facilitators; and as a facilitator in Bandung she
    # answers another member's question (whose words stay out of her file).
    await s.groups.add_member(bandung, other.id, world.clock.now())
    await lina_chat.send("/ask")
    await lina_chat.send("Can I bring a friend?")
    await lina_chat.press("Send")
    await other_chat.send("/ask")
    await other_chat.press("Lingkar Pagi Bandung")
    await other_chat.send("Other's secret question")
    await other_chat.press("Send")
    await world.tick()
    await lina_chat.press("Answer")
    await lina_chat.send("Yes, of course")
    await lina_chat.press("Send answer")

    # Buddies in Makassar: both ask, the Monday round pairs them, and they write to each
    # other (what the other wrote is the other's words, and stays out of Lina's file).
    await lina_chat.send("/buddy")
    await lina_chat.press("Find me a buddy")
    await other_chat.send("/buddy")
    await other_chat.press("Teman Cerita Makassar")
    await other_chat.press("Find me a buddy")
    await pair_at_round(world)
    await lina_chat.press("Write to")
    await lina_chat.send("The breathing tip helped me")
    await lina_chat.press("📨 Send")
    await other_chat.press("Write to")
    await other_chat.send("Other's secret buddy note")
    await other_chat.press("📨 Send")
    await world.tick()
    # Each reports the other's message; the facilitator pauses Lina's messages for a week.
    await lina_chat.press("Report")
    await lina_chat.press("Pressure to move off the bot")
    await other_chat.press("Report")
    await other_chat.press("Pressure to move off the bot")
    await world.tick()
    await fasil_chat.press("for 1 week")
    await fasil_chat.press("Yes, do it")
    # A coordinator removed her from a third group: the moderation log holds that (never who).
    evening = await a_group(world, "Lingkar Sore", online=True, trials=False)
    await s.groups.add_member(evening, lina.id, world.clock.now())
    await koor_chat.send("/groups")
    await koor_chat.press("Lingkar Sore")
    await koor_chat.press("Members")
    await koor_chat.press("Remove Lina Laut")
    await koor_chat.press("Yes, remove")
    return lina_chat


def a_meeting(group_id: int, start: datetime) -> NewMeeting:
    return NewMeeting(
        group_id=group_id,
        first_starts_at=start,
        duration_minutes=90,
        recurrence="weekly",
        place="Community hall",
        join_link=None,
        capacity=8,
    )


async def my_data(person: Person) -> dict[str, Any]:
    await person.send("/mydata")
    assert person.last.kind == "document"
    return json.loads(person.last.file_bytes)


def keys_of(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in keys_of(item)}
    if isinstance(value, list):
        return {key for item in value for key in keys_of(item)}
    return set()


async def test_mydata_holds_every_row_about_me_and_nothing_about_others(
    world: BotWorld,
) -> None:
    lina = await lina_with_everything(world)

    data = await my_data(lina)

    assert data["group_memberships"] == [
        {"group_name": "Teman Cerita Makassar", "joined_at": "2026-12-03T13:30:00.000000+00:00"}
    ]
    assert [r["group_name"] for r in data["facilitator_roles"]] == ["Lingkar Pagi Bandung"]
    assert [(r["kind"], r["group_name"]) for r in data["invitations_used"]] == [
        ("facilitator", "Lingkar Pagi Bandung")
    ]
    assert [r["kind"] for r in data["invitations_created"]] == ["coordinator"]
    assert [r["group_name"] for r in data["meetings_scheduled"]] == ["Lingkar Pagi Bandung"]
    seats = [
        (r["group_name"], r["meeting_starts_at"][:16], r["kind"], r["status"])
        for r in data["seats"]
    ]
    assert seats == [
        ("Teman Cerita Makassar", "2026-12-03T11:30", "trial", "going"),
        ("Teman Cerita Makassar", "2026-12-10T11:30", "member", "going"),
    ]
    assert [(r["group_name"], r["answer"]) for r in data["trial_outcomes"]] == [
        ("Teman Cerita Makassar", "yes")
    ]
    assert [r["meeting_starts_at"][:16] for r in data["attendance"]] == ["2026-12-03T11:30"]
    [answer] = data["time_poll_answers"]
    assert answer["group_name"] == "Teman Cerita Makassar"
    assert answer["chosen_times"] == ["2026-12-09T11:00:00.000000+00:00"]
    assert [r["group_name"] for r in data["time_polls_created"]] == ["Lingkar Pagi Bandung"]
    pending = [(r["kind"], r["status"]) for r in data["messages_to_you"]]
    assert ("reminder", "pending") in pending
    assert {r["kind"] for r in data["messages_about_you"]} == {
        "crisis_alert",
        "anon_question",
        "buddy_paired",
        "buddy_message",
        "mod_report",
    }
    assert data["safety_plan"] == {"calming": "Tea on the porch"}
    assert data["checkin_schedule"] == [
        {"weekday": 4, "minute_of_day": 1140, "paused_until": None, "stopped_at": None}
    ]
    assert len(data["crisis_events"]) == 1 and len(data["crisis_alerts"]) == 1
    [checkin] = data["questionnaires"]
    assert (checkin["instrument"], checkin["purpose"], checkin["score"]) == ("who5", "self", 80)
    assert checkin["answers"]["cheerful"] == 4
    [feedback] = data["meeting_feedback"]
    assert (feedback["group_name"], feedback["rating"], feedback["comment"]) == (
        "Teman Cerita Makassar",
        4,
        "The quiet start helped",
    )
    [mood] = data["moods"]
    assert (mood["score"], mood["tags"], mood["note"]) == (4, ["hope"], "Tea with Rina helped")

    [asked] = data["questions_asked"]
    assert (asked["group_name"], asked["question"], asked["answer"]) == (
        "Teman Cerita Makassar",
        "Can I bring a friend?",
        None,
    )
    assert [(r["action"], r["group_name"]) for r in data["moderation_about_you"]] == [
        ("suspend_1w", "Teman Cerita Makassar"),
        ("remove_from_group", "Lingkar Sore"),
    ]
    # Her own report, and the one about her with what was done, never who made it.
    [made] = data["reports_made"]
    assert (made["about"], made["reason"], made["action"]) == ("message", "off_platform", None)
    [about] = data["reports_about_you"]
    assert (about["reason"], about["action"]) == ("off_platform", "suspend_1w")
    assert [r["group_name"] for r in data["relay_suspensions"]] == ["Teman Cerita Makassar"]
    [given] = data["answers_given"]
    assert (given["group_name"], given["answer"]) == ("Lingkar Pagi Bandung", "Yes, of course")

    [optin] = data["buddy_optins"]
    assert optin["group_name"] == "Teman Cerita Makassar"
    [pairing] = data["buddy_pairings"]
    assert (pairing["group_name"], pairing["ended_at"]) == ("Teman Cerita Makassar", None)
    [sent] = data["buddy_messages_sent"]
    assert sent["text"] == "The breathing tip helped me"

    dumped = json.dumps(data)
    assert "Lina Laut" in dumped
    for someone_else in (
        *THEIR_ALIASES,
        "Other secret plan",
        "Other's secret question",
        "Other's secret buddy note",
    ):
        assert someone_else not in dumped
    for telegram_id in (LINA, FASIL, KOOR, OTHER):
        assert str(telegram_id) not in dumped
    # No internal row ids either (theirs or anyone's); payloads (others' words) stay out.
    assert not {key for key in keys_of(data) if key == "id" or key.endswith("_id")}
    assert "payload" not in keys_of(data)


async def test_every_table_about_members_is_exported_or_left_out_on_purpose(
    world: BotWorld,
) -> None:
    lina = await lina_with_everything(world)
    data = await my_data(lina)

    with sqlite3.connect(world.db_path) as db:
        found = member_columns(db)
    unaccounted = found - EXPORTED.keys() - LEFT_OUT
    assert not unaccounted, f"export these in /mydata or add them to LEFT_OUT: {unaccounted}"
    assert not (EXPORTED.keys() | LEFT_OUT) - found, "a listed column no longer exists"
    # "Exported" means it: Lina has a row in each, and it is in her file.
    empty = {section for section in EXPORTED.values() if not data[section]}
    assert not empty, empty
