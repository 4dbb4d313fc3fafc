"""/resources as a newcomer meets it (issue 13): searching again by typing, an Indonesian
landline as coordinators write it, and sources shown by name."""

from __future__ import annotations

from tests.journeys.harness import BotWorld
from tests.journeys.helpers import rows
from tests.journeys.helpers.onboarding import onboard_in_english

COORDINATOR_ID = 1311


async def test_typing_a_second_search_searches_again(world: BotWorld) -> None:
    cici = world.person(1310, "Cici", "en")
    await onboard_in_english(cici)
    await cici.send("/resources")
    await cici.press("🔎 Search")
    await cici.send("kecemasan")
    assert "I found" in cici.last.text
    assert "type other words" in cici.last.text  # says the search is still open

    await cici.send("psikolog")
    assert "I found" in cici.last.text
    await cici.send("zzqqxxvv")
    assert "couldn't find anything" in cici.last.text
    await cici.send("bpjs")
    assert "I found" in cici.last.text

    # Another command ends nothing it should not: the menu still answers.
    await cici.send("/menu")
    assert "What would you like to do?" in cici.last.text


async def test_an_indonesian_landline_in_its_usual_form_is_accepted(world: BotWorld) -> None:
    await world.restart(admin_ids=frozenset({COORDINATOR_ID}))
    koor = world.person(COORDINATOR_ID, "Koor", "en")
    await onboard_in_english(koor, alias="Koordinator")
    await koor.send("/addresource")
    await koor.press("🗣 Therapy")
    for text in ("Terapi seni Bandung", "Bandung art therapy"):
        await koor.send(text)
    for text in ("Melukis bersama setiap Sabtu.", "Painting together every Saturday."):
        await koor.send(text)
    await koor.press("Skip")  # no link

    await koor.send("(022) 255-1111")

    assert "only digits" not in koor.last.text
    await koor.press("National")
    await koor.send("lukis, art")
    preview = koor.last.text
    assert "Please check the new resource" in preview
    assert "+62 22 255-1111" in preview  # the form Telegram apps offer to call
    await koor.press("Save")
    assert rows(world, "SELECT phone FROM resources WHERE id = 'bandung-art-therapy'") == [
        ("(022) 255-1111",)
    ]


async def test_sources_are_shown_by_name(world: BotWorld) -> None:
    ayu = world.person(1312, "Ayu", "en")
    await onboard_in_english(ayu)
    await ayu.send("/resources BPJS psikiater")
    await ayu.press("1. Seeing a psychologist")

    entry = ayu.last
    assert "[1]" not in entry.text and "[2]" not in entry.text
    assert "liputan6.com" in entry.text and "kompas.com" in entry.text
    links = [e["url"] for e in entry.entities if e["type"] == "text_link"]
    assert any("liputan6.com/health" in url for url in links)
