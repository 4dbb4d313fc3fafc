"""Full-text search over the resource directory, in Indonesian and English.

Pure domain code. Text is normalised (case, accents, punctuation) and split into tokens; each
token is also reduced to candidate stems (a light Indonesian affix stripper and a light English
suffix stripper), and tokens of four or more letters tolerate typos (Damerau-Levenshtein 1, or 2
from nine letters; four-letter words only a swap of neighbours) through a precomputed deletion
neighbourhood, so a query never scans the whole vocabulary. A query word of four or more letters
that is no word of the directory is completed from the sorted vocabulary ("skizo" ->
"skizofrenia"). A hyphenated word is also indexed written as one ("self-care" -> "selfcare"); a
hyphenated query word is one unit, matched as that compound where the directory has it, else
through all of its parts. Each entry is also found by the names of its province and their
everyday forms ("jogja").

Ranking is BM25 with field weights (title > tags > description > place) and match weights
(exact > stem > prefix > typo), scaled by how many query units an entry matched. Crisis entries
whose title or one of whose tags the query names in full come first: someone searching
"bunuh diri" must see the crisis lines before anything else.

The index is updated in place (:meth:`SearchIndex.upsert`, :meth:`SearchIndex.remove`), so an
entry a coordinator adds or edits is searchable at once. :meth:`SearchIndex.copy` gives an
index to change independently without building it again.
"""

from __future__ import annotations

import bisect
import copy
import heapq
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations

from bot.domain.choices import damerau_levenshtein
from bot.domain.regions import PROVINCE_ALIASES, PROVINCES
from bot.domain.resources import CRISIS, Resource

FIELD_WEIGHTS = {"title": 3.0, "tags": 2.0, "description": 1.0, "place": 1.0}
MATCH_EXACT, MATCH_STEM, MATCH_PREFIX, MATCH_FUZZY = 1.0, 0.7, 0.5, 0.4
K1, B = 1.2, 0.75
QUERY_MAX = 200
PREFIX_MIN = 4
_SHORT_WORD = 4  # the shortest words with typo tolerance, and only for a swap
# A beginning that completes to more words than this says little; the shortest are kept.
PREFIX_MAX = 50

_WORD_RE = re.compile(r"[0-9a-z]+")
_COMPOUND_RE = re.compile(r"[0-9a-z]+(?:-[0-9a-z]+)*")
_VOWELS = frozenset("aeiou")
# Words that carry no meaning for a search; kept short on purpose ("obat" must never be one).
STOPWORDS = frozenset(
    [
        "dan",
        "atau",
        "yang",
        "di",
        "ke",
        "dari",
        "untuk",
        "dengan",
        "ini",
        "itu",
        "ada",
        "aku",
        "saya",
        "kamu",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "for",
        "a",
        "an",
        "is",
        "are",
        "with",
        "on",
        "my",
        "your",
        # Question words: "how to help my son" is about helping and sons.
        "how",
        "what",
        "where",
        "who",
        "can",
        "do",
        "i",
        "me",
        "bagaimana",
        "gimana",
        "apa",
    ]
)


def _fold(text: str) -> str:
    folded = text.casefold()
    if folded.isascii():  # most text: nothing to decompose
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise(text: str) -> str:
    """Casefolded, accents removed (é -> e), punctuation turned into spaces."""
    return " ".join(_WORD_RE.findall(_fold(text)))


@dataclass(frozen=True, slots=True)
class Unit:
    """One query unit: a word, or the parts of a hyphenated word and their joined form."""

    parts: tuple[str, ...]
    joined: str | None = None


def units(text: str) -> list[Unit]:
    """The searchable units of ``text``, in order, without stopwords."""
    found = []
    for token in _COMPOUND_RE.findall(_fold(text)):
        pieces = token.split("-")
        parts = tuple(dict.fromkeys(p for p in pieces if p not in STOPWORDS))
        # A plain reduplication ("anak-anak") is just the word; no joined form.
        joined = "".join(pieces) if len(set(pieces)) > 1 else None
        if parts or joined:
            found.append(Unit(parts, joined))
    return found


def tokenize(text: str) -> list[str]:
    """The searchable words of ``text``, in order, without stopwords."""
    return [word for unit in units(text) for word in unit.parts]


