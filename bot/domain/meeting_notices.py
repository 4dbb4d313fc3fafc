"""What the outbox carries about meetings: reminders, notices of changes, the after-trial
question (pure: no I/O, no telegram).

Each builder returns :class:`~bot.domain.messages.PlannedMessage` rows with their dedupe keys,
so planning the same thing twice adds nothing: that makes a use case safe to repeat, and a
long one safe to split into several short transactions.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.domain.meetings import Meeting
from bot.domain.messages import PlannedMessage, instant_text, parse_instant
from bot.domain.recurrence import reminder_times

# A meeting start in a reminder's dedupe key (UTC, to the minute).
_KEY_START = "%Y%m%dT%H%M"
# A notice about a meeting may still go out this long after it was planned, even when the
# meeting has started meanwhile (someone should still hear that it was cancelled).
NOTICE_GRACE = timedelta(days=1)


class NoticeKind(enum.StrEnum):
    """Outbox kinds rendered by bot.notifications.meetings."""

    REMINDER = "reminder"
    CANCELLED = "meeting_cancelled"
    MOVED = "meeting_moved"
    PROMOTED = "waitlist_promoted"
    TRIAL_FOLLOWUP = "trial_followup"


# What a cancellation withdraws at once: the notices of earlier changes to the meeting (its
# reminders, far more rows, are withdrawn in batches after it: bot.services.meetings).
SUPERSEDED_BY_CANCELLATION = (NoticeKind.MOVED, NoticeKind.PROMOTED)


@dataclass(frozen=True, slots=True)
class PlannedReminder:
    offset: int  # minutes before the start
    send_at: datetime
    dedupe_key: str


@dataclass(frozen=True, slots=True)
class ReminderPlan:
    """Which reminder a row is: ``offset`` minutes before the meeting start it was planned for."""

    start: datetime
    offset: int

    @property
    def planned_at(self) -> datetime:
        return self.start - timedelta(minutes=self.offset)


def planned_reminders(
    meeting_id: int,
    member_id: int,
    start: datetime,
    offsets: Sequence[int],
    now: datetime,
) -> list[PlannedReminder]:
    """One reminder per offset whose time is still ahead.

    The start time is part of the key, so a moved meeting gets fresh reminders while a
    replanned unmoved one adds nothing.
    """
    return [
        PlannedReminder(offset, send_at, reminder_key(meeting_id, member_id, offset, start))
        for offset, send_at in reminder_times(start, offsets)
        if send_at > now
    ]


def reminder_key(meeting_id: int, member_id: int, offset: int, start: datetime) -> str:
    return f"reminder:{meeting_id}:{member_id}:{offset}{planned_for(start)}"


def planned_for(start: datetime) -> str:
    """How every reminder key planned for a meeting starting at ``start`` ends."""
    return f":{start.astimezone(UTC):{_KEY_START}}"


def reminder_from_key(key: str) -> ReminderPlan | None:
    """The plan a reminder's dedupe key records, or None for another key.

    Read from the key because a sent row's payload is emptied (data minimisation) while its
    key stays, and a sent later reminder must still count as overtaking.
    """
    parts = key.split(":")
    if len(parts) != 5 or parts[0] != "reminder" or not parts[3].isdigit():
        return None
    try:
        start = datetime.strptime(parts[4], _KEY_START).replace(tzinfo=UTC)
    except ValueError:
        return None
    return ReminderPlan(start, int(parts[3]))


def overtaken(reminder: ReminderPlan, others: Iterable[ReminderPlan], now: datetime) -> bool:
    """Whether ``reminder`` is out of date because a later reminder of the same meeting time
    (smaller offset) is due by ``now``: only the later one goes.

    Decided on planned times, never on when a row is next tried: a retried reminder is late
    but not out of date, and a row never overtakes itself.
    """
    return any(
        other.offset < reminder.offset
        and _minute(other.start) == _minute(reminder.start)
        and other.planned_at <= now
        for other in others
    )


def _minute(moment: datetime) -> datetime:
    # Keys record starts to the minute.
    return moment.astimezone(UTC).replace(second=0, microsecond=0)


def still_current(meeting: Meeting, payload: Mapping[str, Any]) -> bool:
    """Whether a message about ``meeting`` still applies: the meeting is still scheduled at the
    start the message was planned for (not cancelled, not moved since). Rows planned before
    payloads carried the start are taken as current."""
    planned = payload.get("start")
    return not meeting.is_cancelled and (
        planned is None or parse_instant(planned) == meeting.starts_at
    )


def trial_followup_key(group_id: int, member_id: int) -> str:
    """Once per group per person, ever: the question is never asked twice."""
    return f"trial_followup:{group_id}:{member_id}"


# --- the rows ---------------------------------------------------------------------------------


def reminders(
    meeting: Meeting, member_id: int, offsets: Sequence[int], now: datetime
) -> list[PlannedMessage]:
    """The person's reminders still ahead; a late one may go out until the meeting starts."""
    return [
        PlannedMessage(
            member_id=member_id,
            kind=NoticeKind.REMINDER,
            not_before=reminder.send_at,
            dedupe_key=reminder.dedupe_key,
            payload={
                "meeting_id": meeting.id,
                "start": instant_text(meeting.starts_at),
                "offset": reminder.offset,
            },
            expires_at=meeting.starts_at,
            meeting_id=meeting.id,
        )
        for reminder in planned_reminders(meeting.id, member_id, meeting.starts_at, offsets, now)
    ]


