"""Moderation: a member's report (the reason), the report as facilitators receive it with its
actions, the notices to the people concerned, and the coordinators' audit log (/audit).

Aliases, group names and relayed words are people's text: always escaped by the translator.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.moderation import (
    AuditAction,
    AuditEntry,
    ModerationAction,
    Report,
    ReportAbout,
    ReportReason,
)
from bot.domain.questions import quoted
from bot.i18n import N_, Html, Translator
from bot.ui.callbacks import CallbackData, Natural
from bot.ui.keyboards import Button, inline
from bot.ui.view import View


@dataclass(frozen=True)
class ChooseReportReason(
    CallbackData,
    prefix="mo:why",
    own_idempotence="says it is already reported",
):
    """The reporter's reason, for a message (target: its id) or a pairing."""

    about: ReportAbout
    target_id: Natural
    reason: ReportReason


@dataclass(frozen=True)
class DropReport(CallbackData, prefix="mo:drop"):
    """ "Cancel" under the reasons: nothing is reported."""


@dataclass(frozen=True)
class ChooseModeration(CallbackData, prefix="mo:act"):
    """An action under a report a facilitator received: asks to confirm it."""

    report_id: Natural
    action: ModerationAction


@dataclass(frozen=True)
class ConfirmModeration(
    CallbackData,
    prefix="mo:do",
    own_idempotence="says who already acted on the report",
):
    report_id: Natural
    action: ModerationAction


@dataclass(frozen=True)
class ShowReport(CallbackData, prefix="mo:show"):
    """Back from a confirmation to the report."""

    report_id: Natural


@dataclass(frozen=True)
class AuditPage(CallbackData, prefix="mo:audit"):
    page: Natural


REASON_LABELS: dict[ReportReason, str] = {
    ReportReason.HURTFUL: N_("Disrespectful or hurtful"),
    ReportReason.OFF_PLATFORM: N_("Pressure to move off the bot or share contacts"),
    ReportReason.UNSAFE: N_("Unsafe content"),
    ReportReason.SPAM: N_("Spam"),
    ReportReason.OTHER: N_("Something else"),
}

ACTION_BUTTONS: dict[ModerationAction, str] = {
    ModerationAction.WARN: N_("⚠️ Warn {alias}"),
    ModerationAction.END_PAIRING: N_("✂️ End the pairing"),
    ModerationAction.SUSPEND_1W: N_("⏸ Pause {alias}'s buddy messages for 1 week"),
    ModerationAction.SUSPEND_4W: N_("⏸ Pause {alias}'s buddy messages for 4 weeks"),
    ModerationAction.DISMISS: N_("✔️ Dismiss the report"),
}

ACTION_CONFIRMS: dict[ModerationAction, str] = {
    ModerationAction.WARN: N_(
        "Warn <b>{alias}</b>? They get a kind but firm reminder of the group guidelines from "
        "the facilitators of {group}. They are not told who reported or what was reported."
    ),
    ModerationAction.END_PAIRING: N_(
        "End this buddy pairing? Both buddies are told kindly that it has ended, without "
        "reasons. Neither is told about the report."
    ),
    ModerationAction.SUSPEND_1W: N_(
        "Pause <b>{alias}</b>'s buddy messages in {group} for 1 week? They are told that the "
        "facilitators paused them, and until when."
    ),
    ModerationAction.SUSPEND_4W: N_(
        "Pause <b>{alias}</b>'s buddy messages in {group} for 4 weeks? They are told that the "
        "facilitators paused them, and until when."
    ),
    ModerationAction.DISMISS: N_(
        "Dismiss this report? Nothing is sent to anyone; it is closed and logged."
    ),
}

