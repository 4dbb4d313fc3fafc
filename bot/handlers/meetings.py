"""Commands and buttons about meetings (their actions are in bot/ui/meetings.py): /meetings,
/trial, /mymeetings, /attendance, the buttons in reminders and notices, and time polls' votes,
counts and ending.

Buttons are untrusted: every facilitator action passes the groups the presser facilitates
*now* to the service, which refuses any other group's meeting; every id is looked up again.
"""

from __future__ import annotations

import logging
from datetime import UTC, timedelta

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import BaseHandler, CommandHandler, PollAnswerHandler, PollHandler

from bot.context import RangkulContext, Session
from bot.domain.groups import Group
from bot.domain.meetings import (
    Meeting,
    Outcome,
    SeatStatus,
    local_start,
    picker_dates,
    picker_times,
)
from bot.domain.recurrence import Recurrence
from bot.narrowing import query_of
from bot.services import groups as group_service
from bot.services import meetings as service
from bot.services import seats, time_polls
from bot.telegram_glue import wishes
from bot.telegram_glue.chat import follow_up, show
from bot.telegram_glue.checkin_offer import with_baseline_offer
from bot.telegram_glue.facilitated import may_use_group
from bot.ui import meeting_forms as poll_views
from bot.ui import meetings as views
from bot.ui.callbacks import on_button
from bot.ui.groups import TrySession
from bot.ui.guidelines import with_guidelines
from bot.ui.meeting_forms import EndPoll
from bot.ui.meeting_kinds import CalendarFile
from bot.ui.meeting_picker import (
    EVENING_PAGE,
    TIMES_PER_PAGE,
    date_view,
    day_code,
    parse_day,
    parse_start_code,
    parse_time,
    time_buttons,
    time_code,
    time_view,
    when_in_group,
)
from bot.ui.meetings import (
    AgendaRsvp,
    AskCancel,
    AskCancelSeries,
    AttendancePage,
    CancelTrial,
    ConfirmCancel,
    ConfirmCancelSeries,
    ConfirmMove,
    ConfirmTrial,
    FacilitatedMeetings,
    MeetingsPage,
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
from bot.ui.onboarding import Wish, sign_up_for_view

ATTENDANCE_LOOKBACK = timedelta(days=14)

log = logging.getLogger(__name__)


def _own_timezone(session: Session) -> str:
    """The facilitator's own timezone, for times shown to them. Only members facilitate
    groups, so callers that established a facilitator (``facilitated_groups`` non-empty, or a
    meeting from ``_facilitated``) always have a member."""
    assert session.member is not None
    return session.member.timezone


async def _refuse(update: Update, session: Session, text: str | None = None) -> None:
    query = update.callback_query
    message = text or views.refused_text(session.t)
    if query is not None:
        await query.answer(message[:200], show_alert=True)
    else:
        await show(update, message)


# --- facilitators: /meetings --------------------------------------------------------------------


async def meetings_command(
    update: Update,
    context: RangkulContext,
    action: FacilitatedMeetings | MeetingsPage | None = None,
) -> None:
    """/meetings (the « All meetings button, its pages): coming meetings of the groups they
    run."""
    session = await context.session(update)
    if not session.facilitated_groups:
        await show(update, views.not_facilitator_text(session.t), edit=False)
        return
    s = context.services
    items = [
        (overview.meeting, overview.counts, group)
        for overview, group in await service.coming_meetings(
            s.meetings, s.groups, s.clock, session.facilitated_groups
        )
    ]
    await show(
        update,
        *views.meetings_list_view(
            session.t,
            items,
            _own_timezone(session),
            action.page if isinstance(action, MeetingsPage) else 0,
        ),
        edit=update.callback_query is not None,
    )


async def _facilitated(
    update: Update, context: RangkulContext, meeting_id: int, *, cancelled_ok: bool = False
) -> tuple[Session, Meeting, Group] | None:
    """The meeting if the presser facilitates its group right now; else a refusal.

    Attendance may still be marked for a meeting that was cancelled afterwards.
    """
    session = await context.session(update)
    s = context.services
    outcome, meeting, group = await service.facilitated_meeting(
        s.meetings, s.groups, session.facilitated_groups, meeting_id, cancelled_ok=cancelled_ok
    )
    if outcome is Outcome.REFUSED:
        await _refuse(update, session)
        return None
    if outcome is Outcome.GONE or meeting is None or group is None:
        await _refuse(update, session, views.gone_text(session.t))
        return None
    return session, meeting, group


async def open_meeting(update: Update, context: RangkulContext, action: OpenMeeting) -> None:
    found = await _facilitated(update, context, action.meeting_id)
    if found is None:
        return
    session, meeting, group = found
    overview = await context.services.meetings.overview(meeting.id)
    if overview is None:  # deleted since _facilitated looked it up
        await _refuse(update, session, views.gone_text(session.t))
        return
    series = await context.services.meetings.series(meeting.series_id)
    repeating = series is not None and series.recurrence != Recurrence.ONCE
    await show(
        update,
        *views.meeting_detail_view(
            session.t, meeting, overview.counts, group, _own_timezone(session), repeating=repeating
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
            session.t, meeting, group, _own_timezone(session), series=series
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
    s = context.services
    outcome = await cancel(s.meetings, s.outbox, s.clock, session.facilitated_groups, meeting_id)
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
        when=when_in_group(t, meeting.starts_at, tz, _own_timezone(session)),
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
        session.t,
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
    view = views.confirm_move_view(session.t, meeting, group, start, _own_timezone(session))
    await show(update, *view)


async def move_save(update: Update, context: RangkulContext, action: ConfirmMove) -> None:
    session = await context.session(update)
    start = parse_start_code(action.start)
    if start is None:
        await _refuse(update, session, expired_button_text(session.t))
        return
    s = context.services
    outcome = await service.move_occurrence(
        s.meetings,
        s.groups,
        s.outbox,
        s.clock,
        session.facilitated_groups,
        action.meeting_id,
        start,
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
    groups = await group_service.trial_groups(context.services.groups, session.member)
    await show(
        update,
        *views.trial_groups_view(session.t, groups, page_index),
        edit=update.callback_query is not None,
    )


async def trial_group(update: Update, context: RangkulContext, action: TrySession) -> None:
    """A group chosen (from /trial or its card): its coming meetings. A visitor is asked to
    sign up first, with a button that brings them back here afterwards."""
    session = await context.session(update)
    if session.member is None:
        await show(update, *sign_up_for_view(session.t, Wish.TRIAL, action.group_id), edit=False)
        return
    view = await wishes.trial_sessions(context, session.t, session.member, action.group_id)
    if view is None:
        await _refuse(update, session, views.trial_refusal_text(session.t, "no_trials"))
        return
    await show(update, *view, edit=False)


async def trial_pick(update: Update, context: RangkulContext, action: PickTrial) -> None:
    """A meeting chosen: what to expect, and confirm."""
    session = await context.session(update)
    s = context.services
    found = await seats.trial_choice(s.meetings, s.groups, s.clock, action.meeting_id)
    if session.member is None or found is None:
        await _refuse(update, session, views.gone_text(session.t))
        return
    meeting, group, trial_seats_left = found
    waitlist = trial_seats_left == 0
    await show(
        update,
        *views.trial_confirm_view(
            session.t, group, meeting, session.member.timezone, waitlist=waitlist
        ),
    )


async def trial_confirm(update: Update, context: RangkulContext, action: ConfirmTrial) -> None:
    session = await context.session(update)
    if session.member is None:
        await _refuse(update, session, join_first_text(session.t))
        return
    meeting_id = action.meeting_id
    s = context.services
    outcome = await seats.sign_up_for_trial(
        s.meetings, s.groups, s.outbox, s.clock, session.member, meeting_id
    )
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
    s = context.services
    outcome = await seats.cancel_trial(
        s.meetings, s.groups, s.outbox, s.clock, session.member, action.meeting_id
    )
    if outcome is Outcome.DONE:
        await show(
            update,
            session.t("Your trial seat is cancelled. You're welcome to try another time."),
            edit=False,
        )
    else:
        await query_of(update).answer(views.gone_text(session.t))
    # Either way the button has done what it could, and the meeting's calendar file no longer
    # concerns them (on a reminder these are all its buttons).
    await drop_pressed_button(update, also=CalendarFile(action.meeting_id).pack())


# --- members -----------------------------------------------------------------------------------


async def my_meetings(
    update: Update, context: RangkulContext, action: MyMeetings | AgendaRsvp | None = None
) -> None:
    """/mymeetings: their coming meetings, seats and RSVP buttons, in their timezone."""
    session = await context.session(update)
    if session.member is None:
        await show(update, join_first_text(session.t), edit=False)
        return
    member = session.member
    s = context.services
    items = await seats.agenda(s.meetings, s.groups, s.clock, member)
    view = views.my_meetings_view(session.t, items, member.timezone)
    if isinstance(action, AgendaRsvp):
        await redraw(update, *view)  # answered above, or by this
    else:
        await show(update, *view, edit=False)


async def _rsvp(
    update: Update, context: RangkulContext, action: Rsvp | AgendaRsvp
) -> tuple[Session, Outcome] | None:
    session = await context.session(update)
    if session.member is None:
        await _refuse(update, session, expired_button_text(session.t))
        return None
    s = context.services
    outcome = await seats.rsvp(
        s.meetings,
        s.groups,
        s.outbox,
        s.clock,
        session.member,
        action.meeting_id,
        action.reply is Reply.YES,
    )
    return session, outcome


async def answer_rsvp(update: Update, context: RangkulContext, action: Rsvp) -> None:
    """Going / not going on a reminder: answered with a toast, and the reminder's buttons show
    the answer. Once the meeting has passed (or was cancelled), or for someone no longer in
    the group, the buttons can do nothing more and go."""
    answered = await _rsvp(update, context, action)
    if answered is None:
        return
    session, outcome = answered
    query = query_of(update)
    text = views.rsvp_answer_text(session.t, outcome.value)
    if outcome in (Outcome.GOING, Outcome.NOT_GOING):
        await query.answer(text[:200])
        going = outcome is Outcome.GOING
        await set_keyboard(update, views.rsvp_markup(session.t, action.meeting_id, going))
    elif outcome is Outcome.WAITLIST:
        await query.answer(text[:200], show_alert=True)
    else:
        await query.answer(text[:200])
        await set_keyboard(update, None)


async def answer_agenda_rsvp(update: Update, context: RangkulContext, action: AgendaRsvp) -> None:
    """Going / not going in /mymeetings: a toast, and the list drawn again with the answer
    (unless the answer was already given: a second tap changes nothing)."""
    session = await context.session(update)
    before = (
        await context.services.meetings.seat(action.meeting_id, session.member.id)
        if session.member is not None
        else None
    )
    answered = await _rsvp(update, context, action)
    if answered is None:
        return
    session, outcome = answered
    await query_of(update).answer(views.rsvp_answer_text(session.t, outcome.value)[:200])
    if before is None or _SEAT_OUTCOME.get(before.status) is not outcome:
        await my_meetings(update, context, action)


# What an RSVP answers when the seat already had that status.
_SEAT_OUTCOME = {
    SeatStatus.GOING: Outcome.GOING,
    SeatStatus.NOT_GOING: Outcome.NOT_GOING,
    SeatStatus.WAITLIST: Outcome.WAITLIST,
}


async def set_keyboard(update: Update, markup: InlineKeyboardMarkup | None) -> None:
    """Edits the pressed message's buttons to ``markup`` (None: away), unless they already
    are that (Telegram refuses an edit that changes nothing)."""
    message = query_of(update).message
    if not isinstance(message, Message):
        return  # too old for Telegram to send with the press: nothing to edit
    if markup is not None and not markup.inline_keyboard:
        markup = None
    if _markup_dict(message.reply_markup) != _markup_dict(markup):
        await query_of(update).edit_message_reply_markup(markup)


async def drop_pressed_button(update: Update, *, also: str | None = None) -> None:
    """Takes the pressed button (and the button whose data is ``also``) off its message, and
    the keyboard with it when nothing else is left (a list keeps its other buttons)."""
    query = query_of(update)
    message = query.message
    if not isinstance(message, Message) or message.reply_markup is None:
        return
    dropped = {query.data, also}
    rows = [
        [button for button in row if button.callback_data not in dropped]
        for row in message.reply_markup.inline_keyboard
    ]
    await set_keyboard(update, InlineKeyboardMarkup([row for row in rows if row]))


def _markup_dict(markup: InlineKeyboardMarkup | None) -> object:
    return markup.to_dict() if markup is not None and markup.inline_keyboard else None


async def redraw(update: Update, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Draws the pressed message again (its query already answered)."""
    message = query_of(update).message
    if not isinstance(message, Message):
        await follow_up(update, text, markup)
        return
    try:
        await query_of(update).edit_message_text(text, reply_markup=markup)
    except BadRequest as error:
        # Drawn the same as it stands (a press that changed nothing the list shows).
        if "message is not modified" not in error.message.lower():
            raise


async def answer_followup(update: Update, context: RangkulContext, action: TrialFollowup) -> None:
    """The after-trial question: yes joins (or points to the card when full), no is respected."""
    session = await context.session(update)
    if session.member is None:
        await _refuse(update, session, expired_button_text(session.t))
        return
    group_id = action.group_id
    s = context.services
    outcome = await seats.answer_trial_followup(
        s.meetings, s.groups, s.clock, session.member, group_id, action.reply is Reply.YES
    )
    if outcome is Outcome.REFUSED:
        await _refuse(update, session, expired_button_text(session.t))
        return
    group = await context.services.groups.get(group_id)
    view = views.followup_answer_view(session.t, outcome.value, group)
    if outcome is Outcome.JOINED:
        view = with_guidelines(session.t, view)
        view = await with_baseline_offer(context, session.t, session.member, view)
    await show(update, *view)


# --- attendance --------------------------------------------------------------------------------


async def attendance_command(update: Update, context: RangkulContext) -> None:
    """/attendance: recent meetings of their groups."""
    session = await context.session(update)
    if not session.facilitated_groups:
        await show(update, views.not_facilitator_text(session.t), edit=False)
        return
    s = context.services
    since = s.clock.now() - ATTENDANCE_LOOKBACK
    items = await service.recent_meetings(
        s.meetings, s.groups, s.clock, session.facilitated_groups, since
    )
    view = views.attendance_meetings_view(session.t, items, _own_timezone(session))
    await show(update, *view, edit=False)


async def attendance_page(update: Update, context: RangkulContext, action: AttendancePage) -> None:
    await _attendance(update, context, action.meeting_id, action.page)


async def attendance_toggle(
    update: Update, context: RangkulContext, action: ToggleAttendance
) -> None:
    session = await context.session(update)
    s = context.services
    outcome = await service.toggle_attendance(
        s.meetings, s.clock, session.facilitated_groups, action.meeting_id, action.member_id
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
        session.t, meeting, group, _own_timezone(session), people, present, page_index
    )
    await show(update, *view)


async def record_answer(update: Update, context: RangkulContext) -> None:
    """A member voted (or took the vote back) in a time poll."""
    answer = update.poll_answer
    # No user: an answer on behalf of a channel, who no poll was sent to.
    if answer is None or answer.user is None:
        return
    s = context.services
    await time_polls.record_vote(
        s.time_polls, s.members, answer.user.id, answer.poll_id, answer.option_ids
    )


async def record_chat_poll(update: Update, context: RangkulContext) -> None:
    """Telegram's new counts of a poll: kept for a time poll asked in a group chat (anonymous,
    so counts only), ignored for any other poll."""
    poll = update.poll
    if poll is None:
        return
    counts = [option.voter_count for option in poll.options]
    await time_polls.record_chat_counts(
        context.services.time_polls, poll.id, counts, poll.total_voter_count
    )


async def end_poll(update: Update, context: RangkulContext, action: EndPoll) -> None:
    """ "End the poll" under a time poll's results (which end the /poll_time conversation):
    ended once, and stopped in the group chat if it is still the group's; a chat poll that
    cannot be stopped (deleted, the bot removed) never keeps the poll from ending."""
    services = context.services
    session = await context.session(update)
    poll = await services.time_polls.get(action.poll_id)
    if poll is not None and not await may_use_group(update, context, poll.group_id):
        return
    ended, chat_poll = (
        await time_polls.end_poll(services.time_polls, services.group_chats, services.clock, poll)
        if poll is not None
        else (False, None)  # deleted after its last time passed (retention): long over
    )
    if not ended:
        await query_of(update).answer(poll_views.poll_already_ended_toast(session.t))
        return
    if chat_poll is not None and chat_poll.message_id is not None:
        try:
            await context.bot.stop_poll(chat_poll.chat_id, chat_poll.message_id)
        except TelegramError as exc:
            log.info("time poll: the chat poll was not stopped (%s)", type(exc).__name__)
    await show(update, poll_views.poll_ended_text(session.t))


def handlers() -> list[BaseHandler]:
    """Commands, the ``mt`` buttons and poll answers and counts, for bot.app to register."""
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
        on_button(MeetingsPage, meetings_command),
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
        on_button(AgendaRsvp, answer_agenda_rsvp),
        on_button(TrialFollowup, answer_followup),
        on_button(AttendancePage, attendance_page),
        on_button(ToggleAttendance, attendance_toggle),
        on_button(SaveAttendance, attendance_save),
        on_button(EndPoll, end_poll),
        PollAnswerHandler(record_answer),
        PollHandler(record_chat_poll),
    ]
