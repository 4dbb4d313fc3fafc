"""A support group's own Telegram group chat (issue 14): linking by a chat administrator who
facilitates the group, gated joining, welcomes by alias, meeting reminders in the chat, /report
as a reply, and the bot removed from the chat."""

from __future__ import annotations

from datetime import timedelta

from bot.services import seats
from tests.journeys.harness import BotWorld
from tests.journeys.helpers import rows
from tests.journeys.helpers.checkin import toasts
from tests.journeys.helpers.group_chats import (
    CHAT,
    TITLE,
    a_chat,
    a_group_and_its_facilitator,
    ask_to_join,
    audit,
    link_chat,
    linked,
    posts,
)
from tests.journeys.helpers.meetings import a_person, member_id, services
from tests.journeys.helpers.onboarding import onboard_in_english
from tests.journeys.helpers.wellbeing import a_meeting

REFUSED = "Only a facilitator of a support group can link a chat to it."
GONE = "This choice has passed."


async def test_a_facilitator_who_is_not_a_chat_admin_cannot_link(world: BotWorld) -> None:
    _, fasil = await a_group_and_its_facilitator(world)
    a_chat(world, admins=(999,))
    world.emulator.add_user(999, "Owner")
    sent = await fasil.send_in_group(CHAT, "/link@RangkulBot")
    assert [s.text for s in sent] == [
        "Only an administrator of this chat can link it to a support group."
    ]
    assert linked(world) == []


async def test_a_chat_admin_who_facilitates_no_group_cannot_link(world: BotWorld) -> None:
    await a_group_and_its_facilitator(world)
    admin = await a_person(world, 310, "Admin Bukan Fasil")
    a_chat(world, admins=(310,))
    sent = await admin.send_in_group(CHAT, "/link@RangkulBot")
    assert [(s.chat_id, s.text) for s in sent] == [(CHAT, REFUSED)]
    assert linked(world) == []
    # A forged choice in private (on a message that never offered it) changes nothing.
    group_id = rows(world, "SELECT id FROM groups")[0][0]
    last = world.emulator.bot_messages(admin.user_id)[-1]
    assert await admin.press_data(last.message_id, f"gx:link:{CHAT}:{group_id}") == []
    assert linked(world) == []
    assert toasts(world)[-1] == GONE


async def test_a_forged_chat_on_a_real_offer_is_not_asked_about(world: BotWorld) -> None:
    group_id, fasil = await a_group_and_its_facilitator(world)
    a_chat(world, admins=(fasil.user_id,))
    await fasil.send_in_group(CHAT, "/link")
    message_id, _ = fasil.button("Teman Cerita Makassar")
    # Another chat's id on the offer's own message: Telegram is not asked about it (it would
    # refuse a chat that is not there; the journeys fail on any refused call).
    assert await fasil.press_data(message_id, f"gx:link:-5:{group_id}") == []
    assert linked(world) == []
    assert toasts(world)[-1] == GONE


async def test_a_facilitator_who_administers_the_chat_links_it_privately(world: BotWorld) -> None:
    group_id, fasil = await a_group_and_its_facilitator(world)
    a_chat(world, admins=(fasil.user_id,), bot_rights=None)  # the bot is not an admin yet
    sent = await fasil.send_in_group(CHAT, "/link")
    assert [s.chat_id for s in sent] == [fasil.user_id, CHAT]
    choice = sent[0].text
    assert TITLE in choice and "Invite users via link" in choice and "Delete messages" in choice
    choose = fasil.button("Teman Cerita Makassar")
    await fasil.press_data(*choose)
    assert linked(world) == [(CHAT,)]
    assert "is now the group chat of" in fasil.last.text
    [announcement] = posts(world)[-1:]
    assert "Teman Cerita Makassar" in announcement and "Fasil" not in announcement
    # In the group's language (Indonesian first): the rights it lacks, said instead of failing.
    assert "Undang pengguna lewat tautan" in announcement and "Hapus pesan" in announcement
    assert audit(world) == [("link_chat", await member_id(world, fasil), None)]
    # A second press changes nothing.
    await fasil.press_data(*choose)
    assert linked(world) == [(CHAT,)]
    assert len(audit(world)) == 1
    # /unlink undoes it.
    sent = await fasil.send_in_group(CHAT, "/unlink")
    assert linked(world) == []
    assert "no longer linked" in sent[0].text
    assert [a[0] for a in audit(world)] == ["link_chat", "unlink_chat"]
    assert group_id


