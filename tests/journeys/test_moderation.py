"""Moderation: a report on a relayed buddy message reaches the group's facilitators (privately,
with the words and the aliases), one facilitator acts once (warn, end the pairing, pause the
relay) and the others see it handled; coordinators remove a member and read the audit log
with aliases only; new members see the group guidelines.

The buddy relay is built in parallel (issue 12): pairings and relayed messages are written by
tests/journeys/helpers/buddies.py with plain SQL, and delivered with the relay's Report button.
"""

from __future__ import annotations

from datetime import timedelta

from bot.domain.moderation import ModerationAction
from bot.services import moderation as moderation_service
from bot.ui.moderation import ConfirmModeration
from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers import rows
from tests.journeys.helpers.buddies import a_pairing, relay
from tests.journeys.helpers.checkin import toasts
from tests.journeys.helpers.groups import COORDINATOR_ID, a_coordinator
from tests.journeys.helpers.meetings import a_group, a_person, member_id, services

LINA, KENARI, FASIL, DUA = 918273645, 918273646, 301, 302
WORDS = "Add me on WhatsApp <b>now</b>, forget this bot"


async def buddies_with_facilitators(world: BotWorld) -> dict[str, object]:
    """Lina and Kenari, buddies in a group that Fasil and Dua facilitate; Kenari's message
    reached Lina."""
    group = await a_group(world)
    s = services(world)
    people: dict[str, object] = {"group": group}
    for key, user_id, alias in (
        ("lina", LINA, "Lina Laut"),
        ("kenari", KENARI, "Kenari Tujuh"),
        ("fasil", FASIL, "Fasil Sari"),
        ("dua", DUA, "Dua Bulan"),
    ):
        person = await a_person(world, user_id, alias)
        people[key] = person
        people[f"{key}_id"] = await member_id(world, person)
    now = world.clock.now()
    for key in ("lina", "kenari"):
        assert await s.groups.add_member(group, people[f"{key}_id"], now)
    for key in ("fasil", "dua"):
        await s.groups.add_facilitator(group, people[f"{key}_id"], now)
    pairing = a_pairing(world, group, people["lina_id"], people["kenari_id"])
    people["pairing"] = pairing
    lina = people["lina"]
    assert isinstance(lina, Person)
    kenari = people["kenari_id"]
    people["message"] = await relay(world, pairing, kenari, "Kenari Tujuh", lina, WORDS)
    return people


def reports_received(person: Person) -> list[str]:
    return [text for text in person.texts if "A report in" in text]


async def reported(world: BotWorld) -> dict[str, object]:
    """The world above, with Lina's report delivered to the facilitators."""
    p = await buddies_with_facilitators(world)
    lina = p["lina"]
    assert isinstance(lina, Person)
    await lina.press("Report")
    await lina.press("Pressure to move off the bot")
    await world.tick()
    return p


async def act(person: Person, action: str) -> None:
    await person.press(action)
    await person.press("Yes, do it")


async def test_a_report_reaches_the_facilitators_privately_with_words_and_aliases(
    world: BotWorld,
) -> None:
    p = await buddies_with_facilitators(world)
    lina, kenari, fasil, dua = p["lina"], p["kenari"], p["fasil"], p["dua"]
    assert isinstance(lina, Person) and isinstance(kenari, Person)
    assert isinstance(fasil, Person) and isinstance(dua, Person)

    await lina.press("Report")
    assert "What is wrong?" in lina.last.text
    assert "Your buddy is not told" in lina.last.text
    await lina.press("Pressure to move off the bot")
    assert "Thank you for telling us" in lina.last.text
    await world.tick()

    for facilitator in (fasil, dua):
        [report] = reports_received(facilitator)
        assert "Teman Cerita Makassar" in report
        assert "Reported by: Lina Laut" in report and "About: Kenari Tujuh" in report
        assert WORDS in report  # escaped: shown as written, not as bold
        assert "Pressure to move off the bot or share contacts" in report
        assert "⚠️ Warn Kenari Tujuh" in facilitator.buttons()
    for buddy in (lina, kenari):
        assert not reports_received(buddy)
    # Only private chats got anything: a report is never posted in a group chat.
    assert all(chat > 0 for chat in world.emulator.chat_ids())


