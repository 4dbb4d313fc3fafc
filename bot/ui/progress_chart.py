"""/progress: the chart of WHO-5 scores and daily moods, its caption (a two-line summary that
screen readers read out), and the text shown instead when there is too little to draw.

matplotlib is imported inside :func:`render_chart` (start-up stays fast) and draws on its own
Figure with the Agg canvas, never pyplot's global state, so renders may run in threads
(``asyncio.to_thread``) side by side.
"""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

from babel.numbers import format_decimal

from bot.domain.moods import SCORES
from bot.domain.progress import ProgressSeries
from bot.i18n import N_, Translator
from bot.ui.keyboards import inline
from bot.ui.mood import StartMood
from bot.ui.view import View

# 1200 x 800 px: sharp on a phone, and Telegram keeps it at that size (its limit is 2560).
WIDTH_PX, HEIGHT_PX, DPI = 1200, 800, 100
# Large type: the picture is shown about 360 points wide on a phone.
TITLE_SIZE, LABEL_SIZE, TICK_SIZE = 26, 20, 17
WHO5_COLOUR, MOOD_COLOUR = "#2a7ab0", "#d9822b"

# The mood axis shows the words of the scale (without the emoji of its buttons, which the
# chart's font lacks).
MOOD_WORDS: dict[int, str] = {
    1: N_("Very low"),
    2: N_("Low"),
    3: N_("Okay"),
    4: N_("Good"),
    5: N_("Very good"),
}


def render_chart(t: Translator, series: ProgressSeries) -> bytes:
    """The chart as a PNG of WIDTH_PX x HEIGHT_PX: WHO-5 above, moods below, one date axis."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    who5_axes, mood_axes = figure.subplots(2, 1, sharex=True)
    figure.suptitle(t("My progress: the last 12 weeks"), fontsize=TITLE_SIZE, fontweight="bold")

    def x(day: date) -> int:
        return (day - series.first_day).days

    panels = (
        (who5_axes, series.who5, WHO5_COLOUR, (0, 100), t("Well-being\n(WHO-5, 0-100)")),
        (mood_axes, series.moods, MOOD_COLOUR, (0.6, 5.4), t("Mood")),
    )
    for axes, points, colour, limits, label in panels:
        axes.set_ylim(*limits)
        axes.set_ylabel(label, fontsize=LABEL_SIZE)
        axes.grid(True, alpha=0.3)
        axes.tick_params(labelsize=TICK_SIZE)
        if points:
            axes.plot(
                [x(p.day) for p in points],
                [p.value for p in points],
                color=colour,
                marker="o",
                markersize=10,
                linewidth=3,
            )
        else:
            axes.text(
                0.5,
                0.5,
                t("Nothing recorded yet"),
                transform=axes.transAxes,
                ha="center",
                va="center",
                fontsize=LABEL_SIZE,
                color="#777777",
            )
    who5_axes.set_yticks([0, 25, 50, 75, 100])
    mood_axes.set_yticks(list(SCORES), [t(MOOD_WORDS[score]) for score in SCORES])
    # A tick every second week, ending today, with the date in the person's language (the days
    # are already theirs: the series was cut in their timezone).
    last = x(series.last_day)
    ticks = list(range(last, -1, -14))[::-1]
    mood_axes.set_xlim(-1, last + 2)  # room for today's date under its tick
    mood_axes.set_xticks(
        ticks,
        [t.format_date(series.first_day + timedelta(days=tick), "UTC", "d MMM") for tick in ticks],
    )
    buffer = BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def progress_caption(t: Translator, series: ProgressSeries) -> str:
    """The chart's title and its two-line summary, for everyone and for screen readers."""
    return "\n".join(
        [t("<b>My progress: the last 12 weeks</b>"), who5_line(t, series), mood_line(t, series)]
    )


def who5_line(t: Translator, series: ProgressSeries) -> str:
    latest, change = series.latest_who5, series.who5_change
    if latest is None:
        return t("Well-being (WHO-5): no check-in in these 12 weeks yet (/checkin).")
    if change is None:
        return t("Well-being (WHO-5): {score} of 100.", score=latest)
    if change:
        return t(
            "Well-being (WHO-5): {score} of 100, {change} since the one before.",
            score=latest,
            change=format(change, "+d"),
        )
    return t("Well-being (WHO-5): {score} of 100, the same as the one before.", score=latest)


def mood_line(t: Translator, series: ProgressSeries) -> str:
    week, before = series.mood_this_week, series.mood_before
    if week is None and before is None:
        return t("Mood (1-5): none recorded in these 12 weeks (/mood).")
    if week is None:
        return t(
            "Mood (1-5): none recorded this week; {before} on average before.",
            before=_one_decimal(t, before),
        )
    if before is None:
        return t("Mood (1-5): {week} on average this week.", week=_one_decimal(t, week))
    return t(
        "Mood (1-5): {week} on average this week, {before} before.",
        week=_one_decimal(t, week),
        before=_one_decimal(t, before),
    )


def _one_decimal(t: Translator, value: float | None) -> str:
    return format_decimal(value or 0, "0.0", locale=t.locale)


def too_little_view(t: Translator) -> View:
    """Fewer than two points: a word about what the chart will show, and a way to add one."""
    text = t(
        "There isn't enough to draw yet. Your chart shows your moods (/mood) and weekly "
        "check-ins (/checkin) of the last 12 weeks, once there are at least two."
    )
    return text, inline([[(t("🙂 Record my mood"), StartMood())]])
