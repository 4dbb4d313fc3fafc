"""/settings: a member sees what their profile holds and corrects it (UU PDP right to
rectification): alias and language through their own flows (/alias, /language), province by
button or typed name, topics by toggles; sets their weekly check-in (day, time by button or
typed, a pause, off and on again); and mutes or unmutes each of their groups' announcements.

There is no draft: each screen carries what it shows (the page, the ticked topics, and the
value stored when it was shown), and a correction is saved in the domain tables at once. A
press on a screen whose stored value has changed since (an old message, the second of a double
tap) gets a short toast and changes nothing (bot.domain.corrections). The conversation exists
only so that a province name typed after the province buttons (or a time after the check-in
time buttons) is read as one.
"""

from __future__ import annotations

import enum
from collections.abc import Callable

from telegram import Message, Update
from telegram.ext import BaseHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot.context import RangkulContext
from bot.domain.checkin_cadence import MINUTES_PER_DAY, parse_time_of_day
from bot.domain.corrections import Correction
from bot.domain.member import Member
from bot.domain.regions import region_by_name
from bot.domain.topics import topics_from_mask, topics_mask
from bot.i18n import Translator
from bot.narrowing import query_of, text_of
from bot.services import broadcasts, checkin_schedule
from bot.services.profile import change_region, change_topics
from bot.telegram_glue.chat import follow_up, show
from bot.telegram_glue.conversation import common_fallbacks, persistent_conversation
from bot.telegram_glue.distress_reply import answer_distress
from bot.telegram_glue.registered import member_or_refuse
from bot.ui import announcement_settings as announcement_views
from bot.ui import checkin_schedule as checkin_views
from bot.ui import settings as views
from bot.ui.announcement_settings import OpenAnnouncementSettings, SwitchAnnouncements
from bot.ui.callbacks import on_button
from bot.ui.checkin_schedule import (
    CheckinDays,
    CheckinTimes,
    OpenCheckinSchedule,
    PauseCheckins,
    ResumeCheckins,
    SetCheckinDay,
    SetCheckinTime,
    StopCheckins,
)
from bot.ui.menu import OpenSettings, expired_button_text
from bot.ui.settings import EditTopics, ProvincePage, SaveTopics, SetProvince, ToggleMyTopic
from bot.ui.view import View

CONVERSATION = "settings"
# What a handler returns to leave the conversation's state as it is (PTB: None).
UNCHANGED_STATE = None
MAX_WEEKDAY = 6  # Sunday


class Step(enum.IntEnum):
    PROVINCE = 1  # the province buttons are shown: a typed name is an answer
    CHECKIN_TIME = 2  # the check-in time buttons are shown: a typed time is an answer


async def open_settings(
    update: Update, context: RangkulContext, _: OpenSettings | None = None
) -> int:
    """/settings, "⚙️ My settings" or "Back to settings": the profile and what to change."""
    member = await member_or_refuse(update, context)
    if member is not None:
        t = (await context.session(update)).t
        await show(update, *await _settings_screen(context, t, member))
    return ConversationHandler.END


async def _settings_screen(
    context: RangkulContext, t: Translator, member: Member, note: str = ""
) -> View:
    s = context.services
    audience = await s.checkins.audience(member.id)
    line = ""
    if audience is not None:
        line = checkin_views.schedule_line(
            t, audience.schedule, member.timezone, s.clock.now(), in_group=audience.in_active_group
        )
    in_group = bool(await s.broadcasts.groups_of(member.id))
    return views.settings_view(t, member, note, checkin=line, in_group=in_group)


async def province_page(update: Update, context: RangkulContext, action: ProvincePage) -> int:
    """The province buttons (a page of them); a typed name works from here on."""
    member = await member_or_refuse(update, context)
    if member is None:
        return ConversationHandler.END
    t = (await context.session(update)).t
    await show(update, *views.province_view(t, member, action.page))
    return Step.PROVINCE


async def choose_province(
    update: Update, context: RangkulContext, action: SetProvince
) -> int | None:
    member = await member_or_refuse(update, context)
    if member is None:
        return ConversationHandler.END
    return await _correct_region(update, context, member, action.code, action.shown)


async def typed_province(update: Update, context: RangkulContext) -> int | None:
    """A typed province name (or "online"); anything else gets the buttons again."""
    member = await member_or_refuse(update, context)
    if member is None:
        return ConversationHandler.END
    region = region_by_name(text_of(update))
    if region is None:
        return await ask_for_province(update, context)
    return await _correct_region(update, context, member, region, shown=None)


