"""Journeys through the weekly check-in: the WHO-5 and quality-of-life items in both
languages, one skipped item, a restart in the middle, double taps, a low score with the
consented facilitator request, and the PHQ-9 whose item 9 goes straight to the crisis reply."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.ui.checkin import SkipItem
from tests.journeys.harness import BotWorld
from tests.journeys.helpers import rows
from tests.journeys.helpers.checkin import (
    LOW,
    QUALITY,
    WELL,
    answer_all,
    check_in,
    sittings,
    toasts,
)
from tests.journeys.helpers.crisis import a_group_with, a_member

CRISIS_REPLY = "You don't have to go through this alone"


async def test_a_full_checkin_in_english_scores_and_compares(world: BotWorld) -> None:
    ani = await a_member(world, 601, "Ani Pelangi")

    await ani.send("/checkin")
    assert "WHO-5 Well-Being Index" in ani.last.text
    assert "Question 1 of 8" in ani.last.text
    assert "I have felt cheerful and in good spirits" in ani.last.text
    assert ani.buttons()[:6] == [
        "All of the time",
        "Most of the time",
        "More than half of the time",
        "Less than half of the time",
        "Some of the time",
        "At no time",
    ]
    await answer_all(ani, [*WELL, *QUALITY])

    assert "80 out of 100" in ani.last.text and "starting point" in ani.last.text
    assert ani.last.reply_markup is None
    [(instrument, answers, score, done)] = sittings(world)
    assert (instrument, score, done) == ("who5", 80, 1)
    assert json.loads(answers) == {
        "cheerful": 4,
        "calm": 4,
        "active": 4,
        "rested": 4,
        "interest": 4,
        "connected": 4,
        "coping": 3,
        "supported": 5,
    }

    world.clock.advance(timedelta(days=7))
    await check_in(ani, ("All of the time",) * 5)
    result = ani.last.text
    assert "100 out of 100" in result
    assert "Compared with last time: 20 higher" in result and "starting point: 20 higher" in result


async def test_a_full_checkin_in_indonesian(world: BotWorld) -> None:
    budi = await a_member(world, 602, "Budi Senja")
    await budi.send("/language")
    await budi.press("Bahasa Indonesia")

    await budi.send("/checkin")
    assert "Pertanyaan 1 dari 8" in budi.last.text
    assert "Selama dua minggu terakhir:" in budi.last.text
    assert "Saya merasa ceria dan bersemangat" in budi.last.text
    assert "Lewati yang ini" in budi.buttons() and "Lanjutkan nanti" in budi.buttons()
    await answer_all(budi, ["Lebih dari separuh waktu"] * 5)
    assert "Saya merasa didukung oleh kelompok saya" not in budi.last.text  # not yet
    await answer_all(budi, ["Sebagian besar", "Lumayan"])
    assert "Saya merasa didukung oleh kelompok saya" in budi.last.text
    await budi.press("Sepenuhnya")

    assert "Skor kesejahteraanmu 60 dari 100" in budi.last.text
    assert "titik awalmu" in budi.last.text


async def test_one_item_may_be_skipped_and_a_second_skip_is_refused(world: BotWorld) -> None:
    citra = await a_member(world, 603, "Citra Bulan")
    await citra.send("/checkin")
    first_question = citra.last.message_id

    await citra.press("Skip this one")
    assert "Question 2 of 8" in citra.last.text
    assert "Skip this one" not in citra.buttons()  # one skip per sitting
    [(sitting_id,)] = rows(world, "SELECT id FROM questionnaires")

    # An old or forged second skip changes nothing.
    await citra.press_data(first_question, SkipItem(sitting_id, "calm").pack())
    assert toasts(world)[-1] == "That question has already been answered."
    assert json.loads(sittings(world)[0][1]) == {"cheerful": None}

    await answer_all(
        citra,
        ["Most of the time", "Less than half of the time", "Most of the time", "Most of the time"],
    )
    assert "Skip this one" in citra.buttons()  # quality-of-life items may be skipped
    await answer_all(citra, ["Skip this one", "Mostly", "Mostly"])
    # Four answered (4, 2, 4, 4): mean 3.5 x 5 x 4 = 70.
    assert "70 out of 100" in citra.last.text
    assert sittings(world)[0][2] == 70


async def test_a_checkin_resumes_after_a_restart_and_after_continue_later(
    world: BotWorld,
) -> None:
    dewi = await a_member(world, 604, "Dewi Hujan")
    await dewi.send("/checkin")
    await answer_all(dewi, ["All of the time", "Some of the time"])

    await world.restart()
    await dewi.send("I'm back")  # typed at a question: the hint and the question again
    assert "Please tap one of the answers" in dewi.last.text
    assert "Question 3 of 8" in dewi.last.text

    await dewi.press("Continue later")
    assert "answers so far are saved" in dewi.last.text
    # A Start button (here the menu's) resumes the same sitting where it was left.
    await dewi.send("/menu")
    await dewi.press("Weekly check-in")
    assert "Welcome back" in dewi.last.text and "Question 3 of 8" in dewi.last.text
    await answer_all(dewi, ["At no time", "At no time", "At no time", *QUALITY])

    [(_, answers, score, done)] = sittings(world)
    assert json.loads(answers)["cheerful"] == 5 and json.loads(answers)["calm"] == 1
    assert (score, done) == (24, 1)


async def test_a_double_tap_on_an_answer_counts_once(world: BotWorld) -> None:
    eka = await a_member(world, 605, "Eka Fajar")
    await eka.send("/checkin")
    message_id, data = eka.button("Most of the time")

    await eka.press_data(message_id, data)
    await eka.press_data(message_id, data)

    assert toasts(world)[-1] == "That question has already been answered."
    assert json.loads(sittings(world)[0][1]) == {"cheerful": 4}
    assert "Question 2 of 8" in eka.last.text


async def test_a_low_score_offers_support_and_tells_the_facilitator_only_with_consent(
    world: BotWorld,
) -> None:
    await a_member(world, 606, "Fasil Teduh")
    gita = await a_member(world, 607, "Gita Embun")
    await a_group_with(world, facilitators=["Fasil Teduh"], members=["Gita Embun"])

    await check_in(gita, LOW)

    texts = [entry.text for entry in world.emulator.bot_messages(607)[-4:]]
    assert "0 out of 100" in texts[0]
    assert "you don't have to carry this alone" in texts[1] and "119" in texts[1]
    assert "may want a check-in call" in texts[2]
    assert "nine more questions" in texts[3]
    before = len(world.emulator.bot_messages(606))
    await world.tick()
    assert len(world.emulator.bot_messages(606)) == before  # nothing without consent

    question, yes = gita.button("Let my facilitator know I may want a check-in call")
    await gita.press_data(question, yes)
    [answered] = [m for m in world.emulator.bot_messages(607) if m.message_id == question]
    assert "I've let your facilitator know" in answered.text and answered.reply_markup is None
    await gita.press_data(question, yes)  # a second tap: the request is already on its way
    assert toasts(world)[-1] == "Your facilitator already knows — the message is on its way."
    await world.tick()

    [notice] = world.emulator.bot_messages(606)[before:]
    assert "Gita Embun" in notice.text and "check-in" in notice.text
    for secret in ("score", "100", " 0", "At no time", "Mostly", "low", "band", "PHQ"):
        assert secret not in notice.text, secret
    await world.tick()
    assert len(world.emulator.bot_messages(606)) == before + 1  # once per sitting


async def test_no_consent_question_without_a_facilitator(world: BotWorld) -> None:
    hadi = await a_member(world, 608, "Hadi Pagi")
    await check_in(hadi, LOW)
    texts = " ".join(entry.text for entry in world.emulator.bot_messages(608)[-3:])
    assert "you don't have to carry this alone" in texts
    assert "check-in call" not in texts
    assert "nine more questions" in texts


async def test_phq9_item_nine_goes_straight_to_the_crisis_reply(world: BotWorld) -> None:
    intan = await a_member(world, 609, "Intan Sore")
    await check_in(intan, LOW)
    offer = intan.button("Answer nine more questions")

    await intan.press_data(*offer)
    assert "PHQ-9" in intan.last.text and "Question 1 of 9" in intan.last.text
    assert "Little interest or pleasure in doing things" in intan.last.text
    await answer_all(intan, ["Not at all"] * 8)
    assert "Thoughts that you would be better off dead" in intan.last.text
    replies = await intan.press("Several days")

    assert CRISIS_REPLY in replies[-1].text
    assert all("Your answers show" not in reply.text for reply in replies)
    phq = sittings(world)[1]
    assert phq[0] == "phq9" and phq[2] is None and phq[3] == 1
    assert json.loads(phq[1])["harm"] == 1
    # The offer, pressed again, starts nothing new.
    await intan.press_data(*offer)
    assert toasts(world)[-1] == "That question has already been answered."
    assert len(sittings(world)) == 2


async def test_phq9_result_is_a_band_in_plain_words(world: BotWorld) -> None:
    joko = await a_member(world, 610, "Joko Awan")
    await check_in(joko, LOW)
    await joko.press("Answer nine more questions")
    await answer_all(joko, [*["More than half the days"] * 6, *["Several days"] * 2, "Not at all"])

    # 6 x 2 + 2 x 1 + 0 = 14: the highest total of its band.
    assert "Your answers show quite a few of these difficulties" in joko.last.text
    assert "not a diagnosis" in joko.last.text and "Puskesmas" in joko.last.text
    assert "14" not in joko.last.text  # a band in words, not a number to read as a label
    assert sittings(world)[1][2] == 14
