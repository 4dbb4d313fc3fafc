"""/start: anonymous onboarding — language, what Rangkul is, age, consent, alias, region, topics.

Nothing about the person is stored in domain tables until they finish; the draft lives in
user_data (persisted, so a restart resumes the step) and is dropped if they decline.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.adapters.chat import draft, follow_up, main_menu, show
from bot.adapters.roles import open_deep_link
from bot.context import DRAFT_LANGUAGE_KEY, RangkulContext
from bot.conversations.common import add_step_hints, common_fallbacks, persistent_conversation
from bot.domain.alias import suggest_alias
from bot.domain.deep_links import LinkKind, parse_deep_link
from bot.domain.member import AliasTaken
from bot.domain.regions import province_by_code
from bot.domain.topics import TOPICS
from bot.i18n import get_translator
from bot.services.onboarding import Registration, judge_alias, register
from bot.ui import onboarding as views
from bot.ui.callbacks import args, pattern
from bot.ui.crisis import crisis_message

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


def _draft(context: RangkulContext) -> dict[str, Any]:
    return draft(context, DRAFT_KEY)


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


async def choose_language(update: Update, context: RangkulContext) -> int:
    """Language chosen: remember it for the rest of the flow and introduce Rangkul."""
    (lang,) = args(update.callback_query.data)[:1] or ["id"]
    t = get_translator(lang)
    context.user_data[DRAFT_LANGUAGE_KEY] = t.lang
    context.forget_session()
    await show(update, *views.intro_view(t))
    return Step.INTRO


async def after_intro(update: Update, context: RangkulContext) -> int:
    """Introduction read: ask whether the person is an adult."""
    session = await context.session(update)
    await show(update, *views.age_view(session.t))
    return Step.AGE


async def choose_age(update: Update, context: RangkulContext) -> int:
    """Adults go on to the privacy notice; younger people get support and nothing is kept."""
    session = await context.session(update)
    if args(update.callback_query.data) != ["adult"]:
        _drop_everything(update, context)
        text = "\n\n".join(
            [views.minor_text(session.t), crisis_message(session.t, context.services.contacts)]
        )
        await show(update, text)
        return ConversationHandler.END
    _draft(context)["adult_at"] = context.services.clock.now().isoformat()
    await show(update, *views.consent_view(session.t))
    return Step.CONSENT


async def choose_consent(update: Update, context: RangkulContext) -> int:
    """Consent given: record when and to which notice; declined: keep nothing at all."""
    session = await context.session(update)
    if args(update.callback_query.data) != ["yes"]:
        _drop_everything(update, context)
        await show(update, views.declined_text(session.t))
        return ConversationHandler.END
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
    await show(update, f"{note}\n\n{text}" if note else text, markup)
    return Step.ALIAS


async def alias_choice(update: Update, context: RangkulContext) -> int:
    """Take the suggestion, roll another, or type one's own."""
    session = await context.session(update)
    action = args(update.callback_query.data)
    if action == ["reroll"]:
        return await _suggest_alias(update, context)
    if action == ["own"]:
        await show(update, views.own_alias_prompt(session.t))
        return Step.OWN_ALIAS
    suggestion = _draft(context).get("suggestion")
    if not suggestion:
        return await _suggest_alias(update, context)
    verdict = await judge_alias(context.services.members, suggestion)
    if not verdict.accepted:  # someone took it meanwhile: offer a fresh one
        return await _suggest_alias(update, context)
    return await _accept_alias(update, context, verdict.alias)


async def own_alias(update: Update, context: RangkulContext) -> int:
    """A typed alias: refused with the reason, or accepted."""
    session = await context.session(update)
    verdict = await judge_alias(context.services.members, update.message.text)
    if not verdict.accepted:
        await show(update, views.alias_refusal(session.t, verdict.problem))
        return Step.OWN_ALIAS
    return await _accept_alias(update, context, verdict.alias)


async def ask_for_alias_text(update: Update, context: RangkulContext) -> int:
    """A sticker or photo where an alias was expected: ask for text again."""
    session = await context.session(update)
    await show(update, views.own_alias_prompt(session.t))
    return Step.OWN_ALIAS


async def _accept_alias(update: Update, context: RangkulContext, alias: str) -> int:
    session = await context.session(update)
    draft = _draft(context)
    draft["alias"] = alias
    draft.pop("suggestion", None)
    draft["region_page"] = 0
    await show(update, *views.region_view(session.t, 0))
    return Step.REGION


async def region_page(update: Update, context: RangkulContext) -> int:
    """Pages through the provinces."""
    session = await context.session(update)
    index = _int_arg(update.callback_query.data, default=0)
    _draft(context)["region_page"] = index
    await show(update, *views.region_view(session.t, index))
    return Step.REGION


