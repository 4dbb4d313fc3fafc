"""/newgroup: a coordinator creates a support group, step by step, then confirms a summary.

The draft lives in user_data (persisted: a restart resumes the step). Every typed step is
validated with a reason; the coordinator role is checked when starting and again at "create".
"""

from __future__ import annotations

import enum
from typing import Any

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import RangkulContext
from bot.domain.groups import (
    DESCRIPTION_LENGTH,
    MAX_MEMBERS_RANGE,
    NAME_LENGTH,
    TRIAL_SEATS_RANGE,
    GroupFormat,
    NewGroup,
    check_city,
    check_description,
    check_max_members,
    check_name,
    check_trial_seats,
)
from bot.domain.regions import province_by_code, timezone_for
from bot.domain.safety import AuthoringDraft
from bot.domain.topics import TOPICS
from bot.i18n import LANGUAGES, Translator
from bot.services.groups import create_group
from bot.telegram_glue.chat import draft, show
from bot.telegram_glue.conversation import common_fallbacks, persistent_conversation
from bot.ui import groups as group_views
from bot.ui import new_group as views
from bot.ui.callbacks import Area, on_button
from bot.ui.groups import StartNewGroup
from bot.ui.new_group import (
    ChooseFormat,
    ChooseGroupProvince,
    CreateGroup,
    DiscardGroup,
    GroupLanguagesDone,
    GroupProvincePage,
    GroupTopicsDone,
    NoTrials,
    OfferTrials,
    ToggleGroupLanguage,
    ToggleGroupTopic,
)
from bot.ui.onboarding import use_buttons_hint
from bot.ui.view import View

DRAFT_KEY = AuthoringDraft.NEW_GROUP


class Step(enum.IntEnum):
    NAME = 1
    TOPICS = 2
    FORMAT = 3
    PROVINCE = 4
    CITY = 5
    LANGUAGES = 6
    DESCRIPTION = 7
    MAX_MEMBERS = 8
    TRIALS = 9
    TRIAL_SEATS = 10
    CONFIRM = 11


def _draft(context: RangkulContext) -> dict[str, Any]:
    return draft(context, DRAFT_KEY)


def _view(step: Step, t: Translator, draft: dict[str, Any], default_tz: str) -> View:
    """What a step shows, rebuilt from the draft (also after a restart or a stray message)."""
    match step:
        case Step.NAME:
            return views.name_prompt(t), None
        case Step.TOPICS:
            return views.topics_view(t, draft.get("topics", []))
        case Step.FORMAT:
            return views.format_view(t)
        case Step.PROVINCE:
            return views.province_view(t, draft.get("page", 0))
        case Step.CITY:
            return views.city_prompt(t), None
        case Step.LANGUAGES:
            return views.languages_view(t, draft.get("languages", []))
        case Step.DESCRIPTION:
            return views.description_prompt(t), None
        case Step.MAX_MEMBERS:
            return views.max_members_prompt(t), None
        case Step.TRIALS:
            return views.trials_view(t)
        case Step.TRIAL_SEATS:
            return views.trial_seats_prompt(t), None
        case Step.CONFIRM:
            return views.summary_view(t, _new_group(draft, default_tz))


async def _go(update: Update, context: RangkulContext, step: Step, *, edit: bool = True) -> int:
    session = await context.session(update)
    draft = _draft(context)
    draft["step"] = int(step)
    tz = context.services.settings.timezone
    await show(update, *_view(step, session.t, draft, tz), edit=edit)
    return step


async def start(update: Update, context: RangkulContext, _: StartNewGroup | None = None) -> int:
    """/newgroup (coordinators): a fresh draft, first the name."""
    session = await context.session(update)
    if not session.is_coordinator:
        await show(update, group_views.coordinators_only_text(session.t), edit=False)
        return ConversationHandler.END
    context.user_data[DRAFT_KEY] = {"topics": [], "languages": []}
    return await _go(update, context, Step.NAME, edit=False)


async def name(update: Update, context: RangkulContext) -> int:
    session = await context.session(update)
    checked = check_name(update.message.text)
    if not checked.ok:
        await show(update, group_views.group_problem_text(session.t, checked.problem, NAME_LENGTH))
        return Step.NAME
    _draft(context)["name"] = checked.value
    return await _go(update, context, Step.TOPICS)


