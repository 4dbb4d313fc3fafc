"""/mood: the quick mood. One tap on the 1-5 scale (kept at once), optional tags, an optional
private note, then one message back: thanks, and how today compares with the week before.

Every step button is taken from any state, and also after a restart that lost the state but not
the draft: what a press does is decided by the draft alone (its sitting, and what it already
holds), so a double tap or an old screen gets a short toast and changes nothing. Typed text is
read as the note only at the note steps.

Crisis words in a note never reach this module: the safety handler group answers them first and
stops the update, so they are neither stored nor taken as the note, and the step stays open.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot.context import RangkulContext
from bot.domain.member import Member
from bot.domain.moods import SCORES, TAGS, NoteProblem, note_problem, tags_from_mask, tags_mask
from bot.narrowing import text_of
from bot.services import moods as mood_service
from bot.telegram_glue.conversation import common_fallbacks, persistent_conversation
from bot.telegram_glue.distress_reply import answer_distress, distress_in
from bot.telegram_glue.flow import StepFlow
from bot.telegram_glue.registered import member_or_refuse
from bot.ui import mood as views
from bot.ui.callbacks import on_button
from bot.ui.mood import (
    AddMoodNote,
    ChooseMood,
    SaveMoodTags,
    SkipMoodNote,
    StartMood,
    ToggleMoodTag,
)
from bot.ui.view import View

CONVERSATION = "mood"
UNCHANGED_STATE = None  # PTB: the conversation stays in the state it is in
ALL_TAGS = tags_mask(TAGS)
# Sittings are told apart by a number drawn at the start; any number below this fits a button.
SITTINGS = 10**9


class Step(enum.IntEnum):
    SCORE = 1
    TAGS = 2
    NOTE_OFFER = 3  # "Add a note" or "Skip"; typed text is taken as the note here too
    NOTE = 4  # waiting for the note


@dataclass
class MoodDraft:
    sitting: int = 0
    mood_id: int | None = None  # set once the score is kept
    score: int = 0
    tags: int = 0  # the ticked tags, as a mask (bot.domain.moods.tags_mask)
    tags_saved: bool = False
    note_asked: bool = False


async def _view(
    update: Update, context: RangkulContext, step: Step, draft: MoodDraft
) -> View | Step:
    t = (await context.session(update)).t
    if draft.mood_id is None:
        return views.scale_view(t, draft.sitting) if step is Step.SCORE else Step.SCORE
    if not draft.tags_saved or step is Step.TAGS:
        if step is not Step.TAGS:
            return Step.TAGS
        return views.tags_view(t, draft.sitting, draft.score, draft.tags)
    if step is Step.NOTE:
        return views.note_prompt_view(t, draft.sitting)
    return views.note_offer_view(t, draft.sitting)


FLOW: StepFlow[Step, MoodDraft] = StepFlow(
    CONVERSATION,
    MoodDraft,
    _view,
    hint=views.tap_a_button_hint,
    # The score is stored with the tap: the draft that says so is saved before the reply, so
    # a crash in between cannot make a second tap store it twice.
    save_before_reply=True,
)


async def _toast(update: Update, text: str) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(text)


async def begin(update: Update, context: RangkulContext, _: StartMood | None = None) -> int:
    """/mood, "How am I today" (menu) or "Check in with my mood" (distress reply): the scale,
    in a message of its own (the distress reply it may come from stays as it is)."""
    if await member_or_refuse(update, context) is None:
        return ConversationHandler.END
    draft = MoodDraft(sitting=context.services.rng.randrange(1, SITTINGS))
    return await FLOW.go(update, context, Step.SCORE, draft, edit=False)


async def already_open(update: Update, context: RangkulContext, _: StartMood) -> None:
    """The way in pressed again while a mood check-in is open (a double tap, an old menu)."""
    t = (await context.session(update)).t
    await _toast(update, views.already_open_text(t))


async def _current(
    update: Update, context: RangkulContext, sitting: int
) -> tuple[Member, MoodDraft] | None:
    """The member and the draft of the sitting a button belongs to; None (after a toast) if
    that sitting is not the one under way."""
    member = await member_or_refuse(update, context)
    if member is None:
        return None
    draft = FLOW.draft(context)
    if draft.sitting != sitting or sitting == 0:
        t = (await context.session(update)).t
        await _toast(update, views.sitting_over_text(t))
        return None
    return member, draft


async def _step_done(update: Update, context: RangkulContext) -> None:
    t = (await context.session(update)).t
    await _toast(update, views.step_done_text(t))


async def choose(update: Update, context: RangkulContext, action: ChooseMood) -> int | None:
    """A tap on the scale: the mood is kept now; the tags next."""
    found = await _current(update, context, action.sitting)
    if found is None:
        return UNCHANGED_STATE
    member, draft = found
    if draft.mood_id is not None or action.score not in SCORES:
        await _step_done(update, context)
        return UNCHANGED_STATE
    s = context.services
    draft.mood_id = await mood_service.record_mood(s.moods, s.clock, member, action.score)
    draft.score = action.score
    return await FLOW.go(update, context, Step.TAGS, draft)


async def toggle_tag(update: Update, context: RangkulContext, action: ToggleMoodTag) -> int | None:
    """Ticks or unticks a tag, on the screen it was pressed on (kept with "Done")."""
    found = await _current(update, context, action.sitting)
    if found is None:
        return UNCHANGED_STATE
    _, draft = found
    if draft.mood_id is None or draft.tags_saved or draft.tags != action.shown:
        await _step_done(update, context)
        return UNCHANGED_STATE
    draft.tags = action.mask & ALL_TAGS
    return await FLOW.go(update, context, Step.TAGS, draft)


async def save_tags(update: Update, context: RangkulContext, action: SaveMoodTags) -> int | None:
    """ "Done": the ticked tags are kept; the offer of a note next."""
    found = await _current(update, context, action.sitting)
    if found is None:
        return UNCHANGED_STATE
    member, draft = found
    if draft.mood_id is None or draft.tags_saved or draft.tags != action.mask:
        await _step_done(update, context)
        return UNCHANGED_STATE
    await mood_service.save_tags(
        context.services.moods, member, draft.mood_id, tags_from_mask(draft.tags)
    )
    draft.tags_saved = True
    return await FLOW.go(update, context, Step.NOTE_OFFER, draft)


async def ask_note(update: Update, context: RangkulContext, action: AddMoodNote) -> int | None:
    found = await _current(update, context, action.sitting)
    if found is None:
        return UNCHANGED_STATE
    _, draft = found
    if not draft.tags_saved or draft.note_asked:
        await _step_done(update, context)
        return UNCHANGED_STATE
    draft.note_asked = True
    return await FLOW.go(update, context, Step.NOTE, draft)


async def skip_note(update: Update, context: RangkulContext, action: SkipMoodNote) -> int | None:
    found = await _current(update, context, action.sitting)
    if found is None:
        return UNCHANGED_STATE
    member, draft = found
    if not draft.tags_saved:
        await _step_done(update, context)
        return UNCHANGED_STATE
    return await _finish(update, context, member, draft, None)


async def typed_note(update: Update, context: RangkulContext) -> int | None:
    """The note, if it can be kept as written; otherwise a kind word and the step again.

    A note is kept even when it expresses distress: the person wrote it to be kept, for
    themselves, and it goes nowhere but their own /mydata. But a feeling written down is
    still a feeling told to the bot, so after the thanks it gets the same warm distress reply
    as anywhere else (which repeats and stores nothing of it)."""
    member = await member_or_refuse(update, context)
    if member is None:
        return ConversationHandler.END
    draft = FLOW.draft(context)
    if draft.mood_id is None or not draft.tags_saved:
        return await FLOW.go(update, context, Step.NOTE, draft, edit=False)  # shows the step due
    text = text_of(update)
    problem = note_problem(text)
    if problem is not None:
        t = (await context.session(update)).t
        if problem is NoteProblem.TOO_LONG:
            note = views.note_too_long_text(t, len(text))
        else:
            note = views.note_empty_text(t)
        return await FLOW.go(update, context, Step.NOTE, draft, edit=False, note=note)
    return await _finish(update, context, member, draft, text)


async def not_a_note(update: Update, context: RangkulContext) -> int:
    """A sticker, photo or voice message where a note was expected: nothing of it is kept."""
    draft = FLOW.draft(context)
    if await answer_distress(update, context):  # a feeling in a caption
        return await FLOW.go(update, context, Step.NOTE, draft, edit=False)
    t = (await context.session(update)).t
    return await FLOW.go(
        update, context, Step.NOTE, draft, edit=False, note=views.note_not_text_hint(t)
    )


async def _finish(
    update: Update, context: RangkulContext, member: Member, draft: MoodDraft, note: str | None
) -> int:
    assert draft.mood_id is not None, "a mood is finished only after its score is kept"
    t = (await context.session(update)).t
    result = await mood_service.finish_mood(context.services.moods, member, draft.mood_id, note)
    if result is None:  # deleted meanwhile (/forget in another way)
        return await FLOW.end(update, context, views.sitting_over_text(t), edit=False)
    distressed = note is not None and distress_in(update, context) is not None
    text, markup = views.recorded_view(
        t, result.comparison, offer_support=result.offer_support and not distressed
    )
    await FLOW.end(update, context, text, markup, edit=note is None)
    if distressed:
        await answer_distress(update, context)
    return ConversationHandler.END


def handlers() -> list[BaseHandler]:
    """The persistent /mood conversation."""
    steps: list[BaseHandler] = [
        on_button(ChooseMood, choose),
        on_button(ToggleMoodTag, toggle_tag),
        on_button(SaveMoodTags, save_tags),
        on_button(AddMoodNote, ask_note),
        on_button(SkipMoodNote, skip_note),
        on_button(StartMood, already_open),
    ]
    note: list[BaseHandler] = [
        MessageHandler(filters.TEXT & ~filters.COMMAND, typed_note),
        MessageHandler(filters.ALL & ~filters.COMMAND, not_a_note),
    ]
    states: dict[object, list[BaseHandler]] = {
        Step.SCORE: [*steps],
        Step.TAGS: [*steps],
        Step.NOTE_OFFER: [*steps, *note],
        Step.NOTE: [*steps, *note],
    }
    FLOW.add_step_hints(states, except_steps=(Step.NOTE_OFFER, Step.NOTE))
    return [
        persistent_conversation(
            CONVERSATION,
            # The step buttons too: a restart that lost the state kept the draft.
            entry_points=[CommandHandler("mood", begin), on_button(StartMood, begin), *steps],
            states=states,
            fallbacks=[CommandHandler("mood", begin), *common_fallbacks()],
        )
    ]
