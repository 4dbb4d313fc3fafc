"""The crisis reply: a short first message with what matters now (warm words, the emergency
numbers, someone to talk to), then one tap to every contact, grounding, the person's safety
plan and a human they know.

What comes first fits the danger (``CrisisReplyKind``): emergency care for harm already done,
the police and the violence line for danger from another person, otherwise the person's own
plan (sent before this message). 112 is not active everywhere yet, so it is never named alone:
119 (ambulance) and 110 (police) go with it. Safe-messaging practice: acknowledge, no judgement,
concrete options first, never a diagnosis, never methods (Indonesia's Press Council regulation
No. 2/2019 on reporting suicide says the same). Contacts and the sources of their facts are in
data/crisis_contacts.toml. Facilitator alerts show only the person's alias and the time, never
what they wrote.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.contacts import CrisisContact, contact_by_id, tappable
from bot.domain.safety import MAX_RELAY_CHARS, AnswerProblem, CrisisAlert, CrisisReplyKind
from bot.i18n import Html, Translator, tz_abbreviation
from bot.ui.callbacks import CallbackData, Natural
from bot.ui.keyboards import Button, inline
from bot.ui.view import View

# Entries of data/crisis_contacts.toml the short reply names for their WhatsApp number or
# website; the short codes (112, 119, 110, 119 ext. 8, 129) are in the texts themselves.
VIOLENCE_LINE = "sapa-129"
ONLINE_SUPPORT = "healing119"


class AlertAnswer(enum.StrEnum):
    YES = "yes"
    NO = "no"


@dataclass(frozen=True)
class LetFacilitatorKnow(CallbackData, prefix="cr:alert"):
    """Under the crisis reply without an answer (it asks for consent), then with the answer."""

    answer: AlertAnswer | None = None


@dataclass(frozen=True)
class Acknowledge(CallbackData, prefix="ca:ack"):
    alert_id: Natural


@dataclass(frozen=True)
class ReplyToAlert(CallbackData, prefix="ca:reply"):
    alert_id: Natural


# The crisis reply offers these two; bot/ui/grounding.py and bot/ui/safety_plan.py (which
# import this module) have the rest of their buttons.
@dataclass(frozen=True)
class StartGrounding(CallbackData, prefix="gd:start"):
    pass


@dataclass(frozen=True)
class OpenSafetyPlan(CallbackData, prefix="sp:open"):
    pass


@dataclass(frozen=True)
class MoreContacts(CallbackData, prefix="cr:more"):
    """Under the short crisis reply: it grows, in place, into every contact for the person."""

    kind: CrisisReplyKind


def render_contact(t: Translator, contact: CrisisContact) -> str:
    """One contact as a few short HTML lines; data values are escaped here."""
    lines = [f"<b>{escape(contact.name)}</b> — {escape(contact.description.get(t.lang))}"]
    reach: list[str] = []
    if contact.phone:
        reach.append(t("Phone: {number}", number=tappable(contact.phone)))
    if contact.whatsapp:
        reach.append(t("WhatsApp: {number}", number=tappable(contact.whatsapp)))
    if contact.url:
        reach.append(f'<a href="{escape(contact.url, quote=True)}">{escape(contact.url)}</a>')
    if contact.app:
        reach.append(t("App: {name}", name=contact.app))
    if reach:
        lines.append(" · ".join(reach))
    if contact.hours:
        lines.append(t("Hours: {hours}", hours=contact.hours.get(t.lang)))
    if contact.caveat:
        lines.append(f"<i>{escape(contact.caveat.get(t.lang))}</i>")
    return "\n".join(lines)


# --- the parts of the short reply (also for minors and group chats) -------------------------
# Short codes stay bold on a line of their own: Telegram links only full phone numbers (see
# bot.domain.contacts.tappable).


def emergency_lines(t: Translator) -> str:
    return t(
        "If you are in immediate danger:\n"
        "<b>112</b> — or <b>119</b> for an ambulance, <b>110</b> for the police"
    )


def talk_lines(t: Translator) -> str:
    return t(
        "Someone to talk to now:\n"
        "<b>119 ext. 8</b> — SEJIWA, the Ministry of Health's mental-health line (if it is "
        "busy, please try again)"
    )


def violence_lines(t: Translator, contacts: Sequence[CrisisContact]) -> str:
    """SAPA 129, with its WhatsApp number from the data (left out if the entry is missing)."""
    sapa = contact_by_id(tuple(contacts), VIOLENCE_LINE)
    if sapa is None or sapa.whatsapp is None:
        return t("For violence against women and children, SAPA 129 (24 hours):\n<b>129</b>")
    return t(
        "For violence against women and children, SAPA 129 (24 hours):\n"
        "<b>129</b> · WhatsApp {number}",
        number=tappable(sapa.whatsapp),
    )


def _opening(t: Translator) -> str:
    return t("<b>You don't have to go through this alone.</b>")


def _first_lines(t: Translator, kind: CrisisReplyKind, contacts: Sequence[CrisisContact]) -> str:
    match kind:
        case CrisisReplyKind.MEDICAL:
            return t(
                "{opening} Please get emergency care now:\n"
                "<b>119</b> for an ambulance — or <b>112</b>\n"
                "or go to the emergency department (IGD) of the nearest hospital. If you can, "
                "tell someone near you what happened.",
                opening=_opening(t),
            )
        case CrisisReplyKind.VIOLENCE:
            return "\n\n".join(
                [
                    t(
                        "{opening} Your safety comes first. If someone is hurting or "
                        "threatening you:\n"
                        "<b>110</b> for the police — or <b>112</b>, <b>119</b> for an ambulance",
                        opening=_opening(t),
                    ),
                    violence_lines(t, contacts),
                ]
            )
        case CrisisReplyKind.PLAN_FIRST:
            return "\n\n".join(
                [t("{opening} I'm glad you reached out.", opening=_opening(t)), emergency_lines(t)]
            )


def essentials_text(t: Translator, kind: CrisisReplyKind, contacts: Sequence[CrisisContact]) -> str:
    """The short first message: what to do now, then someone to talk to."""
    return "\n\n".join(
        [
            _first_lines(t, kind, contacts),
            talk_lines(t),
            t("Rangkul is peer support, not an emergency service. More help is below."),
        ]
    )


def details_text(t: Translator, contacts: Sequence[CrisisContact]) -> str:
    """Every contact for the person, with what it is, its hours and its caveats."""
    return "\n\n".join(
        [
            t("You can also reach out to any of these now — if one is busy, please try another:"),
            "\n\n".join(render_contact(t, contact) for contact in contacts),
            t(
                "If you can, tell someone you trust how you are feeling: a friend, someone in "
                "your family, or your group's facilitator."
            ),
        ]
    )


def link_buttons(
    t: Translator, kind: CrisisReplyKind | None, contacts: Sequence[CrisisContact]
) -> list[InlineKeyboardButton]:
    """One-tap links (Telegram has no call buttons): SAPA 129's WhatsApp where violence is
    the danger (``kind`` None: for a minor), Healing119.id's website where the plan comes
    first. Left out if the data has no such entry."""
    found = tuple(contacts)
    sapa = contact_by_id(found, VIOLENCE_LINE)
    online = contact_by_id(found, ONLINE_SUPPORT)
    if kind in (CrisisReplyKind.VIOLENCE, None) and sapa is not None and sapa.whatsapp_link:
        return [InlineKeyboardButton(t("💬 SAPA 129 on WhatsApp"), url=sapa.whatsapp_link)]
    if kind is CrisisReplyKind.PLAN_FIRST and online is not None and online.url:
        return [InlineKeyboardButton(t("🌐 Healing119.id"), url=online.url)]
    return []


def crisis_view(
    t: Translator,
    contacts: Sequence[CrisisContact],
    kind: CrisisReplyKind,
    *,
    can_alert: bool,
    expanded: bool = False,
) -> View:
    """The crisis reply: the short first message, or (``expanded``, after "More contacts")
    the same with every contact below it. Its offers: every contact, one-tap links,
    grounding, the safety plan, and (for members of a group with a facilitator) telling the
    facilitator, which always asks for consent first."""
    text = essentials_text(t, kind, contacts)
    if expanded:
        text = f"{text}\n\n{details_text(t, contacts)}"
    more: list[list[Button]] = [] if expanded else [[(t("📞 More contacts"), MoreContacts(kind))]]
    offers: list[list[Button]] = [
        [(t("🌿 Grounding exercise now"), StartGrounding())],
        [(t("📝 My safety plan"), OpenSafetyPlan())],
    ]
    if can_alert:
        offers.append([(t("🤝 Let my facilitator know"), LetFacilitatorKnow())])
    links = [[button] for button in link_buttons(t, kind, contacts)]
    rows = [*inline(more).inline_keyboard, *links, *inline(offers).inline_keyboard]
    return text, InlineKeyboardMarkup(rows)


def contacts_brief(t: Translator, contacts: Sequence[CrisisContact]) -> str:
    """One short line per contact (name and number or link), for gentle reminders."""
    lines = []
    for contact in contacts:
        reach = contact.phone or contact.whatsapp or contact.url or contact.app or ""
        lines.append(f"• <b>{escape(contact.name)}</b>: {escape(reach)}")
    return "\n".join(lines)


def alert_consent_view(t: Translator) -> View:
    text = t(
        "I can let your group's facilitator know that you are going through a hard time. "
        "They will see only your alias and the time — never what you wrote here. They may "
        "reach out to you kindly.\n\nShall I tell your facilitator?"
    )
    return text, inline(
        [
            [(t("Yes, tell my facilitator"), LetFacilitatorKnow(AlertAnswer.YES))],
            [(t("No"), LetFacilitatorKnow(AlertAnswer.NO))],
        ]
    )


def alert_sent_text(t: Translator) -> str:
    return t(
        "Thank you for letting me. I've told your facilitator; if they don't confirm within 30 "
        "minutes that they got it, the other facilitators of your group and the coordinators "
        "will be told too. Please don't wait for them if you are in danger: /crisis lists people "
        "you can reach now."
    )


def alert_already_sent_text(t: Translator) -> str:
    return t(
        "Your facilitator has already been told, and others will be told if they don't confirm "
        "soon that they got it. /crisis lists people you can reach right now."
    )


def alert_declined_text(t: Translator) -> str:
    return t("Okay, I won't tell anyone. You decide. The offer stays open: send /crisis any time.")


def no_facilitator_text(t: Translator) -> str:
    return t(
        "I couldn't find a facilitator to tell right now. Please reach out to someone you "
        "trust, or to one of the contacts /crisis lists."
    )


def facilitator_guide(t: Translator, alias: str) -> str:
    """The suggested next step from the facilitators' guide (safe-messaging practice)."""
    return t(
        "<b>Suggested next step</b> (facilitators' guide):\n"
        "• Reach out to <b>{alias}</b> privately and kindly, soon. A short, warm message is "
        'enough: "I heard things are hard right now. I\'m here."\n'
        "• Listen more than you talk. Don't judge, argue or try to fix everything.\n"
        "• Encourage them to contact professional help or a crisis line now (/crisis lists "
        "them); in immediate danger, 112 — or 119 for an ambulance, 110 for the police.\n"
        "• Never promise to keep danger a secret; involve a coordinator if you are worried.\n"
        "• Look after yourself too: talk it over with a coordinator or a fellow facilitator.",
        alias=alias,
    )


