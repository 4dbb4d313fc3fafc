"""Facilitator announcements (/broadcast): who may send to whom, who receives one, and how far
it has got (pure logic; bot.services.broadcasts runs it against the database).

Recipients, decided once when the author confirms:
- a group: its members and its other facilitators (co-facilitators should know what their group
  was told), in an active group;
- a coordinator may also choose everyone in an active group (members and facilitators), every
  facilitator of an active group, or the people of one province (by their own profile
  province) who are in an active group;
- never the author; nobody who blocked the bot; nobody who muted announcements of every group
  through which the announcement would reach them. Everyone once, however many groups.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


class Audience(enum.StrEnum):
    GROUP = "group"  # one group (facilitators: their own; coordinators: any)
    MEMBERS = "members"  # everyone in an active group (coordinators)
    FACILITATORS = "facilitators"  # every facilitator of an active group (coordinators)
    PROVINCE = "province"  # people of one province in an active group (coordinators)


COORDINATOR_ONLY = frozenset({Audience.MEMBERS, Audience.FACILITATORS, Audience.PROVINCE})

# The outbox kinds of an announcement's copies and of its final report to the author.
COPY_KIND = "broadcast"
REPORT_KIND = "broadcast_report"


def copy_key(broadcast_id: int, member_id: int) -> str:
    """The dedupe key of one recipient's copy: nobody gets one announcement twice."""
    return f"{COPY_KIND}:{broadcast_id}:{member_id}"


def copy_key_range(broadcast_id: int) -> tuple[str, str]:
    """[low, high) of every copy key of one broadcast (':' + 1 is ';'), for an index range."""
    return f"{COPY_KIND}:{broadcast_id}:", f"{COPY_KIND}:{broadcast_id};"


def may_address(
    audience: Audience,
    *,
    is_coordinator: bool,
    facilitated: frozenset[int],
    group_id: int | None,
) -> bool:
    """Whether this person may send to this audience (checked again when they confirm)."""
    if audience in COORDINATOR_ONLY:
        return is_coordinator
    return group_id is not None and (is_coordinator or group_id in facilitated)


@dataclass(frozen=True, slots=True)
class Candidate:
    """Someone the audience reaches through one or more groups."""

    member_id: int
    blocked: bool
    # Muted announcements of every group through which the audience reaches them.
    muted: bool


@dataclass(frozen=True, slots=True)
class GroupAnnouncements:
    """One of a member's active groups, and whether they muted its announcements."""

    group_id: int
    name: str
    muted: bool


def recipients(candidates: Iterable[Candidate], author_id: int) -> list[int]:
    """Member ids to send to, once each, in id order."""
    chosen = {
        candidate.member_id
        for candidate in candidates
        if candidate.member_id != author_id and not candidate.blocked and not candidate.muted
    }
    return sorted(chosen)


@dataclass(frozen=True, slots=True)
class Progress:
    """How far an announcement has got, from its outbox rows. ``blocked``: the recipient
    blocked the bot (Telegram's 403, or blocked before their turn came); ``failed``: anything
    else that will never arrive. Rows of people who used /forget meanwhile are gone, so
    ``total`` can shrink below the recipients counted at the start."""

    delivered: int = 0
    blocked: int = 0
    failed: int = 0
    waiting: int = 0

    @property
    def done(self) -> int:
        return self.delivered + self.blocked + self.failed

    @property
    def total(self) -> int:
        return self.done + self.waiting

    @property
    def finished(self) -> bool:
        return self.waiting == 0


def progress_of(rows: Iterable[tuple[str, str | None, int]]) -> Progress:
    """Progress from (status, last_error, count) groups of the announcement's outbox rows."""
    delivered = blocked = failed = waiting = 0
    for status, error, count in rows:
        if status == "sent":
            delivered += count
        elif status in ("pending", "sending"):
            waiting += count
        elif _blocked(status, error):
            blocked += count
        else:
            failed += count
    return Progress(delivered, blocked, failed, waiting)


def _blocked(status: str, error: str | None) -> bool:
    # A 403 on this copy; cancelled: a 403 on another message cancelled the person's pending
    # rows; skipped as unreachable: they were already marked blocked when their turn came.
    return (
        (status == "failed" and (error or "").startswith("Forbidden"))
        or status == "cancelled"
        or (status == "skipped" and error == "recipient unreachable")
    )


@dataclass(frozen=True, slots=True)
class Broadcast:
    id: int
    author_id: int
    audience: Audience
    group_id: int | None
    province: str | None
    source_message_id: int
    recipients: int
    progress_message_id: int | None
    progress_shown: int | None
    progress_at: datetime | None
    # The final report (None while copies are still waiting).
    report: Progress | None
    created_at: datetime
    finished_at: datetime | None
