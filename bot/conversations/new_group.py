"""/newgroup: a coordinator creates a support group, step by step, then confirms a summary.

The draft lives in user_data (persisted: a restart resumes the step). Every typed step is
validated with a reason; the coordinator role is checked when starting and again at "create".
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from telegram import Update
from telegram.ext import (
    BaseHandler,
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
from bot.i18n import LANGUAGES
from bot.narrowing import query_of, text_of
from bot.services.groups import create_group, name_holder
from bot.telegram_glue.chat import show
from bot.telegram_glue.conversation import common_fallbacks, persistent_conversation
from bot.telegram_glue.flow import StepFlow
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


@dataclass
class NewGroupDraft:
    name: str | None = None
    topics: list[str] = field(default_factory=list)
    format: GroupFormat | None = None
    page: int = 0  # of the provinces
    province: str | None = None
    city: str | None = None
    languages: list[str] = field(default_factory=list)
    description: str | None = None
    max_members: int | None = None
    offers_trials: bool | None = None
    trial_seats: int | None = None

    def first_missing(self) -> Step | None:
        """The earliest step whose answer the summary needs and the draft lacks."""
        in_person = self.format is not None and self.format.meets_in_person
        answers = (
            (Step.NAME, self.name),
            (Step.TOPICS, self.topics or None),
            (Step.FORMAT, self.format),
            (Step.PROVINCE, self.province if in_person else "online"),
            (Step.CITY, self.city if in_person else "online"),
            (Step.LANGUAGES, self.languages or None),
            (Step.DESCRIPTION, self.description),
            (Step.MAX_MEMBERS, self.max_members),
            (Step.TRIALS, self.offers_trials),
            (Step.TRIAL_SEATS, self.trial_seats),
        )
        return next((step for step, answer in answers if answer is None), None)


async def _view(
    update: Update, context: RangkulContext, step: Step, draft: NewGroupDraft
) -> View | Step:
    """What a step shows, rebuilt from the draft (also after a restart or a stray message)."""
    t = (await context.session(update)).t
    match step:
        case Step.NAME:
            return views.name_prompt(t), None
        case Step.TOPICS:
            return views.topics_view(t, draft.topics)
        case Step.FORMAT:
            return views.format_view(t)
        case Step.PROVINCE:
            return views.province_view(t, draft.page)
        case Step.CITY:
            return views.city_prompt(t), None
        case Step.LANGUAGES:
            return views.languages_view(t, draft.languages)
        case Step.DESCRIPTION:
            return views.description_prompt(t), None
        case Step.MAX_MEMBERS:
            return views.max_members_prompt(t), None
        case Step.TRIALS:
            return views.trials_view(t)
        case Step.TRIAL_SEATS:
            return views.trial_seats_prompt(t), None
        case Step.CONFIRM:
            # A draft that lost an answer (an older version's): that step again.
            missing = draft.first_missing()
            if missing is not None:
                return missing
            return views.summary_view(t, _new_group(draft, context.services.settings.timezone))


FLOW = StepFlow(
    AuthoringDraft.NEW_GROUP,
    NewGroupDraft,
    _view,
    # Buttons to press, or (a sticker or photo at a typing step) a text to send.
    hint=use_buttons_hint,
    typing_hint=views.send_text_hint,
    area=Area.NEW_GROUP,
)


async def start(update: Update, context: RangkulContext, _: StartNewGroup | None = None) -> int:
    """/newgroup (coordinators): a fresh draft, first the name."""
    session = await context.session(update)
    if not session.is_coordinator:
        await show(update, group_views.coordinators_only_text(session.t), edit=False)
        return ConversationHandler.END
    return await FLOW.go(update, context, Step.NAME, NewGroupDraft(), edit=False)


async def name(update: Update, context: RangkulContext) -> int:
    session = await context.session(update)
    checked = check_name(text_of(update))
    if checked.problem is not None:
        await show(update, views.problem_text(session.t, checked.problem, NAME_LENGTH))
        return Step.NAME
    assert isinstance(checked.value, str)  # a name check that passes cleans a string
    holder = await name_holder(context.services.groups, checked.value)
    if holder is not None:
        await show(update, views.name_taken_text(session.t, holder.name))
        return Step.NAME
    draft = FLOW.draft(context)
    draft.name = checked.value
    return await FLOW.go(update, context, Step.TOPICS, draft)


async def toggle_topic(update: Update, context: RangkulContext, action: ToggleGroupTopic) -> int:
    draft = FLOW.draft(context)
    _choose(draft.topics, action.code, action.on, TOPICS)
    return await FLOW.go(update, context, Step.TOPICS, draft)


async def topics_done(update: Update, context: RangkulContext, _: GroupTopicsDone) -> int:
    draft = FLOW.draft(context)
    if not draft.topics:
        return await _need_one(update, context, Step.TOPICS)
    return await FLOW.go(update, context, Step.FORMAT, draft)


async def choose_format(update: Update, context: RangkulContext, action: ChooseFormat) -> int:
    draft = FLOW.draft(context)
    draft.format = action.format
    if action.format.meets_in_person:
        draft.page = 0
        return await FLOW.go(update, context, Step.PROVINCE, draft)
    draft.province = draft.city = None
    return await FLOW.go(update, context, Step.LANGUAGES, draft)


async def province_page(update: Update, context: RangkulContext, action: GroupProvincePage) -> int:
    draft = FLOW.draft(context)
    draft.page = action.page
    return await FLOW.go(update, context, Step.PROVINCE, draft)


async def choose_province(
    update: Update, context: RangkulContext, action: ChooseGroupProvince
) -> int:
    draft = FLOW.draft(context)
    if province_by_code(action.code) is None:
        return await FLOW.go(update, context, Step.PROVINCE, draft)
    draft.province = action.code
    return await FLOW.go(update, context, Step.CITY, draft)


async def city(update: Update, context: RangkulContext) -> int:
    session = await context.session(update)
    checked = check_city(text_of(update))
    if checked.problem is not None:
        await show(update, group_views.city_problem_text(session.t, checked.problem))
        return Step.CITY
    draft = FLOW.draft(context)
    assert isinstance(checked.value, str)  # a city check that passes cleans a string
    draft.city = checked.value
    return await FLOW.go(update, context, Step.LANGUAGES, draft)


async def toggle_language(
    update: Update, context: RangkulContext, action: ToggleGroupLanguage
) -> int:
    draft = FLOW.draft(context)
    _choose(draft.languages, action.code, action.on, LANGUAGES)
    return await FLOW.go(update, context, Step.LANGUAGES, draft)


async def languages_done(update: Update, context: RangkulContext, _: GroupLanguagesDone) -> int:
    draft = FLOW.draft(context)
    if not draft.languages:
        return await _need_one(update, context, Step.LANGUAGES)
    return await FLOW.go(update, context, Step.DESCRIPTION, draft)


async def description(update: Update, context: RangkulContext) -> int:
    session = await context.session(update)
    checked = check_description(text_of(update))
    if checked.problem is not None:
        await show(update, views.problem_text(session.t, checked.problem, DESCRIPTION_LENGTH))
        return Step.DESCRIPTION
    draft = FLOW.draft(context)
    assert isinstance(checked.value, str)  # a description check that passes cleans a string
    draft.description = checked.value
    return await FLOW.go(update, context, Step.MAX_MEMBERS, draft)


async def max_members(update: Update, context: RangkulContext) -> int:
    session = await context.session(update)
    checked = check_max_members(text_of(update))
    if checked.problem is not None:
        await show(
            update, group_views.group_problem_text(session.t, checked.problem, MAX_MEMBERS_RANGE)
        )
        return Step.MAX_MEMBERS
    draft = FLOW.draft(context)
    assert isinstance(checked.value, int)  # a number check that passes yields a number
    draft.max_members = checked.value
    return await FLOW.go(update, context, Step.TRIALS, draft)


async def offer_trials(update: Update, context: RangkulContext, _: OfferTrials) -> int:
    draft = FLOW.draft(context)
    draft.offers_trials = True
    return await FLOW.go(update, context, Step.TRIAL_SEATS, draft)


async def no_trials(update: Update, context: RangkulContext, _: NoTrials) -> int:
    draft = FLOW.draft(context)
    draft.offers_trials, draft.trial_seats = False, 0
    return await FLOW.go(update, context, Step.CONFIRM, draft)


async def trial_seats(update: Update, context: RangkulContext) -> int:
    session = await context.session(update)
    checked = check_trial_seats(text_of(update))
    if checked.problem is not None:
        await show(
            update, group_views.group_problem_text(session.t, checked.problem, TRIAL_SEATS_RANGE)
        )
        return Step.TRIAL_SEATS
    draft = FLOW.draft(context)
    assert isinstance(checked.value, int)  # a number check that passes yields a number
    draft.trial_seats = checked.value
    return await FLOW.go(update, context, Step.CONFIRM, draft)


async def create(update: Update, context: RangkulContext, _: CreateGroup) -> int:
    """Confirmed: the coordinator role is checked again, then the group is stored."""
    session = await context.session(update)
    t = session.t
    if not session.is_coordinator:
        return await FLOW.end(update, context, group_views.coordinators_only_text(t))
    draft = FLOW.draft(context)
    if draft.first_missing() is not None:
        return await FLOW.go(update, context, Step.CONFIRM, draft)
    services = context.services
    new = _new_group(draft, services.settings.timezone)
    holder = await name_holder(services.groups, new.name)
    if holder is not None:  # created meanwhile, by another coordinator
        await show(update, views.name_taken_text(t, holder.name), edit=False)
        return await FLOW.go(update, context, Step.NAME, draft, edit=False)
    group = await create_group(services.groups, services.clock, new)
    return await FLOW.end(update, context, views.created_text(t, group.name))


async def discard(update: Update, context: RangkulContext, _: DiscardGroup) -> int:
    session = await context.session(update)
    return await FLOW.end(update, context, views.discarded_text(session.t))


async def _need_one(update: Update, context: RangkulContext, step: Step) -> int:
    session = await context.session(update)
    await query_of(update).answer(views.pick_at_least_one_text(session.t), show_alert=True)
    return step


def _choose(
    chosen: list[str], value: str, on: bool, allowed: tuple[str, ...] | frozenset[str]
) -> None:
    """Ticks or unticks ``value`` as the button said: pressed twice, it stays as pressed."""
    if value not in allowed:
        return
    if on and value not in chosen:
        chosen.append(value)
    elif not on and value in chosen:
        chosen.remove(value)


def _new_group(draft: NewGroupDraft, default_timezone: str) -> NewGroup:
    """The group a complete draft describes: only called once ``first_missing()`` is None."""
    assert (
        draft.name is not None
        and draft.description is not None
        and draft.format is not None
        and draft.max_members is not None
        and draft.offers_trials is not None
        and draft.trial_seats is not None
    ), "an incomplete draft"
    return NewGroup(
        name=draft.name,
        description=draft.description,
        format=draft.format,
        province=draft.province,
        city=draft.city,
        languages=tuple(code for code in LANGUAGES if code in draft.languages),
        timezone=timezone_for(draft.province, default_timezone),
        max_members=draft.max_members,
        offers_trials=draft.offers_trials,
        trial_seats=draft.trial_seats,
        topics=tuple(topic for topic in TOPICS if topic in draft.topics),
    )


def handlers() -> list[BaseHandler]:
    """The persistent /newgroup conversation."""
    text = filters.TEXT & ~filters.COMMAND
    states: dict[Step, list[BaseHandler]] = {
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
    }
    FLOW.add_step_hints(states)
    return [
        persistent_conversation(
            "new_group",
            allow_reentry=True,
            entry_points=[
                CommandHandler("newgroup", start),
                on_button(StartNewGroup, start),
            ],
            states=states,
            fallbacks=common_fallbacks(),
        )
    ]
