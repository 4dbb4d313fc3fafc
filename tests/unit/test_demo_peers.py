"""The sandbox's made-up peer support: River's buddy, reports (one open, two acted on and
logged) and an open anonymous question, with words the bot itself would have relayed
(bot/sandbox/demo_peers.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.clock import ControllableClock
from bot.domain.buddies import clean_message, is_over, prompt_week
from bot.domain.member import Member
from bot.domain.off_platform import contact_details
from bot.domain.questions import clean_text
from bot.sandbox.demo import DEMO_GROUPS, load_demo_data
from bot.sandbox.demo_peers import DEMO_PAIRS, DEMO_QUESTION, RIVER
from bot.services.buddies import buddy_groups
from bot.services.moderation import audit_page, open_reports
from bot.services.safety import screen_relay_text
from bot.storage.buddies import BuddyRepository
from bot.storage.database import Database
from bot.storage.members import MemberRepository
from bot.storage.moderation import ModerationRepository
from bot.storage.outbox import OutboxRepository
from bot.storage.questions import QuestionRepository
from bot.storage.roles import RoleRepository

START = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
[HISTORY_GROUP] = [demo for demo in DEMO_GROUPS if demo.made_up]


def test_every_demo_text_is_one_the_bot_would_relay() -> None:
    texts = [message.text for pair in DEMO_PAIRS for message in pair.messages]
    for text in texts:
        cleaned, problem, _ = clean_message(text)
        assert cleaned == text and problem is None
    question, problem, _ = clean_text(DEMO_QUESTION[2])
    assert question == DEMO_QUESTION[2] and problem is None
    for text in [*texts, DEMO_QUESTION[2]]:
        assert text.startswith("Demo: ")
        assert not contact_details(text) and screen_relay_text(text) is None


async def _loaded(path: Path) -> Database:
    db = Database(path)
    await load_demo_data(db, ControllableClock(START))
    return db


async def _member(db: Database, telegram_id: int) -> Member:
    member = await MemberRepository(db).by_telegram_id(telegram_id)
    assert member is not None
    return member


async def test_river_has_a_running_buddy_with_no_prompt_due_for_days(tmp_path: Path) -> None:
    db = await _loaded(tmp_path / "demo.sqlite3")
    river = await _member(db, RIVER)
    [paired] = [g for g in await buddy_groups(BuddyRepository(db), river) if g.pairing]
    assert paired.name == HISTORY_GROUP.group.name and paired.buddy_alias == "Demo Anggota 01"
    assert paired.pairing is not None and not is_over(paired.pairing, START)
    for hours in range(4 * 24):  # the sandbox's first days: no peer check-in prompt
        assert prompt_week(paired.pairing, START + timedelta(hours=hours)) is None
    # Nothing from the past lands in River's chat at the start.
    due = await OutboxRepository(db).claim_due(START, limit=100)
    assert river.id not in {message.member_id for message in due}
    await db.close()


async def test_the_facilitator_has_a_report_and_a_question_waiting(tmp_path: Path) -> None:
    db = await _loaded(tmp_path / "demo.sqlite3")
    [facilitator_id] = HISTORY_GROUP.facilitators
    facilitator = await _member(db, facilitator_id)
    roles, moderation = RoleRepository(db), ModerationRepository(db)
    facilitated = await roles.facilitated_group_ids(facilitator.id)
    [report] = await open_reports(moderation, facilitator, facilitated, False)
    assert report.group_name == HISTORY_GROUP.group.name and report.message_text
    asker = await _member(db, DEMO_QUESTION[0])
    assert await QuestionRepository(db).open_count(asker.id) == 1
    # Both reach the facilitator through the outbox once the sandbox runs.
    due = await OutboxRepository(db).claim_due(START, limit=100)
    kinds = {message.kind for message in due if message.member_id == facilitator.id}
    assert kinds == {"mod_report", "anon_question"}
    entries, _, _ = await audit_page(moderation, 0)
    assert [entry.actor_alias for entry in entries] == [facilitator.alias] * 2
    await db.close()
