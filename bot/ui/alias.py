"""Text and buttons of /alias: a member changes their alias."""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import Translator
from bot.ui.callbacks import CallbackData
from bot.ui.keyboards import inline
from bot.ui.onboarding import Alias, alias_choice_rows
from bot.ui.view import View


@dataclass(frozen=True)
class TakeNewAlias(CallbackData, prefix="al:alias:take"):
    """Carries the suggestion it offers; None on buttons sent before it did (the draft's)."""

    suggestion: Alias | None = None


@dataclass(frozen=True)
class AnotherNewAlias(CallbackData, prefix="al:alias:reroll"):
    pass


@dataclass(frozen=True)
class OwnNewAlias(CallbackData, prefix="al:alias:own"):
    pass


@dataclass(frozen=True)
class KeepAlias(CallbackData, prefix="al:keep"):
    pass


def offer_view(t: Translator, current: str, suggestion: str) -> View:
    text = t(
        "Your alias now is <b>{current}</b>. How about <b>{alias}</b>? "
        "You can also choose your own.",
        current=current,
        alias=suggestion,
    )
    choices = alias_choice_rows(t, TakeNewAlias(suggestion), AnotherNewAlias(), OwnNewAlias())
    return text, inline([*choices, [(t("Keep my alias"), KeepAlias())]])
