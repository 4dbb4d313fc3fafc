"""The support-group network in the sandbox's web chat, as a newcomer would try it.

A new visitor finds an online group, books a trial session and gets its reminders when the
sandbox clock is fast-forwarded; the coordinator sees every demo group with its counts; a
facilitator sees their meetings with who is coming; the demo member with a safety plan sees it
first when asking for crisis help. The demo data behind this is in bot/sandbox/demo.py.
"""

from __future__ import annotations

import re

import pytest

from bot.sandbox.demo import DEMO_GROUPS, DEMO_SAFETY_PLAN, DEMO_TRIAL
from tests.browser.helpers import COORDINATOR, FACILITATOR_EN, MEMBER_EN, VISITOR_EN, ChatPage

playwright_api = pytest.importorskip("playwright.async_api", reason="Playwright is not installed")
expect = playwright_api.expect

pytestmark = pytest.mark.asyncio(loop_scope="module")

# The demo group that meets just over a day after the sandbox starts (River's trial is there).
SOON_GROUP = DEMO_TRIAL[1]


async def test_visitor_tries_an_online_group_and_is_reminded_a_day_and_an_hour_before(
    chat: ChatPage,
) -> None:
    await chat.be(VISITOR_EN)
    await chat.send("/start")
    for label in ("English", "Continue", "Yes, I'm 18 or older", "I agree", "Choose my own"):
        await chat.press(label)
    await chat.send("Pagi Cerah")
    await chat.expect_bot("Which province")
    await chat.press("Online only")
    await chat.press("Anxiety")
    await chat.press("Done")
    await chat.expect_bot("What would you like to do?", "Pagi Cerah")

    await chat.press("Find a group")
    await chat.expect_bot("Find a support group")
    await chat.press("Online only")
    await chat.expect_bot("I found")
    await chat.press(SOON_GROUP)
    await chat.expect_bot(SOON_GROUP, "Online", "Next meeting:", "trial seats left")
    await chat.screenshot("group-card")

    await chat.press("Try a session")
    await chat.expect_bot("Which one would you like to try?")
    first_meeting = chat.last_bot.locator(".inline-keyboard button").first
    await chat.press(await first_meeting.inner_text())
    await chat.press("Sign me up")
    await chat.expect_bot(f"You have a trial seat with {SOON_GROUP}")
    await chat.expect_bot("I'll remind you")

    # A reminder says how soon as of when it is sent (a day's jump sends the 24-hour one
    # late, so it may already say "today").
    reminder = f"Reminder: {SOON_GROUP} meets"
    await chat.fast_forward("day")
    await chat.expect_bot(reminder, "It's your trial session")
    await chat.screenshot("reminder")
    await chat.fast_forward("hour")
    await expect(chat.page.locator("#messages .from-bot", has_text=reminder)).to_have_count(2)
    await chat.expect_bot(f"{reminder} today at", "in ")


async def test_coordinator_sees_every_demo_group_with_its_counts(chat: ChatPage) -> None:
    await chat.be(COORDINATOR)
    await chat.send("/menu")
    await chat.press("Kelola kelompok")  # "Manage groups": the coordinator speaks Indonesian
    await chat.expect_bot(f"Semua kelompok ({len(DEMO_GROUPS)})")
    for demo in DEMO_GROUPS:
        await chat.expect_bot(
            f"{demo.group.name}: {demo.member_count} anggota, {len(demo.facilitators)} fasilitator"
        )
    await chat.screenshot("coordinator-groups")


async def test_facilitator_opens_meetings_from_their_own_command_menu(chat: ChatPage) -> None:
    await chat.be(FACILITATOR_EN)
    await chat.page.get_by_role("button", name="Show the bot's commands").click()
    # Only facilitators' menus have /meetings (set for their chat alone).
    await chat.page.locator("#commands").get_by_role("button", name="/meetings").click()
    await chat.expect_bot("Upcoming meetings", SOON_GROUP)
    await expect(chat.last_bot).to_contain_text(
        re.compile(rf"{SOON_GROUP}: [1-9]\d* going, [1-9]\d* of them on trial")
    )
    await chat.last_bot.evaluate("node => node.scrollIntoView({block: 'start'})")
    await chat.screenshot("facilitator-meetings")


async def test_crisis_help_shows_the_members_own_safety_plan_first(chat: ChatPage) -> None:
    assert MEMBER_EN.user_id == DEMO_SAFETY_PLAN[0]
    await chat.be(MEMBER_EN)
    await chat.send("/crisis")
    await chat.expect_bot("You don't have to go through this alone", "112")
    plan = chat.page.locator("#messages .from-bot").nth(-2)
    await expect(plan).to_contain_text("Your safety plan")
    for answer in DEMO_SAFETY_PLAN[1].values():
        await expect(plan).to_contain_text(answer)
    await plan.evaluate("node => node.scrollIntoView({block: 'start'})")
    await chat.screenshot("safety-plan-crisis")
