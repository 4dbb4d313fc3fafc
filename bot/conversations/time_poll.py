"""/poll_time: a facilitator proposes 2-5 candidate times; each member of the group gets a
native Telegram poll in their own language and timezone, or (for a group with a linked chat,
as the facilitator chooses) one anonymous poll is posted in the group chat, or both; /poll_time
again shows the counts, and "End the poll" ends it.

Private polls are sent here directly, one per member; the bot's rate limiter
(bot/rate_limiter.py) paces them, and a member who cannot be reached is skipped. Answers arrive
as poll_answer updates (bot.handlers.meetings). The chat poll is one post that must not be lost
or doubled, so it goes through the outbox (bot.notifications.group_chats), which retries it
after a passing failure; its counts arrive as poll updates.
"""

from __future__ import annotations

import enum
import html
import logging
from dataclasses import dataclass, field
from datetime import datetime

from telegram import Update
from telegram.error import TelegramError
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
    TimeProblem,
    check_start,
    local_start,
    parse_typed_start,
    picker_dates,
    picker_times,
)
from bot.domain.member import Member
from bot.domain.time_polls import PollTarget, TimePoll
from bot.i18n import get_translator
from bot.narrowing import text_of
from bot.services import time_polls
from bot.telegram_glue.chat import show
from bot.telegram_glue.conversation import common_fallbacks, persistent_conversation
from bot.telegram_glue.facilitated import facilitated_group, facilitated_groups, may_use_group
from bot.telegram_glue.flow import StepFlow
from bot.ui import meeting_forms as views
from bot.ui.callbacks import Area, on_button
from bot.ui.meeting_forms import (
    ChoosePollGroup,
    NewPoll,
    PollDay,
    PollDays,
    PollTime,
    PollTimesPage,
    SendPoll,
    SendPollTo,
)
from bot.ui.meeting_picker import EVENING_PAGE, parse_day, parse_time
from bot.ui.meetings import not_facilitator_text, time_problem_text
from bot.ui.view import View

log = logging.getLogger(__name__)


class Step(enum.IntEnum):
    GROUP = 1
    # 2 was the results, now shown as the conversation ends (their buttons start flows anew)
    DATE = 3
    TIME = 4
    WHERE = 5  # privately, in the linked group chat, or both


@dataclass
class TimePollDraft:
    group_id: int | None = None
    chosen: list[datetime] = field(default_factory=list)  # the times proposed so far, in order
    day: str | None = None  # a picker day code, while times of that day are shown
    tpage: int = EVENING_PAGE


async def _view(
    update: Update, context: RangkulContext, step: Step, draft: TimePollDraft
) -> View | Step | None:
    """How ``step`` looks; results without a poll, or times without a day, fall back to
    proposing times. None if the group is not theirs (any more)."""
    session = await context.session(update)
    t, now = session.t, context.services.clock.now()
    if step is Step.GROUP:  # nothing chosen yet: the choice is between all their groups
        groups = await facilitated_groups(update, context)
        return views.poll_group_choice_view(t, groups) if groups else None
    group = await facilitated_group(update, context, draft.group_id)
    if group is None:
        return None
    # Only members facilitate groups (an empty set otherwise): one facilitated group, a member.
    assert session.member is not None
    own_tz = session.member.timezone
    if step is Step.WHERE:
        chat = await context.services.group_chats.by_group(group.id)
        if chat is None or len(draft.chosen) < views.MIN_POLL_OPTIONS:
            return Step.DATE  # unlinked meanwhile: asked privately, from the times
        return views.poll_where_view(t, chat.title)
    if step is Step.TIME:
        day = parse_day(draft.day or "")
        if day is None:
            return Step.DATE
        times = picker_times(day, group.timezone, now)
        return views.poll_time_view(t, day, group.timezone, times, draft.tpage)
    days = picker_dates(now, group.timezone)
    return views.poll_pick_view(t, group, days, draft.chosen, own_tz)


FLOW = StepFlow(
    "time_poll",
    TimePollDraft,
    _view,
    hint=views.use_buttons_hint,
    lost=not_facilitator_text,  # the group is no longer theirs (role removed, group archived)
    area=Area.TIME_POLL,
)


