"""Use cases of a member's own profile and reachability: language, alias, province, topics,
consent to a changed privacy notice, and whether the bot can reach them (they blocked or
unblocked it)."""

from __future__ import annotations

from collections.abc import Collection

from bot.clock import Clock
from bot.domain.alias import alias_key
from bot.domain.corrections import Correction, judge_correction
from bot.domain.member import Member
from bot.domain.regions import ONLINE_ONLY, province_by_code, timezone_for
from bot.domain.topics import TOPICS
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


async def change_region(
    members: MemberRepository,
    member: Member,
    region: str,
    *,
    shown: str | None,
    default_timezone: str,
) -> Correction:
    """A new province (its timezone comes along) or :data:`ONLINE_ONLY` (the network's
    timezone), chosen on a screen that showed ``shown`` (``None``: typed, so the current one).

    Raises:
        ValueError: ``region`` is no province code (a forged button).
    """
    province = None if region == ONLINE_ONLY else region
    if province is not None and province_by_code(province) is None:
        raise ValueError("unknown province code")
    stored = member.province or ONLINE_ONLY
    correction = judge_correction(stored, region, stored if shown is None else shown)
    if correction is Correction.SAVE:
        timezone = timezone_for(province, default_timezone)
        await members.set_region(member.id, province, timezone)
    return correction


async def change_topics(
    members: MemberRepository,
    member: Member,
    topics: Collection[str],
    *,
    shown: Collection[str],
) -> Correction:
    """The member's topics become ``topics`` (unknown codes are ignored), chosen on a screen
    that showed ``shown``."""
    chosen = frozenset(topics) & frozenset(TOPICS)
    correction = judge_correction(frozenset(member.topics), chosen, frozenset(shown))
    if correction is Correction.SAVE:
        await members.set_topics(member.id, [topic for topic in TOPICS if topic in chosen])
    return correction


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
