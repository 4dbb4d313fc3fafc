"""/resources and its buttons: browse by topic and region, page, open, and search results.

Open to everyone, members or not (someone who declined consent still gets information; nothing
about them is stored: typed queries are kept in memory only, for the paging buttons).
Facilitator guides are shown only to whoever is a facilitator or coordinator at the moment of
the request; retiring an entry re-checks the coordinator role when the button is pressed.
"""

from __future__ import annotations

from telegram import Update

from bot.adapters.chat import follow_up, show
from bot.context import RangkulContext, Session
from bot.domain.directory import ResourceDirectory, Scope
from bot.services.resources import retire_resource
from bot.ui import resources as views
from bot.ui.callbacks import args, callback
from bot.ui.menu import expired_button_text


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


async def on_button(update: Update, context: RangkulContext) -> None:
    """Every browsing button of the directory (``rs:<action>:…``)."""
    query = update.callback_query
    action = (query.data or "").split(":")[1:2]
    handler = _BUTTONS.get(action[0] if action else "")
    if handler is None:
        session = await context.session(update)
        await query.answer(expired_button_text(session.t), show_alert=True)
        return
    await handler(update, context, args(query.data))


async def _home(update: Update, context: RangkulContext, _: list[str]) -> None:
    session = await context.session(update)
    await show(update, *views.home_view(session.t, _categories(context, session)))


async def _category(update: Update, context: RangkulContext, parts: list[str]) -> None:
    session = await context.session(update)
    category = parts[0] if parts else ""
    if category not in _categories(context, session):
        await _refuse(update, context)
        return
    if _service(context).has_provincial(category):
        province = session.member.province if session.member else None
        await show(update, *views.scope_view(session.t, category, province))
        return
    await _list(update, context, [category, Scope.ALL.value, "0"])


async def _list(update: Update, context: RangkulContext, parts: list[str]) -> None:
    session = await context.session(update)
    category, scope, page_index = [*parts, "", "", ""][:3]
    if (
        category not in _categories(context, session)
        or scope not in {s.value for s in Scope}
        or not page_index.isdigit()
    ):
        await _refuse(update, context)
        return
    province = session.member.province if session.member else None
    entries = _service(context).browse(
        category, Scope(scope), province, privileged=_privileged(session)
    )
    heading = views.category_heading(session.t, category, len(entries))
    data = callback(views.AREA, "ls", category, scope)
    await show(update, *views.list_view(session.t, heading, entries, int(page_index), data))


async def _search_page(update: Update, context: RangkulContext, parts: list[str]) -> None:
    session = await context.session(update)
    key, page_index = [*parts, "", ""][:2]
    query = _service(context).remembered_query(key)
    if query is None or not page_index.isdigit():
        await update.callback_query.answer(views.expired_text(session.t), show_alert=True)
        return
    hits = _service(context).search(query, privileged=_privileged(session))
    heading = views.results_heading(session.t, len(hits))
    data = callback(views.AREA, "sp", key)
    await show(update, *views.list_view(session.t, heading, hits, int(page_index), data))


async def _open(update: Update, context: RangkulContext, parts: list[str]) -> None:
    """Opens one entry as a new message, so the list stays above it."""
    session = await context.session(update)
    entry = _service(context).get(parts[0] if parts else "", privileged=_privileged(session))
    if entry is None:
        await update.callback_query.answer(views.gone_text(session.t), show_alert=True)
        return
    await update.callback_query.answer()
    await follow_up(update, *views.entry_view(session.t, entry, coordinator=session.is_coordinator))


async def _ask_retire(update: Update, context: RangkulContext, parts: list[str]) -> None:
    session = await context.session(update)
    if not session.is_coordinator:
        await update.callback_query.answer(views.coordinators_only_text(session.t), show_alert=True)
        return
    entry = _service(context).get(parts[0] if parts else "", privileged=True)
    if entry is None or entry.category == "crisis":
        await update.callback_query.answer(views.gone_text(session.t), show_alert=True)
        return
    await show(update, *views.retire_confirm_view(session.t, entry))


async def _retire(update: Update, context: RangkulContext, parts: list[str]) -> None:
    session = await context.session(update)
    if not session.is_coordinator:
        await update.callback_query.answer(views.coordinators_only_text(session.t), show_alert=True)
        return
    entry = _service(context).get(parts[0] if parts else "", privileged=True)
    s = context.services
    if entry is None or entry.category == "crisis":
        await update.callback_query.answer(views.gone_text(session.t), show_alert=True)
        return
    if not await retire_resource(s.resource_store, s.resources, s.clock, entry.id):
        await update.callback_query.answer(views.gone_text(session.t), show_alert=True)
        return
    await show(update, views.retired_text(session.t))


async def _keep(update: Update, context: RangkulContext, _: list[str]) -> None:
    session = await context.session(update)
    await show(update, views.kept_text(session.t))


async def _refuse(update: Update, context: RangkulContext) -> None:
    """A forged or stale button (e.g. facilitator guides after the role ended)."""
    session = await context.session(update)
    await update.callback_query.answer(expired_button_text(session.t), show_alert=True)


def _categories(context: RangkulContext, session: Session) -> list[str]:
    return _service(context).categories(privileged=_privileged(session))


_BUTTONS = {
    "home": _home,
    "cat": _category,
    "ls": _list,
    "sp": _search_page,
    "op": _open,
    "rt": _ask_retire,
    "rty": _retire,
    "rtn": _keep,
}
