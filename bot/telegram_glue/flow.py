"""One way to write the steps of a conversation: a typed draft, one view per step, a kind
re-prompt for anything unexpected, and a clean ending.

    FLOW = StepFlow("new_meeting", NewMeetingDraft, view, hint=..., lost=..., area=...)

    async def choose_day(update, context, action):
        draft = FLOW.draft(context)
        draft.day = action.day
        return await FLOW.go(update, context, Step.TIME, draft)

``view(update, context, step, draft)`` says what a step looks like for the draft as it is: a
View; or another step, shown instead (the draft lacks an answer the step builds on); or None
when the flow cannot go on for this person (their role or group is gone): then the draft is
dropped and ``lost`` says so kindly. Steps are rebuilt from the draft alone, so a restart, a
stray sticker or an old button all land on the step as it was.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Collection
from typing import Any, Generic, TypeVar

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler
from telegram.ext import filters as ptb_filters

from bot.context import RangkulContext
from bot.i18n import Translator
from bot.narrowing import user_data_of
from bot.telegram_glue.chat import follow_up, show
from bot.telegram_glue.conversation import Callback
from bot.telegram_glue.distress_reply import answer_distress
from bot.telegram_glue.drafts import check_draft_type, draft_from_json, draft_to_json
from bot.ui.callbacks import Area
from bot.ui.view import View

# Steps are IntEnums: a step is the conversation state a handler returns.
S = TypeVar("S", bound=enum.IntEnum)
D = TypeVar("D")

StepView = Callable[[Update, RangkulContext, S, D], Awaitable[View | S | None]]
Text = Callable[[Translator], str]


class StepFlow(Generic[S, D]):
    """The steps of one conversation around its draft, kept in user_data under ``key``.

    ``hint`` opens the re-prompt at a step with buttons; at a step without buttons (one that
    waits for text) ``typing_hint`` does, and without it the step is simply shown again.
    ``area``: stale buttons of this feature get the re-prompt too (leave it out where the
    feature's other buttons work outside the flow). ``save_before_reply``: the draft is written
    to persistence before a step is shown, not after, so a crash in between cannot leave the
    person one answer ahead of what the bot remembers. A flow whose steps are not one message
    each (the safety plan) leaves ``view`` out and uses the draft and the ending only.
    """

    def __init__(
        self,
        key: str,
        draft_type: type[D],
        view: StepView[S, D] | None = None,
        *,
        hint: Text | None = None,
        typing_hint: Text | None = None,
        lost: Text | None = None,
        area: Area | None = None,
        save_before_reply: bool = False,
    ) -> None:
        check_draft_type(draft_type)
        self.key = key
        self.draft_type = draft_type
        self._view = view
        self._hint = hint
        self._typing_hint = typing_hint
        self._lost = lost
        self._area = area
        self._save_before_reply = save_before_reply

    # --- the draft ----------------------------------------------------------------------------

    def draft(self, context: RangkulContext) -> D:
        """The draft as stored (defaults where nothing is); a fresh object each time, so
        changes count once :meth:`keep` or :meth:`go` stores them."""
        return draft_from_json(self.draft_type, user_data_of(context).get(self.key))

    def keep(self, context: RangkulContext, draft: D) -> None:
        """Stores the draft in user_data (persisted after the update, or by :meth:`go` before
        the reply when the flow asks for it)."""
        user_data_of(context)[self.key] = draft_to_json(draft)

    def drop(self, context: RangkulContext) -> None:
        """Forgets the draft (the flow is ending, or starting afresh)."""
        user_data_of(context).pop(self.key, None)

    def leaving(self, callback: Callback) -> Callback:
        """``callback`` (/cancel, /forget) after dropping this flow's draft. For the
        conversations of the safety group: one runs over a feature conversation, whose draft
        ``drop_drafts`` rightly keeps, so it drops its own."""

        async def run(update: Update, context: RangkulContext) -> int:
            self.drop(context)
            return await callback(update, context)

        return run

    # --- showing steps ------------------------------------------------------------------------

    async def go(
        self,
        update: Update,
        context: RangkulContext,
        step: S,
        draft: D,
        *,
        edit: bool = True,
        note: str = "",
    ) -> S | int:
        """Keeps the draft and shows ``step`` (or the step its view shows instead), after
        ``note`` (why the person is back here); returns the state to be in."""
        screen = await self._screen(update, context, step, draft)
        if screen is None:
            return await self.lost(update, context)
        shown, (text, markup) = screen
        await self._keep_for_reply(update, context, draft)
        await show(update, f"{note}\n\n{text}" if note else text, markup, edit=edit)
        return shown

    async def _screen(
        self, update: Update, context: RangkulContext, step: S, draft: D
    ) -> tuple[S, View] | None:
        if self._view is None:
            raise TypeError(f"flow {self.key!r} has no view of its steps")
        # A step shown instead may name another; a chain longer than the steps is a circle.
        for _ in range(len(type(step))):
            found = await self._view(update, context, step, draft)
            if not isinstance(found, enum.Enum):
                return None if found is None else (step, found)
            step = found
        raise RuntimeError(f"flow {self.key!r}: its views send each other round in a circle")

    async def _keep_for_reply(self, update: Update, context: RangkulContext, draft: D) -> None:
        self.keep(context, draft)
        persistence = context.application.persistence
        user = update.effective_user
        if self._save_before_reply and persistence is not None and user is not None:
            await persistence.update_user_data(user.id, user_data_of(context))

    # --- unexpected input ---------------------------------------------------------------------

    def add_step_hints(
        self,
        states: dict[Any, list[BaseHandler]],
        *,
        except_steps: Collection[S] = (),
        wrap: Callable[[Callback], Callback] | None = None,
    ) -> None:
        """At each step, anything unexpected (text at a button step, a sticker, a stale button
        of the flow's area) gets a kind hint and the step again, so nobody is dropped out; a
        feeling typed there gets the distress reply instead of the hint.
        Registered after the step's own handlers; ``wrap`` decorates the re-prompt like the
        flow's other handlers (e.g. a check that the person may still be here)."""
        if self._hint is None:
            raise TypeError(f"flow {self.key!r} has no hint to re-prompt with")
        for step, handlers in states.items():
            if step in except_steps:
                continue
            reprompt = self._reprompt(step, self._hint)
            if wrap is not None:
                reprompt = wrap(reprompt)
            handlers.append(MessageHandler(ptb_filters.ALL & ~ptb_filters.COMMAND, reprompt))
            if self._area is not None:
                handlers.append(CallbackQueryHandler(reprompt, pattern=self._area.pattern()))

    def _reprompt(self, step: S, button_hint: Text) -> Callback:
        async def reprompt(update: Update, context: RangkulContext) -> int:
            draft = self.draft(context)
            screen = await self._screen(update, context, step, draft)
            if screen is None:
                return await self.lost(update, context)
            shown, (text, markup) = screen
            if await answer_distress(update, context):
                # A feeling, not a wrong answer: the warm reply, then the step as it was.
                await self._keep_for_reply(update, context, draft)
                await follow_up(update, text, markup)
                return shown
            t = (await context.session(update)).t
            if markup is None and self._typing_hint is not None:
                hint, before_text = self._typing_hint(t), True
            else:
                # Buttons to press; a step waiting for text says what to send itself.
                hint, before_text = button_hint(t), markup is not None
            if update.callback_query is not None:
                await update.callback_query.answer(hint)
            await self._keep_for_reply(update, context, draft)
            await follow_up(update, f"{hint}\n\n{text}" if before_text else text, markup)
            return shown

        return reprompt

    # --- endings ------------------------------------------------------------------------------

    async def end(
        self,
        update: Update,
        context: RangkulContext,
        text: str | None = None,
        markup: InlineKeyboardMarkup | None = None,
        *,
        edit: bool = True,
    ) -> int:
        """Ends the flow: the draft goes, and ``text`` (if any) is shown."""
        self.drop(context)
        if text is not None:
            await show(update, text, markup, edit=edit)
        return ConversationHandler.END

    async def lost(self, update: Update, context: RangkulContext) -> int:
        """The flow cannot go on for this person (their role or group is gone): it ends, kindly,
        in a message of its own below the step they were on."""
        if self._lost is None:
            raise TypeError(f"flow {self.key!r} has no text for when it cannot go on")
        t = (await context.session(update)).t
        return await self.end(update, context, self._lost(t), edit=False)
