"""Use cases of the privacy rights: a complete export and a complete erasure."""

from __future__ import annotations

from typing import Any

from bot.clock import Clock
from bot.storage.members import MemberRepository
from bot.storage.safety import SafetyRepository

EXPORT_FORMAT_VERSION = 1


async def export_member_data(
    members: MemberRepository,
    clock: Clock,
    telegram_id: int,
    *,
    safety: SafetyRepository | None = None,
) -> dict[str, Any] | None:
    """Everything stored about one person (PDP law: access and portability); None if nothing.

    ``safety`` adds their safety plan, crisis events and alerts (private to them alone).
    """
    stored = await members.export(telegram_id)
    if stored is None:
        return None
    member = await members.by_telegram_id(telegram_id) if safety is not None else None
    if member is not None and safety is not None:
        stored |= await safety.export(member.id)
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