async def test_a_double_tap_on_a_reason_reports_once(world: BotWorld) -> None:
    p = await buddies_with_facilitators(world)
    lina = p["lina"]
    assert isinstance(lina, Person)
    await lina.press("Report")
    reason_message, data = lina.button("Spam")
    await lina.press_data(reason_message, data)
    await lina.press_data(reason_message, data)
    assert "You have already reported this" in toasts(world)[-1]
    assert rows(world, "SELECT reason FROM reports") == [("spam",)]


async def test_only_the_recipient_can_report_a_message(world: BotWorld) -> None:
    p = await buddies_with_facilitators(world)
    kenari, fasil = p["kenari"], p["fasil"]
    assert isinstance(kenari, Person) and isinstance(fasil, Person)
    for someone in (kenari, fasil):  # the sender, and a facilitator, with forged buttons
        await someone.send("/help")
        await someone.press_data(someone.last.message_id, f"mo:msg:{p['message']}")
        await someone.press_data(someone.last.message_id, f"mo:why:message:{p['message']}:spam")
    assert rows(world, "SELECT count(*) FROM reports") == [(0,)]


async def test_a_warning_goes_once_and_the_other_facilitator_sees_it_handled(
    world: BotWorld,
) -> None:
    p = await reported(world)
    kenari, fasil, dua = p["kenari"], p["fasil"], p["dua"]
    assert isinstance(kenari, Person) and isinstance(fasil, Person) and isinstance(dua, Person)

    await fasil.press("Warn")
    assert "kind but firm reminder" in fasil.last.text
    confirm_message, confirm = fasil.button("Yes, do it")
    await fasil.press_data(confirm_message, confirm)
    assert toasts(world)[-1] == "Done. It is logged."
    assert "Handled: Fasil Sari warned Kenari Tujuh" in fasil.last.text
    await fasil.press_data(confirm_message, confirm)  # a double tap
    assert "already acted on this report" in toasts(world)[-1]

    await dua.press("Pause")  # Dua was a moment slower
    assert "Fasil Sari already acted on this report" in toasts(world)[-1]
    assert "Handled: Fasil Sari warned Kenari Tujuh" in dua.last.text and not dua.buttons()

    await world.tick()
    warnings = [text for text in kenari.texts if "A note from the facilitators" in text]
    assert len(warnings) == 1
    assert "Lina" not in warnings[0] and WORDS not in warnings[0]
    assert rows(world, "SELECT action FROM reports") == [("warn",)]
    assert rows(world, "SELECT count(*) FROM relay_suspensions") == [(0,)]


async def test_ending_the_pairing_tells_both_buddies_kindly_once(world: BotWorld) -> None:
    p = await reported(world)
    lina, kenari, fasil = p["lina"], p["kenari"], p["fasil"]
    assert isinstance(lina, Person) and isinstance(kenari, Person) and isinstance(fasil, Person)

    await act(fasil, "End the pairing")
    again = ConfirmModeration(1, ModerationAction.END_PAIRING).pack()
    await fasil.press_data(fasil.last.message_id, again)  # a stale second press
    await world.tick()

    for buddy in (lina, kenari):
        ended = [text for text in buddy.texts if "buddy pairing in Teman Cerita Makassar" in text]
        assert len(ended) == 1 and "report" not in ended[0].lower()
    assert rows(world, "SELECT ended_reason FROM buddy_pairings") == [("moderator",)]


