"""The impact report's chart: median WHO-5 at the first and the latest check-in, per scope.

matplotlib is imported here, inside the function, and only its object API with the Agg
canvas is used (no pyplot global state): start-up stays fast and concurrent renders cannot
disturb each other. Rendering takes a moment of CPU, so callers run it off the event loop
(``asyncio.to_thread``). Only shown (k-anonymous) medians arrive here: a suppressed scope
draws no point (bot.domain.impact.who5_bars).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from babel.numbers import format_decimal

from bot.i18n import Translator

_WIDTH_IN = 8.0
_DPI = 100


def who5_chart_png(t: Translator, bars: Sequence[tuple[str | None, float, float]]) -> bytes:
    """A horizontal bar chart (one pair of bars per scope, the network named as such), as PNG
    bytes 800 px wide; its height grows with the number of scopes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    names = [t("Whole network") if name is None else name for name, _, _ in bars]
    height = max(3.0, 1.0 + 0.7 * len(bars))
    figure = Figure(figsize=(_WIDTH_IN, height), dpi=_DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    rows = list(range(len(bars)))
    first = [before for _, before, _ in bars]
    latest = [after for _, _, after in bars]
    # The y axis is inverted (first scope on top), so -0.2 puts the first check-in above.
    for offset, values, label, colour in (
        (-0.2, first, t("First check-in"), "#9fc5e8"),
        (0.2, latest, t("Latest check-in"), "#38761d"),
    ):
        drawn = axes.barh([r + offset for r in rows], values, height=0.4, label=label, color=colour)
        axes.bar_label(drawn, fmt=lambda v: format_decimal(v, "0.#", locale=t.locale), padding=3)
    axes.set_yticks(rows, labels=names)
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel(t("WHO-5 score, median (0-100)"))
    axes.set_title(t("WHO-5 well-being: first and latest check-in"))
    figure.legend(loc="outside lower center", ncols=2)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
