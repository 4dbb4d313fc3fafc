"""The order in which groups are shown to someone, and which ones are suggested to them (pure).

Sign-up asks for a home province and topics "to suggest groups": every list of groups uses
them. Groups that meet in person in the person's own province come first (they can go there),
then groups that meet online (anyone can join), then in-person groups elsewhere. Within each,
groups sharing more of the person's topics come first, then by name. A visitor (no profile
yet) has neither, so online groups come first for them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from bot.domain.groups import Group

_NEARBY, _ONLINE, _ELSEWHERE = range(3)


def _reach(group: Group, province: str | None) -> int:
    if province is not None and group.format.meets_in_person and group.province == province:
        return _NEARBY
    return _ONLINE if group.format.meets_online else _ELSEWHERE


def rank_groups(
    groups: Iterable[Group], *, province: str | None, topics: Collection[str]
) -> list[Group]:
    """``groups`` in the order the person with this province and these topics sees them."""
    wanted = frozenset(topics)

    def key(group: Group) -> tuple[int, int, str, int]:
        shared = len(wanted.intersection(group.topics))
        return _reach(group, province), -shared, group.name.casefold(), group.id

    return sorted(groups, key=key)


def suggest_groups(
    groups: Iterable[Group], *, province: str | None, topics: Collection[str], limit: int
) -> list[Group]:
    """At most ``limit`` groups sharing a topic with the person, best first; none without
    topics (nothing to go on)."""
    wanted = frozenset(topics)
    matching = [group for group in groups if wanted.intersection(group.topics)]
    return rank_groups(matching, province=province, topics=wanted)[:limit]
