"""Keyboards that pick a province or topics: shared by onboarding, /settings, new groups and
browsing groups, each with its own actions."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Annotated

from bot.domain.paging import page
from bot.domain.regions import PROVINCES, Province
from bot.domain.topics import TOPICS, topics_mask
from bot.i18n import Translator
from bot.ui.callbacks import CallbackData, MaxLen
from bot.ui.keyboards import Button, in_rows
from bot.ui.labels import TOPIC_LABELS

PROVINCES_PER_PAGE = 10

ProvinceCode = Annotated[str, MaxLen(16)]  # a code of bot/domain/regions.py (or "online")


def province_label(t: Translator, province: Province) -> str:
    return province.name_id if t.lang == "id" else province.name_en


def province_rows(
    t: Translator,
    page_index: int,
    pick: Callable[[str], CallbackData],
    turn: Callable[[int], CallbackData],
) -> list[list[Button]]:
    """One page of province buttons (``pick(code)``) with arrows (``turn(page)``)."""
    items, has_prev, has_next = page(PROVINCES, page_index, PROVINCES_PER_PAGE)
    rows = in_rows([(province_label(t, p), pick(p.code)) for p in items], per_row=2)
    nav: list[Button] = []
    if has_prev:
        nav.append(("◀ " + t("Previous"), turn(page_index - 1)))
    if has_next:
        nav.append((t("Next") + " ▶", turn(page_index + 1)))
    if nav:
        rows.append(nav)
    return rows


def topic_rows(
    t: Translator,
    chosen: Collection[str],
    toggle: Callable[[int], CallbackData],
    done: Callable[[int], CallbackData],
) -> list[list[Button]]:
    """Topic toggles and "Done". Each toggle carries the whole selection it leads to
    (``toggle(topics_mask(...))``), and "Done" the selection shown: a press means what the
    person sees, whatever is stored (a double tap, or a draft lost between the reply and the
    state write, changes nothing)."""
    shown = set(chosen)
    buttons: list[Button] = [
        (
            ("✅ " if code in shown else "") + t(TOPIC_LABELS[code]),
            toggle(topics_mask(shown ^ {code})),
        )
        for code in TOPICS
    ]
    return [*in_rows(buttons, per_row=2), [(t("Done"), done(topics_mask(shown)))]]