# --- Stemming ------------------------------------------------------------------------------------

_PARTICLES = ("lah", "kah", "tah", "pun")
_POSSESSIVES = ("nya", "ku", "mu")
_DERIVATIONAL = ("kan", "an", "i")
_MIN_ROOT = 3


def stem_indonesian(word: str) -> set[str]:
    """Candidate roots of an Indonesian word (a light Nazief-Adriani-style affix stripper).

    Nasal prefixes are ambiguous (``meng`` + vowel is ``k``-initial in *mengirim* but not in
    *mengobati*), so both readings are kept; a spurious candidate only matters if the directory
    happens to contain it, while a lost reading would miss a real match.
    """
    results: set[str] = set()
    for base in _without_suffixes(word):
        results |= _without_prefixes(base, depth=2)
    results.discard(word)
    return {root for root in results if len(root) >= _MIN_ROOT}


def _without_suffixes(word: str) -> set[str]:
    forms = {word}
    for group in (_PARTICLES, _POSSESSIVES, _DERIVATIONAL):
        for form in list(forms):
            for suffix in group:
                if form.endswith(suffix) and len(form) - len(suffix) >= _MIN_ROOT:
                    forms.add(form[: -len(suffix)])
                    break
    return forms


def _without_prefixes(word: str, depth: int) -> set[str]:
    results = {word}
    if depth == 0:
        return results
    for root in _prefix_readings(word):
        if len(root) >= _MIN_ROOT:
            results |= _without_prefixes(root, depth - 1)
    return results


def _prefix_readings(word: str) -> Iterator[str]:
    """Roots left after one prefix, with the usual nasal-assimilation restorations."""
    for plain in ("di", "ke", "se", "ter", "ber", "be", "per"):
        if word.startswith(plain):
            yield word[len(plain) :]
    for head in ("me", "pe"):
        if not word.startswith(head):
            continue
        rest = word[2:]
        if rest.startswith("ny") and rest[2:3] in _VOWELS:
            yield "s" + rest[2:]  # menyapu -> sapu, penyakit -> sakit
        elif rest.startswith("ng"):
            yield rest[2:]  # mengobati -> obati, pengobatan -> obatan
            if rest[2:3] in _VOWELS:
                yield "k" + rest[2:]  # mengirim -> kirim
        elif rest.startswith("m"):
            yield rest[1:]  # membaca -> baca
            if rest[1:2] in _VOWELS:
                yield "p" + rest[1:]  # memukul -> pukul
        elif rest.startswith("n"):
            yield rest[1:]  # mendengar -> dengar
            if rest[1:2] in _VOWELS:
                yield "t" + rest[1:]  # menulis -> tulis
        else:
            yield rest  # merawat -> rawat, pelatih -> latih


def stem_english(word: str) -> set[str]:
    """Candidate stems of an English word: plural -s/-es/-ies, -ing, -ed."""
    results: set[str] = set()
    if word.endswith("ies") and len(word) > 4:
        results.add(word[:-3] + "y")
    elif word.endswith("es") and len(word) > 4:
        results |= {word[:-2], word[:-1]}
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        results.add(word[:-1])
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_ROOT:
            root = word[: -len(suffix)]
            results |= {root, root + "e"}
            if len(root) > 3 and root[-1] == root[-2]:
                results.add(root[:-1])  # running -> run
    results.discard(word)
    return results


def stems(word: str) -> set[str]:
    """Stem candidates in both languages (a word's language is not known in advance)."""
    return stem_indonesian(word) | stem_english(word)


# --- Typo tolerance ------------------------------------------------------------------------------


def max_typos(word: str) -> int:
    """Edits tolerated for a word of this length: none below 4 letters, 1 below 9, else 2.

    Four-letter words tolerate only a swap of neighbouring letters ("obta"): any other edit of
    a word that short is as likely another word ("care" -> "cara", "self" -> "sell").
    """
    return 0 if len(word) < 4 else 1 if len(word) < 9 else 2


def _is_swap(a: str, b: str) -> bool:
    """Whether ``b`` is ``a`` with two neighbouring letters swapped."""
    diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]]


