"""Retention: the table the notice shows, and the purge that enforces it, row by row at each
rule's edge (a row whose clock started exactly the period ago goes, one a second younger stays).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.checkin_cadence import CheckinSchedule
from bot.domain.groups import InvitationKind
from bot.domain.meetings import NewMeeting, SeatKind, SeatStatus
from bot.domain.messages import PlannedMessage
from bot.domain.questionnaires import Purpose
from bot.domain.retention import RETENTION, Anchor, DataCategory, configured, cutoff, rule_for
from bot.domain.safety import CrisisSource
from bot.services.meetings import schedule
from bot.services.retention import purge_expired, purges
from bot.storage.checkins import CheckinRepository
from bot.storage.feedback import FeedbackRepository
from bot.storage.time_polls import TimePollRepository
from bot.telegram_glue.conversation import DEFAULT_TIMEOUT
from tests.unit.conftest import Network

SECOND = timedelta(seconds=1)


def period(category: DataCategory) -> timedelta:
    keep_for = rule_for(category).keep_for
    assert keep_for is not None
    return keep_for


async def purge(network: Network) -> dict[DataCategory, int]:
    return await purge_expired(network, network.clock)


def to_edge(network: Network, start: datetime, category: DataCategory) -> None:
    """Moves the clock to exactly the rule's period after ``start``."""
    network.clock.advance(start + period(category) - network.clock.now())


# --- the table -----------------------------------------------------------------------------------


def test_every_category_has_one_rule_and_a_period_says_what_starts_it() -> None:
    assert sorted(rule.category for rule in RETENTION) == sorted(DataCategory)
    for rule in RETENTION:
        assert (rule.keep_for is None) == (rule.after is None), rule
        assert rule.tables, rule


# A network that keeps moods 30 days and check-in answers 60 (KEEP_MOODS_DAYS,
# KEEP_CHECKIN_ANSWERS_DAYS); by default both are kept until the person deletes them.
SHORTER = configured(keep_moods=timedelta(days=30), keep_checkin_answers=timedelta(days=60))


def test_every_period_is_purged_except_drafts_which_end_by_their_own_timeout(
    network: Network,
) -> None:
    purged = purges(network).keys()
    timed = {rule.category for rule in SHORTER if rule.keep_for is not None}
    assert purged == timed - {DataCategory.DRAFTS}
    drafts = rule_for(DataCategory.DRAFTS)
    assert (drafts.keep_for, drafts.after) == (DEFAULT_TIMEOUT, Anchor.IDLE)


def test_the_summary_can_name_one_period_for_what_it_groups() -> None:
    """The summary says "meeting records" and "crisis records" with one number each."""
    assert period(DataCategory.SEATS) == period(DataCategory.TRIAL_OUTCOMES)
    assert period(DataCategory.CRISIS_EVENTS) == period(DataCategory.CRISIS_ALERTS)


def test_the_cutoff_is_the_period_before_now() -> None:
    now = datetime(2027, 1, 1, tzinfo=UTC)
    assert cutoff(rule_for(DataCategory.MESSAGES), now) == now - timedelta(days=30)
    assert cutoff(rule_for(DataCategory.PROFILE), now) is None


# --- the purge, category by category -------------------------------------------------------------


async def test_sent_messages_go_after_their_period_and_pending_ones_stay(network: Network) -> None:
    n = network
    member = await n.person(1)

    async def message(key: str, *, send: bool) -> None:
        now = n.clock.now()
        async with n.outbox.transaction() as tx:
            planned = PlannedMessage(
                member_id=member.id, kind="note", not_before=now, dedupe_key=key
            )
            await n.outbox.enqueue([planned], now=now, tx=tx)
        if send:
            [claimed] = await n.outbox.claim_due(now, 1)
            await n.outbox.mark_sent(claimed.id, now)

    start = n.clock.now()
    await message("old", send=True)
    n.clock.advance(SECOND)
    await message("younger", send=True)
    await message("waiting", send=False)  # due since long ago, never sent: still needed
    to_edge(n, start, DataCategory.MESSAGES)

    assert await purge(n) == {DataCategory.MESSAGES: 1}
    assert await n.rows("SELECT dedupe_key FROM outbox ORDER BY id") == [("younger",), ("waiting",)]


