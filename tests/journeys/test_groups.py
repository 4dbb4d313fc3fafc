"""Journeys through the group network: creating groups, role links, browsing, joining, leaving.

Coordinators come from ADMIN_IDS (and /promote); facilitators from one-time links. Every
privileged button is also pressed by someone without the role, with data copied from the
coordinator's own message, and must be refused.
"""

from __future__ import annotations

from datetime import timedelta

from bot.sandbox.methods import scope_key
from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers import pause, rows
from tests.journeys.helpers.groups import a_coordinator, a_group
from tests.journeys.helpers.onboarding import onboard_in_english


def link_payload(text: str) -> str:
    """The ?start= payload of the t.me link in a bot message."""
    return text.split("?start=")[1].split()[0]


def last_alert(world: BotWorld) -> str:
    return list(world.emulator.callback_answers.values())[-1]["text"]


async def test_coordinator_creates_a_group_step_by_step_with_bad_input(world: BotWorld) -> None:
    koor = await a_coordinator(world)

    await koor.send("/newgroup")
    assert "What is its name?" in koor.last.text
    for bad, reason in (
        ("x", "too short"),
        ("a" * 5000, "too long"),
        ("Call 0812 3456 7890", "phone number"),
        ("<b>Group</b>", "simple punctuation"),
        ("Join t.me/teman", "link"),
        ("Ask @teman", "@username"),
    ):
        await koor.send(bad)
        assert reason in koor.last.text, bad
        assert bad not in koor.last.text
    await koor.send("Teman Cerita Makassar")
    assert "topics" in koor.last.text

    await koor.press("Done")
    assert last_alert(world) == "Please choose at least one."
    await koor.press("Anxiety")
    await koor.press("Depression")
    await koor.send("hello")
    assert "Please choose one of the buttons" in koor.last.text
    await koor.press("Done")
    await koor.press("In person")
    assert "province" in koor.last.text
    await koor.press("Next")
    await koor.press("Next")
    await koor.press("South Sulawesi")
    await koor.send("Makassar 99")
    assert "name of the city" in koor.last.text
    await koor.send("Makassar")
    await koor.press("Bahasa Indonesia")
    await koor.press("English")
    await koor.press("English")  # toggled off again
    await koor.press("Done")
    await koor.send("Too short")
    assert "at least 10 characters" in koor.last.text
    await koor.send("<script>alert(1)</script> for everyone")
    assert "simple punctuation" in koor.last.text
    await koor.send("A warm group for people living with anxiety or depression.")
    for bad, reason in (
        ("many", "whole number from 2 to 100"),
        ("1", "at least 2"),
        ("500", "at most 100"),
        ("9" * 5000, "whole number"),
    ):
        await koor.send(bad)
        assert reason in koor.last.text, bad
    await koor.send("12")
    await koor.press("Yes, newcomers can try a session")
    await koor.send("-1")
    assert "whole number from 0 to 20" in koor.last.text
    await koor.send("25")
    assert "at most 20" in koor.last.text
    await koor.send("3")

    summary = koor.last.text
    assert "Teman Cerita Makassar" in summary
    assert "Makassar, South Sulawesi" in summary
    assert "Depression, Anxiety" in summary and "Trial seats per meeting: 3" in summary
    await koor.press("Create the group")
    assert "is created" in koor.last.text

    [group] = rows(
        world,
        "SELECT name, format, province, city, languages, timezone, max_members, offers_trials,"
        " trial_seats, length(invite_code) FROM groups",
    )
    assert group == (
        "Teman Cerita Makassar",
        "in_person",
        "sulsel",
        "Makassar",
        "id",
        "Asia/Makassar",
        12,
        1,
        3,
        12,
    )
    topics = rows(world, "SELECT topic FROM group_topics ORDER BY topic")
    assert topics == [("anxiety",), ("depression",)]


async def test_newgroup_is_for_coordinators_only(world: BotWorld) -> None:
    member = world.person(502, "Member", "en")
    await onboard_in_english(member)
    await member.send("/newgroup")
    assert "only coordinators" in member.last.text
    await member.send("/promote")
    assert "only coordinators" in member.last.text
    assert rows(world, "SELECT count(*) FROM invitations") == [(0,)]