async def begin(update: Update, context: RangkulContext) -> int:
    """/poll_time: the group's latest poll for one group, else the group choice."""
    groups = await facilitated_groups(update, context)
    if not groups:
        return await FLOW.lost(update, context)
    if len(groups) > 1:
        return await FLOW.go(update, context, Step.GROUP, TimePollDraft(), edit=False)
    return await _results_or_pick(update, context, TimePollDraft(group_id=groups[0].id))


async def choose_group(update: Update, context: RangkulContext, action: ChoosePollGroup) -> int:
    """A group button, checked: another group's id (a forged button) is refused."""
    if not await may_use_group(update, context, action.group_id):
        return Step.GROUP
    draft = FLOW.draft(context)
    draft.group_id = action.group_id
    return await _results_or_pick(update, context, draft)


async def _results_or_pick(update: Update, context: RangkulContext, draft: TimePollDraft) -> int:
    """The answers to the group's latest poll, or proposing times if it has none yet.

    The answers end the conversation: they are something to read, and their buttons (a new
    poll, scheduling one of the times in /newmeeting) start a flow of their own, so nothing
    typed afterwards is taken as an answer here."""
    edit = update.callback_query is not None
    group = await facilitated_group(update, context, draft.group_id)
    if group is None:
        return await FLOW.lost(update, context)
    poll = await context.services.time_polls.latest(group.id)
    if poll is None:
        return await FLOW.go(update, context, Step.DATE, draft, edit=edit)
    session = await context.session(update)
    # Only members facilitate groups (an empty set otherwise): one facilitated group, a member.
    assert session.member is not None
    results = await context.services.time_polls.results(poll)
    chat_poll = await context.services.time_polls.chat_poll(poll.id)
    view = views.poll_results_view(
        session.t, group, poll, results, chat_poll, session.member.timezone
    )
    return await FLOW.end(update, context, *view, edit=edit)


async def new_poll(update: Update, context: RangkulContext, action: NewPoll) -> int:
    """ "Propose new times" under the results: a fresh poll for that group."""
    if not await may_use_group(update, context, action.group_id):
        return ConversationHandler.END
    draft = TimePollDraft(group_id=action.group_id)
    # Below the results, which stay to be read while the times are picked.
    return await FLOW.go(update, context, Step.DATE, draft, edit=False)


async def choose_day(update: Update, context: RangkulContext, action: PollDay) -> int:
    draft = FLOW.draft(context)
    if parse_day(action.day) is None:
        return await FLOW.go(update, context, Step.DATE, draft)
    draft.day, draft.tpage = action.day, EVENING_PAGE
    return await FLOW.go(update, context, Step.TIME, draft)


async def time_page(update: Update, context: RangkulContext, action: PollTimesPage) -> int:
    draft = FLOW.draft(context)
    draft.tpage = action.page
    return await FLOW.go(update, context, Step.TIME, draft)


async def back_to_days(update: Update, context: RangkulContext, _: PollDays) -> int:
    return await FLOW.go(update, context, Step.DATE, FLOW.draft(context))


async def choose_time(update: Update, context: RangkulContext, action: PollTime) -> int:
    draft = FLOW.draft(context)
    group = await facilitated_group(update, context, draft.group_id)
    day, at = parse_day(draft.day or ""), parse_time(action.time)
    if group is None or day is None or at is None:
        return await FLOW.lost(update, context)
    checked = check_start(local_start(day, at, group.timezone), context.services.clock.now())
    return await _add(update, context, draft, checked.start, checked.problem)


async def typed_time(update: Update, context: RangkulContext) -> int:
    draft = FLOW.draft(context)
    group = await facilitated_group(update, context, draft.group_id)
    if group is None:
        return await FLOW.lost(update, context)
    now = context.services.clock.now()
    checked = parse_typed_start(text_of(update), group.timezone, now)
    return await _add(update, context, draft, checked.start, checked.problem)


async def _add(
    update: Update,
    context: RangkulContext,
    draft: TimePollDraft,
    start: datetime | None,
    problem: TimeProblem | None,
) -> int:
    session = await context.session(update)
    if problem is not None:
        await show(update, time_problem_text(session.t, problem), edit=False)
        return await FLOW.go(update, context, Step.DATE, draft, edit=False)
    # A check without a problem always has the start.
    assert start is not None
    if start in draft.chosen:
        await show(update, views.poll_duplicate_text(session.t), edit=False)
        return await FLOW.go(update, context, Step.DATE, draft, edit=False)
    if len(draft.chosen) < views.MAX_POLL_OPTIONS:
        draft.chosen = sorted([*draft.chosen, start])
    return await FLOW.go(update, context, Step.DATE, draft)