async def test_seats_and_attendance_go_a_period_after_their_meeting(network: Network) -> None:
    n = network
    member = await n.person(1)
    group = await n.group(members=(member,))
    first_start = n.clock.now() + timedelta(days=2)
    meetings = []
    for start in (first_start, first_start + SECOND):
        new = NewMeeting(group.id, start, 90, "once", "Hall", None, 8)
        meetings += await schedule(n.meetings, n.groups, n.outbox, n.clock, new, None)
    for meeting in meetings:
        await n.meetings.set_seat(
            meeting.id, member.id, SeatKind.MEMBER, SeatStatus.GOING, n.clock.now(), requeue=False
        )
        await n.meetings.toggle_attendance(meeting.id, member.id, n.clock.now())

    assert await purge(n) == {}  # a meeting still coming keeps its seats
    to_edge(n, first_start, DataCategory.SEATS)

    assert await purge(n) == {DataCategory.SEATS: 2}
    kept = [(meetings[1].id,)]
    assert await n.rows("SELECT meeting_id FROM seats") == kept
    assert await n.rows("SELECT meeting_id FROM attendance") == kept


async def test_trial_answers_go_a_period_after_they_were_given(network: Network) -> None:
    n = network
    older, younger = await n.person(1), await n.person(2)
    group = await n.group()
    start = n.clock.now()
    await n.meetings.record_trial_outcome(group.id, older.id, "no", start)
    n.clock.advance(SECOND)
    await n.meetings.record_trial_outcome(group.id, younger.id, "yes", n.clock.now())
    to_edge(n, start, DataCategory.TRIAL_OUTCOMES)

    assert await purge(n) == {DataCategory.TRIAL_OUTCOMES: 1}
    assert await n.rows("SELECT member_id FROM trial_outcomes") == [(younger.id,)]


async def test_unanswered_meeting_requests_go_a_period_after_they_were_made(
    network: Network,
) -> None:
    n = network
    older, younger = await n.person(1), await n.person(2)
    group = await n.group()
    start = n.clock.now()
    await n.groups.set_watch(group.id, older.id, True, start)
    n.clock.advance(SECOND)
    await n.groups.set_watch(group.id, younger.id, True, n.clock.now())
    to_edge(n, start, DataCategory.MEETING_WATCHES)

    assert await purge(n) == {DataCategory.MEETING_WATCHES: 1}
    assert await n.rows("SELECT member_id FROM meeting_watches") == [(younger.id,)]


async def test_time_polls_go_a_period_after_the_last_time_they_offered(network: Network) -> None:
    n = network
    member = await n.person(1)
    group = await n.group(members=(member,))
    polls = TimePollRepository(n.db)
    last = n.clock.now() + timedelta(days=5)
    old = await polls.create(group.id, (last - timedelta(days=1), last), member.id, n.clock.now())
    young = await polls.create(group.id, (last, last + SECOND), member.id, n.clock.now())
    for poll in (old, young):
        await polls.add_message(poll.id, member.id, f"tg-{poll.id}")
        await polls.record_answer(f"tg-{poll.id}", member.id, [0])
    to_edge(n, last, DataCategory.TIME_POLLS)

    assert await purge(n) == {DataCategory.TIME_POLLS: 1}
    assert await n.rows("SELECT id FROM time_polls") == [(young.id,)]
    assert await n.rows("SELECT poll_id FROM time_poll_messages") == [(young.id,)]


async def test_crisis_events_go_a_period_after_they_happened(network: Network) -> None:
    n = network
    member = await n.person(1)
    start = n.clock.now()
    await n.safety.record_event(member.id, CrisisSource.COMMAND, start)
    await n.safety.record_event(member.id, CrisisSource.DETECTED, start + SECOND)
    to_edge(n, start, DataCategory.CRISIS_EVENTS)

    assert await purge(n) == {DataCategory.CRISIS_EVENTS: 1}
    assert await n.rows("SELECT source FROM crisis_events") == [("detected",)]


async def test_crisis_alerts_go_a_period_after_they_were_answered_or_passed_on(
    network: Network,
) -> None:
    n = network
    person, facilitator = await n.person(1), await n.person(2)
    group = await n.group(members=(person,), facilitators=(facilitator,))
    start = n.clock.now()
    acknowledged = await n.safety.insert_alert(person.id, group.id, start)
    await n.safety.acknowledge(acknowledged, facilitator.id, start)
    escalated = await n.safety.insert_alert(person.id, group.id, start)
    await n.safety.mark_escalated(escalated, start)
    waiting = await n.safety.insert_alert(person.id, group.id, start)  # neither, yet
    younger = await n.safety.insert_alert(person.id, group.id, start + SECOND)
    await n.safety.acknowledge(younger, facilitator.id, start + SECOND)
    to_edge(n, start, DataCategory.CRISIS_ALERTS)

    assert await purge(n) == {DataCategory.CRISIS_ALERTS: 2}
    assert await n.rows("SELECT id FROM crisis_alerts ORDER BY id") == [(waiting,), (younger,)]


