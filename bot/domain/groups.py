"""Support groups of the network and the one-time links that hand out roles (pure rules, no I/O).

A group's name is public (it appears on every group card), so like an alias it must not carry
a way to contact someone. Invitations make a person facilitator of a group, or coordinator of
the network: each works once, within seven days.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from bot.domain.alias import AliasProblem, contact_problem
from bot.domain.off_platform import ContactKind, contact_details
from bot.domain.recurrence import MAX_OFFSET_MINUTES, MAX_REMINDERS, parse_offsets

NAME_LENGTH = (3, 60)
DESCRIPTION_LENGTH = (10, 500)
CITY_LENGTH = (2, 60)
MAX_MEMBERS_RANGE = (2, 100)
TRIAL_SEATS_RANGE = (0, 20)
INVITATION_LIFETIME = timedelta(days=7)
DEFAULT_REMINDER_OFFSETS: tuple[int, ...] = (1440, 60)
# Reminder times as a coordinator types them, in hours: a quarter of an hour up to a week.
REMINDER_HOURS_RANGE = (Decimal("0.25"), Decimal(MAX_OFFSET_MINUTES) / 60)


class GroupFormat(enum.Enum):
    ONLINE = "online"
    IN_PERSON = "in_person"
    HYBRID = "hybrid"  # in person, with the option to join online

    @property
    def meets_in_person(self) -> bool:
        return self is not GroupFormat.ONLINE

    @property
    def meets_online(self) -> bool:
        return self is not GroupFormat.IN_PERSON


@dataclass(frozen=True, slots=True)
class Group:
    id: int
    name: str
    description: str
    format: GroupFormat
    # Province code and city for groups that meet in person; None for online-only groups.
    province: str | None
    city: str | None
    languages: tuple[str, ...]
    timezone: str
    max_members: int
    offers_trials: bool
    trial_seats: int
    # Minutes before a meeting at which reminders go out.
    reminder_offsets: tuple[int, ...]
    invite_code: str
    archived: bool
    topics: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NewGroup:
    """Everything /newgroup collected, already validated."""

    name: str
    description: str
    format: GroupFormat
    province: str | None
    city: str | None
    languages: tuple[str, ...]
    timezone: str
    max_members: int
    offers_trials: bool
    trial_seats: int
    topics: tuple[str, ...]


class JoinOutcome(enum.Enum):
    JOINED = "joined"
    ALREADY_MEMBER = "already_member"
    NEEDS_TRIAL = "needs_trial"  # the group asks newcomers to try a session first
    FULL = "full"
    GONE = "gone"  # archived or deleted meanwhile


@dataclass(frozen=True, slots=True)
class GroupCard:
    """What a person sees about one group: the group, its next meeting, what they may do."""

    group: Group
    next_meeting_at: datetime | None
    seats_left: int | None
    # Trial seats still free at the next meeting (shown to people who are not members yet).
    trial_seats_left: int | None
    is_member: bool
    can_join: bool
    # Asked to be told when the group schedules a meeting (only while none is scheduled).
    watching: bool = False


@dataclass(frozen=True, slots=True)
class GroupSummary:
    """A group with the counts a coordinator's overview shows."""

    group: Group
    member_count: int
    facilitator_count: int


class GroupProblem(enum.Enum):
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    HANDLE = "handle"
    PHONE = "phone"
    EMAIL = "email"
    LINK = "link"
    INVALID_CHARS = "invalid_chars"
    NOT_A_NUMBER = "not_a_number"
    TOO_SMALL = "too_small"
    TOO_LARGE = "too_large"
    TOO_MANY = "too_many"
    REPEATED = "repeated"


class EditableField(enum.Enum):
    """What a coordinator can change on an existing group."""

    NAME = "name"
    DESCRIPTION = "description"
    MAX_MEMBERS = "max_members"
    TRIAL_SEATS = "trial_seats"
    REMINDERS = "reminders"


