"""Journeys through /resources: browsing, paging, searching, facilitator guides, the editor."""

from __future__ import annotations

import sqlite3

from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers import rows
from tests.journeys.helpers.onboarding import onboard_in_english

COORDINATOR_ID = 901


def make_facilitator(world: BotWorld, telegram_id: int) -> None:
    """Gives the member a group to facilitate (straight in SQL: the journey is about resources)."""
    with sqlite3.connect(world.db_path) as db:
        (member_id,) = db.execute(
            "SELECT id FROM members WHERE telegram_id = ?", (telegram_id,)
        ).fetchone()
        cursor = db.execute(
            "INSERT INTO groups (name, description, format, languages, timezone, max_members,"
            " invite_code, created_at) VALUES ('Group', 'A group', 'online', 'id',"
            " 'Asia/Jakarta', 12, 'code-1', '2026-12-01T00:00:00.000000+00:00')"
        )
        db.execute(
            "INSERT INTO group_facilitators (group_id, member_id, added_at)"
            " VALUES (?, ?, '2026-12-01T00:00:00.000000+00:00')",
            (cursor.lastrowid, member_id),
        )


def last_alert(world: BotWorld) -> str:
    return list(world.emulator.callback_answers.values())[-1].get("text") or ""


def result_buttons(person: Person) -> list[str]:
    """Labels of the numbered entry buttons of the newest list."""
    return [label for label in person.buttons() if label[:1].isdigit()]


def newest_results(person: Person) -> list[str]:
    """Numbered entry buttons of the newest message that has them (a crisis reply may follow)."""
    for message in reversed(person.world.emulator.bot_messages(person.user_id)):
        rows = (message.reply_markup or {}).get("inline_keyboard", [])
        labels = [b["text"] for row in rows for b in row if b["text"][:1].isdigit()]
        if labels:
            return labels
    raise AssertionError("no list of results")


async def test_member_browses_by_topic_and_province_with_paging(world: BotWorld) -> None:
    ayu = world.person(801, "Ayu", "en")
    await onboard_in_english(ayu)  # lives in Bali

    await ayu.send("/resources")
    assert "Resources" in ayu.last.text
    assert "🧭 For facilitators" not in ayu.buttons()
    await ayu.press("Services & professionals")
    assert ayu.buttons()[:3] == ["📍 Bali and national", "🇮🇩 National", "🗺 All provinces"]

    await ayu.press("Bali and national")
    listing = ayu.last.text
    assert "Bali Provincial Psychiatric Hospital" in listing
    assert listing.index("Bali Provincial") < listing.index("Puskesmas")  # own province first
    assert "Magelang" not in listing

    await ayu.press("All topics")
    await ayu.press("Services & professionals")
    await ayu.press("All provinces")
    first_page = result_buttons(ayu)
    assert len(first_page) == 5 and first_page[0].startswith("1. Bali")
    await ayu.press("Next ▶")
    assert result_buttons(ayu)[0].startswith("6. ")
    await ayu.press("◀ Previous")
    assert result_buttons(ayu) == first_page

    await ayu.press("1. Bali")
    entry = ayu.last.text
    assert "Bangli" in entry and "Sources:" in entry
    links = [e.get("url", "") for e in ayu.last.entities if e["type"] == "text_link"]
    assert any(link.startswith("https://fbeta.republika.co.id/") for link in links)


async def test_search_by_command_in_both_languages_and_with_affixes(world: BotWorld) -> None:
    budi = world.person(802, "Budi", "id")
    await budi.send("/resources obat tidur")
    assert "Saya menemukan" in budi.last.text or "found" in budi.last.text
    assert result_buttons(budi)[0].startswith("1. Obat tidur")

    await budi.send("/resources pengobatan")
    assert any("obat" in label.lower() for label in result_buttons(budi))
    await budi.send("/resources skizofernia")  # a typo
    assert "skizofrenia" in result_buttons(budi)[0].lower()
    await budi.send("/resources sleeping pills")
    assert result_buttons(budi)[0].startswith("1. Obat tidur")


async def test_search_by_button_with_kind_answers_to_bad_input(world: BotWorld) -> None:
    cici = world.person(803, "Cici", "en")
    await cici.send("/resources")
    await cici.press("🔎 Search")
    assert "What are you looking for?" in cici.last.text

    await cici.send("x" * 300)
    assert "a bit long" in cici.last.text and "xxxx" not in cici.last.text
    await cici.send("!!! ???")
    assert "type a few words" in cici.last.text
    await cici.send("kecemasan")
    assert "I found" in cici.last.text

    await cici.press("🔎 Search")
    await cici.send("zzqqxxvv")
    assert "couldn't find anything" in cici.last.text
    assert "🗣 Therapy" in cici.buttons()  # browsing is offered instead
    await cici.send("/resources <b>psikolog</b>")
    assert "I found" in cici.last.text