async def test_invitations_go_a_period_after_they_expire(network: Network) -> None:
    n = network
    coordinator = await n.person(1)
    start = n.clock.now()
    old = await n.groups.create_invitation(
        InvitationKind.COORDINATOR, created_by=coordinator.id, now=start
    )
    young = await n.groups.create_invitation(
        InvitationKind.COORDINATOR, created_by=coordinator.id, now=start + SECOND
    )
    to_edge(n, old.expires_at, DataCategory.INVITATIONS)

    assert await purge(n) == {DataCategory.INVITATIONS: 1}
    assert await n.rows("SELECT code FROM invitations") == [(young.code,)]


async def test_meeting_feedback_goes_a_period_after_it_was_given(network: Network) -> None:
    n = network
    older, younger = await n.person(1), await n.person(2)
    group = await n.group(members=(older, younger))
    new = NewMeeting(group.id, n.clock.now() + timedelta(days=1), 90, "once", "Hall", None, 8)
    [meeting] = await schedule(n.meetings, n.groups, n.outbox, n.clock, new, None)
    feedback = FeedbackRepository(n.db)
    start = n.clock.now()
    await feedback.rate(meeting.id, older.id, 4, start)
    await feedback.rate(meeting.id, younger.id, 5, start + SECOND)
    to_edge(n, start, DataCategory.MEETING_FEEDBACK)

    assert await purge(n) == {DataCategory.MEETING_FEEDBACK: 1}
    assert await n.rows("SELECT member_id FROM meeting_feedback") == [(younger.id,)]


async def test_moods_and_checkin_answers_stay_until_deleted_when_no_period_is_set(
    network: Network,
) -> None:
    n = network
    member = await n.person(1)
    await n.moods.add(member.id, 3, n.clock.now())
    await n.moods.add_who5_score(member.id, 60, n.clock.now())
    n.clock.advance(timedelta(days=3650))

    assert configured(keep_moods=None, keep_checkin_answers=None) == RETENTION
    assert await purge(n) == {}
    assert await n.rows("SELECT COUNT(*) FROM moods") == [(1,)]
    assert await n.rows("SELECT COUNT(*) FROM questionnaires") == [(1,)]


async def test_moods_go_the_configured_period_after_they_were_recorded(network: Network) -> None:
    n = network
    member = await n.person(1)
    start = n.clock.now()
    older = await n.moods.add(member.id, 2, start)
    await n.moods.set_note(older, member.id, "a private note")
    await n.moods.add(member.id, 4, start + SECOND)
    n.clock.advance(timedelta(days=30) - SECOND)
    assert await purge_expired(n, n.clock, SHORTER) == {}

    n.clock.advance(SECOND)  # exactly 30 days after the first mood

    assert await purge_expired(n, n.clock, SHORTER) == {DataCategory.MOODS: 1}
    assert await n.rows("SELECT score, note FROM moods") == [(4, None)]


async def test_checkin_answers_go_the_configured_period_after_them_and_the_schedule_stays(
    network: Network,
) -> None:
    n = network
    member = await n.person(1)
    start = n.clock.now()
    async with n.questionnaires.transaction() as tx:
        done = await n.questionnaires.start(member.id, "who5", Purpose.WEEKLY, start, tx=tx)
        await n.questionnaires.complete(done.id, 56, start + timedelta(minutes=2), tx=tx)
    unfinished = await n.questionnaires.start(member.id, "who5", Purpose.SELF, start)
    await n.questionnaires.start(member.id, "who5", Purpose.SELF, start + timedelta(minutes=3))
    await CheckinRepository(n.db).save_schedule(member.id, CheckinSchedule(2, 600))
    n.clock.advance(timedelta(days=60, minutes=2))  # 60 days after the first answers finished

    assert await purge_expired(n, n.clock, SHORTER) == {DataCategory.CHECKINS: 2}
    left = await n.rows("SELECT id FROM questionnaires")
    assert len(left) == 1 and (done.id,) not in left and (unfinished.id,) not in left
    assert await n.rows("SELECT weekday FROM checkin_schedules") == [(2,)]
