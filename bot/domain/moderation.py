"""Moderation of the buddy relay, as plain data (pure, no I/O): reports, what facilitators can
do about one, who may do it, relay pauses and the audit log.

A report goes to the facilitators of the group the buddies share; neither buddy ever sees a
report about themselves, and nobody but the facilitators learns who reported. The first
facilitator who acts decides (the others see it handled), and every action is logged with
aliases read when the log is shown, never stored in it.
"""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.messages import PlannedMessage


class ReportReason(enum.StrEnum):
    HURTFUL = "hurtful"  # disrespectful or hurtful
    OFF_PLATFORM = "off_platform"  # pressure to move off the bot or share contacts
    UNSAFE = "unsafe"  # unsafe content
    SPAM = "spam"
    OTHER = "other"


class ReportAbout(enum.StrEnum):
    MESSAGE = "message"  # one relayed message
    PAIRING = "pairing"  # the pairing as a whole


class ModerationAction(enum.StrEnum):
    """What a facilitator can do about a report."""

    WARN = "warn"
    END_PAIRING = "end_pairing"
    SUSPEND_1W = "suspend_1w"
    SUSPEND_4W = "suspend_4w"
    DISMISS = "dismiss"


class AuditAction(enum.StrEnum):
    """Every action the audit log records: a report's, and a coordinator's removal."""

    WARN = "warn"
    END_PAIRING = "end_pairing"
    SUSPEND_1W = "suspend_1w"
    SUSPEND_4W = "suspend_4w"
    DISMISS = "dismiss"
    REMOVE_FROM_GROUP = "remove_from_group"
    # A linked Telegram group chat (bot.domain.group_chats): linked or unlinked by a
    # facilitator; join requests decided by the bot (no actor).
    LINK_CHAT = "link_chat"
    UNLINK_CHAT = "unlink_chat"
    APPROVE_JOIN = "approve_join"
    DECLINE_JOIN = "decline_join"
    DECLINE_JOIN_STRANGER = "decline_join_stranger"  # someone without a Rangkul account


SUSPENSIONS: dict[ModerationAction, timedelta] = {
    ModerationAction.SUSPEND_1W: timedelta(weeks=1),
    ModerationAction.SUSPEND_4W: timedelta(weeks=4),
}

# Outbox kinds (bot.notifications.moderation). Payloads carry ids only: the words of a
# reported message live in buddy_messages, which retention and /forget clear.
REPORT_KIND = "mod_report"  # a report, to each facilitator who may act on it
WARNING_KIND = "mod_warning"  # a facilitator's warning, to the reported buddy
PAIRING_ENDED_KIND = "mod_pairing_ended"  # to both buddies of a pairing a moderator ended
SUSPENDED_KIND = "mod_suspended"  # to the buddy whose relay is paused
REMOVED_KIND = "mod_removed"  # to a member a coordinator removed from a group

AUDIT_PAGE_SIZE = 15


@dataclass(frozen=True, slots=True)
class Report:
    id: int
    group_id: int
    group_name: str
    reporter_id: int
    reporter_alias: str
    reported_id: int
    reported_alias: str
    about: ReportAbout
    reason: ReportReason
    created_at: datetime
    pairing_id: int | None  # None once the pairing is gone
    pairing_active: bool
    message_text: str | None  # for a message report, while the message is kept
    handled_at: datetime | None = None
    handled_by_alias: str | None = None  # None: nobody yet, or the account is deleted
    action: ModerationAction | None = None

    @property
    def is_handled(self) -> bool:
        return self.handled_at is not None

    @property
    def parties(self) -> frozenset[int]:
        return frozenset({self.reporter_id, self.reported_id})


@dataclass(frozen=True, slots=True)
class RelayedMessage:
    """A buddy message as a report needs it: who sent it, in which pairing and group."""

    id: int
    pairing_id: int
    group_id: int
    sender_id: int
    recipient_id: int


