"""/newmeeting: a facilitator schedules a meeting for one of their groups.

Steps: group (if they facilitate several) → day (buttons for the next 14 days, or a typed
``2026-12-03 19:30``) → time (15-minute steps) → duration → one-off or repeating → place and/or
join link, by the group's format → capacity → confirm. From the summary, "type and title" leads
to the kind (support meeting by default), an optional title and, for a seminar, whether it is
open to everyone, and back to the summary. Times are picked and shown back in the
group's timezone, with the facilitator's own time in brackets when it differs. The draft lives
in user_data (persisted), so a restart resumes the step; the facilitator role and the group are
checked again at every step.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import RangkulContext
from bot.domain.events import TitleProblem, check_title, may_be_open
from bot.domain.meetings import (
    DURATIONS,
    MeetingKind,
    NewMeeting,
    TextProblem,
    TimeProblem,
    check_join_link,
    check_place,
    check_start,
    local_start,
    parse_capacity,
    parse_typed_start,
    picker_dates,
    picker_times,
)
from bot.domain.recurrence import Recurrence
from bot.domain.safety import AuthoringDraft
from bot.i18n import Translator
from bot.narrowing import query_of, text_of
from bot.services import meetings as service
from bot.telegram_glue.chat import follow_up, show
from bot.telegram_glue.conversation import common_fallbacks, persistent_conversation
from bot.telegram_glue.facilitated import facilitated_group, facilitated_groups, may_use_group
from bot.telegram_glue.flow import StepFlow
from bot.ui import event_forms
from bot.ui import meeting_forms as views
from bot.ui.callbacks import Area, on_button
from bot.ui.event_forms import ChooseKind, ChooseOpen, EditKind, NoTitle
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
    ScheduleAt,
    ScheduleMeeting,
)
from bot.ui.meeting_picker import EVENING_PAGE, parse_day, parse_start_code, parse_time
from bot.ui.meetings import (
    link_problem_text,
    not_facilitator_text,
    place_problem_text,
    time_problem_text,
)
from bot.ui.view import View


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
    KIND = 10
    TITLE = 11
    OPEN = 12


@dataclass
class NewMeetingDraft:
    group_id: int | None = None
    day: str | None = None  # a picker day code, while times of that day are shown
    tpage: int = 0
    start: datetime | None = None
    duration: int | None = None
    recurrence: Recurrence | None = None
    place: str | None = None
    link: str | None = None
    capacity: int | None = None
    kind: MeetingKind = MeetingKind.SUPPORT
    title: str | None = None
    open_to_all: bool = False

    def first_missing(self) -> Step | None:
        """The earliest step whose answer the steps after it build on, and the draft lacks."""
        answers = (
            (Step.DATE, self.start),
            (Step.DURATION, self.duration),
            (Step.REPEAT, self.recurrence),
            (Step.CAPACITY, self.capacity),
        )
        return next((step for step, answer in answers if answer is None), None)


async def _view(
    update: Update, context: RangkulContext, step: Step, draft: NewMeetingDraft
) -> View | Step | None:
    """What ``step`` looks like for the draft as it is now; None if the group is not theirs."""
    session = await context.session(update)
    if step is Step.GROUP:  # nothing chosen yet: the choice is between all their groups
        groups = await facilitated_groups(update, context)
        return views.group_choice_view(session.t, groups) if groups else None
    group = await facilitated_group(update, context, draft.group_id)
    if group is None:
        return None
    missing = draft.first_missing()
    if step > Step.TIME and missing is not None and missing < step:
        return missing  # a draft that lost an answer (an older version's): that step again
    # Only members facilitate groups (an empty set otherwise): one facilitated group, a member.
    assert session.member is not None
    t, now = session.t, context.services.clock.now()
    tz, own_tz = group.timezone, session.member.timezone
    if step is Step.DATE:
        return views.date_step_view(t, group, picker_dates(now, tz))
    if step is Step.TIME:
        day = parse_day(draft.day or "") or picker_dates(now, tz)[0]
        return views.time_step_view(t, day, tz, picker_times(day, tz, now), draft.tpage)
    if step is Step.DURATION:
        assert draft.start is not None  # missing: DATE, shown above
        return views.duration_view(t, draft.start, tz, own_tz)
    if step is Step.REPEAT:
        assert draft.start is not None  # missing: DATE, shown above
        return views.repeat_view(t, draft.start, tz)
    if step is Step.PLACE:
        return views.place_prompt(t), None
    if step is Step.LINK:
        return views.link_prompt(t), None
    if step is Step.CAPACITY:
        return views.capacity_view(t)
    if step in (Step.KIND, Step.TITLE, Step.OPEN):
        return _kind_view(t, step, draft)
    summary = _summary(draft)
    assert summary is not None  # a missing answer is shown above
    extra = event_forms.summary_lines(t, draft.kind, draft.title, draft.open_to_all)
    text, markup = views.summary_view(t, group, summary, own_tz, extra)
    return text, event_forms.with_kind_button(t, markup)


FLOW = StepFlow(
    AuthoringDraft.NEW_MEETING,
    NewMeetingDraft,
    _view,
    hint=views.use_buttons_hint,
    lost=not_facilitator_text,  # the group is no longer theirs (role removed, group archived)
    area=Area.NEW_MEETING,
)


async def begin(update: Update, context: RangkulContext) -> int:
    """/newmeeting: straight to the day for one group, else the group choice."""
    groups = await facilitated_groups(update, context)
    if not groups:
        return await FLOW.lost(update, context)
    if len(groups) > 1:
        return await FLOW.go(update, context, Step.GROUP, NewMeetingDraft(), edit=False)
    draft = NewMeetingDraft(group_id=groups[0].id)
    return await FLOW.go(update, context, Step.DATE, draft, edit=False)


async def begin_at(update: Update, context: RangkulContext, action: ScheduleAt) -> int:
    """A time picked from a poll's results: /newmeeting for that group with the start filled
    in (checked again: it may have passed), below the results."""
    if not await may_use_group(update, context, action.group_id):
        return ConversationHandler.END
    draft = NewMeetingDraft(group_id=action.group_id)
    start = parse_start_code(action.start)
    if start is None:
        return await FLOW.go(update, context, Step.DATE, draft, edit=False)
    checked = check_start(start, context.services.clock.now())
    if checked.problem is not None:
        return await _accept_start(update, context, draft, None, checked.problem)
    draft.start = checked.start
    return await FLOW.go(update, context, Step.DURATION, draft, edit=False)


async def choose_group(update: Update, context: RangkulContext, action: ChooseMeetingGroup) -> int:
    """A group button, checked: another group's id (a forged button) is refused."""
    if not await may_use_group(update, context, action.group_id):
        return Step.GROUP
    draft = FLOW.draft(context)
    draft.group_id = action.group_id
    return await FLOW.go(update, context, Step.DATE, draft)