# One line of the audit log and of a handled report: {actor} did what to {subject}.
AUDIT_LINES: dict[AuditAction, str] = {
    AuditAction.WARN: N_("{actor} warned {subject}"),
    AuditAction.END_PAIRING: N_("{actor} ended a buddy pairing of {subject}"),
    AuditAction.SUSPEND_1W: N_("{actor} paused {subject}'s buddy messages for 1 week"),
    AuditAction.SUSPEND_4W: N_("{actor} paused {subject}'s buddy messages for 4 weeks"),
    AuditAction.DISMISS: N_("{actor} dismissed a report about {subject}"),
    AuditAction.REMOVE_FROM_GROUP: N_("{actor} removed {subject} from the group"),
    AuditAction.LINK_CHAT: N_("{actor} linked a Telegram group chat"),
    AuditAction.UNLINK_CHAT: N_("{actor} unlinked the Telegram group chat"),
    AuditAction.APPROVE_JOIN: N_("The bot let {subject} into the group chat"),
    AuditAction.DECLINE_JOIN: N_("The bot declined {subject}'s request to join the group chat"),
    AuditAction.DECLINE_JOIN_STRANGER: N_(
        "The bot declined a request to join the group chat from someone not signed up"
    ),
}


def deleted_account(t: Translator) -> str:
    return t("a deleted account")


# --- the reporter ------------------------------------------------------------------------------


def reason_choice_view(t: Translator, about: ReportAbout, target_id: int) -> View:
    what = t("this message") if about is ReportAbout.MESSAGE else t("this buddy pairing")
    text = t(
        "🚩 <b>Report {what}</b>\n\nWhat is wrong? Your report goes to the facilitators of "
        "your group: they will see your alias, your buddy's alias and, for a message, what it "
        "said. Your buddy is not told that you made a report.",
        what=what,
    )
    rows: list[list[Button]] = [
        [(t(label), ChooseReportReason(about, target_id, reason))]
        for reason, label in REASON_LABELS.items()
    ]
    rows.append([(t("Cancel"), DropReport())])
    return text, inline(rows)


def report_sent_text(t: Translator) -> Html:
    return t(
        "Thank you for telling us. 🌱 The facilitators of your group will look at it. You don't "
        "need to do anything else. If you'd rather not hear from your buddy any more, you can "
        "end the pairing in /buddy. If you feel unsafe right now, /crisis shows people you can "
        "reach."
    )


def already_reported_text(t: Translator) -> Html:
    return t("You have already reported this. The facilitators have it.")


def cannot_report_text(t: Translator) -> Html:
    return t("This can no longer be reported.")


def report_dropped_text(t: Translator) -> Html:
    return t("Okay, nothing was reported.")


# --- the facilitators --------------------------------------------------------------------------


def report_view(t: Translator, report: Report, tz: str) -> View:
    """A report with its actions; once acted on, who did what, and no buttons."""
    lines = [
        t("🚩 <b>A report in {group}</b>", group=report.group_name),
        t("Reported by: <b>{alias}</b>", alias=report.reporter_alias),
        t("About: <b>{alias}</b>", alias=report.reported_alias),
        t("Reason: {reason}", reason=t(REASON_LABELS[report.reason])),
        "",
        _reported_words(t, report),
    ]
    if report.is_handled and report.action is not None:
        done = t(
            AUDIT_LINES[AuditAction(report.action.value)],
            actor=report.handled_by_alias or deleted_account(t),
            subject=report.reported_alias,
        )
        when = t.format_datetime(report.handled_at or report.created_at, tz, "short")
        lines += ["", t("✅ Handled: {done} ({when}).", done=done, when=when)]
        return "\n".join(lines), None
    lines += [
        "",
        t(
            "Please read it with care: either buddy may be having a hard time. Any facilitator "
            "of the group can act on it, once."
        ),
    ]
    return "\n".join(lines), inline(
        [[(label, ChooseModeration(report.id, action))] for label, action in _actions(t, report)]
    )


def _reported_words(t: Translator, report: Report) -> Html:
    if report.about is ReportAbout.PAIRING:
        return t("<i>The report is about the pairing as a whole, not one message.</i>")
    if report.message_text is None:
        return t("<i>The message is no longer kept.</i>")
    return t(
        "The message {alias} sent:\n<blockquote>{text}</blockquote>",
        alias=report.reported_alias,
        text=quoted(report.message_text),
    )


