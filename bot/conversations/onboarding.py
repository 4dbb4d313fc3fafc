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
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from telegram import Message, Update
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
from bot.domain.member import AliasTaken, Registration
from bot.domain.regions import ONLINE_ONLY, province_by_code, region_by_name
from bot.domain.topics import topics_from_mask, topics_mask
from bot.i18n import get_translator
from bot.narrowing import text_of, user_data_of, user_of
from bot.services.container import Services
from bot.services.groups import suggested_groups
from bot.services.onboarding import drop_finished_onboarding, judge_alias, register
from bot.telegram_glue import wishes
from bot.telegram_glue.chat import follow_up, main_menu, settle_keyboard, show
from bot.telegram_glue.checkin_offer import with_baseline_offer
from bot.telegram_glue.conversation import Callback, common_fallbacks, persistent_conversation
from bot.telegram_glue.distress_reply import answer_distress
from bot.telegram_glue.flow import StepFlow
from bot.telegram_glue.roles import open_deep_link
from bot.ui import onboarding as views
from bot.ui.callbacks import Area, on_button
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
    SignUpFor,
    TakeAlias,
    ToggleTopic,
    UnderAge,
    Wish,
)
from bot.ui.view import View

CONVERSATION = "onboarding"
# Groups suggested when sign-up ends; a button lists all of them.
SUGGESTIONS = 3


class Step(enum.IntEnum):
    LANGUAGE = 1
    INTRO = 2
    AGE = 3
    CONSENT = 4
    ALIAS = 5
    OWN_ALIAS = 6
    REGION = 7
    TOPICS = 8


@dataclass
class OnboardingDraft:
    link: str | None = None  # the /start payload, acted on once the person has joined
    wish: Wish | None = None  # a visitor's trial or seat, shown again once they have joined
    wish_target: int = 0  # the group (trial) or meeting (seat) of ``wish``
    intro_read: bool = False
    adult_at: datetime | None = None
    consent_at: datetime | None = None
    notice_version: int = 0  # with consent_at; 0 (no notice) would only ask for consent again
    suggestion: str | None = None
    alias: str | None = None
    region_page: int = 0
    region: str | None = None  # a province code or ONLINE_ONLY; None until chosen
    topics: list[str] = field(default_factory=list)

    def first_missing(self, step: Step) -> Step | None:
        """The earliest step before ``step`` whose answer the draft lacks."""
        answers = (
            (Step.AGE, self.adult_at),
            (Step.CONSENT, self.consent_at),
            (Step.ALIAS, self.alias),
            (Step.REGION, self.region),
        )
        return next(
            (earlier for earlier, answer in answers if earlier < step and answer is None), None
        )

    def step_to_resume(self) -> Step:
        """The step someone whose language is chosen was on (the alias they were typing, or
        the topics they were ticking, as its step with buttons)."""
        if not self.intro_read:
            return Step.INTRO
        return self.first_missing(Step.TOPICS) or Step.TOPICS


async def _view(
    update: Update, context: RangkulContext, step: Step, draft: OnboardingDraft
) -> View:
    """A step as it is shown, from the draft."""
    t = (await context.session(update)).t
    match step:
        case Step.LANGUAGE:
            return views.language_view(t)
        case Step.INTRO:
            return views.intro_view(t)
        case Step.AGE:
            return views.age_view(t)
        case Step.CONSENT:
            return views.consent_view(t, context.services.settings.privacy_contact)
        case Step.ALIAS:
            if not draft.suggestion:
                draft.suggestion = suggest_alias(context.services.rng)
            return views.alias_view(t, draft.suggestion)
        case Step.OWN_ALIAS:
            return views.own_alias_prompt(t), None
        case Step.REGION:
            return views.region_view(t, draft.region_page)
        case Step.TOPICS:
            return views.topics_view(t, draft.topics)


