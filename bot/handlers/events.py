"""/events (open seminars, for visitors too), guest seats, and the "add to calendar" button of
every meeting message, which sends the meeting as an .ics document."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import BytesIO

from telegram import InputFile, Update
from telegram.ext import BaseHandler, CommandHandler

from bot.context import RangkulContext, Session
from bot.domain.calendar_file import calendar_file
from bot.domain.meetings import Outcome
from bot.narrowing import chat_of, query_of, user_data_of
from bot.services import events as service
from bot.telegram_glue import wishes
from bot.telegram_glue.chat import follow_up, show
from bot.ui import events as views
from bot.ui.callbacks import on_button
from bot.ui.meeting_kinds import CalendarFile, plain_name
from bot.ui.meetings import gone_text
from bot.ui.onboarding import Wish, sign_up_for_view

# A second press of "add to calendar" within this time gets a toast, not a second file.
CALENDAR_REPEAT = timedelta(minutes=10)
_SENT_KEY = "calendar_sent"


def _timezone(context: RangkulContext, session: Session) -> str:
    """The person's timezone; before signing up, the network's."""
    if session.member is not None:
        return session.member.timezone
    return context.services.settings.timezone


async def events_command(
    update: Update, context: RangkulContext, _: views.EventsList | None = None
) -> None:
    """/events: coming seminars open to everyone; works before signing up."""
    session = await context.session(update)
    s = context.services
    items = await service.open_events(s.meetings, s.groups, s.clock)
    view = views.events_view(session.t, items, _timezone(context, session))
    await show(update, *view, edit=update.callback_query is not None)


async def open_event(update: Update, context: RangkulContext, action: views.OpenEvent) -> None:
    session = await context.session(update)
    tz = _timezone(context, session)
    view = await wishes.open_event(context, session.t, session.member, action.meeting_id, tz)
    if view is None:
        await query_of(update).answer(gone_text(session.t)[:200], show_alert=True)
        return
    await show(update, *view)


async def reserve(update: Update, context: RangkulContext, action: views.ReserveSeat) -> None:
    """A guest seat; a visitor is asked to sign up first (with a button that starts it and
    brings them back to this event)."""
    session = await context.session(update)
    t = session.t
    if session.member is None:
        await query_of(update).answer()
        await follow_up(update, *sign_up_for_view(t, Wish.SEAT, action.meeting_id))
        return
    s = context.services
    outcome = await service.reserve_guest_seat(
        s.meetings, s.groups, s.outbox, s.clock, session.member, action.meeting_id
    )
    found = await service.open_event(s.meetings, s.groups, s.clock, action.meeting_id)
    if outcome is Outcome.GOING and found is not None:
        overview, group = found
        await query_of(update).answer()
        view = views.reserved_view(t, group, overview.meeting, session.member.timezone)
        await follow_up(update, *view)
    elif outcome is Outcome.WAITLIST:
        await query_of(update).answer()
        await follow_up(update, views.reserve_refusal_text(t, outcome.value))
    else:  # a second press, a member, or gone: a toast, nothing else changes
        await query_of(update).answer(views.reserve_refusal_text(t, outcome.value)[:200])


async def send_calendar(update: Update, context: RangkulContext, action: CalendarFile) -> None:
    """The meeting as an .ics document; the join link only for people who may see it."""
    session = await context.session(update)
    s = context.services
    now = s.clock.now()
    sent = user_data_of(context).setdefault(_SENT_KEY, {})
    key = str(action.meeting_id)
    last = sent.get(key)
    if last is not None and now - datetime.fromisoformat(last) < CALENDAR_REPEAT:
        await query_of(update).answer(views.calendar_sent_text(session.t))
        return
    event = await service.calendar_event(
        s.meetings,
        s.groups,
        action.meeting_id,
        session.member,
        lambda meeting, group: f"{plain_name(session.t, meeting)} · {group.name}",
    )
    if event is None:
        await query_of(update).answer(gone_text(session.t)[:200], show_alert=True)
        return
    await query_of(update).answer()
    document = InputFile(BytesIO(calendar_file(event, now)), filename="rangkul-meeting.ics")
    await chat_of(update).send_document(document, caption=views.calendar_caption(session.t))
    # Only recent presses matter; older entries go, so this never grows.
    recent = {k: v for k, v in sent.items() if now - datetime.fromisoformat(v) < CALENDAR_REPEAT}
    user_data_of(context)[_SENT_KEY] = {**recent, key: now.isoformat()}


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler("events", events_command),
        on_button(views.EventsList, events_command),
        on_button(views.OpenEvent, open_event),
        on_button(views.ReserveSeat, reserve),
        on_button(CalendarFile, send_calendar),
    ]
