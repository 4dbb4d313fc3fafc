"""Texts and keyboards of /resources and of the coordinators' resource editor.

Entry data is escaped here; links are shown only for http(s) addresses. Every message stays far
below Telegram's 4096 characters: an entry is at most a few short fields, a list shows at most
:data:`PAGE_SIZE` titles with a short excerpt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from html import escape
from typing import Annotated
from urllib.parse import urlsplit

from telegram import InlineKeyboardMarkup

from bot.domain.contacts import NATIONAL
from bot.domain.directory import QueryProblem, Scope, SearchOutcome
from bot.domain.paging import page
from bot.domain.regions import PROVINCES, province_by_code
from bot.domain.resources import ID_MAX, OWN_SOURCE, Resource, dial_form
from bot.i18n import N_, Html, Translator
from bot.ui.callbacks import CallbackData, MaxLen, Natural
from bot.ui.groups import nav_row
from bot.ui.keyboards import Button, in_rows, inline
from bot.ui.pickers import ProvinceCode
from bot.ui.view import View

PAGE_SIZE = 5
PROVINCES_PER_PAGE = 10
EXCERPT = 110
BUTTON_TITLE = 40

CATEGORY_LABELS: dict[str, str] = {
    "crisis": N_("🆘 Crisis & emergency"),
    "services": N_("🏥 Services & professionals"),
    "conditions": N_("🧠 Understanding conditions"),
    "medication": N_("💊 Medication & treatment"),
    "therapy": N_("🗣 Therapy"),
    "rehabilitation": N_("🌱 Rehabilitation & life skills"),
    "families": N_("👪 Families & caregivers"),
    "groups": N_("🤝 About our groups"),
    "facilitators": N_("🧭 For facilitators"),
}

# Fields a coordinator can edit, with their button labels.
EDIT_FIELDS: dict[str, str] = {
    "title_id": N_("Title (Indonesian)"),
    "title_en": N_("Title (English)"),
    "description_id": N_("Description (Indonesian)"),
    "description_en": N_("Description (English)"),
    "url": N_("Web link"),
    "phone": N_("Phone"),
    "tags": N_("Search words"),
    "province": N_("Province"),
}

Category = Annotated[str, MaxLen(16)]  # a key of CATEGORY_LABELS
EntryId = Annotated[str, MaxLen(ID_MAX)]


# --- buttons: browsing and search (everyone) ---------------------------------------------------


@dataclass(frozen=True)
class ResourcesHome(CallbackData, prefix="rs:home"):
    pass


@dataclass(frozen=True)
class ChooseCategory(CallbackData, prefix="rs:cat"):
    category: Category


@dataclass(frozen=True)
class ResourceList(CallbackData, prefix="rs:ls"):
    category: Category
    scope: Scope
    page: Natural


@dataclass(frozen=True)
class SearchResources(CallbackData, prefix="rs:search"):
    pass


@dataclass(frozen=True)
class SearchPage(CallbackData, prefix="rs:sp"):
    """A page of a typed query's results; the query stays in memory under ``key``."""

    key: Annotated[str, MaxLen(16)]
    page: Natural


@dataclass(frozen=True)
class OpenEntry(CallbackData, prefix="rs:op"):
    entry_id: EntryId


# --- buttons: coordinators ---------------------------------------------------------------------


@dataclass(frozen=True)
class EditEntry(CallbackData, prefix="rs:ed"):
    entry_id: EntryId


@dataclass(frozen=True)
class AskRetire(CallbackData, prefix="rs:rt"):
    entry_id: EntryId


@dataclass(frozen=True)
class ConfirmRetire(CallbackData, prefix="rs:rty"):
    entry_id: EntryId


@dataclass(frozen=True)
class KeepEntry(CallbackData, prefix="rs:rtn"):
    entry_id: EntryId


@dataclass(frozen=True)
class EditorCategory(CallbackData, prefix="rs:ac"):
    category: Category


@dataclass(frozen=True)
class SkipField(CallbackData, prefix="rs:skip"):
    pass


@dataclass(frozen=True)
class EditorProvince(CallbackData, prefix="rs:ap"):
    code: ProvinceCode  # or NATIONAL


@dataclass(frozen=True)
class EditorProvincePage(CallbackData, prefix="rs:app"):
    page: Natural


