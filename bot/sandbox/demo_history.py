"""Made-up weeks of history for the sandbox, so /progress and /impact have something to show.

Two demo personas get moods and WHO-5 check-ins of past weeks; one demo group gets made-up
members ("Demo Anggota 01" …, Telegram ids past :data:`MADE_UP_IDS`, never in the persona
switcher), meetings held weekly with attendance marked by its facilitator, meeting ratings and
a few trial sessions. Everything is written through the repositories and use cases the bot
itself uses, at the moment it would have happened; random choices come from fixed seeds, so
every sandbox tells the same story (relative to the moment it starts). No note, comment or
other free text is written: only taps.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock, ControllableClock
from bot.data_files import who5 as load_who5
from bot.domain.alias import alias_key
from bot.domain.feedback import FEEDBACK_DELAY, next_batch
from bot.domain.instruments import WHO5, Who5
from bot.domain.meetings import Meeting, SeatKind, SeatStatus
from bot.domain.member import Member, NewMember
from bot.domain.moods import SCORES, TAGS
from bot.domain.progress import WINDOW_DAYS
from bot.domain.questionnaires import Purpose, who5_score
from bot.domain.recurrence import Recurrence, occurrences_between
from bot.domain.regions import WIB
from bot.services.container import NOTICE_VERSION
from bot.services.meetings import toggle_attendance
from bot.services.seats import answer_trial_followup
from bot.storage.database import Database
from bot.storage.feedback import FeedbackRepository
from bot.storage.groups import GroupRepository
from bot.storage.meetings import MeetingRepository
from bot.storage.members import MemberRepository
from bot.storage.moods import MoodRepository
from bot.storage.questionnaires import QuestionnaireRepository
from bot.storage.roles import RoleRepository

WEEK = timedelta(days=7)
DAY = timedelta(days=1)
# Made-up person n has Telegram id MADE_UP_IDS + n: the demo range, past the personas'.
MADE_UP_IDS = 9_900_100


@dataclass(frozen=True, slots=True)
class Wellbeing:
    """Check-ins over the last ``weeks`` weeks: a WHO-5 baseline, then one in most weeks (always
    in the last), trending from ``first`` to ``last`` (0-100) with some noise; a quick mood on
    a ``mood_share`` of the days, following the same trend."""

    weeks: int
    first: int
    last: int
    checkin_share: float = 0.8
    mood_share: float = 0.0


@dataclass(frozen=True, slots=True)
class PersonaHistory:
    telegram_id: int
    wellbeing: Wellbeing


# River (English, Jayapura time): twelve weeks, the progress chart at its fullest; Melati
# (Indonesian, Makassar time): a few weeks, so the Indonesian chart shows too.
PERSONA_HISTORIES: tuple[PersonaHistory, ...] = (
    PersonaHistory(9_900_005, Wellbeing(WINDOW_DAYS // 7, 32, 64, mood_share=0.85)),
    PersonaHistory(9_900_004, Wellbeing(4, 44, 56, checkin_share=1.0, mood_share=0.8)),
)


@dataclass(frozen=True, slots=True)
class MadeUpPerson:
    """A made-up person of a demo group. Without ``trial``: a member who joined ``weeks_ago``
    weeks ago. With one: a guest at the group's first meeting after that, who then answered
    "yes" (joined) or "no"."""

    number: int
    weeks_ago: int
    wellbeing: Wellbeing | None = None
    trial: str | None = None

    @property
    def telegram_id(self) -> int:
        return MADE_UP_IDS + self.number

    @property
    def alias(self) -> str:
        return f"Demo Anggota {self.number:02d}"

    @property
    def first_name(self) -> str:
        return f"{self.alias} (demo)"

    @property
    def is_member(self) -> bool:
        """Whether they belong to the group now."""
        return self.trial in (None, "yes")


# Enough people for every /impact figure to come from at least five; the three trial guests (two
# joined) stay fewer than five, so "fewer than 5" shows within this group's report too.
MADE_UP_PEOPLE: tuple[MadeUpPerson, ...] = (
    MadeUpPerson(1, 13, Wellbeing(13, 40, 60)),
    MadeUpPerson(2, 13, Wellbeing(13, 28, 48, checkin_share=0.7)),
    MadeUpPerson(3, 12, Wellbeing(12, 52, 56)),
    MadeUpPerson(4, 12, Wellbeing(12, 44, 68, checkin_share=0.9)),
    MadeUpPerson(5, 11, Wellbeing(11, 36, 44, checkin_share=0.6)),
    MadeUpPerson(6, 10, Wellbeing(10, 48, 64)),
    MadeUpPerson(7, 9, Wellbeing(8, 32, 52), trial="yes"),
    MadeUpPerson(8, 6, Wellbeing(5, 40, 56), trial="yes"),
    MadeUpPerson(9, 3, trial="no"),
)
GOING_SHARE = 0.9  # of the made-up members, who said they were going to a held meeting
PRESENT_SHARE = 0.85  # of those going, who came
RATING_SHARE = 0.75  # of those present, who rate it (at least MIN_RATINGS do)
MIN_RATINGS = 3  # a facilitator receives ratings in batches of at least three
RATINGS = ((3, 2), (4, 5), (5, 4))  # (rating, weight)
FILL_IN = timedelta(minutes=3)  # how long a check-in takes


async def load_persona_histories(db: Database, clock: Clock) -> None:
    """The personas' moods and check-ins (skipped for anyone who recorded a mood already)."""
    now = clock.now()
    members, moods = MemberRepository(db), MoodRepository(db)
    instrument = load_who5()
    for history in PERSONA_HISTORIES:
        member = await members.by_telegram_id(history.telegram_id)
        if member is None or await moods.moods_since(member.id, now - WINDOW_DAYS * DAY):
            continue
        rng = random.Random(f"rangkul-demo-{history.telegram_id}")
        await _record_wellbeing(db, instrument, member, history.wellbeing, now, rng)


