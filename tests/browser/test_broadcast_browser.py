"""Announcements in the sandbox's web chat: a facilitator sends one to his group and a member
receives it; another facilitator finds her past announcement's report in /broadcasts.

Tom (English) facilitates two demo groups; the one with a member (Bayu) is the one he writes
to. Sari's past announcement to "Demo Pulih Bersama Online" comes from
bot/sandbox/demo_announcements.py. The page's composer writes plain text only.
"""

from __future__ import annotations

import pytest

from bot.sandbox.demo import DEMO_GROUPS, PERSONAS
from tests.browser.helpers import FACILITATOR_EN, FACILITATOR_ID, ChatPage

playwright_api = pytest.importorskip("playwright.async_api", reason="Playwright is not installed")
expect = playwright_api.expect

pytestmark = pytest.mark.asyncio(loop_scope="module")

[TOMS_GROUP] = [
    demo for demo in DEMO_GROUPS if FACILITATOR_EN.user_id in demo.facilitators and demo.members
]
[TOMS_MEMBER] = [p for p in PERSONAS if p.user_id in TOMS_GROUP.members]
[HISTORY_GROUP] = [demo for demo in DEMO_GROUPS if demo.made_up]
ANNOUNCEMENT = "Demo: Next week's meeting starts 30 minutes later, at 20:00. See you there!"
# The copies go out with the outbox's heartbeat (every 5 s) and the progress job looks every
# 3 s, both on real time (bot.jobs.dispatcher, bot.jobs.broadcast_progress).
SENDING_MS = 20_000


async def test_tom_announces_to_his_group_and_its_member_gets_it_once(chat: ChatPage) -> None:
    group = TOMS_GROUP.group.name
    await chat.be(FACILITATOR_EN)
    await chat.send("/broadcast")
    await chat.expect_bot("New announcement.", "Who should receive it?")
    await chat.press(group)
    await chat.expect_bot(f"Write the announcement for the group {group}")
    await chat.send(ANNOUNCEMENT)
    copy = chat.page.locator("#messages .from-bot", has_text=ANNOUNCEMENT)
    await expect(copy).to_have_count(1)  # the preview: a copy of Tom's own message
    await chat.expect_bot(
        "This is exactly how it will look.",
        f"Recipients: {TOMS_GROUP.member_count} (the group {group})",
    )
    await chat.screenshot("broadcast-preview")
    # The preview becomes the progress message, edited in place: follow it by its id.
    message_id = await chat.last_bot.get_attribute("data-message-id")
    progress = chat.page.locator(f'#messages .from-bot[data-message-id="{message_id}"]')
    await chat.press("Send")
    await expect(progress).to_contain_text("Sending the announcement")
    done = f"{TOMS_GROUP.member_count} / {TOMS_GROUP.member_count}"
    await expect(progress).to_contain_text(f"The announcement is sent: {done}", timeout=SENDING_MS)
    await expect(progress.get_by_role("button")).to_have_count(0)
    await chat.let_a_second_pass()  # the report follows the edit into Tom's chat
    report = chat.page.locator("#messages .from-bot", has_text="is done.")
    await expect(report).to_contain_text(
        f"Your announcement to the group {group} is done.", timeout=SENDING_MS
    )
    for line in (f"Delivered: {TOMS_GROUP.member_count}", "Blocked the bot: 0", "Failed: 0"):
        await expect(report).to_contain_text(line)
    await chat.screenshot("broadcast-report")

    await chat.be(TOMS_MEMBER)
    arrived = chat.page.locator("#messages .from-bot", has_text=ANNOUNCEMENT)
    await expect(arrived).to_have_count(1)
    await expect(arrived).not_to_contain_text(FACILITATOR_EN.alias or "")
    await expect(arrived).not_to_contain_text(FACILITATOR_EN.first_name)


async def test_sari_finds_her_past_announcement_in_broadcasts(chat: ChatPage) -> None:
    await chat.be(FACILITATOR_ID)  # Sari speaks Indonesian
    await chat.send("/broadcasts")
    count = HISTORY_GROUP.member_count
    await chat.expect_bot(
        "Pengumumanmu yang terbaru",
        f"kelompok {HISTORY_GROUP.group.name}",
        f"Sampai: {count}",
        "Memblokir bot: 0",
        "Gagal: 0",
    )
