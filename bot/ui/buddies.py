"""Peer buddies (/buddy): what a buddy is, asking for one per group, the pairing with its
buttons, writing to the buddy, and the messages the outbox brings (pairing, weekly prompt,
relayed message, ending).

Buddies see each other's alias only. Every person's words are escaped by the translator.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.domain.buddies import MAX_MESSAGE_CHARS, BuddyGroup, EndReason, Pairing, may_continue
from bot.domain.off_platform import ContactKind
from bot.domain.safety import AnswerProblem
from bot.i18n import N_, Html, Translator
from bot.ui.callbacks import CallbackData, Natural
from bot.ui.keyboards import Button, inline
from bot.ui.reports import ReportBuddyMessage, ReportPairing
from bot.ui.view import View


@dataclass(frozen=True)
class BuddyList(CallbackData, prefix="bd:list"):
    """Back to the list of the person's groups (for people in more than one)."""


@dataclass(frozen=True)
class BuddyGroupCard(CallbackData, prefix="bd:group"):
    group_id: Natural


@dataclass(frozen=True)
class BuddyOptIn(CallbackData, prefix="bd:in"):
    group_id: Natural


@dataclass(frozen=True)
class BuddyOptOut(CallbackData, prefix="bd:out"):
    group_id: Natural


@dataclass(frozen=True)
class WriteToBuddy(
    CallbackData,
    prefix="bd:write",
    own_idempotence="every press says Go ahead and where to type, and posts nothing",
):
    """Starts a message to the buddy of this pairing ("Write to …", "Reply")."""

    pairing_id: Natural


@dataclass(frozen=True)
class SendBuddyMessage(CallbackData, prefix="bd:send"):
    """Under the preview of a message to the buddy."""

    pairing_id: Natural


@dataclass(frozen=True)
class DropBuddyMessage(CallbackData, prefix="bd:drop"):
    """Under the preview of a message to the buddy: nothing is sent."""

    pairing_id: Natural


@dataclass(frozen=True)
class EndPairing(CallbackData, prefix="bd:end"):
    pairing_id: Natural


@dataclass(frozen=True)
class ConfirmEndPairing(
    CallbackData,
    prefix="bd:endyes",
    own_idempotence="says the pairing has already ended",
):
    pairing_id: Natural


@dataclass(frozen=True)
class KeepPairing(CallbackData, prefix="bd:keep"):
    pairing_id: Natural


@dataclass(frozen=True)
class ContinuePairing(CallbackData, prefix="bd:more"):
    pairing_id: Natural


# --- /buddy -----------------------------------------------------------------------------------


def intro_text(t: Translator) -> Html:
    return t(
        "🤝 <b>Buddies</b>\n\n"
        "A buddy is another member of your group who also wants a little encouragement. Once a "
        "week I remind you both to send each other a few kind words. You write to each other "
        "here in the bot, under your aliases: neither of you sees the other's name, phone "
        "number or Telegram account.\n\n"
        "A buddy is a peer, not a counsellor and not a crisis line. If you need help right "
        "now, send /crisis. A pairing lasts four weeks, and either of you can end it at any "
        "time."
    )


def group_choice_view(t: Translator, groups: Sequence[BuddyGroup]) -> View:
    text = intro_text(t) + "\n\n" + t("Which group would you like a buddy in?")
    rows = [[(_group_label(g), BuddyGroupCard(g.group_id))] for g in groups]
    return text, inline(rows)


def _group_label(group: BuddyGroup) -> str:
    if group.pairing is not None:
        return f"🤝 {group.name}"
    return f"⏳ {group.name}" if group.opted_in else group.name


def card_view(
    t: Translator, group: BuddyGroup, now: datetime, tz: str, member_id: int, *, several: bool
) -> View:
    """The person's buddy state in one group, with what they can do there."""
    rows: list[list[Button]] = []
    pairing, alias = group.pairing, group.buddy_alias
    if pairing is not None and alias is not None:
        lines = [
            t(
                "In <b>{group}</b> your buddy is <b>{alias}</b>, until {date}.",
                group=group.name,
                alias=alias,
                date=t.format_date(pairing.ends_at, tz),
            )
        ]
        rows.append([(t("✍️ Write to {alias}", alias=alias), WriteToBuddy(pairing.id))])
        if may_continue(pairing, now):
            lines.append(last_week_text(t, pairing, member_id, alias))
            if not pairing.wants_to_continue(member_id):
                rows.append([(t("Continue 4 more weeks"), ContinuePairing(pairing.id))])
        rows.append(
            [(t("End pairing"), EndPairing(pairing.id)), (t("Report"), ReportPairing(pairing.id))]
        )
        text = "\n\n".join(lines)
    elif group.opted_in:
        text = t(
            "In <b>{group}</b> you're looking for a buddy. New pairs are made every Monday "
            "morning, and I'll tell you who your buddy is.",
            group=group.name,
        )
        rows.append([(t("Stop looking for a buddy"), BuddyOptOut(group.group_id))])
    else:
        text = t("Would you like a buddy in <b>{group}</b>?", group=group.name)
        rows.append([(t("🤝 Find me a buddy"), BuddyOptIn(group.group_id))])
    if several:
        rows.append([(t("◀ Back"), BuddyList())])
    return text, inline(rows)


