"""Aliases: the only name other members ever see.

An alias protects the person behind it, so it must not carry a way to find them (a phone number,
an e-mail address, a Telegram or Instagram handle, a link). Otherwise the bot is generous: letters
of any script, digits, spaces, a little name punctuation and emoji are all fine.
"""

from __future__ import annotations

import enum
import random
import re
import unicodedata
from dataclasses import dataclass

MIN_LENGTH = 3
MAX_LENGTH = 24


class AliasProblem(enum.Enum):
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    HANDLE = "handle"
    PHONE = "phone"
    EMAIL = "email"
    LINK = "link"
    INVALID_CHARS = "invalid_chars"


# Phone keyboards turn ' into a typographic apostrophe; both should name the same person.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_NAME_PUNCTUATION = frozenset("-_.'")
_ZWJ = "\u200d"  # joins emoji into one picture (👩‍⚕️); any other invisible character is refused
# Letters and symbols that render as nothing, used to make a blank name.
_BLANKS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# The emoji blocks, skin tones (category Sk) included. Taken as emoji even where Python's Unicode
# tables are older than the phone's keyboard (a new emoji is "unassigned" to them).
_EMOJI_BLOCKS = range(0x1F000, 0x1FB00)

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE = re.compile(r"@\w")
_LINK = re.compile(
    r"https?://|www\."
    # A word followed by a common top-level domain, as in t.me/x, ig.com/x or toko.co.id: enough
    # to share a way to be found, rare in a name.
    r"|\w\.(?:com|net|org|info|biz|me|io|id|xyz|app|dev|site|online)\b",
    re.IGNORECASE,
)
# Digits with at most two separators between them (0812-3456-7890, +62 812 3456 7890,
# (021) 555.1234); seven digits make a number someone could call.
_DIGIT_RUN = re.compile(r"\+?\(?\d(?:[\s.()-]{0,2}\d)*")
_PHONE_MIN_DIGITS = 7


@dataclass(frozen=True, slots=True)
class AliasVerdict:
    """An accepted alias, or why it was refused (``taken`` when another person uses it)."""

    alias: str
    problem: AliasProblem | None = None
    taken: bool = False

    @property
    def accepted(self) -> bool:
        return self.problem is None and not self.taken


def normalize_alias(raw: str) -> str:
    """NFKC (full-width letters become plain ones), trimmed, one space between words."""
    return " ".join(_nfkc(raw).split())


def alias_key(alias: str) -> str:
    """The form aliases are compared in, so ``MELATI 27`` and ``melati 27`` are the same alias."""
    return normalize_alias(alias).casefold()


def check_alias(raw: str) -> AliasProblem | None:
    """The first problem with ``raw`` as an alias, or ``None`` if it can be used as is.

    Hidden characters are checked before whitespace is collapsed, so a multi-line message is
    refused instead of silently becoming one long alias. Ways to be contacted are reported
    before the generic character rule, because that explains the real reason.
    """
    text = _nfkc(raw).strip()
    if any(_is_hidden(text, i) for i in range(len(text))):
        return AliasProblem.INVALID_CHARS
    alias = " ".join(text.split())
    contact = contact_problem(alias)
    if contact is not None:
        return contact
    if not all(_is_allowed(ch) for ch in alias):
        return AliasProblem.INVALID_CHARS
    if len(alias) < MIN_LENGTH:
        return AliasProblem.TOO_SHORT
    if len(alias) > MAX_LENGTH:
        return AliasProblem.TOO_LONG
    return None


def contact_problem(text: str) -> AliasProblem | None:
    """EMAIL, LINK, HANDLE or PHONE if ``text`` carries a way to reach someone, else ``None``.

    Shared with other public names (group names), which must not carry contacts either.
    """
    if _EMAIL.search(text):
        return AliasProblem.EMAIL
    if _LINK.search(text):
        return AliasProblem.LINK
    if _HANDLE.search(text):
        return AliasProblem.HANDLE
    if any(_digit_count(m.group()) >= _PHONE_MIN_DIGITS for m in _DIGIT_RUN.finditer(text)):
        return AliasProblem.PHONE
    return None


def _nfkc(raw: str) -> str:
    return unicodedata.normalize("NFKC", raw).translate(_APOSTROPHES)


def _is_hidden(text: str, i: int) -> bool:
    """Control, format, private, unknown and blank characters, except a ZWJ inside emoji."""
    ch = text[i]
    if ch == _ZWJ:
        return not (0 < i < len(text) - 1 and _is_emoji(text[i - 1]) and _is_emoji(text[i + 1]))
    if ord(ch) in _EMOJI_BLOCKS:
        return False
    return ch in _BLANKS or unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp")


def _is_emoji(ch: str) -> bool:
    # A ZWJ may also follow a variation selector (U+FE0F, category Mn), as in ❤️‍🔥.
    return ord(ch) in _EMOJI_BLOCKS or unicodedata.category(ch) in ("So", "Mn")


def _is_allowed(ch: str) -> bool:
    if ch == " " or ch in _NAME_PUNCTUATION or ch == _ZWJ or ord(ch) in _EMOJI_BLOCKS:
        return True
    # Letters and marks of any script (marks carry Javanese, Arabic or Thai vowels and the emoji
    # variation selector), digits, and symbols such as emoji, ♥ or ☆. Math symbols (< > + =)
    # and other punctuation are left out.
    return unicodedata.category(ch)[0] in "LMN" or unicodedata.category(ch) == "So"


def _digit_count(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


_FLOWERS = (
    "Melati",
    "Mawar",
    "Anggrek",
    "Kenanga",
    "Cempaka",
    "Teratai",
    "Seroja",
    "Flamboyan",
    "Bugenvil",
    "Dahlia",
    "Kemuning",
    "Tanjung",
    "Asoka",
    "Bakung",
    "Krisan",
    "Anyelir",
    "Edelweis",
    "Lili",
    "Alamanda",
    "Matahari",
)
_BIRDS = (
    "Merpati",
    "Kenari",
    "Cendrawasih",
    "Kutilang",
    "Jalak",
    "Elang",
    "Rangkong",
    "Nuri",
    "Kakatua",
    "Camar",
    "Bangau",
    "Kolibri",
    "Murai",
    "Kepodang",
    "Pipit",
    "Merak",
    "Serindit",
    "Tekukur",
    "Maleo",
    "Gelatik",
)
# Flowers tied to graves and funerals (kamboja, kantil) are left out on purpose.
SUGGESTION_NAMES: tuple[str, ...] = _FLOWERS + _BIRDS


def suggest_alias(rng: random.Random) -> str:
    """A friendly alias such as ``Melati 27`` or ``Cendrawasih 12`` (always passes check_alias)."""
    return f"{rng.choice(SUGGESTION_NAMES)} {rng.randint(10, 99)}"
