"""Journeys through the Indonesian copy: one label for turning pages, wherever a list is paged.

A survivor who learnt "Berikutnya ▶" at the province step should find the same words when the
resources list runs long, not "Lagi ▶️" there and "Lainnya »" elsewhere (issue 13).
"""

from __future__ import annotations

from tests.journeys.harness import BotWorld

NEXT, PREVIOUS = "Berikutnya ▶", "◀ Sebelumnya"


async def test_every_list_turns_its_pages_with_the_same_indonesian_labels(world: BotWorld) -> None:
    sekar = world.person(131, "Sekar", language_code="id")
    await sekar.send("/start")
    for label in ("Bahasa Indonesia", "Lanjut", "Ya, usia saya 18 tahun ke atas", "Saya setuju"):
        await sekar.press(label)
    await sekar.press("Pakai alias ini")
    assert NEXT in sekar.buttons()  # the province list
    await sekar.press(NEXT)
    assert PREVIOUS in sekar.buttons()
    await sekar.press("Bali")
    await sekar.press("Selesai")

    await sekar.send("/resources")
    await sekar.press("Layanan & tenaga profesional")
    await sekar.press("Semua provinsi")
    first_page = sekar.buttons()
    assert NEXT in first_page
    await sekar.press(NEXT)
    assert PREVIOUS in sekar.buttons()
    await sekar.press(PREVIOUS)
    assert sekar.buttons() == first_page