def deletions(word: str, distance: int) -> set[str]:
    """Every string made by deleting up to ``distance`` letters of ``word``."""
    found = {word}
    for count in range(1, min(distance, len(word) - 1) + 1):
        for positions in combinations(range(len(word)), count):
            found.add("".join(ch for i, ch in enumerate(word) if i not in positions))
    return found


# --- The index -----------------------------------------------------------------------------------


@dataclass
class _Postings:
    """term -> {doc id: field-weighted term frequency}, with document frequencies implied."""

    by_term: dict[str, dict[str, float]] = field(default_factory=lambda: defaultdict(dict))

    def add(self, doc: str, weights: dict[str, float]) -> None:
        for term, weight in weights.items():
            self.by_term[term][doc] = weight

    def copy(self) -> _Postings:
        return _Postings(defaultdict(dict, {term: dict(d) for term, d in self.by_term.items()}))

    def remove(self, doc: str, terms: Iterable[str]) -> None:
        for term in terms:
            docs = self.by_term.get(term)
            if docs is not None:
                docs.pop(doc, None)
                if not docs:
                    del self.by_term[term]


@dataclass(frozen=True)
class _Indexed:
    resource: Resource
    length: float
    words: frozenset[str]
    stem_terms: frozenset[str]
    # Crisis entries only: each tag (and the title) as its words' term sets.
    phrases: tuple[tuple[frozenset[str], ...], ...] = ()


