"""Outbox renderers for crisis alerts: to the first facilitator at once, to every facilitator
and the coordinators 30 minutes later unless someone acknowledged (planned by the planner,
bot.services.safety.escalate_alerts), to the person once a facilitator acknowledged it, and a
facilitator's relayed message to the person.

Renderers only render, from the current rows: they change nothing. An alert message is dropped
(None: skipped) if the person used /forget (the alert row is gone), an escalation if the alert
was acknowledged meanwhile, and any alert message to someone who is no longer a facilitator of
the group nor a coordinator (roles change between planning and sending).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from telegram import InlineKeyboardMarkup

from bot.domain.member import Member
from bot.domain.safety import ALERT_KIND, ALERT_SEEN_KIND, RELAY_KIND
from bot.i18n import Translator
from bot.services import safety as safety_service
from bot.services.container import Services
from bot.ui import crisis as views

Rendered = tuple[str, InlineKeyboardMarkup | None] | None


async def render_alert(
    services: Services, t: Translator, member: Member, payload: Mapping[str, Any]
) -> Rendered:
    alert = await services.safety.alert(int(payload["alert_id"]))
    escalation = bool(payload.get("escalation"))
    if alert is None or (escalation and alert.is_acknowledged):
        return None
    admin_ids = services.settings.admin_ids
    if not await safety_service.may_receive_alert(services.roles, admin_ids, member, alert):
        return None
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
