"""Outbox renderers for crisis alerts: to the first facilitator at once, to every facilitator
and the coordinators 30 minutes later unless someone acknowledged, and to the person once a
facilitator has seen it.

Escalation is planned as outbox rows when the person consents (not_before = +30 min), so it
survives restarts with no job of its own; the renderer drops them (None: skipped) if the alert
was acknowledged meanwhile or the person used /forget (the alert row is gone).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from telegram import InlineKeyboardMarkup

from bot.domain.member import Member
from bot.i18n import Translator
from bot.services.container import Services
from bot.storage.safety import ALERT_KIND, ALERT_SEEN_KIND
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
        await services.safety.mark_escalated(alert.id, services.clock.now())
    return views.alert_view(t, alert, member.timezone, escalation=escalation)


async def render_alert_seen(
    services: Services, t: Translator, member: Member, payload: Mapping[str, Any]
) -> Rendered:
    alert = await services.safety.alert(int(payload["alert_id"]))
    return (views.alert_seen_text(t), None) if alert is not None else None


def safety_renderers() -> dict[str, Any]:
    """The renderers of the crisis outbox kinds, for ``bot_data["outbox_renderers"]``."""
    return {ALERT_KIND: render_alert, ALERT_SEEN_KIND: render_alert_seen}