def last_week_text(t: Translator, pairing: Pairing, member_id: int, alias: str) -> Html:
    if pairing.wants_to_continue(member_id):
        return t(
            "You chose to continue. If {alias} chooses to as well, you stay buddies for four "
            "more weeks.",
            alias=alias,
        )
    return t(
        "This is your last week as buddies. If you both choose to continue, you stay buddies "
        "for four more weeks."
    )


def no_group_text(t: Translator) -> Html:
    return t(
        "Buddies are paired within a group, so a buddy needs a group first. /groups shows "
        "groups you can join."
    )


def end_question_view(t: Translator, pairing: Pairing, alias: str) -> View:
    text = t(
        "End your pairing with <b>{alias}</b>? They will be told kindly that it has ended, "
        "without any reason.",
        alias=alias,
    )
    buttons = [
        (t("Yes, end it"), ConfirmEndPairing(pairing.id)),
        (t("No, keep it"), KeepPairing(pairing.id)),
    ]
    return text, inline([buttons])


def ended_by_you_text(t: Translator, alias: str) -> Html:
    return t(
        "Your pairing with <b>{alias}</b> has ended. Thank you for the encouragement you shared.",
        alias=alias,
    )


def continued_text(t: Translator, alias: str, ends_at: datetime, tz: str) -> Html:
    return t(
        "🤝 You and <b>{alias}</b> both chose to continue: you stay buddies for four more "
        "weeks, until {date}.",
        alias=alias,
        date=t.format_date(ends_at, tz),
    )


# Toasts (at most 200 characters).


def pairing_over_text(t: Translator) -> Html:
    return t("This pairing has already ended.")


def not_last_week_text(t: Translator) -> Html:
    return t("You can choose to continue in the last week of a pairing.")


# --- writing to the buddy ---------------------------------------------------------------------


def write_prompt_text(t: Translator, alias: str) -> Html:
    return t(
        "Write your message to <b>{alias}</b> (up to {limit} characters): a few words of "
        "encouragement, or how your week went. Please leave out phone numbers, usernames and "
        "links: buddies stay in touch only here. Send /cancel to stop.",
        alias=alias,
        limit=MAX_MESSAGE_CHARS,
    )


def already_writing_text(t: Translator, alias: str) -> Html:
    """A toast for a second press of "Write to …" while the message is being written."""
    return t("Go ahead: type your message to {alias} below.", alias=alias)


def text_problem_text(t: Translator, problem: AnswerProblem | None, length: int = 0) -> Html:
    if problem is AnswerProblem.TOO_LONG:
        return t(
            "That's {length} characters, a little more than the {limit} a buddy message can "
            "hold. Could you shorten it and send it again?",
            length=length,
            limit=MAX_MESSAGE_CHARS,
        )
    return t("I can only pass on text to your buddy. Please type your message (or send /cancel).")


_CONTACT_LABELS = {
    ContactKind.PHONE: N_("a phone number"),
    ContactKind.HANDLE: N_("a username (@…)"),
    ContactKind.EMAIL: N_("an e-mail address"),
    ContactKind.LINK: N_("a link"),
}


def held_back_text(t: Translator, kinds: Collection[ContactKind]) -> Html:
    """A message with contact details: not sent, and why."""
    found = Html(", ".join(t(_CONTACT_LABELS[kind]) for kind in ContactKind if kind in kinds))
    return t(
        "I've held this message back: it seems to contain {found}. Buddies stay in touch only "
        "here, under their aliases, so that you both stay safe and private. Could you send it "
        "again without that?",
        found=found,
    )