async def choose_day(update: Update, context: RangkulContext, action: MeetingDay) -> int:
    draft = FLOW.draft(context)
    if parse_day(action.day) is None:
        return await FLOW.go(update, context, Step.DATE, draft)
    draft.day, draft.tpage = action.day, EVENING_PAGE
    return await FLOW.go(update, context, Step.TIME, draft)


async def time_page(update: Update, context: RangkulContext, action: MeetingTimesPage) -> int:
    draft = FLOW.draft(context)
    draft.tpage = action.page
    return await FLOW.go(update, context, Step.TIME, draft)


async def back_to_days(update: Update, context: RangkulContext, _: MeetingDays) -> int:
    return await FLOW.go(update, context, Step.DATE, FLOW.draft(context))


async def choose_time(update: Update, context: RangkulContext, action: MeetingTime) -> int:
    """A time button: checked again (the day may have passed while the buttons stood)."""
    draft = FLOW.draft(context)
    group = await facilitated_group(update, context, draft.group_id)
    day, at = parse_day(draft.day or ""), parse_time(action.time)
    if group is None or day is None or at is None:
        return await FLOW.go(update, context, Step.DATE, draft)
    checked = check_start(local_start(day, at, group.timezone), context.services.clock.now())
    return await _accept_start(update, context, draft, checked.start, checked.problem)


async def typed_start(update: Update, context: RangkulContext) -> int:
    """A typed date and time, in the group's timezone."""
    draft = FLOW.draft(context)
    group = await facilitated_group(update, context, draft.group_id)
    if group is None:
        return await FLOW.lost(update, context)
    checked = parse_typed_start(text_of(update), group.timezone, context.services.clock.now())
    return await _accept_start(update, context, draft, checked.start, checked.problem)


