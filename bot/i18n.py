"""Per-user translations, HTML-safe message formatting and localised dates.

Source strings (msgids) are English and use ``str.format`` placeholders: ``t("Hi {alias}",
alias=member.alias)``. The catalogs ``locales/<lang>/LC_MESSAGES/bot.po`` are read with Babel and
compiled in memory when first needed, once per process: there are no ``.mo`` files and no build
step to forget.

Messages are sent with ``parse_mode=HTML``, so a :class:`Translator` escapes every string value it
formats in; wrap text that is already safe HTML in :class:`Html` to pass it through. A
translator's result is itself an :class:`Html`, so translated fragments nest without being
escaped twice.

Updating the catalogs (the keywords also live in ``babel.cfg``, which the catalog test reads, so
code, CLI and test agree on what a translatable string is)::

    pybabel extract -F babel.cfg -k t -k plural:1,2 -k N_ --add-comments=TRANSLATORS: \\
        -o locales/bot.pot bot
    pybabel update -i locales/bot.pot -d locales -D bot

``pybabel update`` keeps each catalog's header. Indonesian has a single plural form, so the ``id``
header must say ``Plural-Forms: nplurals=1; plural=0;`` (``pybabel init`` writes the English rule;
``tests/unit/test_catalogs.py`` fails until every message is translated in both languages).
"""

from __future__ import annotations

import gettext
import html
import logging
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from importlib.resources.abc import Traversable
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale, dates
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from bot.data_files import shipped

LANGUAGES: tuple[str, ...] = ("id", "en")
DEFAULT_LANGUAGE = "id"
LOCALES_DIR = shipped("locales")
DOMAIN = "bot"

# Babel's CLDR data has no short names for Indonesia's zones in English ("GMT+07:00"), and even
# in Indonesian only the long formats carry them, so the three everyone uses are fixed here.
# Asia/Pontianak (West Kalimantan in tzdata) is WIB as well.
_TZ_ABBREVIATIONS: Mapping[str, str] = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}

log = logging.getLogger(__name__)


class Html(str):
    """Text that is already safe HTML; a :class:`Translator` formats it in unescaped."""

    __slots__ = ()


def N_(msgid: str) -> str:
    """Marks a module-level label for extraction; it is translated later, where it is shown."""
    return msgid


def _safe(value: Any) -> Any:
    """Escapes a value for HTML unless it is marked safe or is a number.

    Numbers pass through so format specs such as ``{count:d}`` keep working; everything else
    (user text, but also objects whose ``str()`` might carry user text) is escaped. ``'`` stays
    as it is (names like O'Neil read back unchanged in logs and tests); ``"`` is escaped so a
    value is also safe inside a double-quoted attribute.
    """
    if isinstance(value, Html | int | float | Decimal):
        return value
    return html.escape(str(value), quote=False).replace('"', "&quot;")


