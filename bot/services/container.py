"""The long-lived collaborators every handler needs, built once by the composition root."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from bot.clock import Clock
from bot.config import Settings
from bot.domain.contacts import CrisisContact
from bot.storage.database import Database
from bot.storage.members import MemberRepository
from bot.storage.roles import RoleRepository


@dataclass
class Services:
    settings: Settings
    clock: Clock
    db: Database
    members: MemberRepository
    roles: RoleRepository
    contacts: tuple[CrisisContact, ...]
    # The privacy notice a person agreed to is recorded with its version; raising this number
    # makes everyone confirm the new notice before going on (proof of consent).
    notice_version: int = 1
    rng: random.Random = field(default_factory=random.Random)

    def is_admin(self, telegram_id: int) -> bool:
        return telegram_id in self.settings.admin_ids
