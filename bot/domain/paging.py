"""Paging for long lists shown as inline keyboards (provinces, groups, resources)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def page(items: Sequence[T], page_index: int, page_size: int) -> tuple[Sequence[T], bool, bool]:
    """The items on page ``page_index`` (0-based) and whether a previous/next page exists.

    A page past the end (a stale button after the list shrank) is empty, with a way back.
    """
    if page_index < 0 or page_size < 1:
        raise ValueError(f"invalid page {page_index} of size {page_size}")
    start = page_index * page_size
    return items[start : start + page_size], page_index > 0, start + page_size < len(items)
