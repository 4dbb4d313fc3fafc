"""/poll_time: a facilitator proposes 2-5 candidate times; each member of the group gets a
native Telegram poll in their own language and timezone; /poll_time again shows the counts.

Polls cannot go through the outbox (a poll is not a text message and its Telegram id must be
stored when it is sent), so they are sent here directly, one per member; the bot's rate
limiter (bot/rate_limiter.py) paces them. Answers arrive as poll_answer updates
(bot.handlers.meetings).
"""

from __future__ import annotations

import enum
import html
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

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
    check_start,
    local_start,
    parse_typed_start,
    picker_dates,
    picker_times,
)
from bot.i18n import get_translator
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
    ChoosePollGroup,
    NewPoll,
    PollDay,
    PollDays,
    PollTime,
    PollTimesPage,
    SendPoll,
)
from bot.ui.meeting_picker import EVENING_PAGE, parse_day, parse_time
from bot.ui.meetings import not_facilitator_text, time_problem_text
from bot.ui.view import View

log = logging.getLogger(__name__)

DRAFT_KEY = "time_poll"


class Step(enum.IntEnum):
    GROUP = 1
    RESULTS = 2
    DATE = 3
    TIME = 4


def _draft(context: RangkulContext) -> dict[str, Any]:
    return draft(context, DRAFT_KEY)


async def _group(update: Update, context: RangkulContext) -> Group | None:
    return await facilitated_group(update, context, _draft(context).get("group_id"))


async def begin(update: Update, context: RangkulContext) -> int:
    """/poll_time: the group's latest poll for one group, else the group choice."""
    groups = await begin_with_group(update, context, DRAFT_KEY)
    if not groups:
        return ConversationHandler.END
    if len(groups) > 1:
        return await _step(update, context, Step.GROUP, edit=False)
    return await _results_or_pick(update, context)


async def choose_group(update: Update, context: RangkulContext, action: ChoosePollGroup) -> int:
    """A group button, checked: another group's id (a forged button) is refused."""
    if not await pick_group(update, context, DRAFT_KEY, action.group_id):
        return Step.GROUP
    return await _results_or_pick(update, context)


async def _results_or_pick(update: Update, context: RangkulContext) -> int:
    """The answers to the group's latest poll, or proposing times if it has none yet."""
    return await _step(update, context, Step.RESULTS, edit=update.callback_query is not None)


async def new_poll(update: Update, context: RangkulContext, _: NewPoll) -> int:
    _draft(context)["chosen"] = []
    return await _pick(update, context)


async def _pick(update: Update, context: RangkulContext, *, edit: bool = True) -> int:
    return await _step(update, context, Step.DATE, edit=edit)


async def choose_day(update: Update, context: RangkulContext, action: PollDay) -> int:
    if parse_day(action.day) is None:
        return await _pick(update, context)
    _draft(context).update(day=action.day, tpage=EVENING_PAGE)
    return await _times(update, context)


async def time_page(update: Update, context: RangkulContext, action: PollTimesPage) -> int:
    _draft(context)["tpage"] = action.page
    return await _times(update, context)


async def back_to_days(update: Update, context: RangkulContext, _: PollDays) -> int:
    return await _pick(update, context)


async def _times(update: Update, context: RangkulContext) -> int:
    return await _step(update, context, Step.TIME)


async def choose_time(update: Update, context: RangkulContext, action: PollTime) -> int:
    group = await _group(update, context)
    day, at = parse_day(_draft(context).get("day", "")), parse_time(action.time)
    if group is None or day is None or at is None:
        return await _lost(update, context)
    checked = check_start(local_start(day, at, group.timezone), context.services.clock.now())
    return await _add(update, context, checked.start, checked.problem)


async def typed_time(update: Update, context: RangkulContext) -> int:
    group = await _group(update, context)
    if group is None:
        return await _lost(update, context)
    now = context.services.clock.now()
    checked = parse_typed_start(update.message.text, group.timezone, now)
    return await _add(update, context, checked.start, checked.problem)


async def _add(update: Update, context: RangkulContext, start: datetime | None, problem) -> int:
    session = await context.session(update)
    chosen: list[str] = _draft(context).setdefault("chosen", [])
    if problem is not None:
        await show(update, time_problem_text(session.t, problem), edit=False)
        return await _pick(update, context, edit=False)
    if to_db_time(start) in chosen:
        await show(update, views.poll_duplicate_text(session.t), edit=False)
        return await _pick(update, context, edit=False)
    if len(chosen) < views.MAX_POLL_OPTIONS:
        chosen.append(to_db_time(start))
        chosen.sort()
    return await _pick(update, context)