@dataclass(frozen=True, slots=True)
class Checked:
    """A cleaned value, or why the input was refused (then ``value`` is meaningless)."""

    # Reminders are minutes before a meeting, largest first.
    value: str | int | tuple[int, ...]
    problem: GroupProblem | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


_CONTACT_PROBLEMS = {
    AliasProblem.HANDLE: GroupProblem.HANDLE,
    AliasProblem.PHONE: GroupProblem.PHONE,
    AliasProblem.EMAIL: GroupProblem.EMAIL,
    AliasProblem.LINK: GroupProblem.LINK,
}
_DESCRIPTION_CONTACTS = {
    ContactKind.PHONE: GroupProblem.PHONE,
    ContactKind.EMAIL: GroupProblem.EMAIL,
    ContactKind.HANDLE: GroupProblem.HANDLE,
    ContactKind.LINK: GroupProblem.LINK,
}
# Angle brackets would read as HTML markup; braces as message placeholders in some tools.
_FORBIDDEN = frozenset("<>{}")
_CITY_PUNCTUATION = frozenset(" -.'()")


def check_name(raw: str) -> Checked:
    """A group name: one line, 3-60 characters, no contact details."""
    text = _clean_line(raw)
    if _has_hidden(text) or _FORBIDDEN & set(text):
        return Checked(text, GroupProblem.INVALID_CHARS)
    contact = contact_problem(text)
    if contact is not None:
        return Checked(text, _CONTACT_PROBLEMS[contact])
    return _length(text, NAME_LENGTH)


def check_description(raw: str) -> Checked:
    """A description: 10-500 characters; line breaks are fine, markup and hidden text are not."""
    text = "\n".join(" ".join(line.split()) for line in _nfkc(raw).strip().splitlines())
    if _has_hidden(text.replace("\n", "")) or _FORBIDDEN & set(text):
        return Checked(text, GroupProblem.INVALID_CHARS)
    # The card is public: a number or address on it would reach anyone, bypassing the bot.
    # Free text, so the buddies' detector, which lets times and dates ("19.00-21.00") pass.
    for kind, problem in _DESCRIPTION_CONTACTS.items():
        if kind in contact_details(text):
            return Checked(text, problem)
    return _length(text, DESCRIPTION_LENGTH)


def same_name_key(name: str) -> str:
    """What two group names that are "the same" share: case, spacing and look-alike characters
    aside."""
    return " ".join(_nfkc(name).split()).casefold()


def check_city(raw: str) -> Checked:
    """A city or regency name: letters, spaces and a little punctuation, 2-60 characters."""
    text = _clean_line(raw)
    if not all(unicodedata.category(ch)[0] in "LM" or ch in _CITY_PUNCTUATION for ch in text):
        return Checked(text, GroupProblem.INVALID_CHARS)
    return _length(text, CITY_LENGTH)


def check_max_members(raw: str) -> Checked:
    return _number(raw, MAX_MEMBERS_RANGE)


def check_trial_seats(raw: str) -> Checked:
    return _number(raw, TRIAL_SEATS_RANGE)


# One typed number of hours, up to 2 decimals (a minute is 0.0167 h); the digit cap keeps a
# 5,000-digit "number" cheap to refuse.
_HOURS = re.compile(r"[0-9]{1,6}(?:\.[0-9]{1,2})?", re.ASCII)
# A comma between two digits is a decimal comma ("0,5"), as Indonesians write it.
_DECIMAL_COMMA = re.compile(r"(?<=[0-9]),(?=[0-9])")


