"""Impact reports as text, and the coordinators' CSV export: k-anonymous figures only, and
"fewer than 5" wherever a figure came from fewer people (bot.domain.impact)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from babel.numbers import format_decimal, format_percent
from telegram import InlineKeyboardMarkup

from bot.domain.impact import FIGURES, K_MIN, Figure, Impact, Period, ScopeImpact
from bot.i18n import N_, Html, Translator
from bot.ui.callbacks import CallbackData
from bot.ui.keyboards import inline
from bot.ui.view import View

# Room for the longest group name and its figures: sections are packed into messages below
# Telegram's 4096 (measured on the HTML, which is never shorter than what Telegram counts).
MESSAGE_BUDGET = 3800


@dataclass(frozen=True)
class ImpactPeriod(CallbackData, prefix="im:period"):
    period: Period


PERIOD_LABELS: dict[Period, str] = {
    Period.WEEKS_4: N_("Last 4 weeks"),
    Period.MONTHS_3: N_("Last 3 months"),
    Period.ALL: N_("All time"),
}


def fewer_than(t: Translator) -> Html:
    return t("fewer than {k}", k=K_MIN)


def not_staff_text(t: Translator) -> Html:
    return t("Impact reports are for facilitators and coordinators.")


def not_coordinator_text(t: Translator) -> Html:
    return t("The export is for coordinators.")


def period_view(t: Translator) -> View:
    text = t(
        "📊 <b>Impact report</b>\n\nWhich period would you like to see? Every figure comes "
        "from at least {k} people; anything from fewer shows as “{fewer}”.",
        k=K_MIN,
        fewer=fewer_than(t),
    )
    return text, period_buttons(t)


def period_buttons(t: Translator, shown: Period | None = None) -> InlineKeyboardMarkup:
    """The periods to choose; under a report, the others (its own is the report above, and a
    second tap on it would only send the same report again)."""
    return inline([[(t(PERIOD_LABELS[p]), ImpactPeriod(p)) for p in Period if p != shown]])


# --- figures ------------------------------------------------------------------------------------


def _count(t: Translator, figure: Figure) -> str:
    return fewer_than(t) if figure.value is None else format_decimal(figure.value, locale=t.locale)


def _percent(t: Translator, figure: Figure) -> str:
    if figure.value is None:
        return fewer_than(t)
    return format_percent(figure.value, locale=t.locale)


def _score(t: Translator, figure: Figure) -> str:
    if figure.value is None:
        return fewer_than(t)
    return format_decimal(figure.value, format="0.#", locale=t.locale)


def _who5_line(t: Translator, f: Impact) -> Html:
    """The WHO-5 figures share their people: all shown, or one "fewer than 5"."""
    if not f.who5_people.shown:
        return t("WHO-5 median (0-100), first → latest check-in: {fewer}", fewer=fewer_than(t))
    return t(
        "WHO-5 median (0-100), first → latest check-in: {baseline} → {latest}; improved by "
        "10 points or more: {improved} of {people}",
        baseline=_score(t, f.who5_baseline),
        latest=_score(t, f.who5_latest),
        improved=_count(t, f.who5_improved),
        people=_count(t, f.who5_people),
    )


def _section(t: Translator, scope: ScopeImpact) -> Html:
    f = scope.impact
    title = (
        t("🌐 <b>Whole network</b>")
        if scope.name is None
        else t("👥 <b>{group}</b>", group=scope.name)
    )
    lines = [
        title,
        t(
            "Members: {members} (new in the period: {new})",
            members=_count(t, f.members),
            new=_count(t, f.new_members),
        ),
        t(
            "Trial sign-ups → joined: {signups} → {joins} (conversion: {conversion})",
            signups=_count(t, f.trial_signups),
            joins=_count(t, f.trial_joins),
            conversion=_percent(t, f.conversion),
        ),
        t("Attendance rate: {rate}", rate=_percent(t, f.attendance_rate)),
        t("Check-in response rate: {rate}", rate=_percent(t, f.checkin_rate)),
        _who5_line(t, f),
        t("Mean meeting rating (1-5): {rating}", rating=_score(t, f.mean_rating)),
    ]
    if scope.referrals:
        sources = ", ".join(
            t("{source}: {count}", source=source, count=_count(t, count))
            for source, count in scope.referrals
        )
        lines.append(t("How people found Rangkul (all time): {sources}", sources=sources))
    return Html("\n".join(lines))


def report_messages(t: Translator, period: Period, scopes: Sequence[ScopeImpact]) -> list[Html]:
    """The report as messages: a heading, then one section per scope, packed into as few
    messages as fit (a section is never split)."""
    heading = t(
        "📊 <b>Impact report</b>: {period}\n<i>Anything from fewer than {k} people shows as "
        "“{fewer}”. Attendance counts meetings where attendance was taken; the check-in rate "
        "counts weeks with a completed WHO-5 of all weeks members were in the group.</i>",
        period=t(PERIOD_LABELS[period]),
        k=K_MIN,
        fewer=fewer_than(t),
    )
    if not scopes:
        return [Html(f"{heading}\n\n{t('You have no active groups yet.')}")]
    messages = [heading]
    for section in (_section(t, scope) for scope in scopes):
        if len(messages[-1]) + 2 + len(section) <= MESSAGE_BUDGET:
            messages[-1] = Html(f"{messages[-1]}\n\n{section}")
        else:
            messages.append(section)
    return messages


def no_chart_text(t: Translator) -> Html:
    return t(
        "No chart this time: the WHO-5 scores of every group here come from fewer than {k} people.",
        k=K_MIN,
    )


def chart_caption(t: Translator, period: Period) -> Html:
    return t(
        "WHO-5 well-being, median of first and latest scores ({period}). Groups with fewer than "
        "{k} people are not drawn.",
        period=t(PERIOD_LABELS[period]),
        k=K_MIN,
    )


# --- the export ---------------------------------------------------------------------------------

CSV_COLUMNS = ("scope", "group", "period", "figure", "value")
# Rounding in the file: counts whole, rates to 0.001, scores to 0.1, ratings to 0.01.
_DIGITS: dict[str, int] = {
    "conversion": 3,
    "attendance_rate": 3,
    "checkin_rate": 3,
    "who5_baseline": 1,
    "who5_latest": 1,
    "mean_rating": 2,
}


def _csv_value(t: Translator, name: str, figure: Figure) -> str:
    if figure.value is None:
        return str(fewer_than(t))
    digits = _DIGITS.get(name, 0)
    return f"{figure.value:.{digits}f}"


def export_csv(t: Translator, reports: Sequence[tuple[Period, Sequence[ScopeImpact]]]) -> bytes:
    """One row per figure, scope and period (long format: easy to filter and pivot); no
    per-person rows, no aliases, no Telegram ids. Referral sources are network-wide counts
    over all time, so they appear once, under the period "all"."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for period, scopes in reports:
        for scope in scopes:
            kind, group = ("network", "") if scope.name is None else ("group", scope.name)
            for name in FIGURES:
                figure = getattr(scope.impact, name)
                writer.writerow((kind, group, period.value, name, _csv_value(t, name, figure)))
            if period is Period.ALL:
                for source, count in scope.referrals:
                    value = _csv_value(t, "referral", count)
                    writer.writerow((kind, group, period.value, f"referral:{source}", value))
    # UTF-8 with a byte-order mark, so spreadsheet programs read group names correctly.
    return out.getvalue().encode("utf-8-sig")


def export_caption(t: Translator) -> Html:
    return t(
        "Impact figures of every group and the whole network, for each period. No person "
        "appears in it; figures from fewer than {k} people read “{fewer}”.",
        k=K_MIN,
        fewer=fewer_than(t),
    )
