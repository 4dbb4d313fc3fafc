"""The resource directory as people browse and search it: the active entries and their search
index, kept in memory (a few thousand entries at most), so browsing and searching never touch
the database (pure: no I/O).

bot.services.resources loads it at start and applies every coordinator's change right after
writing it, so a change is searchable at once. Who may see facilitator-only entries is decided
by the caller at the moment of use (``privileged``), never stored.
"""

from __future__ import annotations

import enum
import functools
import secrets
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from bot.domain.contacts import NATIONAL, Localized
from bot.domain.regions import PROVINCES
from bot.domain.resources import CATEGORIES, Resource, new_resource_id
from bot.domain.search import QUERY_MAX, SearchIndex, tokenize

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

    def entry(self, taken: frozenset[str], today: date) -> Resource:
        """The entry, with an id never used before: retired entries keep their ids, so an old
        link or button never shows a new entry."""
        return Resource(
            id=new_resource_id(self.title_en, taken.__contains__),
            category=self.category,
            title=Localized(id=self.title_id, en=self.title_en),
            description=Localized(id=self.description_id, en=self.description_en),
            province=self.province,
            tags=self.tags,
            source=(self.url,) if self.url else (),
            checked=today,
            url=self.url,
            phone=self.phone,
        )


@dataclass(frozen=True, slots=True)
class SearchOutcome:
    """A typed query's answer: why it could not be searched, or the hits and their paging key."""

    problem: QueryProblem | None = None
    hits: tuple[Resource, ...] = ()
    key: str | None = None


def query_problem(text: str | None) -> QueryProblem | None:
    """Why a typed query cannot be searched (``None`` if it can)."""
    if text is None or not tokenize(text):
        return QueryProblem.EMPTY
    if len(text) > QUERY_MAX:
        return QueryProblem.TOO_LONG
    return None


@functools.lru_cache(maxsize=4)
def _built_index(entries: tuple[Resource, ...]) -> SearchIndex:
    """Built once per process for the same entries: a bot restarted in the same process (the
    tests, the sandbox) loads the same directory again. Directories change only copies."""
    return SearchIndex(entries)


class ResourceDirectory:
    def __init__(self) -> None:
        self._entries: dict[str, Resource] = {}
        self._index = SearchIndex()
        self._queries: OrderedDict[str, str] = OrderedDict()

    def load(self, entries: Iterable[Resource]) -> None:
        """Replaces everything with these active entries."""
        active = tuple(entries)
        self._entries = {entry.id: entry for entry in active}
        self._index = _built_index(active).copy()

    def apply(self, entry: Resource) -> None:
        """An entry added or edited (already stored)."""
        self._entries[entry.id] = entry
        self._index.upsert(entry)

    def remove(self, resource_id: str) -> None:
        """An entry retired (already stored)."""
        self._entries.pop(resource_id, None)
        self._index.remove(resource_id)

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
