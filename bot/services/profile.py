"""Use cases of a member's own profile and reachability: language, alias, consent to a changed
privacy notice, and whether the bot can reach them (they blocked or unblocked it)."""

from __future__ import annotations

from bot.clock import Clock
from bot.domain.alias import alias_key
from bot.domain.member import Member
from bot.storage.members import MemberRepository
from bot.storage.outbox import OutboxRepository


async def change_language(members: MemberRepository, member: Member, language: str) -> None:
    await members.set_language(member.id, language)


async def change_alias(members: MemberRepository, member: Member, alias: str) -> None:
    """Stores an alias already judged acceptable (bot.services.onboarding.judge_alias).

    Raises:
        AliasTaken: someone took it since it was judged (the UNIQUE key is the final check).
    """
    await members.set_alias(member.id, alias, alias_key(alias))


async def renew_consent(
    members: MemberRepository, clock: Clock, member: Member, notice_version: int
) -> None:
    """ "I agree" to a changed privacy notice, recorded as a new consent (proof of consent)."""
    await members.record_consent(member.id, notice_version, clock.now())


async def blocked_bot(
    members: MemberRepository, outbox: OutboxRepository, clock: Clock, telegram_id: int
) -> None:
    """The person blocked the bot: nothing more is planned or sent to them (a no-op for
    someone who never registered)."""
    member = await members.by_telegram_id(telegram_id)
    if member is not None:
        await outbox.mark_member_blocked(member.id, clock.now())


async def unblocked_bot(
    members: MemberRepository, outbox: OutboxRepository, telegram_id: int
) -> None:
    """The person can be reached again."""
    member = await members.by_telegram_id(telegram_id)
    if member is not None:
        await outbox.clear_member_blocked(member.id)
