"""Use cases of joining Rangkul: checking an alias and registering a person who consented."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock
from bot.domain.alias import AliasProblem, alias_key, check_alias, normalize_alias
from bot.domain.member import AliasTaken, Member, NewMember
from bot.domain.regions import province_by_code, timezone_for
from bot.domain.topics import TOPICS
from bot.storage.members import MemberRepository


@dataclass(frozen=True)
class AliasVerdict:
    """An accepted alias, or why it was refused (``taken`` when another person uses it)."""

    alias: str
    problem: AliasProblem | None = None
    taken: bool = False

    @property
    def accepted(self) -> bool:
        return self.problem is None and not self.taken


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


@dataclass(frozen=True)
class Registration:
    """Everything onboarding gathered, ready to be stored once the person finishes."""

    telegram_id: int
    alias: str
    language: str
    province: str | None
    topics: tuple[str, ...]
    notice_version: int
    consent_at: datetime
    adult_confirmed_at: datetime


async def register(
    members: MemberRepository,
    clock: Clock,
    registration: Registration,
    default_timezone: str,
) -> Member:
    """Stores a new member with their consent record; raises AliasTaken if the alias went."""
    if registration.province is not None and province_by_code(registration.province) is None:
        raise ValueError("unknown province code")
    topics = tuple(topic for topic in TOPICS if topic in registration.topics)
    return await members.create(
        NewMember(
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
    )


__all__ = ["AliasTaken", "AliasVerdict", "Registration", "judge_alias", "register"]
