"""/start: anonymous onboarding — language, what Rangkul is, age, consent, alias, region, topics.

Nothing about the person is stored in domain tables until they finish; the draft lives in
user_data (persisted, so a restart resumes the step) and is dropped if they decline.

Every button works from whatever state is stored, not only from the state it was shown in:
PTB saves the new state after the reply has reached Telegram, so a crash in between leaves the
person looking at a step the bot has not recorded. The buttons are therefore entry points
(valid in any state), carry what they show (the suggested alias, the ticked topics), and a step
whose earlier answers are missing from the draft shows the earliest missing step instead of
failing. A registered member pressing an old onboarding button gets the menu, and whatever
onboarding left behind for them is dropped.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    BaseHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import DRAFT_LANGUAGE_KEY, RangkulContext
from bot.domain.alias import suggest_alias
from bot.domain.deep_links import LinkKind, parse_deep_link
from bot.domain.member import AliasTaken
from bot.domain.regions import ONLINE_ONLY, province_by_code
from bot.domain.topics import topics_from_mask
from bot.i18n import Translator, get_translator
from bot.services.container import Services
from bot.services.onboarding import Registration, judge_alias, register
from bot.telegram_glue.chat import draft, follow_up, main_menu, show
from bot.telegram_glue.conversation import add_step_hints, common_fallbacks, persistent_conversation
from bot.telegram_glue.roles import open_deep_link
from bot.ui import onboarding as views
from bot.ui.callbacks import Area, on_button
from bot.ui.crisis import crisis_message
from bot.ui.onboarding import (
    AnotherAlias,
    ChooseLanguage,
    ChooseRegion,
    ConfirmAdult,
    DeclineConsent,
    FinishTopics,
    GiveConsent,
    OwnAlias,
    ReadIntro,
    RegionPage,
    TakeAlias,
    ToggleTopic,
    UnderAge,
)
from bot.ui.view import View

CONVERSATION = "onboarding"
DRAFT_KEY = "onboarding"


class Step(enum.IntEnum):
    LANGUAGE = 1
    INTRO = 2
    AGE = 3
    CONSENT = 4
    ALIAS = 5
    OWN_ALIAS = 6
    REGION = 7
    TOPICS = 8


# Handlers of this flow: (update, context), and the pressed action for a button.
Callback = Callable[..., Awaitable[int]]


def _draft(context: RangkulContext) -> dict[str, Any]:
    return draft(context, DRAFT_KEY)


# What each step needs from the draft: the answers of the steps before it.
_ANSWER_OF_STEP: tuple[tuple[Step, str], ...] = (
    (Step.AGE, "adult_at"),
    (Step.CONSENT, "consent_at"),
    (Step.ALIAS, "alias"),
    (Step.REGION, "province"),
)


def _first_missing(draft: dict[str, Any], step: Step) -> Step | None:
    """The earliest step before ``step`` whose answer the draft lacks."""
    return next(
        (earlier for earlier, key in _ANSWER_OF_STEP if earlier < step and key not in draft),
        None,
    )


def _newcomer(callback: Callback) -> Callback:
    """Runs an onboarding handler only for someone who has not joined; a member gets the menu."""

    @functools.wraps(callback)
    async def run(update: Update, context: RangkulContext, *action: Any) -> int:
        if (await context.session(update)).member is not None:
            return await _already_joined(update, context)
        return await callback(update, context, *action)

    return run


def _step(step: Step) -> Callable[[Callback], Callback]:
    """A step's handler runs only for someone who has not joined and whose draft holds the
    answers it builds on; otherwise the earliest step still to answer is shown."""

    def wrap(callback: Callback) -> Callback:
        @functools.wraps(callback)
        async def run(update: Update, context: RangkulContext, *action: Any) -> int:
            missing = _first_missing(context.user_data.get(DRAFT_KEY, {}), step)
            if missing is not None:
                session = await context.session(update)
                await show(update, *_step_view(context, session.t, missing))
                return missing
            return await callback(update, context, *action)

        return _newcomer(run)

    return wrap


async def _show(
    update: Update, context: RangkulContext, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Shows a step after saving the draft it builds on. PTB saves only after the reply, and a
    crash in between would leave the person one answer ahead of what the bot remembers."""
    persistence = context.application.persistence
    if persistence is not None and update.effective_user is not None:
        await persistence.update_user_data(update.effective_user.id, context.user_data)
    await show(update, text, markup)


