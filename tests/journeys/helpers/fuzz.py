"""What a fuzz run sends: Hypothesis strategies for everything a person (or a forger) can put
into a private chat with the bot, and the delivery of each through the emulated Telegram.

Texts: any Unicode with emoji, right-to-left script, zero-width and combining characters
mixed in; texts over Telegram's 4096 characters; text that looks like HTML, Markdown or SQL.
Other messages: stickers, photos, documents, locations and contacts where text is expected;
edits of the last message sent. Buttons: random bytes (up to Telegram's 64), well-formed data
of every action with values drawn at random (ids of other people and groups among them), data
with a valid prefix and wrong fields, and the buttons on screen with their numbers replaced.
"""

from __future__ import annotations

import dataclasses
import enum
import re
import types
import typing
from dataclasses import dataclass

from hypothesis import strategies as st

from bot.ui import callbacks
from bot.ui.callbacks import MAX_CALLBACK_BYTES, CallbackData
from tests.journeys.harness import Person
from tests.journeys.helpers.broadcasts import PNG

EMOJI = "😀🌸🙏🏽👩‍👩‍👧‍👦🇮🇩❤️‍🩹🫶"
RIGHT_TO_LEFT = "مرحبا بك שלום \u200f\u202e\u2067"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
COMBINING = "\u0300\u0301\u0308\u0336\u20dd\u0489"
MARKUP = (
    "<b>tebal</b>",
    "<i>miring",
    "</b></i>",
    "<script>alert(1)</script>",
    '<a href="javascript:alert(1)">klik</a>',
    "<tg-spoiler>x</tg-spoiler>",
    "&amp; &lt; &gt; &#0; &nbsp",
    "*tebal* _miring_ `kode` ```blok``` [tautan](http://example.org) ||spoiler||",
    "\\*\\_ ~coret~ > kutipan",
    "{name} {0} %s %(alias)s {{",
)
SQL = (
    "'; DROP TABLE members; --",
    '" OR 1=1 --',
    "Robert'); DELETE FROM groups;--",
    "%' OR alias LIKE '%",
    "1; PRAGMA writable_schema=1",
    "_%\\",
    "NULL",
    "0x00",
)
MEDIA = ("sticker", "photo", "document", "location", "contact")
# Ids that exist in a cast's database (groups, members, meetings, questions …) are small.
IDS = st.one_of(st.integers(0, 12), st.integers(0, 10**18 - 1))


def _characters() -> st.SearchStrategy[str]:
    special = EMOJI + RIGHT_TO_LEFT + ZERO_WIDTH + COMBINING
    return st.one_of(
        st.characters(codec="utf-8", exclude_categories=["Cs"]),
        st.sampled_from(list(special)),
    )


def texts() -> st.SearchStrategy[str]:
    pieces = st.one_of(
        st.text(_characters(), min_size=1, max_size=60),
        st.sampled_from(MARKUP),
        st.sampled_from(SQL),
    )
    short = st.lists(pieces, min_size=1, max_size=4).map(" ".join)
    # Over Telegram's 4096 characters: a piece repeated (Hypothesis builds no 5,000-character
    # text quickly on its own).
    long = st.builds(lambda piece, size: (piece * size)[:size], pieces, st.integers(4097, 12_000))
    return st.one_of(short, short, long).filter(lambda text: text.strip() != "")


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Edit:
    """The person edits the last message they sent."""

    text: str


@dataclass(frozen=True)
class Media:
    kind: str


@dataclass(frozen=True)
class Press:
    """Raw callback data, pressed on the bot's newest message."""

    data: str


@dataclass(frozen=True)
class Reshown:
    """A button on screen pressed with each number in its data replaced by ``number``."""

    index: int
    number: int


def _fits(data: str) -> bool:
    return 0 < len(data.encode()) <= MAX_CALLBACK_BYTES


def _actions() -> list[type[CallbackData]]:
    """Every button action the bot defines (the registry that keeps their prefixes unique)."""
    return sorted(callbacks._REGISTRY.values(), key=lambda action: action.prefix)


