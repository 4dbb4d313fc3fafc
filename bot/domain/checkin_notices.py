"""What the outbox carries for the weekly check-in: the prompt and its one nudge (pure).

Dedupe keys name the member and the ISO week of the prompt (bot.domain.checkin_cadence), so a
week has at most one prompt and one nudge whatever happens: a restart, a planner pass repeated,
a schedule changed (its pending prompt is cancelled and planned again under the same key,
which revives the row with the new time).
"""

from __future__ import annotations

import enum
from datetime import datetime

from bot.domain.checkin_cadence import (
    NUDGE_GRACE,
    PROMPT_GRACE,
    CheckinSchedule,
    next_prompt,
    nudge_time,
    week_key,
)
from bot.domain.messages import PlannedMessage, instant_text


class CheckinKind(enum.StrEnum):
    """Outbox kinds rendered by bot.notifications.checkins."""

    PROMPT = "checkin_prompt"
    NUDGE = "checkin_nudge"


def prompt_key(member_id: int, week: str) -> str:
    return f"checkin:{member_id}:{week}"


def nudge_key(member_id: int, week: str) -> str:
    return f"{CheckinKind.NUDGE}:{member_id}:{week}"


def member_prompts_prefix(member_id: int) -> str:
    """How every prompt key of one member starts (to cancel their pending prompt)."""
    return prompt_key(member_id, "")


def week_of_key(key: str) -> str:
    """The week a prompt or nudge key names."""
    return key.rsplit(":", 1)[1]


def weekly_prompt(member_id: int, prompt_at: datetime, week: str) -> PlannedMessage:
    """The prompt of ``week``; if the bot cannot send it on time it may still go within
    :data:`PROMPT_GRACE`, later it is skipped."""
    return PlannedMessage(
        member_id=member_id,
        kind=CheckinKind.PROMPT,
        not_before=prompt_at,
        dedupe_key=prompt_key(member_id, week),
        payload={"at": instant_text(prompt_at), "week": week},
        expires_at=prompt_at + PROMPT_GRACE,
    )


def nudge(member_id: int, week: str, prompt_at: datetime, sent_at: datetime) -> PlannedMessage:
    """The one nudge after the prompt of ``week`` (planned at ``prompt_at``, sent at
    ``sent_at``), 48 hours after it went out."""
    due = nudge_time(sent_at)
    return PlannedMessage(
        member_id=member_id,
        kind=CheckinKind.NUDGE,
        not_before=due,
        dedupe_key=nudge_key(member_id, week),
        payload={"at": instant_text(prompt_at), "week": week},
        expires_at=due + NUDGE_GRACE,
    )


def coming_prompt(
    member_id: int,
    schedule: CheckinSchedule,
    tz: str,
    now: datetime,
    last_week: str | None,
) -> PlannedMessage | None:
    """The member's next prompt from ``now`` on, in a week after ``last_week`` (the latest
    week that already has one); None while prompts are stopped."""
    at = next_prompt(schedule, tz, now, after_week=last_week)
    return None if at is None else weekly_prompt(member_id, at, week_key(at, tz))
