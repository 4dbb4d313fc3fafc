"""Every button of every flow, tapped twice: the second tap posts nothing, changes nothing (no
message, no row, no conversation state), is answered with a short toast (the generic one, or
the action's own where it declares ``own_idempotence``), and Telegram refuses no call (the
fixture checks that).

Table-driven: each row is a flow, who walks it (``given``), the command that opens it and its
steps: a button label is double-tapped where it is pressed, ``Say`` sends text. Each row names
the button areas it covers, checked against what it pressed; every Area of bot/ui/callbacks.py
must be covered by some row, so a new feature's buttons need a row here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest

from bot.ui.callbacks import SEPARATOR, Area, own_idempotence
from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers import (
    buddies,
    crisis,
    group_chats,
    groups,
    meetings,
    rows,
    wellbeing,
)

TOAST = {"en": "This has already been taken care of.", "id": "Ini sudah beres."}
# Buttons that stay on their message and act again when pressed again once the message has
# changed (a fresh suggestion each time): a second tap edits in place and posts nothing.
REPEATABLE = {"Another one"}


@dataclass(frozen=True)
class Say:
    """A step that sends text (an answer typed at a text step) instead of pressing a button."""

    text: str


Step = str | Say


async def a_newcomer(world: BotWorld) -> Person:
    """Someone who has not signed up yet."""
    return world.person(700, "Tapper", "en")


async def a_member(world: BotWorld) -> Person:
    """A member who signed up in English, in no group."""
    return await crisis.a_member(world, 700, "Tapper Satu")


async def a_member_in_a_group(world: BotWorld) -> Person:
    """A member of a group with a facilitator."""
    tapper = await a_member(world)
    await crisis.a_member(world, 701, "Fasil Sari")
    await crisis.a_group_with(world, facilitators=["Fasil Sari"], members=["Tapper Satu"])
    return tapper


async def a_member_and_a_group(world: BotWorld) -> Person:
    """A member, and a group (Teman Cerita Makassar) with a free place and no meetings yet."""
    tapper = await a_member(world)
    await groups.a_group(world)
    return tapper


async def a_facilitator(world: BotWorld) -> Person:
    """The facilitator of a group in Makassar that has no meeting yet."""
    return await meetings.a_facilitator(world, await meetings.a_group(world), 700)


async def a_coordinator(world: BotWorld) -> Person:
    """A coordinator, and a group (Teman Cerita Makassar)."""
    koor = await groups.a_coordinator(world)
    await groups.a_group(world)
    return koor


async def a_member_and_a_meeting(world: BotWorld) -> Person:
    """A member in no group, and a group whose facilitator scheduled weekly meetings from
    Thursday 3 December."""
    group = await meetings.a_group(world)
    await meetings.schedule_weekly(await meetings.a_facilitator(world, group, 701))
    return await crisis.a_member(world, 700, "Tapper Satu")


async def a_member_reminded(world: BotWorld) -> Person:
    """A member of that group, who just got the reminder a day before the first meeting."""
    tapper = await a_member_and_a_meeting(world)
    [(group,)] = rows(world, "SELECT id FROM groups")
    await meetings.services(world).groups.add_member(
        group, await meetings.member_id(world, tapper), world.clock.now()
    )
    for before in (timedelta(hours=25), timedelta(hours=23)):  # planned, then due
        await meetings.advance_to(world, meetings.FIRST_MEETING - before)
    return tapper


async def a_facilitator_alerted(world: BotWorld) -> Person:
    """A facilitator whose member asked for them to be told about a crisis."""
    fasil = await crisis.a_member(world, 700, "Fasil Sari")
    mawar = await crisis.a_member(world, 701, "Mawar Pagi")
    await crisis.a_group_with(world, facilitators=["Fasil Sari"], members=["Mawar Pagi"])
    await mawar.send("/crisis")
    await mawar.press("Let my facilitator know")
    await mawar.press("Yes, tell my facilitator")
    await world.tick()
    return fasil


async def a_facilitator_asked(world: BotWorld) -> Person:
    """A facilitator whose member sent a question with /ask."""
    fasil = await crisis.a_member(world, 700, "Fasil Sari")
    lina = await crisis.a_member(world, 701, "Lina Pagi")
    await crisis.a_group_with(world, facilitators=["Fasil Sari"], members=["Lina Pagi"])
    await lina.send("/ask")
    await lina.send("How do I prepare for my first session?")
    await lina.press("Send")
    await world.tick()
    return fasil


async def a_member_asked_for_feedback(world: BotWorld) -> Person:
    """A member who went to a meeting and got the feedback question an hour after it."""
    group = await meetings.a_group(world)
    meeting = await wellbeing.a_meeting(world, group, meetings.FIRST_MEETING)
    [member] = await wellbeing.members_going(world, group, meeting, 1)
    await meetings.advance_to(world, meetings.FIRST_MEETING + timedelta(minutes=150))
    return member


async def buddies_with_a_facilitator(world: BotWorld) -> dict[str, Person]:
    """Lina got a message from her buddy Kenari; Fasil facilitates their group."""
    group = await meetings.a_group(world)
    s = meetings.services(world)
    people = {}
    for key, user_id, alias in (
        ("lina", 700, "Lina Laut"),
        ("kenari", 701, "Kenari Tujuh"),
        ("fasil", 702, "Fasil Sari"),
    ):
        people[key] = await crisis.a_member(world, user_id, alias)
    lina, kenari = (crisis.member_id(world, a) for a in ("Lina Laut", "Kenari Tujuh"))
    for member in (lina, kenari):
        assert await s.groups.add_member(group, member, world.clock.now())
    await s.groups.add_facilitator(group, crisis.member_id(world, "Fasil Sari"), world.clock.now())
    pairing = buddies.a_pairing(world, group, lina, kenari)
    await buddies.relay(world, pairing, kenari, "Kenari Tujuh", people["lina"], "Add me on WA")
    return people


async def a_member_with_a_buddy_message(world: BotWorld) -> Person:
    return (await buddies_with_a_facilitator(world))["lina"]


async def a_facilitator_with_a_report(world: BotWorld) -> Person:
    people = await buddies_with_a_facilitator(world)
    await people["lina"].press("Report")
    await people["lina"].press("Pressure to move off the bot")
    await world.tick()
    return people["fasil"]


@dataclass(frozen=True)
class Walk:
    name: str
    command: str | None
    labels: tuple[Step, ...]
    language: str = "en"
    given: Callable[[BotWorld], Awaitable[Person]] = a_newcomer
    areas: tuple[Area, ...] = ()


WALKS = [
    Walk(
        "onboarding, suggested alias",
        "/start",
        (
            "English",
            "Continue",
            "Yes, I'm 18 or older",
            "I agree",
            "Use this alias",
            "Next",
            "Previous",
            "Next",
            "Bali",
            "Anxiety",
            "Done",
        ),
        areas=(Area.ONBOARDING,),
    ),
    Walk(
        "onboarding, another alias, online only",
        "/start",
        (
            "English",
            "Continue",
            "Yes, I'm 18 or older",
            "I agree",
            "Another one",
            "Use this alias",
            "Online only",
            "Trauma",
            "Done",
        ),
    ),
    Walk("onboarding, under 18", "/start", ("English", "Continue", "No, I'm under 18")),
    Walk(
        "onboarding, no consent",
        "/start",
        ("English", "Continue", "Yes, I'm 18 or older", "Not now"),
    ),
    Walk(
        "onboarding in Indonesian",
        "/start",
        (
            "Bahasa Indonesia",
            "Lanjut",
            "Ya, usia saya 18",
            "Saya setuju",
            "Pakai alias ini",
            "Daring saja",
            "Selesai",
        ),
        language="id",
    ),
]


WALKS += [
    Walk("menu", "/menu", ("Help",), given=a_member, areas=(Area.MENU,)),
    Walk(
        "language",
        "/language",
        ("Bahasa Indonesia",),
        language="id",
        given=a_member,
        areas=(Area.LANGUAGE,),
    ),
    Walk(
        "settings",
        "/settings",
        ("Province", "West Java", "Topics", "Depression", "Done", "Weekly check-in"),
        given=a_member,
        areas=(Area.SETTINGS,),
    ),
    Walk("mood", "/mood", ("Okay", "Hope", "Done", "Skip"), given=a_member, areas=(Area.MOOD,)),
    Walk(
        "check-in",
        "/checkin",
        (*("Most of the time",) * 5, "Mostly", "Somewhat", "Completely"),
        given=a_member,
        areas=(Area.CHECKIN,),
    ),
    Walk("progress", "/progress", (), given=a_member),
    Walk(
        "resources",
        "/resources",
        ("Crisis & emergency", "Bali and national"),
        given=a_member,
        areas=(Area.RESOURCES,),
    ),
    Walk("resource search", "/resources", ("Search", Say("anxiety")), given=a_member),
    Walk(
        "safety plan",
        "/safetyplan",
        (Say("not sleeping"), "Skip", "Skip"),
        given=a_member,
        areas=(Area.SAFETY_PLAN,),
    ),
    Walk(
        "crisis",
        "/crisis",
        ("More contacts", "Let my facilitator know", "Yes, tell my facilitator"),
        given=a_member_in_a_group,
        areas=(Area.CRISIS,),
    ),
    Walk(
        "distress",
        None,
        (Say("I feel empty"), "Grounding exercise now"),
        given=a_member_in_a_group,
        areas=(Area.GROUNDING,),
    ),
    Walk(
        "forget",
        "/forget",
        ("No, keep my data", Say("/forget"), "Yes, delete everything"),
        given=a_member,
        areas=(Area.FORGET,),
    ),
    Walk("alias", "/alias", ("Another one", "Use this alias"), given=a_member, areas=(Area.ALIAS,)),
    Walk(
        "privacy notice",
        "/start",
        ("English", "Continue", "Yes, I'm 18 or older", "Read the full notice", "I agree"),
        areas=(Area.CONSENT,),
    ),
    Walk("mydata", "/mydata", (), given=a_member),
    Walk(
        "groups",
        "/groups",
        ("All groups", "Teman Cerita Makassar", "Tell me when", "Back to the list"),
        given=a_member_and_a_group,
        areas=(Area.GROUPS,),
    ),
    Walk(
        "my groups",
        "/mygroups",
        ("Leave", "Yes, leave"),
        given=a_member_in_a_group,
        areas=(Area.MY_GROUPS,),
    ),
]


WALKS += [
    Walk(
        "new meeting",
        "/newmeeting",
        (
            "Thu 3 Dec",
            "19:30",
            "90 min",
            "Every week on Thursday",
            Say("Community hall, Jl. Merdeka 5"),
            "8",
            "Schedule",
        ),
        given=a_facilitator,
        areas=(Area.NEW_MEETING,),
    ),
    Walk(
        "poll",
        "/poll_time",
        ("Thu 3 Dec", "19:30", Say("2026-12-05 10:00"), "Send the poll"),
        given=a_facilitator,
        areas=(Area.TIME_POLL,),
    ),
    Walk(
        "new group",
        "/newgroup",
        (
            Say("Ruang Aman Makassar"),
            "Anxiety",
            "Done",
            "In person",
            "Next",
            "Next",
            "South Sulawesi",
            Say("Makassar"),
            "Bahasa Indonesia",
            "Done",
            Say("A warm group for people living with anxiety."),
            Say("12"),
            "Yes, newcomers can try a session",
            Say("3"),
            "Create the group",
        ),
        given=a_coordinator,
        areas=(Area.NEW_GROUP,),
    ),
    Walk(
        "manage",
        "/menu",
        ("Manage groups", "Teman Cerita Makassar"),
        given=a_coordinator,
        areas=(Area.GROUPS_ADMIN,),
    ),
    Walk(
        "broadcast",
        "/broadcast",
        ("Teman Cerita Makassar",),
        given=a_coordinator,
        areas=(Area.BROADCAST,),
    ),
    Walk("impact", "/impact", ("Last 4 weeks",), given=a_coordinator, areas=(Area.IMPACT,)),
    Walk(
        "ask",
        "/ask",
        (Say("How do I prepare for my first session?"), "Send"),
        given=a_member_in_a_group,
        areas=(Area.ASK,),
    ),
    Walk(
        "answer",
        None,
        ("Answer", Say("Take your time, and come as you are."), "Send answer"),
        given=a_facilitator_asked,
    ),
    Walk(
        "crisis alert",
        None,
        ("Acknowledge",),
        given=a_facilitator_alerted,
        areas=(Area.CRISIS_ACK,),
    ),
    Walk("buddy", "/buddy", ("Find me a buddy",), given=a_member_in_a_group, areas=(Area.BUDDIES,)),
    Walk(
        "trial",
        "/trial",
        ("Teman Cerita Makassar", "Thu 3 Dec", "Sign me up"),
        given=a_member_and_a_meeting,
        areas=(Area.MEETINGS,),
    ),
    Walk(
        "my meetings",
        "/mymeetings",
        ("✅ Thu 3 Dec", "Add to calendar · Thu 10 Dec"),
        given=a_member_reminded,
    ),
    Walk("reminder", None, ("I'm going",), given=a_member_reminded),
    Walk(
        "checkin schedule",
        "/settings",
        ("Weekly check-in",),
        given=a_member,
        areas=(Area.CHECKIN_SCHEDULE,),
    ),
]


WALKS += [
    Walk(
        "feedback", None, ("4", "Skip"), given=a_member_asked_for_feedback, areas=(Area.FEEDBACK,)
    ),
    Walk(
        "report",
        None,
        ("Report", "Pressure"),
        given=a_member_with_a_buddy_message,
        areas=(Area.MODERATION,),
    ),
    Walk("reports", "/reports", ("Warn", "Yes, do it"), given=a_facilitator_with_a_report),
    Walk(
        "edit group",
        "/menu",
        (
            "Manage groups",
            "Teman Cerita Makassar",
            "Edit",
            "Maximum size",
            Say("12"),
            "Edit",
            "◀ Back",
        ),
        given=a_coordinator,
        areas=(Area.EDIT_GROUP,),
    ),
]


def toasts(world: BotWorld) -> list[str | None]:
    return [answer["text"] for answer in world.emulator.callback_answers.values()]


def stored(world: BotWorld) -> dict[str, list[tuple]]:
    """Every row of every table, conversation states and drafts included."""
    with sqlite3.connect(world.db_path) as db:
        tables = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {table: sorted(map(repr, db.execute(f"SELECT * FROM {table}"))) for table in tables}


def seen(world: BotWorld, person: Person) -> list[tuple]:
    return [
        (m.message_id, m.text, m.caption, m.reply_markup)
        for m in world.emulator.bot_messages(person.user_id)
    ]


def has_own_idempotence(data: str) -> bool:
    return any(f"{data}{SEPARATOR}".startswith(f"{p}{SEPARATOR}") for p in own_idempotence())


async def double_tap(world: BotWorld, person: Person, label: str, language: str) -> str:
    """Presses the button twice; the second tap must change nothing. Returns its data."""
    message_id, data = person.button(label)
    await person.press_data(message_id, data)
    await world.app.update_persistence()
    shown, rows_before = seen(world, person), stored(world)
    answered = len(toasts(world))
    again = await person.press_data(message_id, data)
    assert again == [], f"{label!r}: the second tap posted {[m.text for m in again]}"
    if label in REPEATABLE:
        return data
    await world.app.update_persistence()
    assert seen(world, person) == shown, f"{label!r}: the second tap changed a message"
    assert stored(world) == rows_before, f"{label!r}: the second tap changed what is stored"
    assert len(toasts(world)) == answered + 1, f"{label!r}: the second tap was not answered"
    toast = toasts(world)[-1]
    if has_own_idempotence(data):
        assert toast, f"{label!r}: the second tap got no toast"
    else:
        assert toast == TOAST[language], f"{label!r}: {toast!r}"
    return data


async def a_visitor_asked_to_sign_up_for_a_trial(world: BotWorld) -> Person:
    """A visitor who pressed "Try a session" on a card and was offered to sign up first."""
    person = await a_newcomer(world)
    group_id = await meetings.a_group(world, trial_seats=2)
    await meetings.schedule_weekly(await meetings.a_facilitator(world, group_id))
    await person.send("/groups")
    for label in ("All groups", "Teman Cerita Makassar", "Try a session"):
        await person.press(label)
    return person


WALKS += [
    Walk(
        "a visitor's trial, through sign-up",
        None,
        (
            "Sign up",
            "Continue",
            "Yes, I'm 18 or older",
            "I agree",
            "Use this alias",
            "Online only",
            "Done",
        ),
        given=a_visitor_asked_to_sign_up_for_a_trial,
    ),
]


async def a_chat_admin_who_sent_link(world: BotWorld) -> Person:
    """A facilitator who administers a Telegram group chat and sent /link there."""
    _, facilitator = await group_chats.a_group_and_its_facilitator(world)
    group_chats.a_chat(world, admins=(facilitator.user_id,))
    await facilitator.send_in_group(group_chats.CHAT, "/link")
    return facilitator


async def a_facilitator_with_a_linked_chat(world: BotWorld) -> Person:
    """The facilitator of a group whose Telegram group chat is linked."""
    _, facilitator = await group_chats.a_group_and_its_facilitator(world)
    group_chats.a_chat(world, admins=(facilitator.user_id,))
    await group_chats.link_chat(world, facilitator)
    return facilitator


async def a_facilitator_who_asked_in_the_chat(world: BotWorld) -> Person:
    """That facilitator, whose time poll was posted in the group chat."""
    facilitator = await a_facilitator_with_a_linked_chat(world)
    await facilitator.send("/poll_time")
    for label in ("Thu 3 Dec", "19:30"):
        await facilitator.press(label)
    await facilitator.send("2026-12-05 10:00")
    await facilitator.press("Send the poll")
    await facilitator.press("In the group chat")
    await world.tick()
    return facilitator


WALKS += [
    Walk(
        "linking a group chat",
        None,
        ("Teman Cerita Makassar",),
        given=a_chat_admin_who_sent_link,
        areas=(Area.GROUP_CHATS,),
    ),
    Walk(
        "poll in the group chat",
        "/poll_time",
        ("Thu 3 Dec", "19:30", Say("2026-12-05 10:00"), "Send the poll", "In the group chat"),
        given=a_facilitator_with_a_linked_chat,
        areas=(Area.TIME_POLL,),
    ),
    Walk(
        "poll privately and in the group chat",
        "/poll_time",
        ("Thu 3 Dec", "19:30", Say("2026-12-05 10:00"), "Send the poll", "Both"),
        given=a_facilitator_with_a_linked_chat,
        areas=(Area.TIME_POLL,),
    ),
    Walk(
        "ending a poll",
        "/poll_time",
        ("End the poll",),
        given=a_facilitator_who_asked_in_the_chat,
        areas=(Area.TIME_POLL,),
    ),
]


@pytest.mark.parametrize("walk", WALKS, ids=[walk.name for walk in WALKS])
async def test_a_second_tap_of_any_button_changes_nothing(world: BotWorld, walk: Walk) -> None:
    person = await walk.given(world)
    if walk.command is not None:
        await person.send(walk.command)
    pressed = set()
    for step in walk.labels:
        if isinstance(step, Say):
            await person.send(step.text)
        else:
            data = await double_tap(world, person, step, walk.language)
            pressed.add(data.split(SEPARATOR)[0])
    assert set(walk.areas) <= pressed, f"{walk.name}: names areas it never pressed"


def test_every_button_area_has_a_walk() -> None:
    covered = {area for walk in WALKS for area in walk.areas}
    assert [area.name for area in Area if area not in covered] == []


def test_the_exceptions_to_the_generic_toast_are_these() -> None:
    """The one list of actions that answer a passed press themselves (own_idempotence): an
    addition needs a reason on its class and a walk that double-taps it."""
    import bot.app  # noqa: F401  (every feature's actions registered)

    assert sorted(own_idempotence()) == sorted(OWN_IDEMPOTENCE)


OWN_IDEMPOTENCE = [
    "aq:answer",
    "bd:endyes",
    "bd:write",
    "ck:ans",
    "ck:call",
    "ck:phq",
    "ck:skip",
    "cs:setday",
    "cs:settime",
    "fb:rate",
    "fg:yes",
    "gc:unmemy",
    "gr:watch",
    "mt:arsvp",
    "mt:rsvp",
    "md:note",
    "md:score",
    "md:skip",
    "md:start",
    "md:tag",
    "md:tags",
    "mg:leavey",
    "mo:do",
    "mo:why",
    "st:mute",
    "st:prov",
    "st:save",
]
