"""A scripted way to every step of every conversation the bot has, for every role that can
get there, so robustness journeys can send anything at any step.

The steps themselves come from the running application (its ConversationHandlers); a step
added without a way here makes tests/robustness/test_fuzz.py fail, so none is left untried.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from telegram.ext import ConversationHandler

from bot.services import seats
from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers.cast import THE_GROUP, Cast
from tests.journeys.helpers.meetings import advance_to, member_id, services
from tests.journeys.helpers.wellbeing import a_meeting

# Everyone registered; the member only where the step needs a group of one's own.
REGISTERED = ("member", "facilitator", "coordinator")
EVERYONE = ("visitor", *REGISTERED)

Action = Callable[[Cast, Person], Awaitable[object]]


def conversations(world: BotWorld) -> dict[str, ConversationHandler]:
    assert world.app is not None, "the bot is not running"
    return {
        handler.name: handler
        for group in world.app.handlers.values()
        for handler in group
        if isinstance(handler, ConversationHandler) and handler.name
    }


def all_steps(world: BotWorld) -> set[tuple[str, str]]:
    """(conversation, step) for every step of every conversation, from the handlers."""
    return {
        (name, state.name)
        for name, handler in conversations(world).items()
        for state in handler.states
        if state != ConversationHandler.TIMEOUT
    }


def step_of(world: BotWorld, conversation: str, user_id: int) -> str | None:
    """The step a person is at in ``conversation`` (private chat), None outside it."""
    state = conversations(world)[conversation]._conversations.get((user_id, user_id))
    return None if state is None else state.name


def send(text: str) -> Action:
    async def action(cast: Cast, person: Person) -> None:
        await person.send(text)

    return action


def press(*labels: str) -> Action:
    async def action(cast: Cast, person: Person) -> None:
        for label in labels:
            await person.press(label)

    return action


def press_if_offered(label: str) -> Action:
    """Someone with two groups chooses one first; with one group that step is skipped."""

    async def action(cast: Cast, person: Person) -> None:
        if any(label in text for text in person.buttons()):
            await person.press(label)

    return action


async def in_both_groups(cast: Cast, person: Person) -> None:
    """The person (a member or a facilitator) belongs to the other group too: steps that
    choose a group are shown only then."""
    s, now = services(cast.world), cast.world.clock.now()
    mid = await member_id(cast.world, person)
    if person is cast.facilitator:
        await s.groups.add_facilitator(cast.other_group_id, mid, now)
    else:
        await s.groups.add_member(cast.other_group_id, mid, now)


async def with_a_linked_chat(cast: Cast, person: Person) -> None:
    """The facilitator administers the group's Telegram chat and links it (/poll_time then asks
    where to ask)."""
    chat = -1009876543210
    cast.world.emulator.add_group(chat, "Obrolan grup", supergroup=True, admins=(person.user_id,))
    await person.send_in_group(chat, "/link")
    await press_if_offered(THE_GROUP)(cast, person)


async def member_asks(cast: Cast, person: Person) -> None:
    """The member asks the group's facilitators a question, which reaches them."""
    for action in (send("/ask"), press_if_offered(THE_GROUP), send("Boleh bawa teman?")):
        await action(cast, cast.member)
    await cast.member.press("Send")
    await cast.world.tick()


async def member_alerts(cast: Cast, person: Person) -> None:
    """The member asks, through /crisis, for the facilitator to be told."""
    await cast.member.send("/crisis")
    await press("Let my facilitator know", "Yes, tell my facilitator")(cast, cast.member)
    await cast.world.tick()


async def paired_with_facilitator(cast: Cast, person: Person) -> None:
    """The member and the facilitator (a member too) are buddies; /buddy shows the pairing."""
    s, world = services(cast.world), cast.world
    fid = await member_id(world, cast.facilitator)
    await s.groups.add_member(cast.group_id, fid, world.clock.now())
    for who in (cast.member, cast.facilitator):
        await who.send("/buddy")
        await press_if_offered("Find me a buddy")(cast, who)
    # The next Monday 09:00 in Makassar pairs them.
    monday = world.clock.now() + timedelta(days=(7 - world.clock.now().weekday()) % 7 or 7)
    await advance_to(world, monday.replace(hour=1, minute=0))
    await world.tick()
    await person.send("/buddy")


async def asked_for_feedback(cast: Cast, person: Person) -> None:
    """A meeting the member went to ended an hour and a half ago: the question came."""
    meeting = await a_meeting(cast.world, cast.group_id, cast.world.clock.now() + timedelta(days=1))
    s = services(cast.world)
    member = await s.members.by_telegram_id(person.user_id)
    await seats.rsvp(s.meetings, s.groups, s.outbox, s.clock, member, meeting.id, True)
    await advance_to(cast.world, meeting.starts_at + timedelta(minutes=90, hours=1))
    await cast.world.tick()


