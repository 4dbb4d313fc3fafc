"""The sandbox's demo people: clearly fake personas and the rows that make some of them members.

Every name says "demo", every Telegram id is in a range no real account is expected to use, and
nothing here is meant for a real database. Weeks of made-up history (moods, check-ins, held
meetings and their ratings) come from bot.sandbox.demo_history; buddies, reports, the audit log
and an anonymous question from bot.sandbox.demo_peers; a past announcement and its report from
bot.sandbox.demo_announcements.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain.alias import alias_key
from bot.domain.groups import GroupFormat, NewGroup
from bot.domain.meetings import NewMeeting
from bot.domain.member import AliasTaken, MemberExists, NewMember
from bot.domain.regions import WIB, province_by_code, timezone_for
from bot.domain.safety import PlanSection
from bot.sandbox.demo_announcements import load_past_announcement
from bot.sandbox.demo_history import (
    MADE_UP_PEOPLE,
    MadeUpPerson,
    load_group_history,
    load_persona_histories,
)
from bot.sandbox.demo_peers import load_peer_support
from bot.services.container import NOTICE_VERSION
from bot.services.meetings import schedule
from bot.services.seats import sign_up_for_trial
from bot.storage.database import Database
from bot.storage.groups import GroupRepository
from bot.storage.meetings import MeetingRepository
from bot.storage.members import MemberRepository
from bot.storage.outbox import OutboxRepository
from bot.storage.safety import SafetyRepository

# Demo people agreed to the notice the sandbox's bot runs with (build_application's default):
# they are made-up personas for trying features, and a consent prompt on every persona switch
# would only hide the feature being tried. A visitor persona shows the notice when joining.
DEMO_NOTICE_VERSION = NOTICE_VERSION


@dataclass(frozen=True, slots=True)
class Persona:
    """Someone the sandbox user can "be": one Telegram account in the emulator."""

    user_id: int
    first_name: str  # the Telegram profile name, never shown to other members
    # "coordinator", "facilitator", "member" or "visitor": the label the persona switcher
    # shows. The coordinator is one through ADMIN_IDS; facilitators and members get their
    # roles from DEMO_GROUPS.
    role: str
    language: str
    alias: str | None = None  # None: a visitor, not registered
    province: str | None = None
    topics: tuple[str, ...] = ()

    @property
    def timezone(self) -> str:
        province = province_by_code(self.province) if self.province else None
        return province.timezone if province else WIB


PERSONAS: tuple[Persona, ...] = (
    Persona(
        user_id=9_900_001,
        first_name="Koordinator (demo)",
        role="coordinator",
        language="id",
        alias="Demo Koordinator",
        province="jkt",
        topics=("depression", "anxiety"),
    ),
    Persona(
        user_id=9_900_002,
        first_name="Fasilitator Sari (demo)",
        role="facilitator",
        language="id",
        alias="Demo Fasilitator Sari",
        province="sulsel",  # Makassar time (WITA)
        topics=("bipolar",),
    ),
    Persona(
        user_id=9_900_003,
        first_name="Facilitator Tom (demo)",
        role="facilitator",
        language="en",
        alias="Demo Facilitator Tom",
        province="bali",
        topics=("trauma",),
    ),
    Persona(
        user_id=9_900_004,
        first_name="Anggota Melati (demo)",
        role="member",
        language="id",
        alias="Demo Anggota Melati",
        province="sulsel",
        topics=("anxiety",),
    ),
    Persona(
        user_id=9_900_005,
        first_name="Member River (demo)",
        role="member",
        language="en",
        alias="Demo Member River",
        province="papua",  # Jayapura time (WIT)
        topics=("depression", "caregivers"),
    ),
    Persona(
        user_id=9_900_006,
        first_name="Anggota Bayu (demo)",
        role="member",
        language="id",
        alias="Demo Anggota Bayu",
        province=None,  # online meetings only
        topics=("addiction",),
    ),
    Persona(user_id=9_900_007, first_name="Pengunjung Baru (demo)", role="visitor", language="id"),
    Persona(user_id=9_900_008, first_name="New Visitor (demo)", role="visitor", language="en"),
)


@dataclass(frozen=True, slots=True)
class DemoGroup:
    """A made-up group, with the personas (by Telegram id) who facilitate it and belong to it."""

    group: NewGroup
    facilitators: tuple[int, ...] = ()
    members: tuple[int, ...] = ()
    # Made-up people (not personas) with weeks of history: members, and trial guests who may
    # have joined since (bot.sandbox.demo_history).
    made_up: tuple[MadeUpPerson, ...] = ()

    @property
    def member_count(self) -> int:
        """How many members the group has once the demo data is loaded."""
        return len(self.members) + sum(person.is_member for person in self.made_up)


def _demo_group(
    name: str,
    descriptions: dict[str, str],
    province: str | None,
    city: str | None,
    topics: tuple[str, ...],
    *,
    languages: tuple[str, ...] = ("id",),
    hybrid: bool = False,
    trial_seats: int = 2,
) -> NewGroup:
    # A group has one description, written by the people who run it: in the language(s) the
    # group meets in, Indonesian first. A card then tells a reader which language to expect, as
    # a real group's would (an English description on an Indonesian-only group misleads).
    description = "\n\n".join(descriptions[language] for language in languages)
    if province is None:
        group_format = GroupFormat.ONLINE
    else:
        group_format = GroupFormat.HYBRID if hybrid else GroupFormat.IN_PERSON
    return NewGroup(
        name=name,
        description=description,
        format=group_format,
        province=province,
        city=city,
        languages=languages,
        timezone=timezone_for(province, WIB),
        max_members=12,
        offers_trials=True,
        trial_seats=trial_seats,
        topics=topics,
    )


DEMO_GROUPS: tuple[DemoGroup, ...] = (
    DemoGroup(
        _demo_group(
            "Demo Teman Cerita Jakarta",
            {
                "id": "Kelompok demo: lingkaran mingguan untuk teman-teman yang hidup dengan "
                "depresi atau kecemasan."
            },
            "jkt",
            "Jakarta Selatan",
            ("depression", "anxiety"),
        ),
    ),
    DemoGroup(
        _demo_group(
            "Demo Bali Trauma Circle",
            {
                "id": "Kelompok demo: dukungan sebaya setelah trauma, di Denpasar, dalam Bahasa "
                "Indonesia dan Inggris.",
                "en": "Demo group: peer support after trauma, in Denpasar, in Indonesian and "
                "English.",
            },
            "bali",
            "Denpasar",
            ("trauma",),
            languages=("id", "en"),
            hybrid=True,
        ),
        facilitators=(9_900_003,),
    ),
    DemoGroup(
        _demo_group(
            "Demo Sahabat Bipolar Makassar",
            {
                "id": "Kelompok demo: hidup dengan bipolar, berbagi apa yang membantu, setiap "
                "dua minggu."
            },
            "sulsel",
            "Makassar",
            ("bipolar", "anxiety"),
        ),
        facilitators=(9_900_002,),
        members=(9_900_004,),
    ),
    DemoGroup(
        _demo_group(
            "Demo Keluarga Jayapura",
            {
                "id": "Kelompok demo: untuk keluarga dan pendamping orang dengan kondisi "
                "kesehatan jiwa."
            },
            "papua",
            "Jayapura",
            ("caregivers", "depression"),
        ),
        members=(9_900_005,),
    ),
    # Twelve weeks of meetings, check-ins and ratings with made-up members: /impact as Sari
    # shows its figures and chart, and "fewer than 5" for her small Makassar group.
    DemoGroup(
        _demo_group(
            "Demo Pulih Bersama Online",
            {
                "id": "Kelompok demo: lingkaran pemulihan adiksi secara daring, terbuka untuk "
                "seluruh Indonesia."
            },
            None,
            None,
            ("addiction",),
        ),
        facilitators=(9_900_002,),
        members=(9_900_006, 9_900_005),
        made_up=MADE_UP_PEOPLE,
    ),
    # Meets just over a day after the sandbox starts (see DEMO_MEETINGS), so its reminders show
    # with "+1 day" and "+1 hour"; seats for River's trial and both visitors'.
    DemoGroup(
        _demo_group(
            "Demo Ruang Tenang Online",
            {
                "id": "Kelompok demo: lingkaran daring mingguan untuk kecemasan dan perasaan yang "
                "sedang murung, dalam dua bahasa.",
                "en": "Demo group: a weekly online circle for anxiety and low mood, in both "
                "languages.",
            },
            None,
            None,
            ("anxiety", "depression"),
            languages=("id", "en"),
            trial_seats=4,
        ),
        facilitators=(9_900_003,),
        members=(9_900_006,),
    ),
)


def coordinator_ids(personas: tuple[Persona, ...] = PERSONAS) -> frozenset[int]:
    """The Telegram ids that go into Settings.admin_ids."""
    return frozenset(p.user_id for p in personas if p.role == "coordinator")


async def load_demo_data(db: Database, clock: Clock) -> None:
    """Registers every persona that has an alias; a second run on the same database is a no-op."""
    members = MemberRepository(db)
    now = clock.now()
    for persona in PERSONAS:
        if persona.alias is None:
            continue
        new = NewMember(
            telegram_id=persona.user_id,
            alias=persona.alias,
            alias_key=alias_key(persona.alias),
            language=persona.language,
            timezone=persona.timezone,
            province=persona.province,
            topics=persona.topics,
            # Consent as given by a made-up person on the day the sandbox started.
            consent_version=DEMO_NOTICE_VERSION,
            consent_at=now,
            adult_confirmed_at=now,
            created_at=now,
        )
        try:
            await members.create(new)
        except (MemberExists, AliasTaken):
            continue  # a --database reused from an earlier run already has them
    await _load_demo_groups(db, clock)
    await _load_demo_safety_plan(db, clock)
    await load_persona_histories(db, clock)
    for demo in DEMO_GROUPS:
        if demo.made_up and demo.facilitators:
            name, facilitator = demo.group.name, demo.facilitators[0]
            await load_group_history(db, clock, name, facilitator, demo.made_up)
            await load_peer_support(db, clock, name, facilitator, coordinator_ids())
            await load_past_announcement(db, clock, name, facilitator)


async def _load_demo_groups(db: Database, clock: Clock) -> None:
    """The demo groups with their facilitators and members (skipped if already there)."""
    groups, members, now = GroupRepository(db), MemberRepository(db), clock.now()
    existing = {summary.group.name for summary in await groups.list_all()}
    for demo in DEMO_GROUPS:
        if demo.group.name in existing:
            continue
        group = await groups.create(demo.group, now)
        for telegram_id in demo.facilitators:
            member = await members.by_telegram_id(telegram_id)
            if member is not None:
                await groups.add_facilitator(group.id, member.id, now)
        for telegram_id in demo.members:
            member = await members.by_telegram_id(telegram_id)
            if member is not None:
                await groups.add_member(group.id, member.id, now)
    await _load_demo_meetings(db, clock)


@dataclass(frozen=True, slots=True)
class DemoMeeting:
    """A made-up series: ``days_ahead`` days from the sandbox's start, at ``hour`` local time.

    ``hour=None``: at the first half hour more than ``days_ahead`` days and one hour after the
    start, whatever the time of day. With ``days_ahead=1`` the sandbox's "+1 day" then sends
    the day-before reminder and "+1 hour" the hour-before one, before the meeting begins.
    ``weeks_held``: a weekly series began that many weeks earlier; those meetings were held
    (bot.sandbox.demo_history gives them their attendance and ratings).
    """

    group_name: str
    days_ahead: int
    hour: int | None
    recurrence: str
    place: str | None = None
    join_link: str | None = None
    weeks_held: int = 0

    def first_start(self, now: datetime, timezone: str) -> datetime:
        if self.hour is None:
            earliest = now + timedelta(days=self.days_ahead, hours=1, minutes=1)
            earliest = earliest.replace(second=0, microsecond=0)
            return earliest + timedelta(minutes=-earliest.minute % 30)
        zone = ZoneInfo(timezone)
        day = now.astimezone(zone).date() + timedelta(days=self.days_ahead)
        return datetime(day.year, day.month, day.day, self.hour, tzinfo=zone)


DEMO_MEETINGS: tuple[DemoMeeting, ...] = (
    DemoMeeting("Demo Teman Cerita Jakarta", 2, 19, "weekly", place="Aula demo, Jl. Contoh 1"),
    DemoMeeting("Demo Sahabat Bipolar Makassar", 1, 19, "biweekly", place="Ruang warga demo"),
    DemoMeeting("Demo Keluarga Jayapura", 3, 16, "monthly", place="Rumah keluarga demo"),
    DemoMeeting(
        "Demo Pulih Bersama Online",
        1,
        20,
        "weekly",
        join_link="https://meet.example.org/demo-pulih-bersama",
        weeks_held=12,
    ),
    DemoMeeting(
        "Demo Ruang Tenang Online",
        1,
        None,
        "weekly",
        join_link="https://meet.example.org/demo-ruang-tenang",
    ),
)
# River (Jayapura time) holds a trial seat in a Jakarta-time group that meets just over a day
# after the start: "+1 day" and "+1 hour" bring both reminders, with the time in WIT.
DEMO_TRIAL = (9_900_005, "Demo Ruang Tenang Online")


async def _load_demo_meetings(db: Database, clock: Clock) -> None:
    """Upcoming meetings for the demo groups and one trial seat (skipped if already there)."""
    groups, meetings, outbox = GroupRepository(db), MeetingRepository(db), OutboxRepository(db)
    by_name = {summary.group.name: summary.group for summary in await groups.list_all()}
    for demo in DEMO_MEETINGS:
        group = by_name.get(demo.group_name)
        if group is None or await meetings.upcoming([group.id], clock.now(), limit=1):
            continue
        start = demo.first_start(clock.now(), group.timezone) - timedelta(weeks=demo.weeks_held)
        new = NewMeeting(group.id, start, 90, demo.recurrence, demo.place, demo.join_link, 12)
        scheduled = await schedule(meetings, groups, outbox, clock, new, None)
        telegram_id, group_name = DEMO_TRIAL
        guest = await MemberRepository(db).by_telegram_id(telegram_id)
        if scheduled and guest is not None and demo.group_name == group_name:
            await sign_up_for_trial(meetings, groups, outbox, clock, guest, scheduled[0].id)


# River's own safety plan, so /crisis as River shows the plan first (answers are made up).
DEMO_SAFETY_PLAN: tuple[int, dict[PlanSection, str]] = (
    9_900_005,
    {
        PlanSection.WARNING_SIGNS: "Demo: I stop answering messages and sleep badly for days.",
        PlanSection.CALMING: "Demo: a slow walk at dusk, my rain playlist, a warm shower.",
        PlanSection.DISTRACTIONS: "Demo: chatting with cousin Nia; the little park by the market.",
        PlanSection.HELPERS: "Demo: my sister Dewi, my friend Arif.",
        PlanSection.PROFESSIONALS: "Demo: the psychologist at my Puskesmas; Healing119.id.",
        PlanSection.ENVIRONMENT: "Demo: ask Dewi to stay over; not spending the evening alone.",
    },
)


async def _load_demo_safety_plan(db: Database, clock: Clock) -> None:
    """River's safety plan (skipped if River already has one)."""
    telegram_id, answers = DEMO_SAFETY_PLAN
    member = await MemberRepository(db).by_telegram_id(telegram_id)
    plans = SafetyRepository(db)
    if member is None or not (await plans.plan(member.id)).is_empty:
        return
    for section, answer in answers.items():
        await plans.save_answer(member.id, section, answer, clock.now())
