"""The callback context our handlers receive: services, and who is talking in which language.

The person and their translator are resolved once per update (the context object lives for one
update across all handler groups), so the safety, guard and feature handlers agree.

Between updates, who someone is (their member row and the groups they facilitate) is kept in a
:class:`SessionCache` for as long as the database has not changed at all: any commit that
writes something, anywhere, empties it (a transaction that writes nothing keeps it). Reading
it cost every update two trips to the database thread; with the cache, a run of commands that
change nothing (/help, /menu, browsing) costs none.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from telegram import Update
from telegram.ext import Application, CallbackContext, ExtBot

from bot.domain.lexicon_text import ScreenedText
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


@dataclass
class SessionCache:
    """Telegram id -> (member, facilitated groups), valid for one ``Database.version``."""

    limit: int = 10_000  # people; beyond it the cache starts afresh (a few MB at most)
    _version: int | None = None
    _entries: dict[int, tuple[Member | None, frozenset[int]]] = field(default_factory=dict)

    async def who(
        self, services: Services, telegram_id: int
    ) -> tuple[Member | None, frozenset[int]]:
        """The person's member row (None: not registered) and the groups they facilitate."""
        db = services.db
        version = db.version
        if version is None:
            # A transaction is running: a read may see its uncommitted rows, so it is neither
            # kept nor answered from memory (the running transaction may be this update's own).
            # What is kept stays: a commit changes the version, and then it goes. (Clearing
            # here made every empty outbox pass cost everyone their next update's reads.)
            return await self._read(services, telegram_id)
        if version != self._version:
            # Something was written: nothing kept may be current, and nothing of someone who
            # has just been forgotten stays in memory.
            self._entries.clear()
            self._version = version
        elif (kept := self._entries.get(telegram_id)) is not None:
            return kept
        member, facilitated = await self._read(services, telegram_id)
        if db.version == version:  # nothing changed while reading
            if len(self._entries) >= self.limit:
                self._entries.clear()
            self._entries[telegram_id] = (member, facilitated)
        return member, facilitated

    @staticmethod
    async def _read(services: Services, telegram_id: int) -> tuple[Member | None, frozenset[int]]:
        member = await services.members.by_telegram_id(telegram_id)
        facilitated = (
            await services.roles.facilitated_group_ids(member.id) if member else frozenset()
        )
        return member, facilitated


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
        self._screened: ScreenedText | None = None

    @property
    def services(self) -> Services:
        return self.application.bot_data["services"]

    async def session(self, update: Update) -> Session:
        """The sender's member row (if registered), translator and role, cached per update."""
        if self._session is None:
            self._session = await self._load_session(update)
        return self._session

    def screened(self, text: str) -> ScreenedText:
        """``text`` as screening reads it, read once per update: crisis detection (the safety
        group) and distress detection (later) share the normalised forms and model features.
        Kept only as long as this context, i.e. this update."""
        if self._screened is None or self._screened.text != text:
            self._screened = ScreenedText(text)
        return self._screened

    def forget_session(self) -> None:
        """Drops the cached session after the person's profile changed within this update."""
        self._session = None

    async def _load_session(self, update: Update) -> Session:
        services = self.services
        user = update.effective_user
        if user is None:
            return Session(None, get_translator(services.settings.default_language), False)
        sessions: SessionCache = self.application.bot_data.setdefault("sessions", SessionCache())
        member, facilitated = await sessions.who(services, user.id)
        if member is not None:
            lang = member.language
        else:
            drafted = (self.user_data or {}).get(DRAFT_LANGUAGE_KEY)
            lang = drafted or pick_language(user.language_code, services.settings.default_language)
        is_coordinator = services.is_admin(user.id) or bool(member and member.is_coordinator)
        return Session(member, get_translator(lang), is_coordinator, facilitated)
