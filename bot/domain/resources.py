"""The resource directory: entries, categories, the data-file parser and the field rules.

Pure domain code (stdlib only; bot.data_files reads the file). Entries come from
``data/resources.toml``; the ``crisis`` category
is built from the crisis contacts (``data/crisis_contacts.toml``) so their facts live in one
place. Coordinators add entries in the bot with the same field rules (:func:`check_url` etc.).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from bot.domain.contacts import (
    LANGS,
    NATIONAL,
    PROVINCE_CODES,
    CrisisContact,
    Localized,
)
from bot.domain.entries import PHONE_RE, SLUG_RE, URL_RE, open_entry, parse_toml

CRISIS = "crisis"
# Order shown in /resources. Crisis first: someone looking for help may need it most.
CATEGORIES: tuple[str, ...] = (
    CRISIS,
    "services",
    "conditions",
    "medication",
    "therapy",
    "rehabilitation",
    "families",
    "groups",
    "facilitators",
)
# Facilitation guides are working material for facilitators and coordinators only.
FACILITATOR_ONLY: frozenset[str] = frozenset({"facilitators"})
# Coordinators add these in the bot; crisis entries come from the crisis-contact data only.
EDITABLE_CATEGORIES: tuple[str, ...] = tuple(c for c in CATEGORIES if c != CRISIS)
# The source of Rangkul's own texts (the group guidelines): the network's rules, which cite
# nobody because they state no facts.
OWN_SOURCE = "Rangkul"

TITLE_MAX = 120
DESCRIPTION_MAX = 400
TAGS_MAX = 12
TAG_MAX = 40
ADDRESS_MAX = 200
URL_MAX = 300

ID_MAX = 48  # ids travel in callback data (64 bytes with the prefix)

# Search words for imported crisis contacts, in both languages: what anyone in crisis may type
# (every kind), what someone thinking of suicide or self-harm may type (the kinds that answer
# it: a search for "bunuh diri" must not open on the police), then what the kind of contact is.
# A crisis entry whose tag a query names in full is listed first (bot.domain.search), so
# generic words ("layanan") are only ever part of a phrase.
_CRISIS_WORDS: tuple[str, ...] = ("krisis", "darurat", "crisis", "emergency")
_SUICIDE_WORDS: tuple[str, ...] = (
    *("bunuh diri", "ingin mati", "menyakiti diri", "putus asa"),
    *("suicide", "want to die", "self-harm", "hopeless"),
)
_CRISIS_TAGS: Mapping[str, tuple[str, ...]] = {
    "emergency": (*_SUICIDE_WORDS, "gawat darurat", "ambulans", "bahaya", "ambulance", "danger"),
    "police": ("polisi", "police", "bahaya", "danger", "ancaman", "threat", "kekerasan"),
    "crisis_line": (*_SUICIDE_WORDS, "hotline", "konseling", "curhat", "helpline", "counselling"),
    "mental_health_service": (*_SUICIDE_WORDS, "layanan kesehatan jiwa", "mental health service"),
    "violence_line": ("kekerasan", "kdrt", "pelecehan", "violence", "abuse", "domestic violence"),
}

_REQUIRED = ("id", "category", "province", "title", "description", "tags", "source", "checked")
_OPTIONAL = ("phone", "whatsapp", "url", "address")
_KNOWN = frozenset(_REQUIRED + _OPTIONAL)


@dataclass(frozen=True, slots=True)
class Resource:
    """One directory entry. ``province`` is a province code or :data:`NATIONAL`."""

    id: str
    category: str
    title: Localized
    description: Localized
    province: str
    tags: tuple[str, ...]
    source: tuple[str, ...]
    checked: dt.date
    phone: str | None = None
    whatsapp: str | None = None
    url: str | None = None
    address: str | None = None

    @property
    def facilitator_only(self) -> bool:
        return self.category in FACILITATOR_ONLY

    @property
    def is_national(self) -> bool:
        return self.province == NATIONAL

    def visible_to(self, *, privileged: bool) -> bool:
        """Whether someone sees it; ``privileged`` = facilitator or coordinator right now."""
        return privileged or not self.facilitator_only


def content_hash(resource: Resource) -> str:
    """A stable fingerprint of the entry's content, to notice a changed data file."""
    payload = asdict(resource)
    payload["checked"] = resource.checked.isoformat()
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def parse_resources(
    text: str, contacts: Iterable[CrisisContact] = (), source: str = "resources"
) -> tuple[Resource, ...]:
    """The crisis contacts as ``crisis`` entries, then every ``[[resource]]`` of the TOML ``text``.

    Raises:
        ValueError: naming ``source`` or the entry, for bad TOML, a malformed or duplicate entry.
    """
    entries = parse_toml(text, source).get("resource")
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"{source}: no [[resource]] entries")
    resources = [from_contact(contact) for contact in contacts]
    resources += [_parse(raw, index) for index, raw in enumerate(entries)]
    seen: set[str] = set()
    for resource in resources:
        if resource.id in seen:
            raise ValueError(f"resource {resource.id!r}: duplicate id")
        seen.add(resource.id)
    return tuple(resources)


