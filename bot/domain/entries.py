"""Shared checks for curated data files (crisis contacts, resources, the crisis lexicon).

Every refusal names the entry, so a maintainer editing data/ sees at once which one to fix.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Collection, Mapping
from typing import Any

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Digits with spaces or dashes, an optional leading + and an optional "ext. N" (119 ext. 8).
PHONE_RE = re.compile(r"^\+?[0-9](?:[0-9 \-]*[0-9])?(?: ext\. ?[0-9]+)?$")
URL_RE = re.compile(r"^https?://\S+$")

Fail = Callable[[str], ValueError]


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """The tables of a data file's ``text``; bad syntax is a ``ValueError`` naming ``source``."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{source}: not valid TOML: {exc}") from exc


def open_entry(
    raw: Any, index: int, noun: str, required: Collection[str], known: Collection[str]
) -> tuple[Mapping[str, Any], Fail]:
    """Checks that an entry is a table with the required and only known fields.

    Returns the entry and a ``fail(message)`` that builds an error naming it by id (or number).
    """
    if not isinstance(raw, Mapping):
        raise ValueError(f"{noun} #{index + 1}: entry is not a table")
    raw_id = raw.get("id")
    label = raw_id if isinstance(raw_id, str) and raw_id else f"#{index + 1}"

    def fail(message: str) -> ValueError:
        return ValueError(f"{noun} {label!r}: {message}")

    missing = [key for key in required if key not in raw]
    if missing:
        raise fail(f"missing required field(s): {', '.join(missing)}")
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise fail(f"unknown field(s): {', '.join(unknown)}")
    return raw, fail