async def choose_region(update: Update, context: RangkulContext) -> int:
    """A province (it sets the timezone) or online only."""
    session = await context.session(update)
    (code,) = args(update.callback_query.data)[:1] or [""]
    if code != "online" and province_by_code(code) is None:
        await show(update, *views.region_view(session.t, _draft(context).get("region_page", 0)))
        return Step.REGION
    draft = _draft(context)
    draft["province"] = None if code == "online" else code
    draft.setdefault("topics", [])
    await show(update, *views.topics_view(session.t, draft["topics"]))
    return Step.TOPICS


async def toggle_topic(update: Update, context: RangkulContext) -> int:
    """Adds or removes one topic."""
    session = await context.session(update)
    (topic,) = args(update.callback_query.data)[:1] or [""]
    chosen: list[str] = _draft(context).setdefault("topics", [])
    if topic in TOPICS:
        if topic in chosen:
            chosen.remove(topic)
        else:
            chosen.append(topic)
    await show(update, *views.topics_view(session.t, chosen))
    return Step.TOPICS


async def finish(update: Update, context: RangkulContext) -> int:
    """Stores the member with their consent, counts the referral, and shows the menu."""
    session = await context.session(update)
    services = context.services
    draft = _draft(context)
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


def _reprompt(step: Step) -> Callable[[Update, RangkulContext], Awaitable[int]]:
    """Anything unexpected at a button step: a kind hint and the step's buttons again."""

    async def reprompt(update: Update, context: RangkulContext) -> int:
        t = (await context.session(update)).t
        draft = _draft(context)
        views_by_step = {
            Step.LANGUAGE: lambda: views.language_view(t),
            Step.INTRO: lambda: views.intro_view(t),
            Step.AGE: lambda: views.age_view(t),
            Step.CONSENT: lambda: views.consent_view(t),
            Step.ALIAS: lambda: views.alias_view(t, draft.get("suggestion") or "…"),
            Step.REGION: lambda: views.region_view(t, draft.get("region_page", 0)),
            Step.TOPICS: lambda: views.topics_view(t, draft.get("topics", [])),
        }
        text, markup = views_by_step[step]()
        hint = views.use_buttons_hint(t)
        if update.callback_query is not None:
            await update.callback_query.answer(hint)
        await follow_up(update, f"{hint}\n\n{text}", markup)
        return step

    return reprompt


def _int_arg(data: str | None, *, default: int) -> int:
    (raw,) = args(data)[:1] or [""]
    return int(raw) if raw.isdigit() else default


def _drop_everything(update: Update, context: RangkulContext) -> None:
    """Declined or under 18: nothing about the person may remain, not even the draft."""
    context.user_data.clear()
    context.application.drop_user_data(update.effective_user.id)


def build_onboarding_conversation() -> ConversationHandler:
    """The persistent /start conversation."""
    area = views.AREA
    steps: dict[Step, list[BaseHandler]] = {
        Step.LANGUAGE: [CallbackQueryHandler(choose_language, pattern=pattern(area, "lang"))],
        Step.INTRO: [CallbackQueryHandler(after_intro, pattern=pattern(area, "next"))],
        Step.AGE: [CallbackQueryHandler(choose_age, pattern=pattern(area, "age"))],
        Step.CONSENT: [CallbackQueryHandler(choose_consent, pattern=pattern(area, "consent"))],
        Step.ALIAS: [CallbackQueryHandler(alias_choice, pattern=pattern(area, "alias"))],
        Step.OWN_ALIAS: [
            MessageHandler(filters.TEXT & ~filters.COMMAND, own_alias),
            CallbackQueryHandler(alias_choice, pattern=pattern(area, "alias")),
            MessageHandler(filters.ALL & ~filters.COMMAND, ask_for_alias_text),
        ],
        Step.REGION: [
            CallbackQueryHandler(region_page, pattern=pattern(area, "page")),
            CallbackQueryHandler(choose_region, pattern=pattern(area, "region")),
        ],
        Step.TOPICS: [
            CallbackQueryHandler(toggle_topic, pattern=pattern(area, "topic")),
            CallbackQueryHandler(finish, pattern=pattern(area, "topics")),
        ],
    }
    # The alias step takes text and asks again for it itself.
    add_step_hints(steps, _reprompt, area, except_steps={Step.OWN_ALIAS})
    return persistent_conversation(
        "onboarding",
        allow_reentry=True,
        entry_points=[CommandHandler("start", start)],
        states=steps,
        fallbacks=common_fallbacks(),
    )