# PTB saves the new state after the reply has reached Telegram: saving the draft first means a
# crash in between cannot leave the person one answer ahead of what the bot remembers.
FLOW = StepFlow(
    "onboarding",
    OnboardingDraft,
    _view,
    hint=views.use_buttons_hint,
    area=Area.ONBOARDING,
    save_before_reply=True,
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
            draft = FLOW.draft(context)
            missing = draft.first_missing(step)
            if missing is not None:
                return await FLOW.go(update, context, missing, draft)
            return await callback(update, context, *action)

        return _newcomer(run)

    return wrap


async def _already_joined(update: Update, context: RangkulContext) -> int:
    """An onboarding button or step of someone who has joined: leftovers go, the menu shows."""
    user_data_of(context).pop(DRAFT_LANGUAGE_KEY, None)
    menu = main_menu(await context.session(update))
    return await FLOW.end(update, context, *menu, edit=False)


async def start(update: Update, context: RangkulContext) -> int:
    """/start [payload]: the menu for members, the first onboarding step for everyone else.

    Someone in the middle of signing up carries on where they were, told so: a survivor who
    sends /start again has usually lost the message, not changed their mind, and answering
    the same questions again would only tire them (/cancel, then /start, begins afresh)."""
    link = parse_deep_link(context.args[0] if context.args else None)
    session = await context.session(update)
    if session.member is not None:
        if link is not None and link.kind is not LinkKind.REFERRAL:
            await open_deep_link(update, context, link.payload)
        else:
            await show(update, *main_menu(session))
        return ConversationHandler.END
    if DRAFT_LANGUAGE_KEY in user_data_of(context):
        draft = FLOW.draft(context)
        draft.link = link.payload if link is not None else draft.link
        note = views.carry_on_note(session.t)
        return await FLOW.go(update, context, draft.step_to_resume(), draft, note=note)
    draft = OnboardingDraft(link=link.payload if link is not None else None)
    return await FLOW.go(update, context, Step.LANGUAGE, draft)


@_step(Step.LANGUAGE)
async def choose_language(update: Update, context: RangkulContext, action: ChooseLanguage) -> int:
    """Language chosen: remember it for the rest of the flow and introduce Rangkul."""
    _set_language(context, action.code)
    return await FLOW.go(update, context, Step.INTRO, FLOW.draft(context))


@_step(Step.LANGUAGE)
async def typed_language(update: Update, context: RangkulContext) -> int:
    """A language typed by name ("english"): as if its button was pressed."""
    code = views.typed_language(text_of(update))
    assert code is not None  # the handler's filter let only a language's name through
    return await choose_language(update, context, ChooseLanguage(code))


@_newcomer
async def sign_up_for(update: Update, context: RangkulContext, action: SignUpFor) -> int:
    """A visitor's "Sign up" under a trial or an event: sign-up in the language they see,
    keeping what they chose for its end (where they were, if they had begun already)."""
    _set_language(context, action.code)
    draft = FLOW.draft(context)
    draft.wish, draft.wish_target = action.wish, action.target
    return await FLOW.go(update, context, draft.step_to_resume(), draft)


def _set_language(context: RangkulContext, code: str) -> None:
    user_data_of(context)[DRAFT_LANGUAGE_KEY] = get_translator(code).lang
    context.forget_session()


@_step(Step.INTRO)
async def after_intro(update: Update, context: RangkulContext, _: ReadIntro) -> int:
    """Introduction read: ask whether the person is an adult, in a message of its own.

    The welcome says Rangkul is not an emergency service and where to call: it stays in the
    chat (without its button, its step is done), and the later steps edit the new message."""
    await settle_keyboard(update)
    draft = FLOW.draft(context)
    draft.intro_read = True
    return await FLOW.go(update, context, Step.AGE, draft, edit=False)


@_newcomer
async def under_18(update: Update, context: RangkulContext, _: UnderAge) -> int:
    """Younger people get support, and nothing about them is kept (also on a second tap)."""
    session = await context.session(update)
    _drop_everything(update, context)
    await show(update, *views.minor_view(session.t, context.services.contacts))
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
    draft = FLOW.draft(context)
    draft.adult_at = context.services.clock.now()
    return await FLOW.go(update, context, Step.CONSENT, draft)


@_step(Step.CONSENT)
async def choose_consent(update: Update, context: RangkulContext, _: GiveConsent) -> int:
    """Consent given: record when and to which notice."""
    draft = FLOW.draft(context)
    draft.consent_at = context.services.clock.now()
    draft.notice_version = context.services.notice_version
    return await _suggest_alias(update, context, draft)


async def _suggest_alias(
    update: Update, context: RangkulContext, draft: OnboardingDraft, note: str = ""
) -> int:
    """The alias step with a fresh suggestion, after ``note`` (why the person is back here)."""
    draft.suggestion = suggest_alias(context.services.rng)
    return await FLOW.go(update, context, Step.ALIAS, draft, note=note)


@_step(Step.ALIAS)
async def take_alias(update: Update, context: RangkulContext, action: TakeAlias) -> int:
    """The suggestion the button shows (or, on an older button, the draft's)."""
    draft = FLOW.draft(context)
    suggestion = action.suggestion or draft.suggestion
    if not suggestion:
        return await _suggest_alias(update, context, draft)
    verdict = await judge_alias(context.services.members, suggestion)
    if not verdict.accepted:  # someone took it meanwhile: offer a fresh one
        return await _suggest_alias(update, context, draft)
    return await _accept_alias(update, context, draft, verdict.alias)


@_step(Step.ALIAS)
async def another_alias(update: Update, context: RangkulContext, _: AnotherAlias) -> int:
    return await _suggest_alias(update, context, FLOW.draft(context))


@_step(Step.ALIAS)
async def choose_own_alias(update: Update, context: RangkulContext, _: OwnAlias) -> int:
    return await FLOW.go(update, context, Step.OWN_ALIAS, FLOW.draft(context))


@_step(Step.ALIAS)
async def own_alias(update: Update, context: RangkulContext) -> int:
    """A typed alias: refused with the reason, or accepted. A feeling typed here gets the
    distress reply and the question again: it must never become a name others see."""
    if await answer_distress(update, context):
        return await FLOW.go(update, context, Step.OWN_ALIAS, FLOW.draft(context), edit=False)
    session = await context.session(update)
    verdict = await judge_alias(context.services.members, text_of(update))
    if not verdict.accepted:
        await show(update, views.alias_refusal(session.t, verdict.problem))
        return Step.OWN_ALIAS
    return await _accept_alias(update, context, FLOW.draft(context), verdict.alias)


@_step(Step.ALIAS)
async def ask_for_alias_text(update: Update, context: RangkulContext) -> int:
    """A sticker or photo where an alias was expected: ask for text again."""
    return await FLOW.go(update, context, Step.OWN_ALIAS, FLOW.draft(context))


async def _accept_alias(
    update: Update, context: RangkulContext, draft: OnboardingDraft, alias: str
) -> int:
    draft.alias, draft.suggestion, draft.region_page = alias, None, 0
    return await FLOW.go(update, context, Step.REGION, draft)


@_step(Step.REGION)
async def region_page(update: Update, context: RangkulContext, action: RegionPage) -> int:
    """Pages through the provinces."""
    draft = FLOW.draft(context)
    draft.region_page = action.page
    return await FLOW.go(update, context, Step.REGION, draft)


@_step(Step.REGION)
async def choose_region(
    update: Update, context: RangkulContext, action: ChooseRegion, note: str = ""
) -> int:
    """A province (it sets the timezone) or online only."""
    draft = FLOW.draft(context)
    if action.code != ONLINE_ONLY and province_by_code(action.code) is None:
        return await FLOW.go(update, context, Step.REGION, draft)
    draft.region = action.code
    return await FLOW.go(update, context, Step.TOPICS, draft, note=note)


@_step(Step.REGION)
async def typed_region(update: Update, context: RangkulContext) -> int:
    """A province typed by name, code or everyday name ("jawa barat", "DIY"), wherever its
    button is among the pages; the next step says which one was understood."""
    region = region_by_name(text_of(update))
    assert region is not None  # the handler's filter let only a province's name through
    t = (await context.session(update)).t
    return await choose_region(
        update, context, ChooseRegion(region), views.understood_note(t, region)
    )


@_step(Step.TOPICS)
async def toggle_topic(update: Update, context: RangkulContext, action: ToggleTopic) -> int:
    """Ticks or unticks one topic: the button carries the whole selection it leads to."""
    draft = FLOW.draft(context)
    draft.topics = list(topics_from_mask(action.mask))
    return await FLOW.go(update, context, Step.TOPICS, draft)


@_step(Step.TOPICS)
async def typed_topic(update: Update, context: RangkulContext) -> int:
    """A topic typed by name ticks it; "done" finishes with the topics ticked."""
    draft = FLOW.draft(context)
    topic = views.typed_topic(text_of(update))
    if topic == views.DONE:
        return await finish(update, context, FinishTopics(topics_mask(draft.topics)))
    draft.topics = list(topics_from_mask(topics_mask([*draft.topics, str(topic)])))
    return await FLOW.go(update, context, Step.TOPICS, draft)


@_step(Step.TOPICS)
async def finish(update: Update, context: RangkulContext, action: FinishTopics) -> int:
    """Stores the member with their consent (and the topics Done shows), counts the referral,
    and shows the menu."""
    session = await context.session(update)
    services = context.services
    draft = FLOW.draft(context)
    draft.topics = list(topics_from_mask(action.mask))
    link = parse_deep_link(draft.link)
    # @_step(Step.TOPICS) let this run only with every earlier answer in the draft.
    assert draft.alias is not None and draft.consent_at is not None and draft.adult_at is not None
    registration = Registration(
        telegram_id=user_of(update).id,
        alias=draft.alias,
        language=session.lang,
        province=None if draft.region == ONLINE_ONLY else draft.region,
        topics=tuple(draft.topics),
        notice_version=draft.notice_version,
        consent_at=draft.consent_at,
        adult_confirmed_at=draft.adult_at,
        referral=link.value if link is not None and link.kind is LinkKind.REFERRAL else None,
    )
    try:
        member = await register(
            services.members, services.clock, registration, services.settings.timezone
        )
    except AliasTaken:
        # Someone registered the same alias since it was chosen (the insert is the check, inside
        # the registering transaction): back to the alias step, in one message.
        note = views.alias_refusal(session.t, None)
        return await _suggest_alias(update, context, draft, note)
    FLOW.drop(context)
    user_data_of(context).pop(DRAFT_LANGUAGE_KEY, None)
    context.forget_session()
    session = await context.session(update)
    t = session.t
    welcome = t("All set, <b>{alias}</b>! Welcome to Rangkul. 🌱", alias=member.alias)
    await show(update, *await with_baseline_offer(context, t, member, (welcome, None)))
    wished = (
        None
        if draft.wish is None
        else await wishes.wished(context, t, member, draft.wish, draft.wish_target)
    )
    if wished is None and link is None:
        # Topics were asked "to suggest groups": here they are (nothing if none match).
        suggested = await suggested_groups(services.groups, member, SUGGESTIONS)
        if suggested:
            await follow_up(update, *views.suggestions_view(t, suggested))
    await follow_up(update, *main_menu(session))
    # A group card or a role the link was for; also sets a new coordinator's command menu.
    await open_deep_link(update, context, link.payload if link is not None else None)
    if wished is not None:  # last, where the visitor left off: what they came for
        await follow_up(update, *wished)
    return ConversationHandler.END


class _Naming(filters.MessageFilter):
    """Text that ``find`` reads as one of a step's choices."""

    def __init__(self, find: Callable[[str], str | None]) -> None:
        super().__init__(name=f"naming {find.__name__}")
        self._find = find

    def filter(self, message: Message) -> bool:
        return message.text is not None and self._find(message.text) is not None


def _drop_everything(update: Update, context: RangkulContext) -> None:
    """Declined or under 18: nothing about the person may remain, not even the draft."""
    user_data_of(context).clear()
    context.application.drop_user_data(user_of(update).id)


async def drop_leftovers(application: Application) -> None:
    """Start-up step: onboarding state and drafts of people who have joined since go (a crash
    between registering and saving them leaves them behind)."""
    services: Services = application.bot_data["services"]
    await drop_finished_onboarding(services.members, CONVERSATION)
    persistence = application.persistence
    for user_id, data in application.user_data.items():
        if not {FLOW.key, DRAFT_LANGUAGE_KEY} & data.keys():
            continue
        if await services.members.by_telegram_id(user_id) is None:
            continue  # still joining: their draft is their progress
        data.pop(FLOW.key, None)
        data.pop(DRAFT_LANGUAGE_KEY, None)
        if persistence is not None:
            await persistence.update_user_data(user_id, data)


def handlers() -> list[BaseHandler]:
    """The persistent /start conversation."""
    # Valid in every state (allow_reentry): a button works on the step it shows.
    buttons = [
        on_button(ChooseLanguage, choose_language),
        on_button(SignUpFor, sign_up_for),
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
    # A typed answer naming one of a step's choices counts as its button (the step's hint
    # answers anything else). Age and consent stay buttons: they are declarations.
    for step, names, typed in (
        (Step.LANGUAGE, views.typed_language, typed_language),
        (Step.REGION, region_by_name, typed_region),
        (Step.TOPICS, views.typed_topic, typed_topic),
    ):
        steps[step].append(MessageHandler(filters.TEXT & ~filters.COMMAND & _Naming(names), typed))
    steps[Step.OWN_ALIAS] = [
        MessageHandler(filters.TEXT & ~filters.COMMAND, own_alias),
        MessageHandler(filters.ALL & ~filters.COMMAND, ask_for_alias_text),
    ]
    # The alias step takes text and asks again for it itself.
    FLOW.add_step_hints(steps, except_steps={Step.OWN_ALIAS}, wrap=_newcomer)
    return [
        persistent_conversation(
            CONVERSATION,
            allow_reentry=True,
            entry_points=[CommandHandler("start", start), *buttons],
            states=steps,
            fallbacks=common_fallbacks(),
        )
    ]
