"""The callback context our handlers receive: services, and who is talking in which language.

The person and their translator are resolved once per update (the context object lives for one
update across all handler groups), so the safety, guard and feature handlers agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update
from telegram.ext import Application, CallbackContext, ExtBot

from bot.domain.member import Member
from bot.i18n import Translator, get_translator, pick_language
from bot.services.container import Services

# Key in user_data of someone not (yet) registered: the language they chose in onboarding.
DRAFT_LANGUAGE_KEY = "lang"


@dataclass(frozen=True)
class Session:
    """Who sent this update, as far as the bot knows."""

    member: Member | None
    t: Translator
    is_coordinator: bool
    # Groups the person facilitates (empty for everyone else).
    facilitated_groups: frozenset[int] = frozenset()

    @property
    def is_facilitator(self) -> bool:
        return bool(self.facilitated_groups)

    @property
    def lang(self) -> str:
        return self.t.lang


class RangkulContext(CallbackContext[ExtBot, dict, dict, dict]):
    """PTB's context plus our services and a per-update session."""

    def __init__(
        self,
        application: Application,
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application, chat_id=chat_id, user_id=user_id)
        self._session: Session | None = None

    @property
    def services(self) -> Services:
        return self.application.bot_data["services"]

    async def session(self, update: Update) -> Session:
        """The sender's member row (if registered), translator and role, cached per update."""
        if self._session is None:
            self._session = await self._load_session(update)
        return self._session

    def forget_session(self) -> None:
        """Drops the cached session after the person's profile changed within this update."""
        self._session = None

    async def _load_session(self, update: Update) -> Session:
        services = self.services
        user = update.effective_user
        if user is None:
            return Session(None, get_translator(services.settings.default_language), False)
        member = await services.members.by_telegram_id(user.id)
        if member is not None:
            lang = member.language
        else:
            drafted = (self.user_data or {}).get(DRAFT_LANGUAGE_KEY)
            lang = drafted or pick_language(user.language_code, services.settings.default_language)
        is_coordinator = services.is_admin(user.id) or bool(member and member.is_coordinator)
        facilitated = (
            await services.roles.facilitated_group_ids(member.id) if member else frozenset()
        )
        return Session(member, get_translator(lang), is_coordinator, facilitated)
