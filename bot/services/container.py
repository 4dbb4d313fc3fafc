"""The long-lived collaborators every handler needs, built once by the composition root.

Handlers unpack what a use case needs from it (``meetings.rsvp(s.meetings, s.groups,
s.outbox, s.clock, …)``); use cases never take the container itself.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from bot.clock import Clock
from bot.config import Settings
from bot.domain.contacts import CrisisContact
from bot.domain.directory import ResourceDirectory
from bot.domain.retention import RetentionRule, configured
from bot.services.privacy import MemberExport
from bot.storage.broadcasts import BroadcastRepository
from bot.storage.buddies import BuddyRepository
from bot.storage.checkins import CheckinRepository
from bot.storage.command_menus import CommandMenuRepository
from bot.storage.database import Database
from bot.storage.feedback import FeedbackRepository
from bot.storage.group_chats import GroupChatRepository
from bot.storage.groups import GroupRepository
from bot.storage.impact import ImpactRepository
from bot.storage.meetings import MeetingRepository
from bot.storage.members import MemberRepository
from bot.storage.moderation import ModerationRepository
from bot.storage.moods import MoodRepository
from bot.storage.outbox import OutboxRepository
from bot.storage.questionnaires import QuestionnaireRepository
from bot.storage.questions import QuestionRepository
from bot.storage.resources import ResourceRepository
from bot.storage.roles import RoleRepository
from bot.storage.safety import SafetyRepository
from bot.storage.time_polls import TimePollRepository

# The privacy notice a person agreed to is recorded with its version; raising this number makes
# everyone confirm the new notice before going on (proof of consent). 2: the notice names every
# kind of data, who sees it, how long it is kept, the contact and every right.
# 3: moods, check-ins, meeting feedback, questions, buddies and reports.
# 4: meeting notices people ask for, and the Telegram group chats facilitators link.
NOTICE_VERSION = 4


@dataclass
class Services:
    settings: Settings
    clock: Clock
    db: Database
    contacts: tuple[CrisisContact, ...]
    notice_version: int = NOTICE_VERSION
    rng: random.Random = field(default_factory=random.Random)
    # Repositories are derived from db: one connection, one place that builds them.
    members: MemberRepository = field(init=False)
    roles: RoleRepository = field(init=False)
    outbox: OutboxRepository = field(init=False)
    meetings: MeetingRepository = field(init=False)
    time_polls: TimePollRepository = field(init=False)
    groups: GroupRepository = field(init=False)
    safety: SafetyRepository = field(init=False)
    resource_store: ResourceRepository = field(init=False)
    command_menus: CommandMenuRepository = field(init=False)
    questionnaires: QuestionnaireRepository = field(init=False)
    feedback: FeedbackRepository = field(init=False)
    impact: ImpactRepository = field(init=False)
    moods: MoodRepository = field(init=False)
    checkins: CheckinRepository = field(init=False)
    questions: QuestionRepository = field(init=False)
    buddies: BuddyRepository = field(init=False)
    moderation: ModerationRepository = field(init=False)
    broadcasts: BroadcastRepository = field(init=False)
    group_chats: GroupChatRepository = field(init=False)
    # The resource directory in memory, loaded at start (bot.services.resources).
    resources: ResourceDirectory = field(init=False)
    # The retention rules in force: RETENTION with the network's periods for moods and
    # check-in answers; the purge applies them and the privacy notice states them.
    retention: tuple[RetentionRule, ...] = field(init=False)

    def __post_init__(self) -> None:
        self.members = MemberRepository(self.db)
        self.roles = RoleRepository(self.db)
        self.outbox = OutboxRepository(self.db)
        self.meetings = MeetingRepository(self.db)
        self.time_polls = TimePollRepository(self.db)
        self.groups = GroupRepository(self.db)
        self.safety = SafetyRepository(self.db)
        self.resource_store = ResourceRepository(self.db)
        self.command_menus = CommandMenuRepository(self.db)
        self.questionnaires = QuestionnaireRepository(self.db)
        self.feedback = FeedbackRepository(self.db)
        self.impact = ImpactRepository(self.db)
        self.moods = MoodRepository(self.db)
        self.checkins = CheckinRepository(self.db)
        self.questions = QuestionRepository(self.db)
        self.buddies = BuddyRepository(self.db)
        self.moderation = ModerationRepository(self.db)
        self.broadcasts = BroadcastRepository(self.db)
        self.group_chats = GroupChatRepository(self.db)
        self.resources = ResourceDirectory()
        self.retention = configured(
            keep_moods=self.settings.keep_moods,
            keep_checkin_answers=self.settings.keep_checkin_answers,
        )

    def exports(self) -> tuple[MemberExport, ...]:
        """Every repository with rows about members beside their profile: /mydata's parts."""
        return (
            self.groups,
            self.meetings,
            self.time_polls,
            self.safety,
            self.outbox,
            self.questionnaires,
            self.feedback,
            self.moods,
            self.checkins,
            self.questions,
            self.buddies,
            self.moderation,
            self.broadcasts,
            self.group_chats,
        )

    def is_admin(self, telegram_id: int) -> bool:
        return telegram_id in self.settings.admin_ids
