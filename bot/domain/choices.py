"""Understanding a typed answer to a list of choices (pure).

People type what a button says, or what they call it: "jawa barat", "JABAR", "D.I. Yogyakarta",
"Jawa Tngah". Case, accents, punctuation and spaces never tell names apart; a small typo in a
long enough name is forgiven when it can only mean one choice. Short codes ("ntt", "diy") must
be typed exactly: one letter off, they are another code.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Shorter answers are taken only exactly: "bali" one letter off is "bal", or nothing at all.
TYPO_MIN_LENGTH = 6
# From this length two letters may be off ("nusa tengara barat"), below it one.
TWO_TYPOS_FROM = 10


def plain(text: str) -> str:
    """Casefolded, accents and punctuation gone, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.findall(r"[^\W_]+", letters))


def squeezed(text: str) -> str:
    """The text's key: spaces do not tell names apart ("DI Yogyakarta", "jawabarat")."""
    return plain(text).replace(" ", "")


def damerau_levenshtein(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance, or ``limit + 1`` as soon as it must exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _typos_allowed(key: str) -> int:
    if len(key) < TYPO_MIN_LENGTH:
        return 0
    return 2 if len(key) >= TWO_TYPOS_FROM else 1


@dataclass(frozen=True)
class Choices:
    """The names of each choice: ``names`` may be typed with a small typo, ``codes`` only
    exactly."""

    exact: Mapping[str, str]
    forgiving: Mapping[str, str]

    @classmethod
    def of(
        cls, names: Mapping[str, Iterable[str]], codes: Mapping[str, Iterable[str]] | None = None
    ) -> Choices:
        forgiving = {squeezed(name): choice for choice, many in names.items() for name in many}
        exact = {squeezed(code): choice for choice, many in (codes or {}).items() for code in many}
        forgiving.pop("", None)
        return cls(exact={**forgiving, **exact}, forgiving=forgiving)

    def find(self, text: str) -> str | None:
        """The choice ``text`` names, exactly or with a small typo; None when it names none, or
        when a typo could mean more than one choice."""
        key = squeezed(text)
        if not key:
            return None
        if key in self.exact:
            return self.exact[key]
        limit = _typos_allowed(key)
        if not limit:
            return None
        near = {
            choice
            for name, choice in self.forgiving.items()
            if damerau_levenshtein(key, name, limit) <= limit
        }
        return near.pop() if len(near) == 1 else None
