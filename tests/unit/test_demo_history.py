"""The sandbox's made-up history: the same every time, loaded once, and enough of it for
/progress and /impact to show what they do (bot/sandbox/demo_history.py)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from bot.clock import ControllableClock
from bot.domain.alias import check_alias
from bot.domain.impact import K_MIN, Period, impact
from bot.domain.member import Member
from bot.sandbox.demo import DEMO_GROUPS, PERSONAS, load_demo_data
from bot.sandbox.demo_history import MADE_UP_IDS, MADE_UP_PEOPLE, PERSONA_HISTORIES
from bot.services.moods import progress
from bot.storage.database import Database
from bot.storage.groups import GroupRepository
from bot.storage.impact import ImpactRepository
from bot.storage.members import MemberRepository
from bot.storage.moods import MoodRepository

START = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
# Every table the history writes to, for comparing two loads row by row.
TABLES = (
    "members",
    "group_members",
    "meetings",
    "seats",
    "attendance",
    "trial_outcomes",
    "questionnaires",
    "moods",
    "meeting_feedback",
    # bot/sandbox/demo_peers.py
    "buddy_optins",
    "buddy_pairings",
    "buddy_messages",
    "reports",
    "relay_suspensions",
    "audit_log",
    "questions",
    "outbox",
)


def test_made_up_people_are_clearly_fake_and_no_persona() -> None:
    persona_ids = {p.user_id for p in PERSONAS}
    for person in MADE_UP_PEOPLE:
        assert person.alias.startswith("Demo Anggota ") and check_alias(person.alias) is None
        assert "(demo)" in person.first_name
        assert person.telegram_id > MADE_UP_IDS and person.telegram_id not in persona_ids


async def _load(path: Path, times: int = 1) -> Database:
    db = Database(path)
    for _ in range(times):
        await load_demo_data(db, ControllableClock(START))
    return db


def _rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(path) as conn:
        return {
            table: conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall() for table in TABLES
        }


async def test_the_history_is_the_same_every_time_and_loaded_once(tmp_path: Path) -> None:
    await (await _load(tmp_path / "once.sqlite3")).close()
    await (await _load(tmp_path / "twice.sqlite3", times=2)).close()
    once, twice = _rows(tmp_path / "once.sqlite3"), _rows(tmp_path / "twice.sqlite3")
    assert once == twice
    assert len(once["moods"]) > 0 and len(once["meeting_feedback"]) > 0


async def test_every_group_has_the_members_its_demo_entry_counts(tmp_path: Path) -> None:
    db = await _load(tmp_path / "demo.sqlite3")
    by_name = {s.group.name: s for s in await GroupRepository(db).list_all()}
    await db.close()
    for demo in DEMO_GROUPS:
        assert by_name[demo.group.name].member_count == demo.member_count


async def test_the_personas_progress_charts_can_be_drawn(tmp_path: Path) -> None:
    db = await _load(tmp_path / "demo.sqlite3")
    members, moods = MemberRepository(db), MoodRepository(db)
    for history in PERSONA_HISTORIES:
        member = await members.by_telegram_id(history.telegram_id)
        assert isinstance(member, Member)
        series = await progress(moods, ControllableClock(START), member)
        assert series.drawable
        assert len(series.who5) >= history.wellbeing.weeks // 2 + 1
        assert all(0 <= point.value <= 100 and point.value % 4 == 0 for point in series.who5)
        assert all(1 <= point.value <= 5 for point in series.moods)
    await db.close()


async def test_the_history_group_shows_figures_and_its_facilitators_other_group_does_not(
    tmp_path: Path,
) -> None:
    db = await _load(tmp_path / "demo.sqlite3")
    [history] = [demo for demo in DEMO_GROUPS if demo.made_up]
    [small] = [
        demo
        for demo in DEMO_GROUPS
        if demo is not history and set(demo.facilitators) & set(history.facilitators)
    ]
    by_name = {s.group.name: s.group.id for s in await GroupRepository(db).list_all()}
    repo = ImpactRepository(db)
    for period in Period:
        start = period.start(START)
        group = by_name[history.group.name]
        shown = impact((await repo.reports_data([group], start, START)).group(group), start, START)
        assert shown.members.value == history.member_count
        for figure in ("attendance_rate", "checkin_rate", "who5_baseline", "mean_rating"):
            assert getattr(shown, figure).shown, (period, figure)
        assert not shown.trial_signups.shown  # three trial guests: fewer than K_MIN
        data = await repo.reports_data([by_name[small.group.name]], start, START)
        hidden = impact(data.whole, start, START)
        assert small.member_count < K_MIN and not hidden.anything_shown
    await db.close()