async def load_group_history(
    db: Database,
    clock: Clock,
    group_name: str,
    facilitator_telegram_id: int,
    people: Sequence[MadeUpPerson],
) -> None:
    """The group's made-up people, held meetings, ratings and trials; skipped if its first
    made-up person exists already (a reused database) or it has no meeting series to hold."""
    now = clock.now()
    members, groups, meetings = MemberRepository(db), GroupRepository(db), MeetingRepository(db)
    group = next((s.group for s in await groups.list_all() if s.group.name == group_name), None)
    facilitator = await members.by_telegram_id(facilitator_telegram_id)
    if group is None or facilitator is None or not people:
        return
    if await members.by_telegram_id(people[0].telegram_id) is not None:
        return
    held = await _hold_past_meetings(meetings, group.id, group.timezone, now)
    if not held:
        return
    rng = random.Random(f"rangkul-demo-{group_name}")
    instrument = load_who5()
    trial_meeting = {p.number: _first_after(held, now - p.weeks_ago * WEEK) for p in people}
    made_up: dict[int, Member] = {}
    for person in people:
        arrived = now - person.weeks_ago * WEEK
        made_up[person.number] = member = await members.create(_new_member(person, arrived))
        if person.trial is None:
            await groups.add_member(group.id, member.id, arrived)
        if person.wellbeing is not None:
            await _record_wellbeing(db, instrument, member, person.wellbeing, now, rng)
    # The facilitator's own groups, as the attendance buttons of /meetings check them.
    facilitated = await RoleRepository(db).facilitated_group_ids(facilitator.id)
    feedback = FeedbackRepository(db)
    for meeting in held:
        ended = meeting.starts_at + timedelta(minutes=meeting.duration_minutes)
        guests = [p for p in people if p.trial and trial_meeting[p.number] == meeting.id]
        guest_ids = [made_up[guest.number].id for guest in guests]
        await _take_seats(meetings, meeting, guest_ids, SeatKind.TRIAL, 3 * DAY)
        in_group = await groups.member_ids_at(group.id, meeting.starts_at)
        going = [m.id for m in made_up.values() if m.id in in_group and rng.random() < GOING_SHARE]
        await _take_seats(meetings, meeting, going, SeatKind.MEMBER, 2 * DAY)
        present = guest_ids + [m for m in going if rng.random() < PRESENT_SHARE]
        for member_id in present:
            await toggle_attendance(
                meetings, ControllableClock(ended), facilitated, meeting.id, member_id
            )
        await _rate(feedback, meeting.id, present, ended + FEEDBACK_DELAY, rng)
        for guest in guests:
            await answer_trial_followup(
                meetings,
                groups,
                ControllableClock(ended + DAY),
                made_up[guest.number],
                group.id,
                join=guest.trial == "yes",
            )


async def _hold_past_meetings(
    meetings: MeetingRepository, group_id: int, timezone: str, now: datetime
) -> list[Meeting]:
    """The occurrences of the group's series that ended before ``now``, materialised (the
    planner only ever materialises coming ones); oldest first."""
    held: list[Meeting] = []
    for series_id in await meetings.active_series_ids(group_id):
        series = await meetings.series(series_id)
        if series is None:
            continue
        over = now - timedelta(minutes=series.duration_minutes)
        starts = occurrences_between(
            series.first_starts_at,
            Recurrence(series.recurrence),
            timezone,
            series.first_starts_at,
            over,
        )
        for meeting_id in await meetings.insert_occurrences(series, starts):
            if (meeting := await meetings.get(meeting_id)) is not None:
                held.append(meeting)
    return sorted(held, key=lambda m: m.starts_at)


async def _take_seats(
    meetings: MeetingRepository,
    meeting: Meeting,
    member_ids: Sequence[int],
    kind: SeatKind,
    ahead: timedelta,
) -> None:
    """Seats marked going, taken ``ahead`` of the meeting (a trial sign-up, a "Going" tap)."""
    for member_id in member_ids:
        taken = meeting.starts_at - ahead
        await meetings.set_seat(meeting.id, member_id, kind, SeatStatus.GOING, taken, requeue=True)


def _first_after(held: Sequence[Meeting], moment: datetime) -> int | None:
    return next((m.id for m in held if m.starts_at >= moment), None)


