"""Outbox renderers for announcements: each recipient's copy of the author's message, and the
final report to the author."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.domain.broadcasts import COPY_KIND, REPORT_KIND, Broadcast
from bot.domain.member import Member
from bot.domain.messages import MessageCopy
from bot.i18n import Translator
from bot.services.container import Services
from bot.ui import broadcasts as views
from bot.ui.view import View


async def render_copy(
    services: Services, t: Translator, member: Member, payload: Mapping[str, Any]
) -> MessageCopy:
    """The announcement as the author wrote it, copied from their chat (never re-typed)."""
    return MessageCopy(int(payload["chat"]), int(payload["message"]))


async def render_report(
    services: Services, t: Translator, member: Member, payload: Mapping[str, Any]
) -> View | None:
    broadcast = await services.broadcasts.get(int(payload["broadcast"]))
    if broadcast is None or broadcast.report is None:
        return None
    return views.report_text(t, await audience_of(services, t, broadcast), broadcast.report), None


async def audience_of(services: Services, t: Translator, broadcast: Broadcast) -> str:
    """Whom the broadcast was for, in the reader's language ("the group Teman Cerita")."""
    group = await services.groups.get(broadcast.group_id) if broadcast.group_id else None
    return views.audience_name(t, broadcast.audience, group, broadcast.province)


def broadcast_renderers() -> dict[str, Any]:
    return {COPY_KIND: render_copy, REPORT_KIND: render_report}
