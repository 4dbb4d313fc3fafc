"""The outbox renderer of a consented "may want a check-in call" to a facilitator.

It renders from the current rows and changes nothing: dropped (None: skipped) if the person
used /forget (the sitting is gone) or if the recipient no longer facilitates any group of
theirs. The text names the alias only, never an answer, a score or a band.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from telegram import InlineKeyboardMarkup

from bot.domain.member import Member
from bot.domain.questionnaires import CALL_REQUEST_KIND
from bot.i18n import Translator
from bot.services.container import Services
from bot.ui import checkin as views

Rendered = tuple[str, InlineKeyboardMarkup | None] | None


async def render_call_request(
    services: Services, t: Translator, member: Member, payload: Mapping[str, Any]
) -> Rendered:
    sitting = await services.questionnaires.sitting(int(payload["sitting"]))
    if sitting is None:
        return None
    asking = await services.members.by_id(sitting.member_id)
    if asking is None or member.id not in await services.questionnaires.facilitators_of(asking.id):
        return None
    return views.call_request_text(t, asking.alias), None


def call_request_renderers() -> dict[str, Any]:
    """The renderer of the call-request outbox kind, for ``bot_data["outbox_renderers"]``."""
    return {CALL_REQUEST_KIND: render_call_request}