async def test_facilitator_guides_only_for_facilitators(world: BotWorld) -> None:
    dewi = world.person(804, "Dewi", "en")
    await onboard_in_english(dewi, alias="Dewi Pagi")

    await dewi.send("/resources facilitator self-care")
    assert not any("facilitator" in label.lower() for label in result_buttons(dewi))
    await dewi.send("/resources")
    assert "🧭 For facilitators" not in dewi.buttons()
    # A forged button for the hidden topic is refused.
    message_id, _ = dewi.button("Therapy")
    await dewi.press_data(message_id, "rs:ls:facilitators:a:0")
    assert "For facilitators" not in dewi.last.text

    make_facilitator(world, 804)
    await dewi.send("/resources")
    assert "🧭 For facilitators" in dewi.buttons()
    await dewi.press("For facilitators")
    assert "Support-group discussion guidelines" in dewi.last.text
    await dewi.send("/resources facilitator self-care")
    assert result_buttons(dewi)[0] == "1. Self-care as a facilitator"


async def test_coordinator_adds_edits_and_retires_a_resource(world: BotWorld) -> None:
    await world.restart(admin_ids=frozenset({COORDINATOR_ID}))
    member = world.person(805, "Eka", "en")
    await member.send("/addresource")
    assert "Only coordinators" in member.last.text

    coordinator = world.person(COORDINATOR_ID, "Coordinator", "en")
    await onboard_in_english(coordinator, alias="Koordinator")
    await coordinator.send("/addresource")
    replies = await coordinator.send("therapy please")  # typed where a topic button is expected
    assert "buttons" in replies[0].text and "🗣 Therapy" in coordinator.buttons()
    await coordinator.press("🗣 Therapy")
    await coordinator.send("Terapi seni Rangkul")
    await coordinator.send("Rangkul art therapy")
    await coordinator.send("x" * 401)
    assert "1 to 400 characters" in coordinator.last.text
    await coordinator.send("Melukis bersama setiap Sabtu.")
    await coordinator.send("Painting together every Saturday.")
    await coordinator.send("javascript:alert(1)")
    assert "web link" in coordinator.last.text
    await coordinator.send("https://example.org/art")
    await coordinator.send("call me")
    assert "phone number" in coordinator.last.text
    await coordinator.press("Skip")
    await coordinator.press("National")
    await coordinator.send("lukis, melukis, art, painting")
    assert "Please check the new resource" in coordinator.last.text
    await coordinator.press("Save")
    assert any("searchable now" in text for text in coordinator.texts)

    await member.send("/resources melukis")
    assert result_buttons(member)[0] == "1. Rangkul art therapy"

    await coordinator.send("/resources art therapy")
    await coordinator.press("1. Rangkul art therapy")
    await coordinator.press("✏️ Edit")
    await member.press_data(member.last.message_id, "rs:ed:rangkul-art-therapy")  # forged
    assert "Only coordinators" in last_alert(world)
    await coordinator.press("Title (English)")
    await coordinator.send("Rangkul painting circle")
    assert "Rangkul painting circle" in coordinator.last.text
    await member.send("/resources painting circle")
    assert result_buttons(member)[0] == "1. Rangkul painting circle"

    await coordinator.press("🗑 Retire")
    await coordinator.press("Yes, retire it")
    assert "Retired" in coordinator.last.text
    await member.send("/resources painting circle")
    assert "Rangkul painting" not in " ".join(result_buttons(member))
    assert rows(world, "SELECT retired_at IS NOT NULL FROM resources WHERE origin = 'bot'") == [
        (1,)
    ]


async def test_someone_who_declined_consent_can_still_use_resources(world: BotWorld) -> None:
    fajar = world.person(806, "Fajar", "en")
    await fajar.send("/start")
    await fajar.press("English")
    await fajar.press("Continue")
    await fajar.press("Yes, I'm 18 or older")
    await fajar.press("Not now")

    await fajar.send("/resources")
    assert "Resources" in fajar.last.text
    await fajar.press("🆘 Crisis & emergency")
    await fajar.press("National")
    assert "112" in fajar.last.text
    await fajar.send("/resources therapy")
    assert "I found" in fajar.last.text
    assert rows(world, "SELECT COUNT(*) FROM members") == [(0,)]


CRISIS_NAMES = ("112", "119", "110", "SEJIWA", "Healing119", "JakCare")


async def test_crisis_words_and_everyday_names_find_the_right_entries(world: BotWorld) -> None:
    gita = world.person(807, "Gita", "id")
    for query in ("bunuh diri", "suicide", "aku mau bunuh diri"):
        await gita.send(f"/resources {query}")
        first = newest_results(gita)[0]
        assert any(name in first for name in CRISIS_NAMES), (query, first)
        assert "Polisi" not in first and "SAPA" not in first  # lines for suicide come first

    await gita.send("/resources jogja")
    assert "Grhasia" in newest_results(gita)[0]
    await gita.send("/resources skizo")
    assert "skizofrenia" in newest_results(gita)[0].lower()
    await gita.send("/resources how to help my son")
    assert "NAMI" in newest_results(gita)[0] or "Circle of Care" in newest_results(gita)[0]