@dataclass(frozen=True)
class SaveEntry(CallbackData, prefix="rs:save"):
    pass


@dataclass(frozen=True)
class DropEntry(CallbackData, prefix="rs:drop"):
    pass


@dataclass(frozen=True)
class EditorField(CallbackData, prefix="rs:ef"):
    name: Annotated[str, MaxLen(16)]  # a key of EDIT_FIELDS


def home_view(t: Translator, categories: Sequence[str]) -> View:
    text = "\n\n".join(
        [
            t("📚 <b>Resources</b>"),
            t(
                "Information about conditions, medication, therapy and services, and how to "
                "reach them. Pick a topic or search."
            ),
            t("If you need help right now, send /crisis."),
        ]
    )
    buttons = [(t(CATEGORY_LABELS[c]), ChooseCategory(c)) for c in categories]
    return text, inline([*in_rows(buttons, 2), [(t("🔎 Search"), SearchResources())]])


def scope_view(t: Translator, category: str, province: str | None) -> View:
    """Where to look: the person's province first, then national, then everywhere."""
    text = t("<b>{topic}</b>\n\nWhich region?", topic=t(CATEGORY_LABELS[category]))
    rows: list[list[Button]] = []
    own = province_by_code(province) if province else None
    if own is not None:
        label = t("📍 {province} and national", province=own.name(t.lang))
        rows.append([(label, ResourceList(category, Scope.MINE, 0))])
    rows.append([(t("🇮🇩 National"), ResourceList(category, Scope.NATIONAL, 0))])
    rows.append([(t("🗺 All provinces"), ResourceList(category, Scope.ALL, 0))])
    rows.append([(t("📚 All topics"), ResourcesHome())])
    return text, inline(rows)


def list_view(
    t: Translator, heading: str, entries: Sequence[Resource], listed: ResourceList | SearchPage
) -> View:
    """The page ``listed`` of entries (numbered titles and excerpts), a button to open each."""
    page_index = listed.page
    shown, has_prev, has_next = page(entries, page_index, PAGE_SIZE)
    first = page_index * PAGE_SIZE + 1
    lines = [heading]
    for number, entry in enumerate(shown, start=first):
        excerpt = _excerpt(entry.description.get(t.lang))
        where = _place(t, entry.province)
        lines.append(
            f"<b>{number}. {escape(entry.title.get(t.lang))}</b> · {escape(where)}\n"
            f"{escape(excerpt)}"
        )
    if not shown:
        lines.append(t("Nothing more here."))
    buttons: list[Button] = [
        (f"{number}. {_short(entry.title.get(t.lang))}", OpenEntry(entry.id))
        for number, entry in enumerate(shown, start=first)
    ]
    rows = [[button] for button in buttons]
    nav = nav_row(t, lambda p: replace(listed, page=p), page_index, has_prev, has_next)
    if nav:
        rows.append(nav)
    rows.append([(t("🔎 Search"), SearchResources()), (t("📚 All topics"), ResourcesHome())])
    return "\n\n".join(lines), inline(rows)


def category_heading(t: Translator, category: str, count: int) -> str:
    return t.plural(
        "<b>{topic}</b> — {n} entry",
        "<b>{topic}</b> — {n} entries",
        count,
        topic=t(CATEGORY_LABELS[category]),
    )


def results_heading(t: Translator, count: int) -> str:
    return t.plural("🔎 I found {n} resource.", "🔎 I found {n} resources.", count)


def entry_text(t: Translator, entry: Resource) -> str:
    """The whole entry, every value escaped, links only for http(s) addresses."""
    lines = [
        f"<b>{escape(entry.title.get(t.lang))}</b>",
        escape(entry.description.get(t.lang)),
        "📍 " + escape(_place(t, entry.province)),
    ]
    if entry.phone:
        lines.append(t("☎️ Phone: {number}", number=dial_form(entry.phone)))
    if entry.whatsapp:
        lines.append(t("💬 WhatsApp: {number}", number=dial_form(entry.whatsapp)))
    if entry.url and _is_web(entry.url):
        lines.append("🔗 " + _link(entry.url, _host(entry.url)))
    if entry.address:
        lines.append(t("🏠 Address: {address}", address=entry.address))
    links = ", ".join(
        _link(url, name) for url, name in source_names([s for s in entry.source if _is_web(s)])
    )
    checked = t.format_date(entry.checked, "Asia/Jakarta")
    if links:
        lines.append(t("<i>Sources: {links} · checked {date}</i>", links=Html(links), date=checked))
    elif OWN_SOURCE in entry.source:
        lines.append(t("<i>Written by Rangkul · {date}</i>", date=checked))
    else:
        lines.append(t("<i>Added by a coordinator on {date}</i>", date=checked))
    return "\n".join(lines)