async def send(update: Update, context: RangkulContext, _: SendPoll) -> int:
    """ "Send the poll": where to ask, for a group with a linked chat; else privately."""
    draft = FLOW.draft(context)
    group = await facilitated_group(update, context, draft.group_id)
    linked = group is not None and await context.services.group_chats.by_group(group.id)
    if linked and len(draft.chosen) >= views.MIN_POLL_OPTIONS:
        return await FLOW.go(update, context, Step.WHERE, draft)
    return await _ask(update, context, draft, PollTarget.PRIVATE)  # it re-checks the rest


async def send_to(update: Update, context: RangkulContext, action: SendPollTo) -> int:
    """A "where" button: the group is the draft's (checked again), its chat the group's own."""
    return await _ask(update, context, FLOW.draft(context), action.where)


async def _ask(
    update: Update, context: RangkulContext, draft: TimePollDraft, where: PollTarget
) -> int:
    """Creates the poll and asks it where chosen: each reachable member privately, in their
    own language; the group chat through the outbox."""
    session = await context.session(update)
    group = await facilitated_group(update, context, draft.group_id)
    if group is None:
        return await FLOW.lost(update, context)
    chosen = draft.chosen
    if len(chosen) < views.MIN_POLL_OPTIONS:
        return await FLOW.go(update, context, Step.DATE, draft)
    services = context.services
    if where.in_chat and await services.group_chats.by_group(group.id) is None:
        return await FLOW.go(update, context, Step.DATE, draft)  # unlinked meanwhile
    # Only members facilitate groups (an empty set otherwise): one facilitated group, a member.
    assert session.member is not None
    poll, recipients = await time_polls.start_time_poll(
        services.time_polls, services.members, services.clock, group.id, chosen, session.member.id
    )
    lines = []
    if where.in_chat and await time_polls.ask_in_chat(
        services.time_polls, services.group_chats, services.outbox, services.clock, poll
    ):
        lines.append(views.poll_in_chat_text(session.t))
    if where.private:
        sent = await _ask_privately(context, group, poll, recipients)
        lines.insert(0, views.poll_sent_text(session.t, sent))
    return await FLOW.end(update, context, "\n\n".join(lines))


async def _ask_privately(
    context: RangkulContext, group: Group, poll: TimePoll, recipients: list[Member]
) -> int:
    """Sends the poll to each member; returns to how many it went."""
    sent = 0
    for member in recipients:
        t = get_translator(member.language)
        try:
            message = await context.bot.send_poll(
                member.telegram_id,
                # Poll questions are plain text here: the escaped group name is turned back.
                html.unescape(views.poll_question(t, group)),
                [views.poll_option(t, start, member.timezone) for start in poll.options],
                is_anonymous=False,
                allows_multiple_answers=True,
                question_parse_mode=None,
            )
        except TelegramError as exc:  # blocked or gone: the others still get theirs
            log.warning("time poll: not sent to one member (%s)", type(exc).__name__)
            continue
        assert message.poll is not None  # send_poll's message is the poll
        await time_polls.poll_sent(context.services.time_polls, poll, member, message.poll.id)
        sent += 1
    return sent


def handlers() -> list[BaseHandler]:
    """The persistent /poll_time conversation (ending a poll: bot.handlers.meetings)."""
    text = filters.TEXT & ~filters.COMMAND
    sending = on_button(SendPoll, send)
    states: dict[object, list[BaseHandler]] = {
        Step.GROUP: [on_button(ChoosePollGroup, choose_group)],
        Step.DATE: [on_button(PollDay, choose_day), sending, MessageHandler(text, typed_time)],
        Step.TIME: [
            on_button(PollTime, choose_time),
            on_button(PollTimesPage, time_page),
            on_button(PollDays, back_to_days),
            sending,
            MessageHandler(text, typed_time),
        ],
        Step.WHERE: [on_button(SendPollTo, send_to)],
    }
    FLOW.add_step_hints(states)
    return [
        persistent_conversation(
            "time_poll",
            allow_reentry=True,
            entry_points=[CommandHandler("poll_time", begin), on_button(NewPoll, new_poll)],
            states=states,
            fallbacks=common_fallbacks(),
        )
    ]
