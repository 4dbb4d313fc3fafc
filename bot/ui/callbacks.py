"""Typed callback data: one frozen dataclass per button action, packed into Telegram's 64 bytes.

    @dataclass(frozen=True)
    class TakeAlias(CallbackData, prefix="ob:alias:take"):
        suggestion: Annotated[str, MaxLen(24)]

    TakeAlias("Melati 27").pack()               # "ob:alias:take:Melati 27"
    TakeAlias.parse("ob:alias:take:Mawar 12")   # TakeAlias("Mawar 12"); None if malformed
    on_button(TakeAlias, take)                  # calls take(update, context, action)

On the wire: the prefix, then each field after a ":" — an int in decimal, a bool as 0/1, an enum
by its value, a str as it is (1 to MaxLen characters, no ":"), None as an empty part. Trailing
None fields are left off, so an action can gain an optional last field while buttons already
sent without it still parse. Packing checks every value and the 64 bytes (ValueError): a button
that cannot work fails where it is built, not when someone presses it.

Buttons are untrusted input. A parsed action is well-formed, not authorised: handlers still look
ids up again and re-check roles. Data no action parses matches no handler, and the expired-button
answer registered last (bot/app.py) takes it.
"""

from __future__ import annotations

import enum
import inspect
import re
import types
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Self, TypeVar, Union, get_args, get_origin
from typing import get_type_hints as resolve_hints

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.context import RangkulContext
from bot.narrowing import match_of
from bot.telegram_glue.presses import stop_if_passed

MAX_CALLBACK_BYTES = 64  # Telegram refuses callback_data outside 1-64 bytes
SEPARATOR = ":"
# At most 18 digits: any such number fits SQLite's 64-bit integers, so a forged id can be
# looked up (and not found) instead of overflowing.
MAX_DIGITS = 18


@enum.unique  # two features sharing an area would steal each other's buttons: fail at import
class Area(enum.StrEnum):
    """The first part of every prefix: which feature a button belongs to."""

    ONBOARDING = "ob"
    ALIAS = "al"
    SETTINGS = "st"
    MENU = "menu"
    LANGUAGE = "lang"
    FORGET = "fg"
    CONSENT = "pc"
    CRISIS = "cr"
    CRISIS_ACK = "ca"
    GROUNDING = "gd"
    SAFETY_PLAN = "sp"
    GROUPS = "gr"
    GROUPS_ADMIN = "gc"
    MY_GROUPS = "mg"
    NEW_GROUP = "ng"
    EDIT_GROUP = "ge"
    MEETINGS = "mt"
    NEW_MEETING = "nm"
    TIME_POLL = "tp"
    RESOURCES = "rs"
    CHECKIN = "ck"
    FEEDBACK = "fb"
    IMPACT = "im"
    MOOD = "md"
    CHECKIN_SCHEDULE = "cs"
    ASK = "aq"
    BUDDIES = "bd"
    MODERATION = "mo"
    BROADCAST = "bc"
    GROUP_CHATS = "gx"

    def pattern(self) -> re.Pattern[str]:
        """Any button of this feature, well-formed or not: a flow's catch-all for stale buttons,
        registered after its actions."""
        return re.compile(rf"^{self}(?:{SEPARATOR}|\Z)")


@dataclass(frozen=True)
class MaxLen:
    """The longest value of a str field, in characters: ``Annotated[str, MaxLen(24)]``.
    Every str field has one, so every button's size is bounded where its class is defined."""

    chars: int


class _NonNegative:
    """Marks an int field that is never negative."""


# Ids, pages, counts: a forged "-1" matches no pattern instead of reaching a handler.
Natural = Annotated[int, _NonNegative()]


