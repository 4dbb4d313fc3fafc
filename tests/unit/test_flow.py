"""The step-flow helper: steps shown from the typed draft, kept in user_data as JSON, a kind
re-prompt for unexpected input, and a clean ending when the flow cannot go on."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler

from bot.i18n import Translator, get_translator
from bot.telegram_glue.flow import StepFlow
from bot.ui.callbacks import Area
from bot.ui.view import View

BUTTONS = InlineKeyboardMarkup([[InlineKeyboardButton("Yes", callback_data="nm:yes")]])


class Step(enum.IntEnum):
    NAME = 1
    COLOUR = 2
    CONFIRM = 3


@dataclass
class Draft:
    name: str | None = None
    colours: list[str] = field(default_factory=list)
    gone: bool = False  # the person's role went: the flow cannot go on


async def view(update: Any, context: Any, step: Step, draft: Draft) -> View | Step | None:
    if draft.gone:
        return None
    if step is Step.NAME:
        return "Name?", None
    if draft.name is None:
        return Step.NAME  # a later step needs the name first
    if step is Step.COLOUR:
        return f"Colours of {draft.name}: {', '.join(draft.colours)}", BUTTONS
    return "Confirm?", BUTTONS


def hint(t: Translator) -> str:
    return "Use the buttons."


def typing_hint(t: Translator) -> str:
    return "Send text."


def lost(t: Translator) -> str:
    return "Not yours any more."


def flow(**options: Any) -> StepFlow[Step, Draft]:
    return StepFlow("test_flow", Draft, view, hint=hint, lost=lost, **options)


class Chat:
    """What the person sees, in order: ("send" | "edit" | "answer" | "saved", text)."""

    def __init__(self) -> None:
        self.log: list[tuple[str, Any]] = []

    async def send_message(self, text: str, reply_markup: Any = None) -> None:
        self.log.append(("send", text))


class Query:
    def __init__(self, chat: Chat) -> None:
        self.chat, self.message = chat, object()

    async def answer(self, text: str | None = None, show_alert: bool = False) -> None:
        self.chat.log.append(("answer", text))

    async def edit_message_text(self, text: str, reply_markup: Any = None) -> None:
        self.chat.log.append(("edit", text))


class Persistence:
    def __init__(self, chat: Chat) -> None:
        self.chat = chat

    async def update_user_data(self, user_id: int, data: dict) -> None:
        self.chat.log.append(("saved", dict(data)))


def person(*, pressed: bool = False) -> tuple[Any, Any, Chat]:
    chat = Chat()
    update = SimpleNamespace(
        callback_query=Query(chat) if pressed else None,
        message=None,  # no text: a sticker, or a press
        effective_chat=chat,
        effective_user=SimpleNamespace(id=7),
    )

    async def session(_: Any) -> Any:
        return SimpleNamespace(t=get_translator("en"))

    context = SimpleNamespace(
        user_data={},
        session=session,
        application=SimpleNamespace(persistence=Persistence(chat)),
    )
    return update, context, chat


async def test_a_step_is_shown_from_the_draft_which_is_kept_as_json() -> None:
    update, context, chat = person()
    state = await flow().go(update, context, Step.COLOUR, Draft(name="Ayu", colours=["red"]))
    assert state is Step.COLOUR
    assert chat.log == [("send", "Colours of Ayu: red")]
    assert context.user_data == {"test_flow": {"name": "Ayu", "colours": ["red"], "gone": False}}
    assert flow().draft(context) == Draft(name="Ayu", colours=["red"])


async def test_a_pressed_button_edits_its_message_and_a_note_comes_first() -> None:
    update, context, chat = person(pressed=True)
    await flow().go(update, context, Step.CONFIRM, Draft(name="Ayu"), note="Taken meanwhile.")
    assert chat.log == [("answer", None), ("edit", "Taken meanwhile.\n\nConfirm?")]


async def test_reading_the_draft_stores_nothing() -> None:
    _, context, _ = person()
    assert flow().draft(context) == Draft()
    assert context.user_data == {}


async def test_a_step_missing_an_earlier_answer_shows_that_one_instead() -> None:
    update, context, chat = person()
    assert await flow().go(update, context, Step.CONFIRM, Draft()) is Step.NAME
    assert chat.log == [("send", "Name?")]


async def test_views_sending_each_other_round_in_a_circle_fail_loudly() -> None:
    async def circle(update: Any, context: Any, step: Step, draft: Draft) -> Step:
        return Step.NAME if step is Step.COLOUR else Step.COLOUR

    update, context, _ = person()
    with pytest.raises(RuntimeError, match="circle"):
        await StepFlow("test_flow", Draft, circle).go(update, context, Step.COLOUR, Draft())


async def test_a_flow_that_cannot_go_on_ends_kindly_and_drops_its_draft() -> None:
    update, context, chat = person(pressed=True)
    context.user_data["test_flow"] = {"name": "Ayu"}
    state = await flow().go(update, context, Step.COLOUR, Draft(gone=True))
    assert state == ConversationHandler.END
    assert context.user_data == {}
    assert chat.log == [("answer", None), ("send", "Not yours any more.")]  # below the step


async def test_an_ending_drops_the_draft_and_keeps_other_drafts() -> None:
    update, context, chat = person()
    context.user_data.update(test_flow={"name": "Ayu"}, lang="en")
    assert await flow().end(update, context, "Done.") == ConversationHandler.END
    assert context.user_data == {"lang": "en"}
    assert chat.log == [("send", "Done.")]


async def test_the_draft_can_be_saved_before_the_reply() -> None:
    update, context, chat = person()
    await flow(save_before_reply=True).go(update, context, Step.NAME, Draft(name="Ayu"))
    (saved, data), shown = chat.log
    assert saved == "saved" and data["test_flow"]["name"] == "Ayu"
    assert shown == ("send", "Name?")


def reprompts(test_flow: StepFlow[Step, Draft], step: Step, **hints: Any) -> Any:
    states: dict[Any, list] = {step: []}
    test_flow.add_step_hints(states, **hints)
    return states[step]


async def test_unexpected_input_at_a_button_step_gets_the_hint_and_the_step_again() -> None:
    typed, stale_button = reprompts(flow(area=Area.NEW_MEETING), Step.COLOUR)
    assert isinstance(typed, MessageHandler) and isinstance(stale_button, CallbackQueryHandler)

    update, context, chat = person(pressed=True)
    context.user_data["test_flow"] = {"name": "Ayu", "colours": ["blue"]}
    assert await stale_button.callback(update, context) is Step.COLOUR
    assert chat.log == [
        ("answer", "Use the buttons."),
        ("send", "Use the buttons.\n\nColours of Ayu: blue"),
    ]


async def test_at_a_typing_step_the_prompt_says_what_to_send_unless_there_is_a_typing_hint() -> (
    None
):
    update, context, chat = person()
    (typed,) = reprompts(flow(), Step.NAME)
    assert await typed.callback(update, context) is Step.NAME
    assert chat.log == [("send", "Name?")]

    update, context, chat = person()
    (typed,) = reprompts(flow(typing_hint=typing_hint), Step.NAME)
    await typed.callback(update, context)
    assert chat.log == [("send", "Send text.\n\nName?")]


async def test_a_reprompt_where_the_flow_cannot_go_on_ends_it() -> None:
    update, context, chat = person()
    context.user_data["test_flow"] = {"gone": True}
    (typed,) = reprompts(flow(), Step.COLOUR)
    assert await typed.callback(update, context) == ConversationHandler.END
    assert context.user_data == {}
    assert chat.log == [("send", "Not yours any more.")]


def test_hints_leave_out_the_steps_asked_and_are_wrapped_like_the_flows_handlers() -> None:
    wrapped = []

    def wrap(callback: Any) -> Any:
        wrapped.append(callback)
        return callback

    states: dict[Any, list] = {Step.NAME: [], Step.COLOUR: []}
    flow().add_step_hints(states, except_steps={Step.NAME}, wrap=wrap)
    assert states[Step.NAME] == []
    assert [handler.callback for handler in states[Step.COLOUR]] == wrapped  # no area: text only


def test_a_flow_is_declared_with_a_draft_type_that_round_trips() -> None:
    @dataclass
    class Unstorable:
        answers: dict[str, int] = field(default_factory=dict)

    with pytest.raises(TypeError, match="unsupported"):
        StepFlow("broken", Unstorable, view)
