"""/newmeeting's kind, title and "open to everyone" steps, reached from the summary (so the
usual flow, a support meeting without a title, needs no extra step). Area ``nm``, answered by
bot/conversations/new_meeting.py."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardMarkup

from bot.domain.events import MAX_TITLE_LENGTH, MIN_TITLE_LENGTH, TitleProblem, may_be_open
from bot.domain.meetings import MeetingKind
from bot.i18n import Translator
from bot.ui.callbacks import CallbackData
from bot.ui.keyboards import in_rows, inline
from bot.ui.meeting_kinds import kind_label, kind_name
from bot.ui.view import View


@dataclass(frozen=True)
class EditKind(CallbackData, prefix="nm:kindstep"):
    pass


@dataclass(frozen=True)
class ChooseKind(CallbackData, prefix="nm:kind"):
    kind: MeetingKind


@dataclass(frozen=True)
class NoTitle(CallbackData, prefix="nm:notitle"):
    pass


@dataclass(frozen=True)
class ChooseOpen(CallbackData, prefix="nm:open"):
    open_to_all: bool


def kind_view(t: Translator) -> View:
    buttons = [(kind_label(t, kind), ChooseKind(kind)) for kind in MeetingKind]
    text = t(
        "What kind of meeting is it? A seminar can also be opened to people who are not members."
    )
    return text, inline(in_rows(buttons, 2))


def title_view(t: Translator, kind: MeetingKind) -> View:
    text = t(
        "{kind}: type a short title ({low} to {high} characters), e.g. "
        "<i>Talking about stigma</i>. Everyone who sees the meeting sees its title.",
        kind=kind_name(t, kind),
        low=MIN_TITLE_LENGTH,
        high=MAX_TITLE_LENGTH,
    )
    return text, inline([[(t("No title"), NoTitle())]])


def title_problem_text(t: Translator, problem: TitleProblem) -> str:
    texts = {
        TitleProblem.TOO_SHORT: t("Please write the title in words, at least {n} letters.", n=3),
        TitleProblem.TOO_LONG: t("Please keep the title under {n} characters.", n=MAX_TITLE_LENGTH),
        TitleProblem.MARKUP: t("Please write the title without &lt; or &gt; or hidden characters."),
        TitleProblem.CONTACT: t(
            "Please leave contact details (phone numbers, links, @names, e-mail) out of the "
            "title: it is shown to everyone, and people reach each other safely through Rangkul."
        ),
    }
    return texts[problem]


def open_view(t: Translator) -> View:
    text = t(
        "Who may come? An open seminar is listed in /events, where people who are not members "
        "can reserve a seat (after signing up). The join link reaches only people with a seat."
    )
    return text, inline(
        [
            [(t("🌍 Open to everyone"), ChooseOpen(True))],
            [(t("👥 Members only"), ChooseOpen(False))],
        ]
    )


def summary_lines(
    t: Translator, kind: MeetingKind, title: str | None, open_to_all: bool
) -> list[str]:
    """What the summary says about kind, title and who may come."""
    lines: list[str] = [t("🏷 {kind}", kind=kind_name(t, kind))]
    if title:
        lines.append(t("📝 {title}", title=title))
    if open_to_all and may_be_open(kind):
        lines.append(t("🌍 Open to everyone: listed in /events"))
    return lines


def with_kind_button(t: Translator, markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup:
    """The summary's buttons with "type and title" first."""
    button = inline([[(t("🏷 Type and title"), EditKind())]]).inline_keyboard[0]
    rows = markup.inline_keyboard if markup is not None else ()
    return InlineKeyboardMarkup([button, *rows])
