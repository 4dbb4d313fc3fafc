"""A member of the network as the rest of the bot sees them (pure data, no I/O).

Other people only ever see the alias; the Telegram id is kept because the bot needs it to send.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Member:
    """A registered person, with their current consent (the latest one they gave)."""

    id: int
    telegram_id: int
    alias: str
    language: str
    timezone: str
    # Province code, or None for someone who only joins online meetings.
    province: str | None
    topics: tuple[str, ...]
    # Promoted coordinator; ADMIN_IDS are coordinators too without this flag.
    is_coordinator: bool
    consent_version: int
    consent_at: datetime
    adult_confirmed_at: datetime
    created_at: datetime


@dataclass(frozen=True, slots=True)
class NewMember:
    """Everything onboarding collected, ready to be stored in one go."""

    telegram_id: int
    alias: str
    # Normalised alias (bot.domain.alias.alias_key) that makes aliases unique ignoring case.
    alias_key: str
    language: str
    timezone: str
    province: str | None
    topics: tuple[str, ...]
    consent_version: int
    consent_at: datetime
    adult_confirmed_at: datetime
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Registration:
    """Everything onboarding gathered, ready to be stored once the person finishes."""

    telegram_id: int
    alias: str
    language: str
    province: str | None
    topics: tuple[str, ...]
    notice_version: int
    consent_at: datetime
    adult_confirmed_at: datetime
    # The known source code of the referral link they came with, if any (counted, not kept).
    referral: str | None = None


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """The export of a member in a few counts and names, for people to read (/mydata)."""

    alias: str
    language: str
    province: str | None
    timezone: str
    topics: tuple[str, ...]
    member_since: datetime
    groups: tuple[str, ...]  # names of the groups they belong to or facilitate
    upcoming_seats: tuple[tuple[str, datetime], ...]  # (group name, start), soonest first
    has_safety_plan: bool
    crisis_events: int
    crisis_alerts: int
    messages_to_them: int
    messages_about_them: int


class AliasTaken(Exception):
    """Someone else already uses this alias (compared by alias key)."""


class MemberExists(Exception):
    """This Telegram account is already registered (e.g. onboarding confirmed twice)."""
