"""Menus, /help and /language as a newcomer meets them (issue 13): the command menu Telegram
shows follows the language chosen in the bot and the person's roles at once; people who have not
joined get a menu of what they can do; /language says which language is in use."""

from __future__ import annotations

from bot.i18n import get_translator
from bot.sandbox.methods import scope_key
from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers import rows
from tests.journeys.helpers.crisis import a_group_with, a_member
from tests.journeys.helpers.groups import a_coordinator, a_group

# Labels and menu texts as the catalogs have them (the Indonesian copy may be reworded).
ID, EN = get_translator("id"), get_translator("en")
CRISIS = "Help in a crisis, right now"


def menu_seen(world: BotWorld, user_id: int, app_language: str) -> dict[str, str]:
    """Command -> description, as this person's Telegram app shows the menu in the private
    chat: the narrowest scope that is set, in Telegram's order (a chat's own menu, then all
    private chats in the app's language, then all private chats)."""
    own = scope_key({"type": "chat", "chat_id": user_id})
    private = scope_key({"type": "all_private_chats"})
    commands = world.emulator.commands
    for key in ((own, app_language), (own, ""), (private, app_language), (private, "")):
        if key in commands:
            return {c["command"]: c["description"] for c in commands[key]}
    raise AssertionError("no command menu at all")


async def onboard_in_indonesian(person: Person) -> None:
    await person.send("/start")
    await person.press("Bahasa Indonesia")
    for label in ("Continue", "Yes, I'm 18 or older", "I agree", "Use this alias"):
        await person.press(ID(label))
    await person.press(ID("Online only"))
    await person.press(ID("Done"))


async def test_my_command_menu_follows_the_language_i_choose_at_once(world: BotWorld) -> None:
    # The app speaks Indonesian; the person chooses English in the bot, then back again.
    dewi = world.person(1301, "Dewi", "id")
    await onboard_in_indonesian(dewi)
    assert menu_seen(world, 1301, "id")["crisis"] == ID(CRISIS)

    await dewi.send("/language")
    await dewi.press("English")
    assert menu_seen(world, 1301, "id")["crisis"] == CRISIS
    assert "newmeeting" not in menu_seen(world, 1301, "id")

    await dewi.send("/language")
    await dewi.press("Bahasa Indonesia")
    assert menu_seen(world, 1301, "id")["crisis"] == ID(CRISIS)

    # An English app, Indonesian chosen when joining: the menu is the bot's language too.
    rani = world.person(1302, "Rani", "en")
    await onboard_in_indonesian(rani)
    assert menu_seen(world, 1302, "en")["crisis"] == ID(CRISIS)


async def test_a_facilitators_menu_shrinks_when_their_group_is_archived(world: BotWorld) -> None:
    koor = await a_coordinator(world)
    fasil = await a_member(world, 1303, "Fasil Tiga")
    await a_group_with(world, facilitators=["Fasil Tiga"], members=[])
    await world.set_role_menus()
    assert "newmeeting" in menu_seen(world, 1303, "en")

    await koor.send("/groups")
    await koor.press("Teman Cerita Makassar")
    await koor.press("Archive")
    await koor.press("Yes, archive it")

    # No message from the former facilitator needed: their menu has already shrunk.
    menu = menu_seen(world, 1303, "en")
    assert "newmeeting" not in menu and "crisis" in menu
    await fasil.send("/help")
    assert "/newmeeting" not in fasil.last.text


async def test_a_new_facilitators_menu_is_there_before_their_next_message(
    world: BotWorld,
) -> None:
    koor = await a_coordinator(world)
    await a_group(world)
    sari = await a_member(world, 1304, "Sari Empat")
    await koor.send("/invite_facilitator")
    await koor.press("Teman Cerita Makassar")
    payload = next(w for w in koor.last.text.split() if "start=f-" in w).split("start=")[1]

    await sari.send(f"/start {payload}")

    assert "You are now a facilitator" in sari.last.text
    assert "newmeeting" in menu_seen(world, 1304, "en")
    assert rows(world, "SELECT count(*) FROM command_menus WHERE chat_id = 1304") == [(1,)]


async def test_help_and_menu_for_someone_who_has_not_joined(world: BotWorld) -> None:
    tamu = world.person(1305, "Tamu", "en")

    await tamu.send("/help")
    assert "/groups" in tamu.last.text and "/start" in tamu.last.text

    await tamu.send("/menu")
    assert "This is for people who have joined" not in tamu.last.text
    offered = tamu.buttons()
    for label in ("Find a group", "Resources", "Need help now", "Join Rangkul"):
        assert any(label in button for button in offered), (label, offered)

    await tamu.press("Find a group")
    assert "By topic" in " ".join(tamu.buttons())
    await tamu.send("/menu")
    await tamu.press("Resources")
    assert "Resources" in tamu.last.text
    await tamu.send("/menu")
    await tamu.press("Need help now")
    assert "112" in tamu.last.text
    await tamu.send("/menu")
    await tamu.press("Join Rangkul")
    assert "Welcome to Rangkul" in tamu.last.text
    assert "Continue" in tamu.buttons()


async def test_language_says_which_language_is_in_use(world: BotWorld) -> None:
    dewi = world.person(1306, "Dewi", "id")
    await onboard_in_indonesian(dewi)

    await dewi.send("/language")
    assert "Hello! 👋" not in dewi.last.text and "Halo! 👋" not in dewi.last.text
    assert "Bahasa Indonesia" in dewi.last.text
    await dewi.press("English")
    await dewi.send("/language")
    assert "English" in dewi.last.text
    assert "Hello! 👋" not in dewi.last.text