async def test_invited_facilitator_joins_through_onboarding_once(world: BotWorld) -> None:
    koor = await a_coordinator(world)
    group_id = await a_group(world)

    await koor.send("/invite_facilitator")
    await koor.press("Teman Cerita Makassar")
    invitation = koor.last.text
    assert "https://t.me/RangkulBot?start=f-" in invitation and "7 days" in invitation
    payload = link_payload(invitation)

    sari = world.person(503, "Sari", "en")
    await sari.send(f"/start {payload}")
    await onboard_after_start(sari)
    assert "You are now a facilitator of Teman Cerita Makassar" in sari.last.text
    [(member_id,)] = rows(world, "SELECT id FROM members WHERE telegram_id = 503")
    assert rows(world, "SELECT member_id FROM group_facilitators") == [(member_id,)]
    menu = world.emulator.commands[(scope_key({"type": "chat", "chat_id": 503}), "")]
    assert [c["command"] for c in menu][:2] == ["start", "menu"]

    await sari.send("/mygroups")
    assert "you facilitate it" in sari.last.text
    assert "https://t.me/RangkulBot?start=g-" in sari.last.text

    other = world.person(504, "Other", "en")
    await onboard_in_english(other)
    await other.send(f"/start {payload}")
    assert "already used" in other.last.text
    assert rows(world, "SELECT count(*) FROM group_facilitators") == [(1,)]

    pause(world)
    await koor.press_data(*koor.button("Teman"))  # a second invitation for the same group
    fresh = link_payload(koor.last.text)
    world.clock.advance(timedelta(days=8))
    await other.send(f"/start {fresh}")
    assert "expired" in other.last.text
    await other.send("/start f-doesnotexist")
    assert "don't know this invitation" in other.last.text
    assert group_id == rows(world, "SELECT group_id FROM group_facilitators")[0][0]


async def onboard_after_start(person: Person) -> None:
    """The onboarding steps after /start (which the test sent with a payload)."""
    await person.press("English")
    await person.press("Continue")
    await person.press("Yes, I'm 18 or older")
    await person.press("I agree")
    await person.press("Use this alias")
    await person.press("Online only")
    await person.press("Done")


async def test_member_pressing_a_coordinator_button_is_refused(world: BotWorld) -> None:
    koor = await a_coordinator(world)
    group_id = await a_group(world)
    member = world.person(505, "Member", "en")
    await onboard_in_english(member)

    await koor.send("/groups")
    await koor.press("Teman Cerita Makassar")
    await koor.press("Archive")
    _, archive_data = koor.button("Yes, archive it")
    _, keep_data = koor.button("No, keep it")
    await member.send("/menu")
    forged = (f"gc:inv:{group_id}", f"gc:unfacy:{group_id}:1", f"gc:edit:{group_id}")
    for data in (archive_data, keep_data, *forged):
        await member.press_data(member.last.message_id, data)
        assert last_alert(world) == "Sorry, only coordinators of the network can do this."
    assert rows(world, "SELECT archived_at FROM groups") == [(None,)]
    assert rows(world, "SELECT count(*) FROM invitations") == [(0,)]


async def test_browsing_by_topic_province_and_online(world: BotWorld) -> None:
    await a_group(world, "Makassar Anxiety", topics=("anxiety",))
    await a_group(world, "Bali Bipolar", province="bali", topics=("bipolar",))
    await a_group(world, "Online Caregivers", online=True, topics=("caregivers",))
    river = world.person(506, "River", "en")
    await onboard_in_english(river)

    await river.send("/groups")
    await river.press("By topic")
    await river.press("Bipolar")
    assert "I found 1 group" in river.last.text
    assert "Bali Bipolar" in river.buttons()

    await river.press("Back to search")
    await river.press("By province")
    await river.press("Next")
    await river.press("Next")
    await river.press("South Sulawesi")
    assert "Makassar Anxiety" in river.buttons() and "Bali Bipolar" not in river.buttons()
    await river.press("Makassar Anxiety")
    card = river.last.text
    assert "In person — Makassar, South Sulawesi" in card
    assert "Bahasa Indonesia" in card and "No meeting is scheduled yet" in card
    # No meeting to try yet: the card offers to tell her when there is one (issue 13).
    assert any("Tell me when a meeting is scheduled" in b for b in river.buttons())
    assert not any("Join" in b for b in river.buttons())  # trial first

    await river.press("Back to the list")
    assert "Makassar Anxiety" in river.buttons()
    await river.press("Back to search")
    await river.press("Online only")
    assert river.buttons()[:1] == ["Online Caregivers"]


