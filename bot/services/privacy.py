"""Use cases of the privacy rights: a complete export and a complete erasure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from bot.clock import Clock
from bot.domain.meetings import SeatStatus
from bot.domain.member import ExportSummary
from bot.domain.messages import parse_instant
from bot.services.buddies import end_on_leaving
from bot.storage.buddies import BuddyRepository
from bot.storage.members import MemberRepository
from bot.storage.outbox import OutboxRepository

EXPORT_FORMAT_VERSION = 2


class MemberExport(Protocol):
    """A repository's part of the export: its rows about one member, JSON-ready, by section."""

    async def export(self, member_id: int) -> dict[str, Any]: ...


async def export_member_data(
    members: MemberRepository,
    parts: Sequence[MemberExport],
    clock: Clock,
    telegram_id: int,
) -> dict[str, Any] | None:
    """Everything stored about one person (PDP law: access and portability); None if nothing.

    ``parts``: every repository with rows about members (Services.exports). Each exports its
    own aggregate without row ids, Telegram ids or anyone else's identity;
    tests/journeys/test_mydata_complete.py fails when a table about members is neither exported
    nor explicitly left out.
    """
    stored = await members.export(telegram_id)
    if stored is None:
        return None
    member = await members.by_telegram_id(telegram_id)
    if member is not None:
        for repository in parts:
            stored |= await repository.export(member.id)
    return {
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": clock.now().isoformat(),
        "note": (
            "Rangkul also stores your Telegram account id, only so that it can send you "
            "messages; it is left out of this file so the file cannot identify you if shared."
        ),
        **stored,
    }


def summarise_export(data: dict[str, Any], now: datetime) -> ExportSummary | None:
    """The summary of :func:`export_member_data`'s document; None for someone who has not
    joined (their file holds only an unfinished sign-up)."""
    profile = data.get("profile")
    if profile is None:
        return None
    names = [row["group_name"] for row in data["group_memberships"] + data["facilitator_roles"]]
    active = {SeatStatus.GOING.value, SeatStatus.WAITLIST.value}
    seats = sorted(
        (parse_instant(row["meeting_starts_at"]), row["group_name"])
        for row in data["seats"]
        if row["status"] in active
    )
    return ExportSummary(
        alias=profile["alias"],
        language=profile["language"],
        province=profile["province"],
        timezone=profile["timezone"],
        topics=tuple(data["topics"]),
        member_since=parse_instant(profile["created_at"]),
        groups=tuple(dict.fromkeys(names)),
        upcoming_seats=tuple((name, start) for start, name in seats if start > now),
        has_safety_plan=bool(data["safety_plan"]),
        crisis_events=len(data["crisis_events"]),
        crisis_alerts=len(data["crisis_alerts"]),
        messages_to_them=len(data["messages_to_you"]),
        messages_about_them=len(data["messages_about_you"]),
    )


async def forget_member(
    members: MemberRepository,
    buddies: BuddyRepository,
    outbox: OutboxRepository,
    clock: Clock,
    telegram_id: int,
) -> bool:
    """Deletes every row about the person, including conversation state and pending messages;
    False if nothing was stored (already forgotten). Their buddies are told first that the
    pairing ended (the notice is about nobody, so it outlives the deletion)."""
    member = await members.by_telegram_id(telegram_id)
    if member is not None:
        async with buddies.transaction() as tx:
            await end_on_leaving(buddies, outbox, member.id, clock.now(), tx=tx)
    return await members.forget(telegram_id)