def from_contact(contact: CrisisContact) -> Resource:
    """A crisis contact seen as a directory entry (facts linked, not copied into the file)."""
    description = contact.description
    if contact.caveat is not None:
        description = Localized(
            id=f"{description.id} {contact.caveat.id}", en=f"{description.en} {contact.caveat.en}"
        )
    return Resource(
        id=f"crisis-{contact.id}"[:ID_MAX],
        category=CRISIS,
        title=Localized(id=contact.name, en=contact.name),
        description=description,
        province=contact.scope,
        tags=_CRISIS_WORDS + _CRISIS_TAGS.get(contact.kind, ()),
        source=contact.source,
        checked=contact.checked,
        phone=contact.phone,
        whatsapp=contact.whatsapp,
        url=contact.url,
    )


# --- Field rules, shared by the parser and the coordinator's /addresource -----------------------


def check_text(value: str, limit: int) -> str | None:
    """The trimmed text, or ``None`` if it is empty or longer than ``limit``."""
    text = " ".join(value.split())
    return text if 0 < len(text) <= limit else None


def check_url(value: str) -> str | None:
    """An http(s) address without spaces, or ``None``."""
    text = value.strip()
    return text if len(text) <= URL_MAX and URL_RE.match(text) else None


# An area code in brackets, as Indonesian landlines are usually written: "(022) 255-1111".
_AREA_CODE = re.compile(r"^\((0[1-9][0-9]{1,3})\) ?(.+)$")
# A number written from 0 that can be dialled as +62 (mobiles, landlines); not toll-free 080x.
_FROM_ZERO = re.compile(r"^0(?!80)(?=[1-9])")


def check_phone(value: str) -> str | None:
    """Digits with optional leading ``+``, spaces or hyphens (as crisis contacts), or with an
    area code in brackets ("(022) 255-1111"); spaces tidied; ``None`` if it is none of these."""
    text = " ".join(value.split())
    area = _AREA_CODE.match(text)
    number = area.group(2) if area else text
    digits = re.sub(r"\D", "", text)
    if not PHONE_RE.match(number) or not 3 <= len(digits) <= 16:
        return None
    return f"({area.group(1)}) {number}" if area else text


def dial_form(number: str) -> str:
    """``number`` (as :func:`check_phone` keeps it) as Telegram apps offer to call it: written
    from 0, in its international form ("(022) 255-1111" -> "+62 22 255-1111", "0811-…" ->
    "+62 811-…"), which keeps its grouping readable; short codes, toll-free 080x numbers and
    international ones as they are."""
    area = _AREA_CODE.match(number)
    local = f"{area.group(1)} {area.group(2)}" if area else number
    return _FROM_ZERO.sub("+62 ", local)


