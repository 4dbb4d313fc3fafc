"""What the bot says in group chats, which are public: nothing personal, a way to talk
privately; and the linking of a support group's own chat (the private confirmation, the
notices to facilitators, the posts in a linked chat, which name people by alias only)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.groups import Group
from bot.domain.meetings import Meeting
from bot.i18n import N_, Html, Translator
from bot.ui.callbacks import CallbackData
from bot.ui.crisis import emergency_lines, talk_lines
from bot.ui.guidelines import guidelines_text
from bot.ui.keyboards import Button, inline
from bot.ui.meeting_picker import when
from bot.ui.view import View

# The start payload of the deep link /crisis posts in a group: the crisis contacts, privately.
CRISIS_START = "crisis"

# What each admin right is for (bot.domain.group_chats.REQUIRED_RIGHTS).
RIGHT_PURPOSES: dict[str, str] = {
    "can_invite_users": N_("<b>Invite users via link</b>: to approve or decline join requests"),
    "can_delete_messages": N_(
        "<b>Delete messages</b>: to clean up my previous welcome, and a /report command"
    ),
}


@dataclass(frozen=True)
class LinkChat(CallbackData, prefix="gx:link"):
    """A facilitator's choice, in private, of the group to link a chat to."""

    chat_id: int
    group_id: int


@dataclass(frozen=True)
class DropLink(CallbackData, prefix="gx:drop"):
    chat_id: int


@dataclass(frozen=True)
class ShareJoinLink(CallbackData, prefix="gx:share"):
    """A facilitator's choice whether meeting posts in the chat carry the online join link."""

    chat_id: int
    share: bool


def _private_chat_button(t: Translator, link: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t("💬 Talk to me privately"), url=link)]])


def private_pointer_view(t: Translator, link: str, command: str | None = None) -> View:
    text = t(
        "I only talk one to one, so that what you share stays private. Tap below to write to "
        "me in a private chat."
    )
    if command == "poll_time":
        # A facilitator trying to poll this chat: where that is done.
        where = t(
            "To ask this chat which times suit, a facilitator of its group sends me /poll_time "
            "in a private chat and chooses “In the group chat”: the poll posted here is "
            "anonymous."
        )
        text = Html(f"{text}\n\n{where}")
    return text, _private_chat_button(t, link)


def private_only_toast(t: Translator) -> str:
    """A callback answer (at most 200 characters)."""
    return t("Let's continue in a private chat with me.")


def public_crisis_view(t: Translator, link: str) -> View:
    """The crisis essentials for a group chat: what anyone there may need now, nothing about
    the person who asked; every contact is one private /crisis away (``link`` opens it)."""
    text = "\n\n".join(
        [
            t("<b>If you or someone here is not safe right now, help is close.</b>"),
            emergency_lines(t),
            talk_lines(t),
            t("You can also talk to me privately, at any moment."),
        ]
    )
    return text, _private_chat_button(t, link)


# --- linking, in the group ----------------------------------------------------------------------


def link_not_admin_text(t: Translator) -> Html:
    return t("Only an administrator of this chat can link it to a support group.")


def link_check_private_text(t: Translator) -> Html:
    return t(
        "I've sent you a private message: choose there which support group this chat belongs to."
    )


def link_start_privately_view(t: Translator, link: str) -> View:
    text = t(
        "To link this chat, first start a private chat with me (tap below), then send /link "
        "here again."
    )
    return text, _private_chat_button(t, link)


def missing_rights_lines(t: Translator, missing: Sequence[str]) -> str:
    """Which admin rights the bot still needs in the chat, and why; '' when it has them all."""
    if not missing:
        return ""
    lines: list[str] = [t("⚠️ Please make me an administrator of the chat with these rights:")]
    lines += [f"• {t(RIGHT_PURPOSES[right])}" for right in missing]
    lines.append(t("Until then I can't answer join requests or tidy up my welcomes."))
    return "\n".join(lines)


def linked_in_chat_text(t: Translator, group_name: str, missing: Sequence[str]) -> Html:
    text = t(
        "🌱 This chat is now the group chat of <b>{group}</b>. I let in only the group's "
        "members and trial guests, welcome newcomers by their alias, and post the meetings "
        "here. I only see commands and replies to me, and I never keep what is written here.",
        group=group_name,
    )
    rights = missing_rights_lines(t, missing)
    return Html(f"{text}\n\n{rights}" if rights else text)


def unlinked_in_chat_text(t: Translator) -> Html:
    return t("This chat is no longer linked to a support group. I will not post here any more.")


def not_linked_text(t: Translator) -> Html:
    return t("This chat is not linked to a support group.")


def unlink_refused_text(t: Translator) -> Html:
    return t("Only a facilitator of the support group who administers this chat can unlink it.")


# --- linking, in private ----------------------------------------------------------------------


def link_choice_view(
    t: Translator, chat_id: int, title: str, groups: Sequence[Group], missing: Sequence[str]
) -> View:
    text = t(
        "🔗 Which support group should the chat <b>{title}</b> belong to? Once linked, only "
        "that group's members and trial guests are let in.",
        title=title,
    )
    rights = missing_rights_lines(t, missing)
    rows: list[list[Button]] = [[(g.name, LinkChat(chat_id, g.id))] for g in groups]
    rows.append([(t("Cancel"), DropLink(chat_id))])
    return (f"{text}\n\n{rights}" if rights else text), inline(rows)


