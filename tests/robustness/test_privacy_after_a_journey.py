"""Privacy after a full journey: a visitor signs up and books a trial; a member writes a mood
note, checks in, asks the facilitators a question, writes to a buddy and is reported by
them. Then: the logs hold none of their words, aliases or Telegram ids; /mydata and the
coordinator's /export hold no Telegram id; and after /forget no row of any table refers to the
member, by member id, Telegram id or alias.

(tests/journeys/test_privacy_and_settings.py checks /forget after a shorter journey, and the
database file and its WAL; this one adds the logs and every member column of the schema.)
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from contextlib import closing

import pytest

from tests.journeys.harness import Person
from tests.journeys.helpers.cast import ALIASES, Cast
from tests.journeys.helpers.checkin import check_in
from tests.journeys.helpers.conversation_steps import paired_with_facilitator
from tests.journeys.helpers.meetings import member_id, schedule_weekly, sign_up_for_trial
from tests.journeys.helpers.onboarding import onboard_in_english
from tests.journeys.helpers.schema import member_columns

WORDS = {
    "mood note": "Catatan rahasia tentang ibuku",
    "question": "Pertanyaan rahasia soal obat tidur",
    "buddy message": "Pesan rahasia untuk teman buddy",
}
VISITOR_ALIAS = "Tamu Rahasia"


async def a_full_journey(cast: Cast) -> None:
    world, member = cast.world, cast.member
    await schedule_weekly(cast.facilitator, online=True)
    await onboard_in_english(cast.visitor, alias=VISITOR_ALIAS)
    await sign_up_for_trial(cast.visitor)

    await member.send("/mood")
    await member.press("Okay")
    await member.press("Done")
    await member.press("Add a note")
    await member.send(WORDS["mood note"])
    await check_in(member)
    await member.send("/ask")
    await member.send(WORDS["question"])
    await member.press("Send")

    await paired_with_facilitator(cast, member)
    await member.press("Write to")
    await member.send(WORDS["buddy message"])
    await member.press("Send")
    await world.tick()
    await cast.facilitator.press("Report")
    await cast.facilitator.press("Pressure to move off the bot")
    await world.tick()


def telegram_ids(cast: Cast) -> list[int]:
    return [cast.role(role).user_id for role in ("visitor", "member", "facilitator")] + [
        cast.other_facilitator.user_id,
        cast.coordinator.user_id,
    ]


def assert_no_telegram_id(cast: Cast, text: str) -> None:
    for user_id in telegram_ids(cast):
        assert not re.search(rf"\b{user_id}\b", text), user_id


async def test_logs_and_exports_hold_nothing_that_identifies_anyone(
    cast: Cast, caplog: pytest.LogCaptureFixture
) -> None:
    # As `rangkul run` logs with LOG_LEVEL=DEBUG (bot/__main__.py): our modules at DEBUG,
    # the libraries that would log texts and ids (PTB, aiosqlite, httpcore) at INFO.
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="bot")
    await a_full_journey(cast)
    delivered = [m.text or "" for m in cast.world.emulator.bot_messages(cast.facilitator.user_id)]
    assert any(WORDS["buddy message"] in text for text in delivered)  # the words went around

    logged = "\n".join(record.getMessage() for record in caplog.records)
    for words in (*WORDS.values(), *ALIASES, VISITOR_ALIAS):
        assert words not in logged, words
    assert_no_telegram_id(cast, logged)

    for person in (cast.member, cast.visitor):
        await person.send("/mydata")
        assert person.last.kind == "document"
        exported = person.last.file_bytes.decode()
        json.loads(exported)
        assert_no_telegram_id(cast, exported)
    await cast.coordinator.send("/export")
    [csv_file] = [
        m
        for m in cast.world.emulator.bot_messages(cast.coordinator.user_id)
        if m.kind == "document"
    ]
    assert_no_telegram_id(cast, csv_file.file_bytes.decode("utf-8-sig"))


async def forget(person: Person) -> None:
    await person.send("/forget")
    await person.press("Yes, delete everything")
    assert "has been deleted" in person.last.text


async def test_forget_leaves_no_row_that_refers_to_the_member(cast: Cast) -> None:
    world, member = cast.world, cast.member
    await a_full_journey(cast)
    gone = await member_id(world, member)
    with closing(sqlite3.connect(world.db_path)) as db:
        referring = {
            table
            for table, column in member_columns(db)
            if db.execute(f"SELECT 1 FROM {table} WHERE {column} = ?", (gone,)).fetchone()
        }
    # The journey left something to delete in each kind of place.
    assert {"moods", "questionnaires", "questions", "buddy_messages", "reports"} <= referring
    await forget(member)
    await world.app.update_persistence()

    with closing(sqlite3.connect(world.db_path)) as db:
        for table, column in sorted(member_columns(db)):
            found = db.execute(f"SELECT count(*) FROM {table} WHERE {column} = ?", (gone,))
            assert found.fetchone() == (0,), (table, column)
        assert db.execute("SELECT count(*) FROM members WHERE id = ?", (gone,)).fetchone() == (0,)
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            for row in db.execute(f"SELECT * FROM {table}"):
                for value in row:
                    assert value != member.user_id, (table, row)
                    if isinstance(value, str):
                        assert ALIASES[0] not in value, (table, row)
                        assert not re.search(rf"\b{member.user_id}\b", value), (table, row)
                        assert not any(words in value for words in WORDS.values()), (table, row)
