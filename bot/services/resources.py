"""Use cases of the resource directory: browse, search, and the coordinators' add/edit/retire.

The active entries and their search index live in memory (a few thousand entries at most), so
browsing and searching never touch the database; every change is written first and then applied
to the index, so it is searchable at once. Who may see facilitator-only entries is decided by the
caller at the moment of use (``privileged``), never stored.
"""

from __future__ import annotations

import enum
import functools
import logging
import secrets
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

from bot.clock import Clock
from bot.domain.contacts import NATIONAL, Localized
from bot.domain.regions import PROVINCES
from bot.domain.resources import CATEGORIES, Resource, new_resource_id
from bot.domain.search import QUERY_MAX, SearchIndex, tokenize
from bot.storage.resources import ResourceRepository, SeedReport

log = logging.getLogger(__name__)

# How many typed queries the result-paging buttons remember (in memory only: a query is never
# stored, and after a restart an old "next page" button just asks to search again).
_REMEMBERED_QUERIES = 500
_PROVINCE_ORDER = {province.code: index for index, province in enumerate(PROVINCES)}


class Scope(enum.StrEnum):
    """Which entries of a category to list, relative to the person's province."""

    MINE = "m"  # the person's province, then national entries
    NATIONAL = "n"
    ALL = "a"  # every province: the person's first, then national, then the rest


class QueryProblem(enum.Enum):
    EMPTY = "empty"
    TOO_LONG = "too_long"


@dataclass(frozen=True, slots=True)
class Draft:
    """A coordinator's new entry, every field already validated."""

    category: str
    title_id: str
    title_en: str
    description_id: str
    description_en: str
    province: str
    tags: tuple[str, ...]
    url: str | None = None
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class SearchOutcome:
    """A typed query's answer: why it could not be searched, or the hits and their paging key."""

    problem: QueryProblem | None = None
    hits: tuple[Resource, ...] = ()
    key: str | None = None


@functools.lru_cache(maxsize=4)
def _built_index(entries: tuple[Resource, ...]) -> SearchIndex:
    """Built once per process for the same entries: a bot restarted in the same process (the
    tests, the sandbox) loads the same directory again. Callers change only copies."""
    return SearchIndex(entries)


def query_problem(text: str | None) -> QueryProblem | None:
    """Why a typed query cannot be searched (``None`` if it can)."""
    if text is None or not tokenize(text):
        return QueryProblem.EMPTY
    if len(text) > QUERY_MAX:
        return QueryProblem.TOO_LONG
    return None


class ResourceService:
    def __init__(self, repository: ResourceRepository, clock: Clock) -> None:
        self._repository = repository
        self._clock = clock
        self._entries: dict[str, Resource] = {}
        self._index = SearchIndex()
        self._queries: OrderedDict[str, str] = OrderedDict()

    async def start(self, seed: Iterable[Resource]) -> SeedReport:
        """Imports the data file, then loads every active entry into memory."""
        report = await self._repository.seed(seed, self._clock.now())
        if report.kept_bot_edits:
            # Ids only: they are the directory's own slugs, nothing about a person.
            log.warning(
                "resource seed: %d entries edited in the bot were kept: %s",
                len(report.kept_bot_edits),
                ", ".join(report.kept_bot_edits),
            )
        log.info(
            "resource seed: %d new, %d updated, %d unchanged, %d retired",
            report.inserted,
            report.updated,
            report.unchanged,
            report.retired,
        )
        await self.reload()
        return report

    async def reload(self) -> None:
        entries = await self._repository.active()
        self._entries = {entry.id: entry for entry in entries}
        self._index = _built_index(tuple(entries)).copy()

    # -- reading --

    def get(self, resource_id: str, *, privileged: bool) -> Resource | None:
        entry = self._entries.get(resource_id)
        return entry if entry is not None and entry.visible_to(privileged=privileged) else None

    def categories(self, *, privileged: bool) -> list[str]:
        """Categories with at least one entry this person may see, in display order."""
        present = {
            e.category for e in self._entries.values() if e.visible_to(privileged=privileged)
        }
        return [category for category in CATEGORIES if category in present]

    def has_provincial(self, category: str) -> bool:
        return any(e.category == category and not e.is_national for e in self._entries.values())

    def browse(
        self, category: str, scope: Scope, province: str | None, *, privileged: bool
    ) -> list[Resource]:
        """A category's entries for ``scope``; own province first, then national, then others."""
        entries = [
            e
            for e in self._entries.values()
            if e.category == category and e.visible_to(privileged=privileged)
        ]
        if scope is Scope.NATIONAL or (scope is Scope.MINE and province is None):
            entries = [e for e in entries if e.is_national]
        elif scope is Scope.MINE:
            entries = [e for e in entries if e.province in (province, NATIONAL)]

        def order(entry: Resource) -> tuple[int, int, str]:
            rank = 0 if entry.province == province else 1 if entry.is_national else 2
            return rank, _PROVINCE_ORDER.get(entry.province, -1), entry.title.en.casefold()

        return sorted(entries, key=order)

    def search(self, query: str, *, privileged: bool) -> list[Resource]:
        """Entries matching ``query``, best first; facilitator guides only for the privileged."""
        return self._index.search(
            query, visible=lambda entry: entry.visible_to(privileged=privileged)
        )

    def find(self, query: str | None, *, privileged: bool) -> SearchOutcome:
        """Validates and runs a typed query, remembering it for the paging buttons."""
        problem = query_problem(query)
        if problem is not None or query is None:
            return SearchOutcome(problem=problem)
        hits = tuple(self.search(query, privileged=privileged))
        return SearchOutcome(hits=hits, key=self.remember_query(query) if hits else None)

    def remember_query(self, query: str) -> str:
        """A short key for paging through this query's results (memory only)."""
        key = secrets.token_hex(4)
        self._queries[key] = query
        while len(self._queries) > _REMEMBERED_QUERIES:
            self._queries.popitem(last=False)
        return key

    def remembered_query(self, key: str) -> str | None:
        return self._queries.get(key)

    # -- coordinators' changes (the caller has checked the role just now) --

    async def add(self, draft: Draft) -> Resource:
        now = self._clock.now()
        # Retired entries keep their ids, so an old link or button never shows a new entry.
        taken = await self._repository.all_ids()
        entry = Resource(
            id=new_resource_id(draft.title_en, taken.__contains__),
            category=draft.category,
            title=Localized(id=draft.title_id, en=draft.title_en),
            description=Localized(id=draft.description_id, en=draft.description_en),
            province=draft.province,
            tags=draft.tags,
            source=(draft.url,) if draft.url else (),
            checked=now.date(),
            url=draft.url,
            phone=draft.phone,
        )
        await self._repository.add(entry, now)
        self._apply(entry)
        return entry

    async def replace(self, entry: Resource) -> bool:
        """Saves an edited entry; False if it was retired meanwhile."""
        if not await self._repository.replace(entry, self._clock.now()):
            return False
        self._apply(entry)
        return True

    async def retire(self, resource_id: str) -> bool:
        retired = await self._repository.retire(resource_id, self._clock.now())
        self._entries.pop(resource_id, None)
        self._index.remove(resource_id)
        return retired

    def _apply(self, entry: Resource) -> None:
        self._entries[entry.id] = entry
        self._index.upsert(entry)