@dataclass(frozen=True)
class Way:
    """How a role gets to a step from outside any conversation."""

    roles: tuple[str, ...]
    actions: tuple[Action, ...]

    async def walk(self, cast: Cast, person: Person) -> None:
        for action in self.actions:
            await action(cast, person)


def way(roles: tuple[str, ...], *actions: Action) -> Way:
    return Way(roles, actions)


def then(before: Way, *actions: Action) -> Way:
    return Way(before.roles, before.actions + actions)


_start = way(("visitor",), send("/start"))
_intro = then(_start, press("English"))
_age = then(_intro, press("Continue"))
_consent = then(_age, press("Yes, I'm 18 or older"))
_alias = then(_consent, press("I agree"))
_own_alias = then(_alias, press("Choose my own"))
_region = then(_own_alias, send("Tamu Baru"))

_mood = way(REGISTERED, send("/mood"))
_mood_tags = then(_mood, press("Okay"))
_mood_offer = then(_mood_tags, press("Done"))

_ask = way(("member",), send("/ask"), press_if_offered(THE_GROUP))
_answer = way(("facilitator",), member_asks, press("Answer"))
_buddy = way(("member",), paired_with_facilitator, press("Write to"))

_meeting = way(("facilitator",), send("/newmeeting"), press_if_offered(THE_GROUP))
_time = then(_meeting, press("Thu 3 Dec"))
_duration = then(_time, press("19:30"))
_repeat = then(_duration, press("90 min"))
_place = then(_repeat, press("Just once"))
_link = then(_place, send("Community hall, Jl. Merdeka 5, Makassar"))
_capacity = then(_link, send("https://meet.example.org/teman-cerita"))
_confirm = then(_capacity, press("20"))
_kind = then(_confirm, press("Type and title"))
_title = then(_kind, press("Seminar"))

# Once a poll runs, /poll_time shows its results, with a button to propose new times.
_poll = way(
    ("facilitator",),
    send("/poll_time"),
    press_if_offered(THE_GROUP),
    press_if_offered("Propose new times"),
)

_broadcast = way(("facilitator", "coordinator"), send("/broadcast"))
_compose = then(_broadcast, press_if_offered(THE_GROUP), press_if_offered("All members"))

_group = way(("coordinator",), send("/newgroup"))
_topics = then(_group, send("Teman Baru Denpasar"))
_format = then(_topics, press("Anxiety", "Done"))
_province = then(_format, press("In person"))
_city = then(_province, press("Next", "Next", "South Sulawesi"))
_languages = then(_city, send("Makassar"))
_description = then(_languages, press("Bahasa Indonesia", "Done"))
_max_members = then(
    _description, send("A warm group for people living with anxiety or depression.")
)
_trials = then(_max_members, send("12"))
_seats = then(_trials, press("Yes, newcomers can try a session"))

_resource = way(("coordinator",), send("/addresource"))
_resource_text = then(_resource, press("Therapy"))
_resource_province = then(
    _resource_text,
    *map(send, ("Terapi seni Bandung", "Bandung art therapy", "Melukis bersama.", "Painting.")),
    press("Skip"),
    send("(022) 255-1111"),
)

_edit_group = way(("coordinator",), send("/groups"), press(THE_GROUP, "Edit"))