def alert_view(t: Translator, alert: CrisisAlert, tz: str, *, escalation: bool) -> View:
    """What a facilitator (or, after escalation, a coordinator) receives."""
    moment = alert.created_at
    when = (
        f"{t.format_date(moment, tz, 'd MMM')}, {t.format_clock(moment, tz)} {tz_abbreviation(tz)}"
    )
    if escalation:
        head = t(
            "⚠️ <b>Still unanswered after 30 minutes.</b> <b>{alias}</b> asked at {when} for "
            "their facilitator to know they are going through a hard time, and nobody has "
            "acknowledged it yet.",
            alias=alert.alias,
            when=when,
        )
    else:
        head = t(
            "🤝 <b>{alias}</b> is going through a hard time and asked, at {when}, for you to know.",
            alias=alert.alias,
            when=when,
        )
    text = "\n\n".join([head, facilitator_guide(t, alert.alias)])
    return text, inline(
        [
            [(t("✅ Acknowledge"), Acknowledge(alert.id))],
            [_relay_button(t, alert)],
        ]
    )


def _relay_button(t: Translator, alert: CrisisAlert) -> Button:
    return t("💬 Send a message"), ReplyToAlert(alert.id)


def acknowledged_view(t: Translator, alert: CrisisAlert, tz: str) -> View:
    """The alert once acknowledged: who did, and still the way to write to the person."""
    return acknowledged_text(t, alert, tz), inline([[_relay_button(t, alert)]])