async def toggle_topic(update: Update, context: RangkulContext, action: ToggleGroupTopic) -> int:
    _toggle(_draft(context).setdefault("topics", []), action.code, TOPICS)
    return await _go(update, context, Step.TOPICS)


async def topics_done(update: Update, context: RangkulContext, _: GroupTopicsDone) -> int:
    if not _draft(context).get("topics"):
        return await _need_one(update, context)
    return await _go(update, context, Step.FORMAT)


async def choose_format(update: Update, context: RangkulContext, action: ChooseFormat) -> int:
    draft = _draft(context)
    draft["format"] = action.format.value
    if action.format.meets_in_person:
        draft["page"] = 0
        return await _go(update, context, Step.PROVINCE)
    draft["province"] = draft["city"] = None
    return await _go(update, context, Step.LANGUAGES)


async def province_page(update: Update, context: RangkulContext, action: GroupProvincePage) -> int:
    _draft(context)["page"] = action.page
    return await _go(update, context, Step.PROVINCE)


async def choose_province(
    update: Update, context: RangkulContext, action: ChooseGroupProvince
) -> int:
    if province_by_code(action.code) is None:
        return await _go(update, context, Step.PROVINCE)
    _draft(context)["province"] = action.code
    return await _go(update, context, Step.CITY)


async def city(update: Update, context: RangkulContext) -> int:
    session = await context.session(update)
    checked = check_city(update.message.text)
    if not checked.ok:
        await show(update, group_views.city_problem_text(session.t, checked.problem))
        return Step.CITY
    _draft(context)["city"] = checked.value
    return await _go(update, context, Step.LANGUAGES)


async def toggle_language(
    update: Update, context: RangkulContext, action: ToggleGroupLanguage
) -> int:
    _toggle(_draft(context).setdefault("languages", []), action.code, LANGUAGES)
    return await _go(update, context, Step.LANGUAGES)


async def languages_done(update: Update, context: RangkulContext, _: GroupLanguagesDone) -> int:
    if not _draft(context).get("languages"):
        return await _need_one(update, context)
    return await _go(update, context, Step.DESCRIPTION)


async def description(update: Update, context: RangkulContext) -> int:
    session = await context.session(update)
    checked = check_description(update.message.text)
    if not checked.ok:
        await show(
            update, group_views.group_problem_text(session.t, checked.problem, DESCRIPTION_LENGTH)
        )
        return Step.DESCRIPTION
    _draft(context)["description"] = checked.value
    return await _go(update, context, Step.MAX_MEMBERS)


async def max_members(update: Update, context: RangkulContext) -> int:
    session = await context.session(update)
    checked = check_max_members(update.message.text)
    if not checked.ok:
        await show(
            update, group_views.group_problem_text(session.t, checked.problem, MAX_MEMBERS_RANGE)
        )
        return Step.MAX_MEMBERS
    _draft(context)["max_members"] = checked.value
    return await _go(update, context, Step.TRIALS)


async def offer_trials(update: Update, context: RangkulContext, _: OfferTrials) -> int:
    _draft(context)["offers_trials"] = True
    return await _go(update, context, Step.TRIAL_SEATS)


async def no_trials(update: Update, context: RangkulContext, _: NoTrials) -> int:
    draft = _draft(context)
    draft["offers_trials"], draft["trial_seats"] = False, 0
    return await _go(update, context, Step.CONFIRM)


async def trial_seats(update: Update, context: RangkulContext) -> int:
    session = await context.session(update)
    checked = check_trial_seats(update.message.text)
    if not checked.ok:
        await show(
            update, group_views.group_problem_text(session.t, checked.problem, TRIAL_SEATS_RANGE)
        )
        return Step.TRIAL_SEATS
    _draft(context)["trial_seats"] = checked.value
    return await _go(update, context, Step.CONFIRM)


