"""/resources and its buttons: browse by topic and region, page, open, and search results.

Open to everyone, members or not (someone who declined consent still gets information; nothing
about them is stored: typed queries are kept in memory only, for the paging buttons).
Facilitator guides are shown only to whoever is a facilitator or coordinator at the moment of
the request; retiring an entry re-checks the coordinator role when the button is pressed.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.context import RangkulContext, Session
from bot.domain.directory import ResourceDirectory, Scope
from bot.narrowing import query_of
from bot.services.resources import retire_resource
from bot.telegram_glue.chat import follow_up, show
from bot.ui import resources as views
from bot.ui.callbacks import on_button
from bot.ui.menu import expired_button_text
from bot.ui.resources import (
    AskRetire,
    ChooseCategory,
    ConfirmRetire,
    KeepEntry,
    OpenEntry,
    ResourceList,
    ResourcesHome,
    SearchPage,
)


def _privileged(session: Session) -> bool:
    return session.is_facilitator or session.is_coordinator


def _service(context: RangkulContext) -> ResourceDirectory:
    return context.services.resources


async def show_resources(update: Update, context: RangkulContext) -> None:
    """/resources [words]: the topics, or straight to the results for the words."""
    session = await context.session(update)
    categories = _categories(context, session)
    if context.args:
        outcome = _service(context).find(" ".join(context.args), privileged=_privileged(session))
        await show(update, *views.results_view(session.t, outcome, categories))
        return
    await show(update, *views.home_view(session.t, categories), edit=False)


async def home(update: Update, context: RangkulContext, _: ResourcesHome) -> None:
    session = await context.session(update)
    await show(update, *views.home_view(session.t, _categories(context, session)))


async def category(update: Update, context: RangkulContext, action: ChooseCategory) -> None:
    session = await context.session(update)
    if action.category not in _categories(context, session):
        await _refuse(update, context)
        return
    if _service(context).has_provincial(action.category):
        province = session.member.province if session.member else None
        await show(update, *views.scope_view(session.t, action.category, province))
        return
    await browse(update, context, ResourceList(action.category, Scope.ALL, 0))


async def browse(update: Update, context: RangkulContext, action: ResourceList) -> None:
    session = await context.session(update)
    if action.category not in _categories(context, session):
        await _refuse(update, context)
        return
    province = session.member.province if session.member else None
    entries = _service(context).browse(
        action.category, action.scope, province, privileged=_privileged(session)
    )
    heading = views.category_heading(session.t, action.category, len(entries))
    await show(update, *views.list_view(session.t, heading, entries, action))


async def search_page(update: Update, context: RangkulContext, action: SearchPage) -> None:
    session = await context.session(update)
    query = _service(context).remembered_query(action.key)
    if query is None:
        await query_of(update).answer(views.expired_text(session.t), show_alert=True)
        return
    hits = _service(context).search(query, privileged=_privileged(session))
    heading = views.results_heading(session.t, len(hits))
    await show(update, *views.list_view(session.t, heading, hits, action))


async def open_entry(update: Update, context: RangkulContext, action: OpenEntry) -> None:
    """Opens one entry as a new message, so the list stays above it."""
    session = await context.session(update)
    entry = _service(context).get(action.entry_id, privileged=_privileged(session))
    if entry is None:
        await query_of(update).answer(views.gone_text(session.t), show_alert=True)
        return
    await query_of(update).answer()
    await follow_up(update, *views.entry_view(session.t, entry, coordinator=session.is_coordinator))


async def ask_retire(update: Update, context: RangkulContext, action: AskRetire) -> None:
    session = await context.session(update)
    if not session.is_coordinator:
        await query_of(update).answer(views.coordinators_only_text(session.t), show_alert=True)
        return
    entry = _service(context).get(action.entry_id, privileged=True)
    if entry is None or entry.category == "crisis":
        await query_of(update).answer(views.gone_text(session.t), show_alert=True)
        return
    await show(update, *views.retire_confirm_view(session.t, entry))


async def retire(update: Update, context: RangkulContext, action: ConfirmRetire) -> None:
    session = await context.session(update)
    if not session.is_coordinator:
        await query_of(update).answer(views.coordinators_only_text(session.t), show_alert=True)
        return
    entry = _service(context).get(action.entry_id, privileged=True)
    s = context.services
    if entry is None or entry.category == "crisis":
        await query_of(update).answer(views.gone_text(session.t), show_alert=True)
        return
    if not await retire_resource(s.resource_store, s.resources, s.clock, entry.id):
        await query_of(update).answer(views.gone_text(session.t), show_alert=True)
        return
    await show(update, views.retired_text(session.t))


async def keep(update: Update, context: RangkulContext, _: KeepEntry) -> None:
    session = await context.session(update)
    await show(update, views.kept_text(session.t))


async def _refuse(update: Update, context: RangkulContext) -> None:
    """A forged or stale button (e.g. facilitator guides after the role ended)."""
    session = await context.session(update)
    await query_of(update).answer(expired_button_text(session.t), show_alert=True)


def _categories(context: RangkulContext, session: Session) -> list[str]:
    return _service(context).categories(privileged=_privileged(session))


def handlers() -> list[BaseHandler]:
    """/resources and the directory's browsing buttons, for the features group."""
    return [
        CommandHandler("resources", show_resources),
        on_button(ResourcesHome, home),
        on_button(ChooseCategory, category),
        on_button(ResourceList, browse),
        on_button(SearchPage, search_page),
        on_button(OpenEntry, open_entry),
        on_button(AskRetire, ask_retire),
        on_button(ConfirmRetire, retire),
        on_button(KeepEntry, keep),
    ]
