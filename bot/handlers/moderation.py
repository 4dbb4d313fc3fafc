"""Moderation buttons and commands: a member reports a buddy message or pairing (the reason),
facilitators act on a report (confirm, then warn / end the pairing / pause / dismiss), /reports
lists the open ones, and coordinators read the audit log (/audit).

Buttons are untrusted: whether the presser may report or act is checked again at every press
(bot.services.moderation), and a press whose step has passed changes nothing (a toast; a
handled report's copy is re-rendered as handled, without buttons).
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.context import RangkulContext, Session
from bot.domain.moderation import ActOutcome, Report, ReportAbout, ReportOutcome
from bot.narrowing import query_of
from bot.services import moderation as service
from bot.telegram_glue.chat import follow_up, show
from bot.ui import moderation as views
from bot.ui.callbacks import on_button
from bot.ui.groups import coordinators_only_text
from bot.ui.menu import join_first_text
from bot.ui.moderation import (
    AuditPage,
    ChooseModeration,
    ChooseReportReason,
    ConfirmModeration,
    DropReport,
    ShowReport,
)
from bot.ui.reports import ReportBuddyMessage, ReportPairing

MAX_LISTED_REPORTS = 10  # /reports: the oldest first; acting on them brings up the next

# --- the reporter ------------------------------------------------------------------------------


async def report_message(
    update: Update, context: RangkulContext, action: ReportBuddyMessage
) -> None:
    await _ask_reason(update, context, ReportAbout.MESSAGE, action.message_id)


async def report_pairing(update: Update, context: RangkulContext, action: ReportPairing) -> None:
    await _ask_reason(update, context, ReportAbout.PAIRING, action.pairing_id)


async def _ask_reason(
    update: Update, context: RangkulContext, about: ReportAbout, target_id: int
) -> None:
    """ "Report": the reasons, in a new message (the relayed message stays as it is)."""
    session = await context.session(update)
    member = session.member
    if member is None or not await service.may_report(
        context.services.moderation, member, about, target_id
    ):
        await query_of(update).answer(views.cannot_report_text(session.t), show_alert=True)
        return
    await show(update, *views.reason_choice_view(session.t, about, target_id), edit=False)


async def choose_reason(
    update: Update, context: RangkulContext, action: ChooseReportReason
) -> None:
    """A reason chosen: the report is filed (once) and goes to the facilitators."""
    session = await context.session(update)
    t, member = session.t, session.member
    if member is None:
        await query_of(update).answer(join_first_text(t), show_alert=True)
        return
    s = context.services
    report = (
        service.report_message if action.about is ReportAbout.MESSAGE else service.report_pairing
    )
    coordinators = await s.roles.coordinator_ids(s.settings.admin_ids)
    outcome = await report(
        s.moderation,
        s.roles,
        s.outbox,
        s.clock,
        coordinators,
        member,
        action.target_id,
        action.reason,
    )
    if outcome is ReportOutcome.SENT:
        await show(update, views.report_sent_text(t))
    elif outcome is ReportOutcome.ALREADY:
        await query_of(update).answer(views.already_reported_text(t))
        await _edit_pressed(update, views.already_reported_text(t))
    else:
        await query_of(update).answer(views.cannot_report_text(t), show_alert=True)


async def drop_report(update: Update, context: RangkulContext, _: DropReport) -> None:
    session = await context.session(update)
    await show(update, views.report_dropped_text(session.t))


# --- the facilitators --------------------------------------------------------------------------


async def choose_action(update: Update, context: RangkulContext, action: ChooseModeration) -> None:
    """An action under a report: asks to confirm it, if the presser may still act."""
    report = await _report_to_act_on(update, context, action.report_id)
    if report is not None:
        session = await context.session(update)
        await show(update, *views.confirm_view(session.t, report, action.action))


async def show_report(update: Update, context: RangkulContext, action: ShowReport) -> None:
    """Back from a confirmation: the report with its actions."""
    report = await _report_to_act_on(update, context, action.report_id)
    if report is not None:
        session = await context.session(update)
        await show(update, *views.report_view(session.t, report, _tz(context, session)))


async def confirm_action(
    update: Update, context: RangkulContext, action: ConfirmModeration
) -> None:
    """Confirmed: the first action on the report wins; a later one is refused with a toast."""
    session = await context.session(update)
    t, s = session.t, context.services
    outcome, report = await service.act(
        s.moderation,
        s.roles,
        s.outbox,
        s.clock,
        session.member,
        session.is_coordinator,
        action.report_id,
        action.action,
    )
    query = query_of(update)
    if outcome is ActOutcome.DONE and report is not None:
        await query.answer(views.done_toast(t))
        await _edit_pressed(update, views.report_view(t, report, _tz(context, session))[0])
    elif outcome is ActOutcome.PAIRING_OVER and report is not None:
        await query.answer(views.pairing_over_text(t), show_alert=True)
        await _edit_pressed(update, *views.report_view(t, report, _tz(context, session)))
    else:
        await _refused(update, context, outcome, report)


async def _report_to_act_on(
    update: Update, context: RangkulContext, report_id: int
) -> Report | None:
    session = await context.session(update)
    refused, report = await service.report_to_act_on(
        context.services.moderation,
        context.services.roles,
        session.member,
        session.is_coordinator,
        report_id,
    )
    if refused is None:
        return report
    await _refused(update, context, refused, report)
    return None


async def _refused(
    update: Update, context: RangkulContext, outcome: ActOutcome, report: Report | None
) -> None:
    """Why a press did nothing, as a toast; a handled report's copy shows who handled it."""
    session = await context.session(update)
    t, query = session.t, query_of(update)
    if outcome is ActOutcome.ALREADY and report is not None:
        await query.answer(views.already_handled_toast(t, report), show_alert=True)
        await _edit_pressed(update, views.report_view(t, report, _tz(context, session))[0])
    elif outcome is ActOutcome.GONE:
        await query.answer(views.report_gone_text(t), show_alert=True)
    else:
        await query.answer(views.not_moderator_text(t), show_alert=True)


