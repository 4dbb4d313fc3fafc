"""Shared fixtures for unit tests that need a real SQLite database (and the repositories and
clock that use cases take)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import ControllableClock
from bot.domain.alias import alias_key
from bot.domain.groups import Group, GroupFormat, NewGroup
from bot.domain.member import Member, NewMember
from bot.storage.buddies import BuddyRepository
from bot.storage.database import Database
from bot.storage.feedback import FeedbackRepository
from bot.storage.groups import GroupRepository
from bot.storage.meetings import MeetingRepository
from bot.storage.members import MemberRepository
from bot.storage.moderation import ModerationRepository
from bot.storage.moods import MoodRepository
from bot.storage.outbox import OutboxRepository
from bot.storage.questionnaires import QuestionnaireRepository
from bot.storage.questions import QuestionRepository
from bot.storage.roles import RoleRepository
from bot.storage.safety import SafetyRepository
from bot.storage.time_polls import TimePollRepository


@pytest.fixture
async def make_db() -> AsyncIterator[Callable[[Path], Database]]:
    """Builds Databases and closes them all at teardown, even when the test failed: an open
    aiosqlite connection's thread would keep the test process from exiting."""
    made: list[Database] = []

    def make(path: Path) -> Database:
        made.append(Database(path))
        return made[-1]

    yield make
    for database in made:
        await database.close()


@pytest.fixture
def db(make_db: Callable[[Path], Database], tmp_path: Path) -> Database:
    """A fresh database file (in a not-yet-existing folder, which it creates on first use)."""
    return make_db(tmp_path / "data" / "rangkul.sqlite3")


@dataclass
class Network:
    """Repositories on one real database file and a clock: what use cases take."""

    db: Database
    clock: ControllableClock
    members: MemberRepository = field(init=False)
    groups: GroupRepository = field(init=False)
    meetings: MeetingRepository = field(init=False)
    outbox: OutboxRepository = field(init=False)
    roles: RoleRepository = field(init=False)
    safety: SafetyRepository = field(init=False)
    buddies: BuddyRepository = field(init=False)
    time_polls: TimePollRepository = field(init=False)
    feedback: FeedbackRepository = field(init=False)
    questions: QuestionRepository = field(init=False)
    moderation: ModerationRepository = field(init=False)
    moods: MoodRepository = field(init=False)
    questionnaires: QuestionnaireRepository = field(init=False)

    def __post_init__(self) -> None:
        self.members = MemberRepository(self.db)
        self.groups = GroupRepository(self.db)
        self.meetings = MeetingRepository(self.db)
        self.outbox = OutboxRepository(self.db)
        self.roles = RoleRepository(self.db)
        self.safety = SafetyRepository(self.db)
        self.buddies = BuddyRepository(self.db)
        self.time_polls = TimePollRepository(self.db)
        self.feedback = FeedbackRepository(self.db)
        self.questions = QuestionRepository(self.db)
        self.moderation = ModerationRepository(self.db)
        self.moods = MoodRepository(self.db)
        self.questionnaires = QuestionnaireRepository(self.db)

    async def person(self, telegram_id: int) -> Member:
        alias = f"Melati {telegram_id}"
        now = self.clock.now()
        return await self.members.create(
            NewMember(
                telegram_id=telegram_id,
                alias=alias,
                alias_key=alias_key(alias),
                language="en",
                timezone="Asia/Makassar",
                province=None,
                topics=(),
                consent_version=1,
                consent_at=now,
                adult_confirmed_at=now,
                created_at=now,
            )
        )

    async def group(
        self,
        *,
        members: tuple[Member, ...] = (),
        facilitators: tuple[Member, ...] = (),
        max_members: int = 10,
        trial_seats: int = 1,
    ) -> Group:
        group = await self.groups.create(
            NewGroup(
                name="Teman Cerita Makassar",
                description="A warm peer group for people living with anxiety.",
                format=GroupFormat.IN_PERSON,
                province="sulsel",
                city="Makassar",
                languages=("id", "en"),
                timezone="Asia/Makassar",
                max_members=max_members,
                offers_trials=trial_seats > 0,
                trial_seats=trial_seats,
                topics=("anxiety",),
            ),
            self.clock.now(),
        )
        for member in members:
            assert await self.groups.add_member(group.id, member.id, self.clock.now())
        for facilitator in facilitators:
            await self.groups.add_facilitator(group.id, facilitator.id, self.clock.now())
        return group

    async def rows(self, sql: str, *params: object) -> list[tuple]:
        conn = await self.db.connection()
        async with conn.execute(sql, params) as cursor:
            return [tuple(row) for row in await cursor.fetchall()]


# Tuesday 1 December 2026, 10:00 in Makassar.
NETWORK_START = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
def network(db: Database) -> Network:
    return Network(db, ControllableClock(NETWORK_START))
