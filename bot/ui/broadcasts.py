"""Texts and buttons of announcements: choosing the audience, the preview, progress, the final
report and /broadcasts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from babel.numbers import format_decimal
from telegram import InlineKeyboardMarkup

from bot.domain.broadcasts import COORDINATOR_ONLY, Audience, Broadcast, Progress
from bot.domain.groups import Group
from bot.domain.regions import province_by_code
from bot.i18n import N_, Translator
from bot.ui.callbacks import CallbackData, Natural
from bot.ui.keyboards import Button, inline
from bot.ui.pickers import ProvinceCode, province_label, province_rows
from bot.ui.view import View


@dataclass(frozen=True)
class ChooseBroadcastGroup(CallbackData, prefix="bc:group"):
    group_id: Natural


@dataclass(frozen=True)
class ChooseAudience(CallbackData, prefix="bc:to"):
    """A coordinator's audience beyond one group (members, facilitators, a province)."""

    audience: Audience


@dataclass(frozen=True)
class ChooseBroadcastProvince(CallbackData, prefix="bc:prov"):
    code: ProvinceCode


@dataclass(frozen=True)
class BroadcastProvincePage(CallbackData, prefix="bc:ppage"):
    page: Natural


@dataclass(frozen=True)
class ConfirmBroadcast(CallbackData, prefix="bc:send"):
    """Carries the announcement's message id: a preview of an earlier message sends nothing."""

    message_id: Natural


@dataclass(frozen=True)
class CancelBroadcast(CallbackData, prefix="bc:cancel"):
    pass


_AUDIENCE_LABELS = {
    Audience.MEMBERS: N_("All members"),
    Audience.FACILITATORS: N_("All facilitators"),
    Audience.PROVINCE: N_("People of one province"),
}


def number(t: Translator, value: int) -> str:
    """1,250 in English, 1.250 in Indonesian."""
    return format_decimal(value, locale=t.lang)


def audience_view(t: Translator, groups: Sequence[Group], *, coordinator: bool) -> View:
    rows: list[list[Button]] = [[(group.name, ChooseBroadcastGroup(group.id))] for group in groups]
    if coordinator:
        rows += [[(t(_AUDIENCE_LABELS[a]), ChooseAudience(a))] for a in sorted(COORDINATOR_ONLY)]
    return t("📣 <b>New announcement.</b> Who should receive it?"), inline(rows)


def province_view(t: Translator, page_index: int) -> View:
    rows = province_rows(t, page_index, ChooseBroadcastProvince, BroadcastProvincePage)
    return t("People of which <b>province</b>?"), inline(rows)


def audience_name(
    t: Translator, audience: Audience, group: Group | None, province: str | None
) -> str:
    """Who it is for, in a sentence's middle: "the members of Teman Cerita"."""
    if audience is Audience.GROUP:
        return t("the group {name}", name=group.name if group else "…")
    if audience is Audience.PROVINCE:
        found = province_by_code(province or "")
        return t("people of {province}", province=province_label(t, found) if found else "…")
    if audience is Audience.FACILITATORS:
        return t("all facilitators")
    return t("all members")


def compose_prompt(t: Translator, to: str) -> str:
    return t(
        "Write the announcement for {to} as one message: text with formatting and links, or a "
        "photo or document with a caption. It will arrive exactly as you write it, from the "
        "bot: nobody sees who you are on Telegram.\n\n/cancel stops here.",
        to=to,
    )


def compose_hint(t: Translator) -> str:
    return t("An announcement is one message: text, or a photo or document with a caption.")


def preview_view(t: Translator, to: str, count: int, message_id: int) -> View:
    text = t(
        "☝️ This is exactly how it will look.\nRecipients: <b>{n}</b> ({to}). Send it?",
        n=number(t, count),
        to=to,
    )
    rows = [[(t("📣 Send"), ConfirmBroadcast(message_id)), (t("Cancel"), CancelBroadcast())]]
    return text, inline(rows)


def cancel_only(t: Translator) -> InlineKeyboardMarkup:
    return inline([[(t("Cancel"), CancelBroadcast())]])


def nobody_text(t: Translator, to: str) -> str:
    return t(
        "Nobody would receive it: there is nobody ({to}) who can get announcements right now.",
        to=to,
    )


def cancelled_text(t: Translator) -> str:
    return t("Cancelled: the announcement was not sent.")


def already_sent_text(t: Translator) -> str:
    return t("This announcement is already on its way.")


def refused_text(t: Translator) -> str:
    return t("Only facilitators and coordinators can send announcements.")


def use_buttons_hint(t: Translator) -> str:
    return t("Please choose with the buttons.")


def progress_text(t: Translator, progress: Progress) -> str:
    return t(
        "📣 Sending the announcement: {done} / {total} sent",
        done=number(t, progress.done),
        total=number(t, progress.total),
    )


def finished_text(t: Translator, progress: Progress) -> str:
    return t(
        "📣 The announcement is sent: {done} / {total}",
        done=number(t, progress.done),
        total=number(t, progress.total),
    )


def report_lines(t: Translator, report: Progress) -> str:
    return t(
        "Delivered: {delivered}\nBlocked the bot: {blocked}\nFailed: {failed}",
        delivered=number(t, report.delivered),
        blocked=number(t, report.blocked),
        failed=number(t, report.failed),
    )


def report_text(t: Translator, to: str, report: Progress) -> str:
    return t("📣 <b>Your announcement to {to} is done.</b>", to=to) + "\n" + report_lines(t, report)


def history_entry(t: Translator, broadcast: Broadcast, to: str, progress: Progress, tz: str) -> str:
    """One line of /broadcasts: when, to whom, and its report (or how far it has got)."""
    when = t.format_datetime(broadcast.created_at, tz, "short")
    head = f"<b>{when}</b> · {to}"
    if broadcast.report is None:
        return head + "\n" + progress_text(t, progress)
    return head + "\n" + report_lines(t, broadcast.report)


def history_text(t: Translator, entries: Sequence[str], *, everyone: bool) -> str:
    if not entries:
        return t("No announcements yet. /broadcast writes one.")
    title = t("Recent announcements in the network") if everyone else t("Your recent announcements")
    return f"📣 <b>{title}</b>\n\n" + "\n\n".join(entries)