async def test_group_link_opens_the_card_and_members_join_and_leave(world: BotWorld) -> None:
    group_id = await a_group(world, "Open Circle", online=True, trials=False, max_members=2)
    [(code,)] = rows(world, "SELECT invite_code FROM groups")

    newcomer = world.person(507, "New", "en")
    await newcomer.send(f"/start g-{code}")
    await onboard_after_start(newcomer)
    assert "Open Circle" in newcomer.last.text
    await newcomer.press("Join this group")
    assert "Welcome to Open Circle!" in newcomer.last.text
    await newcomer.press_data(newcomer.last.message_id, f"gr:join:{group_id}")
    assert "already a member" in newcomer.last.text

    second = world.person(508, "Second", "en")
    await onboard_in_english(second)
    await second.send(f"/start g-{code}")
    await second.press("Join this group")
    third = world.person(509, "Third", "en")
    await onboard_in_english(third)
    await third.send(f"/start g-{code}")
    await third.press("Join this group")
    assert "is full" in third.last.text

    await newcomer.send("/mygroups")
    assert "Open Circle" in newcomer.last.text
    await newcomer.press("Leave")
    assert "Leave Open Circle?" in newcomer.last.text
    await newcomer.press("Yes, leave")
    assert "You have left Open Circle" in newcomer.last.text
    assert rows(world, "SELECT count(*) FROM group_members") == [(1,)]
    await newcomer.press_data(newcomer.last.message_id, f"mg:leavey:{group_id}")
    assert last_alert(world) == "You are not a member of this group."


async def test_promote_remove_facilitator_and_archive(world: BotWorld) -> None:
    koor = await a_coordinator(world)
    await a_group(world)
    await koor.send("/promote")
    payload = link_payload(koor.last.text)
    assert payload.startswith("c-")
    lead = world.person(510, "Lead", "en")
    await onboard_in_english(lead)
    await lead.send(f"/start {payload}")
    assert "You are now a coordinator of the network" in lead.last.text
    assert rows(world, "SELECT is_coordinator FROM members WHERE telegram_id = 510") == [(1,)]
    menu = world.emulator.commands[(scope_key({"type": "chat", "chat_id": 510}), "")]
    assert "newgroup" in [c["command"] for c in menu]

    # The new coordinator invites a facilitator; the first coordinator removes them again.
    await lead.send("/groups")
    await lead.press("Teman Cerita Makassar")
    await lead.press("Invite a facilitator")
    facilitator = world.person(511, "Fasil", "en")
    await onboard_in_english(facilitator, alias="Fasil Satu")
    await facilitator.send(f"/start {link_payload(lead.last.text)}")
    assert "You are now a facilitator" in facilitator.last.text

    await koor.send("/groups")
    assert "1 facilitator" in koor.last.text
    await koor.press("Teman Cerita Makassar")
    await koor.press("Facilitators")
    assert "Fasil Satu" in koor.last.text
    await koor.press("Remove Fasil Satu")
    await koor.press("Yes, remove")
    assert "Fasil Satu no longer facilitates" in koor.last.text
    assert rows(world, "SELECT count(*) FROM group_facilitators") == [(0,)]
    menu = world.emulator.commands[(scope_key({"type": "chat", "chat_id": 511}), "")]
    assert "newmeeting" not in [c["command"] for c in menu]  # a member's menu, at once

    await koor.send("/groups")
    await koor.press("Teman Cerita Makassar")
    await koor.press("Edit")
    await koor.press("Maximum size")
    await koor.send("1000")
    assert "at most 100" in koor.last.text
    await koor.send("20")
    assert "Saved" in koor.texts[-2]
    assert "at most 20" in koor.last.text

    await koor.press("Edit")
    await koor.press("Reminders")
    assert "Reminders now go out 24 h, 1 h before" in koor.last.text
    for bad, reason in [
        ("0", "at least 0.25 h"),
        ("abc", "as numbers of hours"),
        ("200", "at most 168 h"),
        ("1 2 3 4 5 6", "at most 5 reminders"),
        ("2, 2", "a different time"),
    ]:
        await koor.send(bad)
        assert reason in koor.last.text
    await koor.send("48, 2")
    assert "New reminders go out 48 h, 2 h before" in koor.texts[-2]
    assert rows(world, "SELECT reminder_offsets FROM groups") == [("2880,120",)]

    await koor.press("Archive")
    await koor.press("Yes, archive it")
    assert "is archived" in koor.last.text
    assert rows(world, "SELECT archived_at IS NOT NULL FROM groups") == [(1,)]
    member = world.person(512, "Late", "en")
    await onboard_in_english(member)
    await member.send("/groups")
    await member.press("All groups")
    assert "No group matches yet" in member.last.text


async def test_menu_offers_the_groups_and_coordinators_can_manage(world: BotWorld) -> None:
    koor = await a_coordinator(world)
    await koor.send("/menu")
    assert {"👥 Find a group", "📋 My groups", "🛠 Manage groups"} <= set(koor.buttons())
    await koor.press("Manage groups")
    assert "There are no groups yet" in koor.last.text
    member = world.person(513, "Menu", "en")
    await onboard_in_english(member)
    await member.send("/menu")
    assert "🛠 Manage groups" not in member.buttons()
    await member.press("My groups")
    assert "not in a group yet" in member.last.text
