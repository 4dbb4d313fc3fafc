"""/newmeeting: a facilitator schedules a meeting for one of their groups.

Steps: group (if they facilitate several) → day (buttons for the next 14 days, or a typed
``2026-12-03 19:30``) → time (15-minute steps) → duration → one-off or repeating → place and/or
join link, by the group's format → capacity → confirm. Times are picked and shown back in the
group's timezone, with the facilitator's own time in brackets when it differs. The draft lives
in user_data (persisted), so a restart resumes the step; the facilitator role is checked again
when the meeting is saved.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import RangkulContext
from bot.domain.groups import Group
from bot.domain.meetings import (
    DURATIONS,
    NewMeeting,
    TextProblem,
    check_join_link,
    check_place,
    check_start,
    local_start,
    parse_capacity,
    parse_typed_start,
    picker_dates,
    picker_times,
)
from bot.domain.safety import AuthoringDraft
from bot.services import meetings as service
from bot.storage.database import from_db_time, to_db_time
from bot.telegram_glue.chat import draft, follow_up, show
from bot.telegram_glue.conversation import add_step_hints, common_fallbacks, persistent_conversation
from bot.telegram_glue.facilitated import (
    begin_with_group,
    facilitated_group,
    facilitated_groups,
    pick_group,
)
from bot.ui import meeting_forms as views
from bot.ui.callbacks import Area, on_button
from bot.ui.meeting_forms import (
    ChooseMeetingGroup,
    DiscardMeeting,
    MeetingCapacity,
    MeetingDay,
    MeetingDays,
    MeetingDuration,
    MeetingRepeat,
    MeetingTime,
    MeetingTimesPage,
    ScheduleMeeting,
)
from bot.ui.meeting_picker import EVENING_PAGE, parse_day, parse_time
from bot.ui.meetings import (
    link_problem_text,
    not_facilitator_text,
    place_problem_text,
    time_problem_text,
)
from bot.ui.view import View

DRAFT_KEY = AuthoringDraft.NEW_MEETING


class Step(enum.IntEnum):
    GROUP = 1
    DATE = 2
    TIME = 3
    DURATION = 4
    REPEAT = 5
    PLACE = 6
    LINK = 7
    CAPACITY = 8
    CONFIRM = 9


def _draft(context: RangkulContext) -> dict[str, Any]:
    return draft(context, DRAFT_KEY)


async def _group(context: RangkulContext, update: Update) -> Group | None:
    return await facilitated_group(update, context, _draft(context).get("group_id"))


async def begin(update: Update, context: RangkulContext) -> int:
    """/newmeeting: straight to the day for one group, else the group choice."""
    groups = await begin_with_group(update, context, DRAFT_KEY)
    if not groups:
        return ConversationHandler.END
    return await _step(update, context, Step.GROUP if len(groups) > 1 else Step.DATE, edit=False)


async def choose_group(update: Update, context: RangkulContext, action: ChooseMeetingGroup) -> int:
    """A group button, checked: another group's id (a forged button) is refused."""
    if not await pick_group(update, context, DRAFT_KEY, action.group_id):
        return Step.GROUP
    return await _step(update, context, Step.DATE)


async def choose_day(update: Update, context: RangkulContext, action: MeetingDay) -> int:
    if parse_day(action.day) is None:
        return await _step(update, context, Step.DATE)
    draft = _draft(context)
    draft["day"], draft["tpage"] = action.day, EVENING_PAGE
    return await _step(update, context, Step.TIME)


async def time_page(update: Update, context: RangkulContext, action: MeetingTimesPage) -> int:
    _draft(context)["tpage"] = action.page
    return await _step(update, context, Step.TIME)


async def back_to_days(update: Update, context: RangkulContext, _: MeetingDays) -> int:
    return await _step(update, context, Step.DATE)


async def choose_time(update: Update, context: RangkulContext, action: MeetingTime) -> int:
    """A time button: checked again (the day may have passed while the buttons stood)."""
    group = await _group(context, update)
    day, at = parse_day(_draft(context).get("day", "")), parse_time(action.time)
    if group is None or day is None or at is None:
        return await _step(update, context, Step.DATE)
    checked = check_start(local_start(day, at, group.timezone), context.services.clock.now())
    return await _accept_start(update, context, checked.start, checked.problem)


