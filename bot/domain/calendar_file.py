"""An "add to calendar" file for one meeting: iCalendar text (RFC 5545), pure.

Times are written in UTC (``…Z``), which every calendar converts to its own zone, so no
VTIMEZONE block is needed and daylight-saving rules cannot be got wrong. The UID is stable per
meeting, so a second download (after a move) updates the event instead of adding another. The
file names no person: the summary is the meeting's title and group, the description only what
the person could read in the chat anyway (the join link only when the caller passes it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

PRODUCT = "-//Rangkul//Meetings//EN"
UID_DOMAIN = "rangkul.meetings"
_LINE_OCTETS = 75  # RFC 5545 3.1: lines longer than this are folded


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """What goes into the file; every text is plain (not HTML)."""

    meeting_id: int
    starts_at: datetime
    ends_at: datetime
    summary: str
    place: str | None = None
    link: str | None = None
    description: str | None = None
    cancelled: bool = False


def event_uid(meeting_id: int) -> str:
    return f"meeting-{meeting_id}@{UID_DOMAIN}"


def calendar_file(event: CalendarEvent, now: datetime) -> bytes:
    """The .ics document, CRLF line endings, UTF-8."""
    properties = [
        ("UID", event_uid(event.meeting_id)),
        ("DTSTAMP", _utc(now)),
        ("DTSTART", _utc(event.starts_at)),
        ("DTEND", _utc(event.ends_at)),
        ("SUMMARY", _text(event.summary)),
        ("STATUS", "CANCELLED" if event.cancelled else "CONFIRMED"),
    ]
    if event.place:
        properties.append(("LOCATION", _text(event.place)))
    description = "\n".join(part for part in (event.description, event.link) if part)
    if description:
        properties.append(("DESCRIPTION", _text(description)))
    if event.link:
        properties.append(("URL", event.link))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        *(f"{name}:{value}" for name, value in properties),
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(f"{_fold(line)}\r\n" for line in lines).encode()


def _utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("calendar times must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newlines escaped."""
    escaped = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return escaped.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _fold(line: str) -> str:
    """Folds at 75 octets without splitting a UTF-8 character; continuation lines start with a
    space (which counts towards their 75)."""
    parts: list[str] = []
    current, size, limit = "", 0, _LINE_OCTETS
    for ch in line:
        width = len(ch.encode())
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, _LINE_OCTETS - 1
        current += ch
        size += width
    parts.append(current)
    return "\r\n ".join(parts)