async def _already_joined(update: Update, context: RangkulContext) -> int:
    """An onboarding button or step of someone who has joined: leftovers go, the menu shows."""
    context.user_data.pop(DRAFT_KEY, None)
    context.user_data.pop(DRAFT_LANGUAGE_KEY, None)
    await show(update, *main_menu(await context.session(update)), edit=False)
    return ConversationHandler.END


async def start(update: Update, context: RangkulContext) -> int:
    """/start [payload]: the menu for members, the first onboarding step for everyone else."""
    link = parse_deep_link(context.args[0] if context.args else None)
    session = await context.session(update)
    if session.member is not None:
        if link is not None and link.kind is not LinkKind.REFERRAL:
            await open_deep_link(update, context, link.payload)
        else:
            await show(update, *main_menu(session))
        return ConversationHandler.END
    context.user_data.pop(DRAFT_KEY, None)
    draft = _draft(context)
    if link is not None:
        draft["link"] = link.payload
    await show(update, *views.language_view(session.t))
    return Step.LANGUAGE


@_step(Step.LANGUAGE)
async def choose_language(update: Update, context: RangkulContext, action: ChooseLanguage) -> int:
    """Language chosen: remember it for the rest of the flow and introduce Rangkul."""
    t = get_translator(action.code)
    context.user_data[DRAFT_LANGUAGE_KEY] = t.lang
    context.forget_session()
    await _show(update, context, *views.intro_view(t))
    return Step.INTRO


@_step(Step.INTRO)
async def after_intro(update: Update, context: RangkulContext, _: ReadIntro) -> int:
    """Introduction read: ask whether the person is an adult."""
    session = await context.session(update)
    await show(update, *views.age_view(session.t))
    return Step.AGE


@_newcomer
async def under_18(update: Update, context: RangkulContext, _: UnderAge) -> int:
    """Younger people get support, and nothing about them is kept (also on a second tap)."""
    session = await context.session(update)
    _drop_everything(update, context)
    text = "\n\n".join(
        [views.minor_text(session.t), crisis_message(session.t, context.services.contacts)]
    )
    await show(update, text)
    return ConversationHandler.END


@_newcomer
async def decline_consent(update: Update, context: RangkulContext, _: DeclineConsent) -> int:
    """No consent: nothing at all is kept (also on a second tap)."""
    session = await context.session(update)
    _drop_everything(update, context)
    await show(update, views.declined_text(session.t))
    return ConversationHandler.END


@_step(Step.AGE)
async def choose_age(update: Update, context: RangkulContext, _: ConfirmAdult) -> int:
    """An adult: on to the privacy notice."""
    session = await context.session(update)
    _draft(context)["adult_at"] = context.services.clock.now().isoformat()
    await _show(update, context, *views.consent_view(session.t))
    return Step.CONSENT


@_step(Step.CONSENT)
async def choose_consent(update: Update, context: RangkulContext, _: GiveConsent) -> int:
    """Consent given: record when and to which notice."""
    draft = _draft(context)
    draft["consent_at"] = context.services.clock.now().isoformat()
    draft["notice_version"] = context.services.notice_version
    return await _suggest_alias(update, context)


async def _suggest_alias(update: Update, context: RangkulContext, note: str = "") -> int:
    """The alias step with a fresh suggestion, after ``note`` (why the person is back here)."""
    session = await context.session(update)
    suggestion = suggest_alias(context.services.rng)
    _draft(context)["suggestion"] = suggestion
    text, markup = views.alias_view(session.t, suggestion)
    await _show(update, context, f"{note}\n\n{text}" if note else text, markup)
    return Step.ALIAS


@_step(Step.ALIAS)
async def take_alias(update: Update, context: RangkulContext, action: TakeAlias) -> int:
    """The suggestion the button shows (or, on an older button, the draft's)."""
    suggestion = action.suggestion or _draft(context).get("suggestion")
    if not suggestion:
        return await _suggest_alias(update, context)
    verdict = await judge_alias(context.services.members, suggestion)
    if not verdict.accepted:  # someone took it meanwhile: offer a fresh one
        return await _suggest_alias(update, context)
    return await _accept_alias(update, context, verdict.alias)


