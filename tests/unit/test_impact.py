"""Impact aggregates and k-anonymity: every figure is shown from 5 people and suppressed from 4
("fewer than 5", no chart point), in the report text and the CSV export."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.impact import (
    FIGURES,
    K_MIN,
    Impact,
    Membership,
    Period,
    Presence,
    Rating,
    ScopeData,
    ScopeImpact,
    TrialSignup,
    WeeksAnswered,
    Who5Pair,
    impact,
    k_anonymous,
    referrals,
    who5_bars,
)
from bot.i18n import get_translator
from bot.ui.impact import export_csv, report_messages

START = datetime(2026, 11, 1, tzinfo=UTC)
NOW = START + timedelta(days=14)  # two weeks of membership
LATEST = (52, 52, 48, 60, 30)  # after a baseline of 40: three improved by 10 or more
RATINGS = (4, 5, 3, 4, 4)


def scope_of(n: int) -> ScopeData:
    """n people, each feeding every figure: joined, trial and join, two meetings (present at
    one), a baseline and a later WHO-5 (both weeks answered), a rating."""
    people = range(1, n + 1)
    return ScopeData(
        memberships=[Membership(p, START) for p in people],
        trials=[TrialSignup(1, p, joined=True) for p in people],
        presences=[Presence(m, p, present=m == 1) for p in people for m in (1, 2)],
        who5=[Who5Pair(p, 40, LATEST[(p - 1) % 5], START + timedelta(days=8)) for p in people],
        answered=[WeeksAnswered(p, START, 2) for p in people],
        ratings=[Rating(p, RATINGS[(p - 1) % 5]) for p in people],
    )


def test_from_five_people_every_figure_is_shown_with_its_value() -> None:
    figures = impact(scope_of(5), None, NOW)

    values = {name: getattr(figures, name).value for name in FIGURES}
    assert values == {
        "members": 5,
        "new_members": 5,
        "trial_signups": 5,
        "trial_joins": 5,
        "conversion": 1.0,
        "attendance_rate": 0.5,
        "checkin_rate": 1.0,  # both weeks answered
        "who5_people": 5,
        "who5_baseline": 40.0,
        "who5_latest": 52.0,
        "who5_improved": 3,
        "mean_rating": 4.0,
    }


def test_from_four_people_no_figure_is_shown() -> None:
    figures = impact(scope_of(4), None, NOW)

    assert {name: getattr(figures, name).shown for name in FIGURES} == dict.fromkeys(FIGURES, False)
    assert not figures.anything_shown


@pytest.mark.parametrize("people", [K_MIN - 1, K_MIN])
def test_each_figure_alone_follows_its_own_people(people: int) -> None:
    """Each source of rows on its own, with ``people`` people and everyone else absent."""
    full = scope_of(people)
    shown = people >= K_MIN
    only_members = impact(ScopeData(memberships=full.memberships), None, NOW)
    assert only_members.members.shown is only_members.new_members.shown is shown
    assert only_members.checkin_rate.shown is shown  # no check-ins: 0 % of 5, or nothing
    trials = impact(ScopeData(trials=full.trials), None, NOW)
    assert trials.trial_signups.shown is trials.conversion.shown is shown
    assert impact(ScopeData(presences=full.presences), None, NOW).attendance_rate.shown is shown
    assert impact(ScopeData(ratings=full.ratings), None, NOW).mean_rating.shown is shown
    who5 = impact(ScopeData(memberships=full.memberships, who5=full.who5), None, NOW)
    for name in ("who5_people", "who5_baseline", "who5_latest", "who5_improved"):
        assert getattr(who5, name).shown is shown, name


def test_a_rate_follows_its_base_and_a_count_its_own_people() -> None:
    """Five sign-ups of whom two joined: the conversion (from five people) shows, the count
    of two joins does not."""
    trials = [TrialSignup(1, p, joined=p <= 2) for p in range(1, 6)]
    figures = impact(ScopeData(trials=trials), None, NOW)

    assert figures.conversion.value == pytest.approx(0.4)
    assert figures.trial_signups.value == 5 and not figures.trial_joins.shown


def test_the_period_counts_new_members_and_latest_scores_within_it() -> None:
    data = scope_of(5)
    late = NOW - timedelta(days=2)
    joined = [Membership(p, START if p <= 2 else late) for p in range(1, 6)]
    figures = impact(ScopeData(memberships=joined, who5=data.who5), late, NOW)

    assert figures.members.value == 5 and not figures.new_members.shown  # 3 new
    # Every latest score is before the period: no "latest in the period" for anyone.
    assert not figures.who5_people.shown


def test_weeks_answered_count_from_the_scopes_own_begin() -> None:
    """Storage counts a member's weeks from each begin a scope may give them (each group they
    joined); a scope takes those from its own begin only."""
    data = scope_of(5)
    elsewhere = [WeeksAnswered(p, START - timedelta(days=30), 6) for p in range(1, 6)]
    answered = [*elsewhere, *(WeeksAnswered(p, START, 1) for p in range(1, 6))]
    figures = impact(ScopeData(memberships=data.memberships, answered=answered), None, NOW)
    assert figures.checkin_rate.value == 0.5 and not figures.who5_people.shown


def test_referral_sources_under_five_are_suppressed() -> None:
    assert referrals([("radio", 4), ("clinic", 5)]) == [
        ("clinic", k_anonymous(5, 5)),
        ("radio", k_anonymous(None, 0)),
    ]


def test_the_chart_draws_no_point_from_a_suppressed_scope() -> None:
    scopes = [
        ScopeImpact(None, impact(scope_of(10), None, NOW)),
        ScopeImpact("Empat", impact(scope_of(4), None, NOW)),
        ScopeImpact("Lima", impact(scope_of(5), None, NOW)),
    ]
    assert who5_bars(scopes) == [(None, 40.0, 52.0), ("Lima", 40.0, 52.0)]


def test_the_report_and_the_export_say_fewer_than_5_for_a_group_of_four() -> None:
    t = get_translator("en")
    scopes = [ScopeImpact("Empat", impact(scope_of(4), None, NOW))]

    [text] = report_messages(t, Period.ALL, scopes)
    assert text.count("fewer than 5") >= 6 and "40" not in text
    rows = list(
        csv.DictReader(io.StringIO(export_csv(t, [(Period.ALL, scopes)]).decode("utf-8-sig")))
    )
    assert [row["figure"] for row in rows] == list(FIGURES)
    assert {row["value"] for row in rows} == {"fewer than 5"}
    assert {row["group"] for row in rows} == {"Empat"}


def test_periods_start_four_and_thirteen_weeks_back() -> None:
    assert Period.WEEKS_4.start(NOW) == NOW - timedelta(weeks=4)
    assert Period.MONTHS_3.start(NOW) == NOW - timedelta(weeks=13)
    assert Period.ALL.start(NOW) is None


def test_nothing_at_all_is_suppressed_not_zero() -> None:
    assert impact(ScopeData(), None, NOW) == Impact()
