"""Tests for the crisis-contact data file and its parser."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.data_files import crisis_contacts
from bot.domain.contacts import (
    LANGS,
    CrisisContact,
    Localized,
    contacts_for,
    parse_contacts,
    tappable,
)

# Good resources, but not crisis services (data/README.md): they must never be listed here.
# The 500-454 line closed in 2014; sources are listed in data/README.md.
ADVOCACY_ORGS = ("into the light", "kpsi", "skizofrenia", "bipolar care", "pulih")
CLOSED_NUMBERS = ("500454", "021500454")


@pytest.fixture(scope="module")
def contacts() -> tuple[CrisisContact, ...]:
    return crisis_contacts()


def test_shipped_file_loads(contacts: tuple[CrisisContact, ...]) -> None:
    assert contacts
    assert len({c.id for c in contacts}) == len(contacts)


def test_every_entry_has_source_and_past_checked_date(
    contacts: tuple[CrisisContact, ...],
) -> None:
    today = dt.date.today()
    for c in contacts:
        assert c.source, c.id
        assert all(s.startswith(("https://", "http://")) for s in c.source), c.id
        assert isinstance(c.checked, dt.date), c.id
        assert c.checked <= today, c.id


def test_both_languages_present(contacts: tuple[CrisisContact, ...]) -> None:
    for c in contacts:
        for field in (c.description, c.hours, c.caveat):
            if field is None:
                continue
            for lang in LANGS:
                assert field.get(lang).strip(), (c.id, lang)
        assert c.description.id != c.description.en, c.id


def test_112_is_present_and_first(contacts: tuple[CrisisContact, ...]) -> None:
    first = contacts[0]
    assert first.phone == "112"
    assert first.kind == "emergency"
    assert first.is_national


def test_112_caveat_names_the_fallback_numbers(contacts: tuple[CrisisContact, ...]) -> None:
    # 112 is not active everywhere yet (172 regencies/cities in September 2025), so its caveat
    # must say what to dial when it does not connect: 119 (ambulance) or 110 (police).
    caveat = contacts[0].caveat
    assert caveat is not None
    for lang in LANGS:
        text = caveat.get(lang)
        assert "172" in text and "119" in text and "110" in text, lang


def test_order_is_emergency_then_national_then_provincial(
    contacts: tuple[CrisisContact, ...],
) -> None:
    ranks = [(0 if c.kind == "emergency" else 1 if c.is_national else 2) for c in contacts]
    assert ranks == sorted(ranks)


def test_no_advocacy_org_or_closed_line(contacts: tuple[CrisisContact, ...]) -> None:
    for c in contacts:
        text = " ".join([c.id, c.name, c.description.id, c.description.en]).lower()
        for org in ADVOCACY_ORGS:
            assert org not in text, (c.id, org)
        for number in (c.dial, c.whatsapp_digits):
            assert number not in CLOSED_NUMBERS, c.id


def test_contacts_for_province(contacts: tuple[CrisisContact, ...]) -> None:
    national = contacts_for(contacts, None)
    assert national and all(c.is_national for c in national)

    jakarta = contacts_for(contacts, "jkt")
    bali = contacts_for(contacts, "bali")
    assert "jakcare" in {c.id for c in jakarta}
    assert "jakcare" not in {c.id for c in bali}
    # National entries come first and keep the file's order.
    assert jakarta[0].phone == "112"
    assert [c for c in jakarta if c.is_national] == list(national)
    assert list(jakarta) == [c for c in contacts if c in jakarta]


def test_localized_get_falls_back_to_indonesian() -> None:
    text = Localized(id="halo", en="hello")
    assert text.get("en") == "hello"
    assert text.get("id") == "halo"
    assert text.get(None) == "halo"
    assert text.get("jv") == "halo"


def test_dial_strips_separators_and_extension(contacts: tuple[CrisisContact, ...]) -> None:
    by_id = {c.id: c for c in contacts}
    assert by_id["sejiwa-119-ext-8"].dial == "119"
    assert by_id["jakcare"].dial == "08001500119"


VALID = """
[[contact]]
id = "ok-line"
scope = "national"
kind = "crisis_line"
name = "OK line"
phone = "0800-123-456"
languages = ["id"]
source = "https://example.org/page"
checked = 2025-01-01
description = { id = "Satu.", en = "One." }
"""


def test_valid_text_parses() -> None:
    (contact,) = parse_contacts(VALID)
    assert contact.id == "ok-line"
    assert contact.source == ("https://example.org/page",)
    assert contact.checked == dt.date(2025, 1, 1)


BAD_ENTRY = """
[[contact]]
id = "broken-line"
scope = "{scope}"
kind = "crisis_line"
name = "Broken"
{field}
languages = ["id"]
source = "https://example.org/page"
checked = {checked}
description = {description}
"""

GOOD_DESC = '{ id = "a", en = "b" }'


@pytest.mark.parametrize(
    ("scope", "field", "checked", "description", "reason"),
    [
        ("national", 'phone = "call 0800 now"', "2025-01-01", GOOD_DESC, "phone"),
        ("national", 'whatsapp = "08x1"', "2025-01-01", GOOD_DESC, "whatsapp"),
        ("national", 'phone = "112"', '"2025-01-01"', GOOD_DESC, "checked"),
        ("national", 'phone = "112"', "2025-01-01", '{ id = "a" }', "description.en"),
        ("national", 'phone = "112"', "2025-01-01", '{ id = "a", en = "" }', "description.en"),
        ("atlantis", 'phone = "112"', "2025-01-01", GOOD_DESC, "scope"),
        ("national", "", "2025-01-01", GOOD_DESC, "phone, whatsapp, url or app"),
    ],
)
def test_malformed_entry_is_refused_with_its_id(
    scope: str, field: str, checked: str, description: str, reason: str
) -> None:
    bad = BAD_ENTRY.format(scope=scope, field=field, checked=checked, description=description)
    with pytest.raises(ValueError, match="broken-line") as excinfo:
        parse_contacts(VALID + bad)
    assert reason in str(excinfo.value)


def test_missing_source_is_refused() -> None:
    body = VALID.replace('source = "https://example.org/page"\n', "")
    with pytest.raises(ValueError, match=r"ok-line.*source"):
        parse_contacts(body)


def test_source_must_be_a_url() -> None:
    body = VALID.replace('"https://example.org/page"', '"a friend told me"')
    with pytest.raises(ValueError, match=r"ok-line.*source"):
        parse_contacts(body)


def test_duplicate_id_is_refused() -> None:
    with pytest.raises(ValueError, match=r"ok-line.*duplicate"):
        parse_contacts(VALID + VALID)


def test_unknown_field_is_refused() -> None:
    body = VALID.replace('name = "OK line"', 'name = "OK line"\naddress = "Jl. Somewhere"')
    with pytest.raises(ValueError, match=r"ok-line.*address"):
        parse_contacts(body)


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("08111-129-129", "+62 8111-129-129"),  # a mobile number: international, so tappable
        ("0811-3855-472", "+62 811-3855-472"),
        ("0800-1500-119", "0800-1500-119"),  # toll-free works only dialled at home
        ("119 ext. 8", "119 ext. 8"),
        ("112", "112"),
        ("+62 21 1234", "+62 21 1234"),
    ],
)
def test_mobile_numbers_are_shown_in_the_form_telegram_links(written: str, shown: str) -> None:
    assert tappable(written) == shown