async def test_join_requests_are_approved_for_members_and_trial_guests_only(
    world: BotWorld,
) -> None:
    group_id, fasil = await a_group_and_its_facilitator(world)
    a_chat(world, admins=(fasil.user_id,))
    await link_chat(world, fasil)
    s = services(world)
    member = await a_person(world, 320, "Melati Anggota")
    await s.groups.add_member(group_id, await member_id(world, member), world.clock.now())
    guest = await a_person(world, 321, "Tamu Percobaan")
    meeting = await a_meeting(world, group_id, world.clock.now() + timedelta(days=2))
    guest_row = await s.members.by_telegram_id(guest.user_id)
    assert await seats.sign_up_for_trial(
        s.meetings, s.groups, s.outbox, s.clock, guest_row, meeting.id
    )
    outsider = await a_person(world, 322, "Bukan Anggota")
    stranger = world.person(323, "Stranger Name", "en")  # never used Rangkul
    for person in (member, guest, outsider, stranger):
        await ask_to_join(world, person.user_id)
    status = {
        p.user_id: world.emulator.member_status(CHAT, p.user_id)
        for p in (member, guest, outsider, stranger)
    }
    assert status == {320: "member", 321: "member", 322: "left", 323: "left"}
    assert world.emulator.join_requests(CHAT) == set()
    for declined in (outsider, stranger):
        assert "only for the members of this support group" in declined.last.text
        assert declined.last.reply_markup["inline_keyboard"][0][0]["url"].startswith(
            "https://t.me/RangkulBot"
        )
    ids = [await member_id(world, p) for p in (member, guest, outsider)]
    assert audit(world)[1:] == [
        ("approve_join", None, ids[0]),
        ("approve_join", None, ids[1]),
        ("decline_join", None, ids[2]),
        ("decline_join_stranger", None, None),
    ]
    assert not any(
        str(p.user_id) in str(rows(world, "SELECT * FROM audit_log")) for p in (stranger,)
    )


async def test_a_welcome_uses_the_alias_and_replaces_the_previous_one(world: BotWorld) -> None:
    group_id, fasil = await a_group_and_its_facilitator(world)
    a_chat(world, admins=(fasil.user_id,))
    await link_chat(world, fasil)
    s = services(world)
    people = []
    for user_id, alias in ((330, "Kenanga Biru"), (331, "Anggrek Putih")):
        person = world.person(user_id, f"Real Name {user_id}", "en")
        await onboard_in_english(person, alias=alias)
        await s.groups.add_member(group_id, await member_id(world, person), world.clock.now())
        people.append(person)
    await ask_to_join(world, 330)
    await world.tick()
    welcomes = [text for text in posts(world) if "Welcome" in text or "Selamat datang" in text]
    assert len(welcomes) == 1 and "Kenanga Biru" in welcomes[0]
    assert "Real Name" not in welcomes[0]
    assert "guidelines" in welcomes[0].lower() or "pedoman" in welcomes[0].lower()
    await ask_to_join(world, 331)
    await world.tick()
    await world.tick()
    welcomes = [text for text in posts(world) if "Anggrek Putih" in text or "Kenanga Biru" in text]
    assert len(welcomes) == 1 and "Anggrek Putih" in welcomes[0]  # the first one was deleted


