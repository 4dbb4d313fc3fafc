"""The sandbox's demo data speaks the language of the group it belongs to (issue 13: English
descriptions showed on Indonesian cards).

A group has one description, written by the people who run it, so it is in the language(s) the
group meets in: Indonesian for a group that meets in Indonesian, both for a bilingual group.
Places and the buddy messages between Indonesian made-up members follow the same rule.
"""

from __future__ import annotations

import re

from bot.sandbox.demo import DEMO_GROUPS, DEMO_MEETINGS
from bot.sandbox.demo_peers import DEMO_PAIRS, RIVER

# Everyday words that give English away, and that Indonesian copy never uses.
ENGLISH = {"the", "for", "and", "with", "of", "people", "every", "weekly", "hall", "room", "centre"}
ENGLISH_SENTENCE = {"this", "you", "was", "week", "hello", "try", "my", "it"}
# ... and the Indonesian ones that show a text is there in Indonesian.
INDONESIAN = {"untuk", "dan", "kelompok", "dengan", "setiap", "yang", "di"}


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower()))


def test_a_group_that_meets_in_indonesian_is_described_in_indonesian() -> None:
    for demo in DEMO_GROUPS:
        group = demo.group
        found = words(group.description)
        assert found & INDONESIAN, group.name
        if "en" not in group.languages:
            assert not found & ENGLISH, (group.name, found & ENGLISH)


def test_a_bilingual_group_is_described_in_both_of_its_languages() -> None:
    bilingual = [demo.group for demo in DEMO_GROUPS if set(demo.group.languages) == {"id", "en"}]
    assert bilingual
    for group in bilingual:
        assert words(group.description) & ENGLISH and words(group.description) & INDONESIAN


def test_the_places_of_indonesian_groups_are_written_in_indonesian() -> None:
    languages = {demo.group.name: demo.group.languages for demo in DEMO_GROUPS}
    for meeting in DEMO_MEETINGS:
        if meeting.place and "en" not in languages[meeting.group_name]:
            assert not words(meeting.place) & ENGLISH, meeting.place


def test_indonesian_made_up_buddies_write_to_each_other_in_indonesian() -> None:
    for pair in DEMO_PAIRS:
        if RIVER in (pair.a, pair.b):
            continue  # River writes in English, and so does River's buddy
        for message in pair.messages:
            assert not words(message.text) & (ENGLISH | ENGLISH_SENTENCE), message.text