def relay_crisis_text(t: Translator) -> Html:
    """After the crisis reply, to someone whose buddy message had crisis words."""
    return t(
        "I haven't sent this message to your buddy. It sounds like you may be going through "
        "something very hard, and a buddy can't be there the way you need right now: the "
        "contacts above can."
    )


def preview_view(t: Translator, pairing_id: int, alias: str, text: str) -> View:
    body = t(
        "This is what <b>{alias}</b> will read:\n\n<blockquote>{text}</blockquote>\n\n"
        "Send it? To change it, just send the new version.",
        alias=alias,
        text=text,
    )
    buttons = [
        (t("📨 Send"), SendBuddyMessage(pairing_id)),
        (t("Cancel"), DropBuddyMessage(pairing_id)),
    ]
    return body, inline([buttons])


def dropped_text(t: Translator) -> Html:
    return t("Okay, I haven't sent it.")


def step_passed_text(t: Translator) -> Html:
    """A toast for Send or Cancel pressed after its step (a double tap, an old preview)."""
    return t("This has already been taken care of.")


def sent_view(t: Translator, pairing: Pairing, alias: str) -> View:
    text = t("💌 Sent to <b>{alias}</b>.", alias=alias)
    return text, inline([[(t("✍️ Write another"), WriteToBuddy(pairing.id))]])


def pairing_ended_text(t: Translator) -> Html:
    return t("This buddy pairing has ended, so I couldn't send your message. /buddy shows yours.")


def suspended_text(t: Translator) -> Html:
    return t(
        "Your group's facilitators have paused your buddy messages for now, so I couldn't send "
        "it. If you have a question about it, you can ask them with /ask."
    )


# --- what the outbox brings -------------------------------------------------------------------


def paired_view(t: Translator, pairing: Pairing, alias: str, group_name: str) -> View:
    text = t(
        "🤝 <b>Your buddy this month is {alias}</b> ({group}).\n\n"
        "You can send each other a few words of encouragement here, under your aliases. Your "
        "buddy is a peer, not a counsellor and not a crisis line: if you need help right now, "
        "send /crisis. Either of you can end the pairing at any time in /buddy.",
        alias=alias,
        group=group_name,
    )
    return text, inline([[(t("✍️ Write to {alias}", alias=alias), WriteToBuddy(pairing.id))]])


def prompt_view(t: Translator, pairing: Pairing, alias: str, member_id: int, now: datetime) -> View:
    lines = [t("💌 Send {alias} a few words of encouragement?", alias=alias)]
    rows: list[list[Button]] = [[(t("✍️ Write to {alias}", alias=alias), WriteToBuddy(pairing.id))]]
    if may_continue(pairing, now):
        lines.append(last_week_text(t, pairing, member_id, alias))
        if not pairing.wants_to_continue(member_id):
            rows.append([(t("Continue 4 more weeks"), ContinuePairing(pairing.id))])
    return "\n\n".join(lines), inline(rows)


def message_view(t: Translator, message_id: int, pairing: Pairing, alias: str, text: str) -> View:
    body = t("💌 From your buddy <b>{alias}</b>:\n\n{text}", alias=alias, text=text)
    buttons = [
        (t("↩️ Reply"), WriteToBuddy(pairing.id)),
        (t("Report"), ReportBuddyMessage(message_id)),
    ]
    return body, inline([buttons])


def ended_notice_text(
    t: Translator, reason: EndReason, alias: str | None, group_name: str | None
) -> Html:
    """To a buddy whose pairing ended (the one who ended it is told on screen): kindly, and
    never why. ``alias`` is None once the other side deleted their data."""
    after = t(
        "If you're still looking for a buddy, the next round will pair you with someone new; "
        "/buddy shows where you are."
    )
    if alias is None:
        lead = t("Your buddy pairing in <b>{group}</b> has ended.", group=group_name or "")
    elif reason is EndReason.EXPIRED:
        lead = t(
            "Your four weeks as buddies with <b>{alias}</b> are over. Thank you for the "
            "encouragement you shared.",
            alias=alias,
        )
    elif reason is EndReason.MODERATOR:
        lead = t(
            "The facilitators of <b>{group}</b> have ended your buddy pairing with "
            "<b>{alias}</b>. If you have a question about it, you can ask them with /ask.",
            group=group_name or "",
            alias=alias,
        )
    else:
        lead = t(
            "Your buddy pairing with <b>{alias}</b> has ended. Thank you for the encouragement "
            "you shared.",
            alias=alias,
        )
    return Html(f"{lead}\n\n{after}")
