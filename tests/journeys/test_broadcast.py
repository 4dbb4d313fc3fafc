"""Announcements: a facilitator's message reaches every member exactly once, as written, through
floods, blocked members and a hard kill; a coordinator's province announcement reaches that
province only; muting stops announcements, never meeting reminders."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.domain.broadcasts import Audience, copy_key_range
from bot.sandbox.emulator import BotApiEmulator, FloodLimits
from bot.services.broadcasts import mute_announcements
from tests.journeys.harness import BotWorld
from tests.journeys.helpers import rows
from tests.journeys.helpers.broadcasts import (
    copies_received,
    drive_jobs_by_hand,
    kill_at_copy,
    members_of,
    send_formatted,
    send_photo,
    two_seconds_pass,
)
from tests.journeys.helpers.groups import a_coordinator
from tests.journeys.helpers.meetings import (
    FIRST_MEETING,
    a_facilitator,
    a_group,
    a_person,
    advance_to,
    member_id,
    reminders,
    schedule_weekly,
    services,
)
from tests.virtual_time import VirtualTime

TEXT = "Kopdar Sabtu ini di taman kota. Info: https://contoh.org/kopdar"
ENTITIES = [
    {"type": "bold", "offset": 0, "length": 6},
    {"type": "text_link", "offset": 34, "length": 5, "url": "https://contoh.org/info"},
]


@pytest.fixture
async def limited(tmp_path) -> AsyncIterator[tuple[BotWorld, VirtualTime]]:
    """The bot's own limiter at 30/s and Telegram's flood limits, both on virtual time that a
    wait moves at once: pacing is checked exactly, without waiting for it."""
    time = VirtualTime(auto=True)
    world = BotWorld(db_path=tmp_path / "rangkul.sqlite3", max_rate=30, limiter_time=time)
    world.emulator = BotApiEmulator(
        clock=world.clock,
        queue_updates=False,
        flood_limits=FloodLimits(global_per_second=30),
        flood_clock=time.monotonic,
    )
    await world.start()
    yield world, time
    await world.stop()
    assert world.errors == [], world.errors


async def test_1200_members_get_it_once_through_floods_blocks_and_a_hard_kill(
    limited: tuple[BotWorld, VirtualTime],
) -> None:
    world, time = limited
    drive_jobs_by_hand(world)
    group_id = await a_group(world, max_members=2000)
    sari = await a_facilitator(world, group_id)
    people = await members_of(world, group_id, 10_000, 1200)
    blocked = people[::60]  # 20 people blocked the bot; it learns when a copy gets 403
    for user_id in blocked:
        world.emulator.user_blocks_bot(user_id)

    await sari.send("/broadcast")  # one group: straight to writing
    assert "Who should receive it?" in sari.last.text
    await sari.press("Teman Cerita Makassar")
    preview = await send_formatted(sari, TEXT, ENTITIES)
    assert preview[0].text == TEXT and preview[0].entities == ENTITIES  # the exact message
    assert "<b>" not in preview[1].text  # rendered, not raw HTML
    assert "Recipients: 1,200 (the group Teman Cerita Makassar)" in preview[1].text
    await sari.press("Send")
    progress_id = sari.last.message_id
    assert sari.last.text == "📣 Sending the announcement: 0 / 1,200 sent"

    world.emulator.faults.fail_randomly(0.02, kinds=("429",), retry_after=1)
    await kill_at_copy(world, 600)
    arrived = sum(copies_received(world, user_id, TEXT) for user_id in people)
    # Halfway (the 600th copy, less 429s and 403s before it, was on its way), with the rest
    # of the claimed batch left in flight.
    assert 500 < arrived < 600
    assert rows(world, "SELECT COUNT(*) FROM outbox WHERE status = 'sending'")[0][0] > 0
    await world.start()
    drive_jobs_by_hand(world)
    started = time.now
    for _ in range(60):
        await two_seconds_pass(world)
        await world.tick()
        # (The members' weekly check-in prompts wait for Sunday: only the copies count.)
        waiting = (
            "SELECT 1 FROM outbox WHERE kind = 'broadcast' AND status IN ('pending', 'sending')"
        )
        if not rows(world, waiting):
            break
    world.emulator.faults.clear()
    await two_seconds_pass(world)
    await world.tick()  # the final report is planned, then sent
    await world.tick()

    reachable = [user_id for user_id in people if user_id not in blocked]
    assert [copies_received(world, u, TEXT) for u in reachable] == [1] * len(reachable)
    assert all(copies_received(world, u, TEXT) == 0 for u in blocked)
    copy = world.emulator.bot_messages(reachable[0])[-1]
    assert copy.entities == ENTITIES
    marked = rows(world, "SELECT COUNT(*) FROM members WHERE blocked_at IS NOT NULL")
    assert marked == [(len(blocked),)]
    assert rows(world, "SELECT delivered, blocked, failed, recipients FROM broadcasts") == [
        (1180, 20, 0, 1200)
    ]
    report = sari.last.text
    assert "Delivered: 1,180" in report and "Blocked the bot: 20" in report
    assert "Failed: 0" in report
    [shown] = [m for m in world.emulator.bot_messages(sari.user_id) if m.message_id == progress_id]
    assert shown.text == "📣 The announcement is sent: 1,200 / 1,200"
    assert any(f.kind == "429" for f in world.emulator.faults.served)
    # Telegram refused nothing but the copies to people who blocked the bot: the pace held.
    assert {(call.method, call.status) for call in world.emulator.rejected} == {
        ("copyMessage", 403)
    }
    world.emulator.rejected.clear()
    assert time.now - started < 1200 / 30 * 2  # well within twice the ideal pace


async def test_a_coordinators_province_announcement_reaches_exactly_that_province(
    world: BotWorld,
) -> None:
    koor = await a_coordinator(world)
    makassar = await a_group(world)
    online = await a_group(world, name="Teman Cerita Daring", online=True)
    in_sulsel = await members_of(world, makassar, 20_000, 2) + await members_of(
        world, online, 20_010, 1
    )
    elsewhere = await members_of(world, online, 20_020, 2, province="jkt") + await members_of(
        world, makassar, 20_030, 1, province=None
    )

    await koor.send("/broadcast")
    await koor.press("People of one province")
    while not any("South Sulawesi" in label for label in koor.buttons()):
        await koor.press("Next")
    await koor.press("South Sulawesi")
    await koor.send("Pertemuan akbar di Makassar bulan depan.")
    assert "Recipients: 3 (people of South Sulawesi)" in koor.last.text
    await koor.press("Send")
    await world.tick()

    text = "Pertemuan akbar di Makassar bulan depan."
    assert [copies_received(world, u, text) for u in in_sulsel] == [1, 1, 1]
    assert [copies_received(world, u, text) for u in elsewhere] == [0, 0, 0]
    assert rows(world, "SELECT audience, province FROM broadcasts") == [
        (Audience.PROVINCE.value, "sulsel")
    ]


async def test_a_photo_keeps_its_caption_a_double_tap_sends_once_and_mute_spares_reminders(
    world: BotWorld,
) -> None:
    group_id = await a_group(world)
    sari = await a_facilitator(world, group_id)
    await schedule_weekly(sari)
    ayu = await a_person(world, 7301, "Ayu Senja")
    budi = await a_person(world, 7302, "Budi Pagi")
    for person in (ayu, budi):
        await services(world).groups.add_member(
            group_id, await member_id(world, person), world.clock.now()
        )
    s = services(world)
    await mute_announcements(s.broadcasts, s.clock, await member_id(world, budi), group_id, True)

    await sari.send("/broadcast")
    await sari.press("Teman Cerita Makassar")
    caption = "Poster kopdar 🌸 — datang ya!"
    caption_entities = [{"type": "italic", "offset": 0, "length": 6}]
    preview = await send_photo(sari, caption, caption_entities)
    assert preview[0].kind == "photo" and preview[0].caption_entities == caption_entities
    assert "Recipients: 1 " in preview[1].text  # Ayu: Budi muted the group's announcements
    message_id, data = sari.button("Send")
    await sari.press_data(message_id, data)
    await sari.press_data(message_id, data)  # a double tap
    await world.tick()
    await world.tick()

    photos = [m for m in world.emulator.bot_messages(ayu.user_id) if m.kind == "photo"]
    assert len(photos) == 1
    assert photos[0].caption == caption and photos[0].caption_entities == caption_entities
    assert "forward" not in str(world.emulator.bot_messages(ayu.user_id)[-1])
    assert not any(m.kind == "photo" for m in world.emulator.bot_messages(budi.user_id))
    assert rows(world, "SELECT COUNT(*) FROM broadcasts") == [(1,)]
    # The payloads of settled copies are cleared: the announcement is stored nowhere.
    low, high = copy_key_range(1)
    assert rows(
        world, "SELECT payload FROM outbox WHERE dedupe_key >= ? AND dedupe_key < ?", low, high
    ) == [("{}",)]

    await advance_to(world, FIRST_MEETING - timedelta(hours=24))
    assert len(reminders(budi)) == 1  # muting announcements never mutes meetings

    history = await sari.send("/broadcasts")
    assert "the group Teman Cerita Makassar" in history[0].text
    assert "Delivered: 1" in history[0].text


async def test_an_old_preview_sends_nothing_and_cancel_sends_nothing(world: BotWorld) -> None:
    group_id = await a_group(world)
    sari = await a_facilitator(world, group_id)
    await members_of(world, group_id, 30_000, 2)
    await sari.send("/broadcast")
    await sari.press("Teman Cerita Makassar")
    await sari.send("Versi pertama")
    old_preview, old_data = sari.button("Send")
    await sari.send("Versi kedua")  # a new message at the preview replaces the first
    await sari.press_data(old_preview, old_data)
    assert rows(world, "SELECT COUNT(*) FROM broadcasts") == [(0,)]
    await sari.press("Cancel")
    assert "not sent" in sari.last.text
    await world.tick()
    assert copies_received(world, 30_000, "Versi kedua") == 0
    assert rows(world, "SELECT COUNT(*) FROM outbox WHERE kind = 'broadcast'") == [(0,)]


async def test_members_cannot_broadcast(world: BotWorld) -> None:
    ayu = await a_person(world, 7401, "Ayu Senja")
    await ayu.send("/broadcast")
    assert "Only facilitators and coordinators" in ayu.last.text
    await ayu.send("/broadcasts")
    assert "Only facilitators and coordinators" in ayu.last.text


async def test_an_announcement_may_name_the_topic_but_a_disclosure_gets_the_crisis_reply(
    world: BotWorld,
) -> None:
    group_id = await a_group(world)
    sari = await a_facilitator(world, group_id)
    ayu = await a_person(world, 7501, "Ayu Senja")
    await services(world).groups.add_member(
        group_id, await member_id(world, ayu), world.clock.now()
    )

    await sari.send("/broadcast")
    await sari.press("Teman Cerita Makassar")
    replies = await sari.send("Sabtu ini: diskusi pencegahan bunuh diri bersama di taman kota")
    assert "I'll take this as what you're writing" in (replies[0].text or "")
    assert "Recipients: 1 " in sari.last.text  # the preview: it is the announcement

    await sari.press("Cancel")
    await sari.send("/broadcast")
    await sari.press("Teman Cerita Makassar")
    replies = await sari.send("aku sudah tidak kuat, rasanya ingin bunuh diri")
    assert all("Recipients" not in (m.text or "") for m in replies)
    assert not any("I'll take this as" in (m.text or "") for m in replies)
    assert any("/crisis" in (m.text or "") or "119" in (m.text or "") for m in replies)
    assert rows(world, "SELECT COUNT(*) FROM broadcasts") == [(0,)]