async def test_the_one_hour_reminder_is_posted_in_the_chat_once(world: BotWorld) -> None:
    group_id, fasil = await a_group_and_its_facilitator(world)
    a_chat(world, admins=(fasil.user_id,))
    await link_chat(world, fasil)
    s = services(world)
    start = world.clock.now() + timedelta(days=1)
    meeting = await a_meeting(world, group_id, start)
    conn = await s.db.connection()
    await conn.execute(
        "UPDATE meetings SET join_link = 'https://meet.example.org/x' WHERE id = ?", (meeting.id,)
    )
    await world.tick()
    announced = [text for text in posts(world) if "meets" in text or "bertemu" in text]
    assert len(announced) == 1 and "meet.example.org" not in announced[0]
    world.clock.advance(start - timedelta(minutes=61) - world.clock.now())
    await world.tick()
    assert not any("one hour" in t or "satu jam" in t for t in posts(world))
    for _ in range(3):
        world.clock.advance(timedelta(minutes=1))
        await world.tick()
    reminders = [t for t in posts(world) if "one hour" in t.lower() or "satu jam" in t.lower()]
    assert len(reminders) == 1
    assert "meet.example.org" not in reminders[0]


async def test_removing_the_bot_unlinks_the_chat_and_tells_the_facilitators(
    world: BotWorld,
) -> None:
    _, fasil = await a_group_and_its_facilitator(world)
    a_chat(world, admins=(fasil.user_id,))
    await link_chat(world, fasil)
    await world.deliver(world.emulator.set_member(CHAT, world.emulator.bot_user["id"], "kicked"))
    assert linked(world) == []
    await world.tick()
    assert "I was removed from the chat" in fasil.last.text and TITLE in fasil.last.text


async def test_report_as_a_reply_tells_the_facilitators_privately(world: BotWorld) -> None:
    group_id, fasil = await a_group_and_its_facilitator(world)
    a_chat(world, admins=(fasil.user_id,))
    await link_chat(world, fasil)
    s = services(world)
    rina = await a_person(world, 340, "Rina Melapor")
    await s.groups.add_member(group_id, await member_id(world, rina), world.clock.now())
    world.emulator.set_member(CHAT, 340, "member")
    hurtful = world.emulator.user_sends_text(340, "something hurtful", chat_id=CHAT)
    target = hurtful["message"]["message_id"]
    in_chat_before = len(posts(world))
    update = world.emulator.user_sends_text(rina.user_id, "/report", chat_id=CHAT)
    update["message"]["reply_to_message"] = hurtful["message"]
    await world.deliver(update)
    await world.tick()
    assert len(posts(world)) == in_chat_before  # nothing posted in the chat
    assert all(e.text != "/report" for e in world.emulator.chat_log(CHAT))  # and /report gone
    assert "Rina Melapor" in fasil.last.text
    assert f"https://t.me/c/1234567890/{target}" in fasil.last.text
    assert "told the facilitators" in rina.last.text
    stored = str(rows(world, "SELECT payload FROM outbox")) + str(
        rows(world, "SELECT * FROM group_chats")
    )
    assert "something hurtful" not in stored


async def test_the_facilitator_chooses_whether_posts_carry_the_join_link(world: BotWorld) -> None:
    group_id, fasil = await a_group_and_its_facilitator(world)
    a_chat(world, admins=(fasil.user_id,))
    await link_chat(world, fasil)
    assert "leave out the online join link" in fasil.last.text
    await fasil.press("Include the join link")
    assert "include the online join link" in fasil.last.text
    meeting = await a_meeting(world, group_id, world.clock.now() + timedelta(minutes=50))
    conn = await services(world).db.connection()
    await conn.execute(
        "UPDATE meetings SET join_link = 'https://meet.example.org/x' WHERE id = ?", (meeting.id,)
    )
    await world.tick()
    assert "https://meet.example.org/x" in posts(world)[-1]
    # Someone who does not facilitate the group cannot change it with a forged button.
    other = await a_person(world, 350, "Orang Lain")
    last = world.emulator.bot_messages(other.user_id)[-1]
    await other.press_data(last.message_id, f"gx:share:{CHAT}:0")
    assert rows(world, "SELECT share_join_link FROM group_chats") == [(1,)]
