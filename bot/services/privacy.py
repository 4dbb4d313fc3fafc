"""Use cases of the privacy rights: a complete export and a complete erasure."""

from __future__ import annotations

from typing import Any

from bot.clock import Clock
from bot.storage.members import MemberRepository

EXPORT_FORMAT_VERSION = 1


async def export_member_data(
    members: MemberRepository, clock: Clock, telegram_id: int
) -> dict[str, Any] | None:
    """Everything stored about one person (PDP law: access and portability); None if nothing."""
    stored = await members.export(telegram_id)
    if stored is None:
        return None
    return {
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": clock.now().isoformat(),
        "note": (
            "Rangkul also stores your Telegram account id, only so that it can send you "
            "messages; it is left out of this file so the file cannot identify you if shared."
        ),
        **stored,
    }


async def forget_member(members: MemberRepository, telegram_id: int) -> None:
    """Deletes every row about the person, including conversation state and pending messages."""
    await members.forget(telegram_id)