async def _edit_pressed(
    update: Update, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """The pressed message re-rendered (after the toast), unless it has no buttons left: then
    an earlier press already settled it (a double tap on a copy that lost its buttons)."""
    pressed = query_of(update).message
    if not isinstance(pressed, Message) or pressed.reply_markup is None:
        return
    try:
        await query_of(update).edit_message_text(text, reply_markup=markup)
    except BadRequest as error:
        if "message is not modified" not in error.message.lower():
            raise


async def reports_command(update: Update, context: RangkulContext) -> None:
    """/reports: the open reports the person may act on, each with its actions."""
    session = await context.session(update)
    t = session.t
    if session.member is None or not (session.is_facilitator or session.is_coordinator):
        await follow_up(update, views.not_moderator_text(t))
        return
    found = await service.open_reports(
        context.services.moderation,
        session.member,
        session.facilitated_groups,
        session.is_coordinator,
    )
    await follow_up(update, views.open_reports_text(t, len(found)))
    for report in found[:MAX_LISTED_REPORTS]:
        await follow_up(update, *views.report_view(t, report, _tz(context, session)))


# --- /audit ------------------------------------------------------------------------------------


async def audit(update: Update, context: RangkulContext, action: AuditPage | None = None) -> None:
    """/audit (coordinators): the moderation log, newest first, paged."""
    session = await context.session(update)
    if not session.is_coordinator:
        if update.callback_query is not None:
            await query_of(update).answer(coordinators_only_text(session.t), show_alert=True)
        else:
            await follow_up(update, coordinators_only_text(session.t))
        return
    page_index = action.page if action is not None else 0
    entries, has_prev, has_next = await service.audit_page(context.services.moderation, page_index)
    view = views.audit_view(
        session.t, entries, page_index, has_prev, has_next, _tz(context, session)
    )
    await show(update, *view, edit=action is not None)


def _tz(context: RangkulContext, session: Session) -> str:
    return session.member.timezone if session.member else context.services.settings.timezone


def handlers() -> list[BaseHandler]:
    """The commands and buttons of this module, for the composition root (group FEATURES)."""
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("audit", audit, filters=private),
        CommandHandler("reports", reports_command, filters=private),
        on_button(ReportBuddyMessage, report_message),
        on_button(ReportPairing, report_pairing),
        on_button(ChooseReportReason, choose_reason),
        on_button(DropReport, drop_report),
        on_button(ChooseModeration, choose_action),
        on_button(ShowReport, show_report),
        on_button(ConfirmModeration, confirm_action),
        on_button(AuditPage, audit),
    ]