class SearchIndex:
    """An in-memory, incrementally updated index over resources."""

    def __init__(self, resources: Iterable[Resource] = ()) -> None:
        self._docs: dict[str, _Indexed] = {}
        self._words = _Postings()
        self._stems = _Postings()
        self._stem_cache: dict[str, frozenset[str]] = {}
        # deletion variant -> vocabulary words it came from (SymSpell-style candidate index)
        self._variants: dict[str, set[str]] = defaultdict(set)
        self._vocabulary: set[str] = set()
        self._sorted_vocabulary: list[str] = []  # for completing a word's beginning
        # crisis entries' tag and title phrases -> the entries that carry them
        self._phrase_docs: dict[tuple[frozenset[str], ...], set[str]] = defaultdict(set)
        self._total_length = 0.0
        # Set by copy(): the tables above are shared with another index until this one changes.
        self._shared = False
        for resource in resources:
            self.upsert(resource)

    def __len__(self) -> int:
        return len(self._docs)

    def __contains__(self, resource_id: object) -> bool:
        return resource_id in self._docs

    def copy(self) -> SearchIndex:
        """The same index, to change independently of this one. Nothing is copied until one of
        the two changes, and then only its tables, several times faster than building anew."""
        twin = copy.copy(self)
        twin._shared = self._shared = True
        return twin

    def _unshare(self) -> None:
        if not self._shared:
            return
        self._docs = dict(self._docs)
        self._words = self._words.copy()
        self._stems = self._stems.copy()
        # _stem_cache stays shared: stems are a pure function of the word.
        self._variants = defaultdict(set, {v: set(words) for v, words in self._variants.items()})
        self._vocabulary = set(self._vocabulary)
        self._sorted_vocabulary = list(self._sorted_vocabulary)
        self._phrase_docs = defaultdict(set, {p: set(d) for p, d in self._phrase_docs.items()})
        self._shared = False

    def upsert(self, resource: Resource) -> None:
        """Adds the resource, or replaces the entry with the same id."""
        self._unshare()
        self.remove(resource.id)
        word_weights: dict[str, float] = defaultdict(float)
        stem_weights: dict[str, float] = defaultdict(float)
        length = 0.0
        for field_name, texts in _fields(resource):
            weight = FIELD_WEIGHTS[field_name]
            for text in texts:
                for word in _index_words(text):
                    word_weights[word] += weight
                    # The word itself is a stem term too, so "pengobatan" meets "obat".
                    for stem in {word} | self._stems_of(word):
                        stem_weights[stem] += weight
                    length += weight
        self._words.add(resource.id, word_weights)
        self._stems.add(resource.id, stem_weights)
        for word in word_weights:
            self._learn(word)
        phrases = self._phrases(resource) if resource.category == CRISIS else ()
        for phrase in phrases:
            self._phrase_docs[phrase].add(resource.id)
        self._docs[resource.id] = _Indexed(
            resource, length, frozenset(word_weights), frozenset(stem_weights), phrases
        )
        self._total_length += length

    def remove(self, resource_id: str) -> None:
        """Forgets the resource (no-op if unknown)."""
        self._unshare()
        indexed = self._docs.pop(resource_id, None)
        if indexed is None:
            return
        self._words.remove(resource_id, indexed.words)
        self._stems.remove(resource_id, indexed.stem_terms)
        for phrase in indexed.phrases:
            holders = self._phrase_docs[phrase]
            holders.discard(resource_id)
            if not holders:
                del self._phrase_docs[phrase]
        self._total_length -= indexed.length
        # Vocabulary and variants keep stale words; a candidate without postings is skipped.

    def search(
        self,
        query: str,
        *,
        visible: Callable[[Resource], bool] = lambda resource: True,
        limit: int | None = None,
    ) -> list[Resource]:
        """Matching resources, best first, among those ``visible`` accepts."""
        query_units = list(dict.fromkeys(units(query[:QUERY_MAX])))
        if not query_units or not self._docs:
            return []
        scores: dict[str, float] = defaultdict(float)
        matched: dict[str, int] = defaultdict(int)
        for unit in query_units:
            for doc, score in self._score_unit(unit).items():
                scores[doc] += score
                matched[doc] += 1
        distinct = len(query_units)
        docs = self._docs
        first = self._named_crisis_entries(query_units)
        scored = (
            (score * (matched[doc] / distinct) ** 2, doc)
            for doc, score in scores.items()
            if visible(docs[doc].resource)
        )

        def order(pair: tuple[float, str]) -> tuple[bool, float, str]:
            return pair[1] not in first, -pair[0], docs[pair[1]].resource.title.en

        # A page needs only the best few: a partial selection instead of sorting every match.
        ranked = (
            sorted(scored, key=order) if limit is None else heapq.nsmallest(limit, scored, order)
        )
        return [docs[doc].resource for _, doc in ranked]

    # -- scoring --

    def _score_unit(self, unit: Unit) -> dict[str, float]:
        """A hyphenated unit scores as the compound where the directory has it, else through
        all of its parts together ("self-care" never reaches "day care" through "care")."""
        if unit.joined is not None:
            compound = self._score_word(unit.joined)
            if compound or not unit.parts:
                return compound
        if len(unit.parts) == 1:
            return self._score_word(unit.parts[0])
        per_part = [self._score_word(part) for part in unit.parts]
        common = set(per_part[0]).intersection(*per_part[1:])
        return {doc: sum(scores[doc] for scores in per_part) for doc in common}

    def _score_word(self, word: str) -> dict[str, float]:
        """Best score per document for one query word over its exact, stem, prefix and typo
        matches.

        The word's idf counts every document it reaches by any kind of match, so the match
        kind alone decides between an exact, a stemmed, a completed and a misspelt occurrence.
        """
        best: dict[str, float] = {}
        docs, get_best = self._docs, best.get
        # BM25 saturation, inlined: this loop runs once per posting and dominates a query.
        average = self._total_length / len(docs) or 1.0
        k1_plus_1, k1_b, k1_1_minus_b = K1 + 1, K1 * B / average, K1 * (1 - B)

        def consider(postings: dict[str, float], factor: float) -> None:
            for doc, weight in postings.items():
                norm = k1_1_minus_b + k1_b * docs[doc].length
                score = factor * weight * k1_plus_1 / (weight + norm)
                if score > get_best(doc, 0.0):
                    best[doc] = score

        exact = self._words.by_term.get(word)
        if exact:
            consider(exact, MATCH_EXACT)
        for stem in {word} | self._stems_of(word):
            postings = self._stems.by_term.get(stem)
            if postings:
                consider(postings, MATCH_STEM)
        if not exact:
            for completion in self._completions(word):
                postings = self._words.by_term.get(completion)
                if postings:
                    consider(postings, MATCH_PREFIX)
        for candidate, distance in self._typo_candidates(word):
            postings = self._words.by_term.get(candidate)
            if postings:
                consider(postings, MATCH_FUZZY / distance)
        idf = self._idf(len(best))
        return {doc: idf * score for doc, score in best.items()}

    def _idf(self, document_frequency: int) -> float:
        count = len(self._docs)
        return math.log(1 + (count - document_frequency + 0.5) / (document_frequency + 0.5))

    def _typo_candidates(self, word: str) -> Iterator[tuple[str, int]]:
        limit = max_typos(word)
        if limit == 0:
            return
        candidates: set[str] = set()
        for variant in deletions(word, limit):
            candidates |= self._variants.get(variant, set())
        short = len(word) == _SHORT_WORD
        for candidate in candidates:
            if candidate == word:
                continue
            if short and (len(candidate) != len(word) or not _is_swap(word, candidate)):
                continue
            distance = damerau_levenshtein(word, candidate, limit)
            if distance <= limit:
                yield candidate, distance

    def _completions(self, beginning: str) -> list[str]:
        """Vocabulary words that start with ``beginning`` (at most PREFIX_MAX, shortest first)."""
        if len(beginning) < PREFIX_MIN:
            return []
        words = self._sorted_vocabulary
        start = bisect.bisect_right(words, beginning)
        end = bisect.bisect_left(words, beginning + "\uffff", start)
        if end - start > PREFIX_MAX:
            return heapq.nsmallest(PREFIX_MAX, words[start:end], key=len)
        return words[start:end]

    # -- crisis entries first --

    def _named_crisis_entries(self, query_units: list[Unit]) -> set[str]:
        """Crisis entries with a tag or title all of whose words the query names."""
        if not self._phrase_docs:
            return set()
        named = self._named_terms(query_units)
        first: set[str] = set()
        # Crisis entries share most phrases, so this loop is short however many there are.
        for phrase, holders in self._phrase_docs.items():
            if all(terms & named for terms in phrase):
                first |= holders
        return first

    def _named_terms(self, query_units: list[Unit]) -> set[str]:
        """Every term the query's words reach exactly, by stem or by a typo (not by prefix)."""
        named: set[str] = set()
        for unit in query_units:
            words = list(unit.parts) + ([unit.joined] if unit.joined else [])
            for word in words:
                named |= {word} | self._stems_of(word)
                named.update(candidate for candidate, _ in self._typo_candidates(word))
        return named

    def _phrases(self, resource: Resource) -> tuple[tuple[frozenset[str], ...], ...]:
        texts = (resource.title.id, resource.title.en, *resource.tags)
        phrases = (
            tuple(frozenset({word} | self._stems_of(word)) for word in tokenize(text))
            for text in texts
        )
        return tuple(phrase for phrase in phrases if phrase)

    # -- vocabulary --

    def _learn(self, word: str) -> None:
        if word in self._vocabulary or max_typos(word) == 0:
            return
        self._vocabulary.add(word)
        bisect.insort(self._sorted_vocabulary, word)
        # Words from seven letters keep two deletions so a long (two-typo) query still meets them.
        for variant in deletions(word, 2 if len(word) >= 7 else 1):
            self._variants[variant].add(word)

    def _stems_of(self, word: str) -> frozenset[str]:
        cached = self._stem_cache.get(word)
        if cached is None:
            cached = self._stem_cache[word] = frozenset(stems(word))
        return cached


def _index_words(text: str) -> Iterator[str]:
    """A text's words, plus each hyphenated word written as one ("self-care" -> "selfcare")."""
    for token in _COMPOUND_RE.findall(_fold(text)):
        if "-" not in token:  # the common case, kept fast: indexing runs this for every word
            if token not in STOPWORDS:
                yield token
            continue
        pieces = token.split("-")
        yield from (piece for piece in pieces if piece not in STOPWORDS)
        if len(set(pieces)) > 1:
            yield "".join(pieces)


# Each province's searchable names, every word once: official names, code, everyday names.
_PLACE_TEXT: dict[str, str] = {
    p.code: " ".join(
        dict.fromkeys(
            tokenize(" ".join((p.name_id, p.name_en, p.code, *PROVINCE_ALIASES.get(p.code, ()))))
        )
    )
    for p in PROVINCES
}


def _fields(resource: Resource) -> Iterator[tuple[str, Collection[str]]]:
    yield "title", (resource.title.id, resource.title.en)
    yield "tags", resource.tags
    yield "description", (resource.description.id, resource.description.en)
    place = _PLACE_TEXT.get(resource.province)
    yield "place", (place,) if place else ()
