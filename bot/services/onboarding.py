"""Use cases of joining Rangkul: checking an alias and registering a person who consented."""

from __future__ import annotations

from bot.clock import Clock
from bot.domain.alias import AliasVerdict, alias_key, check_alias, normalize_alias
from bot.domain.member import Member, NewMember, Registration
from bot.domain.regions import province_by_code, timezone_for
from bot.domain.topics import TOPICS
from bot.storage.members import MemberRepository


async def judge_alias(
    members: MemberRepository, raw: str, *, member_id: int | None = None
) -> AliasVerdict:
    """Validates an alias a person typed and checks that nobody else uses it."""
    alias = normalize_alias(raw)
    problem = check_alias(alias)
    if problem is not None:
        return AliasVerdict(alias, problem=problem)
    if await members.alias_taken(alias_key(alias), except_member_id=member_id):
        return AliasVerdict(alias, taken=True)
    return AliasVerdict(alias)


async def register(
    members: MemberRepository,
    clock: Clock,
    registration: Registration,
    default_timezone: str,
) -> Member:
    """Stores a new member with their consent record, and counts where they came from, in one
    transaction; raises AliasTaken if the alias went."""
    if registration.province is not None and province_by_code(registration.province) is None:
        raise ValueError("unknown province code")
    topics = tuple(topic for topic in TOPICS if topic in registration.topics)
    new = NewMember(
        telegram_id=registration.telegram_id,
        alias=registration.alias,
        alias_key=alias_key(registration.alias),
        language=registration.language,
        timezone=timezone_for(registration.province, default_timezone),
        province=registration.province,
        topics=topics,
        consent_version=registration.notice_version,
        consent_at=registration.consent_at,
        adult_confirmed_at=registration.adult_confirmed_at,
        created_at=clock.now(),
    )
    async with members.transaction() as tx:
        member = await members.create(new, tx=tx)
        if registration.referral is not None:
            await members.count_referral(registration.referral, tx=tx)
    return member


async def drop_finished_onboarding(members: MemberRepository, conversation: str) -> int:
    """Start-up step: saved onboarding states of people who are members by now (a crash between
    registering and saving the conversation leaves them behind); returns how many went."""
    return await members.drop_conversations_of_members(conversation)
