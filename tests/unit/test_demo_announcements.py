"""The sandbox's past announcement: Sari's report is there for /broadcasts, nothing of it is
sent at the start, and a reused database gets it once (bot/sandbox/demo_announcements.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.clock import ControllableClock
from bot.domain.broadcasts import COPY_KIND, REPORT_KIND, Audience, Progress
from bot.sandbox.demo import DEMO_GROUPS, load_demo_data
from bot.sandbox.demo_announcements import SENT
from bot.storage.broadcasts import BroadcastRepository
from bot.storage.database import Database
from bot.storage.groups import GroupRepository
from bot.storage.members import MemberRepository
from bot.storage.outbox import OutboxRepository

START = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
[HISTORY_GROUP] = [demo for demo in DEMO_GROUPS if demo.made_up]


async def test_the_facilitator_has_one_finished_announcement_and_nothing_is_sent(
    tmp_path: Path,
) -> None:
    db = Database(tmp_path / "demo.sqlite3")
    clock = ControllableClock(START)
    await load_demo_data(db, clock)
    await load_demo_data(db, clock)  # a reused --database
    [facilitator_id] = HISTORY_GROUP.facilitators
    author = await MemberRepository(db).by_telegram_id(facilitator_id)
    assert author is not None
    broadcasts = BroadcastRepository(db)
    [sent] = await broadcasts.recent(None, 10)
    group = await GroupRepository(db).get(sent.group_id or 0)
    assert group is not None and group.name == HISTORY_GROUP.group.name
    assert (sent.author_id, sent.audience, sent.created_at) == (
        author.id,
        Audience.GROUP,
        START - SENT,
    )
    # Everyone in the group but its facilitator received it.
    assert sent.recipients == HISTORY_GROUP.member_count
    assert sent.report == Progress(delivered=HISTORY_GROUP.member_count)
    assert await broadcasts.running() == []
    due = await OutboxRepository(db).claim_due(START, limit=100)
    assert not {COPY_KIND, REPORT_KIND} & {message.kind for message in due}
    await db.close()
