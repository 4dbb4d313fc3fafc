"""Peer buddies (/buddy): who gets paired with whom, the four-week rhythm of a pairing, and the
messages the outbox carries for them (pure, no I/O).

A buddy is peer encouragement through the bot, under aliases: not therapy, not a crisis line.
Pairing happens once a week per group, in a *round* that starts Monday 09:00 in the group's
timezone. Whoever asked for a buddy before the round and has no buddy then is paired in that
round (by the first planner pass after it: a bot that was down on Monday pairs on Tuesday), so
the pass is idempotent and a round's people are fixed: someone asking on Wednesday waits for
next Monday, and an odd one out waits a week for someone new. A pairing starts at its round and
runs :data:`PERIOD` (four weeks, so it ends exactly at a later round and both can be paired
again in it, with other people: a pair whose time ran out is not made again in the round right
after, since not both chose to continue), unless both choose to continue: then four weeks more.
Pairs that one side (or the facilitators) ended are never made again.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.messages import PlannedMessage
from bot.domain.safety import AnswerProblem
from bot.domain.text import utf16_len

PERIOD = timedelta(weeks=4)
WEEK = timedelta(weeks=1)
ROUND_WEEKDAY = 0  # Monday
ROUND_TIME = time(9, 0)
# The weekly peer check-in prompt: mid-week (Thursday 09:00 for a pairing of Monday's round),
# so it does not arrive together with the pairing's announcement; sent up to a day late.
PROMPT_AFTER = timedelta(days=3)
PROMPT_GRACE = timedelta(days=1)
# In Telegram's characters (UTF-16 units): a message between buddies.
MAX_MESSAGE_CHARS = 1000
# Greedy pairings tried from different random orders; the best is kept (more pairs, then fewer
# repeats). Groups are small (a dozen people), so this is instant and nearly always optimal.
PAIRING_TRIES = 20


class EndReason(enum.StrEnum):
    """Why a pairing ended (buddy_pairings.ended_reason)."""

    EXPIRED = "expired"  # four weeks passed and not both chose to continue
    BY_MEMBER = "by_member"  # one of them ended it
    LEFT_GROUP = "left_group"  # one of them left the group or deleted their data (/forget)
    MODERATOR = "moderator"  # the group's facilitators ended it (bot.services.buddies.end_pairing)


# Pairs that ended so are never paired again (one of them did not want it to go on).
NEVER_AGAIN = frozenset({EndReason.BY_MEMBER, EndReason.MODERATOR})


class BuddyKind(enum.StrEnum):
    """Outbox kinds rendered by bot.notifications.buddies."""

    PAIRED = "buddy_paired"  # "Your buddy this month is …"
    PROMPT = "buddy_prompt"  # the weekly peer check-in
    MESSAGE = "buddy_message"  # a relayed message
    ENDED = "buddy_ended"  # the pairing ended (told kindly, without reasons)
    CONTINUED = "buddy_continued"  # both chose four more weeks


@dataclass(frozen=True, slots=True)
class Pairing:
    id: int
    group_id: int
    member_a: int  # member_a < member_b
    member_b: int
    started_at: datetime
    ends_at: datetime
    continue_a: bool = False
    continue_b: bool = False
    ended_at: datetime | None = None
    ended_reason: EndReason | None = None

    @property
    def active(self) -> bool:
        return self.ended_at is None

    def includes(self, member_id: int) -> bool:
        return member_id in (self.member_a, self.member_b)

    def other(self, member_id: int) -> int:
        """The buddy of ``member_id`` (who must be in the pairing)."""
        if not self.includes(member_id):
            raise ValueError("not in this pairing")
        return self.member_b if member_id == self.member_a else self.member_a

    def wants_to_continue(self, member_id: int) -> bool:
        return self.continue_a if member_id == self.member_a else self.continue_b


@dataclass(frozen=True, slots=True)
class BuddyGroup:
    """One of a person's groups, as /buddy shows it."""

    group_id: int
    name: str
    opted_in: bool
    pairing: Pairing | None  # the active one
    buddy_alias: str | None  # of the active pairing's other side