@_step(Step.ALIAS)
async def another_alias(update: Update, context: RangkulContext, _: AnotherAlias) -> int:
    return await _suggest_alias(update, context)


@_step(Step.ALIAS)
async def choose_own_alias(update: Update, context: RangkulContext, _: OwnAlias) -> int:
    session = await context.session(update)
    await _show(update, context, views.own_alias_prompt(session.t))
    return Step.OWN_ALIAS


@_step(Step.ALIAS)
async def own_alias(update: Update, context: RangkulContext) -> int:
    """A typed alias: refused with the reason, or accepted."""
    session = await context.session(update)
    verdict = await judge_alias(context.services.members, update.message.text)
    if not verdict.accepted:
        await _show(update, context, views.alias_refusal(session.t, verdict.problem))
        return Step.OWN_ALIAS
    return await _accept_alias(update, context, verdict.alias)


@_step(Step.ALIAS)
async def ask_for_alias_text(update: Update, context: RangkulContext) -> int:
    """A sticker or photo where an alias was expected: ask for text again."""
    session = await context.session(update)
    await _show(update, context, views.own_alias_prompt(session.t))
    return Step.OWN_ALIAS


async def _accept_alias(update: Update, context: RangkulContext, alias: str) -> int:
    session = await context.session(update)
    draft = _draft(context)
    draft["alias"] = alias
    draft.pop("suggestion", None)
    draft["region_page"] = 0
    await _show(update, context, *views.region_view(session.t, 0))
    return Step.REGION


@_step(Step.REGION)
async def region_page(update: Update, context: RangkulContext, action: RegionPage) -> int:
    """Pages through the provinces."""
    session = await context.session(update)
    _draft(context)["region_page"] = action.page
    await _show(update, context, *views.region_view(session.t, action.page))
    return Step.REGION


@_step(Step.REGION)
async def choose_region(update: Update, context: RangkulContext, action: ChooseRegion) -> int:
    """A province (it sets the timezone) or online only."""
    session = await context.session(update)
    code = action.code
    if code != ONLINE_ONLY and province_by_code(code) is None:
        await _show(
            update, context, *views.region_view(session.t, _draft(context).get("region_page", 0))
        )
        return Step.REGION
    draft = _draft(context)
    draft["province"] = None if code == ONLINE_ONLY else code
    draft.setdefault("topics", [])
    await _show(update, context, *views.topics_view(session.t, draft["topics"]))
    return Step.TOPICS


@_step(Step.TOPICS)
async def toggle_topic(update: Update, context: RangkulContext, action: ToggleTopic) -> int:
    """Ticks or unticks one topic: the button carries the whole selection it leads to."""
    session = await context.session(update)
    chosen = topics_from_mask(action.mask)
    _draft(context)["topics"] = list(chosen)
    await _show(update, context, *views.topics_view(session.t, chosen))
    return Step.TOPICS


@_step(Step.TOPICS)
async def finish(update: Update, context: RangkulContext, action: FinishTopics) -> int:
    """Stores the member with their consent (and the topics Done shows), counts the referral,
    and shows the menu."""
    session = await context.session(update)
    services = context.services
    draft = _draft(context)
    draft["topics"] = list(topics_from_mask(action.mask))
    registration = Registration(
        telegram_id=update.effective_user.id,
        alias=draft["alias"],
        language=session.lang,
        province=draft.get("province"),
        topics=tuple(draft.get("topics", [])),
        notice_version=draft["notice_version"],
        consent_at=datetime.fromisoformat(draft["consent_at"]),
        adult_confirmed_at=datetime.fromisoformat(draft["adult_at"]),
    )
    try:
        member = await register(
            services.members, services.clock, registration, services.settings.timezone
        )
    except AliasTaken:
        # Someone registered the same alias since it was chosen (the insert is the check, inside
        # the registering transaction): back to the alias step, in one message.
        return await _suggest_alias(update, context, views.alias_refusal(session.t, None))
    link = parse_deep_link(draft.get("link"))
    if link is not None and link.kind is LinkKind.REFERRAL:
        await services.members.count_referral(link.value)
    context.user_data.pop(DRAFT_KEY, None)
    context.user_data.pop(DRAFT_LANGUAGE_KEY, None)
    context.forget_session()
    session = await context.session(update)
    await show(
        update, session.t("All set, <b>{alias}</b>! Welcome to Rangkul. 🌱", alias=member.alias)
    )
    await follow_up(update, *main_menu(session))
    # A group card or a role the link was for; also sets a new coordinator's command menu.
    await open_deep_link(update, context, link.payload if link is not None else None)
    return ConversationHandler.END