async def test_pausing_the_relay_holds_for_the_period(world: BotWorld) -> None:
    p = await reported(world)
    kenari, fasil = p["kenari"], p["fasil"]
    assert isinstance(kenari, Person) and isinstance(fasil, Person)

    await act(fasil, "for 1 week")
    await world.tick()
    [notice] = [text for text in kenari.texts if "paused your buddy messages until" in text]
    assert "Teman Cerita Makassar" in notice

    moderation = services(world).moderation
    suspended = moderation_service.relay_suspended
    start, kenari_id, group = world.clock.now(), p["kenari_id"], p["group"]
    assert await suspended(moderation, kenari_id, group, start + timedelta(days=6))
    assert not await suspended(moderation, kenari_id, group, start + timedelta(days=7))
    assert not await suspended(moderation, p["lina_id"], group, start)
    # And the relay keeps to it: Kenari's message to Lina is not sent.
    await kenari.send("/buddy")
    await kenari.press("Write to")
    await kenari.send("Are you still there?")
    await kenari.press("Send")
    assert "have paused your buddy messages" in kenari.last.text


async def test_a_facilitator_of_another_group_cannot_act(world: BotWorld) -> None:
    p = await reported(world)
    other_group = await a_group(world, name="Lingkar Lain")
    outsider = await a_person(world, 303, "Orang Luar")
    await services(world).groups.add_facilitator(
        other_group, await member_id(world, outsider), world.clock.now()
    )
    await outsider.send("/help")
    forged = ConfirmModeration(1, ModerationAction.DISMISS).pack()
    await outsider.press_data(outsider.last.message_id, forged)
    assert "Only the facilitators of this group" in toasts(world)[-1]
    assert rows(world, "SELECT handled_at FROM reports") == [(None,)]
    assert p["group"] != other_group


async def test_a_coordinator_removes_a_member_and_reads_the_audit_log(world: BotWorld) -> None:
    koor = await a_coordinator(world)
    p = await reported(world)
    kenari, fasil = p["kenari"], p["fasil"]
    assert isinstance(kenari, Person) and isinstance(fasil, Person)
    await act(fasil, "Dismiss")

    await koor.send("/groups")
    await koor.press("Teman Cerita Makassar")
    await koor.press("Members")
    await koor.press("Remove Kenari Tujuh")
    assert "Remove <b>Kenari Tujuh</b>" not in koor.last.text  # rendered, not raw
    confirm_message, confirm = koor.button("Yes, remove")
    await koor.press_data(confirm_message, confirm)
    assert "Kenari Tujuh is no longer a member of Teman Cerita Makassar" in koor.last.text
    await koor.press_data(confirm_message, confirm)  # a double tap
    assert "no longer a member of this group" in toasts(world)[-1]
    await world.tick()
    removed = [text for text in kenari.texts if "You are no longer a member of" in text]
    assert len(removed) == 1
    assert not await services(world).groups.is_member(p["group"], p["kenari_id"])

    await koor.send("/audit")
    log = koor.last.text
    assert "Koordinator Satu removed Kenari Tujuh from the group" in log
    assert "Fasil Sari dismissed a report about Kenari Tujuh" in log
    for leak in (str(KENARI), str(FASIL), str(COORDINATOR_ID), WORDS, "Lina"):
        assert leak not in log

    await kenari.send("/forget")
    await kenari.press("Yes, delete everything")
    await koor.send("/audit")
    assert "removed a deleted account from the group" in koor.last.text

    await fasil.send("/audit")  # facilitators do not read the log
    assert "only coordinators" in fasil.last.text


async def test_joining_a_group_shows_the_guidelines(world: BotWorld) -> None:
    group = await a_group(world, trial_seats=0)
    newcomer = await a_person(world, 404, "Pendatang Baru")
    await newcomer.press_data(newcomer.last.message_id, f"gr:card:{group}")
    await newcomer.press("Join this group")
    welcome = newcomer.last.text
    assert "Welcome to Teman Cerita Makassar" in welcome
    for point in ("Share the air", "stays here", "Speak with “I”", "OK not to share", "self-harm"):
        assert point in welcome

    await newcomer.send("/resources")
    await newcomer.press("About our groups")
    assert "Our group guidelines" in newcomer.last.text