def entry_view(t: Translator, entry: Resource, *, coordinator: bool) -> View:
    rows: list[list[Button]] = []
    if coordinator and entry.category != "crisis":
        rows.append(
            [
                (t("✏️ Edit"), EditEntry(entry.id)),
                (t("🗑 Retire"), AskRetire(entry.id)),
            ]
        )
    rows.append([(t("📚 All topics"), ResourcesHome())])
    return entry_text(t, entry), inline(rows)


def search_prompt(t: Translator) -> str:
    return t(
        "🔎 What are you looking for? Type a few words, for example <i>obat tidur</i>, "
        "<i>psikolog</i> or <i>therapy</i>. Send /cancel to stop."
    )


def empty_query_text(t: Translator) -> str:
    return t("Please type a few words to search for, for example <i>psikolog</i>.")


def long_query_text(t: Translator) -> str:
    return t("That's a bit long for a search. Please use a few words (up to 200 characters).")


def results_view(
    t: Translator, outcome: SearchOutcome, categories: Sequence[str], *, searching: bool = False
) -> View:
    """The answer to a typed query: a kind hint, no results, or the first page; ``searching``:
    the search stays open, and the answer says so."""
    if outcome.problem is QueryProblem.TOO_LONG:
        return long_query_text(t), None
    if outcome.problem is not None:
        return empty_query_text(t), None
    if not outcome.hits or outcome.key is None:
        text, markup = no_results_view(t, categories)
    else:
        heading = results_heading(t, len(outcome.hits))
        text, markup = list_view(t, heading, outcome.hits, SearchPage(outcome.key, 0))
    if searching:
        text += "\n\n" + t("<i>To search again, just type other words (/cancel to stop).</i>")
    return text, markup


def no_results_view(t: Translator, categories: Sequence[str]) -> View:
    text = t(
        "I couldn't find anything for that. Try other words, or browse the topics below. "
        "If you need help right now, send /crisis."
    )
    _, markup = home_view(t, categories)
    return text, markup


def expired_text(t: Translator) -> str:
    return t("This list has expired. Please search again.")


def gone_text(t: Translator) -> str:
    return t("This resource is no longer available.")


def coordinators_only_text(t: Translator) -> str:
    return t("Only coordinators can change the resource directory.")


# --- The coordinators' editor -----------------------------------------------------------------


def editor_category_view(t: Translator, categories: Sequence[str]) -> View:
    buttons = [(t(CATEGORY_LABELS[c]), EditorCategory(c)) for c in categories]
    text = t("📚 <b>New resource</b> (step 1 of 9)\n\nWhich topic does it belong to?")
    return text, inline(in_rows(buttons, 2))


def editor_prompt(t: Translator, step: str) -> str:
    prompts = {
        "title_id": t("Step 2 of 9: the <b>title in Indonesian</b> (up to 120 characters)."),
        "title_en": t("Step 3 of 9: the <b>title in English</b> (up to 120 characters)."),
        "description_id": t(
            "Step 4 of 9: a short <b>description in Indonesian</b> (up to 400 characters)."
        ),
        "description_en": t(
            "Step 5 of 9: a short <b>description in English</b> (up to 400 characters)."
        ),
        "url": t("Step 6 of 9: a <b>web link</b> starting with https:// — or skip."),
        "phone": t("Step 7 of 9: a <b>phone number</b> (digits, spaces, + or -) — or skip."),
        "tags": t(
            "Step 9 of 9: <b>search words</b> in both languages, separated by commas "
            "(for example: <i>psikolog, psychologist, konseling</i>)."
        ),
    }
    return prompts[step]


def skip_markup(t: Translator) -> InlineKeyboardMarkup:
    return inline([[(t("Skip"), SkipField())]])


