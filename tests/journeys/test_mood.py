"""Journeys through the quick mood: one tap, tags ticked and unticked, a private note or none,
the words comparing today with the week before (English and Indonesian); double taps, old
buttons and a restart change nothing; crisis words in a note get the crisis reply and are not
stored; a feeling in a note is kept and answered warmly; the distress reply leads here."""

from __future__ import annotations

from datetime import timedelta

from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers import rows
from tests.journeys.helpers.crisis import a_member, assert_stored_nowhere

SCALE = ["😞 Very low", "🙁 Low", "😐 Okay", "🙂 Good", "😄 Very good"]
CRISIS_REPLY = "You don't have to go through this alone"


def moods(world: BotWorld) -> list[tuple]:
    return rows(world, "SELECT score, tags, note FROM moods ORDER BY id")


def toasts(world: BotWorld) -> list[str]:
    return [answer["text"] for answer in world.emulator.callback_answers.values() if answer["text"]]


async def in_indonesian(person: Person) -> None:
    await person.send("/language")
    await person.press("Bahasa Indonesia")


async def test_a_mood_with_tags_ticked_twice_and_a_private_note(world: BotWorld) -> None:
    rina = await a_member(world, 701, "Rina Senja")

    [scale] = await rina.send("/mood")
    assert "How are you feeling today?" in scale.text and rina.buttons() == SCALE
    assert await rina.press("Low") == []  # edited in place
    assert moods(world) == [(2, "", None)]  # the tap alone is kept
    assert "Saved: 🙁 Low." in rina.last.text

    await rina.press("Sleep")
    await rina.press("Anxiety")
    await rina.press("✓ Sleep")  # ticked, then unticked
    assert "✓ Anxiety" in rina.buttons() and "Sleep" in rina.buttons()
    assert "✓ Sleep" not in rina.buttons()
    await rina.press("Done")
    assert moods(world) == [(2, "anxiety", None)]
    assert rina.buttons() == ["📝 Add a note (only you will see it)", "Skip"]

    await rina.press("Add a note")
    assert "Only you will see it" in rina.last.text
    [thanks] = await rina.send("Slept badly, walked by the sea")

    assert moods(world) == [(2, "anxiety", "Slept badly, walked by the sea")]
    assert "Thank you for checking in. This is your first one." in thanks.text
    # A low mood: a grounding exercise and /crisis are offered, and the progress chart.
    assert "/crisis" in thanks.text
    assert rina.buttons() == ["🌿 Grounding exercise now", "📈 My progress"]


async def test_in_indonesian_the_next_day_is_compared_with_the_week_before(
    world: BotWorld,
) -> None:
    dewi = await a_member(world, 702, "Dewi Pagi")
    await in_indonesian(dewi)

    await dewi.send("/mood")
    assert "Bagaimana perasaanmu hari ini?" in dewi.last.text
    await dewi.press("Biasa saja")
    await dewi.press("Tidur")
    await dewi.press("Selesai")
    await dewi.press("Lewati")  # the thanks replaces the offer of a note
    assert "Ini catatan pertamamu." in dewi.last.text
    assert dewi.buttons() == ["📈 Perkembangan saya"]

    world.clock.advance(timedelta(days=1))
    await dewi.send("/mood")
    await dewi.press("Baik sekali")
    await dewi.press("Selesai")
    await dewi.press("Tulis catatan")
    [thanks] = await dewi.send("Jalan pagi sama teman")
    assert "Hari ini cukup jauh lebih baik dibanding seminggu terakhirmu." in thanks.text
    assert moods(world) == [(3, "sleep", None), (5, "", "Jalan pagi sama teman")]

    world.clock.advance(timedelta(days=8))  # nothing in the week before
    await dewi.send("/mood")
    await dewi.press("Baik")
    await dewi.press("Selesai")
    await dewi.press("Lewati")
    assert "pertamamu dalam seminggu" in dewi.last.text


async def test_double_taps_and_old_buttons_change_nothing(world: BotWorld) -> None:
    sari = await a_member(world, 703, "Sari Senja")
    await sari.send("/menu")
    menu_button = sari.button("My mood today")
    await sari.press("My mood today")
    assert sari.buttons() == SCALE  # a message of its own below the menu
    await sari.press_data(*menu_button)  # pressed again on the menu
    assert toasts(world)[-1].startswith("Your mood check-in is already open")

    okay = sari.button("Okay")
    await sari.press_data(*okay)
    assert await sari.press_data(*okay) == []
    assert toasts(world)[-1] == "That's already done, so nothing changed."
    assert moods(world) == [(3, "", None)]

    hope = sari.button("Hope")
    await sari.press_data(*hope)
    await sari.press_data(*hope)  # the second of a double tap: "Hope" stays ticked
    assert "✓ Hope" in sari.buttons()
    done = sari.button("Done")
    await sari.press_data(*done)
    await sari.press_data(*done)
    assert toasts(world)[-1] == "That's already done, so nothing changed."
    add_note = sari.button("Add a note")
    await sari.press_data(*add_note)
    assert await sari.press_data(*add_note) == []
    await sari.press("Skip")
    assert moods(world) == [(3, "hope", None)]

    # After the end, any button of that sitting: a toast, nothing else.
    for old in (okay, hope, done, add_note):
        assert await sari.press_data(*old) == []
        assert toasts(world)[-1] == "This mood check-in has ended. Send /mood for a new one."
    assert moods(world) == [(3, "hope", None)]

    # A new sitting: buttons of the old one still change nothing.
    await sari.send("/mood")
    await sari.press_data(*okay)
    assert toasts(world)[-1].startswith("This mood check-in has ended")
    assert len(moods(world)) == 1


