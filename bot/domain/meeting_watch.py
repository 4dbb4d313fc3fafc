"""The notice to people who asked to be told when a group schedules a meeting (pure data).

They asked on the card of a group with nothing scheduled; the notice goes once, about the first
meeting scheduled after that, under a key per meeting and person ("nothing twice").
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.domain.meetings import Meeting
from bot.domain.messages import PlannedMessage, instant_text

# The outbox kind (rendered by bot.notifications.meeting_watch).
MEETING_SCHEDULED = "meeting_scheduled"


def scheduled_notices(
    meeting: Meeting, member_ids: Iterable[int], now: datetime
) -> list[PlannedMessage]:
    """ "<group> has scheduled a meeting", to each person, as soon as possible and until the
    meeting starts (a notice after it would help nobody)."""
    return [
        PlannedMessage(
            member_id=member_id,
            kind=MEETING_SCHEDULED,
            not_before=now,
            dedupe_key=f"{MEETING_SCHEDULED}:{meeting.id}:{member_id}",
            payload={"meeting_id": meeting.id, "start": instant_text(meeting.starts_at)},
            expires_at=meeting.starts_at,
            meeting_id=meeting.id,
        )
        for member_id in member_ids
    ]