async def _accept_start(
    update: Update,
    context: RangkulContext,
    draft: NewMeetingDraft,
    start: datetime | None,
    problem: TimeProblem | None,
) -> int:
    if problem is not None:
        session = await context.session(update)
        await show(update, time_problem_text(session.t, problem), edit=False)
        return await FLOW.go(update, context, Step.DATE, draft, edit=False)
    draft.start = start
    return await FLOW.go(update, context, Step.DURATION, draft)


async def choose_duration(update: Update, context: RangkulContext, action: MeetingDuration) -> int:
    draft = FLOW.draft(context)
    if action.minutes not in DURATIONS:
        return await FLOW.go(update, context, Step.DURATION, draft)
    draft.duration = action.minutes
    return await FLOW.go(update, context, Step.REPEAT, draft)


async def choose_repeat(update: Update, context: RangkulContext, action: MeetingRepeat) -> int:
    draft = FLOW.draft(context)
    draft.recurrence = action.recurrence
    group = await facilitated_group(update, context, draft.group_id)
    if group is None:
        return await FLOW.lost(update, context)
    step = Step.PLACE if group.format.meets_in_person else Step.LINK
    return await FLOW.go(update, context, step, draft)


async def typed_place(update: Update, context: RangkulContext) -> int:
    session = await context.session(update)
    checked = check_place(text_of(update))
    if isinstance(checked, TextProblem):
        await show(update, place_problem_text(session.t, checked))
        return Step.PLACE
    draft = FLOW.draft(context)
    draft.place = checked
    group = await facilitated_group(update, context, draft.group_id)
    if group is None:
        return await FLOW.lost(update, context)
    step = Step.LINK if group.format.meets_online else Step.CAPACITY
    return await FLOW.go(update, context, step, draft)


async def typed_link(update: Update, context: RangkulContext) -> int:
    session = await context.session(update)
    checked = check_join_link(text_of(update))
    if isinstance(checked, TextProblem):
        await show(update, link_problem_text(session.t, checked))
        return Step.LINK
    draft = FLOW.draft(context)
    draft.link = checked
    return await FLOW.go(update, context, Step.CAPACITY, draft)


async def choose_capacity(update: Update, context: RangkulContext, action: MeetingCapacity) -> int:
    # A pressed number is held to the same bounds as a typed one.
    return await _accept_capacity(update, context, str(action.capacity))


async def typed_capacity(update: Update, context: RangkulContext) -> int:
    return await _accept_capacity(update, context, text_of(update))


async def _accept_capacity(update: Update, context: RangkulContext, raw: str) -> int:
    draft = FLOW.draft(context)
    capacity = parse_capacity(raw)
    if capacity is None:
        session = await context.session(update)
        # follow_up: the step below answers a press, and Telegram takes one answer only.
        await follow_up(update, views.capacity_problem_text(session.t))
        return await FLOW.go(update, context, Step.CAPACITY, draft, edit=False)
    draft.capacity = capacity
    return await FLOW.go(update, context, Step.CONFIRM, draft)


async def confirm(update: Update, context: RangkulContext, _: ScheduleMeeting) -> int:
    """Saves the meeting if the person still facilitates the group and the time is ahead."""
    session = await context.session(update)
    draft = FLOW.draft(context)
    group = await facilitated_group(update, context, draft.group_id)
    if group is None:
        return await FLOW.lost(update, context)
    summary = _summary(draft)
    if summary is None:
        return await FLOW.go(update, context, Step.CONFIRM, draft)
    problem = check_start(summary.start, context.services.clock.now()).problem
    if problem is not None:
        await show(update, time_problem_text(session.t, problem), edit=False)
        return await FLOW.go(update, context, Step.DATE, draft, edit=False)
    new = NewMeeting(
        group_id=group.id,
        first_starts_at=summary.start,
        duration_minutes=summary.duration,
        recurrence=summary.recurrence,
        place=summary.place,
        join_link=summary.link,
        capacity=summary.capacity,
        kind=draft.kind,
        title=draft.title,
        open_to_all=draft.open_to_all and may_be_open(draft.kind),
    )
    # Only members facilitate groups (an empty set otherwise): one facilitated group, a member.
    assert session.member is not None
    s = context.services
    meetings = await service.schedule(
        s.meetings, s.groups, s.outbox, s.clock, new, session.member.id
    )
    text = views.scheduled_text(session.t, group, meetings, session.member.timezone)
    return await FLOW.end(update, context, text)


