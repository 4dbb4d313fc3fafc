"""Contact details in a message between buddies: phone numbers, @handles, e-mail addresses and
links (pure, no I/O).

Buddies talk only through the bot, under their aliases: a number or a handle would move them
off the platform, out of reach of the report button, the facilitators and retention, and would
give away who someone is. So a message with any of these is held back (never relayed), and
the sender is told why.

Ordinary numbers must pass: times ("jam 19.00", "08.00-09.00"), counts and ranges ("3-4
kali"), amounts ("Rp 1.500.000"), dates ("12-12-2026"). Hence a run of digits counts as a
phone number only in the shapes Indonesian numbers take (0 8.., +62 8.., 62 8.., landlines with
an area code 0 2.. to 0 9..), or behind a "+" (any international number); separators between
the digits (spaces, dashes, dots, brackets) are ignored, but a run that opens with two digits
(other than 62) is a date or a time. Numbers spelled out in words, or split to dodge the check
("0 8 1 2 ..."), are not recognised: the check keeps honest people from slipping, it cannot
stop someone set on it (the report button is for that).
"""

from __future__ import annotations

import enum
import re


class ContactKind(enum.StrEnum):
    PHONE = "phone"
    HANDLE = "handle"
    EMAIL = "email"
    LINK = "link"


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Telegram, Instagram, X, TikTok handles: "@" not inside a word (so not an e-mail address),
# then at least three characters.
_HANDLE = re.compile(r"(?<![\w.@])@[A-Za-z0-9_][A-Za-z0-9_.]{2,}")
_LINK_START = re.compile(r"(?:https?://|www\.|\b(?:t|wa)\.me\b)", re.IGNORECASE)
# A bare domain: a name, a dot and a top-level domain people use here (letters only, so "1.000"
# and "19.00" never match; a list, so a sentence missing its space after a full stop,
# "capek.besok", does not either).
_TLDS = (
    "com|net|org|id|co|io|me|info|biz|xyz|app|site|online|link|ly|gg|tv|to|us|uk|sg|my|ai|dev"
    "|page|club|shop|store|live|fun|top|web|blog|ws|cc|li|lnk|bio|gl"
)
_DOMAIN = re.compile(
    rf"\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:{_TLDS})\b(?!\.\w)", re.IGNORECASE
)
# A run of digits with separators between them, perhaps after "+"; its digits decide.
_DIGIT_RUN = re.compile(r"\+?\d(?:[ .\-()]{0,2}\d)+")
_INDONESIAN_MOBILE = re.compile(r"(?:0|62)8\d{7,11}")
_INDONESIAN_LANDLINE = re.compile(r"0[2-9]\d{7,10}")
_INTERNATIONAL_DIGITS = 8  # "+" and at least this many digits


def contact_details(text: str) -> frozenset[ContactKind]:
    """The kinds of contact details in ``text`` (empty: none found)."""
    found: set[ContactKind] = set()
    without_emails = _EMAIL.sub(" ", text)
    if without_emails != text:
        found.add(ContactKind.EMAIL)
    if _HANDLE.search(without_emails):
        found.add(ContactKind.HANDLE)
    if _LINK_START.search(without_emails) or _DOMAIN.search(without_emails):
        found.add(ContactKind.LINK)
    if any(_is_phone(run.group()) for run in _DIGIT_RUN.finditer(without_emails)):
        found.add(ContactKind.PHONE)
    return frozenset(found)


def _is_phone(run: str) -> bool:
    digits = re.sub(r"\D", "", run)
    if run.startswith("+"):
        return len(digits) >= _INTERNATIONAL_DIGITS
    # Numbers are written "0812 3456 7890", "62 812-3456-7890", "021 1234567": a first group
    # of two digits other than 62 is a date or a time ("02.12.2026 19.00", "08.00-09.00").
    first = re.split(r"[ .\-()]+", run)[0]
    if len(first) < 3 and first != "62":
        return False
    return bool(_INDONESIAN_MOBILE.fullmatch(digits) or _INDONESIAN_LANDLINE.fullmatch(digits))