async def send(update: Update, context: RangkulContext, _: SendPoll) -> int:
    """Creates the poll and sends it to every reachable member, each in their own language."""
    session = await context.session(update)
    group = await _group(update, context)
    if group is None:
        return await _lost(update, context)
    chosen = [from_db_time(c) for c in _draft(context).get("chosen", [])]
    if len(chosen) < views.MIN_POLL_OPTIONS:
        return await _pick(update, context)
    services = context.services
    poll = await services.time_polls.create(
        group.id, chosen, session.member.id, services.clock.now()
    )
    sent = 0
    for member_id in await services.time_polls.recipients(group.id):
        member = await services.members.by_id(member_id)
        if member is None:
            continue
        t = get_translator(member.language)
        try:
            message = await context.bot.send_poll(
                member.telegram_id,
                # Poll questions are plain text here: the escaped group name is turned back.
                html.unescape(views.poll_question(t, group)),
                [views.poll_option(t, start, member.timezone) for start in chosen],
                is_anonymous=False,
                allows_multiple_answers=True,
                question_parse_mode=None,
            )
        except TelegramError as exc:  # blocked or gone: the others still get theirs
            log.warning("time poll: not sent to one member (%s)", type(exc).__name__)
            continue
        await services.time_polls.add_message(poll.id, member.id, message.poll.id)
        sent += 1
    context.user_data.pop(DRAFT_KEY, None)
    await show(update, views.poll_sent_text(session.t, sent))
    return ConversationHandler.END


def _reprompt(step: Step) -> Callable[[Update, RangkulContext], Awaitable[int]]:
    """Anything unexpected at ``step`` (text, a sticker, an old button): a hint and the step's
    buttons again."""

    async def reprompt(update: Update, context: RangkulContext) -> int:
        t = (await context.session(update)).t
        found = await _view(update, context, step)
        if found is None:
            return await _lost(update, context)
        shown, view = found
        if update.callback_query is not None:
            await update.callback_query.answer(views.use_buttons_hint(t))
        await follow_up(update, *views.with_hint(t, view))
        return shown

    return reprompt


async def _step(update: Update, context: RangkulContext, step: Step, *, edit: bool = True) -> int:
    """Shows ``step`` for the draft as it is now."""
    found = await _view(update, context, step)
    if found is None:
        return await _lost(update, context)
    shown, view = found
    await show(update, *view, edit=edit)
    return shown


async def _view(update: Update, context: RangkulContext, step: Step) -> tuple[Step, View] | None:
    """The step to show and how it looks; results without a poll, or times without a day,
    fall back to proposing times. None if the group is not theirs (any more)."""
    session = await context.session(update)
    t, draft, now = session.t, _draft(context), context.services.clock.now()
    if step is Step.GROUP:  # nothing chosen yet: the choice is between all their groups
        groups = await facilitated_groups(update, context)
        return (step, views.poll_group_choice_view(t, groups)) if groups else None
    group = await _group(update, context)
    if group is None:
        return None
    own_tz = session.member.timezone
    poll = await context.services.time_polls.latest(group.id) if step is Step.RESULTS else None
    if poll is not None:
        results = await context.services.time_polls.results(poll)
        counts, voters = results.counts, results.voters
        return step, views.poll_results_view(t, group, poll.options, counts, voters, own_tz)
    day = parse_day(draft.get("day", ""))
    if step is Step.TIME and day is not None:
        times = picker_times(day, group.timezone, now)
        return step, views.poll_time_view(
            t, day, group.timezone, times, draft.get("tpage", EVENING_PAGE)
        )
    chosen = [from_db_time(c) for c in draft.setdefault("chosen", [])]
    days = picker_dates(now, group.timezone)
    return Step.DATE, views.poll_pick_view(t, group, days, chosen, own_tz)


async def _lost(update: Update, context: RangkulContext) -> int:
    session = await context.session(update)
    context.user_data.pop(DRAFT_KEY, None)
    await show(update, not_facilitator_text(session.t), edit=False)
    return ConversationHandler.END


def build_time_poll_conversation() -> ConversationHandler:
    """The persistent /poll_time conversation."""
    text = filters.TEXT & ~filters.COMMAND
    sending = on_button(SendPoll, send)
    states: dict[object, list[BaseHandler]] = {
        Step.GROUP: [on_button(ChoosePollGroup, choose_group)],
        Step.RESULTS: [on_button(NewPoll, new_poll)],
        Step.DATE: [on_button(PollDay, choose_day), sending, MessageHandler(text, typed_time)],
        Step.TIME: [
            on_button(PollTime, choose_time),
            on_button(PollTimesPage, time_page),
            on_button(PollDays, back_to_days),
            sending,
            MessageHandler(text, typed_time),
        ],
    }
    add_step_hints(states, _reprompt, Area.TIME_POLL)
    return persistent_conversation(
        "time_poll",
        allow_reentry=True,
        entry_points=[CommandHandler("poll_time", begin)],
        states=states,
        fallbacks=common_fallbacks(),
    )
