"""The plumbing every conversation shares: persistence, and the /cancel and /forget fallbacks."""

from __future__ import annotations

import warnings
from collections.abc import Awaitable, Callable, Collection
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.adapters.chat import draft, facilitated_groups, show
from bot.context import RangkulContext
from bot.domain.groups import Group
from bot.ui.callbacks import Area
from bot.ui.meetings import not_facilitator_text, refused_text
from bot.ui.menu import cancelled_text
from bot.ui.privacy import forget_confirm_view, nothing_stored_text


async def cancel(update: Update, context: RangkulContext) -> int:
    """/cancel: leaves the conversation, keeping whatever was already saved; drafts go."""
    session = await context.session(update)
    await drop_drafts(update, context)
    await show(update, cancelled_text(session.t, registered=session.member is not None))
    return ConversationHandler.END


async def ask_to_forget(update: Update, context: RangkulContext) -> int:
    """/forget: asks for confirmation; inside a conversation it also ends that conversation.

    Someone who has not joined and keeps nothing once their drafts are gone is told so, rather
    than asked to confirm deleting an alias and answers they never gave.
    """
    session = await context.session(update)
    if await drop_drafts(update, context) and session.member is None:
        await show(update, nothing_stored_text(session.t), edit=False)
    else:
        await show(update, *forget_confirm_view(session.t), edit=False)
    return ConversationHandler.END


async def drop_drafts(update: Update, context: RangkulContext) -> bool:
    """Drops the person's conversation drafts when /cancel or /forget leaves them in no
    conversation; True if it did.

    user_data holds only drafts (lasting data lives in domain tables), so it is emptied; for
    someone who has not joined even their chosen language was a draft, and nothing stays.
    While a second conversation goes on (a safety-group one runs over a feature one), it
    still needs its draft: nothing is dropped until the last one ends.
    """
    user = update.effective_user
    if user is None:
        return False
    # Saved after every update, so this still lists the conversation this update ends.
    if len(await context.services.members.conversation_names(user.id)) > 1:
        return False
    session = await context.session(update)
    if session.member is None:
        context.application.drop_user_data(user.id)
    else:
        context.user_data.clear()
    return True


def common_fallbacks() -> list[BaseHandler]:
    """/cancel and /forget end any conversation (/crisis runs before conversations see it)."""
    return [CommandHandler("cancel", cancel), CommandHandler("forget", ask_to_forget)]


# How long a conversation may sit idle before it ends: long enough to come back to a form after
# a break, short enough that nothing of someone who walked away lingers.
DEFAULT_TIMEOUT = timedelta(hours=12)


async def expire(update: Update, context: RangkulContext) -> None:
    """A conversation timed out: its drafts go (for someone who never joined, everything), and
    nothing is said: a message out of the blue about a form left hours ago helps nobody."""
    await drop_drafts(update, context)


def persistent_conversation(
    name: str,
    *,
    states: dict[Any, list[BaseHandler]],
    timeout: timedelta = DEFAULT_TIMEOUT,
    **options: object,
) -> ConversationHandler:
    """A named, persistent ConversationHandler (state survives restarts) that times out.

    Our conversations mix text and button steps on purpose, so per_message=False is right and
    PTB's warning about tracking callback queries per message does not apply.
    """
    states = {**states, ConversationHandler.TIMEOUT: [TypeHandler(Update, expire)]}
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message=r"If 'per_message=False'", category=PTBUserWarning
        )
        return ConversationHandler(  # type: ignore[misc]
            name=name,
            persistent=True,
            states=states,
            conversation_timeout=timeout,
            **options,  # type: ignore[arg-type]
        )


def add_step_hints(
    states: dict[Any, list[BaseHandler]],
    reprompt: Callable[[Any], Callable[[Update, RangkulContext], Awaitable[object]]],
    area: Area,
    *,
    except_steps: Collection[Any] = (),
) -> None:
    """At each step, anything unexpected (text at a button step, a sticker, a stale button of
    this flow) gets ``reprompt(step)``: a kind hint and that step shown again."""
    for step, handlers in states.items():
        if step not in except_steps:
            handlers += [
                MessageHandler(filters.ALL & ~filters.COMMAND, reprompt(step)),
                CallbackQueryHandler(reprompt(step), pattern=area.pattern()),
            ]


async def begin_with_group(update: Update, context: RangkulContext, key: str) -> list[Group]:
    """Starts a facilitator's flow with a fresh draft under ``key``: the groups they facilitate
    now (none: they are told, and the flow should end); exactly one is chosen already."""
    context.user_data.pop(key, None)
    groups = await facilitated_groups(update, context)
    if not groups:
        session = await context.session(update)
        await show(update, not_facilitator_text(session.t), edit=False)
    elif len(groups) == 1:
        draft(context, key)["group_id"] = groups[0].id
    return groups


async def pick_group(update: Update, context: RangkulContext, key: str, group_id: int) -> bool:
    """A group button, checked at press time: a forged id for another group is refused."""
    session = await context.session(update)
    if group_id not in session.facilitated_groups:
        await update.callback_query.answer(refused_text(session.t), show_alert=True)
        return False
    draft(context, key)["group_id"] = group_id
    return True