async def ask_for_province(update: Update, context: RangkulContext) -> int:
    """Not a province name (or not text at all): how to answer, and the buttons again."""
    member = await member_or_refuse(update, context)
    if member is None:
        return ConversationHandler.END
    t = (await context.session(update)).t
    text, markup = views.province_view(t, member, 0)
    if await answer_distress(update, context):
        # A feeling is not a wrong province name: the warm reply, then the step again.
        await follow_up(update, text, markup)
    else:
        await show(update, f"{views.province_not_found_text(t)}\n\n{text}", markup)
    return Step.PROVINCE


async def _correct_region(
    update: Update, context: RangkulContext, member: Member, region: str, shown: str | None
) -> int | None:
    s = context.services
    try:
        correction = await change_region(
            s.members, member, region, shown=shown, default_timezone=s.settings.timezone
        )
    except ValueError:  # a forged province code
        await _toast(update, expired_button_text((await context.session(update)).t))
        return UNCHANGED_STATE
    return await _after(update, context, correction)


async def edit_topics(update: Update, context: RangkulContext, _: EditTopics) -> int:
    """The topic toggles, as stored now."""
    member = await member_or_refuse(update, context)
    if member is not None:
        t = (await context.session(update)).t
        await show(update, *views.topics_view(t, member.topics, shown=member.topics))
    return ConversationHandler.END


async def toggle_topic(
    update: Update, context: RangkulContext, action: ToggleMyTopic
) -> int | None:
    """Ticks or unticks one topic on the screen (saved with "Done"): the button carries the
    whole selection it leads to, so two quick taps end where the person sees."""
    member = await member_or_refuse(update, context)
    if member is None:
        return ConversationHandler.END
    t = (await context.session(update)).t
    if topics_mask(member.topics) != action.shown:
        await _toast(update, views.out_of_date_text(t))
        return UNCHANGED_STATE
    if not _still_on_message(update):
        # The second of two quick taps, sent before the first one's screen arrived: the
        # screen already shows where that tap leads.
        await query_of(update).answer()
        return UNCHANGED_STATE
    shown = topics_from_mask(action.shown)
    await show(update, *views.topics_view(t, topics_from_mask(action.mask), shown=shown))
    return ConversationHandler.END


async def save_topics(update: Update, context: RangkulContext, action: SaveTopics) -> int | None:
    member = await member_or_refuse(update, context)
    if member is None:
        return ConversationHandler.END
    correction = await change_topics(
        context.services.members,
        member,
        topics_from_mask(action.mask),
        shown=topics_from_mask(action.shown),
    )
    return await _after(update, context, correction)


async def _after(update: Update, context: RangkulContext, correction: Correction) -> int | None:
    """Saved (or nothing to save): a short confirmation and the settings screen again. A press
    from a screen that is out of date, or a second tap: a toast, and nothing changes."""
    t = (await context.session(update)).t
    if correction is Correction.ALREADY:
        await _toast(update, views.already_saved_text(t))
        return UNCHANGED_STATE
    if correction is Correction.OUT_OF_DATE:
        await _toast(update, views.out_of_date_text(t))
        return UNCHANGED_STATE
    context.forget_session()
    session = await context.session(update)
    assert session.member is not None, "a correction keeps the member"
    screen = await _settings_screen(context, session.t, session.member, views.saved_text(t))
    await show(update, *screen)
    return ConversationHandler.END


# --- the weekly check-in ----------------------------------------------------------------------


async def open_checkin_schedule(
    update: Update, context: RangkulContext, _: OpenCheckinSchedule | None = None
) -> int:
    """The weekly check-in's screen: when it comes, and what to change."""
    member = await member_or_refuse(update, context)
    if member is not None:
        await _checkin_screen(update, context, member)
    return ConversationHandler.END


async def _checkin_screen(
    update: Update, context: RangkulContext, member: Member, note: str = ""
) -> None:
    s = context.services
    t = (await context.session(update)).t
    audience = await s.checkins.audience(member.id)
    if audience is None:  # erased meanwhile (/forget in another chat)
        await _toast(update, expired_button_text(t))
        return
    view = checkin_views.schedule_view(
        t,
        audience.schedule,
        member.timezone,
        s.clock.now(),
        in_group=audience.in_active_group,
        note=note,
    )
    await show(update, *view)


async def checkin_days(update: Update, context: RangkulContext, _: CheckinDays) -> int:
    member = await member_or_refuse(update, context)
    if member is not None:
        t = (await context.session(update)).t
        schedule = await context.services.checkins.schedule(member.id)
        await show(update, *checkin_views.days_view(t, schedule))
    return ConversationHandler.END


