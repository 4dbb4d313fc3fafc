"""Crisis and mental-health contacts, parsed from the text of ``data/crisis_contacts.toml``.

Pure domain code (stdlib only; bot.data_files reads the file). Every entry must name the public
source its facts came from and the date that source was checked; a malformed entry is refused
with a ``ValueError`` naming its id, so a bad edit to the data file fails loudly at start-up and in
the tests instead of showing a wrong number to someone in crisis.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.domain.entries import PHONE_RE, SLUG_RE, URL_RE, open_entry, parse_toml
from bot.domain.regions import PROVINCES

_Fail = Callable[[str], ValueError]

LANGS: tuple[str, ...] = ("id", "en")
# "violence_line": for reporting violence and abuse (SAPA 129), not a mental-health line.
KINDS: tuple[str, ...] = (
    "emergency",
    "police",
    "crisis_line",
    "mental_health_service",
    "violence_line",
)
PROVINCE_CODES: frozenset[str] = frozenset(province.code for province in PROVINCES)
NATIONAL = "national"

_REQUIRED = ("id", "scope", "kind", "name", "description", "languages", "source", "checked")
_OPTIONAL = ("phone", "whatsapp", "url", "app", "hours", "caveat")
_KNOWN = frozenset(_REQUIRED + _OPTIONAL)


@dataclass(frozen=True, slots=True)
class Localized:
    """A short text in Indonesian (``id``) and English (``en``)."""

    id: str
    en: str

    def get(self, lang: str | None) -> str:
        """The text in ``lang``; anything other than ``"en"`` falls back to Indonesian."""
        return self.en if lang == "en" else self.id


@dataclass(frozen=True, slots=True)
class CrisisContact:
    id: str
    scope: str  # "national" or a province code
    kind: str  # one of KINDS
    name: str
    description: Localized
    languages: tuple[str, ...]
    source: tuple[str, ...]
    checked: dt.date
    phone: str | None = None
    whatsapp: str | None = None
    url: str | None = None
    app: str | None = None
    hours: Localized | None = None
    caveat: Localized | None = None

    @property
    def is_national(self) -> bool:
        return self.scope == NATIONAL

    @property
    def dial(self) -> str | None:
        """Digits to dial (with a leading "+" if any), without separators or extension."""
        return _dial_digits(self.phone)

    @property
    def whatsapp_digits(self) -> str | None:
        return _dial_digits(self.whatsapp)

    @property
    def whatsapp_link(self) -> str | None:
        """The https://wa.me/ address of the WhatsApp number: a chat opens with one tap
        (Telegram has no tel: buttons). Indonesian numbers written from 0 become +62."""
        digits = self.whatsapp_digits
        if digits is None:
            return None
        international = digits[1:] if digits.startswith("+") else "62" + digits.removeprefix("0")
        return f"https://wa.me/{international}"


_NATIONAL_MOBILE = re.compile(r"^0(8[1-9])")  # mobile prefixes; 0800 is toll-free


def tappable(number: str) -> str:
    """``number`` as people should see it: an Indonesian mobile number ("0811-…") in its
    international form ("+62 811-…"), which Telegram apps turn into a link to call, and every
    other number (short codes, toll-free 0800, "119 ext. 8") as it is written."""
    return _NATIONAL_MOBILE.sub(r"+62 \1", number)


def _dial_digits(number: str | None) -> str | None:
    if number is None:
        return None
    base = number.split(" ext.")[0]
    prefix = "+" if base.startswith("+") else ""
    return prefix + re.sub(r"\D", "", base)


def parse_contacts(text: str, source: str = "crisis contacts") -> tuple[CrisisContact, ...]:
    """Every ``[[contact]]`` entry of the TOML ``text``, checked, in the file's order.

    Raises:
        ValueError: naming ``source`` or the entry, for bad TOML or a malformed entry.
    """
    entries = parse_toml(text, source).get("contact")
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"{source}: no [[contact]] entries")
    contacts: list[CrisisContact] = []
    seen: set[str] = set()
    for index, raw in enumerate(entries):
        contact = _parse(raw, index)
        if contact.id in seen:
            raise ValueError(f"crisis contact {contact.id!r}: duplicate id")
        seen.add(contact.id)
        contacts.append(contact)
    return tuple(contacts)


def contacts_for(
    contacts: tuple[CrisisContact, ...], province_code: str | None
) -> tuple[CrisisContact, ...]:
    """National entries plus those of ``province_code``, in the file's order."""
    return tuple(c for c in contacts if c.is_national or c.scope == province_code)


