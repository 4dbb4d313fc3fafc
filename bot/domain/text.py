"""Measuring and cutting text the way Telegram counts it (pure).

Telegram measures message length in UTF-16 code units, not in Python characters: an emoji
outside the Basic Multilingual Plane ("🙂") counts twice. Anything that packs text into
messages must measure with :func:`utf16_len`.
"""

from __future__ import annotations

from collections.abc import Callable


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, Telegram's unit for message length."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def split_to_fit(text: str, limit: int, *, cost: Callable[[str], int] = utf16_len) -> list[str]:
    """``text`` cut into pieces whose summed per-character ``cost`` is at most ``limit``.

    Cuts are made after the last whitespace that fits, so words stay whole; a single word
    longer than a piece is cut between characters (never inside one). The pieces, joined,
    give back ``text`` exactly. ``cost`` is per character, so a caller that escapes the
    pieces afterwards can pass the escaped length of one character.

    Raises:
        ValueError: ``limit`` is smaller than the cost of some character.
    """
    pieces: list[str] = []
    start = 0
    while start < len(text):
        end, used, after_space = start, 0, None
        while end < len(text) and used + cost(text[end]) <= limit:
            used += cost(text[end])
            end += 1
            if text[end - 1].isspace():
                after_space = end
        if end == start:
            raise ValueError("limit is smaller than one character")
        if end < len(text) and after_space is not None:
            end = after_space
        pieces.append(text[start:end])
        start = end
    return pieces or [""]