def province_view(t: Translator, page_index: int, *, heading: str) -> View:
    """National, or a province, paged like onboarding's province list."""
    shown, has_prev, has_next = page(PROVINCES, page_index, PROVINCES_PER_PAGE)
    rows: list[list[Button]] = [[(t("🇮🇩 National"), EditorProvince(NATIONAL))]]
    buttons = [(p.name(t.lang), EditorProvince(p.code)) for p in shown]
    rows += in_rows(buttons, 2)
    nav = nav_row(t, EditorProvincePage, page_index, has_prev, has_next)
    if nav:
        rows.append(nav)
    return heading, inline(rows)


def province_heading(t: Translator) -> str:
    return t("Step 8 of 9: is it <b>national</b>, or for one <b>province</b>?")


def invalid_input_text(t: Translator, step: str) -> str:
    problems = {
        "title_id": t("Please send a title of 1 to 120 characters."),
        "title_en": t("Please send a title of 1 to 120 characters."),
        "description_id": t("Please send a description of 1 to 400 characters."),
        "description_en": t("Please send a description of 1 to 400 characters."),
        "url": t("That doesn't look like a web link. Please send one starting with https://"),
        "phone": t(
            "Please send a phone number: digits, spaces, + or -, an area code in brackets if "
            "you like (for example (022) 255-1111 or 0293-363601)."
        ),
        "tags": t(
            "Please send 1 to 12 search words separated by commas, each up to 40 characters."
        ),
    }
    return problems[step]


def confirm_view(t: Translator, preview: Resource) -> View:
    text = "\n\n".join([t("Please check the new resource:"), entry_text(t, preview)])
    return text, inline(
        [
            [(t("✅ Save"), SaveEntry())],
            [(t("✖️ Cancel"), DropEntry())],
        ]
    )


def saved_text(t: Translator) -> str:
    return t("✅ Saved. It is in the directory and searchable now.")


def dropped_text(t: Translator) -> str:
    return t("Okay, nothing was saved.")


def edit_fields_view(t: Translator, entry: Resource) -> View:
    text = t("✏️ What do you want to change in <b>{title}</b>?", title=entry.title.get(t.lang))
    buttons = [(t(label), EditorField(name)) for name, label in EDIT_FIELDS.items()]
    return text, inline([*in_rows(buttons, 2), [(t("✖️ Cancel"), DropEntry())]])


def edit_prompt(t: Translator, name: str) -> str:
    return t("Send the new value for <b>{field}</b>.", field=t(EDIT_FIELDS[name]))


def retire_confirm_view(t: Translator, entry: Resource) -> View:
    text = t(
        "Retire <b>{title}</b>? It disappears from browsing and search (it stays on record).",
        title=entry.title.get(t.lang),
    )
    return text, inline(
        [
            [(t("🗑 Yes, retire it"), ConfirmRetire(entry.id))],
            [(t("No, keep it"), KeepEntry(entry.id))],
        ]
    )


def retired_text(t: Translator) -> str:
    return t("🗑 Retired. It no longer appears in the directory.")


def kept_text(t: Translator) -> str:
    return t("Okay, it stays in the directory.")


# --- helpers ------------------------------------------------------------------------------------


def _place(t: Translator, code: str) -> str:
    province = province_by_code(code)
    return province.name(t.lang) if province is not None else t("National")


def _is_web(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _host(url: str) -> str:
    host = urlsplit(url).netloc
    return host[4:] if host.startswith("www.") else host


def source_names(urls: Sequence[str]) -> list[tuple[str, str]]:
    """(url, the name it is shown by): the site it is on ("kompas.com", "who.int"), without
    the mobile "m." some links carry; a second page of the same site is "kompas.com (2)"."""
    named: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    for url in urls:
        host = _host(url)
        site = host[2:] if host.startswith("m.") else host
        seen[site] = seen.get(site, 0) + 1
        named.append((url, site if seen[site] == 1 else f"{site} ({seen[site]})"))
    return named


def _link(url: str, label: str) -> str:
    return f'<a href="{escape(url, quote=True)}">{escape(label)}</a>'


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rsplit(" ", 1)[0] + "…"


def _short(text: str) -> str:
    return text if len(text) <= BUTTON_TITLE else text[: BUTTON_TITLE - 1] + "…"
