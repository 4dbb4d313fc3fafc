"""How long each kind of personal data is kept: one table that the privacy notice shows and the
daily purge (bot.services.retention) enforces, so the periods people read are the ones applied.

UU 27/2022 asks that data be kept no longer than its purpose needs and that people are told how
long. Each rule names what starts its clock; data kept "while you are a member" goes with
``/forget`` (or when the person changes or removes it themselves).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime, timedelta


class DataCategory(enum.StrEnum):
    """A kind of personal data, as the privacy notice names it."""

    PROFILE = "profile"  # Telegram id, alias, language, timezone, province, age, roles, topics
    CONSENTS = "consents"
    GROUPS = "groups"  # memberships and facilitator roles
    INVITATIONS = "invitations"
    # Meetings a facilitator scheduled (their name on the series), announcements, linked chats.
    SCHEDULING = "scheduling"
    MEETING_WATCHES = "meeting_watches"  # "tell me when a meeting is scheduled"
    SEATS = "seats"  # places at meetings (RSVPs, trials, waitlist) and attendance
    TRIAL_OUTCOMES = "trial_outcomes"
    TIME_POLLS = "time_polls"
    SAFETY_PLAN = "safety_plan"
    CRISIS_EVENTS = "crisis_events"
    CRISIS_ALERTS = "crisis_alerts"
    MESSAGES = "messages"  # the outbox: messages the bot sent or will send, and about whom
    DRAFTS = "drafts"  # unfinished steps of a conversation (PTB persistence)
    MOODS = "moods"  # quick moods, their tags and private notes
    CHECKINS = "checkins"  # questionnaire answers and scores, the weekly prompt's schedule
    MEETING_FEEDBACK = "meeting_feedback"  # ratings and comments after meetings
    BUDDIES = "buddies"  # asking for a buddy, and the pairings
    BUDDY_MESSAGES = "buddy_messages"  # what buddies wrote each other through the bot
    QUESTIONS = "questions"  # anonymous questions to facilitators, and their answers
    REPORTS = "reports"  # reports on buddy messages and pairings, and what was done
    RELAY_SUSPENSIONS = "relay_suspensions"  # pauses of a member's buddy messages
    MODERATION_LOG = "moderation_log"  # the audit log: who did which moderation action to whom


class Anchor(enum.StrEnum):
    """What starts the clock of a rule."""

    SENT_OR_DUE = "sent_or_due"  # a message: when it went out, or was due if it never did
    EXPIRY = "expiry"  # an invitation link's expiry
    MEETING = "meeting"  # the start of the meeting
    ANSWER = "answer"  # the answer's time
    LAST_POLL_TIME = "last_poll_time"  # the latest time a poll offered
    EVENT = "event"  # when it happened
    ALERT_CLOSED = "alert_closed"  # an alert once acknowledged or passed on: its creation
    IDLE = "idle"  # the conversation's last step
    ANSWERED_OR_ASKED = "answered_or_asked"  # a question's answer, or its asking if unanswered
    SENT = "sent"  # a message between people, when it was sent
    PAIRING_ENDED = "pairing_ended"  # a buddy pairing's end (asking for a buddy: until stopped)
    HANDLED_OR_MADE = "handled_or_made"  # a report's handling, or its making if never handled
    PAUSE_END = "pause_end"  # the end of a relay pause
    ASKED = "asked"  # an unanswered request: when it was made (answered ones go at once)
    # The two periods a network may set (KEEP_MOODS_DAYS, KEEP_CHECKIN_ANSWERS_DAYS):
    RECORDED = "recorded"  # a quick mood: when it was recorded
    # A check-in sitting: when it was finished (or started, if never); the schedule stays.
    CHECKIN_ANSWERED = "checkin_answered"


@dataclass(frozen=True, slots=True)
class RetentionRule:
    category: DataCategory
    # The tables that hold it: tests/journeys/test_privacy_notice.py fails when a table about
    # members is in no rule (and so in no line of the notice).
    tables: tuple[str, ...]
    # None: kept while the person is a member (gone with /forget), no clock of its own.
    keep_for: timedelta | None = None
    after: Anchor | None = None


def _days(n: int) -> timedelta:
    return timedelta(days=n)


RETENTION: tuple[RetentionRule, ...] = (
    RetentionRule(DataCategory.PROFILE, ("members", "member_topics")),
    RetentionRule(DataCategory.CONSENTS, ("consents",)),
    RetentionRule(
        DataCategory.GROUPS, ("group_members", "group_facilitators", "announcement_mutes")
    ),
    RetentionRule(DataCategory.INVITATIONS, ("invitations",), _days(30), Anchor.EXPIRY),
    RetentionRule(DataCategory.SCHEDULING, ("meeting_series", "broadcasts", "group_chats")),
    # Answered (and deleted) when the group schedules a meeting; a group that stays quiet
    # for half a year should not keep the request, nor the person waiting, for ever.
    RetentionRule(DataCategory.MEETING_WATCHES, ("meeting_watches",), _days(180), Anchor.ASKED),
    RetentionRule(DataCategory.SEATS, ("seats", "attendance"), _days(365), Anchor.MEETING),
    RetentionRule(DataCategory.TRIAL_OUTCOMES, ("trial_outcomes",), _days(365), Anchor.ANSWER),
    RetentionRule(
        DataCategory.TIME_POLLS,
        ("time_polls", "time_poll_messages"),
        _days(90),
        Anchor.LAST_POLL_TIME,
    ),
    RetentionRule(DataCategory.SAFETY_PLAN, ("safety_plans",)),
    RetentionRule(DataCategory.CRISIS_EVENTS, ("crisis_events",), _days(90), Anchor.EVENT),
    RetentionRule(DataCategory.CRISIS_ALERTS, ("crisis_alerts",), _days(90), Anchor.ALERT_CLOSED),
    RetentionRule(DataCategory.MOODS, ("moods",)),
    RetentionRule(DataCategory.CHECKINS, ("questionnaires", "checkin_schedules")),
    RetentionRule(DataCategory.MEETING_FEEDBACK, ("meeting_feedback",), _days(365), Anchor.ANSWER),
    # The words of a question and its answer are needed only until the asker has read the
    # answer; an unanswered question lapses after the same period (and frees its place).
    RetentionRule(DataCategory.QUESTIONS, ("questions",), _days(30), Anchor.ANSWERED_OR_ASKED),
    # A pairing is kept after it ends so the next rounds pair people with someone new (and
    # never again two people one of whom ended it); asking for a buddy lasts until stopped.
    RetentionRule(
        DataCategory.BUDDIES,
        ("buddy_optins", "buddy_pairings"),
        _days(90),
        Anchor.PAIRING_ENDED,
    ),
    # Buddy messages are kept only so a report can show what was said: reports come soon.
    RetentionRule(DataCategory.BUDDY_MESSAGES, ("buddy_messages",), _days(30), Anchor.SENT),
    # A year after it was dealt with: long enough to see that the same person is reported
    # again (facilitators decide better with that), short enough not to follow anyone for
    # good. The log below keeps what was done, without the report's reason or words.
    RetentionRule(DataCategory.REPORTS, ("reports",), _days(365), Anchor.HANDLED_OR_MADE),
    # A pause is needed only while it runs; the log keeps that it happened.
    RetentionRule(
        DataCategory.RELAY_SUSPENSIONS, ("relay_suspensions",), timedelta(0), Anchor.PAUSE_END
    ),
    # Two years: coordinators check that moderation is fair over time (a member who asks why
    # they were removed, a facilitator's pattern of actions), and appeals and complaints can
    # come long after. It holds codes and ids only, never anyone's words; /forget turns a
    # person into "a deleted account" (ON DELETE SET NULL).
    RetentionRule(DataCategory.MODERATION_LOG, ("audit_log",), _days(730), Anchor.EVENT),
    RetentionRule(DataCategory.MESSAGES, ("outbox",), _days(30), Anchor.SENT_OR_DUE),
    # Enforced by the conversations' own timeout (bot.telegram_glue.conversation), not the purge.
    RetentionRule(
        DataCategory.DRAFTS,
        ("ptb_conversations", "ptb_user_data"),
        timedelta(hours=12),
        Anchor.IDLE,
    ),
)


def configured(
    *, keep_moods: timedelta | None, keep_checkin_answers: timedelta | None
) -> tuple[RetentionRule, ...]:
    """RETENTION with the network's own periods for moods and check-in answers (the settings
    KEEP_MOODS_DAYS and KEEP_CHECKIN_ANSWERS_DAYS); None keeps them until the person deletes
    them, as RETENTION does."""
    periods = {
        DataCategory.MOODS: (keep_moods, Anchor.RECORDED),
        DataCategory.CHECKINS: (keep_checkin_answers, Anchor.CHECKIN_ANSWERED),
    }
    return tuple(
        replace(rule, keep_for=periods[rule.category][0], after=periods[rule.category][1])
        if rule.category in periods and periods[rule.category][0] is not None
        else rule
        for rule in RETENTION
    )


def rule_for(category: DataCategory, rules: tuple[RetentionRule, ...] = RETENTION) -> RetentionRule:
    return next(rule for rule in rules if rule.category is category)


def cutoff(rule: RetentionRule, now: datetime) -> datetime | None:
    """Rows whose clock started at or before this moment are due for deletion; None if the
    rule has no clock."""
    return now - rule.keep_for if rule.keep_for is not None else None
