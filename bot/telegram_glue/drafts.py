"""Typed drafts: one dataclass per conversation, kept in user_data as JSON.

user_data is persisted as JSON (bot/storage/persistence.py), so a draft is stored as a dict of
JSON values and read back into its dataclass. A restart, or a new version of the bot, must find
people where they were, and never stop them with an error: unknown keys are ignored, and a
missing or unreadable value (a field an older version did not have, or kept in another form)
takes the field's default, so the step that needs it is simply asked again.

Field types: str, int, bool, datetime (aware, stored as ISO text in UTC), enums (by value),
``list[T]`` and ``tuple[T, ...]`` of those, and ``X | None``. Every field has a default.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import types
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

D = TypeVar("D")


@dataclasses.dataclass(frozen=True)
class _Kind:
    """How one field type is written as JSON and read back (ValueError or TypeError if the
    stored value cannot be read as this type)."""

    encode: Callable[[Any], Any]
    decode: Callable[[Any], Any]


def _exactly(kind: type) -> _Kind:
    def decode(value: Any) -> Any:
        # type(), not isinstance(): JSON true must not read as the int 1, nor 1 as a bool.
        if type(value) is not kind:
            raise TypeError(f"expected {kind.__name__}")
        return value

    return _Kind(lambda value: value, decode)


def _encode_time(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("naive datetime: draft times must be timezone-aware")
    return value.astimezone(UTC).isoformat()


def _decode_time(value: Any) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    if moment is None or moment.tzinfo is None:
        raise ValueError("expected an aware ISO datetime")
    return moment


def _optional(inner: _Kind) -> _Kind:
    return _Kind(
        lambda value: None if value is None else inner.encode(value),
        lambda value: None if value is None else inner.decode(value),
    )


def _sequence(inner: _Kind, build: type) -> _Kind:
    def decode(value: Any) -> Any:
        if not isinstance(value, list):
            raise TypeError("expected a list")
        return build(inner.decode(item) for item in value)

    return _Kind(lambda value: [inner.encode(item) for item in value], decode)


def _kind(hint: Any) -> _Kind:
    """The kind of a resolved type hint; TypeError for a type drafts do not support."""
    origin, args = get_origin(hint), get_args(hint)
    if origin in (Union, types.UnionType):
        others = [arg for arg in args if arg is not type(None)]
        if len(others) == 1 and len(args) == 2:
            return _optional(_kind(others[0]))
    elif origin is list and len(args) == 1:
        return _sequence(_kind(args[0]), list)
    elif origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _sequence(_kind(args[0]), tuple)
    elif hint in (str, int, bool):
        return _exactly(hint)
    elif hint is datetime:
        return _Kind(_encode_time, _decode_time)
    elif isinstance(hint, enum.EnumMeta):
        return _Kind(lambda value: value.value, hint)
    raise TypeError(f"unsupported draft field type {hint!r}")


_Fields = tuple[tuple[dataclasses.Field[Any], _Kind], ...]
# Each draft type's fields, worked out once (a dict, not functools.cache: mypy does not see a
# class as Hashable).
_FIELDS: dict[type, _Fields] = {}


def _fields(draft_type: type) -> _Fields:
    if draft_type not in _FIELDS:
        _FIELDS[draft_type] = _read_fields(draft_type)
    return _FIELDS[draft_type]


def _read_fields(draft_type: type) -> _Fields:
    if not dataclasses.is_dataclass(draft_type):
        raise TypeError(f"{draft_type.__name__}: a draft must be a dataclass")
    hints = get_type_hints(draft_type)
    fields = dataclasses.fields(draft_type)
    for field in fields:
        if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            raise TypeError(f"{draft_type.__name__}.{field.name}: a draft field needs a default")
    return tuple((field, _kind(hints[field.name])) for field in fields)


def check_draft_type(draft_type: type) -> None:
    """Fails (TypeError) where a flow is declared, not when someone reaches its first step."""
    _fields(draft_type)


def draft_to_json(draft: object) -> dict[str, Any]:
    """The draft as a dict of JSON values (what user_data holds)."""
    return {
        field.name: kind.encode(getattr(draft, field.name)) for field, kind in _fields(type(draft))
    }


def draft_from_json(draft_type: type[D], data: object) -> D:
    """The draft stored as ``data``; defaults for whatever is missing or unreadable."""
    stored = data if isinstance(data, dict) else {}
    values = {}
    for field, kind in _fields(draft_type):
        # Kept in another form by an older version: the default, so that step is asked again.
        with contextlib.suppress(TypeError, ValueError):
            if field.name in stored:
                values[field.name] = kind.decode(stored[field.name])
    return draft_type(**values)
