"""Buddies, anonymous questions, reports and the moderation log in the sandbox's web chat.

The demo data (bot/sandbox/demo_peers.py) makes River and "Demo Anggota 01" buddies in "Demo
Pulih Bersama Online", leaves a report there open for its facilitator Sari (who speaks
Indonesian), and logs two actions she took earlier, for the coordinator's /audit. River's
question goes to Tom (English), the facilitator of the group where River holds a trial seat.
"""

from __future__ import annotations

import re

import pytest

from bot.sandbox.demo import DEMO_GROUPS, DEMO_TRIAL
from bot.sandbox.demo_peers import DEMO_PAIRS, DEMO_QUESTION
from tests.browser.helpers import COORDINATOR, FACILITATOR_EN, FACILITATOR_ID, MEMBER_EN, ChatPage

playwright_api = pytest.importorskip("playwright.async_api", reason="Playwright is not installed")
expect = playwright_api.expect

pytestmark = pytest.mark.asyncio(loop_scope="module")

[HISTORY_GROUP] = [demo for demo in DEMO_GROUPS if demo.made_up]
BUDDY = "Demo Anggota 01"
# The message in the open report (the pair with a report nobody has acted on yet).
[REPORTED] = [p.messages[-1].text for p in DEMO_PAIRS if p.report and p.report.action is None]
# What the bot sends on its own initiative (a question, an answer) comes with the outbox's next
# heartbeat, every 5 seconds of real time (bot.jobs.dispatcher).
OUTBOX_MS = 15_000


async def test_river_writes_to_his_buddy_and_a_phone_number_is_held_back(chat: ChatPage) -> None:
    await chat.be(MEMBER_EN)
    await chat.send("/buddy")
    await chat.expect_bot("Buddies", "Which group would you like a buddy in?")
    await chat.press(HISTORY_GROUP.group.name)
    await chat.expect_bot(f"In {HISTORY_GROUP.group.name} your buddy is {BUDDY}, until")
    for label in (f"Write to {BUDDY}", "End pairing", "Report"):
        await expect(chat.last_bot.get_by_role("button", name=label)).to_be_visible()
    await chat.screenshot("buddy-card")

    await chat.press(f"Write to {BUDDY}")
    await chat.expect_bot(f"Write your message to {BUDDY}")
    await chat.send("Demo: text me on 0812 3456 7890 if you like!")
    await chat.expect_bot("I've held this message back", "a phone number")
    await chat.screenshot("buddy-held-back")
    await chat.send("Demo: Thinking of you this week. See you at the meeting!")
    await chat.expect_bot(f"This is what {BUDDY} will read", "Thinking of you this week")
    await chat.press("Send")
    await chat.expect_bot(f"Sent to {BUDDY}.")


async def test_river_asks_tom_a_question_and_reads_the_answer(chat: ChatPage) -> None:
    group = DEMO_TRIAL[1]  # River's trial seat lets him ask its facilitator, Tom
    await chat.be(MEMBER_EN)
    await chat.send("/ask")
    await chat.expect_bot("Which group's facilitators would you like to ask?")
    await chat.press(group)
    await chat.expect_bot(f"Write your question to the facilitators of {group}")
    await chat.send("Demo: Is it okay to just listen at my first meeting?")
    await chat.expect_bot("nothing else about you", "just listen at my first meeting")
    await chat.press("Send")
    await chat.expect_bot(f"Sent to the facilitators of {group} as question #")
    found = re.search(r"#(\d{4})", await chat.last_bot.inner_text())
    assert found is not None
    ticket = f"#{found.group(1)}"

    await chat.be(FACILITATOR_EN)
    question = chat.page.locator("#messages .from-bot", has_text=f"Anonymous question {ticket}")
    await expect(question).to_contain_text("just listen at my first meeting", timeout=OUTBOX_MS)
    await expect(question).not_to_contain_text(MEMBER_EN.alias or "")
    await chat.screenshot("question-to-facilitator")
    await chat.press("Answer")
    await chat.expect_bot(f"Write your answer to question {ticket}")
    await chat.send("Demo: Yes, of course. Listening is a fine way to take part.")
    await chat.expect_bot(f"Your answer to question {ticket}")
    await chat.press("Send answer")
    await chat.expect_bot(f"Your answer to question {ticket} is on its way.")

    await chat.be(MEMBER_EN)
    answer = chat.page.locator("#messages .from-bot", has_text="Listening is a fine way")
    await expect(answer).to_contain_text(
        f"A facilitator of {group} answered your question {ticket}", timeout=OUTBOX_MS
    )
    await answer.evaluate("node => node.scrollIntoView({block: 'end'})")
    await chat.screenshot("question-answered")


async def test_sari_finds_a_question_waiting_and_warns_on_the_open_report(chat: ChatPage) -> None:
    await chat.be(FACILITATOR_ID)  # Sari speaks Indonesian
    # The demo's made-up question reached her through the outbox after the start.
    waiting = chat.page.locator("#messages .from-bot", has_text=DEMO_QUESTION[2][:40])
    await expect(waiting).to_have_count(1)
    await chat.send("/reports")
    listed = chat.page.locator("#messages .from-bot", has_text="Laporan terbuka di kelompokmu: 1")
    await expect(listed).to_have_count(1)
    await chat.expect_bot(
        f"Laporan di {HISTORY_GROUP.group.name}", "Demo Anggota 03", REPORTED.removeprefix("Demo: ")
    )
    await chat.screenshot("reports")
    # The report is edited in place (confirmation, then handled): follow it by its id.
    message_id = await chat.last_bot.get_attribute("data-message-id")
    report = chat.page.locator(f'#messages .from-bot[data-message-id="{message_id}"]')
    await chat.press("Tegur Demo Anggota 03")
    await chat.press("Ya, lakukan")
    await expect(report).to_contain_text(
        "Sudah ditangani: Demo Fasilitator Sari menegur Demo Anggota 03"
    )
    await expect(report.get_by_role("button")).to_have_count(0)
    await chat.screenshot("report-handled")


async def test_the_coordinator_reads_the_moderation_log(chat: ChatPage) -> None:
    await chat.be(COORDINATOR)
    await chat.send("/audit")
    await chat.expect_bot(
        "Log moderasi",
        "Demo Fasilitator Sari menegur Demo Anggota 05",
        "Demo Fasilitator Sari menjeda pesan buddy Demo Anggota 07 selama 1 minggu",
        HISTORY_GROUP.group.name,
    )
    await chat.screenshot("audit")
