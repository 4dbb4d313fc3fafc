"""Times as each language writes them: Indonesian "19.30", never "19:30" (issue 13)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from bot.domain.safety import CrisisAlert
from bot.i18n import get_translator
from bot.ui.crisis import alert_view
from bot.ui.meeting_forms import PollTime, PollTimesPage
from bot.ui.meeting_picker import time_buttons, typed_example


def test_the_24_hour_clock_uses_each_languages_separator() -> None:
    assert get_translator("id").format_clock(time(19, 30)) == "19.30"
    assert get_translator("en").format_clock(time(19, 30)) == "19:30"
    evening = datetime(2026, 12, 1, 15, 46, tzinfo=UTC)
    assert get_translator("id").format_clock(evening, "Asia/Jakarta") == "22.46"


def test_picker_buttons_and_the_typed_example_in_indonesian() -> None:
    t = get_translator("id")
    rows = time_buttons(
        t, [time(18, 0), time(18, 15)], 0, lambda at: PollTime(f"{at:%H%M}"), PollTimesPage
    )
    assert [label for label, _ in rows[0]] == ["18.00", "18.15"]
    assert typed_example(t, [date(2026, 12, 1), date(2026, 12, 2)]) == "2026-12-02 19.30"


def test_a_crisis_alert_says_when_in_the_facilitators_language() -> None:
    alert = CrisisAlert(
        id=1,
        member_id=2,
        alias="Bunga",
        group_id=3,
        created_at=datetime(2026, 12, 1, 15, 46, tzinfo=UTC),
        acknowledged_at=None,
        acknowledged_by_alias=None,
        escalated_at=None,
    )
    text, _ = alert_view(get_translator("id"), alert, "Asia/Jakarta", escalation=False)
    assert "1 Des, 22.46 WIB" in text and "22:46" not in text
