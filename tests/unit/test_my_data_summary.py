"""/mydata's summary stays a short, valid message however much is stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.member import ExportSummary
from bot.domain.topics import TOPICS
from bot.i18n import get_translator
from bot.ui.privacy import GROUPS_NAMED, my_data_summary

START = datetime(2026, 12, 3, 11, 30, tzinfo=UTC)


def a_full_life(groups: int) -> ExportSummary:
    """The longest values the bot accepts (24-character alias, 60-character group names), all
    topics, many seats and messages, with characters HTML would read."""
    names = tuple(f"{i:02d} <b>&amp; " + "x" * 48 for i in range(groups))
    return ExportSummary(
        alias="<i>&" + "a" * 20,
        language="id",
        province="papua",
        timezone="Asia/Jayapura",
        topics=TOPICS,
        member_since=START,
        groups=names,
        upcoming_seats=tuple((name, START + timedelta(days=7 * i)) for i, name in enumerate(names)),
        has_safety_plan=True,
        crisis_events=12345,
        crisis_alerts=678,
        messages_to_them=99999,
        messages_about_them=4321,
    )


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_summary_names_a_few_groups_and_fits_one_message(lang: str) -> None:
    t = get_translator(lang)
    text = my_data_summary(t, a_full_life(groups=200))

    assert len(text) <= 4096
    assert text.count("<b>") == 2  # the title and the alias; stored text is escaped
    assert "&lt;i&gt;&amp;" in text and "&lt;b&gt;&amp;amp;" in text
    assert "00 &lt;b&gt;" in text and f"{GROUPS_NAMED:02d} &lt;b&gt;" not in text
    assert str(200 - GROUPS_NAMED) in text
