"""Commands and buttons about meetings (callback area ``mt``): /meetings, /trial, /mymeetings,
/attendance, and the buttons in reminders and notices.

Buttons are untrusted: every facilitator action passes the groups the presser facilitates
*now* to the service, which refuses any other group's meeting; every id is looked up again.

Actions: list, mine, open:<m>, cancel:<m>, cancelok:<m>, cseries:<m>, cseriesok:<m>, move:<m>,
mvd:<m>:<day>, mvp:<m>:<day>:<page>, mvt:<m>:<day>:<time>, mvok:<m>:<yyyymmddHHMM>,
trial:<g>, tgroups:<page>, tpick:<m>, tok:<m>, tcancel:<m>, rsvp:<m>:y|n, join:<g>:y|n,
att:<m>:<page>, atx:<m>:<member>:<page>, atsave:<m>.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, PollAnswerHandler

from bot.adapters.chat import follow_up, show
from bot.context import RangkulContext, Session
from bot.domain.groups import Group
from bot.domain.meetings import Meeting, Outcome, local_start, picker_dates, picker_times
from bot.domain.recurrence import Recurrence
from bot.services import groups as group_service
from bot.services import meetings as service
from bot.services import seats, time_polls
from bot.ui import meetings as views
from bot.ui.callbacks import args, callback, pattern
from bot.ui.meeting_picker import (
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
from bot.ui.menu import expired_button_text, join_first_text

AREA = views.AREA
ATTENDANCE_LOOKBACK = timedelta(days=14)


def _ints(update: Update) -> list[int]:
    return [int(a) for a in args(update.callback_query.data) if a.isdigit()]


async def _refuse(update: Update, session: Session, text: str | None = None) -> None:
    query = update.callback_query
    message = text or views.refused_text(session.t)
    if query is not None:
        await query.answer(message[:200], show_alert=True)
    else:
        await show(update, message)


# --- facilitators: /meetings --------------------------------------------------------------------


async def meetings_command(update: Update, context: RangkulContext) -> None:
    """/meetings (and the « All meetings button): coming meetings of the groups they run."""
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
    s = context.services
    outcome, meeting, group = await service.facilitated_meeting(
        s.meetings, s.groups, session.facilitated_groups, meeting_id, cancelled_ok=cancelled_ok
    )
    if outcome is Outcome.REFUSED:
        await _refuse(update, session)
        return None
    if outcome is Outcome.GONE:
        await _refuse(update, session, views.gone_text(session.t))
        return None
    return session, meeting, group


async def open_meeting(update: Update, context: RangkulContext) -> None:
    ids = _ints(update)
    found = await _facilitated(update, context, ids[0] if ids else 0)
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


async def ask_cancel(update: Update, context: RangkulContext) -> None:
    await _ask_cancel(update, context, series=False)


async def ask_cancel_series(update: Update, context: RangkulContext) -> None:
    await _ask_cancel(update, context, series=True)


async def _ask_cancel(update: Update, context: RangkulContext, *, series: bool) -> None:
    ids = _ints(update)
    found = await _facilitated(update, context, ids[0] if ids else 0)
    if found is not None:
        session, meeting, group = found
        view = views.confirm_cancel_view(
            session.t, meeting, group, session.member.timezone, series=series
        )
        await show(update, *view)


async def confirm_cancel(update: Update, context: RangkulContext) -> None:
    await _cancel(update, context, service.cancel_occurrence)


async def confirm_cancel_series(update: Update, context: RangkulContext) -> None:
    await _cancel(update, context, service.cancel_series)


async def _cancel(update: Update, context: RangkulContext, action) -> None:
    session = await context.session(update)
    ids = _ints(update)
    s = context.services
    outcome = await action(
        s.meetings, s.outbox, s.clock, session.facilitated_groups, ids[0] if ids else 0
    )
    if outcome is Outcome.REFUSED:
        await _refuse(update, session)
        return
    if outcome is Outcome.GONE:
        await _refuse(update, session, views.gone_text(session.t))
        return
    await show(update, session.t("Cancelled. Everyone expected will be told."))


async def move_days(update: Update, context: RangkulContext) -> None:
    """Moving a meeting, step 1: the day (in the group's timezone)."""
    ids = _ints(update)
    found = await _facilitated(update, context, ids[0] if ids else 0)
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
    back = [[(t("« Back"), callback(AREA, "open", meeting.id))]]
    await show(
        update,
        *date_view(
            t,
            heading,
            days,
            tz,
            lambda d: callback(AREA, "mvd", meeting.id, day_code(d)),
            back,
            typed_hint=False,
        ),
    )


async def move_times(update: Update, context: RangkulContext) -> None:
    """Step 2: the time on that day (mvd:<m>:<day> or mvp:<m>:<day>:<page>)."""
    raw = args(update.callback_query.data)
    found = await _facilitated(update, context, int(raw[0]) if raw and raw[0].isdigit() else 0)
    if found is None:
        return
    session, meeting, group = found
    day = parse_day(raw[1]) if len(raw) > 1 else None
    if day is None:
        await _refuse(update, session, expired_button_text(session.t))
        return
    page_index = int(raw[2]) if len(raw) > 2 and raw[2].isdigit() else 2
    times = picker_times(day, group.timezone, context.services.clock.now())
    page_index = min(page_index, max(len(times) - 1, 0) // TIMES_PER_PAGE)
    rows = time_buttons(
        times,
        page_index,
        lambda at: callback(AREA, "mvt", meeting.id, day_code(day), time_code(at)),
        lambda p: callback(AREA, "mvp", meeting.id, day_code(day), p),
    )
    await show(
        update, *time_view(session.t, day, group.timezone, rows, callback(AREA, "move", meeting.id))
    )


async def move_confirm(update: Update, context: RangkulContext) -> None:
    """Step 3: the new time shown back for confirmation."""
    raw = args(update.callback_query.data)
    found = await _facilitated(update, context, int(raw[0]) if raw and raw[0].isdigit() else 0)
    if found is None:
        return
    session, meeting, group = found
    day = parse_day(raw[1]) if len(raw) > 2 else None
    at = parse_time(raw[2]) if len(raw) > 2 else None
    if day is None or at is None:
        await _refuse(update, session, expired_button_text(session.t))
        return
    start = local_start(day, at, group.timezone).astimezone(UTC)
    view = views.confirm_move_view(session.t, meeting, group, start, session.member.timezone)
    await show(update, *view)


async def move_save(update: Update, context: RangkulContext) -> None:
    session = await context.session(update)
    raw = args(update.callback_query.data)
    try:
        meeting_id = int(raw[0])
        start = datetime.strptime(raw[1], "%Y%m%d%H%M").replace(tzinfo=UTC)
    except (IndexError, ValueError):
        await _refuse(update, session, expired_button_text(session.t))
        return
    s = context.services
    outcome = await service.move_occurrence(
        s.meetings, s.groups, s.outbox, s.clock, session.facilitated_groups, meeting_id, start
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


async def trial_command(update: Update, context: RangkulContext) -> None:
    """/trial: groups that offer trial sessions."""
    session = await context.session(update)
    if session.member is None:
        await show(update, join_first_text(session.t), edit=False)
        return
    page_index = (_ints(update) or [0])[0] if update.callback_query else 0
    groups = await group_service.trial_groups(context.services.groups)
    await show(
        update,
        *views.trial_groups_view(session.t, groups, page_index),
        edit=update.callback_query is not None,
    )


async def trial_group(update: Update, context: RangkulContext) -> None:
    """A group chosen (from /trial or its card): its coming meetings."""
    session = await context.session(update)
    if session.member is None:
        await show(update, join_first_text(session.t), edit=False)
        return
    ids = _ints(update)
    group = await context.services.groups.active(ids[0] if ids else 0)
    if group is None or not group.offers_trials:
        await _refuse(update, session, views.trial_refusal_text(session.t, "no_trials"))
        return
    meetings = await seats.trial_meetings(context.services.meetings, context.services.clock, group)
    await show(
        update,
        *views.trial_meetings_view(session.t, group, meetings, session.member.timezone),
        edit=False,
    )


async def trial_pick(update: Update, context: RangkulContext) -> None:
    """A meeting chosen: what to expect, and confirm."""
    session = await context.session(update)
    ids = _ints(update)
    s = context.services
    found = await seats.trial_choice(s.meetings, s.groups, s.clock, ids[0] if ids else 0)
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


async def trial_confirm(update: Update, context: RangkulContext) -> None:
    session = await context.session(update)
    ids = _ints(update)
    if session.member is None:
        await _refuse(update, session, join_first_text(session.t))
        return
    meeting_id = ids[0] if ids else 0
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


async def trial_cancel(update: Update, context: RangkulContext) -> None:
    session = await context.session(update)
    ids = _ints(update)
    if session.member is None:
        await _refuse(update, session, join_first_text(session.t))
        return
    s = context.services
    outcome = await seats.cancel_trial(
        s.meetings, s.groups, s.outbox, s.clock, session.member, ids[0] if ids else 0
    )
    if outcome is Outcome.DONE:
        await show(
            update,
            session.t("Your trial seat is cancelled. You're welcome to try another time."),
            edit=False,
        )
    else:
        await _refuse(update, session, views.gone_text(session.t))


# --- members -----------------------------------------------------------------------------------


async def my_meetings(update: Update, context: RangkulContext) -> None:
    """/mymeetings: their coming meetings, seats and RSVP buttons, in their timezone."""
    session = await context.session(update)
    if session.member is None:
        await show(update, join_first_text(session.t), edit=False)
        return
    member = session.member
    s = context.services
    items = await seats.agenda(s.meetings, s.groups, s.clock, member)
    await show(update, *views.my_meetings_view(session.t, items, member.timezone), edit=False)


async def answer_rsvp(update: Update, context: RangkulContext) -> None:
    session = await context.session(update)
    raw = args(update.callback_query.data)
    if session.member is None or len(raw) < 2 or not raw[0].isdigit():
        await _refuse(update, session, expired_button_text(session.t))
        return
    s = context.services
    outcome = await seats.rsvp(
        s.meetings, s.groups, s.outbox, s.clock, session.member, int(raw[0]), raw[1] == "y"
    )
    await update.callback_query.answer()
    await follow_up(update, views.rsvp_answer_text(session.t, outcome.value))


async def answer_followup(update: Update, context: RangkulContext) -> None:
    """The after-trial question: yes joins (or points to the card when full), no is respected."""
    session = await context.session(update)
    raw = args(update.callback_query.data)
    if session.member is None or len(raw) < 2 or not raw[0].isdigit():
        await _refuse(update, session, expired_button_text(session.t))
        return
    group_id = int(raw[0])
    s = context.services
    outcome = await seats.answer_trial_followup(
        s.meetings, s.groups, s.clock, session.member, group_id, raw[1] == "y"
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
    s = context.services
    since = s.clock.now() - ATTENDANCE_LOOKBACK
    items = await service.recent_meetings(
        s.meetings, s.groups, s.clock, session.facilitated_groups, since
    )
    view = views.attendance_meetings_view(session.t, items, session.member.timezone)
    await show(update, *view, edit=False)


async def attendance_page(update: Update, context: RangkulContext) -> None:
    ids = _ints(update)
    await _attendance(update, context, ids[0] if ids else 0, ids[1] if len(ids) > 1 else 0)


async def attendance_toggle(update: Update, context: RangkulContext) -> None:
    session = await context.session(update)
    ids = _ints(update)
    if len(ids) < 3:
        await _refuse(update, session, expired_button_text(session.t))
        return
    s = context.services
    outcome = await service.toggle_attendance(
        s.meetings, s.clock, session.facilitated_groups, ids[0], ids[1]
    )
    if outcome is not Outcome.DONE:
        await _refuse(update, session)
        return
    await _attendance(update, context, ids[0], ids[2])


async def attendance_save(update: Update, context: RangkulContext) -> None:
    ids = _ints(update)
    found = await _facilitated(update, context, ids[0] if ids else 0, cancelled_ok=True)
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
    s = context.services
    await time_polls.record_vote(
        s.time_polls, s.members, answer.user.id, answer.poll_id, answer.option_ids
    )


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
    buttons = [
        CallbackQueryHandler(callback, pattern=pattern(AREA, action))
        for action, callback in (
            ("list", meetings_command),
            ("mine", my_meetings),
            ("open", open_meeting),
            ("cancel", ask_cancel),
            ("cancelok", confirm_cancel),
            ("cseries", ask_cancel_series),
            ("cseriesok", confirm_cancel_series),
            ("move", move_days),
            ("mvd", move_times),
            ("mvp", move_times),
            ("mvt", move_confirm),
            ("mvok", move_save),
            ("tgroups", trial_command),
            ("trial", trial_group),
            ("tpick", trial_pick),
            ("tok", trial_confirm),
            ("tcancel", trial_cancel),
            ("rsvp", answer_rsvp),
            ("join", answer_followup),
            ("att", attendance_page),
            ("atx", attendance_toggle),
            ("atsave", attendance_save),
        )
    ]
    return [*commands, *buttons, PollAnswerHandler(record_answer)]
