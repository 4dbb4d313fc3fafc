"""The date and time picker shared by /newmeeting, moving a meeting and /poll_time.

The picker does not know where its buttons lead: callers pass functions that build the action
for a day, a time and a page, so each flow keeps its own actions and arguments.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time
from typing import Annotated
from zoneinfo import ZoneInfo

from bot.domain.paging import page
from bot.i18n import Translator, tz_abbreviation
from bot.ui.callbacks import CallbackData, MaxLen
from bot.ui.keyboards import Button, in_rows, inline
from bot.ui.view import View

TIMES_PER_PAGE = 24  # six hours in 15-minute steps, four to a row
EVENING_PAGE = 2  # the page a day's times open at: most groups meet after work
DAYS_PER_ROW = 2
EXAMPLE_TIME = time(19, 30)
TIMES_PER_ROW = 4

# Button fields of a picked day and time, as day_code and time_code write them, and of a
# whole start (UTC), as start_code writes it.
DayCode = Annotated[str, MaxLen(8)]
TimeCode = Annotated[str, MaxLen(4)]
StartCode = Annotated[str, MaxLen(12)]
_START_CODE = "%Y%m%d%H%M"


def day_code(day: date) -> str:
    return day.strftime("%Y%m%d")


def parse_day(code: str) -> date | None:
    try:
        return datetime.strptime(code, "%Y%m%d").date()
    except ValueError:
        return None


def time_code(at: time) -> str:
    return at.strftime("%H%M")


def parse_time(code: str) -> time | None:
    try:
        return datetime.strptime(code, "%H%M").time()
    except ValueError:
        return None


def start_code(start: datetime) -> str:
    return start.astimezone(UTC).strftime(_START_CODE)


def parse_start_code(code: str) -> datetime | None:
    try:
        return datetime.strptime(code, _START_CODE).replace(tzinfo=UTC)
    except ValueError:
        return None


def when(t: Translator, start: datetime, tz: str) -> str:
    """A full date and time in ``tz`` with its zone ("Thursday, 3 December 2026, 19.30 WITA")."""
    return f"{t.format_date(start, tz, 'full')}, {t.format_time(start, tz)} {tz_abbreviation(tz)}"


def when_in_group(t: Translator, start: datetime, tz: str, own_tz: str) -> str:
    """A time being set in the group's zone ``tz``; the person's own time follows in brackets
    when their zone differs ("… 19.30 WITA (18.30 WIB for you)")."""
    shown = when(t, start, tz)
    if start.astimezone(ZoneInfo(tz)).utcoffset() == start.astimezone(ZoneInfo(own_tz)).utcoffset():
        return shown
    same_day = t.format_date(start, tz) == t.format_date(start, own_tz)
    own = t.format_time(start, own_tz) if same_day else short_when(t, start, own_tz)
    return t("{when} ({own} {zone} for you)", when=shown, own=own, zone=tz_abbreviation(own_tz))


def short_when(t: Translator, start: datetime, tz: str) -> str:
    """A compact date and time for buttons, e.g. "Thu 3 Dec 19.30"."""
    return f"{t.format_date(start, tz, 'EEE d MMM')} {t.format_time(start, tz)}"


def date_buttons(
    t: Translator, days: Sequence[date], tz: str, data: Callable[[date], CallbackData]
) -> list[list[Button]]:
    buttons = [(t.format_date(day, tz, "EEE d MMM"), data(day)) for day in days]
    return in_rows(buttons, DAYS_PER_ROW)


def time_buttons(
    t: Translator,
    times: Sequence[time],
    page_index: int,
    data: Callable[[time], CallbackData],
    page_data: Callable[[int], CallbackData],
) -> list[list[Button]]:
    """One page of start times, then a row to the other pages (labelled by their first time).
    Times on the 24-hour clock as the language writes it ("19.30"): short enough for four a
    row."""
    shown, _, _ = page(times, page_index, TIMES_PER_PAGE)
    rows = in_rows([(t.format_clock(at), data(at)) for at in shown], TIMES_PER_ROW)
    pages = range(0, len(times), TIMES_PER_PAGE)
    if len(pages) > 1:
        rows.append(
            [
                (
                    ("• " if i // TIMES_PER_PAGE == page_index else "")
                    + f"{t.format_clock(times[i])}…",
                    page_data(i // TIMES_PER_PAGE),
                )
                for i in pages
            ]
        )
    return rows


def typed_example(t: Translator, days: Sequence[date]) -> str:
    """A date and time to type, as the parser reads it: the evening of an offered day after
    the first (the first may be today, its evening past), so the example always lies ahead."""
    day = days[min(1, len(days) - 1)]
    return f"{day.isoformat()} {t.format_clock(EXAMPLE_TIME)}"


def date_view(
    t: Translator,
    heading: str,
    days: Sequence[date],
    tz: str,
    data: Callable[[date], CallbackData],
    extra: Sequence[Sequence[Button]] = (),
    *,
    typed_hint: bool = True,
) -> View:
    lines = [heading, t("Which day? Times are in {zone}.", zone=tz_abbreviation(tz))]
    if typed_hint:
        lines.append(
            t(
                "You can also type a date and time, like <code>{example}</code>.",
                example=typed_example(t, days),
            )
        )
    return "\n\n".join(lines), inline([*date_buttons(t, days, tz, data), *extra])


def time_view(
    t: Translator,
    day: date,
    tz: str,
    rows: list[list[Button]],
    back: CallbackData,
) -> View:
    text = t(
        "What time on {day}? ({zone})",
        day=t.format_date(day, tz, "full"),
        zone=tz_abbreviation(tz),
    )
    if not rows:
        text = t("There are no start times left on that day. Please pick another day.")
    return text, inline([*rows, [(t("« Other day"), back)]])