def acknowledged_text(t: Translator, alert: CrisisAlert, tz: str) -> str:
    return t(
        "✅ Acknowledged by <b>{by}</b> at {time} {zone}. Thank you for looking out for "
        "<b>{alias}</b>.",
        by=alert.acknowledged_by_alias or "—",
        time=t.format_time(alert.acknowledged_at or alert.created_at, tz),
        zone=tz_abbreviation(tz),
        alias=alert.alias,
    )


def alert_seen_text(t: Translator) -> str:
    """To the person, once a facilitator acknowledged their alert."""
    return t(
        "🤝 Your facilitator knows you may need support and will reach out. You are not alone. "
        "If you need help right now, send /crisis."
    )


def relay_prompt(t: Translator, alias: str) -> str:
    """A facilitator is about to write one message to the person an alert is about."""
    return t(
        "💬 Write one message to <b>{alias}</b> (up to {max} characters). The bot delivers it "
        "signed with your alias; neither of you sees the other's Telegram account. A short, "
        "warm message is enough. Send /cancel to stop.",
        alias=alias,
        max=MAX_RELAY_CHARS,
    )


def relay_problem_text(t: Translator, problem: AnswerProblem) -> str:
    if problem is AnswerProblem.TOO_LONG:
        return t(
            "That's a little long for one message. Could you keep it under {max} characters? "
            "A few warm lines are enough.",
            max=MAX_RELAY_CHARS,
        )
    return t("Please write your message as text, or send /cancel to stop.")


