"""/alias: a member changes their alias (suggested, re-rolled or their own)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import RangkulContext
from bot.domain.alias import suggest_alias
from bot.domain.member import AliasTaken
from bot.narrowing import text_of
from bot.services.onboarding import judge_alias
from bot.services.profile import change_alias
from bot.telegram_glue.chat import show
from bot.telegram_glue.conversation import common_fallbacks, persistent_conversation
from bot.telegram_glue.distress_reply import answer_distress
from bot.telegram_glue.flow import StepFlow
from bot.ui import onboarding as views
from bot.ui.alias import AnotherNewAlias, KeepAlias, OwnNewAlias, TakeNewAlias, offer_view
from bot.ui.callbacks import on_button
from bot.ui.menu import ChangeAlias, join_first_text
from bot.ui.view import View


class Step(enum.IntEnum):
    CHOOSE = 1
    TYPE = 2


@dataclass
class AliasDraft:
    suggestion: str | None = None  # for buttons sent before they carried it


async def _view(update: Update, context: RangkulContext, step: Step, draft: AliasDraft) -> View:
    session = await context.session(update)
    if step is Step.CHOOSE:
        assert session.member is not None, "only members enter /alias (begin)"
        if draft.suggestion is None:
            # A draft kept by an older version, without one: a fresh suggestion (kept with
            # the draft when the step is shown), rather than offering "None".
            draft.suggestion = suggest_alias(context.services.rng)
        return offer_view(session.t, session.member.alias, draft.suggestion)
    return views.own_alias_prompt(session.t), None


FLOW: StepFlow[Step, AliasDraft] = StepFlow("alias", AliasDraft, _view)


async def begin(update: Update, context: RangkulContext, _: ChangeAlias | None = None) -> int:
    """/alias or "Change alias": a new suggestion next to the current alias."""
    session = await context.session(update)
    if session.member is None:
        await show(update, join_first_text(session.t), edit=False)
        return ConversationHandler.END
    return await _offer(update, context)


async def _offer(update: Update, context: RangkulContext) -> int:
    draft = AliasDraft(suggestion=suggest_alias(context.services.rng))
    return await FLOW.go(update, context, Step.CHOOSE, draft)


async def take(update: Update, context: RangkulContext, action: TakeNewAlias) -> int:
    """The suggestion the button shows (or, on an older button, the one remembered)."""
    suggestion = action.suggestion or FLOW.draft(context).suggestion
    if not suggestion:
        return await _offer(update, context)
    return await _save(update, context, suggestion)


async def another(update: Update, context: RangkulContext, _: AnotherNewAlias) -> int:
    return await _offer(update, context)


async def choose_own(update: Update, context: RangkulContext, _: OwnNewAlias) -> int:
    return await FLOW.go(update, context, Step.TYPE, FLOW.draft(context))


async def typed(update: Update, context: RangkulContext) -> int:
    """A typed alias: the same rules as in onboarding."""
    return await _typed(update, context, Step.TYPE)


async def typed_at_offer(update: Update, context: RangkulContext) -> int:
    """Text typed while the suggestion is shown: taken as their own alias."""
    return await _typed(update, context, Step.CHOOSE)


async def _typed(update: Update, context: RangkulContext, step: Step) -> int:
    # A feeling typed here ("aku capek") gets the distress reply and the step again: it must
    # never become a name others see.
    if await answer_distress(update, context):
        return await FLOW.go(update, context, step, FLOW.draft(context), edit=False)
    return await _save(update, context, text_of(update))


async def ask_for_text(update: Update, context: RangkulContext) -> int:
    """A sticker or photo where an alias was expected: ask for text again."""
    return await FLOW.go(update, context, Step.TYPE, FLOW.draft(context))


async def keep(update: Update, context: RangkulContext, _: KeepAlias) -> int:
    """Keeps the current alias."""
    session = await context.session(update)
    assert session.member is not None, "only members enter /alias (begin)"
    text = session.t("Okay, you stay <b>{alias}</b>.", alias=session.member.alias)
    return await FLOW.end(update, context, text)


async def _save(update: Update, context: RangkulContext, raw: str) -> int:
    session = await context.session(update)
    member = session.member
    assert member is not None, "only members enter /alias (begin)"
    verdict = await judge_alias(context.services.members, raw, member_id=member.id)
    if not verdict.accepted:
        await show(update, views.alias_refusal(session.t, verdict.problem), edit=False)
        return Step.TYPE
    try:
        await change_alias(context.services.members, member, verdict.alias)
    except AliasTaken:
        await show(update, views.alias_refusal(session.t, None), edit=False)
        return Step.TYPE
    text = session.t("Done: you are now <b>{alias}</b>.", alias=verdict.alias)
    return await FLOW.end(update, context, text)


def handlers() -> list[BaseHandler]:
    """The persistent /alias conversation."""
    choices = [
        on_button(TakeNewAlias, take),
        on_button(AnotherNewAlias, another),
        on_button(OwnNewAlias, choose_own),
    ]
    return [
        persistent_conversation(
            "alias",
            allow_reentry=True,
            entry_points=[CommandHandler("alias", begin), on_button(ChangeAlias, begin)],
            states={
                Step.CHOOSE: [
                    *choices,
                    on_button(KeepAlias, keep),
                    MessageHandler(filters.TEXT & ~filters.COMMAND, typed_at_offer),
                    MessageHandler(filters.ALL & ~filters.COMMAND, ask_for_text),
                ],
                Step.TYPE: [
                    MessageHandler(filters.TEXT & ~filters.COMMAND, typed),
                    *choices,
                    MessageHandler(filters.ALL & ~filters.COMMAND, ask_for_text),
                ],
            },
            fallbacks=common_fallbacks(),
        )
    ]