async def typed_start(update: Update, context: RangkulContext) -> int:
    """A typed date and time, in the group's timezone."""
    group = await _group(context, update)
    if group is None:
        return await _lost(update, context)
    checked = parse_typed_start(update.message.text, group.timezone, context.services.clock.now())
    return await _accept_start(update, context, checked.start, checked.problem)


async def _accept_start(update: Update, context: RangkulContext, start, problem) -> int:
    session = await context.session(update)
    if problem is not None:
        await show(update, time_problem_text(session.t, problem), edit=False)
        return await _step(update, context, Step.DATE, edit=False)
    _draft(context)["start"] = to_db_time(start)
    return await _step(update, context, Step.DURATION)


async def choose_duration(update: Update, context: RangkulContext, action: MeetingDuration) -> int:
    if action.minutes not in DURATIONS:
        return await _step(update, context, Step.DURATION)
    _draft(context)["duration"] = action.minutes
    return await _step(update, context, Step.REPEAT)


async def choose_repeat(update: Update, context: RangkulContext, action: MeetingRepeat) -> int:
    _draft(context)["recurrence"] = action.recurrence.value
    group = await _group(context, update)
    if group is None:
        return await _lost(update, context)
    return await _step(update, context, Step.PLACE if group.format.meets_in_person else Step.LINK)


async def typed_place(update: Update, context: RangkulContext) -> int:
    session = await context.session(update)
    checked = check_place(update.message.text)
    if isinstance(checked, TextProblem):
        await show(update, place_problem_text(session.t, checked))
        return Step.PLACE
    _draft(context)["place"] = checked
    group = await _group(context, update)
    if group is None:
        return await _lost(update, context)
    return await _step(update, context, Step.LINK if group.format.meets_online else Step.CAPACITY)


async def typed_link(update: Update, context: RangkulContext) -> int:
    session = await context.session(update)
    checked = check_join_link(update.message.text)
    if isinstance(checked, TextProblem):
        await show(update, link_problem_text(session.t, checked))
        return Step.LINK
    _draft(context)["link"] = checked
    return await _step(update, context, Step.CAPACITY)


async def choose_capacity(update: Update, context: RangkulContext, action: MeetingCapacity) -> int:
    # A pressed number is held to the same bounds as a typed one.
    return await _accept_capacity(update, context, str(action.capacity))


async def typed_capacity(update: Update, context: RangkulContext) -> int:
    return await _accept_capacity(update, context, update.message.text)


async def _accept_capacity(update: Update, context: RangkulContext, raw: str) -> int:
    capacity = parse_capacity(raw)
    if capacity is None:
        session = await context.session(update)
        await show(update, views.capacity_problem_text(session.t), edit=False)
        return await _step(update, context, Step.CAPACITY, edit=False)
    _draft(context)["capacity"] = capacity
    return await _step(update, context, Step.CONFIRM)


async def confirm(update: Update, context: RangkulContext, _: ScheduleMeeting) -> int:
    """Saves the meeting if the person still facilitates the group and the time is ahead."""
    session = await context.session(update)
    group = await _group(context, update)
    draft = _draft(context)
    if group is None:
        return await _lost(update, context)
    start = from_db_time(draft["start"])
    problem = check_start(start, context.services.clock.now()).problem
    if problem is not None:
        await show(update, time_problem_text(session.t, problem), edit=False)
        return await _step(update, context, Step.DATE, edit=False)
    new = NewMeeting(
        group_id=group.id,
        first_starts_at=start,
        duration_minutes=draft["duration"],
        recurrence=draft["recurrence"],
        place=draft.get("place"),
        join_link=draft.get("link"),
        capacity=draft["capacity"],
    )
    meetings = await service.schedule(context.services, new, session.member.id)
    context.user_data.pop(DRAFT_KEY, None)
    await show(update, views.scheduled_text(session.t, group, meetings, session.member.timezone))
    return ConversationHandler.END


async def discard(update: Update, context: RangkulContext, _: DiscardMeeting) -> int:
    session = await context.session(update)
    context.user_data.pop(DRAFT_KEY, None)
    await show(update, views.discarded_text(session.t))
    return ConversationHandler.END