def _value(hint: object) -> st.SearchStrategy[object]:
    """A random value of a field's type; None too where the field is optional."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        [inner] = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return st.one_of(st.none(), _value(inner))
    if typing.get_origin(hint) is typing.Annotated:
        hint = typing.get_args(hint)[0]
    if hint is bool:
        return st.booleans()
    if hint is int:
        return IDS
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return st.sampled_from(list(hint))
    return st.text(_characters(), min_size=1, max_size=24).filter(lambda s: ":" not in s)


@st.composite
def well_formed(draw: st.DrawFn) -> str:
    """An action any handler would parse, with values it never showed this person."""
    action = draw(st.sampled_from(_actions()))
    hints = typing.get_type_hints(action, include_extras=True)
    values = {f.name: draw(_value(hints[f.name])) for f in dataclasses.fields(action)}
    try:
        return action(**values).pack()
    except ValueError:  # too long, or a value its field refuses: a malformed variant then
        return action.prefix + ":" + ":".join(str(value) for value in values.values())


@st.composite
def wrong_fields(draw: st.DrawFn) -> str:
    """A valid prefix with fields of the wrong number or kind."""
    prefix = draw(st.sampled_from([action.prefix for action in _actions()]))
    parts = draw(st.lists(st.one_of(st.text(_characters(), max_size=8), IDS.map(str))))
    return ":".join([prefix, *parts])


def callback_data() -> st.SearchStrategy[str]:
    random_bytes = st.binary(min_size=1, max_size=MAX_CALLBACK_BYTES).map(
        lambda raw: raw.decode("utf-8", "ignore")
    )
    return st.one_of(random_bytes, well_formed(), wrong_fields()).filter(_fits)


def inputs() -> st.SearchStrategy[object]:
    return st.one_of(
        texts().map(Text),
        texts().map(Edit),
        st.sampled_from(MEDIA).map(Media),
        callback_data().map(Press),
        st.builds(Reshown, st.integers(0, 20), IDS),
    )


async def send_input(person: Person, given: object) -> None:
    """Delivers one drawn input from ``person``."""
    world, emulator, uid = person.world, person.world.emulator, person.user_id
    match given:
        case Text(text):
            await person.send(text)
        case Edit(text):
            if any(not entry.from_bot for entry in emulator.chat_log(uid)):
                await person.edit(person.last_sent_id, text)
            else:
                await person.send(text)
        case Media("sticker"):
            await person.send_sticker()
        case Media("photo" | "document" as kind):
            upload = ("poster.png", PNG, "image/png")
            await world.deliver(emulator.user_sends_file(uid, kind, upload))
        case Media(kind):
            await world.deliver(_located_or_contact(person, kind))
        case Press(data):
            await person.press_data(_newest_message(person), data)
        case Reshown(index, number):
            shown = _buttons_on_screen(person)
            if shown:
                message_id, data = shown[index % len(shown)]
                forged = re.sub(r"\d+", str(number), data)
                await person.press_data(message_id, forged if _fits(forged) else data)
        case _:
            raise AssertionError(f"unknown input {given!r}")


def _located_or_contact(person: Person, kind: str) -> dict:
    """A location or a contact card (built from a text message: the emulator's page sends
    text, files and button presses only)."""
    update = person.world.emulator.user_sends_text(person.user_id, "x")
    message = update["message"]
    message.pop("text")
    message.pop("entities", None)
    if kind == "location":
        message["location"] = {"latitude": -5.1477, "longitude": 119.4327}
    else:
        message["contact"] = {"phone_number": "+6281234567890", "first_name": "Teman"}
    return update


def _newest_message(person: Person) -> int:
    messages = person.world.emulator.bot_messages(person.user_id)
    return messages[-1].message_id if messages else person.last_sent_id


def _buttons_on_screen(person: Person) -> list[tuple[int, str]]:
    """(message id, data) of the callback buttons of the bot's last few messages."""
    found = []
    for entry in person.world.emulator.bot_messages(person.user_id)[-3:]:
        for row in (entry.reply_markup or {}).get("inline_keyboard", []):
            found += [(entry.message_id, b["callback_data"]) for b in row if "callback_data" in b]
    return found
