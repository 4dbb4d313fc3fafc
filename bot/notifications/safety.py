"""Outbox renderers for crisis alerts: to the first facilitator at once, to every facilitator
and the coordinators 30 minutes later unless someone acknowledged, to the person once a
facilitator has seen it, and a facilitator's relayed message to the person.

Escalation is planned as outbox rows when the person consents (not_before = +30 min), so it
survives restarts with no job of its own; the renderer drops them (None: skipped) if the alert
was acknowledged meanwhile or the person used /forget (the alert row is gone).

Roles change between consent and escalation, so recipients are re-checked when a row is sent:
someone who is no longer a facilitator of the group nor a coordinator is skipped. And the
first escalation row that is rendered plans rows (due now, one per person thanks to the
dedupe key) for whoever facilitates the group or coordinates *at that moment*: a coordinator
promoted after the consent is told too, even if every recipient chosen at consent has lost
their role. Both live in the outbox rows, so a restart changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from telegram import InlineKeyboardMarkup

from bot.domain.member import Member
from bot.i18n import Translator
from bot.services import safety as safety_service
from bot.services.container import Services
from bot.storage.safety import ALERT_KIND, ALERT_SEEN_KIND, RELAY_KIND
from bot.ui import crisis as views

Rendered = tuple[str, InlineKeyboardMarkup | None] | None


async def render_alert(
    services: Services, t: Translator, member: Member, payload: Mapping[str, Any]
) -> Rendered:
    alert = await services.safety.alert(int(payload["alert_id"]))
    escalation = bool(payload.get("escalation"))
    if alert is None or (escalation and alert.is_acknowledged):
        return None
    if escalation:
        now = services.clock.now()
        recipients = await safety_service.escalation_recipients(services, alert)
        await services.safety.plan_escalation(alert.id, recipients, now)
    if not await safety_service.may_receive_alert(services, member, alert):
        return None
    if escalation:
        await services.safety.mark_escalated(alert.id, services.clock.now())
    return views.alert_view(t, alert, member.timezone, escalation=escalation)


async def render_relay(
    services: Services, t: Translator, member: Member, payload: Mapping[str, Any]
) -> Rendered:
    """A facilitator's message to the person; dropped if the sender has since deleted their data
    (the outbox then empties the payload, text included)."""
    sender = await services.members.by_id(int(payload["from"]))
    text = payload.get("text")
    if sender is None or not text:
        return None
    return views.relayed_message_text(t, sender.alias, text), None


async def render_alert_seen(
    services: Services, t: Translator, member: Member, payload: Mapping[str, Any]
) -> Rendered:
    alert = await services.safety.alert(int(payload["alert_id"]))
    return (views.alert_seen_text(t), None) if alert is not None else None


def safety_renderers() -> dict[str, Any]:
    """The renderers of the crisis outbox kinds, for ``bot_data["outbox_renderers"]``."""
    return {
        ALERT_KIND: render_alert,
        ALERT_SEEN_KIND: render_alert_seen,
        RELAY_KIND: render_relay,
    }