# (conversation, step) -> how to get there.
WAYS: dict[tuple[str, str], Way] = {
    ("onboarding", "LANGUAGE"): _start,
    ("onboarding", "INTRO"): _intro,
    ("onboarding", "AGE"): _age,
    ("onboarding", "CONSENT"): _consent,
    ("onboarding", "ALIAS"): _alias,
    ("onboarding", "OWN_ALIAS"): _own_alias,
    ("onboarding", "REGION"): _region,
    ("onboarding", "TOPICS"): then(_region, press("Next", "Bali")),
    ("alias", "CHOOSE"): way(REGISTERED, send("/alias")),
    ("alias", "TYPE"): way(REGISTERED, send("/alias"), press("Choose my own")),
    ("settings", "PROVINCE"): way(REGISTERED, send("/settings"), press("Province")),
    ("settings", "CHECKIN_TIME"): way(
        REGISTERED, send("/settings"), press("Weekly check-in", "Time")
    ),
    ("checkin", "ITEM"): way(REGISTERED, send("/checkin")),
    ("mood", "SCORE"): _mood,
    ("mood", "TAGS"): _mood_tags,
    ("mood", "NOTE_OFFER"): _mood_offer,
    ("mood", "NOTE"): then(_mood_offer, press("Add a note")),
    ("resource_search", "QUERY"): way(EVERYONE, send("/resources"), press("Search")),
    # Visitors see the questions only, outside any conversation.
    ("safety_plan", "ANSWER"): way(REGISTERED, send("/safetyplan")),
    ("safety_plan", "REVIEW"): way(REGISTERED, send("/safetyplan"), press(*["Skip"] * 6)),
    ("ask", "GROUP"): way(("member",), in_both_groups, send("/ask")),
    ("ask", "TEXT"): _ask,
    ("ask", "PREVIEW"): then(_ask, send("Boleh bawa teman?")),
    ("answer_question", "TEXT"): _answer,
    ("answer_question", "PREVIEW"): then(_answer, send("Ya, tentu boleh.")),
    ("buddy_message", "TEXT"): _buddy,
    ("buddy_message", "PREVIEW"): then(_buddy, send("Semangat ya!")),
    ("alert_reply", "TEXT"): way(("facilitator",), member_alerts, press("Send a message")),
    ("meeting_feedback", "COMMENT"): way(("member",), asked_for_feedback, press("4")),
    ("new_meeting", "GROUP"): way(("facilitator",), in_both_groups, send("/newmeeting")),
    ("new_meeting", "DATE"): _meeting,
    ("new_meeting", "TIME"): _time,
    ("new_meeting", "DURATION"): _duration,
    ("new_meeting", "REPEAT"): _repeat,
    ("new_meeting", "PLACE"): _place,
    ("new_meeting", "LINK"): _link,
    ("new_meeting", "CAPACITY"): _capacity,
    ("new_meeting", "CONFIRM"): _confirm,
    ("new_meeting", "KIND"): _kind,
    ("new_meeting", "TITLE"): _title,
    ("new_meeting", "OPEN"): then(_title, send("Stigma & us: talking about mental health")),
    ("time_poll", "GROUP"): way(("facilitator",), in_both_groups, send("/poll_time")),
    ("time_poll", "DATE"): _poll,
    ("time_poll", "TIME"): then(_poll, press("Thu 3 Dec")),
    ("time_poll", "WHERE"): way(
        ("facilitator",),
        with_a_linked_chat,
        *_poll.actions,
        press("Thu 3 Dec", "19:30"),
        send("2026-12-05 10:00"),
        press("Send the poll"),
    ),
    ("group_edit", "FIELD"): _edit_group,
    ("group_edit", "VALUE"): then(_edit_group, press("Description")),
    ("broadcast", "AUDIENCE"): _broadcast,
    ("broadcast", "PROVINCE"): way(
        ("coordinator",), send("/broadcast"), press("People of one province")
    ),
    ("broadcast", "COMPOSE"): _compose,
    ("broadcast", "PREVIEW"): then(_compose, send("Pertemuan besok jadi, ya!")),
    ("new_group", "NAME"): _group,
    ("new_group", "TOPICS"): _topics,
    ("new_group", "FORMAT"): _format,
    ("new_group", "PROVINCE"): _province,
    ("new_group", "CITY"): _city,
    ("new_group", "LANGUAGES"): _languages,
    ("new_group", "DESCRIPTION"): _description,
    ("new_group", "MAX_MEMBERS"): _max_members,
    ("new_group", "TRIALS"): _trials,
    ("new_group", "TRIAL_SEATS"): _seats,
    ("new_group", "CONFIRM"): then(_seats, send("3")),
    ("resource_editor", "CATEGORY"): _resource,
    ("resource_editor", "TEXT"): _resource_text,
    ("resource_editor", "PROVINCE"): _resource_province,
    ("resource_editor", "CONFIRM"): then(_resource_province, press("National"), send("lukis, art")),
    ("resource_editor", "FIELD"): way(
        ("coordinator",), send("/resources art therapy"), press("1."), press("Edit")
    ),
}


def cases() -> list[tuple[str, str, str]]:
    """(conversation, step, role) for every role that can get to every step."""
    return [
        (conversation, step, role)
        for (conversation, step), found in sorted(WAYS.items())
        for role in found.roles
    ]


async def reach(cast: Cast, conversation: str, step: str, role: str) -> Person:
    """Walks ``role``'s person to the step from wherever they are; asserts they got there."""
    person = cast.role(role)
    await person.send("/cancel")
    await WAYS[conversation, step].walk(cast, person)
    reached = step_of(cast.world, conversation, person.user_id)
    assert reached == step, (conversation, step, role, reached, person.last.text, person.buttons())
    return person
