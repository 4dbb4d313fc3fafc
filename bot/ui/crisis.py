"""The crisis reply: warm words first, then several concrete ways to reach a person now, then
the things people in crisis actually use (grounding, their safety plan, a human they know).

Safe-messaging practice (see DOMAIN.md): acknowledge, no judgement, concrete options, hope and a
next step; never a diagnosis, never methods. Contacts come from data/crisis_contacts.toml.
Facilitator alerts show only the person's alias and the time, never what they wrote.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from bot.domain.contacts import CrisisContact
from bot.domain.safety import MAX_RELAY_CHARS, AnswerProblem, CrisisAlert
from bot.i18n import Html, Translator, tz_abbreviation
from bot.ui.callbacks import CallbackData, Natural
from bot.ui.keyboards import Button, inline
from bot.ui.view import View


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


def render_contact(t: Translator, contact: CrisisContact) -> str:
    """One contact as a few short HTML lines; data values are escaped here."""
    lines = [f"<b>{escape(contact.name)}</b> — {escape(contact.description.get(t.lang))}"]
    reach: list[str] = []
    if contact.phone:
        reach.append(t("Phone: {number}", number=contact.phone))
    if contact.whatsapp:
        reach.append(t("WhatsApp: {number}", number=contact.whatsapp))
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


def crisis_message(t: Translator, contacts: Sequence[CrisisContact]) -> str:
    """The full crisis reply in the person's language."""
    parts = [
        t("<b>You don't have to go through this alone.</b>"),
        t(
            "I'm really glad you reached out. What you are feeling matters, and there are people "
            "who can help you right now."
        ),
        t(
            "If you are in immediate danger, call <b>112</b> or go to the emergency department "
            "(IGD) of the nearest hospital."
        ),
        t("You can also reach out to any of these now — if one is busy, please try another:"),
        "\n\n".join(render_contact(t, contact) for contact in contacts),
        t(
            "If you can, tell someone you trust how you are feeling: a friend, someone in your "
            "family, or your group's facilitator."
        ),
        t(
            "Rangkul is peer support, not an emergency service. I'm still here: you can carry on "
            "where you were, or open /menu."
        ),
    ]
    return "\n\n".join(parts)


def crisis_view(t: Translator, contacts: Sequence[CrisisContact], *, can_alert: bool) -> View:
    """The crisis reply with its offers: grounding, the safety plan, and (for members of a
    group with a facilitator) telling the facilitator, which always asks for consent first."""
    rows: list[list[Button]] = [
        [(t("🌿 Grounding exercise now"), StartGrounding())],
        [(t("📝 My safety plan"), OpenSafetyPlan())],
    ]
    if can_alert:
        rows.append([(t("🤝 Let my facilitator know"), LetFacilitatorKnow())])
    return crisis_message(t, contacts), inline(rows)


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
        "Thank you for letting me. I've told your facilitator; if they don't respond within 30 "
        "minutes, the other facilitators of your group and the coordinators will be told too. "
        "Please don't wait for them if you are in danger: the contacts above are there now."
    )


def alert_already_sent_text(t: Translator) -> str:
    return t(
        "Your facilitator has already been told, and others will be told if they don't respond "
        "soon. The contacts above are there for you right now."
    )


def alert_declined_text(t: Translator) -> str:
    return t("Okay, I won't tell anyone. You decide. The offer stays open: send /crisis any time.")


def no_facilitator_text(t: Translator) -> str:
    return t(
        "I couldn't find a facilitator to tell right now. Please reach out to one of the "
        "contacts above, or someone you trust."
    )


def facilitator_guide(t: Translator, alias: str) -> str:
    """The suggested next step from the facilitators' guide (safe-messaging practice)."""
    return t(
        "<b>Suggested next step</b> (facilitators' guide):\n"
        "• Reach out to <b>{alias}</b> privately and kindly, soon. A short, warm message is "
        'enough: "I heard things are hard right now. I\'m here."\n'
        "• Listen more than you talk. Don't judge, argue or try to fix everything.\n"
        "• Encourage them to contact professional help or a crisis line now (/crisis lists "
        "them); in immediate danger, 112.\n"
        "• Never promise to keep danger a secret; involve a coordinator if you are worried.\n"
        "• Look after yourself too: talk it over with a coordinator or a fellow facilitator.",
        alias=alias,
    )


def alert_view(t: Translator, alert: CrisisAlert, tz: str, *, escalation: bool) -> View:
    """What a facilitator (or, after escalation, a coordinator) receives."""
    when = f"{t.format_datetime(alert.created_at, tz, 'd MMM, HH:mm')} {tz_abbreviation(tz)}"
    if escalation:
        head = t(
            "⚠️ <b>Still unanswered after 30 minutes.</b> <b>{alias}</b> asked at {when} for "
            "their facilitator to know they are in crisis, and nobody has acknowledged it yet.",
            alias=alert.alias,
            when=when,
        )
    else:
        head = t(
            "🤝 <b>{alias}</b> is going through a crisis and asked, at {when}, for you to know.",
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
        "🤝 Your facilitator has seen your message and knows you are going through a hard time. "
        "You are not alone. If you need help right now, send /crisis."
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
    """To staff whose authoring text (a group, a meeting place, a resource) has crisis words:
    it is taken as content, with a short, gentle word in case it is also about them."""
    return t(
        "💛 I'll take this as what you're writing. If any of it is also about how you feel, "
        "you don't have to carry it alone: /crisis has people you can reach now."
    )


def not_allowed_text(t: Translator) -> str:
    return t("Only the facilitators of this person's group and coordinators can do this.")


def crisis_intro_line(t: Translator) -> Html:
    """The short reminder used in the welcome and in refusals: where to turn in an emergency."""
    return Html(
        t("In an emergency call <b>112</b>. For crisis contacts at any time, send /crisis.")
    )
