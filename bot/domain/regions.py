"""Indonesia's 38 provinces (since the 2022 Papua split) and the timezone each one keeps.

The codes are short ASCII slugs because they travel in callback data (64 bytes at most).
Groups and members that meet only online have no province: :data:`ONLINE_ONLY` stands for them
in callback data and they keep the network's default timezone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.choices import Choices, plain

WIB = "Asia/Jakarta"
WITA = "Asia/Makassar"
WIT = "Asia/Jayapura"

ONLINE_ONLY = "online"


@dataclass(frozen=True, slots=True)
class Province:
    code: str
    name_id: str
    name_en: str
    timezone: str

    def name(self, lang: str) -> str:
        """The name in ``lang`` (``en`` or ``id``); other languages get the official name."""
        return self.name_en if lang == "en" else self.name_id


# West to east, island by island, in the order Indonesians know from official lists
# (Sumatra north to south, then Java west to east, Bali and Nusa Tenggara, Kalimantan,
# Sulawesi, Maluku, Papua).
PROVINCES: tuple[Province, ...] = (
    Province("aceh", "Aceh", "Aceh", WIB),
    Province("sumut", "Sumatera Utara", "North Sumatra", WIB),
    Province("sumbar", "Sumatera Barat", "West Sumatra", WIB),
    Province("riau", "Riau", "Riau", WIB),
    Province("kepri", "Kepulauan Riau", "Riau Islands", WIB),
    Province("jambi", "Jambi", "Jambi", WIB),
    Province("bengkulu", "Bengkulu", "Bengkulu", WIB),
    Province("sumsel", "Sumatera Selatan", "South Sumatra", WIB),
    Province("babel", "Kepulauan Bangka Belitung", "Bangka Belitung Islands", WIB),
    Province("lampung", "Lampung", "Lampung", WIB),
    Province("banten", "Banten", "Banten", WIB),
    Province("jkt", "DKI Jakarta", "Jakarta", WIB),
    Province("jabar", "Jawa Barat", "West Java", WIB),
    Province("jateng", "Jawa Tengah", "Central Java", WIB),
    Province("diy", "DI Yogyakarta", "Yogyakarta", WIB),
    Province("jatim", "Jawa Timur", "East Java", WIB),
    Province("bali", "Bali", "Bali", WITA),
    Province("ntb", "Nusa Tenggara Barat", "West Nusa Tenggara", WITA),
    Province("ntt", "Nusa Tenggara Timur", "East Nusa Tenggara", WITA),
    Province("kalbar", "Kalimantan Barat", "West Kalimantan", WIB),
    Province("kalteng", "Kalimantan Tengah", "Central Kalimantan", WIB),
    Province("kalsel", "Kalimantan Selatan", "South Kalimantan", WITA),
    Province("kaltim", "Kalimantan Timur", "East Kalimantan", WITA),
    Province("kaltara", "Kalimantan Utara", "North Kalimantan", WITA),
    Province("sulut", "Sulawesi Utara", "North Sulawesi", WITA),
    Province("gorontalo", "Gorontalo", "Gorontalo", WITA),
    Province("sulteng", "Sulawesi Tengah", "Central Sulawesi", WITA),
    Province("sulbar", "Sulawesi Barat", "West Sulawesi", WITA),
    Province("sulsel", "Sulawesi Selatan", "South Sulawesi", WITA),
    Province("sultra", "Sulawesi Tenggara", "Southeast Sulawesi", WITA),
    Province("malut", "Maluku Utara", "North Maluku", WIT),
    Province("maluku", "Maluku", "Maluku", WIT),
    Province("pbd", "Papua Barat Daya", "Southwest Papua", WIT),
    Province("pabar", "Papua Barat", "West Papua", WIT),
    Province("papteng", "Papua Tengah", "Central Papua", WIT),
    Province("papeg", "Papua Pegunungan", "Highland Papua", WIT),
    Province("papsel", "Papua Selatan", "South Papua", WIT),
    Province("papua", "Papua", "Papua", WIT),
)

# Everyday names of provinces, beyond the official ones and their codes (jabar, jatim, ...).
# Only names for the province itself: a city name finds a resource only when the resource's own
# text names that city (bot.domain.search), and typing a city never picks a province.
PROVINCE_ALIASES: dict[str, tuple[str, ...]] = {
    "diy": ("jogja", "yogya", "jogjakarta", "jogya"),
    "jkt": ("dki",),
}

# Typed words for "online only" (Indonesian "daring" = online).
_ONLINE_NAMES = ("online", "online only", "daring", "daring saja", "hanya online", "online saja")
# Words people put around a province's name: "Provinsi Jawa Barat", "West Java province".
_AROUND_NAME = re.compile(r"^(?:provinsi|prov|province of) | (?:province|provinsi)$")

_BY_CODE: dict[str, Province] = {province.code: province for province in PROVINCES}


def province_by_code(code: str) -> Province | None:
    """The province with this code; ``None`` for :data:`ONLINE_ONLY` or an unknown code."""
    return _BY_CODE.get(code)


def timezone_for(province_code: str | None, default_tz: str) -> str:
    """The province's timezone; online-only, unset or unknown codes keep ``default_tz``."""
    province = _BY_CODE.get(province_code) if province_code else None
    return province.timezone if province else default_tz


_NAMES = Choices.of(
    {
        ONLINE_ONLY: _ONLINE_NAMES,
        **{p.code: (p.name_id, p.name_en, *PROVINCE_ALIASES.get(p.code, ())) for p in PROVINCES},
    },
    codes={p.code: (p.code,) for p in PROVINCES},
)


def region_by_name(text: str) -> str | None:
    """The province code (or :data:`ONLINE_ONLY`) a typed answer names: its code exactly
    ("jabar", "DIY"), its name in either language ("Jawa Barat", "West Java"), an everyday
    name ("Jogja"), or "online"; case, accents, spaces, punctuation, a "Provinsi" around it and
    a small typo in a name ("Jawa Tngah") do not matter. Anything else, a part of a name
    included ("Kalimantan"), is ``None``: a guess could move someone's meeting times to another
    timezone (bot.domain.choices forgives a typo only where it can mean one province)."""
    return _NAMES.find(text) or _NAMES.find(_AROUND_NAME.sub("", plain(text)))