def cancellation_notices(
    meeting: Meeting,
    member_ids: Iterable[int],
    now: datetime,
    *,
    whole_series: bool = False,
    later_too: bool = False,
) -> list[PlannedMessage]:
    """ "This meeting is cancelled" (``later_too``: "and the later ones"). A cancelled series is
    announced once per person, with the first of its meetings they were expected at, under
    the series' key."""
    key = f"series{meeting.series_id}" if whole_series else str(meeting.id)
    return _notices(NoticeKind.CANCELLED, meeting, member_ids, now, key, {"series": later_too})


def move_notices(
    before: Meeting, moved: Meeting, member_ids: Iterable[int], now: datetime
) -> list[PlannedMessage]:
    """ "This meeting moved": the moment of the move is in the key, so every move is a notice
    of its own, even one back to an earlier time."""
    key = f"{moved.id}:{moved.starts_at:{_KEY_START}}:{instant_text(now)}"
    payload = {"from": instant_text(before.starts_at), "start": instant_text(moved.starts_at)}
    return _notices(NoticeKind.MOVED, moved, member_ids, now, key, payload)


def promotion_notice(meeting: Meeting, member_id: int, now: datetime) -> PlannedMessage:
    """ "A seat freed up for you" after waiting."""
    key = f"{meeting.id}:{instant_text(now)}"
    return _notices(NoticeKind.PROMOTED, meeting, [member_id], now, key, {})[0]


def trial_followup(group_id: int, member_id: int, meeting_id: int, now: datetime) -> PlannedMessage:
    """ "Would you like to join this group?" after a trial session."""
    return PlannedMessage(
        member_id=member_id,
        kind=NoticeKind.TRIAL_FOLLOWUP,
        not_before=now,
        dedupe_key=trial_followup_key(group_id, member_id),
        payload={"group_id": group_id, "meeting_id": meeting_id},
    )


def _notices(
    kind: NoticeKind,
    meeting: Meeting,
    member_ids: Iterable[int],
    now: datetime,
    key: str,
    payload: Mapping[str, object],
) -> list[PlannedMessage]:
    """One notice per person, sent as soon as possible."""
    return [
        PlannedMessage(
            member_id=member_id,
            kind=kind,
            not_before=now,
            dedupe_key=f"{kind}:{key}:{member_id}",
            payload={"meeting_id": meeting.id, **payload},
            expires_at=max(meeting.starts_at, now + NOTICE_GRACE),
            meeting_id=meeting.id,
        )
        for member_id in member_ids
    ]