# --- pairing ----------------------------------------------------------------------------------


def round_start(now: datetime, timezone: str) -> datetime:
    """The latest pairing round at or before ``now``: Monday 09:00 in ``timezone``."""
    local = now.astimezone(ZoneInfo(timezone))
    monday = local.date() - timedelta(days=(local.weekday() - ROUND_WEEKDAY) % 7)
    start = datetime.combine(monday, ROUND_TIME, tzinfo=local.tzinfo)
    return start if start <= local else start - WEEK


def pair_up(
    candidates: Collection[int],
    past: Mapping[frozenset[int], int],
    never: Collection[frozenset[int]],
    rng: random.Random,
) -> list[tuple[int, int]]:
    """Pairs as many of ``candidates`` as possible, preferring people not paired before.

    ``past``: how often two people were paired already; ``never``: pairs not to make at all.
    Each try walks the people in a random order and gives each the partner still free they were
    paired with least (the first in that order among equals); of :data:`PAIRING_TRIES` tries,
    the one with the most pairs, then the fewest repeats, wins. With an odd number someone
    waits. The same ``rng`` state gives the same pairs (the order of ``candidates`` does not
    matter). Returns (smaller id, larger id) pairs.
    """
    people = sorted(set(candidates))
    best: list[tuple[int, int]] = []
    best_score = (0, 0)
    for _ in range(PAIRING_TRIES):
        order = people[:]
        rng.shuffle(order)
        pairs = _greedy(order, past, never)
        score = (len(pairs), -sum(past.get(frozenset(pair), 0) for pair in pairs))
        if not best or score > best_score:
            best, best_score = pairs, score
    return sorted(best)


def _greedy(
    order: Sequence[int], past: Mapping[frozenset[int], int], never: Collection[frozenset[int]]
) -> list[tuple[int, int]]:
    free = list(order)
    pairs: list[tuple[int, int]] = []
    while free:
        person = free.pop(0)
        options = [other for other in free if frozenset((person, other)) not in never]
        if not options:
            continue
        partner = min(options, key=lambda other: past.get(frozenset((person, other)), 0))
        free.remove(partner)
        pairs.append((min(person, partner), max(person, partner)))
    return pairs


# --- the four weeks ---------------------------------------------------------------------------


def first_end(started_at: datetime) -> datetime:
    return started_at + PERIOD


def is_over(pairing: Pairing, now: datetime) -> bool:
    """An active pairing whose time is up (the planner ends it as 'expired')."""
    return pairing.active and now >= pairing.ends_at


def may_continue(pairing: Pairing, now: datetime) -> bool:
    """ "Continue 4 more weeks" is offered in the last week of an active pairing."""
    return pairing.active and pairing.ends_at - WEEK <= now < pairing.ends_at


def continued(pairing: Pairing, member_id: int) -> tuple[bool, bool, datetime]:
    """After ``member_id`` chose to continue: (continue_a, continue_b, ends_at). Once both
    chose, the pairing runs :data:`PERIOD` more and both choices start afresh for the next
    end."""
    a = pairing.continue_a or member_id == pairing.member_a
    b = pairing.continue_b or member_id == pairing.member_b
    if a and b:
        return False, False, pairing.ends_at + PERIOD
    return a, b, pairing.ends_at


def prompt_week(pairing: Pairing, now: datetime) -> int | None:
    """The week (0, 1, …) whose peer check-in prompt is due now, or None: before the first
    prompt, after a prompt's grace, and for prompts at or after the pairing's end."""
    since = now - pairing.started_at - PROMPT_AFTER
    if since < timedelta(0):
        return None
    week = since // WEEK
    due = prompt_time(pairing, week)
    if now >= due + PROMPT_GRACE or due >= pairing.ends_at:
        return None
    return week