def _new_member(person: MadeUpPerson, at: datetime) -> NewMember:
    return NewMember(
        telegram_id=person.telegram_id,
        alias=person.alias,
        alias_key=alias_key(person.alias),
        language="id",
        timezone=WIB,
        province=None,
        topics=("addiction",),
        consent_version=NOTICE_VERSION,
        consent_at=at,
        adult_confirmed_at=at,
        created_at=at,
    )


async def _record_wellbeing(
    db: Database,
    instrument: Who5,
    member: Member,
    wellbeing: Wellbeing,
    now: datetime,
    rng: random.Random,
) -> None:
    """The member's WHO-5 sittings (answers and all, as /checkin stores them) and quick moods
    of the last ``wellbeing.weeks`` weeks, in one transaction."""
    zone = ZoneInfo(member.timezone)
    today = now.astimezone(zone).date()
    first_day = wellbeing.weeks * 7 - 1  # days ago: inside the 12-week window, today included
    questionnaires, moods = QuestionnaireRepository(db), MoodRepository(db)

    def at(days_ago: int, hour: int) -> datetime:
        local = datetime.combine(today - days_ago * DAY, time(hour), tzinfo=zone)
        return local + timedelta(minutes=rng.randrange(60))

    def trend(days_ago: int) -> float:
        """Where the WHO-5 trend stands that day, 0-100."""
        share = 1 - days_ago / first_day if first_day else 1.0
        return wellbeing.first + (wellbeing.last - wellbeing.first) * share

    async with moods.transaction() as tx:
        for week in range(wellbeing.weeks):
            days_ago = first_day - 7 * week
            last_week = week == wellbeing.weeks - 1
            if week and not last_week and rng.random() >= wellbeing.checkin_share:
                continue
            noise = 0 if week == 0 else rng.choice((-8, -4, 0, 0, 4, 8))
            score = max(0, min(100, round((trend(days_ago) + noise) / 4) * 4))
            answers = _who5_answers(instrument, score, rng)
            assert who5_score(instrument, answers) == score
            purpose = Purpose.SELF if week else Purpose.BASELINE
            started = at(days_ago, 19)
            sitting = await questionnaires.start(member.id, WHO5, purpose, started, tx=tx)
            await questionnaires.save_answers(sitting.id, answers, tx=tx)
            await questionnaires.complete(
                sitting.id, score, started + 3 * timedelta(minutes=1), tx=tx
            )
        for days_ago in range(first_day, 0, -1):
            if rng.random() >= wellbeing.mood_share:
                continue
            mood = round(1 + 4 * trend(days_ago) / 100) + rng.choice((-1, 0, 0, 1))
            mood = min(max(mood, SCORES[0]), SCORES[-1])
            mood_id = await moods.add(member.id, mood, at(days_ago, 20), tx=tx)
            chosen = set(rng.sample(TAGS, rng.randrange(3)))  # none, one or two
            tags = tuple(tag for tag in TAGS if tag in chosen)
            if tags:
                await moods.set_tags(mood_id, member.id, tags, tx=tx)


def _who5_answers(instrument: Who5, score: int, rng: random.Random) -> dict[str, int | None]:
    """Answers to every item whose WHO-5 score is ``score`` (a multiple of 4): its raw sum
    spread over the five items; the quality-of-life items near the same level."""
    items = [item.key for item in instrument.scale.items]
    top = max(choice.value for choice in instrument.scale.choices)
    raw = score // instrument.multiplier
    values = [raw // len(items)] * len(items)
    for index in rng.sample(range(len(items)), raw % len(items)):
        values[index] += 1
    answers: dict[str, int | None] = dict(zip(items, values, strict=True))
    levels = sorted(choice.value for choice in instrument.quality_of_life.choices)
    level = levels[min(len(levels) - 1, round(raw / (top * len(items)) * (len(levels) - 1)))]
    for item in instrument.quality_of_life.items:
        answers[item.key] = level
    return answers


async def _rate(
    feedback: FeedbackRepository,
    meeting_id: int,
    present: Sequence[int],
    asked_at: datetime,
    rng: random.Random,
) -> None:
    """Ratings (no comments) of some who came, answered when the question came, then passed
    on to the facilitators in one batch, as the planner does."""
    raters = [member_id for member_id in present if rng.random() < RATING_SHARE]
    if len(raters) < MIN_RATINGS:
        raters = list(present[:MIN_RATINGS])
    values, weights = zip(*RATINGS, strict=True)
    for member_id in raters:
        answered = asked_at + timedelta(minutes=rng.randrange(5, 90))
        rating = rng.choices(values, weights)[0]
        await feedback.rate(meeting_id, member_id, rating, answered)
        await feedback.complete(meeting_id, member_id, answered)
    delivered = asked_at + 6 * timedelta(hours=1)
    async with feedback.transaction() as tx:
        ids = next_batch(await feedback.ready(meeting_id, delivered, tx=tx))
        if ids:
            await feedback.mark_delivered(ids, delivered, tx=tx)