class Translator:
    """Translates and formats messages for one language."""

    def __init__(self, lang: str, translations: gettext.NullTranslations) -> None:
        self.lang = lang
        self.locale = Locale.parse(lang)
        self._translations = translations

    def __repr__(self) -> str:
        return f"Translator({self.lang!r})"

    def __call__(self, msgid: str, /, **values: Any) -> Html:
        """Translates ``msgid`` and fills its ``{placeholders}`` with HTML-escaped values."""
        return self._format(msgid, self._translations.gettext(msgid), values)

    def plural(self, singular: str, plural: str, n: int, /, **values: Any) -> Html:
        """Picks the plural form for ``n`` (also available as ``{n}``) and formats it."""
        values.setdefault("n", n)
        source = singular if n == 1 else plural
        return self._format(source, self._translations.ngettext(singular, plural, n), values)

    def _format(self, source: str, translated: str, values: Mapping[str, Any]) -> Html:
        safe_values = {name: _safe(value) for name, value in values.items()}
        try:
            return Html(translated.format(**safe_values))
        except (KeyError, IndexError, ValueError):
            if translated == source:
                raise  # the msgid itself is wrong: a bug in the code, not in a catalog
            # A broken translation must not stop a message (it may be a crisis reply):
            # fall back to the English source, and say so loudly for the translators.
            log.error("Broken %s translation of %r, using the source text", self.lang, source)
            return Html(source.format(**safe_values))

    def format_datetime(self, value: datetime, tz: str, fmt: str = "medium") -> str:
        """A date and time in ``tz``; ``fmt`` is a Babel format name or a CLDR pattern."""
        return dates.format_datetime(_aware(value), fmt, tzinfo=ZoneInfo(tz), locale=self.locale)

    def format_date(self, value: date | datetime, tz: str, fmt: str = "medium") -> str:
        """A date; a ``datetime`` is first converted to ``tz`` (the day depends on the zone)."""
        if isinstance(value, datetime):
            value = _aware(value).astimezone(ZoneInfo(tz)).date()
        return dates.format_date(value, fmt, locale=self.locale)

    def format_time(self, value: datetime | time, tz: str, fmt: str = "short") -> str:
        """A time of day in ``tz``; a bare ``time`` is taken as wall-clock time already in ``tz``.

        The default is ``short`` (no seconds): nobody meets at 19.00.00.
        """
        if isinstance(value, datetime):
            value = _aware(value)
        return dates.format_time(value, fmt, tzinfo=ZoneInfo(tz), locale=self.locale)

    def format_clock(self, value: datetime | time, tz: str = "UTC") -> str:
        """A time on the 24-hour clock, as the language writes it ("19.30" in Indonesian,
        "19:30" in English), for short labels and typed examples; a ``datetime`` is shown in
        ``tz``, a bare ``time`` is taken as wall-clock time already."""
        if isinstance(value, datetime):
            value = _aware(value).astimezone(ZoneInfo(tz)).time()
        return dates.format_skeleton("Hm", value, locale=self.locale)

    def format_duration(self, value: timedelta) -> str:
        """How long, rounded the way people say it ("1 hour", "1 jam", "45 minutes")."""
        return dates.format_timedelta(value, locale=self.locale)


def _aware(value: datetime) -> datetime:
    """The bot keeps UTC; a naive datetime is taken as UTC rather than as the server's zone."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def tz_abbreviation(tz: str) -> str:
    """``WIB``/``WITA``/``WIT`` for Indonesia's zones; any other zone is shown by its name."""
    return _TZ_ABBREVIATIONS.get(tz, tz)


def pick_language(telegram_language_code: str | None, default: str) -> str:
    """Maps Telegram's IETF language tag (``en-US``, ``id``) to a supported language.

    ``in`` is the old ISO code for Indonesian that some Android devices still report.
    """
    if not telegram_language_code:
        return default
    primary = telegram_language_code.replace("_", "-").split("-", 1)[0].lower()
    if primary == "en":
        return "en"
    if primary in ("id", "in"):
        return "id"
    return default


def load_translations(lang: str, locales_dir: Traversable = LOCALES_DIR) -> Translations:
    """Reads ``<locales_dir>/<lang>/LC_MESSAGES/bot.po`` and compiles it in memory.

    Fuzzy entries are left out, as gettext does: a guessed translation is worse than English.
    """
    po_path = locales_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=lang, domain=DOMAIN)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


class Catalogs:
    """One translator per supported language, loaded from one locales directory."""

    def __init__(
        self, locales_dir: Traversable = LOCALES_DIR, default_language: str = DEFAULT_LANGUAGE
    ) -> None:
        if default_language not in LANGUAGES:
            raise ValueError(
                f"default language must be one of {LANGUAGES}, not {default_language!r}"
            )
        self.default_language = default_language
        self._translators = {
            lang: Translator(lang, load_translations(lang, locales_dir)) for lang in LANGUAGES
        }

    def get(self, lang: str | None) -> Translator:
        """The translator for ``lang``; unknown languages or ``None`` get the default one."""
        return self._translators.get(lang or "", self._translators[self.default_language])


_catalogs: Catalogs | None = None


def setup(
    default_language: str = DEFAULT_LANGUAGE, locales_dir: Traversable = LOCALES_DIR
) -> Catalogs:
    """Loads the catalogs for this process (call it at start-up with the settings' language)."""
    global _catalogs
    _catalogs = Catalogs(locales_dir, default_language)
    return _catalogs


def get_translator(lang: str | None) -> Translator:
    """The process-wide translator for ``lang``, loading the default catalogs on first use."""
    catalogs = _catalogs if _catalogs is not None else setup()
    return catalogs.get(lang)