async def test_a_restart_mid_way_resumes_where_the_person_was(world: BotWorld) -> None:
    budi = await a_member(world, 704, "Budi Laut")
    await budi.send("/mood")
    await budi.press("Good")
    await budi.press("Hope")
    await world.restart()

    await budi.press("Energy")
    assert "✓ Hope" in budi.buttons() and "✓ Energy" in budi.buttons()
    await budi.press_then_crash("Done")  # replied, then died before saving the step
    await world.start()

    await budi.press("Add a note")
    await budi.send("Good talk with my sister")
    assert moods(world) == [(4, "energy,hope", "Good talk with my sister")]
    assert "Thank you for checking in" in budi.last.text


async def test_crisis_words_in_a_note_get_the_crisis_reply_and_are_never_stored(
    world: BotWorld,
) -> None:
    ayu = await a_member(world, 705, "Ayu Senja")
    await ayu.send("/mood")
    await ayu.press("Very low")
    await ayu.press("Done")
    await ayu.press("Add a note")

    replies = await ayu.send("aku pengen mati aja")

    assert CRISIS_REPLY in replies[0].text
    assert not any("Thank you for checking in" in reply.text for reply in replies)
    await world.app.update_persistence()
    assert_stored_nowhere(world, "pengen mati")
    assert moods(world) == [(1, "", None)]
    # The note step is still open for words to keep.
    await ayu.send("a heavy day")
    assert moods(world) == [(1, "", "a heavy day")]


async def test_a_feeling_in_a_note_is_kept_and_answered_warmly(world: BotWorld) -> None:
    hana = await a_member(world, 706, "Hana Biru")
    await hana.send("/mood")
    await hana.press("Okay")
    await hana.press("Done")
    await hana.press("Add a note")

    thanks, warm = await hana.send("i feel so alone rn")

    assert "Thank you for checking in" in thanks.text
    assert "Feeling alone is so heavy" in warm.text  # the distress reply, after the thanks
    assert "🆘 Need help now" in hana.buttons()
    assert moods(world) == [(3, "", "i feel so alone rn")]  # their own private note


async def test_a_note_must_be_text_of_at_most_500_characters(world: BotWorld) -> None:
    eka = await a_member(world, 707, "Eka Pagi")
    await eka.send("/mood")
    await eka.press("Good")
    await eka.press("Done")
    await eka.press("Add a note")

    [too_long] = await eka.send("a" * 501)
    assert "it has 501 characters, and a note fits 500" in too_long.text
    [sticker] = await eka.send_sticker()
    assert "A note can only be text" in sticker.text and eka.buttons() == ["Skip"]
    [edited] = await eka.edit(eka.last_sent_id, "changed")
    assert "I only read new messages" in edited.text
    await eka.send("/mood")  # starts afresh, at the scale
    [hint] = await eka.send("hello")
    assert "Please tap one of the buttons." in hint.text and eka.buttons() == SCALE
    assert moods(world) == [(4, "", None)]


async def test_the_distress_reply_leads_to_the_quick_mood(world: BotWorld) -> None:
    tari = await a_member(world, 708, "Tari Senja")
    [warm] = await tari.send("I'm so overwhelmed")
    assert "a lot to deal with" in warm.text and "🙂 Check in with my mood" in tari.buttons()

    [scale] = await tari.press("Check in with my mood")

    assert tari.buttons() == SCALE and "How are you feeling today?" in scale.text
    assert "a lot to deal with" in tari.texts[-2]  # the distress reply stays as it was
    await tari.press("Low")
    assert moods(world) == [(2, "", None)]


async def test_only_members_record_moods(world: BotWorld) -> None:
    guest = world.person(709, "Guest", "en")
    [reply] = await guest.send("/mood")
    assert "This is for people who have joined Rangkul" in reply.text
    [warm] = await guest.send("I'm so overwhelmed")
    assert "a lot to deal with" in warm.text
    assert "🙂 Check in with my mood" not in guest.buttons()
    assert moods(world) == []