def prompt_time(pairing: Pairing, week: int) -> datetime:
    return pairing.started_at + PROMPT_AFTER + week * WEEK


# --- messages between buddies -----------------------------------------------------------------


def clean_message(text: str | None) -> tuple[str | None, AnswerProblem | None, int]:
    """A message to relay, trimmed; or why not (empty, too long), with its length."""
    cleaned = (text or "").strip()
    length = utf16_len(cleaned)
    if not cleaned:
        return None, AnswerProblem.EMPTY, 0
    if length > MAX_MESSAGE_CHARS:
        return None, AnswerProblem.TOO_LONG, length
    return cleaned, None, length


class RelayOutcome(enum.StrEnum):
    SENT = "sent"
    ENDED = "ended"  # the pairing ended (or never was this person's)
    SUSPENDED = "suspended"  # the facilitators paused this person's messages for now


# --- what the outbox carries ------------------------------------------------------------------


def pairing_prefix(pairing_id: int) -> str:
    """The start of the dedupe keys of every message about one pairing."""
    return f"buddy:{pairing_id}:"


def paired_notices(pairing: Pairing, now: datetime) -> list[PlannedMessage]:
    """ "Your buddy this month is …" to both; each about the other, whose /forget drops it."""
    return [
        PlannedMessage(
            member_id=member,
            kind=BuddyKind.PAIRED,
            not_before=now,
            dedupe_key=f"{pairing_prefix(pairing.id)}paired:{member}",
            payload={"pairing_id": pairing.id},
            about_member_id=pairing.other(member),
        )
        for member in (pairing.member_a, pairing.member_b)
    ]


def prompt_notices(pairing: Pairing, week: int) -> list[PlannedMessage]:
    """The week's peer check-in prompt to both (one per pairing, week and person)."""
    due = prompt_time(pairing, week)
    return [
        PlannedMessage(
            member_id=member,
            kind=BuddyKind.PROMPT,
            not_before=due,
            dedupe_key=f"{pairing_prefix(pairing.id)}prompt:{week}:{member}",
            payload={"pairing_id": pairing.id},
            expires_at=due + PROMPT_GRACE,
            about_member_id=pairing.other(member),
        )
        for member in (pairing.member_a, pairing.member_b)
    ]


def message_notice(
    pairing: Pairing, message_id: int, sender_id: int, now: datetime
) -> PlannedMessage:
    """A relayed message to the sender's buddy (once: the key names the message)."""
    return PlannedMessage(
        member_id=pairing.other(sender_id),
        kind=BuddyKind.MESSAGE,
        not_before=now,
        dedupe_key=f"{pairing_prefix(pairing.id)}message:{message_id}",
        payload={"message_id": message_id},
        about_member_id=sender_id,
    )


def ended_notices(
    pairing: Pairing, reason: EndReason, now: datetime, *, told_already: int | None = None
) -> list[PlannedMessage]:
    """That the pairing ended, to each side but ``told_already`` (who ended it and sees it on
    screen). About nobody: when one side used /forget, the notice to the other must outlive
    their rows."""
    return [
        PlannedMessage(
            member_id=member,
            kind=BuddyKind.ENDED,
            not_before=now,
            dedupe_key=f"{pairing_prefix(pairing.id)}ended:{member}",
            payload={"pairing_id": pairing.id, "group_id": pairing.group_id, "reason": reason},
        )
        for member in (pairing.member_a, pairing.member_b)
        if member != told_already
    ]


def continued_notice(pairing: Pairing, member_id: int, now: datetime) -> PlannedMessage:
    """To ``member_id``: both chose four more weeks (once per period: the key names its end)."""
    return PlannedMessage(
        member_id=member_id,
        kind=BuddyKind.CONTINUED,
        not_before=now,
        dedupe_key=f"{pairing_prefix(pairing.id)}continued:{pairing.ends_at.date()}:{member_id}",
        payload={"pairing_id": pairing.id},
        about_member_id=pairing.other(member_id),
    )
