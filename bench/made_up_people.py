"""Made-up registered people for the benchmarks (the same shape in each, so they share it)."""

from __future__ import annotations

from datetime import datetime

from bot.domain.member import NewMember
from bot.services.container import NOTICE_VERSION


def made_up_member(
    telegram_id: int, number: int, at: datetime, *, language: str = "en", name: str = "Member"
) -> NewMember:
    """Someone who joined at ``at`` under the alias ``"{name} {number}"``, online only, and
    agreed to the current privacy notice (with an older one, every message but a few commands
    gets the request to agree again, and a benchmark measures that instead of what it names)."""
    alias = f"{name} {number}"
    return NewMember(
        telegram_id=telegram_id,
        alias=alias,
        alias_key=alias.lower(),
        language=language,
        timezone="Asia/Jakarta",
        province=None,
        topics=(),
        consent_version=NOTICE_VERSION,
        consent_at=at,
        adult_confirmed_at=at,
        created_at=at,
    )
