"""Group rules: public names without contact details, sizes, and one-time invitations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.groups import (
    Checked,
    GroupProblem,
    Invitation,
    InvitationKind,
    InvitationProblem,
    check_city,
    check_description,
    check_max_members,
    check_name,
    check_reminders,
    check_trial_seats,
    has_room,
    invitation_expiry,
    invitation_problem,
    same_name_key,
)

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "name",
    ["Teman Cerita Makassar", "Rangkul Bali (EN/ID)", "Sahabat Jiwa - Papua", "Kopi & Cerita"],
)
def test_ordinary_group_names_are_accepted(name: str) -> None:
    assert check_name(name).ok


def test_names_are_tidied() -> None:
    assert check_name("  Teman   Cerita  ").value == "Teman Cerita"


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("ab", GroupProblem.TOO_SHORT),
        ("a" * 61, GroupProblem.TOO_LONG),
        ("a" * 5000, GroupProblem.TOO_LONG),
        ("Call 0812-3456-7890", GroupProblem.PHONE),
        ("Mail me a@b.co", GroupProblem.EMAIL),
        ("See t.me/xyz", GroupProblem.LINK),
        ("Ask @teman", GroupProblem.HANDLE),
        ("<b>bold</b>", GroupProblem.INVALID_CHARS),
        ("two\nlines", GroupProblem.INVALID_CHARS),
        ("zero\u200bwidth", GroupProblem.INVALID_CHARS),
    ],
)
def test_bad_names_are_refused_with_the_reason(raw: str, problem: GroupProblem) -> None:
    assert check_name(raw).problem is problem


def test_descriptions_keep_line_breaks_but_refuse_markup() -> None:
    checked = check_description("Who it is for.\n\n  Weekly   meetings.  ")
    assert checked.ok and checked.value == "Who it is for.\n\nWeekly meetings."
    assert check_description("<script>x</script> hello").problem is GroupProblem.INVALID_CHARS
    assert check_description("short").problem is GroupProblem.TOO_SHORT
    assert check_description("x" * 501).problem is GroupProblem.TOO_LONG


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Info: (022) 255-1111, any time.", GroupProblem.PHONE),
        ("WhatsApp +62 812-3456-7890 to join.", GroupProblem.PHONE),
        ("Write to halo@ruangaman.org to join.", GroupProblem.EMAIL),
        ("Ask @ruangaman on Instagram.", GroupProblem.HANDLE),
        ("More at www.ruangaman.org soon.", GroupProblem.LINK),
        ("Thursdays 19.00-21.00, 3-4 times a month, since 12-12-2025.", None),
    ],
)
def test_descriptions_carry_no_contact_details_but_times_pass(
    text: str, problem: GroupProblem | None
) -> None:
    assert check_description(text).problem is problem


def test_names_are_the_same_whatever_their_case_and_spacing() -> None:
    assert same_name_key(" Teman  Cerita JAKARTA ") == same_name_key("teman cerita jakarta")
    assert same_name_key("Teman Cerita Bandung") != same_name_key("Teman Cerita Jakarta")


@pytest.mark.parametrize(
    ("raw", "ok"), [("Makassar", True), ("Pare-Pare", True), ("Kota 9", False), ("X", False)]
)
def test_cities(raw: str, ok: bool) -> None:
    assert check_city(raw).ok is ok


@pytest.mark.parametrize(
    ("raw", "value", "problem"),
    [
        ("12", 12, None),
        (" 2 ", 2, None),
        ("\uff11\uff12", 12, None),  # full-width digits from a phone keyboard
        ("1", 1, GroupProblem.TOO_SMALL),
        ("101", 101, GroupProblem.TOO_LARGE),
        ("-3", 0, GroupProblem.NOT_A_NUMBER),
        ("twelve", 0, GroupProblem.NOT_A_NUMBER),
        ("9" * 5000, 0, GroupProblem.NOT_A_NUMBER),
        ("1; DROP TABLE groups", 0, GroupProblem.NOT_A_NUMBER),
    ],
)
def test_max_members(raw: str, value: int, problem: GroupProblem | None) -> None:
    checked = check_max_members(raw)
    assert checked.problem is problem
    if problem is not GroupProblem.NOT_A_NUMBER:
        assert checked.value == value


def test_trial_seats_may_be_zero() -> None:
    assert check_trial_seats("0").ok
    assert check_trial_seats("21").problem is GroupProblem.TOO_LARGE


@pytest.mark.parametrize(
    ("raw", "minutes"),
    [
        ("24, 1", (1440, 60)),
        ("1 24", (1440, 60)),  # any order: stored largest first
        ("48 2 0.5", (2880, 120, 30)),
        ("0,5, 1,5", (90, 30)),  # decimal comma, then a separating comma
        ("0.25", (15,)),
        ("168", (10080,)),
        ("1.01", (61,)),  # rounded to whole minutes
        ("\uff12\uff14", (1440,)),  # full-width digits from a phone keyboard
        ("1, 2, 3, 4, 5", (300, 240, 180, 120, 60)),
    ],
)
def test_reminders_are_typed_in_hours(raw: str, minutes: tuple[int, ...]) -> None:
    assert check_reminders(raw) == Checked(minutes)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("", GroupProblem.NOT_A_NUMBER),
        ("abc", GroupProblem.NOT_A_NUMBER),
        ("-1", GroupProblem.NOT_A_NUMBER),
        ("1h", GroupProblem.NOT_A_NUMBER),
        ("0.001", GroupProblem.NOT_A_NUMBER),
        ("24; DROP TABLE groups", GroupProblem.NOT_A_NUMBER),
        ("<b>1</b>", GroupProblem.NOT_A_NUMBER),
        ("9" * 5000, GroupProblem.NOT_A_NUMBER),
        ("0", GroupProblem.TOO_SMALL),
        ("0.2", GroupProblem.TOO_SMALL),
        ("200", GroupProblem.TOO_LARGE),
        ("168.01", GroupProblem.TOO_LARGE),
        ("1 2 3 4 5 6", GroupProblem.TOO_MANY),
        ("1 " * 2500, GroupProblem.TOO_MANY),
        ("1, 1.0", GroupProblem.REPEATED),
        ("0.33 0.34", GroupProblem.REPEATED),  # both are 20 minutes
    ],
)
def test_bad_reminders_are_refused_with_the_reason(raw: str, problem: GroupProblem) -> None:
    assert check_reminders(raw).problem is problem


def test_room() -> None:
    assert has_room(9, 10) and not has_room(10, 10)


def _invitation(**changes: object) -> Invitation:
    values = {
        "code": "abc",
        "kind": InvitationKind.FACILITATOR,
        "group_id": 1,
        "created_at": NOW,
        "expires_at": invitation_expiry(NOW),
        "used_at": None,
    } | changes
    return Invitation(**values)  # type: ignore[arg-type]


def test_an_invitation_works_for_seven_days() -> None:
    assert invitation_expiry(NOW) == NOW + timedelta(days=7)
    assert invitation_problem(_invitation(), NOW + timedelta(days=6, hours=23)) is None
    assert invitation_problem(_invitation(), NOW + timedelta(days=7)) is InvitationProblem.EXPIRED


def test_an_invitation_works_once() -> None:
    used = _invitation(used_at=NOW)
    assert invitation_problem(used, NOW) is InvitationProblem.USED


def test_unknown_and_archived() -> None:
    assert invitation_problem(None, NOW) is InvitationProblem.UNKNOWN
    assert (
        invitation_problem(_invitation(), NOW, group_active=False)
        is InvitationProblem.GROUP_ARCHIVED
    )
    promotion = _invitation(kind=InvitationKind.COORDINATOR, group_id=None)
    assert invitation_problem(promotion, NOW, group_active=False) is None
