"""The layered privacy notice: a summary where people agree, the full notice on request, asked
again when its version changes, and complete (every table about members has its line)."""

from __future__ import annotations

import re
import sqlite3
from datetime import timedelta

from bot.domain.messages import PlannedMessage
from bot.domain.retention import RETENTION, DataCategory, rule_for
from bot.jobs.retention import JOB_NAME
from bot.services.container import NOTICE_VERSION
from bot.ui.privacy_notice import CATEGORY_TEXTS
from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers import rows
from tests.journeys.helpers.onboarding import onboard_in_english
from tests.journeys.helpers.schema import member_columns

CHANGED = "privacy notice has changed"
SUMMARY = "the short version"
FULL = "Read the full notice"
NO_CONTACT = "has not published a privacy contact"


def texts(messages) -> str:
    return "\n".join(message.text or "" for message in messages)


def title_of(category: DataCategory) -> str:
    """The bold name a category's line starts with, e.g. "Your profile"."""
    found = re.match(r"<b>(.+?)</b>", CATEGORY_TEXTS[category])
    assert found is not None, category
    return found.group(1)


async def a_member_of_version_1(world: BotWorld, user_id: int, name: str) -> Person:
    """Someone who joined under notice version 1, and the bot now runs the current one."""
    assert world.notice_version == 1 < NOTICE_VERSION
    person = world.person(user_id, name, "en")
    await onboard_in_english(person)
    await world.restart(notice_version=NOTICE_VERSION)
    return person


async def test_a_member_of_version_1_reads_the_full_notice_agrees_and_carries_on(
    world: BotWorld,
) -> None:
    putri = await a_member_of_version_1(world, 301, "Putri")

    [prompt] = await putri.send("/mygroups")
    assert CHANGED in prompt.text and SUMMARY in prompt.text
    assert putri.buttons() == ["I agree", "Not now", "📄 Read the full notice"]

    full = await putri.press(FULL)
    assert len(full) == 7  # six sections, then the question with its answers
    assert f"version {NOTICE_VERSION}" in full[0].text
    assert "version 1 of the privacy notice" in full[-1].text
    assert putri.buttons() == ["I agree", "Not now", "📄 Read the full notice"]
    [summary] = [m for m in world.emulator.bot_messages(301) if m.message_id == prompt.message_id]
    assert summary.text == prompt.text and summary.reply_markup  # left as it was

    await putri.press("I agree")
    assert "What would you like to do?" in putri.last.text
    await putri.send("/mygroups")
    assert CHANGED not in putri.last.text
    assert rows(world, "SELECT notice_version FROM consents ORDER BY id") == [
        (1,),
        (NOTICE_VERSION,),
    ]


async def test_a_member_of_version_1_may_decline_and_is_asked_again(world: BotWorld) -> None:
    sari = await a_member_of_version_1(world, 302, "Sari")
    await sari.send("/menu")

    await sari.press("Not now")
    assert "Until you agree" in sari.last.text
    await sari.send("/mydata")  # their rights never wait for consent
    assert sari.last.kind == "document"
    await sari.send("/mymeetings")
    assert CHANGED in sari.last.text
    assert rows(world, "SELECT notice_version FROM consents") == [(1,)]


async def test_joining_shows_the_summary_and_the_full_notice_on_request(world: BotWorld) -> None:
    dewi = world.person(303, "Dewi", "en")
    await dewi.send("/start")
    await dewi.press("English")
    await dewi.press("Continue")
    await dewi.press("Yes, I'm 18 or older")
    assert SUMMARY in dewi.last.text and NO_CONTACT in dewi.last.text

    full = await dewi.press(FULL)
    assert "Do you agree" in full[-1].text
    assert rows(world, "SELECT * FROM members") == []  # reading stores nothing
    await dewi.press("I agree")
    assert "alias" in dewi.last.text and dewi.buttons()[0] == "Use this alias"


async def test_the_full_notice_has_a_line_for_every_table_about_members(world: BotWorld) -> None:
    oki = world.person(304, "Oki", "en")
    await onboard_in_english(oki)

    notice = texts(await oki.send("/privacy"))

    with sqlite3.connect(world.db_path) as db:
        about_members = {table for table, _ in member_columns(db)}
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    in_notice = {table for rule in RETENTION for table in rule.tables}
    missing = about_members - in_notice
    assert not missing, f"add these to a rule of bot/domain/retention.py and the notice: {missing}"
    assert in_notice <= tables, "a retention rule names a table that no longer exists"
    for category in DataCategory:
        assert title_of(category) in notice, category


async def test_the_privacy_contact_is_in_both_layers_when_set(world: BotWorld) -> None:
    await world.restart(privacy_contact="privasi@contoh.org")
    lina = world.person(305, "Lina", "en")
    await lina.send("/start")
    await lina.press("English")
    await lina.press("Continue")
    await lina.press("Yes, I'm 18 or older")
    assert "privasi@contoh.org" in lina.last.text and NO_CONTACT not in lina.last.text

    notice = texts(await lina.send("/privacy"))
    assert "privasi@contoh.org" in notice and NO_CONTACT not in notice


async def test_the_daily_purge_job_deletes_an_old_sent_message_and_keeps_a_fresh_one(
    world: BotWorld,
) -> None:
    mira = world.person(306, "Mira", "en")
    await onboard_in_english(mira)
    services = world.app.bot_data["services"]
    member = await services.members.by_telegram_id(306)

    async def a_sent_message(key: str) -> None:
        now = world.clock.now()
        async with services.outbox.transaction() as tx:
            note = PlannedMessage(member_id=member.id, kind="note", not_before=now, dedupe_key=key)
            await services.outbox.enqueue([note], now=now, tx=tx)
        [claimed] = await services.outbox.claim_due(now, 1)
        await services.outbox.mark_sent(claimed.id, now)

    await a_sent_message("old")
    world.clock.advance(timedelta(days=1))
    await a_sent_message("fresh")
    keep_for = rule_for(DataCategory.MESSAGES).keep_for
    world.clock.advance(keep_for - timedelta(days=1))

    [job] = world.app.job_queue.get_jobs_by_name(JOB_NAME)
    await job.run(world.app)

    assert rows(world, "SELECT dedupe_key FROM outbox") == [("fresh",)]
