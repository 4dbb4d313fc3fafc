"""Meeting titles and which meetings are open events."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.events import TitleProblem, check_title, is_open_event, may_be_open
from bot.domain.meetings import Meeting, MeetingKind, MeetingStatus


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Mengenal   kecemasan  ", "Mengenal kecemasan"),
        ("Seminar: stigma & kesehatan jiwa", "Seminar: stigma & kesehatan jiwa"),
        ("ab", TitleProblem.TOO_SHORT),
        ("😀😀😀", TitleProblem.TOO_SHORT),
        ("x" * 81, TitleProblem.TOO_LONG),
        ("<b>Seminar</b>", TitleProblem.MARKUP),
        ("Seminar\u200bstigma", TitleProblem.MARKUP),
        ("Info: 0812 3456 7890", TitleProblem.CONTACT),
        ("Hubungi @panitia_seminar", TitleProblem.CONTACT),
        ("Daftar di bit.ly/seminar", TitleProblem.CONTACT),
        ("panitia@example.org", TitleProblem.CONTACT),
    ],
)
def test_titles(raw: str, expected: str | TitleProblem) -> None:
    assert check_title(raw) == expected


def _meeting(kind: MeetingKind, open_to_all: bool) -> Meeting:
    start = datetime(2026, 12, 3, 11, 30, tzinfo=UTC)
    return Meeting(
        1, 1, 1, 0, start, 90, None, None, 20, MeetingStatus.SCHEDULED, kind, None, open_to_all
    )


def test_only_seminars_can_be_open_events() -> None:
    assert may_be_open(MeetingKind.SEMINAR)
    assert not any(may_be_open(k) for k in MeetingKind if k is not MeetingKind.SEMINAR)
    assert is_open_event(_meeting(MeetingKind.SEMINAR, True))
    assert not is_open_event(_meeting(MeetingKind.SEMINAR, False))
    assert not is_open_event(_meeting(MeetingKind.WORKSHOP, True))
