"""Feedback after a meeting: a 1-5 button under the question, then an optional comment.

The rating is stored at the press; the comment step waits :data:`COMMENT_WINDOW` (its
timeout). A comment with crisis words never reaches this conversation: crisis detection in the
safety handler group answers it first and stops it there, so it is neither stored nor passed
on, and the step stays open. A second press of any rating changes nothing (a toast).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from telegram import Update
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.context import RangkulContext
from bot.domain.feedback import COMMENT_WINDOW, CommentOutcome, RateOutcome, clean_comment
from bot.narrowing import query_of, text_of
from bot.services import feedback as service
from bot.telegram_glue.chat import follow_up, show
from bot.telegram_glue.conversation import common_fallbacks, persistent_conversation
from bot.telegram_glue.flow import StepFlow
from bot.ui import feedback as views
from bot.ui.callbacks import on_button
from bot.ui.feedback import Rate, SkipComment
from bot.ui.menu import expired_button_text


class Step(enum.IntEnum):
    COMMENT = 1


@dataclass
class FeedbackDraft:
    meeting_id: int = 0  # the answer whose comment is awaited


FLOW: StepFlow[Step, FeedbackDraft] = StepFlow("meeting_feedback", FeedbackDraft)


async def rate(update: Update, context: RangkulContext, action: Rate) -> int | None:
    """A rating: stored once, then the comment is asked for. Pressed again (or another
    rating of the same meeting), nothing changes: a toast, and the step stays as it was."""
    session = await context.session(update)
    t, member = session.t, session.member
    if member is None:
        await query_of(update).answer(expired_button_text(t), show_alert=True)
        return None
    s = context.services
    outcome = await service.rate(
        s.feedback, s.meetings, s.clock, member, action.meeting_id, action.rating
    )
    if outcome is RateOutcome.ALREADY:
        await query_of(update).answer(views.already_answered_text(t))
        return None
    if outcome is not RateOutcome.SAVED:
        await query_of(update).answer(views.not_asked_text(t), show_alert=True)
        return None
    waiting = FLOW.draft(context).meeting_id
    if waiting and waiting != action.meeting_id:
        # Rated another meeting while a comment was awaited: that answer is complete as it is.
        await service.finish(s.feedback, s.clock, member, waiting, None)
    FLOW.keep(context, FeedbackDraft(action.meeting_id))
    await show(update, *views.comment_prompt_view(t, action.meeting_id, action.rating))
    return Step.COMMENT


async def take_comment(update: Update, context: RangkulContext) -> int:
    session = await context.session(update)
    t, member = session.t, session.member
    comment, problem = clean_comment(text_of(update))
    if comment is None or member is None:
        await follow_up(update, views.comment_problem_text(t, problem))
        return Step.COMMENT
    s = context.services
    meeting_id = FLOW.draft(context).meeting_id
    outcome = await service.finish(s.feedback, s.clock, member, meeting_id, comment)
    if outcome is CommentOutcome.SAVED:
        return await FLOW.end(update, context, views.comment_saved_text(t))
    return await FLOW.end(update, context, views.comment_closed_text(t))


async def not_text(update: Update, context: RangkulContext) -> int:
    """A sticker, photo or voice note: only text is passed on."""
    session = await context.session(update)
    await follow_up(update, views.comment_problem_text(session.t, None))
    return Step.COMMENT


async def skip(update: Update, context: RangkulContext, action: SkipComment) -> int | None:
    """Skip: the answer is complete without a comment (also after the step timed out)."""
    session = await context.session(update)
    t, member = session.t, session.member
    if member is None:
        await query_of(update).answer(expired_button_text(t))
        return None
    s = context.services
    outcome = await service.finish(s.feedback, s.clock, member, action.meeting_id, None)
    if outcome is not CommentOutcome.SAVED:
        await query_of(update).answer(views.already_answered_text(t))
        return None
    if FLOW.draft(context).meeting_id == action.meeting_id:
        return await FLOW.end(update, context, views.skipped_text(t))
    await show(update, views.skipped_text(t))
    return None


def handlers() -> list[BaseHandler]:
    """The persistent feedback conversation (with the conversations, bot.app)."""
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    return [
        persistent_conversation(
            "meeting_feedback",
            timeout=COMMENT_WINDOW,
            allow_reentry=True,
            entry_points=[on_button(Rate, rate)],
            states={
                Step.COMMENT: [
                    MessageHandler(private & filters.TEXT & ~filters.COMMAND, take_comment),
                    on_button(SkipComment, skip),
                    MessageHandler(private & ~filters.COMMAND, not_text),
                ],
            },
            fallbacks=common_fallbacks(),
        ),
    ]


def buttons() -> list[BaseHandler]:
    """Skip outside the conversation: the step timed out, yet the answer can still be
    completed (with the single-step buttons, bot.app)."""
    return [on_button(SkipComment, skip)]
