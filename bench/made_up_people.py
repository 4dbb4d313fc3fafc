"""Made-up registered people for the benchmarks (the same shape in each, so they share it)."""

from __future__ import annotations

from datetime import datetime

from bot.domain.member import NewMember


def made_up_member(
    telegram_id: int, number: int, at: datetime, *, language: str = "en", name: str = "Member"
) -> NewMember:
    """Someone who joined at ``at`` under the alias ``"{name} {number}"``, online only."""
    alias = f"{name} {number}"
    return NewMember(
        telegram_id=telegram_id,
        alias=alias,
        alias_key=alias.lower(),
        language=language,
        timezone="Asia/Jakarta",
        province=None,
        topics=(),
        consent_version=1,
        consent_at=at,
        adult_confirmed_at=at,
        created_at=at,
    )