async def set_checkin_day(
    update: Update, context: RangkulContext, action: SetCheckinDay
) -> int | None:
    member = await member_or_refuse(update, context)
    if member is None:
        return ConversationHandler.END
    if action.weekday > MAX_WEEKDAY or action.shown > MAX_WEEKDAY:  # forged
        await _toast(update, expired_button_text((await context.session(update)).t))
        return UNCHANGED_STATE
    s = context.services
    correction = await checkin_schedule.change_day(
        s.checkins, s.outbox, member.id, action.weekday, shown=action.shown
    )
    return await _after_checkin(update, context, member, correction)


async def checkin_times(update: Update, context: RangkulContext, _: CheckinTimes) -> int:
    """The time buttons; a typed time works from here on."""
    member = await member_or_refuse(update, context)
    if member is None:
        return ConversationHandler.END
    t = (await context.session(update)).t
    schedule = await context.services.checkins.schedule(member.id)
    await show(update, *checkin_views.times_view(t, schedule, member.timezone))
    return Step.CHECKIN_TIME


async def set_checkin_time(
    update: Update, context: RangkulContext, action: SetCheckinTime
) -> int | None:
    member = await member_or_refuse(update, context)
    if member is None:
        return ConversationHandler.END
    if action.minute >= MINUTES_PER_DAY or action.shown >= MINUTES_PER_DAY:  # forged
        await _toast(update, expired_button_text((await context.session(update)).t))
        return UNCHANGED_STATE
    s = context.services
    correction = await checkin_schedule.change_time(
        s.checkins, s.outbox, member.id, action.minute, shown=action.shown
    )
    return await _after_checkin(update, context, member, correction)


async def typed_checkin_time(update: Update, context: RangkulContext) -> int | None:
    """A typed time such as 20:30; anything else gets a kind word and the buttons again."""
    member = await member_or_refuse(update, context)
    if member is None:
        return ConversationHandler.END
    minute = parse_time_of_day(text_of(update))
    if minute is None:
        return await ask_for_checkin_time(update, context)
    s = context.services
    correction = await checkin_schedule.change_time(
        s.checkins, s.outbox, member.id, minute, shown=None
    )
    return await _after_checkin(update, context, member, correction)


async def ask_for_checkin_time(update: Update, context: RangkulContext) -> int:
    """Not a time (or not text at all): how to write one, and the buttons again."""
    member = await member_or_refuse(update, context)
    if member is None:
        return ConversationHandler.END
    t = (await context.session(update)).t
    schedule = await context.services.checkins.schedule(member.id)
    text, markup = checkin_views.times_view(t, schedule, member.timezone)
    if await answer_distress(update, context):
        await follow_up(update, text, markup)
    else:
        await show(update, f"{checkin_views.time_not_understood_text(t)}\n\n{text}", markup)
    return Step.CHECKIN_TIME


async def pause_checkins(
    update: Update, context: RangkulContext, action: PauseCheckins
) -> int | None:
    member = await member_or_refuse(update, context)
    if member is None:
        return ConversationHandler.END
    s = context.services
    paused = await checkin_schedule.pause(s.checkins, s.outbox, s.clock, member.id, action.weeks)
    return await _after_switch(update, context, member, paused, checkin_views.paused_text)


async def stop_checkins(update: Update, context: RangkulContext, _: StopCheckins) -> int | None:
    member = await member_or_refuse(update, context)
    if member is None:
        return ConversationHandler.END
    s = context.services
    stopped = await checkin_schedule.stop(s.checkins, s.outbox, s.clock, member.id)
    return await _after_switch(update, context, member, stopped, checkin_views.stopped_text)


async def resume_checkins(update: Update, context: RangkulContext, _: ResumeCheckins) -> int | None:
    member = await member_or_refuse(update, context)
    if member is None:
        return ConversationHandler.END
    s = context.services
    resumed = await checkin_schedule.resume(s.checkins, s.outbox, s.clock, member.id)
    return await _after_switch(update, context, member, resumed, checkin_views.resumed_text)


async def _after_checkin(
    update: Update, context: RangkulContext, member: Member, correction: Correction
) -> int | None:
    """Saved (or nothing to save): the check-in's screen with a confirmation; an old screen
    or a second tap: a toast, and nothing changes."""
    t = (await context.session(update)).t
    if correction is Correction.ALREADY:
        await _toast(update, views.already_saved_text(t))
        return UNCHANGED_STATE
    if correction is Correction.OUT_OF_DATE:
        await _toast(update, views.out_of_date_text(t))
        return UNCHANGED_STATE
    await _checkin_screen(update, context, member, views.saved_text(t))
    return ConversationHandler.END