def _step_view(context: RangkulContext, t: Translator, step: Step) -> View:
    """A step as it is shown, from the draft."""
    draft = _draft(context)
    if step is Step.ALIAS and not draft.get("suggestion"):
        draft["suggestion"] = suggest_alias(context.services.rng)
    views_by_step = {
        Step.LANGUAGE: lambda: views.language_view(t),
        Step.INTRO: lambda: views.intro_view(t),
        Step.AGE: lambda: views.age_view(t),
        Step.CONSENT: lambda: views.consent_view(t),
        Step.ALIAS: lambda: views.alias_view(t, draft["suggestion"]),
        Step.OWN_ALIAS: lambda: (views.own_alias_prompt(t), None),
        Step.REGION: lambda: views.region_view(t, draft.get("region_page", 0)),
        Step.TOPICS: lambda: views.topics_view(t, draft.get("topics", [])),
    }
    return views_by_step[step]()


def _reprompt(step: Step) -> Callback:
    """Anything unexpected at a button step: a kind hint and the step's buttons again."""

    async def reprompt(update: Update, context: RangkulContext) -> int:
        session = await context.session(update)
        if session.member is not None:
            return await _already_joined(update, context)
        t = session.t
        text, markup = _step_view(context, t, step)
        hint = views.use_buttons_hint(t)
        if update.callback_query is not None:
            await update.callback_query.answer(hint)
        await follow_up(update, f"{hint}\n\n{text}", markup)
        return step

    return reprompt


def _drop_everything(update: Update, context: RangkulContext) -> None:
    """Declined or under 18: nothing about the person may remain, not even the draft."""
    context.user_data.clear()
    context.application.drop_user_data(update.effective_user.id)


async def drop_leftovers(application: Application) -> None:
    """Start-up step: onboarding state and drafts of people who have joined since go (a crash
    between registering and saving them leaves them behind)."""
    services: Services = application.bot_data["services"]
    await services.members.drop_conversations_of_members(CONVERSATION)
    persistence = application.persistence
    for user_id, data in application.user_data.items():
        if not {DRAFT_KEY, DRAFT_LANGUAGE_KEY} & data.keys():
            continue
        if await services.members.by_telegram_id(user_id) is None:
            continue  # still joining: their draft is their progress
        data.pop(DRAFT_KEY, None)
        data.pop(DRAFT_LANGUAGE_KEY, None)
        if persistence is not None:
            await persistence.update_user_data(user_id, data)


def build_onboarding_conversation() -> ConversationHandler:
    """The persistent /start conversation."""
    # Valid in every state (allow_reentry): a button works on the step it shows.
    buttons = [
        on_button(ChooseLanguage, choose_language),
        on_button(ReadIntro, after_intro),
        on_button(UnderAge, under_18),
        on_button(DeclineConsent, decline_consent),
        on_button(ConfirmAdult, choose_age),
        on_button(GiveConsent, choose_consent),
        on_button(TakeAlias, take_alias),
        on_button(AnotherAlias, another_alias),
        on_button(OwnAlias, choose_own_alias),
        on_button(RegionPage, region_page),
        on_button(ChooseRegion, choose_region),
        on_button(ToggleTopic, toggle_topic),
        on_button(FinishTopics, finish),
    ]
    steps: dict[Step, list[BaseHandler]] = {step: [] for step in Step}
    steps[Step.OWN_ALIAS] = [
        MessageHandler(filters.TEXT & ~filters.COMMAND, own_alias),
        MessageHandler(filters.ALL & ~filters.COMMAND, ask_for_alias_text),
    ]
    # The alias step takes text and asks again for it itself.
    add_step_hints(steps, _reprompt, Area.ONBOARDING, except_steps={Step.OWN_ALIAS})
    return persistent_conversation(
        CONVERSATION,
        allow_reentry=True,
        entry_points=[CommandHandler("start", start), *buttons],
        states=steps,
        fallbacks=common_fallbacks(),
    )