def check_tags(value: str) -> tuple[str, ...] | None:
    """Comma-separated tags, trimmed and de-duplicated, or ``None`` if any is unusable."""
    tags: list[str] = []
    for part in value.split(","):
        tag = check_text(part, TAG_MAX)
        if tag is None:
            return None
        if tag.casefold() not in (t.casefold() for t in tags):
            tags.append(tag)
    return tuple(tags) if 0 < len(tags) <= TAGS_MAX else None


def check_province(value: str) -> str | None:
    return value if value == NATIONAL or value in PROVINCE_CODES else None


def new_resource_id(title_en: str, taken: Callable[[str], bool]) -> str:
    """A readable slug from the English title, unique among ``taken`` ids."""
    base = re.sub(r"[^a-z0-9]+", "-", title_en.casefold()).strip("-")[:32].strip("-") or "entry"
    candidate, counter = base, 2
    while taken(candidate):
        candidate = f"{base}-{counter}"
        counter += 1
    return candidate


def with_field(resource: Resource, name: str, value: Any) -> Resource:
    """A copy with one field changed (used by the coordinator's edit)."""
    return replace(resource, **{name: value})


# --- Parser -------------------------------------------------------------------------------------


def _parse(entry: Any, index: int) -> Resource:
    raw, fail = open_entry(entry, index, "resource", _REQUIRED, _KNOWN)
    raw_id = raw["id"]
    if not isinstance(raw_id, str) or not SLUG_RE.match(raw_id) or len(raw_id) > ID_MAX:
        raise fail(f"id must be a lowercase slug of at most {ID_MAX} characters")
    if raw["category"] not in EDITABLE_CATEGORIES:
        raise fail(f"category must be one of {', '.join(EDITABLE_CATEGORIES)}")
    if not isinstance(raw["province"], str) or check_province(raw["province"]) is None:
        raise fail(f"unknown province {raw['province']!r}")
    checked = raw["checked"]
    if isinstance(checked, dt.datetime) or not isinstance(checked, dt.date):
        raise fail("checked must be a date (YYYY-MM-DD, unquoted)")
    sources = raw["source"] if isinstance(raw["source"], list) else [raw["source"]]
    if not sources or any(not _is_source(s) for s in sources):
        raise fail(f"source must be an http(s) URL, {OWN_SOURCE!r}, or a non-empty list of them")
    tags = raw["tags"]
    if not isinstance(tags, list) or not tags or any(not isinstance(t, str) for t in tags):
        raise fail("tags must be a non-empty list of strings")
    checked_tags = check_tags(",".join(tags))
    if checked_tags is None:
        raise fail(f"tags: at most {TAGS_MAX}, each 1-{TAG_MAX} characters, no commas")

    optional = {key: _optional(raw, key, fail) for key in _OPTIONAL}
    return Resource(
        id=raw_id,
        category=raw["category"],
        title=_localized(raw["title"], "title", TITLE_MAX, fail),
        description=_localized(raw["description"], "description", DESCRIPTION_MAX, fail),
        province=raw["province"],
        tags=checked_tags,
        source=tuple(sources),
        checked=checked,
        **optional,
    )


def _is_source(value: Any) -> bool:
    return value == OWN_SOURCE or (isinstance(value, str) and check_url(value) is not None)


def _optional(raw: Mapping[str, Any], key: str, fail: Callable[[str], ValueError]) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    check: Callable[[str], str | None] = {
        "phone": check_phone,
        "whatsapp": check_phone,
        "url": check_url,
        "address": lambda text: check_text(text, ADDRESS_MAX),
    }[key]
    result = check(value) if isinstance(value, str) else None
    if result is None:
        raise fail(f"{key} is not valid")
    return result


def _localized(value: Any, field: str, limit: int, fail: Callable[[str], ValueError]) -> Localized:
    if not isinstance(value, Mapping) or set(value) != set(LANGS):
        raise fail(f"{field} must have exactly the keys {', '.join(LANGS)}")
    texts = {}
    for lang in LANGS:
        text = check_text(value[lang], limit) if isinstance(value[lang], str) else None
        if text is None:
            raise fail(f"{field}.{lang} must be 1-{limit} characters")
        texts[lang] = text
    return Localized(id=texts["id"], en=texts["en"])
