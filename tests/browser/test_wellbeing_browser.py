"""Moods, check-ins, progress and impact in the sandbox's web chat, on the demo history.

River (English) has twelve weeks of moods and WHO-5 check-ins, Melati (Indonesian) a few; the
demo group "Demo Pulih Bersama Online" has twelve weeks of meetings with made-up members, so its
facilitator Sari sees real figures and a chart in /impact, and "kurang dari 5" ("fewer than
5") for her small Makassar group. The demo data behind this is in bot/sandbox/demo_history.py.
"""

from __future__ import annotations

import pytest

from bot.sandbox.demo import DEMO_GROUPS, DEMO_TRIAL
from tests.browser.helpers import FACILITATOR_ID, MEMBER_EN, MEMBER_MAKASSAR, ChatPage

playwright_api = pytest.importorskip("playwright.async_api", reason="Playwright is not installed")
expect = playwright_api.expect

pytestmark = pytest.mark.asyncio(loop_scope="module")

[HISTORY_GROUP] = [demo for demo in DEMO_GROUPS if demo.made_up]
[SMALL_GROUP] = [
    demo
    for demo in DEMO_GROUPS
    if demo is not HISTORY_GROUP and FACILITATOR_ID.user_id in demo.facilitators
]


async def test_river_records_a_mood_and_sees_it_next_to_the_past_week(chat: ChatPage) -> None:
    await chat.be(MEMBER_EN)
    await chat.send("/mood")
    await chat.expect_bot("How are you feeling today?")
    await chat.press("Okay")
    await chat.expect_bot("Saved: 😐 Okay.", "Did any of these play a part?")
    await chat.press("Sleep")
    await chat.press("Hope")
    await chat.press("Done")
    await chat.expect_bot("Only you will ever see your note.")
    await chat.press("Skip")
    # Twelve weeks of demo moods: today is compared with River's past week.
    await chat.expect_bot("Thank you for checking in.", "your past week")
    await chat.screenshot("mood-comparison")


async def test_river_sees_twelve_weeks_of_progress_as_a_chart(chat: ChatPage) -> None:
    await chat.be(MEMBER_EN)
    await chat.send("/progress")
    await chat.expect_bot_photo(
        "My progress: the last 12 weeks", "Well-being (WHO-5):", "of 100", "Mood (1-5):"
    )
    await chat.screenshot("progress-chart")


async def test_melati_sees_her_progress_in_indonesian(chat: ChatPage) -> None:
    await chat.be(MEMBER_MAKASSAR)
    await chat.send("/progress")
    await chat.expect_bot_photo("Perkembanganmu: 12 minggu terakhir", "dari 100")
    await chat.screenshot("progress-chart-id")


async def test_river_checks_in_stops_halfway_and_finishes_later(chat: ChatPage) -> None:
    await chat.be(MEMBER_EN)
    await chat.send("/checkin")
    await chat.expect_bot("Question 1 of 8", "I have felt cheerful and in good spirits")
    await chat.screenshot("checkin-question")
    await chat.press("Most of the time")
    await chat.expect_bot("Question 2 of 8")
    await chat.press("Skip this one")
    await chat.expect_bot("Question 3 of 8")
    await chat.press("Continue later")
    await chat.expect_bot("your answers so far are saved")

    await chat.send("/checkin")
    await chat.expect_bot("Question 3 of 8")
    for _ in range(3):  # the rest of the WHO-5
        await chat.press("More than half of the time")
    await chat.expect_bot("Question 6 of 8", "I have felt connected to other people")
    for _ in range(3):  # Rangkul's own quality-of-life items
        await chat.press("Mostly")
    # River's demo baseline is twelve weeks old: the result is compared with it.
    await chat.expect_bot("Your wellbeing score is", "out of 100", "starting point")
    await chat.screenshot("checkin-result")


async def test_facilitator_sees_impact_figures_a_chart_and_fewer_than_5(chat: ChatPage) -> None:
    await chat.be(FACILITATOR_ID)  # Sari speaks Indonesian
    await chat.send("/impact")
    await chat.expect_bot("Laporan dampak")
    await chat.press("3 bulan terakhir")
    report = chat.page.locator("#messages .from-bot", has_text="Rata-rata nilai pertemuan").last
    await expect(report).to_contain_text(f"{HISTORY_GROUP.group.name}")
    await expect(report).to_contain_text(f"Anggota: {HISTORY_GROUP.member_count}")
    await expect(report).to_contain_text(SMALL_GROUP.group.name)
    await expect(report).to_contain_text("Anggota: kurang dari 5")
    await chat.expect_bot_photo("WHO-5")
    await report.evaluate("node => node.scrollIntoView({block: 'start'})")
    await chat.screenshot("impact-report")
    await chat.last_bot.evaluate("node => node.scrollIntoView({block: 'end'})")
    await chat.screenshot("impact-chart")


async def test_river_rates_the_trial_meeting_after_it(chat: ChatPage) -> None:
    # Last in this module: it moves the sandbox clock past River's trial meeting (DEMO_TRIAL).
    await chat.be(MEMBER_EN)
    await chat.fast_forward("day")
    for _ in range(5):  # the meeting (90 minutes) ends; the question comes an hour later
        await chat.fast_forward("hour")
    question = chat.page.locator("#messages .from-bot", has_text="How helpful was today's meeting")
    await expect(question).to_have_count(1)
    await expect(question).to_contain_text(DEMO_TRIAL[1])
    await question.evaluate("node => node.scrollIntoView({block: 'end'})")
    await chat.screenshot("feedback-question")
    # The question is answered in place (its text changes), and the question to the trial guest
    # ("join this group?") may come after it: follow this message by its id.
    message_id = await question.get_attribute("data-message-id")
    answered = chat.page.locator(f'#messages .from-bot[data-message-id="{message_id}"]')
    await chat.press("4", exact=True)
    await expect(answered).to_contain_text("You chose ★★★★☆ (4/5)")
    await chat.press("Skip")
    await expect(answered).to_contain_text("Thank you for your answer")