def contact_by_id(contacts: tuple[CrisisContact, ...], contact_id: str) -> CrisisContact | None:
    """The entry with ``contact_id``, or None (the reply then leaves that line out)."""
    return next((c for c in contacts if c.id == contact_id), None)


def _parse(entry: Any, index: int) -> CrisisContact:
    raw, fail = open_entry(entry, index, "crisis contact", _REQUIRED, _KNOWN)
    raw_id = raw["id"]
    if not isinstance(raw_id, str) or not SLUG_RE.match(raw_id):
        raise fail("id must be a lowercase slug (a-z, 0-9, hyphens)")
    scope = raw["scope"]
    if scope != NATIONAL and scope not in PROVINCE_CODES:
        raise fail(f"unknown scope {scope!r}")
    kind = raw["kind"]
    if kind not in KINDS:
        raise fail(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    name = _text(raw["name"], "name", fail)

    checked = raw["checked"]
    if isinstance(checked, dt.datetime) or not isinstance(checked, dt.date):
        raise fail("checked must be a date (YYYY-MM-DD, unquoted)")

    languages = raw["languages"]
    if (
        not isinstance(languages, list)
        or not languages
        or any(lang not in LANGS for lang in languages)
    ):
        raise fail(f"languages must be a non-empty list drawn from {LANGS}")

    source = raw["source"]
    sources = [source] if isinstance(source, str) else source
    if (
        not isinstance(sources, list)
        or not sources
        or any(not isinstance(s, str) or not URL_RE.match(s) for s in sources)
    ):
        raise fail("source must be an http(s) URL or a non-empty list of them")

    phone = _number(raw.get("phone"), "phone", fail)
    whatsapp = _number(raw.get("whatsapp"), "whatsapp", fail)
    url = raw.get("url")
    if url is not None and (not isinstance(url, str) or not URL_RE.match(url)):
        raise fail("url must be an http(s) URL")
    app = raw.get("app")
    if app is not None:
        app = _text(app, "app", fail)
    if phone is None and whatsapp is None and url is None and app is None:
        raise fail("needs at least one way to reach it: phone, whatsapp, url or app")

    return CrisisContact(
        id=raw_id,
        scope=scope,
        kind=kind,
        name=name,
        description=_localized(raw["description"], "description", fail),
        languages=tuple(languages),
        source=tuple(sources),
        checked=checked,
        phone=phone,
        whatsapp=whatsapp,
        url=url,
        app=app,
        hours=_localized(raw["hours"], "hours", fail) if "hours" in raw else None,
        caveat=_localized(raw["caveat"], "caveat", fail) if "caveat" in raw else None,
    )


def _text(value: Any, field: str, fail: _Fail) -> str:
    if not isinstance(value, str) or not value.strip():
        raise fail(f"{field} must be a non-empty string")
    return value.strip()


def _number(value: Any, field: str, fail: _Fail) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not PHONE_RE.match(value.strip()):
        raise fail(f"{field} must be digits with optional +, spaces, hyphens or ' ext. N'")
    return value.strip()


def _localized(value: Any, field: str, fail: _Fail) -> Localized:
    if not isinstance(value, Mapping):
        raise fail(f"{field} must be a table with 'id' and 'en'")
    extra = sorted(set(value) - set(LANGS))
    if extra:
        raise fail(f"{field} has unknown language key(s): {', '.join(extra)}")
    texts = {lang: _text(value.get(lang), f"{field}.{lang}", fail) for lang in LANGS}
    return Localized(id=texts["id"], en=texts["en"])
