"""Commands and buttons about meetings (their actions are in bot/ui/meetings.py): /meetings,
/trial, /mymeetings, /attendance, and the buttons in reminders and notices.

Buttons are untrusted: every facilitator action passes the groups the presser facilitates
*now* to the service, which refuses any other group's meeting; every id is looked up again.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, PollAnswerHandler

from bot.context import RangkulContext, Session
from bot.domain.groups import Group
from bot.domain.meetings import Meeting, local_start, picker_dates, picker_times, seats_left
from bot.domain.recurrence import Recurrence
from bot.services import meetings as service
from bot.services.meetings import Outcome
from bot.storage.meetings import MeetingOverview
from bot.telegram_glue.chat import follow_up, show
from bot.ui import meetings as views
from bot.ui.callbacks import on_button
from bot.ui.groups import TrySession
from bot.ui.meeting_picker import (
    EVENING_PAGE,
    TIMES_PER_PAGE,
    date_view,
    day_code,
    parse_day,
    parse_time,
    time_buttons,
    time_code,
    time_view,
    when_in_group,
)
from bot.ui.meetings import (
    AskCancel,
    AskCancelSeries,
    AttendancePage,
    CancelTrial,
    ConfirmCancel,
    ConfirmCancelSeries,
    ConfirmMove,
    ConfirmTrial,
    FacilitatedMeetings,
    MoveDay,
    MoveMeeting,
    MoveTime,
    MoveTimesPage,
    MyMeetings,
    OpenMeeting,
    PickTrial,
    Reply,
    Rsvp,
    SaveAttendance,
    ToggleAttendance,
    TrialFollowup,
    TrialGroups,
)
from bot.ui.menu import expired_button_text, join_first_text

ATTENDANCE_LOOKBACK = timedelta(days=14)


async def _refuse(update: Update, session: Session, text: str | None = None) -> None:
    query = update.callback_query
    message = text or views.refused_text(session.t)
    if query is not None:
        await query.answer(message[:200], show_alert=True)
    else:
        await show(update, message)


# --- facilitators: /meetings --------------------------------------------------------------------


async def meetings_command(
    update: Update, context: RangkulContext, _: FacilitatedMeetings | None = None
) -> None:
    """/meetings (and the « All meetings button): coming meetings of the groups they run."""
    session = await context.session(update)
    if not session.facilitated_groups:
        await show(update, views.not_facilitator_text(session.t), edit=False)
        return
    now = context.services.clock.now()
    items = []
    for overview in await context.services.meetings.upcoming(session.facilitated_groups, now):
        group = await context.services.groups.active(overview.meeting.group_id)
        if group is not None:
            items.append((overview.meeting, overview.counts, group))
    await show(
        update,
        *views.meetings_list_view(session.t, items, session.member.timezone),
        edit=update.callback_query is not None,
    )


async def _facilitated(
    update: Update, context: RangkulContext, meeting_id: int, *, cancelled_ok: bool = False
) -> tuple[Session, Meeting, Group] | None:
    """The meeting if the presser facilitates its group right now; else a refusal.

    Attendance may still be marked for a meeting that was cancelled afterwards.
    """
    session = await context.session(update)
    meeting = await context.services.meetings.get(meeting_id)
    if meeting is None or meeting.group_id not in session.facilitated_groups:
        await _refuse(update, session)
        return None
    group = await context.services.groups.get(meeting.group_id)
    if group is None or (meeting.is_cancelled and not cancelled_ok):
        await _refuse(update, session, views.gone_text(session.t))
        return None
    return session, meeting, group


async def open_meeting(update: Update, context: RangkulContext, action: OpenMeeting) -> None:
    found = await _facilitated(update, context, action.meeting_id)
    if found is None:
        return
    session, meeting, group = found
    overview = await context.services.meetings.overview(meeting.id)
    series = await context.services.meetings.series(meeting.series_id)
    repeating = series is not None and series.recurrence != Recurrence.ONCE
    await show(
        update,
        *views.meeting_detail_view(
            session.t, meeting, overview.counts, group, session.member.timezone, repeating=repeating
        ),
    )


async def ask_cancel(update: Update, context: RangkulContext, action: AskCancel) -> None:
    await _ask_cancel(update, context, action.meeting_id, series=False)


async def ask_cancel_series(
    update: Update, context: RangkulContext, action: AskCancelSeries
) -> None:
    await _ask_cancel(update, context, action.meeting_id, series=True)


async def _ask_cancel(
    update: Update, context: RangkulContext, meeting_id: int, *, series: bool
) -> None:
    found = await _facilitated(update, context, meeting_id)
    if found is not None:
        session, meeting, group = found
        view = views.confirm_cancel_view(
            session.t, meeting, group, session.member.timezone, series=series
        )
        await show(update, *view)


async def confirm_cancel(update: Update, context: RangkulContext, action: ConfirmCancel) -> None:
    await _cancel(update, context, service.cancel_occurrence, action.meeting_id)


async def confirm_cancel_series(
    update: Update, context: RangkulContext, action: ConfirmCancelSeries
) -> None:
    await _cancel(update, context, service.cancel_series, action.meeting_id)


async def _cancel(update: Update, context: RangkulContext, cancel, meeting_id: int) -> None:
    session = await context.session(update)
    outcome = await cancel(context.services, session.facilitated_groups, meeting_id)
    if outcome is Outcome.REFUSED:
        await _refuse(update, session)
        return
    if outcome is Outcome.GONE:
        await _refuse(update, session, views.gone_text(session.t))
        return
    await show(update, session.t("Cancelled. Everyone expected will be told."))


async def move_days(update: Update, context: RangkulContext, action: MoveMeeting) -> None:
    """Moving a meeting, step 1: the day (in the group's timezone)."""
    found = await _facilitated(update, context, action.meeting_id)
    if found is None:
        return
    session, meeting, group = found
    t, tz = session.t, group.timezone
    heading = t(
        "Move the meeting of <b>{group}</b> on {when}.",
        group=group.name,
        when=when_in_group(t, meeting.starts_at, tz, session.member.timezone),
    )
    days = picker_dates(context.services.clock.now(), tz)
    back = [[(t("« Back"), OpenMeeting(meeting.id))]]
    await show(
        update,
        *date_view(
            t,
            heading,
            days,
            tz,
            lambda d: MoveDay(meeting.id, day_code(d)),
            back,
            typed_hint=False,
        ),
    )


async def move_day(update: Update, context: RangkulContext, action: MoveDay) -> None:
    """Step 2: the times on that day."""
    await _move_times(update, context, action.meeting_id, action.day, EVENING_PAGE)


async def move_times_page(update: Update, context: RangkulContext, action: MoveTimesPage) -> None:
    await _move_times(update, context, action.meeting_id, action.day, action.page)


async def _move_times(
    update: Update, context: RangkulContext, meeting_id: int, code: str, page_index: int
) -> None:
    found = await _facilitated(update, context, meeting_id)
    if found is None:
        return
    session, meeting, group = found
    day = parse_day(code)
    if day is None:
        await _refuse(update, session, expired_button_text(session.t))
        return
    times = picker_times(day, group.timezone, context.services.clock.now())
    page_index = min(page_index, max(len(times) - 1, 0) // TIMES_PER_PAGE)
    rows = time_buttons(
        times,
        page_index,
        lambda at: MoveTime(meeting.id, day_code(day), time_code(at)),
        lambda p: MoveTimesPage(meeting.id, day_code(day), p),
    )
    await show(update, *time_view(session.t, day, group.timezone, rows, MoveMeeting(meeting.id)))


async def move_confirm(update: Update, context: RangkulContext, action: MoveTime) -> None:
    """Step 3: the new time shown back for confirmation."""
    found = await _facilitated(update, context, action.meeting_id)
    if found is None:
        return
    session, meeting, group = found
    day, at = parse_day(action.day), parse_time(action.time)
    if day is None or at is None:
        await _refuse(update, session, expired_button_text(session.t))
        return
    start = local_start(day, at, group.timezone).astimezone(UTC)
    view = views.confirm_move_view(session.t, meeting, group, start, session.member.timezone)
    await show(update, *view)


async def move_save(update: Update, context: RangkulContext, action: ConfirmMove) -> None:
    session = await context.session(update)
    try:
        start = datetime.strptime(action.start, views.MOVED_START).replace(tzinfo=UTC)
    except ValueError:
        await _refuse(update, session, expired_button_text(session.t))
        return
    outcome = await service.move_occurrence(
        context.services, session.facilitated_groups, action.meeting_id, start
    )
    if outcome is Outcome.REFUSED:
        await _refuse(update, session)
    elif outcome is Outcome.BAD_TIME:
        await _refuse(
            update,
            session,
            session.t("That time has already passed. Please choose a time in the future."),
        )
    elif outcome is Outcome.GONE:
        await _refuse(update, session, views.gone_text(session.t))
    else:
        await show(
            update,
            session.t(
                "Moved. Everyone expected will be told, and their reminders follow the new time."
            ),
        )


# --- trials ------------------------------------------------------------------------------------


async def trial_command(
    update: Update, context: RangkulContext, action: TrialGroups | None = None
) -> None:
    """/trial: groups that offer trial sessions (and their pages)."""
    session = await context.session(update)
    if session.member is None:
        await show(update, join_first_text(session.t), edit=False)
        return
    page_index = action.page if action is not None else 0
    groups = [
        g for g in await context.services.groups.browse() if g.offers_trials and g.trial_seats > 0
    ]
    await show(
        update,
        *views.trial_groups_view(session.t, groups, page_index),
        edit=update.callback_query is not None,
    )


async def trial_group(update: Update, context: RangkulContext, action: TrySession) -> None:
    """A group chosen (from /trial or its card): its coming meetings."""
    session = await context.session(update)
    if session.member is None:
        await show(update, join_first_text(session.t), edit=False)
        return
    group = await context.services.groups.active(action.group_id)
    if group is None or not group.offers_trials:
        await _refuse(update, session, views.trial_refusal_text(session.t, "no_trials"))
        return
    now = context.services.clock.now()
    meetings = [
        (o.meeting, _trial_seats_left(o, group))
        for o in await context.services.meetings.upcoming([group.id], now, limit=6)
        if o.meeting.starts_at > now
    ]
    await show(
        update,
        *views.trial_meetings_view(session.t, group, meetings, session.member.timezone),
        edit=False,
    )


async def trial_pick(update: Update, context: RangkulContext, action: PickTrial) -> None:
    """A meeting chosen: what to expect, and confirm."""
    session = await context.session(update)
    overview = await context.services.meetings.overview(action.meeting_id)
    now = context.services.clock.now()
    if (
        session.member is None
        or overview is None
        or overview.meeting.is_cancelled
        or overview.meeting.starts_at <= now
    ):
        await _refuse(update, session, views.gone_text(session.t))
        return
    group = await context.services.groups.active(overview.meeting.group_id)
    if group is None:
        await _refuse(update, session, views.gone_text(session.t))
        return
    waitlist = _trial_seats_left(overview, group) == 0
    await show(
        update,
        *views.trial_confirm_view(
            session.t, group, overview.meeting, session.member.timezone, waitlist=waitlist
        ),
    )


def _trial_seats_left(overview: MeetingOverview, group: Group) -> int:
    return seats_left(overview.counts, overview.meeting.capacity, group.trial_seats)[1]


async def trial_confirm(update: Update, context: RangkulContext, action: ConfirmTrial) -> None:
    session = await context.session(update)
    if session.member is None:
        await _refuse(update, session, join_first_text(session.t))
        return
    meeting_id = action.meeting_id
    outcome = await service.sign_up_for_trial(context.services, session.member, meeting_id)
    meeting = await context.services.meetings.get(meeting_id)
    group = await context.services.groups.active(meeting.group_id) if meeting else None
    t = session.t
    if outcome is Outcome.GOING and meeting and group:
        await show(update, views.trial_signed_up_text(t, group, meeting, session.member.timezone))
    elif outcome is Outcome.WAITLIST and group:
        await show(update, views.trial_waitlist_text(t, group))
    else:
        await show(update, views.trial_refusal_text(t, outcome.value))


async def trial_cancel(update: Update, context: RangkulContext, action: CancelTrial) -> None:
    session = await context.session(update)
    if session.member is None:
        await _refuse(update, session, join_first_text(session.t))
        return
    outcome = await service.cancel_trial(context.services, session.member, action.meeting_id)
    if outcome is Outcome.DONE:
        await show(
            update,
            session.t("Your trial seat is cancelled. You're welcome to try another time."),
            edit=False,
        )
    else:
        await _refuse(update, session, views.gone_text(session.t))


# --- members -----------------------------------------------------------------------------------


async def my_meetings(update: Update, context: RangkulContext, _: MyMeetings | None = None) -> None:
    """/mymeetings: their coming meetings, seats and RSVP buttons, in their timezone."""
    session = await context.session(update)
    if session.member is None:
        await show(update, join_first_text(session.t), edit=False)
        return
    member = session.member
    items = []
    for meeting, seat in await context.services.meetings.agenda(
        member.id, context.services.clock.now()
    ):
        group = await context.services.groups.active(meeting.group_id)
        if group is not None:
            items.append((meeting, seat, group))
    await show(update, *views.my_meetings_view(session.t, items, member.timezone), edit=False)


async def answer_rsvp(update: Update, context: RangkulContext, action: Rsvp) -> None:
    session = await context.session(update)
    if session.member is None:
        await _refuse(update, session, expired_button_text(session.t))
        return
    going = action.reply is Reply.YES
    outcome = await service.rsvp(context.services, session.member, action.meeting_id, going)
    await update.callback_query.answer()
    await follow_up(update, views.rsvp_answer_text(session.t, outcome.value))


async def answer_followup(update: Update, context: RangkulContext, action: TrialFollowup) -> None:
    """The after-trial question: yes joins (or points to the card when full), no is respected."""
    session = await context.session(update)
    if session.member is None:
        await _refuse(update, session, expired_button_text(session.t))
        return
    group_id = action.group_id
    outcome = await service.answer_trial_followup(
        context.services, session.member, group_id, action.reply is Reply.YES
    )
    if outcome is Outcome.REFUSED:
        await _refuse(update, session, expired_button_text(session.t))
        return
    group = await context.services.groups.get(group_id)
    await show(update, *views.followup_answer_view(session.t, outcome.value, group))


# --- attendance --------------------------------------------------------------------------------


async def attendance_command(update: Update, context: RangkulContext) -> None:
    """/attendance: recent meetings of their groups."""
    session = await context.session(update)
    if not session.facilitated_groups:
        await show(update, views.not_facilitator_text(session.t), edit=False)
        return
    now = context.services.clock.now()
    items = []
    for meeting in await context.services.meetings.recent(
        session.facilitated_groups, now, now - ATTENDANCE_LOOKBACK
    ):
        group = await context.services.groups.active(meeting.group_id)
        if group is not None:
            items.append((meeting, group))
    view = views.attendance_meetings_view(session.t, items, session.member.timezone)
    await show(update, *view, edit=False)


async def attendance_page(update: Update, context: RangkulContext, action: AttendancePage) -> None:
    await _attendance(update, context, action.meeting_id, action.page)


async def attendance_toggle(
    update: Update, context: RangkulContext, action: ToggleAttendance
) -> None:
    session = await context.session(update)
    outcome = await service.toggle_attendance(
        context.services, session.facilitated_groups, action.meeting_id, action.member_id
    )
    if outcome is not Outcome.DONE:
        await _refuse(update, session)
        return
    await _attendance(update, context, action.meeting_id, action.page)


async def attendance_save(update: Update, context: RangkulContext, action: SaveAttendance) -> None:
    found = await _facilitated(update, context, action.meeting_id, cancelled_ok=True)
    if found is None:
        return
    session, meeting, _ = found
    present = await context.services.meetings.attended(meeting.id)
    await show(update, views.attendance_saved_text(session.t, len(present)))


async def _attendance(
    update: Update, context: RangkulContext, meeting_id: int, page_index: int
) -> None:
    found = await _facilitated(update, context, meeting_id, cancelled_ok=True)
    if found is None:
        return
    session, meeting, group = found
    people = await context.services.meetings.attendance_candidates(meeting.id)
    present = await context.services.meetings.attended(meeting.id)
    view = views.attendance_view(
        session.t, meeting, group, session.member.timezone, people, present, page_index
    )
    await show(update, *view)


async def record_answer(update: Update, context: RangkulContext) -> None:
    """A member voted (or took the vote back) in a time poll."""
    answer = update.poll_answer
    # No user: an answer on behalf of a channel, who no poll was sent to.
    if answer is None or answer.user is None:
        return
    voter = await context.services.members.by_telegram_id(answer.user.id)
    if voter is not None:
        await context.services.time_polls.record_answer(answer.poll_id, voter.id, answer.option_ids)


def handlers() -> list[BaseHandler]:
    """Commands, the ``mt`` buttons and poll answers, for bot.app to register."""
    commands = [
        CommandHandler(name, callback)
        for name, callback in (
            ("meetings", meetings_command),
            ("trial", trial_command),
            ("mymeetings", my_meetings),
            ("attendance", attendance_command),
        )
    ]
    return [
        *commands,
        on_button(FacilitatedMeetings, meetings_command),
        on_button(MyMeetings, my_meetings),
        on_button(OpenMeeting, open_meeting),
        on_button(AskCancel, ask_cancel),
        on_button(ConfirmCancel, confirm_cancel),
        on_button(AskCancelSeries, ask_cancel_series),
        on_button(ConfirmCancelSeries, confirm_cancel_series),
        on_button(MoveMeeting, move_days),
        on_button(MoveDay, move_day),
        on_button(MoveTimesPage, move_times_page),
        on_button(MoveTime, move_confirm),
        on_button(ConfirmMove, move_save),
        on_button(TrialGroups, trial_command),
        on_button(TrySession, trial_group),
        on_button(PickTrial, trial_pick),
        on_button(ConfirmTrial, trial_confirm),
        on_button(CancelTrial, trial_cancel),
        on_button(Rsvp, answer_rsvp),
        on_button(TrialFollowup, answer_followup),
        on_button(AttendancePage, attendance_page),
        on_button(ToggleAttendance, attendance_toggle),
        on_button(SaveAttendance, attendance_save),
        PollAnswerHandler(record_answer),
    ]