@dataclass(frozen=True)
class _Field:
    """One field of an action: how it looks on the wire and how it reads back."""

    name: str
    kind: type
    optional: bool
    max_len: int = 0  # str only
    natural: bool = False  # int only

    def regex(self) -> str:
        if self.kind is bool:
            body = "[01]"
        elif self.kind is int:
            body = f"{'' if self.natural else '-?'}[0-9]{{1,{MAX_DIGITS}}}"
        elif self.kind is str:
            body = f"[^{SEPARATOR}]{{1,{self.max_len}}}"
        else:
            assert issubclass(self.kind, enum.Enum)  # _field admits no other kind
            body = "|".join(re.escape(member.value) for member in self.kind)
        return f"(?:{body})?" if self.optional else f"(?:{body})"

    def encode(self, value: object) -> str:
        """The field's part of the data; ValueError for a value it could not read back."""
        if value is None and self.optional:
            return ""
        if self.kind is bool and isinstance(value, bool):
            return str(int(value))
        if self.kind is int and type(value) is int and self._fits(value):
            return str(value)
        if self.kind is str and isinstance(value, str) and self._fits(value):
            return value
        if isinstance(self.kind, enum.EnumMeta) and isinstance(value, self.kind):
            return value.value
        # Without the value: it may be personal (an alias), and messages can reach a log.
        raise ValueError(f"{self.name}: this value cannot be packed as {self.kind.__name__}")

    def _fits(self, value: int | str) -> bool:
        if isinstance(value, int):
            return abs(value) < 10**MAX_DIGITS and (value >= 0 or not self.natural)
        return 0 < len(value) <= self.max_len and SEPARATOR not in value

    def decode(self, text: str | None) -> object:
        """The value of text that matched :meth:`regex`."""
        if not text:
            return None
        if self.kind is bool:
            return text == "1"
        return self.kind(text)


def _field(name: str, hint: Any) -> _Field:
    """A field from its resolved type hint; TypeError for a type the wire cannot carry."""
    options = get_args(hint)
    optional = get_origin(hint) in (Union, types.UnionType) and type(None) in options
    if optional and len(options) == 2:
        hint = next(option for option in options if option is not type(None))
    extras: tuple[Any, ...] = ()
    if get_origin(hint) is Annotated:
        hint, *more = get_args(hint)
        extras = tuple(more)
    max_len = next((extra.chars for extra in extras if isinstance(extra, MaxLen)), 0)
    natural = any(isinstance(extra, _NonNegative) for extra in extras)
    if hint is str and max_len < 1:
        raise TypeError(f"{name}: a str field needs Annotated[str, MaxLen(n)]")
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        values = [member.value for member in hint]
        if not all(isinstance(v, str) and v and SEPARATOR not in v for v in values):
            raise TypeError(f"{name}: enum values must be non-empty str without {SEPARATOR!r}")
    elif hint not in (int, str, bool):
        raise TypeError(f"{name}: unsupported callback field type {hint!r}")
    return _Field(name, hint, optional, max_len, natural)


def _compile(prefix: str, fields: tuple[_Field, ...]) -> re.Pattern[str]:
    """An anchored regex of the prefix and the fields; trailing optional fields may be absent."""
    cut = len(fields)
    while cut and fields[cut - 1].optional:
        cut -= 1
    required = "".join(f"{SEPARATOR}(?P<{f.name}>{f.regex()})" for f in fields[:cut])
    tail = ""
    for f in reversed(fields[cut:]):
        tail = f"(?:{SEPARATOR}(?P<{f.name}>{f.regex()}){tail})?"
    return re.compile(rf"^{re.escape(prefix)}{required}{tail}\Z")


_PREFIX = re.compile(rf"[a-z]+(?:{SEPARATOR}[a-z0-9_]+)+")
_REGISTRY: dict[str, type[CallbackData]] = {}


def _register(prefix: str, action: type[CallbackData]) -> None:
    """Prefixes are unique, and none extends another ("cr:alert" and "cr:alert:yes" could both
    read the same data): fails at import, where the second class is defined."""
    area = prefix.split(SEPARATOR)[0]
    if not _PREFIX.fullmatch(prefix) or area not in {a.value for a in Area}:
        raise TypeError(f"{action.__name__}: prefix {prefix!r} is not <area>:<action>[:...]")
    for taken, other in _REGISTRY.items():
        if _extends(prefix, taken) or _extends(taken, prefix):
            raise TypeError(f"{action.__name__}: prefix {prefix!r} clashes with {other.__name__}")
    _REGISTRY[prefix] = action