async def _after_switch(
    update: Update,
    context: RangkulContext,
    member: Member,
    changed: bool,
    note: Callable[[Translator], str],
) -> int | None:
    """Paused, off or on again: the screen with what changed; a second tap (or a forged
    pause) changes nothing."""
    t = (await context.session(update)).t
    if not changed:
        await _toast(update, views.already_saved_text(t))
        return UNCHANGED_STATE
    await _checkin_screen(update, context, member, note(t))
    return ConversationHandler.END


# --- announcements ------------------------------------------------------------------------------


async def open_announcements(
    update: Update, context: RangkulContext, _: OpenAnnouncementSettings
) -> int | None:
    """Each of the member's groups with its announcements on or muted."""
    member = await member_or_refuse(update, context)
    if member is None:
        return ConversationHandler.END
    t = (await context.session(update)).t
    groups = await context.services.broadcasts.groups_of(member.id)
    if not groups:  # an old settings screen: they have left every group since
        await _toast(update, views.out_of_date_text(t))
        return UNCHANGED_STATE
    await show(update, *announcement_views.announcements_view(t, groups))
    return ConversationHandler.END


async def switch_announcements(
    update: Update, context: RangkulContext, action: SwitchAnnouncements
) -> int | None:
    """Mutes or unmutes one group's announcements: the screen again, edited in place."""
    member = await member_or_refuse(update, context)
    if member is None:
        return ConversationHandler.END
    s = context.services
    t = (await context.session(update)).t
    correction = await broadcasts.switch_announcements(
        s.broadcasts, s.clock, member.id, action.group_id, shown_muted=action.shown_muted
    )
    if correction is None:  # no longer in that group (or a forged id)
        await _toast(update, views.out_of_date_text(t))
        return UNCHANGED_STATE
    if correction is Correction.ALREADY:
        await _toast(update, views.already_saved_text(t))
        return UNCHANGED_STATE
    groups = await s.broadcasts.groups_of(member.id)
    switched = next((g for g in groups if g.group_id == action.group_id), None)
    note = announcement_views.switched_text(t, switched) if switched is not None else ""
    await show(update, *announcement_views.announcements_view(t, groups, note))
    return ConversationHandler.END


def _still_on_message(update: Update) -> bool:
    """Whether the pressed button is on the message as it is now (Telegram sends the message
    in its current state with the press)."""
    query = query_of(update)
    message = query.message
    if not isinstance(message, Message) or message.reply_markup is None:
        return True  # too old for Telegram to send: judge by the data alone
    return any(
        button.callback_data == query.data
        for row in message.reply_markup.inline_keyboard
        for button in row
    )


async def _toast(update: Update, text: str) -> None:
    query = update.callback_query
    if query is not None:
        await query.answer(text)


def handlers() -> list[BaseHandler]:
    """The persistent /settings conversation: every button works from any state (an old
    message included); the province step also takes a typed name."""
    return [
        persistent_conversation(
            CONVERSATION,
            allow_reentry=True,
            entry_points=[
                CommandHandler("settings", open_settings),
                on_button(OpenSettings, open_settings),
                on_button(ProvincePage, province_page),
                on_button(SetProvince, choose_province),
                on_button(EditTopics, edit_topics),
                on_button(ToggleMyTopic, toggle_topic),
                on_button(SaveTopics, save_topics),
                on_button(OpenCheckinSchedule, open_checkin_schedule),
                on_button(CheckinDays, checkin_days),
                on_button(SetCheckinDay, set_checkin_day),
                on_button(CheckinTimes, checkin_times),
                on_button(SetCheckinTime, set_checkin_time),
                on_button(PauseCheckins, pause_checkins),
                on_button(StopCheckins, stop_checkins),
                on_button(ResumeCheckins, resume_checkins),
                on_button(OpenAnnouncementSettings, open_announcements),
                on_button(SwitchAnnouncements, switch_announcements),
            ],
            states={
                Step.PROVINCE: [
                    MessageHandler(filters.TEXT & ~filters.COMMAND, typed_province),
                    MessageHandler(filters.ALL & ~filters.COMMAND, ask_for_province),
                ],
                Step.CHECKIN_TIME: [
                    MessageHandler(filters.TEXT & ~filters.COMMAND, typed_checkin_time),
                    MessageHandler(filters.ALL & ~filters.COMMAND, ask_for_checkin_time),
                ],
            },
            fallbacks=common_fallbacks(),
        )
    ]