def link_refused_text(t: Translator, reason: str) -> Html:
    texts = {
        "not_chat_admin": N_(
            "You are no longer an administrator of that chat, so I can't link it."
        ),
        "not_facilitator": N_("Only a facilitator of a support group can link a chat to it."),
        "chat_taken": N_("That chat is already linked to another support group."),
        "group_taken": N_(
            "That support group already has a group chat. Send /unlink in the old chat first."
        ),
    }
    return t(texts[reason])


def linked_private_view(
    t: Translator, chat_id: int, title: str, group_name: str, share: bool
) -> View:
    text = t(
        "✅ <b>{title}</b> is now the group chat of <b>{group}</b>. Set its invite link to "
        "“request to join”, so that I can check each request.",
        title=title,
        group=group_name,
    )
    sharing = (
        t("Meeting posts in the chat include the online join link.")
        if share
        else t("Meeting posts in the chat leave out the online join link.")
    )
    label = t("Leave the join link out") if share else t("Include the join link")
    return f"{text}\n\n{sharing}", inline([[(label, ShareJoinLink(chat_id, not share))]])


def link_dropped_text(t: Translator) -> Html:
    return t("OK, nothing was linked.")


def link_gone_toast(t: Translator) -> str:
    return t("This choice has passed.")


# --- join requests and welcomes ---------------------------------------------------------------


def declined_view(t: Translator, group_name: str, link: str) -> View:
    """To someone whose request to join a linked chat was declined (privately)."""
    text = t(
        "Hi! The chat of <b>{group}</b> is only for the members of this support group and its "
        "trial guests, so I couldn't let you in yet. To join: start a chat with me, choose "
        "the group and try a session. Once you're in, ask to join the chat again. 🌱",
        group=group_name,
    )
    return text, _private_chat_button(t, link)


def welcome_text(t: Translator, alias: str | None) -> Html:
    first = (
        t("👋 Welcome, <b>{alias}</b>! Glad you're here.", alias=alias)
        if alias
        else t("👋 Welcome! Glad you're here.")
    )
    return Html(f"{first}\n\n{guidelines_text(t)}")


# --- meetings in the chat ---------------------------------------------------------------------


def _meeting_lines(t: Translator, meeting: Meeting, *, share_link: bool) -> list[str]:
    lines: list[str] = []
    if meeting.place:
        lines.append(t("📍 {place}", place=meeting.place))
    if meeting.join_link and share_link:
        lines.append(t("🔗 Join online: {link}", link=meeting.join_link))
    elif meeting.join_link:
        lines.append(t("🔗 Online: the join link is in your private chat with me."))
    return lines


def meeting_post_text(
    t: Translator, group: Group, meeting: Meeting, *, share_link: bool, reminder: bool
) -> Html:
    moment = when(t, meeting.starts_at, group.timezone)
    first = (
        t("⏰ <b>In one hour</b>: <b>{group}</b> meets {when}.", group=group.name, when=moment)
        if reminder
        else t("📅 <b>{group}</b> meets {when}.", group=group.name, when=moment)
    )
    lines = [first, *_meeting_lines(t, meeting, share_link=share_link)]
    if not reminder:
        lines.append(t("Say whether you're coming in your private chat with me (/meetings)."))
    return Html("\n".join(lines))


def meeting_cancelled_post_text(
    t: Translator, group: Group, meeting: Meeting, *, series: bool
) -> Html:
    moment = when(t, meeting.starts_at, group.timezone)
    if series:
        return t(
            "❌ <b>{group}</b>: the meeting on {when} and the ones after it are cancelled.",
            group=group.name,
            when=moment,
        )
    return t(
        "❌ <b>{group}</b>: the meeting on {when} is cancelled.", group=group.name, when=moment
    )


# --- private notices to facilitators ----------------------------------------------------------


def unlinked_notice_text(t: Translator, title: str, group_name: str) -> Html:
    return t(
        "🔔 I was removed from the chat <b>{title}</b>, so it is no longer the group chat of "
        "<b>{group}</b>. To link it again, add me back and send /link there.",
        title=title,
        group=group_name,
    )


def report_notice_text(
    t: Translator, group_name: str, reporter_alias: str, link: str | None
) -> Html:
    lines = [
        t(
            "🚩 <b>{alias}</b> reported a message in the group chat of <b>{group}</b>.",
            alias=reporter_alias,
            group=group_name,
        ),
        t("Message: {link}", link=link)
        if link
        else t("(This chat is a basic group, so Telegram has no link to the message.)"),
        t("Nobody in the chat was told about the report."),
    ]
    return Html("\n".join(lines))


def report_thanks_text(t: Translator) -> Html:
    return t(
        "Thank you. I told the facilitators of the group privately; nothing was posted in the "
        "chat. /crisis is always here if things get hard."
    )


def report_how_text(t: Translator) -> Html:
    return t("To report a message, reply to it with /report.")
