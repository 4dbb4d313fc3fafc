"""The authorization matrix: every privileged command and button, from a visitor, a member,
a facilitator of another group, the facilitator of the group and a coordinator. Only the roles
in a row's ``allowed`` get what the command or button does; everyone else is refused, and a
refused button changes nothing in the database.

Every command of the role menus (bot/ui/commands.py) must have a row here.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from bot.ui.commands import COORDINATOR_COMMANDS, FACILITATOR_COMMANDS
from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers.cast import Cast
from tests.journeys.helpers.meetings import member_id, schedule_weekly

PEOPLE = ("visitor", "member", "other_facilitator", "facilitator", "coordinator")
GROUP_FACILITATORS = ("other_facilitator", "facilitator")  # each for their own group
STAFF = (*GROUP_FACILITATORS, "coordinator")

# command -> (who may, what they see first)
COMMANDS: dict[str, tuple[tuple[str, ...], str]] = {
    "newmeeting": (GROUP_FACILITATORS, "New meeting for"),
    "meetings": (GROUP_FACILITATORS, "No upcoming meetings"),
    "attendance": (GROUP_FACILITATORS, "No meetings in the last two weeks"),
    "poll_time": (GROUP_FACILITATORS, "Time poll for"),
    "impact": (STAFF, "Which period would you like to see"),
    "reports": (STAFF, "no open reports"),
    "broadcast": (STAFF, "New announcement"),
    "broadcasts": (STAFF, "No announcements yet"),
    "newgroup": (("coordinator",), "create a new support group"),
    "invite_facilitator": (("coordinator",), "Which group should the new facilitator lead"),
    "promote": (("coordinator",), "makes someone a coordinator"),
    "addresource": (("coordinator",), "New resource"),
    "export": (("coordinator",), "Impact figures of every group"),
    "audit": (("coordinator",), "Moderation log"),
}


def test_every_command_of_the_role_menus_has_a_row() -> None:
    menus = {command for command, _ in (*COORDINATOR_COMMANDS, *FACILITATOR_COMMANDS)}
    assert menus <= set(COMMANDS)


@pytest.mark.parametrize("command", sorted(COMMANDS))
async def test_a_privileged_command_works_only_for_its_roles(cast: Cast, command: str) -> None:
    allowed, shown = COMMANDS[command]
    for role in PEOPLE:
        person = cast.role(role)
        await person.send("/cancel")
        replies = await person.send(f"/{command}")
        seen = " ".join(reply.text or reply.caption or "" for reply in replies)
        assert (shown.lower() in seen.lower()) == (role in allowed), (command, role, seen)


def domain_rows(world: BotWorld) -> dict[str, list[tuple]]:
    """Every table's rows, but PTB's own (conversation steps and drafts of the presser)."""
    with closing(sqlite3.connect(world.db_path)) as db:
        tables = [
            name
            for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not name.startswith("ptb_")
        ]
        return {table: db.execute(f"SELECT * FROM {table}").fetchall() for table in tables}


async def press_as(person: Person, data: str) -> str:
    """Presses ``data`` on the person's newest message; what they then see (a toast, an
    alert, a new or edited message)."""
    world = person.world
    if not world.emulator.bot_messages(person.user_id):
        await person.send("/help")
    message_id = person.last.message_id
    replies = await person.press_data(message_id, data)
    [edited] = [
        m for m in world.emulator.bot_messages(person.user_id) if m.message_id == message_id
    ]
    toast = list(world.emulator.callback_answers.values())[-1].get("text") or ""
    return " ".join([toast, edited.text or "", *(reply.text or "" for reply in replies)])


# button -> (its data, from the cast's ids; who may press it). Buttons inside a conversation
# (an announcement's group, a meeting's day) only work at their step: the fuzz run presses
# them, forged, at every step.
async def buttons(cast: Cast) -> dict[str, tuple[str, tuple[str, ...]]]:
    g, member = cast.group_id, await member_id(cast.world, cast.member)
    coordinator = ("coordinator",)
    return {
        "edit the group": (f"gc:edit:{g}", coordinator),
        "its facilitators": (f"gc:facs:{g}", coordinator),
        "its members": (f"gc:mems:{g}:0", coordinator),
        "invite a facilitator": (f"gc:inv:{g}", coordinator),
        "archive it": (f"gc:arch:{g}", coordinator),
        "remove a member": (f"gc:unmem:{g}:{member}", coordinator),
        "a meeting of the group": ("mt:open:1", ("facilitator",)),
    }


async def test_forged_buttons_of_the_group_are_refused_to_everyone_else(cast: Cast) -> None:
    """Each button's data is pressed by every role (others first, so the state they act on is
    the one the allowed role sees); a refused press changes nothing, and shows nothing of
    what the allowed role sees."""
    await schedule_weekly(cast.facilitator, online=True)
    for name, (data, allowed) in (await buttons(cast)).items():
        before = domain_rows(cast.world)
        refused = [role for role in PEOPLE if role not in allowed]
        seen_by = {}
        for role in refused:
            person = cast.role(role)
            await person.send("/cancel")
            seen_by[role] = await press_as(person, data)
            assert domain_rows(cast.world) == before, (name, role)
        for role in allowed:
            person = cast.role(role)
            await person.send("/cancel")
            view = await press_as(person, data)
            first_line = view.strip().split("\n")[0]
            assert "no longer active" not in first_line, (name, role, view)
            for role_refused, seen in seen_by.items():
                assert first_line not in seen, (name, role_refused, seen)