def _reprompt(step: Step) -> Callable[[Update, RangkulContext], Awaitable[int]]:
    """Anything unexpected at ``step`` (text, a sticker, an old button): a hint and the step
    again, so nobody is dropped out of the conversation."""

    async def reprompt(update: Update, context: RangkulContext) -> int:
        t = (await context.session(update)).t
        view = await _view(update, context, step)
        if view is None:
            return await _lost(update, context)
        if update.callback_query is not None:
            await update.callback_query.answer(views.use_buttons_hint(t))
        await follow_up(update, *views.with_hint(t, view))
        return step

    return reprompt


async def _lost(update: Update, context: RangkulContext) -> int:
    """The group is no longer theirs (role removed, group archived): stop cleanly."""
    session = await context.session(update)
    context.user_data.pop(DRAFT_KEY, None)
    await show(update, not_facilitator_text(session.t), edit=False)
    return ConversationHandler.END


async def _step(update: Update, context: RangkulContext, step: Step, *, edit: bool = True) -> int:
    """Shows ``step`` for the draft as it is now."""
    view = await _view(update, context, step)
    if view is None:
        return await _lost(update, context)
    await show(update, *view, edit=edit)
    return step


async def _view(update: Update, context: RangkulContext, step: Step) -> View | None:
    """What ``step`` looks like for the draft as it is now; None if the group is not theirs."""
    session = await context.session(update)
    if step is Step.GROUP:  # nothing chosen yet: the choice is between all their groups
        groups = await facilitated_groups(update, context)
        return views.group_choice_view(session.t, groups) if groups else None
    group = await _group(context, update)
    if group is None:
        return None
    t, draft, now = session.t, _draft(context), context.services.clock.now()
    tz, own_tz = group.timezone, session.member.timezone
    if step is Step.DATE:
        return views.date_step_view(t, group, picker_dates(now, tz))
    if step is Step.TIME:
        day = parse_day(draft.get("day", "")) or picker_dates(now, tz)[0]
        return views.time_step_view(t, day, tz, picker_times(day, tz, now), draft.get("tpage", 0))
    if step is Step.DURATION:
        return views.duration_view(t, from_db_time(draft["start"]), tz, own_tz)
    if step is Step.REPEAT:
        return views.repeat_view(t, from_db_time(draft["start"]), tz)
    if step is Step.PLACE:
        return views.place_prompt(t), None
    if step is Step.LINK:
        return views.link_prompt(t), None
    if step is Step.CAPACITY:
        return views.capacity_view(t)
    return views.summary_view(t, group, _summary(draft), own_tz)


def _summary(draft: dict[str, Any]) -> views.Summary:
    return views.Summary(
        start=from_db_time(draft["start"]),
        duration=draft["duration"],
        recurrence=draft["recurrence"],
        place=draft.get("place"),
        link=draft.get("link"),
        capacity=draft["capacity"],
    )


def build_new_meeting_conversation() -> ConversationHandler:
    """The persistent /newmeeting conversation."""
    text = filters.TEXT & ~filters.COMMAND
    days = [on_button(MeetingDay, choose_day), on_button(MeetingDays, back_to_days)]
    states: dict[object, list[BaseHandler]] = {
        Step.GROUP: [on_button(ChooseMeetingGroup, choose_group)],
        Step.DATE: [*days, MessageHandler(text, typed_start)],
        Step.TIME: [
            on_button(MeetingTime, choose_time),
            on_button(MeetingTimesPage, time_page),
            *days,
            MessageHandler(text, typed_start),
        ],
        Step.DURATION: [on_button(MeetingDuration, choose_duration), *days],
        Step.REPEAT: [on_button(MeetingRepeat, choose_repeat), *days],
        Step.PLACE: [MessageHandler(text, typed_place)],
        Step.LINK: [MessageHandler(text, typed_link)],
        Step.CAPACITY: [
            on_button(MeetingCapacity, choose_capacity),
            MessageHandler(text, typed_capacity),
        ],
        Step.CONFIRM: [
            on_button(ScheduleMeeting, confirm),
            on_button(DiscardMeeting, discard),
            *days,
        ],
    }
    add_step_hints(states, _reprompt, Area.NEW_MEETING)
    return persistent_conversation(
        "new_meeting",
        allow_reentry=True,
        entry_points=[CommandHandler("newmeeting", begin)],
        states=states,
        fallbacks=common_fallbacks(),
    )
