"""/impact (facilitators: their groups; coordinators: the network and every group) and
/export (coordinators: the same figures for every period, as CSV).

Roles are read again at every press of a period button: a facilitator sees only the groups
they facilitate at that moment, whatever an old or forged button says.
"""

from __future__ import annotations

import asyncio

from telegram import InputFile, Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.context import RangkulContext
from bot.domain.impact import who5_bars
from bot.narrowing import chat_of, query_of
from bot.services import impact as service
from bot.telegram_glue.chat import follow_up, show
from bot.telegram_glue.facilitated import facilitated_groups
from bot.ui import impact as views
from bot.ui.callbacks import on_button
from bot.ui.impact import ImpactPeriod
from bot.ui.impact_chart import who5_chart_png


async def impact_command(update: Update, context: RangkulContext) -> None:
    """/impact: which period."""
    session = await context.session(update)
    if not (session.is_coordinator or session.is_facilitator):
        await show(update, views.not_staff_text(session.t))
        return
    await show(update, *views.period_view(session.t))


async def impact_period(update: Update, context: RangkulContext, action: ImpactPeriod) -> None:
    """A period chosen: the report (text, then the chart)."""
    session = await context.session(update)
    t, s = session.t, context.services
    if session.is_coordinator:
        scopes = await service.network_report(s.impact, s.groups, s.clock, action.period)
    else:
        groups = await facilitated_groups(update, context)
        if not groups:
            await query_of(update).answer(views.not_staff_text(t), show_alert=True)
            return
        scopes = await service.group_reports(s.impact, s.clock, groups, action.period)
    first, *more = views.report_messages(t, action.period, scopes)
    await show(update, first, views.period_buttons(t, action.period))
    for text in more:
        await follow_up(update, text)
    bars = who5_bars(scopes)
    if not bars:
        await follow_up(update, views.no_chart_text(t))
        return
    png = await asyncio.to_thread(who5_chart_png, t, bars)
    await chat_of(update).send_photo(
        InputFile(png, filename="rangkul-impact.png"),
        caption=views.chart_caption(t, action.period),
    )


async def export_command(update: Update, context: RangkulContext) -> None:
    """/export: every group's and the network's figures for every period, as a CSV file."""
    session = await context.session(update)
    t, s = session.t, context.services
    if not session.is_coordinator:
        await show(update, views.not_coordinator_text(t))
        return
    data = views.export_csv(t, await service.export(s.impact, s.groups, s.clock))
    day = s.clock.now().date().isoformat()
    await chat_of(update).send_document(
        InputFile(data, filename=f"rangkul-impact-{day}.csv"), caption=views.export_caption(t)
    )


def handlers() -> list[BaseHandler]:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("impact", impact_command, filters=private),
        CommandHandler("export", export_command, filters=private),
        on_button(ImpactPeriod, impact_period),
    ]