def _extends(prefix: str, other: str) -> bool:
    """``prefix`` is ``other``, or ``other`` followed by more parts."""
    return f"{prefix}{SEPARATOR}".startswith(f"{other}{SEPARATOR}")


class CallbackData:
    """Base of every button action; subclass it as a frozen dataclass with a unique prefix
    (without slots=True, which would define the class, and so its prefix, a second time)."""

    prefix: ClassVar[str]
    _fields: ClassVar[tuple[_Field, ...]]
    _regex: ClassVar[re.Pattern[str]]

    # Why this action answers a passed press itself instead of presses.py's generic toast
    # (see :func:`own_idempotence`); empty for every other action.
    own_idempotence: ClassVar[str] = ""

    def __init_subclass__(cls, *, prefix: str, own_idempotence: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.own_idempotence = own_idempotence
        hints = resolve_hints(cls, include_extras=True)
        cls._fields = tuple(_field(name, hints[name]) for name in inspect.get_annotations(cls))
        cls._regex = _compile(prefix, cls._fields)
        cls.prefix = prefix
        _register(prefix, cls)

    def pack(self) -> str:
        """The callback data; ValueError if a value cannot travel or it exceeds 64 bytes."""
        parts = [self.prefix, *(f.encode(getattr(self, f.name)) for f in self._fields)]
        while parts[-1] == "":  # trailing None fields are left off
            parts.pop()
        data = SEPARATOR.join(parts)
        if len(data.encode()) > MAX_CALLBACK_BYTES:
            raise ValueError(f"{self.prefix}: callback data too long ({len(data.encode())} bytes)")
        return data

    @classmethod
    def pattern(cls) -> re.Pattern[str]:
        """Matches exactly this action with well-formed fields (for CallbackQueryHandler)."""
        return cls._regex

    @classmethod
    def parse(cls, data: str | None) -> Self | None:
        """The action in ``data``; None for anything else, malformed or forged."""
        match = cls._regex.match(data) if isinstance(data, str) else None
        return None if match is None else cls._from_match(match)

    @classmethod
    def _from_match(cls, match: re.Match[str]) -> Self:
        return cls(**{f.name: f.decode(match.group(f.name)) for f in cls._fields})


def own_idempotence() -> dict[str, str]:
    """The one list of exceptions to presses.py's guard: prefix -> why that action answers a
    passed press itself (a more specific answer, such as "Already saved ✅"). Each is declared
    on its class, ``class X(CallbackData, prefix="..", own_idempotence="why")``, and
    tests/journeys/test_double_taps.py pins this list and double-taps each of them."""
    return {prefix: a.own_idempotence for prefix, a in _REGISTRY.items() if a.own_idempotence}


A = TypeVar("A", bound=CallbackData)
ButtonCallback = Callable[[Update, Any, A], Awaitable[Any]]


class ButtonHandler(CallbackQueryHandler):
    """The handler of one action's buttons (see :func:`on_button`); it guards its own presses,
    so a conversation does not guard them again."""


def on_button(action: type[A], callback: ButtonCallback[A]) -> ButtonHandler:
    """A handler for ``action``'s buttons calling ``callback(update, context, action)``;
    data that does not parse as ``action`` never reaches it.

    Every button is idempotent by construction: a press whose step has passed gets a short
    toast and changes nothing (bot/telegram_glue/presses.py), before ``callback`` runs, unless
    the action declares ``own_idempotence``."""

    async def run(update: Update, context: RangkulContext) -> Any:
        if not action.own_idempotence:
            await stop_if_passed(update, context)
        # PTB keeps the pattern's match, so the data is read once, by the pattern.
        return await callback(update, context, action._from_match(match_of(context)))

    return ButtonHandler(run, pattern=action.pattern())
