"""The order of groups in every list, and the suggestions from a person's province and topics."""

from __future__ import annotations

from itertools import count

from bot.domain.group_ranking import rank_groups, suggest_groups
from bot.domain.groups import Group, GroupFormat

_IDS = count(1)


def group(name: str, fmt: GroupFormat, province: str | None, *topics: str) -> Group:
    return Group(
        id=next(_IDS),
        name=name,
        description="A warm peer group.",
        format=fmt,
        province=province,
        city=None,
        languages=("id",),
        timezone="Asia/Jakarta",
        max_members=10,
        offers_trials=True,
        trial_seats=2,
        reminder_offsets=(1440, 60),
        invite_code="code",
        archived=False,
        topics=topics,
    )


JAYAPURA = group("A Jayapura", GroupFormat.IN_PERSON, "papua", "anxiety")
BANDUNG = group("Bandung", GroupFormat.IN_PERSON, "jabar", "bipolar")
BANDUNG_ANXIETY = group("Bandung Cemas", GroupFormat.IN_PERSON, "jabar", "anxiety")
ONLINE = group("Daring", GroupFormat.ONLINE, None, "trauma")
BOGOR_HYBRID = group("Bogor", GroupFormat.HYBRID, "jabar")
BALI_HYBRID = group("Bali", GroupFormat.HYBRID, "bali", "anxiety")
ALL = [JAYAPURA, BANDUNG, BANDUNG_ANXIETY, ONLINE, BOGOR_HYBRID, BALI_HYBRID]


def names(groups: list[Group]) -> list[str]:
    return [g.name for g in groups]


def test_own_province_first_then_online_then_elsewhere_then_shared_topics_then_name() -> None:
    ranked = rank_groups(ALL, province="jabar", topics=("anxiety", "trauma"))
    # A hybrid group elsewhere meets online too: it is an online group for someone far away.
    assert names(ranked) == ["Bandung Cemas", "Bandung", "Bogor", "Bali", "Daring", "A Jayapura"]


def test_a_visitor_without_a_profile_sees_online_groups_first_by_name() -> None:
    ranked = rank_groups(ALL, province=None, topics=())
    assert names(ranked) == ["Bali", "Bogor", "Daring", "A Jayapura", "Bandung", "Bandung Cemas"]


def test_an_online_only_person_sees_online_groups_before_in_person_ones() -> None:
    ranked = rank_groups([JAYAPURA, ONLINE], province=None, topics=("anxiety",))
    assert names(ranked) == ["Daring", "A Jayapura"]


def test_suggestions_share_a_topic_best_first_within_the_limit() -> None:
    suggested = suggest_groups(ALL, province="jabar", topics=("anxiety", "trauma"), limit=3)
    assert names(suggested) == ["Bandung Cemas", "Bali", "Daring"]
    assert suggest_groups(ALL, province="jabar", topics=(), limit=3) == []
    assert suggest_groups(ALL, province="jabar", topics=("anxiety",), limit=0) == []
