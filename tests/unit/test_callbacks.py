"""Typed callback data: packing within Telegram's 64 bytes, parsing back or failing, unique
prefixes, and every button action of the app."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from types import SimpleNamespace
from typing import Annotated

import pytest
from telegram import CallbackQuery, Update, User

import bot.app  # noqa: F401  (imports, and so defines, every action of the app)
from bot.domain.alias import SUGGESTION_NAMES
from bot.domain.contacts import NATIONAL
from bot.domain.directory import Scope
from bot.domain.regions import ONLINE_ONLY, PROVINCES
from bot.domain.topics import TOPICS, topics_mask
from bot.i18n import LANGUAGES
from bot.ui import alias, groups, meeting_forms, meetings, new_group, onboarding, resources
from bot.ui.callbacks import (
    MAX_CALLBACK_BYTES,
    MAX_DIGITS,
    Area,
    CallbackData,
    MaxLen,
    Natural,
    _Field,
    on_button,
)
from bot.ui.meeting_picker import day_code, start_code, time_code
from bot.ui.resources import CATEGORY_LABELS

PROVINCE_CODES = [province.code for province in PROVINCES]


class Colour(enum.StrEnum):
    RED = "red"
    DEEP_BLUE = "deep_blue"


class Size(enum.Enum):  # a plain Enum with str values works too
    S = "s"
    XL = "xl"


@dataclass(frozen=True)
class Everything(CallbackData, prefix="gd:test_all"):
    number: int
    count: Natural
    word: Annotated[str, MaxLen(10)]
    flag: bool
    colour: Colour
    size: Size


@dataclass(frozen=True)
class Optionals(CallbackData, prefix="gd:test_opt"):
    number: int | None
    word: Annotated[str, MaxLen(8)] | None
    colour: Colour | None = None


@dataclass(frozen=True)
class Bare(CallbackData, prefix="gd:test_bare"):
    pass


@dataclass(frozen=True)
class Neighbour(CallbackData, prefix="gd:test_all_neighbour"):
    pass


@dataclass(frozen=True)
class Long(CallbackData, prefix="gd:test_long"):
    text: Annotated[str, MaxLen(100)]


def test_every_field_type_round_trips() -> None:
    action = Everything(-42, 7, "Melati 27", True, Colour.DEEP_BLUE, Size.XL)
    data = action.pack()
    assert data == "gd:test_all:-42:7:Melati 27:1:deep_blue:xl"
    assert Everything.parse(data) == action
    assert Everything.pattern().match(data)
    assert Everything.parse(Everything(0, 0, "x", False, Colour.RED, Size.S).pack()) == Everything(
        0, 0, "x", False, Colour.RED, Size.S
    )
    assert Bare().pack() == "gd:test_bare"
    assert Bare.parse("gd:test_bare") == Bare()


def test_none_is_an_empty_part_and_trailing_nones_are_left_off() -> None:
    for action, data in [
        (Optionals(5, "abc", Colour.RED), "gd:test_opt:5:abc:red"),
        (Optionals(None, "abc", None), "gd:test_opt::abc"),
        (Optionals(None, None, Colour.RED), "gd:test_opt:::red"),
        (Optionals(3, None), "gd:test_opt:3"),
        (Optionals(None, None), "gd:test_opt"),
    ]:
        assert action.pack() == data
        assert Optionals.parse(data) == action
    # Buttons sent before a trailing optional field existed, or with an empty last part.
    assert Optionals.parse("gd:test_opt:3:") == Optionals(3, None)


def test_what_cannot_travel_is_refused_when_packed() -> None:
    with pytest.raises(ValueError, match="too long"):
        Long("x" * MAX_CALLBACK_BYTES).pack()
    assert len(Long("é" * 25).pack().encode()) == 63  # bytes count, not characters
    with pytest.raises(ValueError, match="too long"):
        Long("é" * 26).pack()
    refused = [
        Everything(1, 1, "a:b", True, Colour.RED, Size.S),  # the separator would shift fields
        Everything(1, 1, "", True, Colour.RED, Size.S),  # empty is how None travels
        Everything(1, 1, "x" * 11, True, Colour.RED, Size.S),  # over its MaxLen
        Everything(1, -1, "x", True, Colour.RED, Size.S),  # a Natural is never negative
        Everything(10**MAX_DIGITS, 1, "x", True, Colour.RED, Size.S),  # too many digits
        Everything(True, 1, "x", True, Colour.RED, Size.S),  # a bool is not an int
        Everything("1", 1, "x", True, Colour.RED, Size.S),  # type: ignore[arg-type]
        Everything(1, 1, "x", 1, Colour.RED, Size.S),  # type: ignore[arg-type]
        Everything(1, 1, "x", True, "red", Size.S),  # type: ignore[arg-type]
        Everything(1, 1, "x", True, Colour.RED, None),  # type: ignore[arg-type]
    ]
    for action in refused:
        with pytest.raises(ValueError):
            action.pack()


@pytest.mark.parametrize(
    "data",
    [
        "",
        "gd",
        "gd:test_all",
        "gd:test_all:1:1:x:1:red",  # a field missing
        "gd:test_all:1:1:x:1:red:s:more",  # a field too many
        "gd:test_all:1:1:x:1:red:s:",
        "gd:test_all:1:1:x:1:red:m",  # not a value of the enum
        "gd:test_all:1:1:x:2:red:s",  # a bool is 0 or 1
        "gd:test_all:1:-1:x:1:red:s",  # a negative Natural
        "gd:test_all:x:1:x:1:red:s",
        "gd:test_all:1.5:1:x:1:red:s",
        "gd:test_all:1:\u0661:x:1:red:s",  # other scripts' digits
        "gd:test_all:1234567890123456789:1:x:1:red:s",  # more digits than SQLite holds
        "gd:test_all:1:1::1:red:s",  # an empty str
        "gd:test_all:1:1:elevenchars:1:red:s",  # over its MaxLen
        "gd:test_all:1:1:x:1:red:s\n",
        " gd:test_all:1:1:x:1:red:s",
        "gd:test_allx:1:1:x:1:red:s",
        "gd:test_bare:",
        "gd:test_bare:1",
        "zz:" + "9" * 60,
    ],
)
def test_malformed_or_forged_data_parses_as_nothing_and_matches_no_pattern(data: str) -> None:
    for action in (Everything, Bare):
        assert action.parse(data) is None
        assert action.pattern().match(data) is None


def test_parse_takes_anything_without_raising() -> None:
    assert Everything.parse(None) is None
    assert Everything.parse(b"gd:test_bare") is None  # type: ignore[arg-type]


def test_prefixes_are_unique_and_none_extends_another() -> None:
    for prefix in ("gd:test_all", "gd:test_all:more", "gd", "gd:test_opt:x:y"):
        with pytest.raises(TypeError, match=r"clashes|not <area>"):

            @dataclass(frozen=True)
            class Clash(CallbackData, prefix=prefix):
                pass

    with pytest.raises(TypeError, match="not <area>"):

        @dataclass(frozen=True)
        class UnknownArea(CallbackData, prefix="zz:action"):
            pass

    # Sharing the first letters is fine: the separator bounds every part.
    assert Everything.parse(Neighbour().pack()) is None


def test_fields_the_wire_cannot_carry_fail_where_the_class_is_defined() -> None:
    with pytest.raises(TypeError, match="MaxLen"):

        @dataclass(frozen=True)
        class Unbounded(CallbackData, prefix="gd:test_unbounded"):
            text: str

    with pytest.raises(TypeError, match="unsupported"):

        @dataclass(frozen=True)
        class Floating(CallbackData, prefix="gd:test_float"):
            value: float


def test_area_pattern_takes_every_button_of_one_area_only() -> None:
    assert Area.GROUNDING.pattern().match("gd:anything:at:all")
    assert Area.GROUNDING.pattern().match("gd")
    assert Area.MENU.pattern().match("mg:list") is None
    assert Area.LANGUAGE.pattern().match("language") is None


async def test_on_button_hands_the_parsed_action_to_the_callback() -> None:
    received = []

    async def callback(update: Update, context: object, action: Everything) -> str:
        received.append(action)
        return "next state"

    handler = on_button(Everything, callback)
    assert handler.pattern is Everything.pattern()
    action = Everything(3, 4, "x", False, Colour.RED, Size.S)
    update = _press(action.pack())
    check = handler.check_update(update)
    context = SimpleNamespace(matches=None)
    handler.collect_additional_context(context, update, None, check)  # type: ignore[arg-type]
    assert await handler.callback(update, context) == "next state"
    assert received == [action]
    assert not handler.check_update(_press("gd:test_all:3:4:x:0:red:m"))


def _press(data: str) -> Update:
    user = User(1, "Ana", is_bot=False)
    return Update(1, callback_query=CallbackQuery("q", user, "chat", data=data))


# --- every button of the app ------------------------------------------------------------------


def _app_actions() -> list[type[CallbackData]]:
    return [c for c in CallbackData.__subclasses__() if c.__module__.startswith("bot.")]


def _largest(action: type[CallbackData]) -> CallbackData:
    """The action with every field at the longest value its type lets through."""

    def longest(field: _Field) -> object:
        if field.kind is int:
            return 10**MAX_DIGITS - 1 if field.natural else -(10**MAX_DIGITS - 1)
        if field.kind is str:
            return "x" * field.max_len
        if field.kind is bool:
            return True
        return max(field.kind, key=lambda member: len(member.value))

    return action(**{field.name: longest(field) for field in action._fields})


def test_every_action_of_the_app_fits_telegrams_limit_at_its_largest() -> None:
    actions = _app_actions()
    assert len(actions) > 100
    for action in actions:
        largest = _largest(action)
        assert action.parse(largest.pack()) == largest, action.__name__  # pack raises past 64


def test_the_values_buttons_carry_fit_their_fields() -> None:
    """The bounds declared on str fields hold for the data they carry."""
    longest_suggestion = f"{max(SUGGESTION_NAMES, key=lambda name: len(name.encode()))} 99"
    actions = [
        onboarding.TakeAlias(longest_suggestion),
        alias.TakeNewAlias(longest_suggestion),
        *(onboarding.ChooseRegion(code) for code in (*PROVINCE_CODES, ONLINE_ONLY)),
        *(groups.BrowseProvince(code) for code in PROVINCE_CODES),
        *(new_group.ChooseGroupProvince(code) for code in PROVINCE_CODES),
        *(resources.EditorProvince(code) for code in (*PROVINCE_CODES, NATIONAL)),
        *(groups.GroupList(groups.ListFilter.TOPIC, code, 0) for code in TOPICS),
        *(new_group.ToggleGroupTopic(code, on=True) for code in TOPICS),
        *(onboarding.ChooseLanguage(code) for code in LANGUAGES),
        *(new_group.ToggleGroupLanguage(code, on=False) for code in LANGUAGES),
        *(resources.ResourceList(category, Scope.ALL, 0) for category in CATEGORY_LABELS),
        *(resources.EditorField(name) for name in resources.EDIT_FIELDS),
        meetings.MoveTime(1, day_code(date(2026, 12, 31)), time_code(time(23, 45))),
        meetings.ConfirmMove(1, start_code(datetime(2026, 12, 31, 23, 45, tzinfo=UTC))),
        meeting_forms.ScheduleAt(1, start_code(datetime(2026, 12, 31, 23, 45, tzinfo=UTC))),
        onboarding.FinishTopics(topics_mask(TOPICS)),
    ]
    for action in actions:
        assert type(action).parse(action.pack()) == action


def test_every_area_has_buttons_and_no_prefix_of_the_app_extends_another() -> None:
    prefixes = [action.prefix for action in _app_actions()]
    assert {prefix.split(":")[0] for prefix in prefixes} == {area.value for area in Area}
    for one in prefixes:
        for other in prefixes:
            assert one == other or not f"{other}:".startswith(f"{one}:"), (one, other)
