"""Journeys of someone looking for a group: suggestions from what they told us at sign-up,
lists sorted near-first, a card's way back to the list it came from, a notice when a group
without meetings schedules one, and /trial without the groups they already belong to.
"""

from __future__ import annotations

from tests.journeys.harness import BotWorld, Person
from tests.journeys.helpers import rows
from tests.journeys.helpers.groups import a_group
from tests.journeys.helpers.meetings import (
    a_facilitator,
    member_id,
    schedule_weekly,
    services,
    texts,
)
from tests.journeys.helpers.meetings import a_group as a_meeting_group
from tests.journeys.helpers.onboarding import onboard_in_english


def last_alert(world: BotWorld) -> str:
    return list(world.emulator.callback_answers.values())[-1]["text"]


async def a_member_in_west_java(world: BotWorld, user_id: int = 601) -> Person:
    """Onboarded in English with the topics anxiety and trauma, living in Jawa Barat."""
    person = world.person(user_id, "Rani", "en")
    await onboard_in_english(person)
    await services(world).members.set_region(
        await member_id(world, person), "jabar", "Asia/Jakarta"
    )
    return person


async def test_trial_leaves_out_the_groups_the_person_belongs_to(world: BotWorld) -> None:
    joined = await a_group(world, "Teman Cerita Makassar")
    await a_group(world, "Lingkar Bali", province="bali")
    rani = world.person(601, "Rani", "en")
    await onboard_in_english(rani)
    await services(world).groups.add_member(joined, await member_id(world, rani), world.clock.now())

    await rani.send("/trial")
    assert "Lingkar Bali" in rani.buttons()
    assert "Teman Cerita Makassar" not in rani.buttons()


async def test_groups_suggests_matching_groups_near_the_person_first(world: BotWorld) -> None:
    await a_group(world, "Jayapura Anxiety", province="papua", topics=("anxiety",))
    await a_group(world, "Bandung Bipolar", province="jabar", topics=("bipolar",))
    await a_group(world, "Online Trauma", online=True, topics=("trauma",))
    await a_group(world, "Bandung Anxiety", province="jabar", topics=("anxiety",))
    rani = await a_member_in_west_java(world)

    await rani.send("/groups")
    assert "match the topics you chose" in rani.last.text
    suggested = [b for b in rani.buttons() if b in {"Bandung Anxiety", "Online Trauma"}]
    assert rani.buttons()[:3] == ["Bandung Anxiety", "Online Trauma", "Jayapura Anxiety"]
    assert suggested == ["Bandung Anxiety", "Online Trauma"]
    assert "Bandung Bipolar" not in rani.buttons()  # not one of her topics

    await rani.press("All groups")
    assert rani.buttons()[:4] == [
        "Bandung Anxiety",
        "Bandung Bipolar",
        "Online Trauma",
        "Jayapura Anxiety",
    ]
    await rani.press("Back to search")
    await rani.press("By topic")
    await rani.press("Anxiety")
    assert rani.buttons()[:2] == ["Bandung Anxiety", "Jayapura Anxiety"]


async def test_back_from_a_card_returns_to_the_list_it_came_from(world: BotWorld) -> None:
    for n in range(10):
        await a_group(world, f"Online Circle {n}", online=True)
    rani = await a_member_in_west_java(world)

    await rani.send("/groups")
    await rani.press("Online only")
    await rani.press("Next")
    page_two = rani.buttons()
    assert page_two[:2] == ["Online Circle 8", "Online Circle 9"]
    await rani.press("Online Circle 9")
    assert "Online Circle 9" in rani.last.text
    await rani.press("Back to the list")
    assert "I found 10 groups" in rani.last.text
    assert rani.buttons() == page_two


async def test_an_empty_province_offers_the_online_groups(world: BotWorld) -> None:
    await a_group(world, "Online Caregivers", online=True, topics=("caregivers",))
    rani = await a_member_in_west_java(world)

    await rani.send("/groups")
    await rani.press("By province")
    await rani.press("Aceh")
    assert "No group matches yet" in rani.last.text
    await rani.press("Online groups")
    assert "I found 1 group" in rani.last.text
    assert "Online Caregivers" in rani.buttons()


async def test_a_card_without_meetings_offers_a_notice_sent_when_one_is_scheduled(
    world: BotWorld,
) -> None:
    group_id = await a_meeting_group(world)
    facilitator = await a_facilitator(world, group_id)
    river = world.person(602, "River", "en")
    await onboard_in_english(river)
    ayu = world.person(603, "Ayu", "en")
    await onboard_in_english(ayu)

    for person in (river, ayu):
        await person.send("/groups")
        await person.press("All groups")
        await person.press("Teman Cerita Makassar")
        assert "No meeting is scheduled yet" in person.last.text
        assert not any("Try a session" in b for b in person.buttons())
        await person.press("Tell me when a meeting is scheduled")
        assert "I'll tell you as soon as a meeting is scheduled" in person.last.text
    # A toggle: off, and on again; a second press of the same button changes nothing.
    await river.press("No need to tell me")
    assert "I'll tell you" not in river.last.text
    _, tell_me = river.button("Tell me when a meeting is scheduled")
    await river.press("Tell me when a meeting is scheduled")
    card = river.last.text
    await river.press_data(river.last.message_id, tell_me)
    assert last_alert(world) == "Done already: I'll tell you when a meeting is scheduled."
    assert river.last.text == card
    assert rows(world, "SELECT count(*) FROM meeting_watches") == [(2,)]
    await services(world).members.set_language(await member_id(world, ayu), "id")

    await schedule_weekly(facilitator)
    await world.tick()
    notice = [text for text in texts(river) if "has scheduled a meeting" in text]
    assert len(notice) == 1 and "Thursday, December 3, 2026" in notice[0]
    assert "Try a session" in " ".join(river.buttons())
    assert any("punya jadwal pertemuan" in text for text in texts(ayu))
    watches = rows(world, "SELECT dedupe_key FROM outbox WHERE kind = 'meeting_scheduled'")
    assert len(watches) == 2 and all(key.startswith("meeting_scheduled:") for (key,) in watches)
    assert rows(world, "SELECT count(*) FROM meeting_watches") == [(0,)]

    await river.press("Try a session")
    assert "Which one would you like to try?" in river.last.text
