"""Group chats are public: every command and every button tried there posts nothing personal,
and nothing typed in a group reaches a private flow."""

from __future__ import annotations

from telegram.ext import BaseHandler, CommandHandler, ConversationHandler

from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers import rows
from tests.journeys.helpers.onboarding import onboard_in_english, reach_own_alias_step

GROUP = -100777
ALIAS = "Rina Rahasia"
POINTER = "I only talk one to one"


def every_command(world: BotWorld) -> set[str]:
    """Every command the bot answers, conversations' entry points and fallbacks included."""

    def walk(handler: BaseHandler) -> set[str]:
        if isinstance(handler, CommandHandler):
            return set(handler.commands)
        if isinstance(handler, ConversationHandler):
            inner = [*handler.entry_points, *handler.fallbacks]
            inner += [h for hs in handler.states.values() for h in hs]
            return set().union(*(walk(h) for h in inner))
        return set()

    handlers = [h for group in world.app.handlers.values() for h in group]
    return set().union(*(walk(h) for h in handlers))


async def a_member_in_a_group_chat(world: BotWorld) -> Person:
    rina = world.person(301, "Rina Sari", "en")
    await onboard_in_english(rina, alias=ALIAS)
    await rina.send("/safetyplan")  # something private to leak, if anything leaked
    world.emulator.add_group(GROUP, "Lingkar Sehat", supergroup=True)
    return rina


def assert_nothing_personal(world: BotWorld, sent: list) -> None:
    for entry in sent:
        assert entry.chat_id == GROUP, f"a group command answered in chat {entry.chat_id}"
        assert entry.kind == "text", "only short texts may be posted in a group"
        assert ALIAS not in entry.text and "Rina" not in entry.text
        assert "safety plan" not in entry.text.lower()


async def test_every_command_in_a_group_gets_a_pointer_and_nothing_personal(
    world: BotWorld,
) -> None:
    rina = await a_member_in_a_group_chat(world)
    commands = every_command(world)
    assert {"start", "mydata", "safetyplan", "alias", "menu", "crisis", "forget"} <= commands
    for command in sorted(commands):
        for text in (f"/{command}@RangkulBot", f"/{command}"):
            sent = await rina.send_in_group(GROUP, text)
            assert_nothing_personal(world, sent)
            assert len(sent) == 1, (text, sent)
            [[button]] = sent[0].reply_markup["inline_keyboard"]
            if command == "crisis":
                assert "112" in sent[0].text and "119" in sent[0].text
                assert button["url"] == "https://t.me/RangkulBot?start=crisis"
            else:
                assert POINTER in sent[0].text
                assert button["url"] == "https://t.me/RangkulBot"
    # No conversation started in the group, and the member is still exactly who she was.
    assert rows(world, "SELECT conv_key FROM ptb_conversations WHERE conv_key LIKE '[-%'") == []
    assert rows(world, "SELECT alias FROM members") == [(ALIAS,)]


async def test_commands_for_other_bots_and_plain_talk_are_left_alone(world: BotWorld) -> None:
    rina = await a_member_in_a_group_chat(world)
    for text in ("/start@SomeOtherBot", "hello everyone", "/mydata@OtherBot", "🌸"):
        assert await rina.send_in_group(GROUP, text) == []


async def test_every_button_pressed_in_a_group_changes_nothing_and_posts_nothing(
    world: BotWorld,
) -> None:
    rina = await a_member_in_a_group_chat(world)
    await rina.send("/menu")
    await rina.send("/settings")
    datas = {
        button["callback_data"]
        for entry in world.emulator.bot_messages(rina.user_id)
        for row in (entry.reply_markup or {}).get("inline_keyboard", [])
        for button in row
        if "callback_data" in button
    }
    assert len(datas) > 10
    [pointer] = await rina.send_in_group(GROUP, "/start@RangkulBot")
    for data in [*sorted(datas), "fg:yes", "ob:topics"]:
        sent = await rina.press_in_group(GROUP, pointer.message_id, data)
        assert sent == [], data
    toasts = {answer["text"] for answer in world.emulator.callback_answers.values()}
    assert "Let's continue in a private chat with me." in toasts
    assert rows(world, "SELECT alias FROM members") == [(ALIAS,)]


async def test_crisis_words_written_to_the_bot_in_a_group_get_the_contacts(
    world: BotWorld,
) -> None:
    rina = await a_member_in_a_group_chat(world)
    [pointer] = await rina.send_in_group(GROUP, "/help@RangkulBot")
    update = world.emulator.user_sends_text(rina.user_id, "aku pengen mati aja", chat_id=GROUP)
    update["message"]["reply_to_message"] = {
        "message_id": pointer.message_id,
        "date": update["message"]["date"],
        "chat": update["message"]["chat"],
        "from": world.emulator.bot_user,
        "text": pointer.text,
    }
    sent = await world.everything_sent(update)
    assert_nothing_personal(world, sent)
    [reply] = sent
    assert "112" in reply.text


async def test_start_in_a_group_leaves_the_private_onboarding_where_it_was(
    world: BotWorld,
) -> None:
    dewi = world.person(302, "Dewi", "en")
    world.emulator.add_group(GROUP, "Lingkar Sehat")
    await dewi.send("/start")
    await dewi.press("English")
    await dewi.press("Continue")
    await dewi.press("Yes, I'm 18 or older")
    await dewi.send_in_group(GROUP, "/start@RangkulBot")
    await dewi.send_in_group(GROUP, "/cancel@RangkulBot")
    await dewi.press("I agree")
    await dewi.press("Use this alias")
    await dewi.press("Online only")
    await dewi.press("Done")
    assert "Welcome to Rangkul" in " ".join(dewi.texts)
    assert len(rows(world, "SELECT * FROM members")) == 1


async def test_an_alias_typed_in_a_group_is_not_taken_as_the_answer(world: BotWorld) -> None:
    eka = world.person(303, "Eka", "en")
    world.emulator.add_group(GROUP, "Lingkar Sehat")
    await reach_own_alias_step(eka)
    assert await eka.send_in_group(GROUP, "Eka Group Name") == []
    await eka.send("Eka Private")
    await eka.press("Online only")
    await eka.press("Done")
    assert rows(world, "SELECT alias FROM members") == [("Eka Private",)]


async def test_the_crisis_deep_link_from_a_group_opens_the_contacts_privately(
    world: BotWorld,
) -> None:
    rina = await a_member_in_a_group_chat(world)
    [public] = await rina.send_in_group(GROUP, "/crisis")
    assert ALIAS not in public.text
    [[button]] = public.reply_markup["inline_keyboard"]
    payload = button["url"].split("?start=")[1]
    private = await rina.send(f"/start {payload}")
    assert private and "112" in private[0].text
    # Someone who never used the bot gets the same contacts, without being signed up.
    dewi = world.person(309, "Dewi", "en")
    world.emulator.add_group(GROUP, "Lingkar Sehat")
    private = await dewi.send(f"/start {payload}")
    assert private and "112" in private[0].text
    assert rows(world, "SELECT alias FROM members") == [(ALIAS,)]
