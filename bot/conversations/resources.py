"""Two small persistent conversations of the directory: typing a search, and the editor.

Search: "🔎 Search" asks for words and waits for them (bad input is answered kindly and the
question stays open); after the results it keeps listening, so typing other words searches
again without pressing "🔎 Search" once more. Its conversation is the last one tried
(:func:`search_handlers`, registered after every other), so text another flow waits for (an
alias, an announcement) is never taken for a search.

Editor (coordinators only): ``/addresource`` walks through topic, titles, descriptions, link,
phone, province and search words, then confirms; "✏️ Edit" on an entry changes one field.
The coordinator role is checked again at every step.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import RangkulContext
from bot.domain.contacts import Localized
from bot.domain.directory import Draft
from bot.domain.resources import (
    DESCRIPTION_MAX,
    EDITABLE_CATEGORIES,
    TITLE_MAX,
    Resource,
    check_phone,
    check_province,
    check_tags,
    check_text,
    check_url,
    with_field,
)
from bot.domain.safety import AuthoringDraft
from bot.narrowing import query_of
from bot.services.resources import add_resource, replace_resource
from bot.telegram_glue.chat import follow_up, show
from bot.telegram_glue.conversation import common_fallbacks, persistent_conversation
from bot.telegram_glue.distress_reply import answer_distress
from bot.telegram_glue.flow import StepFlow
from bot.ui import resources as views
from bot.ui.callbacks import on_button
from bot.ui.onboarding import use_buttons_hint
from bot.ui.resources import (
    DropEntry,
    EditEntry,
    EditorCategory,
    EditorField,
    EditorProvince,
    EditorProvincePage,
    SaveEntry,
    SearchResources,
    SkipField,
)
from bot.ui.view import View

ADD_STEPS = ("title_id", "title_en", "description_id", "description_en", "url", "phone")
OPTIONAL_STEPS = frozenset({"url", "phone"})
_TEXT_RULES = {
    "title_id": lambda text: check_text(text, TITLE_MAX),
    "title_en": lambda text: check_text(text, TITLE_MAX),
    "description_id": lambda text: check_text(text, DESCRIPTION_MAX),
    "description_en": lambda text: check_text(text, DESCRIPTION_MAX),
    "url": check_url,
    "phone": check_phone,
    "tags": check_tags,
}


class Step(enum.IntEnum):
    QUERY = 1
    CATEGORY = 2
    TEXT = 3
    PROVINCE = 4
    CONFIRM = 5
    FIELD = 6


# --- Search -----------------------------------------------------------------------------------


async def ask_query(update: Update, context: RangkulContext, _: SearchResources) -> int:
    """ "🔎 Search": ask for the words."""
    session = await context.session(update)
    await show(update, views.search_prompt(session.t), edit=False)
    return Step.QUERY


async def take_query(update: Update, context: RangkulContext) -> int:
    """Typed words: the results, and the search stays open for other words (until /cancel,
    another flow's text, or the timeout).

    A feeling typed as a search ("aku cemas banget") gets the distress reply first. The
    results follow when there are any (the person was looking for something, and "cemas"
    finds the entries on anxiety), but never "nothing found" or "too long" right after a
    feeling: the reply's own buttons lead on, and the search ends."""
    session = await context.session(update)
    message = update.effective_message
    text = message.text if message is not None else None
    privileged = session.is_facilitator or session.is_coordinator
    service = context.services.resources
    distressed = await answer_distress(update, context)
    outcome = service.find(text, privileged=privileged)
    categories = service.categories(privileged=privileged)
    if distressed:
        if outcome.hits:
            await follow_up(update, *views.results_view(session.t, outcome, categories))
        return ConversationHandler.END
    await show(update, *views.results_view(session.t, outcome, categories, searching=True))
    return Step.QUERY


SEARCH_TIMEOUT = timedelta(minutes=30)


def _search_conversation() -> ConversationHandler:
    return persistent_conversation(
        "resource_search",
        # A search prompt is quick to open again; people who never joined use it too, and
        # nothing of theirs should stay long.
        timeout=SEARCH_TIMEOUT,
        allow_reentry=True,
        entry_points=[on_button(SearchResources, ask_query)],
        states={Step.QUERY: [MessageHandler(~filters.COMMAND, take_query)]},
        fallbacks=common_fallbacks(),
    )


# --- Editor -----------------------------------------------------------------------------------


class Mode(enum.StrEnum):
    ADD = "add"
    EDIT = "edit"


@dataclass
class ResourceDraft:
    mode: Mode = Mode.ADD
    entry_id: str | None = None  # the entry being edited
    asking: str | None = None  # the field whose value is awaited: a key of _TEXT_RULES, province
    page: int = 0  # of the provinces
    category: str | None = None
    title_id: str | None = None
    title_en: str | None = None
    description_id: str | None = None
    description_en: str | None = None
    url: str | None = None
    phone: str | None = None
    province: str | None = None
    tags: list[str] = field(default_factory=list)


async def _view(
    update: Update, context: RangkulContext, step: Step, draft: ResourceDraft
) -> View | None:
    """A step of the editor from the draft; None for a draft it cannot go on with (an older
    version's, or an entry that is gone)."""
    t = (await context.session(update)).t
    editing = draft.mode is Mode.EDIT
    match step:
        case Step.CATEGORY:
            return views.editor_category_view(t, EDITABLE_CATEGORIES)
        case Step.TEXT if draft.asking in _TEXT_RULES:
            prompt = views.edit_prompt if editing else views.editor_prompt
            markup = views.skip_markup(t) if draft.asking in OPTIONAL_STEPS else None
            return prompt(t, draft.asking), markup
        case Step.PROVINCE:
            heading = views.edit_prompt(t, "province") if editing else views.province_heading(t)
            return views.province_view(t, draft.page, heading=heading)
        case Step.CONFIRM:
            new = _new(draft)
            return None if new is None else views.confirm_view(t, _preview(new, context))
        case Step.FIELD:
            entry = context.services.resources.get(draft.entry_id or "", privileged=True)
            return None if entry is None else views.edit_fields_view(t, entry)
    return None


FLOW = StepFlow(
    AuthoringDraft.RESOURCE, ResourceDraft, _view, hint=use_buttons_hint, lost=views.dropped_text
)


async def _coordinator(update: Update, context: RangkulContext) -> bool:
    """Re-checks the role now; a refusal also clears any half-made draft."""
    session = await context.session(update)
    if session.is_coordinator:
        return True
    text = views.coordinators_only_text(session.t)
    if update.callback_query is not None:
        await FLOW.end(update, context)
        await update.callback_query.answer(text, show_alert=True)
    else:
        await FLOW.end(update, context, text)
    return False


async def start_add(update: Update, context: RangkulContext) -> int:
    """/addresource: the first step, choosing the topic."""
    if not await _coordinator(update, context):
        return ConversationHandler.END
    draft = ResourceDraft(mode=Mode.ADD)
    return await FLOW.go(update, context, Step.CATEGORY, draft, edit=False)


async def choose_category(update: Update, context: RangkulContext, action: EditorCategory) -> int:
    if not await _coordinator(update, context):
        return ConversationHandler.END
    draft = FLOW.draft(context)
    if action.category not in EDITABLE_CATEGORIES:
        return await FLOW.go(update, context, Step.CATEGORY, draft)
    draft.category, draft.asking = action.category, ADD_STEPS[0]
    return await FLOW.go(update, context, Step.TEXT, draft)


async def take_text(update: Update, context: RangkulContext) -> int:
    """A typed value for the current step: refused with the rule, or kept and on to the next."""
    if not await _coordinator(update, context):
        return ConversationHandler.END
    session = await context.session(update)
    draft = FLOW.draft(context)
    name = draft.asking
    message = update.effective_message
    text = message.text if message is not None and message.text else ""
    if name not in _TEXT_RULES:  # a draft from an older version of the editor
        return await FLOW.lost(update, context)
    value = _TEXT_RULES[name](text) if text else None
    if value is None:
        await show(update, views.invalid_input_text(session.t, name))
        return Step.TEXT
    setattr(draft, name, list(value) if isinstance(value, tuple) else value)
    return await _after(update, context, draft, name)


async def not_text(update: Update, context: RangkulContext) -> int:
    """A photo or sticker where a value is awaited: what to send, the step stays open."""
    session = await context.session(update)
    name = FLOW.draft(context).asking
    if name not in _TEXT_RULES:
        return await FLOW.lost(update, context)
    await show(update, views.invalid_input_text(session.t, name))
    return Step.TEXT


async def skip(update: Update, context: RangkulContext, _: SkipField) -> int:
    """ "Skip" for the optional link and phone (in an edit: removes them)."""
    if not await _coordinator(update, context):
        return ConversationHandler.END
    draft = FLOW.draft(context)
    name = draft.asking
    if name not in OPTIONAL_STEPS:
        return Step.TEXT
    setattr(draft, name, None)
    return await _after(update, context, draft, name)


async def _after(update: Update, context: RangkulContext, draft: ResourceDraft, name: str) -> int:
    if draft.mode is Mode.EDIT:
        return await _save_edit(update, context, draft, name)
    if name in ADD_STEPS[:-1]:
        draft.asking = ADD_STEPS[ADD_STEPS.index(name) + 1]
        return await FLOW.go(update, context, Step.TEXT, draft)
    if name == ADD_STEPS[-1]:
        draft.asking, draft.page = "province", 0
        return await FLOW.go(update, context, Step.PROVINCE, draft)
    # Search words were the last step: confirm.
    return await FLOW.go(update, context, Step.CONFIRM, draft)


async def province_page(update: Update, context: RangkulContext, action: EditorProvincePage) -> int:
    if not await _coordinator(update, context):
        return ConversationHandler.END
    draft = FLOW.draft(context)
    draft.page = action.page
    return await FLOW.go(update, context, Step.PROVINCE, draft)


async def choose_province(update: Update, context: RangkulContext, action: EditorProvince) -> int:
    if not await _coordinator(update, context):
        return ConversationHandler.END
    draft = FLOW.draft(context)
    if check_province(action.code) is None:
        draft.page = 0
        return await FLOW.go(update, context, Step.PROVINCE, draft)
    draft.province = action.code
    if draft.mode is Mode.EDIT:
        return await _save_edit(update, context, draft, "province")
    draft.asking = "tags"
    return await FLOW.go(update, context, Step.TEXT, draft)


async def save(update: Update, context: RangkulContext, _: SaveEntry) -> int:
    """ "Save": stored and indexed at once."""
    if not await _coordinator(update, context):
        return ConversationHandler.END
    session = await context.session(update)
    new = _new(FLOW.draft(context))
    if new is None:
        return await FLOW.lost(update, context)
    FLOW.drop(context)
    s = context.services
    entry = await add_resource(s.resource_store, s.resources, s.clock, new)
    await show(update, views.saved_text(session.t))
    await follow_up(update, *views.entry_view(session.t, entry, coordinator=True))
    return ConversationHandler.END


async def drop(update: Update, context: RangkulContext, _: DropEntry) -> int:
    session = await context.session(update)
    return await FLOW.end(update, context, views.dropped_text(session.t))


async def start_edit(update: Update, context: RangkulContext, action: EditEntry) -> int:
    """ "✏️ Edit" on an entry: which field?"""
    if not await _coordinator(update, context):
        return ConversationHandler.END
    session = await context.session(update)
    entry = context.services.resources.get(action.entry_id, privileged=True)
    if entry is None or entry.category == "crisis":
        await query_of(update).answer(views.gone_text(session.t), show_alert=True)
        return ConversationHandler.END
    draft = ResourceDraft(mode=Mode.EDIT, entry_id=entry.id)
    return await FLOW.go(update, context, Step.FIELD, draft, edit=False)


async def choose_field(update: Update, context: RangkulContext, action: EditorField) -> int:
    if not await _coordinator(update, context):
        return ConversationHandler.END
    name = action.name
    if name not in views.EDIT_FIELDS:
        return Step.FIELD
    draft = FLOW.draft(context)
    draft.asking, draft.page = name, 0
    step = Step.PROVINCE if name == "province" else Step.TEXT
    return await FLOW.go(update, context, step, draft)


async def _save_edit(
    update: Update, context: RangkulContext, draft: ResourceDraft, name: str
) -> int:
    session = await context.session(update)
    FLOW.drop(context)
    service = context.services.resources
    entry = service.get(draft.entry_id or "", privileged=True)
    if entry is None:
        await show(update, views.gone_text(session.t))
        return ConversationHandler.END
    edited = _edited(entry, name, getattr(draft, name))
    s = context.services
    if not await replace_resource(s.resource_store, s.resources, s.clock, edited):
        await show(update, views.gone_text(session.t))
        return ConversationHandler.END
    await show(update, views.saved_text(session.t))
    await follow_up(update, *views.entry_view(session.t, edited, coordinator=True))
    return ConversationHandler.END


def _edited(entry: Resource, name: str, value: Any) -> Resource:
    if name in ("title_id", "title_en", "description_id", "description_en"):
        attribute, lang = name.split("_")
        old: Localized = getattr(entry, attribute)
        texts = {"id": old.id, "en": old.en, lang: value}
        return with_field(entry, attribute, Localized(id=texts["id"], en=texts["en"]))
    if name == "tags":
        return with_field(entry, "tags", tuple(value))
    return with_field(entry, name, value)


def _new(draft: ResourceDraft) -> Draft | None:
    """The new entry; None for a draft that lacks an answer (an older version's)."""
    if (
        draft.category is None
        or draft.title_id is None
        or draft.title_en is None
        or draft.description_id is None
        or draft.description_en is None
        or draft.province is None
        or not draft.tags
    ):
        return None
    return Draft(
        category=draft.category,
        title_id=draft.title_id,
        title_en=draft.title_en,
        description_id=draft.description_id,
        description_en=draft.description_en,
        province=draft.province,
        tags=tuple(draft.tags),
        url=draft.url,
        phone=draft.phone,
    )


def _preview(new: Draft, context: RangkulContext) -> Resource:
    return Resource(
        id="preview",
        category=new.category,
        title=Localized(id=new.title_id, en=new.title_en),
        description=Localized(id=new.description_id, en=new.description_en),
        province=new.province,
        tags=new.tags,
        source=(new.url,) if new.url else (),
        checked=context.services.clock.now().date(),
        url=new.url,
        phone=new.phone,
    )


def _editor_conversation() -> ConversationHandler:
    """The persistent coordinators' editor: /addresource and "✏️ Edit"."""
    text = filters.TEXT & ~filters.COMMAND
    states: dict[Step, list[BaseHandler]] = {
        Step.CATEGORY: [on_button(EditorCategory, choose_category)],
        Step.TEXT: [
            MessageHandler(text, take_text),
            on_button(SkipField, skip),
            MessageHandler(~filters.COMMAND, not_text),
        ],
        Step.PROVINCE: [
            on_button(EditorProvince, choose_province),
            on_button(EditorProvincePage, province_page),
        ],
        Step.CONFIRM: [on_button(SaveEntry, save)],
        Step.FIELD: [on_button(EditorField, choose_field)],
    }
    # Only messages: the directory's other buttons keep working outside the editor.
    FLOW.add_step_hints(states, except_steps={Step.TEXT})
    return persistent_conversation(
        "resource_editor",
        allow_reentry=True,
        entry_points=[
            CommandHandler("addresource", start_add),
            on_button(EditEntry, start_edit),
        ],
        states=states,
        fallbacks=[*common_fallbacks(), on_button(DropEntry, drop)],
    )


def handlers() -> list[BaseHandler]:
    """The coordinators' editor, for the features group."""
    return [_editor_conversation()]


def search_handlers() -> list[BaseHandler]:
    """The search, for the features group after every other conversation (it takes any text
    while it is open)."""
    return [_search_conversation()]
