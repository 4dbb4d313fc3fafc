"""The crisis reply: warm words first, then several concrete ways to reach a person now.

Safe-messaging practice (see DOMAIN.md): acknowledge, no judgement, concrete options, hope and a
next step; never a diagnosis, never methods. Contacts come from data/crisis_contacts.toml.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bot.domain.contacts import CrisisContact
from bot.i18n import Html, Translator


def render_contact(t: Translator, contact: CrisisContact) -> str:
    """One contact as a few short HTML lines; data values are escaped here."""
    lines = [f"<b>{escape(contact.name)}</b> — {escape(contact.description.get(t.lang))}"]
    reach = []
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


def crisis_intro_line(t: Translator) -> Html:
    """The short reminder used in the welcome and in refusals: where to turn in an emergency."""
    return Html(
        t("In an emergency call <b>112</b>. For crisis contacts at any time, send /crisis.")
    )