async def create(update: Update, context: RangkulContext, _: CreateGroup) -> int:
    """Confirmed: the coordinator role is checked again, then the group is stored."""
    session = await context.session(update)
    t = session.t
    if not session.is_coordinator:
        context.user_data.pop(DRAFT_KEY, None)
        await show(update, group_views.coordinators_only_text(t))
        return ConversationHandler.END
    services = context.services
    new = _new_group(_draft(context), services.settings.timezone)
    group = await create_group(services.groups, services.clock, new)
    context.user_data.pop(DRAFT_KEY, None)
    await show(update, views.created_text(t, group.name))
    return ConversationHandler.END


async def discard(update: Update, context: RangkulContext, _: DiscardGroup) -> int:
    session = await context.session(update)
    context.user_data.pop(DRAFT_KEY, None)
    await show(update, views.discarded_text(session.t))
    return ConversationHandler.END


async def reprompt(update: Update, context: RangkulContext) -> None:
    """Text at a button step, or a stale button: a kind hint and the step again."""
    session = await context.session(update)
    draft = _draft(context)
    step = Step(draft.get("step", Step.NAME))
    text, markup = _view(step, session.t, draft, context.services.settings.timezone)
    # Buttons to press, or (a sticker or photo at a typing step) a text to send.
    hint = use_buttons_hint(session.t) if markup else views.send_text_hint(session.t)
    if update.callback_query is not None:
        await update.callback_query.answer(hint)
    await update.effective_chat.send_message(f"{hint}\n\n{text}", reply_markup=markup)


async def _need_one(update: Update, context: RangkulContext) -> int:
    session = await context.session(update)
    await update.callback_query.answer(views.pick_at_least_one_text(session.t), show_alert=True)
    return Step(_draft(context)["step"])


def _toggle(chosen: list[str], value: str, allowed: tuple[str, ...] | frozenset[str]) -> None:
    if value not in allowed:
        return
    if value in chosen:
        chosen.remove(value)
    else:
        chosen.append(value)


def _new_group(draft: dict[str, Any], default_timezone: str) -> NewGroup:
    province = draft.get("province")
    return NewGroup(
        name=draft["name"],
        description=draft["description"],
        format=GroupFormat(draft["format"]),
        province=province,
        city=draft.get("city"),
        languages=tuple(code for code in LANGUAGES if code in draft["languages"]),
        timezone=timezone_for(province, default_timezone),
        max_members=draft["max_members"],
        offers_trials=draft["offers_trials"],
        trial_seats=draft["trial_seats"],
        topics=tuple(topic for topic in TOPICS if topic in draft["topics"]),
    )


def build_new_group_conversation() -> ConversationHandler:
    """The persistent /newgroup conversation."""
    text = filters.TEXT & ~filters.COMMAND
    stray_text = MessageHandler(filters.ALL & ~filters.COMMAND, reprompt)

    return persistent_conversation(
        "new_group",
        allow_reentry=True,
        entry_points=[
            CommandHandler("newgroup", start),
            on_button(StartNewGroup, start),
        ],
        states={
            Step.NAME: [MessageHandler(text, name)],
            Step.TOPICS: [
                on_button(ToggleGroupTopic, toggle_topic),
                on_button(GroupTopicsDone, topics_done),
            ],
            Step.FORMAT: [on_button(ChooseFormat, choose_format)],
            Step.PROVINCE: [
                on_button(GroupProvincePage, province_page),
                on_button(ChooseGroupProvince, choose_province),
            ],
            Step.CITY: [MessageHandler(text, city)],
            Step.LANGUAGES: [
                on_button(ToggleGroupLanguage, toggle_language),
                on_button(GroupLanguagesDone, languages_done),
            ],
            Step.DESCRIPTION: [MessageHandler(text, description)],
            Step.MAX_MEMBERS: [MessageHandler(text, max_members)],
            Step.TRIALS: [on_button(OfferTrials, offer_trials), on_button(NoTrials, no_trials)],
            Step.TRIAL_SEATS: [MessageHandler(text, trial_seats)],
            Step.CONFIRM: [on_button(CreateGroup, create), on_button(DiscardGroup, discard)],
        },
        fallbacks=[
            *common_fallbacks(),
            stray_text,
            CallbackQueryHandler(reprompt, pattern=Area.NEW_GROUP.pattern()),
        ],
    )