def relay_sent_text(t: Translator, alias: str) -> str:
    return t(
        "✅ Your message to <b>{alias}</b> is on its way. Thank you for reaching out.",
        alias=alias,
    )


def relay_crisis_text(t: Translator) -> str:
    """To a facilitator whose own message had crisis words: nothing was sent."""
    return t(
        "I haven't sent that message: it has words I always answer with the crisis contacts, "
        "in case they are about you. If you would still like to write to them, please put it "
        "in other words, or send /cancel."
    )


def relayed_message_text(t: Translator, alias: str, text: str) -> str:
    """What the person receives; the facilitator's words are escaped by the translator."""
    return t(
        "💬 <b>A message from your facilitator {alias}:</b>\n\n{text}\n\n<i>It came through "
        "Rangkul: replies here don't reach them. If you need help right now, send "
        "/crisis.</i>",
        alias=alias,
        text=text,
    )


def authoring_note(t: Translator) -> str:
    """To staff whose authoring text (a group, a meeting place, a resource, an announcement)
    has crisis words: it is taken as content, with a short, gentle word in case it is also
    about them."""
    return t(
        "💛 I'll take this as what you're writing. If any of it is also about how you feel, "
        "you don't have to carry it alone: /crisis has people you can reach now."
    )


def not_allowed_text(t: Translator) -> str:
    return t("Only the facilitators of this person's group and coordinators can do this.")


def crisis_intro_line(t: Translator) -> Html:
    """The short reminder used in the welcome and in refusals: where to turn in an emergency."""
    return Html(
        t(
            "In an emergency call <b>112</b> — or <b>119</b> for an ambulance, <b>110</b> for "
            "the police. For crisis contacts at any time, send /crisis."
        )
    )
