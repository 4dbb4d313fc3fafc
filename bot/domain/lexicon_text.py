"""Text as the screening lexicons and models read it, shared by crisis and distress detection.

A message is normalised (:func:`normalise`), the lexicon's guard idioms are blanked out
(:func:`blank_guards`), and what is left is matched against patterns compiled by
:func:`compile_patterns` and, when none fires, split into the pieces a model reads
(:func:`model_segments`); :class:`ScreenedText` makes each reading of one message once for
every tier that screens it. One module, so both tiers read every message the same way and a
change to the reading cannot reach one tier and not the other. Pure, no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from bot.domain.text_model import FeatureSpec, TextModel, features, long_enough

_MACRO = re.compile(r"<([a-z_]+)>")
# A space between two letters in a pattern is optional ("bunuh diri" ~ "bunuhdiri"); spaces
# next to regex syntax stay literal so "(?:\S+ )" keeps meaning "one whole word".
_SOFT_SPACE = re.compile(r"(?<=[a-z]) (?=[a-z])")
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
_LEET_WORD = re.compile(r"\b(?=[\w@$]*[a-z])(?=[\w@$]*[0134579@$])[\w@$]+")
_LEET_CHARS = re.compile(r"[0134579@$]")
_REDUPLICATION = re.compile(r"\b([a-z]{2,})2(an|nya|kan|in|i)?\b")
_MASKED = re.compile(r"[\w*]*\*[\w*]*")
_NOT_WORD = re.compile(r"[^\w]+")
_RUN3 = re.compile(r"([a-z])\1{2,}")


def normalise(text: str, unmask_words: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The forms of ``text`` patterns are matched against (see the crisis lexicon's header):
    accents and case dropped, masked words restored from ``unmask_words``, digits inside words
    read as letters, "2" reduplication expanded, punctuation to spaces, long letter runs
    squeezed."""
    return _forms(_folded(text), unmask_words)


# Each step of normalising is skipped when its input cannot change it (ASCII has nothing to
# decompose, no "*" no mask, no digit or @/$ no leetspeak, no "2" no reduplication): the same
# forms, without the cost on the plain messages most people send.


def _folded(text: str) -> str:
    """Accents, case and apostrophes dropped: the first step, the same for every lexicon."""
    if text.isascii():
        plain = text.casefold()
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return plain.replace("'", "").replace("\u2019", "")


def _forms(plain: str, unmask_words: tuple[str, ...]) -> tuple[str, ...]:
    """The rest of :func:`normalise`, from :func:`_folded` text."""
    if "*" in plain:
        plain = _MASKED.sub(lambda m: _unmask(m.group(0), unmask_words), plain)
    if _LEET_CHARS.search(plain):
        plain = _LEET_WORD.sub(lambda m: m.group(0).translate(_LEET), plain)
    plain = _NOT_WORD.sub(" ", plain).replace("_", " ")
    if "2" in plain:
        plain = _REDUPLICATION.sub(r"\1 \1\2", plain)
    plain = " ".join(plain.split())
    # "matiii" -> "mati" but "killll" -> "kill": both squeezes are tried.
    return tuple(dict.fromkeys((_RUN3.sub(r"\1", plain), _RUN3.sub(r"\1\1", plain))))


def _unmask(word: str, candidates: tuple[str, ...]) -> str:
    shape = re.compile("".join("[a-z0-9]" if ch == "*" else re.escape(ch) for ch in word))
    for candidate in candidates:
        if len(candidate) == len(word) and shape.fullmatch(candidate):
            return candidate
    return word


def compile_patterns(
    patterns: Iterable[str], macros: dict[str, str], where: str
) -> re.Pattern[str]:
    """One regex for any of ``patterns``, in word boundaries, with ``<macro>`` names expanded
    and soft spaces; a bad pattern or an unknown macro raises ``ValueError`` naming ``where``."""

    def macro(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in macros:
            raise ValueError(f"{where}: unknown macro <{name}>")
        return f"(?:{macros[name]})"

    expanded = [_SOFT_SPACE.sub(" ?", _MACRO.sub(macro, pattern)) for pattern in patterns]
    try:
        return re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in expanded) + r")\b")
    except re.error as exc:
        raise ValueError(f"{where}: bad pattern: {exc}") from exc


def any_of(patterns: Sequence[re.Pattern[str]]) -> re.Pattern[str]:
    """One regex that finds a match wherever one of ``patterns`` would, so a single search
    can say "none of them" before they are tried one by one (most messages match no guard
    and no rule). Joining them is safe: the lexicons' patterns use no backreferences, named
    groups or inline flags (compiling would fail on a repeated group name)."""
    if not patterns:
        return re.compile(r"(?!)")  # matches nothing
    return re.compile("|".join(f"(?:{pattern.pattern})" for pattern in patterns))


def blank_guards(
    form: str, guards: Iterable[re.Pattern[str]], any_guard: re.Pattern[str] | None = None
) -> str:
    """``form`` with every guard's span replaced by a newline: a guard blanks out only its
    own words, and the newline keeps the words on either side from joining into a phrase
    (patterns only ever span spaces). ``any_guard`` (:func:`any_of` the guards) skips the
    guards one by one when none of them matches anywhere in ``form``."""
    if any_guard is not None and any_guard.search(form) is None:
        return form
    for guard in guards:
        form = guard.sub("\n", form)
    return form


def model_segments(guarded_form: str) -> list[str]:
    """The pieces of text a model reads: a blanked guard splits the text where it stood."""
    return guarded_form.split("\n")


class ScreenedText:
    """One message as the screening tiers read it, each reading made once and shared: its
    normalised forms and the model features of a guarded form. Crisis and distress detection
    of the same message (the bot keeps one per update, ``RangkulContext.screened``) read the
    same words the same way, so the second tier reuses what the first made rather than
    normalising and hashing the text again; the results are exactly those of reading it
    afresh. Lives as long as the caller holds it, like the text itself: never stored."""

    __slots__ = ("_features", "_folded", "_forms", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._folded = _folded(text)
        self._forms: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._features: dict[tuple[str, FeatureSpec], list[int]] = {}

    def forms(self, unmask_words: tuple[str, ...] = ()) -> tuple[str, ...]:
        """:func:`normalise` of the text with ``unmask_words``."""
        # The words matter only to a masked word: without a "*" every lexicon shares one.
        key = unmask_words if "*" in self._folded else ()
        found = self._forms.get(key)
        if found is None:
            found = self._forms[key] = _forms(self._folded, key)
        return found

    def predict(self, model: TextModel, guarded_form: str) -> str | None:
        """``model.predict(model_segments(guarded_form))``, with the features made once per
        guarded form and feature spec (two tiers whose guards left the same form share them)."""
        segments = model_segments(guarded_form)
        if not long_enough(segments):
            return None
        key = (guarded_form, model.spec)
        found = self._features.get(key)
        if found is None:
            found = self._features[key] = features(segments, model.spec)
        return model.predict_of(found)