async def discard(update: Update, context: RangkulContext, _: DiscardMeeting) -> int:
    session = await context.session(update)
    return await FLOW.end(update, context, views.discarded_text(session.t))


def _summary(draft: NewMeetingDraft) -> views.Summary | None:
    """The answers as the summary shows them; None while one is missing (``first_missing()``)."""
    if (
        draft.start is None
        or draft.duration is None
        or draft.recurrence is None
        or draft.capacity is None
    ):
        return None
    return views.Summary(
        start=draft.start,
        duration=draft.duration,
        recurrence=draft.recurrence,
        place=draft.place,
        link=draft.link,
        capacity=draft.capacity,
    )


# --- kind, title and who may come (from the summary) ------------------------------------------


def _kind_view(t: Translator, step: Step, draft: NewMeetingDraft) -> View:
    if step is Step.KIND:
        return event_forms.kind_view(t)
    if step is Step.TITLE:
        return event_forms.title_view(t, draft.kind)
    return event_forms.open_view(t)


async def edit_kind(update: Update, context: RangkulContext, _: EditKind) -> int:
    return await FLOW.go(update, context, Step.KIND, FLOW.draft(context))


async def choose_kind(update: Update, context: RangkulContext, action: ChooseKind) -> int:
    draft = FLOW.draft(context)
    draft.kind, draft.title = action.kind, None
    draft.open_to_all = draft.open_to_all and may_be_open(action.kind)
    return await FLOW.go(update, context, Step.TITLE, draft)


async def typed_title(update: Update, context: RangkulContext) -> int:
    checked = check_title(text_of(update))
    if isinstance(checked, TitleProblem):
        session = await context.session(update)
        note = event_forms.title_problem_text(session.t, checked)
        return await FLOW.go(
            update, context, Step.TITLE, FLOW.draft(context), edit=False, note=note
        )
    return await _after_title(update, context, checked)


async def no_title(update: Update, context: RangkulContext, _: NoTitle) -> int:
    return await _after_title(update, context, None)


async def _after_title(update: Update, context: RangkulContext, title: str | None) -> int:
    draft = FLOW.draft(context)
    draft.title = title
    step = Step.OPEN if may_be_open(draft.kind) else Step.CONFIRM
    return await FLOW.go(update, context, step, draft)


async def choose_open(update: Update, context: RangkulContext, action: ChooseOpen) -> int:
    draft = FLOW.draft(context)
    draft.open_to_all = action.open_to_all and may_be_open(draft.kind)
    return await FLOW.go(update, context, Step.CONFIRM, draft)


async def step_passed(update: Update, context: RangkulContext, _: object) -> int | None:
    """A kind, title or openness button whose step has passed (a double tap): a short toast,
    and nothing changes."""
    session = await context.session(update)
    await query_of(update).answer(session.t("Already noted."))
    return None


def _kind_states() -> dict[object, list[BaseHandler]]:
    text = filters.TEXT & ~filters.COMMAND
    # Each step's own button first; a button of a step already passed comes after it.
    return {
        Step.KIND: [on_button(ChooseKind, choose_kind), *_passed_kind_buttons()],
        Step.TITLE: [
            MessageHandler(text, typed_title),
            on_button(NoTitle, no_title),
            *_passed_kind_buttons(),
        ],
        Step.OPEN: [on_button(ChooseOpen, choose_open), *_passed_kind_buttons()],
    }


def _passed_kind_buttons() -> list[BaseHandler]:
    return [on_button(action, step_passed) for action in (ChooseKind, NoTitle, ChooseOpen)]


def handlers() -> list[BaseHandler]:
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
            on_button(EditKind, edit_kind),
            *_passed_kind_buttons(),
            *days,
        ],
        **_kind_states(),
    }
    FLOW.add_step_hints(states)
    return [
        persistent_conversation(
            "new_meeting",
            allow_reentry=True,
            entry_points=[CommandHandler("newmeeting", begin), on_button(ScheduleAt, begin_at)],
            states=states,
            fallbacks=common_fallbacks(),
        )
    ]
