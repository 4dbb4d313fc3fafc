"""Two small persistent conversations of the directory: typing a search, and the editor.

Search: "🔎 Search" asks for words and waits for them (bad input is answered kindly and the
question stays open). Editor (coordinators only): ``/addresource`` walks through topic, titles,
descriptions, link, phone, province and search words, then confirms; "✏️ Edit" on an entry
changes one field. The coordinator role is checked again at every step.
"""

from __future__ import annotations

import enum
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.ext import (
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.context import RangkulContext
from bot.domain.contacts import Localized
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
from bot.services.resources import Draft, QueryProblem
from bot.telegram_glue.chat import draft, follow_up, show
from bot.telegram_glue.conversation import common_fallbacks, persistent_conversation
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

DRAFT_KEY = AuthoringDraft.RESOURCE
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
    """Typed words: the results; unusable input keeps the question open."""
    session = await context.session(update)
    message = update.effective_message
    text = message.text if message is not None else None
    privileged = session.is_facilitator or session.is_coordinator
    service = context.services.resources
    outcome = service.find(text, privileged=privileged)
    categories = service.categories(privileged=privileged)
    await show(update, *views.results_view(session.t, outcome, categories))
    return (
        Step.QUERY
        if outcome.problem in (QueryProblem.EMPTY, QueryProblem.TOO_LONG)
        else (ConversationHandler.END)
    )


SEARCH_TIMEOUT = timedelta(minutes=30)


def build_resource_search_conversation() -> ConversationHandler:
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


def _draft(context: RangkulContext) -> dict[str, Any]:
    return draft(context, DRAFT_KEY)


async def _coordinator(update: Update, context: RangkulContext) -> bool:
    """Re-checks the role now; a refusal also clears any half-made draft."""
    session = await context.session(update)
    if session.is_coordinator:
        return True
    context.user_data.pop(DRAFT_KEY, None)
    if update.callback_query is not None:
        await update.callback_query.answer(views.coordinators_only_text(session.t), show_alert=True)
    else:
        await show(update, views.coordinators_only_text(session.t))
    return False


async def start_add(update: Update, context: RangkulContext) -> int:
    """/addresource: the first step, choosing the topic."""
    if not await _coordinator(update, context):
        return ConversationHandler.END
    session = await context.session(update)
    context.user_data[DRAFT_KEY] = {"mode": "add"}
    await show(update, *views.editor_category_view(session.t, EDITABLE_CATEGORIES), edit=False)
    return Step.CATEGORY


async def choose_category(update: Update, context: RangkulContext, action: EditorCategory) -> int:
    if not await _coordinator(update, context):
        return ConversationHandler.END
    session = await context.session(update)
    category = action.category
    if category not in EDITABLE_CATEGORIES:
        await show(update, *views.editor_category_view(session.t, EDITABLE_CATEGORIES))
        return Step.CATEGORY
    draft = _draft(context)
    draft.update(category=category, step=ADD_STEPS[0])
    await show(update, views.editor_prompt(session.t, ADD_STEPS[0]))
    return Step.TEXT


async def take_text(update: Update, context: RangkulContext) -> int:
    """A typed value for the current step: refused with the rule, or kept and on to the next."""
    if not await _coordinator(update, context):
        return ConversationHandler.END
    session = await context.session(update)
    draft = _draft(context)
    step = draft.get("step", "")
    message = update.effective_message
    text = message.text if message is not None and message.text else ""
    if step not in _TEXT_RULES:  # a draft from an older version of the editor
        return await drop(update, context)
    value = _TEXT_RULES[step](text) if text else None
    if value is None:
        await show(update, views.invalid_input_text(session.t, step))
        return Step.TEXT
    draft[step] = list(value) if isinstance(value, tuple) else value
    return await _after(update, context, step)


async def skip(update: Update, context: RangkulContext, _: SkipField) -> int:
    """ "Skip" for the optional link and phone (in an edit: removes them)."""
    if not await _coordinator(update, context):
        return ConversationHandler.END
    draft = _draft(context)
    step = draft.get("step", "")
    if step not in OPTIONAL_STEPS:
        return Step.TEXT
    draft[step] = None
    return await _after(update, context, step)


async def _after(update: Update, context: RangkulContext, step: str) -> int:
    session = await context.session(update)
    t = session.t
    draft = _draft(context)
    if draft.get("mode") == "edit":
        return await _save_edit(update, context)
    if step in ADD_STEPS[:-1]:
        following = ADD_STEPS[ADD_STEPS.index(step) + 1]
        draft["step"] = following
        markup = views.skip_markup(t) if following in OPTIONAL_STEPS else None
        await show(update, views.editor_prompt(t, following), markup)
        return Step.TEXT
    if step == ADD_STEPS[-1]:
        draft["step"] = "province"
        await show(update, *views.province_view(t, 0, heading=views.province_heading(t)))
        return Step.PROVINCE
    # Search words were the last step: confirm.
    await show(update, *views.confirm_view(t, _preview(draft, context)))
    return Step.CONFIRM


async def province_page(update: Update, context: RangkulContext, action: EditorProvincePage) -> int:
    if not await _coordinator(update, context):
        return ConversationHandler.END
    return await _provinces(update, context, action.page)


async def _provinces(update: Update, context: RangkulContext, page_index: int) -> int:
    session = await context.session(update)
    heading = views.province_heading(session.t)
    await show(update, *views.province_view(session.t, page_index, heading=heading))
    return Step.PROVINCE


async def choose_province(update: Update, context: RangkulContext, action: EditorProvince) -> int:
    if not await _coordinator(update, context):
        return ConversationHandler.END
    session = await context.session(update)
    if check_province(action.code) is None:
        return await _provinces(update, context, 0)
    draft = _draft(context)
    draft["province"] = action.code
    if draft.get("mode") == "edit":
        return await _save_edit(update, context)
    draft["step"] = "tags"
    await show(update, views.editor_prompt(session.t, "tags"))
    return Step.TEXT


async def save(update: Update, context: RangkulContext, _: SaveEntry) -> int:
    """ "Save": stored and indexed at once."""
    if not await _coordinator(update, context):
        return ConversationHandler.END
    session = await context.session(update)
    draft = context.user_data.pop(DRAFT_KEY, {})
    entry = await context.services.resources.add(_new(draft))
    await show(update, views.saved_text(session.t))
    await follow_up(update, *views.entry_view(session.t, entry, coordinator=True))
    return ConversationHandler.END


async def drop(update: Update, context: RangkulContext, _: DropEntry | None = None) -> int:
    session = await context.session(update)
    context.user_data.pop(DRAFT_KEY, None)
    await show(update, views.dropped_text(session.t))
    return ConversationHandler.END


async def start_edit(update: Update, context: RangkulContext, action: EditEntry) -> int:
    """ "✏️ Edit" on an entry: which field?"""
    if not await _coordinator(update, context):
        return ConversationHandler.END
    session = await context.session(update)
    entry = context.services.resources.get(action.entry_id, privileged=True)
    if entry is None or entry.category == "crisis":
        await update.callback_query.answer(views.gone_text(session.t), show_alert=True)
        return ConversationHandler.END
    context.user_data[DRAFT_KEY] = {"mode": "edit", "id": entry.id}
    await show(update, *views.edit_fields_view(session.t, entry), edit=False)
    return Step.FIELD


async def choose_field(update: Update, context: RangkulContext, action: EditorField) -> int:
    if not await _coordinator(update, context):
        return ConversationHandler.END
    session = await context.session(update)
    name = action.name
    if name not in views.EDIT_FIELDS:
        return Step.FIELD
    _draft(context)["step"] = name
    if name == "province":
        heading = views.edit_prompt(session.t, name)
        await show(update, *views.province_view(session.t, 0, heading=heading))
        return Step.PROVINCE
    markup = views.skip_markup(session.t) if name in OPTIONAL_STEPS else None
    await show(update, views.edit_prompt(session.t, name), markup)
    return Step.TEXT


async def _save_edit(update: Update, context: RangkulContext) -> int:
    session = await context.session(update)
    draft = context.user_data.pop(DRAFT_KEY, {})
    service = context.services.resources
    entry = service.get(draft.get("id", ""), privileged=True)
    if entry is None:
        await show(update, views.gone_text(session.t))
        return ConversationHandler.END
    name = draft["step"]
    edited = _edited(entry, name, draft.get(name))
    if not await service.replace(edited):
        await show(update, views.gone_text(session.t))
        return ConversationHandler.END
    await show(update, views.saved_text(session.t))
    await follow_up(update, *views.entry_view(session.t, edited, coordinator=True))
    return ConversationHandler.END


async def reprompt(update: Update, context: RangkulContext) -> int | None:
    """Anything else while editing (a photo, a sticker): a kind hint, the step stays open."""
    session = await context.session(update)
    t, draft = session.t, _draft(context)
    step = draft.get("step")
    if step in _TEXT_RULES and update.callback_query is None:
        await show(update, views.invalid_input_text(t, step))
        return None
    # A button step: the hint, then that step's buttons again.
    await show(update, use_buttons_hint(t))
    if draft.get("mode") == "add" and step is None:
        await follow_up(update, *views.editor_category_view(t, EDITABLE_CATEGORIES))
    elif step == "province":
        await follow_up(update, *views.province_view(t, 0, heading=views.province_heading(t)))
    return None


def _edited(entry: Resource, name: str, value: Any) -> Resource:
    if name in ("title_id", "title_en", "description_id", "description_en"):
        attribute, lang = name.split("_")
        old: Localized = getattr(entry, attribute)
        texts = {"id": old.id, "en": old.en, lang: value}
        return with_field(entry, attribute, Localized(id=texts["id"], en=texts["en"]))
    if name == "tags":
        return with_field(entry, "tags", tuple(value))
    return with_field(entry, name, value)


def _new(draft: dict[str, Any]) -> Draft:
    return Draft(
        category=draft["category"],
        title_id=draft["title_id"],
        title_en=draft["title_en"],
        description_id=draft["description_id"],
        description_en=draft["description_en"],
        province=draft["province"],
        tags=tuple(draft["tags"]),
        url=draft.get("url"),
        phone=draft.get("phone"),
    )


def _preview(draft: dict[str, Any], context: RangkulContext) -> Resource:
    new = _new(draft)
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


def build_resource_editor_conversation() -> ConversationHandler:
    """The persistent coordinators' editor: /addresource and "✏️ Edit"."""
    text = filters.TEXT & ~filters.COMMAND
    return persistent_conversation(
        "resource_editor",
        allow_reentry=True,
        entry_points=[
            CommandHandler("addresource", start_add),
            on_button(EditEntry, start_edit),
        ],
        states={
            Step.CATEGORY: [on_button(EditorCategory, choose_category)],
            Step.TEXT: [MessageHandler(text, take_text), on_button(SkipField, skip)],
            Step.PROVINCE: [
                on_button(EditorProvince, choose_province),
                on_button(EditorProvincePage, province_page),
            ],
            Step.CONFIRM: [on_button(SaveEntry, save)],
            Step.FIELD: [on_button(EditorField, choose_field)],
        },
        fallbacks=[
            *common_fallbacks(),
            on_button(DropEntry, drop),
            MessageHandler(~filters.COMMAND, reprompt),
        ],
    )