@dataclass(frozen=True, slots=True)
class Pairing:
    id: int
    group_id: int
    member_a: int
    member_b: int
    active: bool

    def other(self, member_id: int) -> int | None:
        """The buddy of ``member_id``; None if they are not in this pairing."""
        if member_id == self.member_a:
            return self.member_b
        if member_id == self.member_b:
            return self.member_a
        return None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    action: AuditAction
    actor_alias: str | None  # None: the account was deleted
    subject_alias: str | None
    group_name: str | None


class ReportOutcome(enum.StrEnum):
    SENT = "sent"
    ALREADY = "already"  # this person reported it before
    NOT_ALLOWED = "not_allowed"  # not the recipient of the message / not in the pairing


class ActOutcome(enum.StrEnum):
    DONE = "done"
    ALREADY = "already"  # someone acted first (or a double tap)
    GONE = "gone"  # the report no longer exists (a /forget, retention)
    NOT_ALLOWED = "not_allowed"  # not (or no longer) facilitating the group, or a party
    PAIRING_OVER = "pairing_over"  # "end the pairing" on a pairing already ended


def may_moderate(
    presser_id: int, report: Report, facilitated: Collection[int], *, coordinator: bool
) -> bool:
    """Facilitators of the report's group and coordinators may act; never one of the two
    buddies it is about (a facilitator can be someone's buddy too)."""
    if presser_id in report.parties:
        return False
    return coordinator or report.group_id in facilitated


def report_recipients(
    facilitators: Collection[int], coordinators: Collection[int], parties: Collection[int]
) -> list[int]:
    """Who receives a report: the group's facilitators other than the two buddies; if that
    leaves nobody, the coordinators (a report must reach someone who can act)."""
    chosen = [f for f in facilitators if f not in parties]
    return chosen or [c for c in coordinators if c not in parties]


def report_prefix(report_id: int) -> str:
    """The start of the dedupe keys of a report's copies to the facilitators."""
    return f"report:{report_id}:"


def report_notices(
    report_id: int, reported_id: int, recipients: Collection[int], now: datetime
) -> list[PlannedMessage]:
    """The report to each recipient; about the reported buddy, so their /forget deletes it."""
    return [
        PlannedMessage(
            member_id=recipient,
            kind=REPORT_KIND,
            not_before=now,
            dedupe_key=f"{report_prefix(report_id)}{recipient}",
            payload={"report_id": report_id},
            about_member_id=reported_id,
        )
        for recipient in recipients
    ]


def warning_notice(report_id: int, member_id: int, group_id: int, now: datetime) -> PlannedMessage:
    return PlannedMessage(
        member_id=member_id,
        kind=WARNING_KIND,
        not_before=now,
        dedupe_key=f"warning:{report_id}",
        payload={"group_id": group_id},
    )


def pairing_ended_notices(pairing: Pairing, now: datetime) -> list[PlannedMessage]:
    """Both buddies are told kindly, and the same words: no reasons, no report named."""
    return [
        PlannedMessage(
            member_id=member,
            kind=PAIRING_ENDED_KIND,
            not_before=now,
            dedupe_key=f"pairing_ended:{pairing.id}:{member}",
            payload={"group_id": pairing.group_id},
        )
        for member in (pairing.member_a, pairing.member_b)
    ]


def suspension_notice(suspension_id: int, member_id: int, now: datetime) -> PlannedMessage:
    return PlannedMessage(
        member_id=member_id,
        kind=SUSPENDED_KIND,
        not_before=now,
        dedupe_key=f"suspended:{suspension_id}",
        payload={"suspension_id": suspension_id},
    )


def removal_notice(member_id: int, group_id: int, now: datetime) -> PlannedMessage:
    # The time in the key: someone removed, back later and removed again is told again.
    return PlannedMessage(
        member_id=member_id,
        kind=REMOVED_KIND,
        not_before=now,
        dedupe_key=f"removed:{group_id}:{member_id}:{now.isoformat()}",
        payload={"group_id": group_id},
    )
