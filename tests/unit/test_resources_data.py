"""The shipped directory, data/resources.toml: enough real, sourced, bilingual entries."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from urllib.parse import urlsplit

import pytest

from bot.data_files import crisis_contacts, resource_directory
from bot.domain.contacts import NATIONAL
from bot.domain.resources import CATEGORIES, FACILITATOR_ONLY, OWN_SOURCE, parse_resources
from bot.domain.search import SearchIndex

TODAY = dt.date.today()  # a "checked" date is never in the future


@pytest.fixture(scope="module")
def shipped():
    return resource_directory()


def test_at_least_forty_entries_in_the_file_itself(shipped) -> None:
    assert len([r for r in shipped if r.category != "crisis"]) >= 40


def test_every_category_is_present(shipped) -> None:
    counts = Counter(r.category for r in shipped)
    assert set(CATEGORIES) <= set(counts)


def test_at_least_ten_provinces(shipped) -> None:
    provinces = {r.province for r in shipped} - {NATIONAL}
    assert len(provinces) >= 10


def test_every_entry_is_sourced_checked_and_bilingual(shipped) -> None:
    for resource in shipped:
        assert resource.source, resource.id
        own = resource.source == (OWN_SOURCE,) and resource.category == "groups"
        assert own or all(s.startswith(("http://", "https://")) for s in resource.source), (
            resource.id
        )
        assert resource.checked <= TODAY, resource.id
        assert resource.title.id and resource.title.en, resource.id
        assert resource.description.id and resource.description.en, resource.id
        assert resource.tags, resource.id


def test_crisis_entries_come_from_the_crisis_contacts(shipped) -> None:
    crisis = {r.id for r in shipped if r.category == "crisis"}
    assert crisis == {f"crisis-{c.id}" for c in crisis_contacts()}


def test_advocacy_groups_are_never_crisis_entries(shipped) -> None:
    crisis_titles = " ".join(r.title.en.casefold() for r in shipped if r.category == "crisis")
    for name in ("into the light", "kpsi", "bipolar care", "500-454"):
        assert name not in crisis_titles


def test_facilitation_guides_are_marked_facilitator_only(shipped) -> None:
    guides = [r for r in shipped if r.category in FACILITATOR_ONLY]
    assert len(guides) >= 4 and all(r.facilitator_only for r in guides)


def test_medication_entries_never_give_doses(shipped) -> None:
    for resource in shipped:
        if resource.category == "medication":
            text = f"{resource.description.id} {resource.description.en}".casefold()
            assert " mg" not in text and "dosis" not in text, resource.id


def test_a_bad_entry_is_refused_with_its_id() -> None:
    bad = (
        '[[resource]]\nid = "broken"\ncategory = "therapy"\nprovince = "national"\n'
        'title.id = "a"\ntitle.en = "a"\ndescription.id = "b"\ndescription.en = "b"\n'
        'tags = ["x"]\nsource = "javascript:alert(1)"\nchecked = 2026-11-27\n'
    )
    with pytest.raises(ValueError, match=r"'broken'.*source"):
        parse_resources(bad)


def test_every_address_is_well_formed(shipped) -> None:
    for resource in shipped:
        sources = [s for s in resource.source if s != OWN_SOURCE]
        for link in (*sources, *([resource.url] if resource.url else [])):
            host = urlsplit(link).hostname or ""
            assert host and not host.endswith("."), (resource.id, link)


def test_who_and_nimh_links_are_https(shipped) -> None:
    for resource in shipped:
        if resource.url and any(h in resource.url for h in ("who.int", "nimh.nih.gov")):
            assert resource.url.startswith("https://"), resource.id


SUICIDE_KINDS = ("emergency", "crisis_line", "mental_health_service")


@pytest.mark.parametrize(
    ("query", "kinds"),
    [
        ("suicide", SUICIDE_KINDS),
        ("bunuh diri", SUICIDE_KINDS),
        ("aku mau bunuh diri", SUICIDE_KINDS),
        ("krisis", (*SUICIDE_KINDS, "police", "violence_line")),
    ],
)
def test_crisis_searches_list_the_crisis_lines_first(
    shipped, query: str, kinds: tuple[str, ...]
) -> None:
    """The lines that answer what was asked come first; police and the violence line are not
    what someone searching for suicide needs first."""
    hits = SearchIndex(shipped).search(query)
    answering = {f"crisis-{c.id}" for c in crisis_contacts() if c.kind in kinds}
    assert {r.id for r in hits[: len(answering)]} == answering, query


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("jogja", "rsj-grhasia"),
        ("yogya", "rsj-grhasia"),
        ("skizo", "who-skizofrenia"),
        ("how to help my son", "nami-family-to-family"),
    ],
)
def test_everyday_searches_find_the_entry(shipped, query: str, expected: str) -> None:
    assert expected in [r.id for r in SearchIndex(shipped).search(query)[:3]], query


def test_help_for_a_son_leads_with_families_entries(shipped) -> None:
    assert SearchIndex(shipped).search("how to help my son")[0].category == "families"
