"""The .ics document of a meeting, parsed back as a calendar app would read it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.calendar_file import CalendarEvent, calendar_file, event_uid

START = datetime(2026, 12, 3, 11, 30, tzinfo=UTC)  # 19:30 in Makassar (WITA)
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def parse(document: bytes) -> list[tuple[str, dict[str, str], str]]:
    """Content lines (name, parameters, value) after unfolding (RFC 5545 3.1)."""
    text = document.decode()
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    physical = text.split("\r\n")[:-1]
    assert all(len(line.encode()) <= 75 for line in physical)
    logical: list[str] = []
    for line in physical:
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    parsed = []
    for line in logical:
        head, value = line.split(":", 1)
        name, *params = head.split(";")
        parsed.append((name, dict(p.split("=", 1) for p in params), value))
    return parsed


def props(document: bytes) -> dict[str, str]:
    return {name: value for name, _, value in parse(document)}


def unescape(value: str) -> str:
    out, i = "", 0
    while i < len(value):
        if value[i] == "\\":
            out += {"n": "\n", "N": "\n"}.get(value[i + 1], value[i + 1])
            i += 2
        else:
            out += value[i]
            i += 1
    return out


def utc(value: str) -> datetime:
    return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def event(**changes: object) -> CalendarEvent:
    values: dict[str, object] = {
        "meeting_id": 42,
        "starts_at": START,
        "ends_at": START + timedelta(minutes=90),
        "summary": "Seminar: Mengenal kecemasan, bersama; Teman Cerita \\ Makassar",
    }
    values.update(changes)
    return CalendarEvent(**values)  # type: ignore[arg-type]


def test_one_event_with_utc_times_that_land_on_the_groups_wall_clock() -> None:
    parsed = parse(calendar_file(event(), NOW))
    names = [name for name, _, _ in parsed]
    assert names[:2] == ["BEGIN", "VERSION"] and names[-1] == "END"
    assert names.count("BEGIN") == 2 and ("BEGIN", {}, "VEVENT") in parsed
    fields = props(calendar_file(event(), NOW))
    start, end = utc(fields["DTSTART"]), utc(fields["DTEND"])
    local = start.astimezone(ZoneInfo("Asia/Makassar"))
    assert (local.hour, local.minute) == (19, 30)
    assert end - start == timedelta(minutes=90)
    assert utc(fields["DTSTAMP"]) == NOW and fields["VERSION"] == "2.0"
    assert fields["PRODID"] and fields["STATUS"] == "CONFIRMED"


def test_uid_is_stable_per_meeting_and_differs_between_meetings() -> None:
    first = props(calendar_file(event(), NOW))["UID"]
    again = props(calendar_file(event(starts_at=START + timedelta(days=1)), NOW))["UID"]
    other = props(calendar_file(event(meeting_id=43), NOW))["UID"]
    assert first == again == event_uid(42) and other != first


def test_text_is_escaped_and_long_lines_fold_without_breaking_characters() -> None:
    place = "Aula Komunitas, Jl. Merdeka 5; lantai 2 — dekat masjid 🌿 " * 3
    document = calendar_file(event(place=place, description="Baris satu\nBaris dua"), NOW)
    fields = props(document)
    assert unescape(fields["SUMMARY"]) == event().summary
    assert unescape(fields["LOCATION"]) == place
    assert unescape(fields["DESCRIPTION"]) == "Baris satu\nBaris dua"


def test_the_join_link_appears_only_when_given() -> None:
    without = props(calendar_file(event(), NOW))
    assert "URL" not in without and "DESCRIPTION" not in without
    link = "https://meet.example.org/teman-cerita"
    with_link = props(calendar_file(event(link=link), NOW))
    assert with_link["URL"] == link and link in unescape(with_link["DESCRIPTION"])


def test_a_cancelled_meeting_says_so_and_naive_times_are_refused() -> None:
    assert props(calendar_file(event(cancelled=True), NOW))["STATUS"] == "CANCELLED"
    with pytest.raises(ValueError):
        calendar_file(event(starts_at=datetime(2026, 12, 3, 19, 30)), NOW)
