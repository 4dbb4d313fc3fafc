"""The sandbox's demo people: clearly fake personas and the rows that make some of them members.

Every name says "demo", every Telegram id is in a range no real account is expected to use, and
nothing here is meant for a real database. Later features add their demo data (groups,
meetings, check-ins) to load_demo_data.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.domain.alias import alias_key
from bot.domain.member import AliasTaken, MemberExists, NewMember
from bot.domain.regions import WIB, province_by_code
from bot.storage.database import Database
from bot.storage.members import MemberRepository

# The notice version the sandbox's bot runs with (build_application's default).
DEMO_NOTICE_VERSION = 1


@dataclass(frozen=True, slots=True)
class Persona:
    """Someone the sandbox user can "be": one Telegram account in the emulator."""

    user_id: int
    first_name: str  # the Telegram profile name, never shown to other members
    # "coordinator", "facilitator", "member" or "visitor". Only the coordinator is a real role
    # today (through ADMIN_IDS); facilitator roles do not exist in the schema yet, so for now
    # this is the label the persona switcher shows and facilitators are stored as members.
    role: str
    language: str
    alias: str | None = None  # None: a visitor, not registered
    province: str | None = None
    topics: tuple[str, ...] = ()

    @property
    def timezone(self) -> str:
        province = province_by_code(self.province) if self.province else None
        return province.timezone if province else WIB


PERSONAS: tuple[Persona, ...] = (
    Persona(
        user_id=9_900_001,
        first_name="Koordinator (demo)",
        role="coordinator",
        language="id",
        alias="Demo Koordinator",
        province="jkt",
        topics=("depression", "anxiety"),
    ),
    Persona(
        user_id=9_900_002,
        first_name="Fasilitator Sari (demo)",
        role="facilitator",
        language="id",
        alias="Demo Fasilitator Sari",
        province="sulsel",  # Makassar time (WITA)
        topics=("bipolar",),
    ),
    Persona(
        user_id=9_900_003,
        first_name="Facilitator Tom (demo)",
        role="facilitator",
        language="en",
        alias="Demo Facilitator Tom",
        province="bali",
        topics=("trauma",),
    ),
    Persona(
        user_id=9_900_004,
        first_name="Anggota Melati (demo)",
        role="member",
        language="id",
        alias="Demo Anggota Melati",
        province="sulsel",
        topics=("anxiety",),
    ),
    Persona(
        user_id=9_900_005,
        first_name="Member River (demo)",
        role="member",
        language="en",
        alias="Demo Member River",
        province="papua",  # Jayapura time (WIT)
        topics=("depression", "caregivers"),
    ),
    Persona(
        user_id=9_900_006,
        first_name="Anggota Bayu (demo)",
        role="member",
        language="id",
        alias="Demo Anggota Bayu",
        province=None,  # online meetings only
        topics=("addiction",),
    ),
    Persona(user_id=9_900_007, first_name="Pengunjung Baru (demo)", role="visitor", language="id"),
    Persona(user_id=9_900_008, first_name="New Visitor (demo)", role="visitor", language="en"),
)


def coordinator_ids(personas: tuple[Persona, ...] = PERSONAS) -> frozenset[int]:
    """The Telegram ids that go into Settings.admin_ids."""
    return frozenset(p.user_id for p in personas if p.role == "coordinator")


async def load_demo_data(db: Database, clock: Clock) -> None:
    """Registers every persona that has an alias; a second run on the same database is a no-op."""
    members = MemberRepository(db)
    now = clock.now()
    for persona in PERSONAS:
        if persona.alias is None:
            continue
        new = NewMember(
            telegram_id=persona.user_id,
            alias=persona.alias,
            alias_key=alias_key(persona.alias),
            language=persona.language,
            timezone=persona.timezone,
            province=persona.province,
            topics=persona.topics,
            # Consent as given by a made-up person on the day the sandbox started.
            consent_version=DEMO_NOTICE_VERSION,
            consent_at=now,
            adult_confirmed_at=now,
            created_at=now,
        )
        try:
            await members.create(new)
        except (MemberExists, AliasTaken):
            continue  # a --database reused from an earlier run already has them