def check_reminders(raw: str) -> Checked:
    """Reminder times typed in hours ("24, 1", "48 2 0,5") -> minutes, largest first.

    Each 0.25 to 168 hours, at most five, all different once rounded to whole minutes.
    """
    parts = re.split(r"[\s,]+", _DECIMAL_COMMA.sub(".", _nfkc(raw)).strip(" ,\n\t"))
    if not all(_HOURS.fullmatch(part) for part in parts):
        return Checked((), GroupProblem.NOT_A_NUMBER)
    if len(parts) > MAX_REMINDERS:
        return Checked((), GroupProblem.TOO_MANY)
    hours = [Decimal(part) for part in parts]
    low, high = REMINDER_HOURS_RANGE
    if min(hours) < low:
        return Checked((), GroupProblem.TOO_SMALL)
    if max(hours) > high:
        return Checked((), GroupProblem.TOO_LARGE)
    minutes = [int((hour * 60).quantize(Decimal(1), ROUND_HALF_UP)) for hour in hours]
    if len(set(minutes)) != len(minutes):
        return Checked((), GroupProblem.REPEATED)
    # Every rule parse_offsets enforces was checked above with its own reason, so it does not
    # raise here; it stays the single definition of valid offsets (and their order).
    return Checked(parse_offsets(",".join(map(str, minutes))))


CHECKS = {
    EditableField.NAME: check_name,
    EditableField.DESCRIPTION: check_description,
    EditableField.MAX_MEMBERS: check_max_members,
    EditableField.TRIAL_SEATS: check_trial_seats,
    EditableField.REMINDERS: check_reminders,
}


def _nfkc(raw: str) -> str:
    return unicodedata.normalize("NFKC", raw)


def _clean_line(raw: str) -> str:
    text = _nfkc(raw).strip()
    # A line break inside a one-line field is kept, so it is refused rather than merged.
    return text if "\n" in text else " ".join(text.split())


def _has_hidden(text: str) -> bool:
    return any(
        unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp") for ch in text
    )


def _length(text: str, bounds: tuple[int, int]) -> Checked:
    low, high = bounds
    if len(text) < low:
        return Checked(text, GroupProblem.TOO_SHORT)
    if len(text) > high:
        return Checked(text, GroupProblem.TOO_LONG)
    return Checked(text)


def _number(raw: str, bounds: tuple[int, int]) -> Checked:
    text = _nfkc(raw).strip()
    # isdecimal + a length cap: "٣" is a digit too, and a 5,000-digit number is not a size.
    if not text.isdecimal() or len(text) > 6:
        return Checked(0, GroupProblem.NOT_A_NUMBER)
    value, (low, high) = int(text), bounds
    if value < low:
        return Checked(value, GroupProblem.TOO_SMALL)
    if value > high:
        return Checked(value, GroupProblem.TOO_LARGE)
    return Checked(value)


def has_room(member_count: int, max_members: int) -> bool:
    return member_count < max_members


# --- invitations ---------------------------------------------------------------------------


class InvitationKind(enum.Enum):
    FACILITATOR = "facilitator"
    COORDINATOR = "coordinator"


@dataclass(frozen=True, slots=True)
class Invitation:
    code: str
    kind: InvitationKind
    group_id: int | None  # set for facilitator invitations only
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None


class InvitationProblem(enum.Enum):
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    GROUP_ARCHIVED = "group_archived"


@dataclass(frozen=True, slots=True)
class ClaimedInvitation:
    """The outcome of opening a one-time link: the invitation used, or why it could not be."""

    invitation: Invitation | None
    problem: InvitationProblem | None = None
    # The person already had the role (the link is still used up).
    already: bool = False


@dataclass(frozen=True, slots=True)
class RoleHolder:
    """A registered person and their roles, for their own command menu."""

    telegram_id: int
    language: str
    is_coordinator: bool
    is_facilitator: bool


def invitation_expiry(now: datetime) -> datetime:
    """When an invitation made ``now`` stops working."""
    return now + INVITATION_LIFETIME


def invitation_problem(
    invitation: Invitation | None, now: datetime, *, group_active: bool = True
) -> InvitationProblem | None:
    """Why this invitation cannot be used ``now``, or ``None`` if it can (once)."""
    if invitation is None:
        return InvitationProblem.UNKNOWN
    if invitation.used_at is not None:
        return InvitationProblem.USED
    if now >= invitation.expires_at:
        return InvitationProblem.EXPIRED
    if invitation.kind is InvitationKind.FACILITATOR and not group_active:
        return InvitationProblem.GROUP_ARCHIVED
    return None
