"""Contact details in buddy messages: phone numbers in Indonesian shapes, @handles, e-mail
addresses and links are found; times, counts, amounts and dates are not."""

from __future__ import annotations

import pytest

from bot.domain.off_platform import ContactKind, contact_details

PHONE, HANDLE, EMAIL, LINK = (
    ContactKind.PHONE,
    ContactKind.HANDLE,
    ContactKind.EMAIL,
    ContactKind.LINK,
)


@pytest.mark.parametrize(
    "text",
    [
        "wa aku ya 081234567890",
        "0812 3456 7890",
        "0812-3456-789",
        "0812.3456.7890",
        "+62 812 3456 7890",
        "+62-812-3456-7890",
        "6281234567890",
        "62 812 3456 7890",
        "telpon (021) 1234567",
        "+1 555 123 4567",
    ],
)
def test_phone_numbers_are_found(text: str) -> None:
    assert contact_details(text) == {PHONE}


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("follow aku di @melati_27 ya", {HANDLE}),
        ("DM ke @kenari17", {HANDLE}),
        ("email aku: melati.27@gmail.com", {EMAIL}),
        ("cek https://example.org/page", {LINK}),
        ("http://bit.ly/xyz", {LINK}),
        ("buka www.kompas.com deh", {LINK}),
        ("chat aku di t.me/melati", {LINK}),
        ("wa.me/6281234567890", {LINK, PHONE}),
        ("lihat example.com", {LINK}),
        ("grupnya di komunitas.id", {LINK}),
        ("@melati email melati@yahoo.co.id 08123456789", {HANDLE, EMAIL, PHONE}),
    ],
)
def test_handles_emails_and_links_are_found(text: str, kinds: set[ContactKind]) -> None:
    assert contact_details(text) == kinds


@pytest.mark.parametrize(
    "text",
    [
        "semangat ya! ketemu jam 19.00 nanti",
        "aku jalan 3-4 kali seminggu",
        "harganya 1.000 aja",
        "Rp 1.500.000 buat sebulan",
        "tanggal 12-12-2026",
        "rapatnya 02.12.2026 19.00",
        "jam 08.00-09.00 dan 10.00",
        "aku capek.besok lebih baik",
        "nilai WHO-5 ku naik 12 poin",
        "tidur 7-8 jam, 2x sehari",
        "kamu hebat @ kerja kemarin",
        "tahun 2026 pasti lebih baik",
        "",
    ],
)
def test_ordinary_numbers_and_words_pass(text: str) -> None:
    assert contact_details(text) == frozenset()