def _actions(t: Translator, report: Report) -> list[tuple[str, ModerationAction]]:
    return [
        (t(label, alias=report.reported_alias), action)
        for action, label in ACTION_BUTTONS.items()
        if action is not ModerationAction.END_PAIRING or report.pairing_active
    ]


def confirm_view(t: Translator, report: Report, action: ModerationAction) -> View:
    text = t(ACTION_CONFIRMS[action], alias=report.reported_alias, group=report.group_name)
    return text, inline(
        [
            [(t("Yes, do it"), ConfirmModeration(report.id, action))],
            [("◀ " + t("Back to the report"), ShowReport(report.id))],
        ]
    )


def done_toast(t: Translator) -> Html:
    return t("Done. It is logged.")


def already_handled_toast(t: Translator, report: Report) -> Html:
    return t(
        "{alias} already acted on this report.",
        alias=report.handled_by_alias or t("Another facilitator"),
    )


def report_gone_text(t: Translator) -> Html:
    return t("This report no longer exists.")


def not_moderator_text(t: Translator) -> Html:
    return t("Only the facilitators of this group can act on this report.")


def pairing_over_text(t: Translator) -> Html:
    return t("This pairing has already ended. You can still warn, pause or dismiss.")


def open_reports_text(t: Translator, count: int) -> Html:
    if not count:
        return t("There are no open reports in your groups. 🌿")
    return t("Open reports in your groups: {n}", n=count)


# --- the people concerned ----------------------------------------------------------------------


def warning_text(t: Translator, group_name: str) -> Html:
    return t(
        "💬 <b>A note from the facilitators of {group}</b>\n\nPlease keep your buddy messages "
        "within the group guidelines: kind and respectful, on this bot only (no phone numbers, "
        "usernames or links), and never about methods of self-harm. Your buddy should be able "
        "to feel safe with you, just as you should with them.\n\nThis is a reminder, not a "
        "punishment. Thank you for taking care of each other. 🌱",
        group=group_name,
    )


def pairing_ended_text(t: Translator, group_name: str) -> Html:
    return t(
        "🌿 Your buddy pairing in <b>{group}</b> has ended. Thank you for the time you gave "
        "each other. You can ask for a buddy again later with /buddy.",
        group=group_name,
    )


def suspended_text(t: Translator, group_name: str, until: str) -> Html:
    return t(
        "⏸ The facilitators of <b>{group}</b> have paused your buddy messages until {until}. "
        "You can still come to meetings and use everything else. If you'd like to talk about "
        "it, you can ask them with /ask.",
        group=group_name,
        until=until,
    )


def removed_text(t: Translator, group_name: str) -> Html:
    return t(
        "You are no longer a member of <b>{group}</b>: a coordinator of the network removed "
        "you from it, and your seats at its meetings were given up. If you think this is a "
        "mistake, /privacy shows how to reach the network. /groups shows other groups, and "
        "/crisis is always there if things get hard.",
        group=group_name,
    )


# --- /audit ------------------------------------------------------------------------------------


def audit_view(
    t: Translator,
    entries: Sequence[AuditEntry],
    page_index: int,
    has_prev: bool,
    has_next: bool,
    tz: str,
) -> View:
    """One page of the log, newest first: when, who did what to whom, in which group."""
    lines = [t("📜 <b>Moderation log</b> (newest first)")]
    if not entries:
        lines.append(t("Nothing has been logged yet."))
    for entry in entries:
        line = t(
            AUDIT_LINES[entry.action],
            actor=entry.actor_alias or deleted_account(t),
            subject=entry.subject_alias or deleted_account(t),
        )
        when = t.format_datetime(entry.at, tz, "short")
        group = entry.group_name or t("a group no longer kept")
        lines.append(t("• {when} · {line} · {group}", when=when, line=line, group=group))
    nav: list[Button] = []
    if has_prev:
        nav.append(("◀ " + t("Newer"), AuditPage(page_index - 1)))
    if has_next:
        nav.append((t("Older") + " ▶", AuditPage(page_index + 1)))
    return "\n".join(lines), inline([nav]) if nav else None
