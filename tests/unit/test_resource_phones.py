"""Phone numbers of directory entries: the forms coordinators write, and the form shown."""

from __future__ import annotations

import pytest

from bot.domain.resources import check_phone, dial_form
from bot.ui.resources import source_names


@pytest.mark.parametrize(
    ("typed", "kept", "shown"),
    [
        ("(022) 255-1111", "(022) 255-1111", "+62 22 255-1111"),
        ("(022)255-1111", "(022) 255-1111", "+62 22 255-1111"),
        ("  (0274)  512 345 ", "(0274) 512 345", "+62 274 512 345"),
        ("0293-363601", "0293-363601", "+62 293-363601"),
        ("0811-2345-678", "0811-2345-678", "+62 811-2345-678"),
        ("0800-1500-119", "0800-1500-119", "0800-1500-119"),  # toll-free: no +62 form
        ("119 ext. 8", "119 ext. 8", "119 ext. 8"),
        ("+62 21 1234", "+62 21 1234", "+62 21 1234"),
        ("112", "112", "112"),
    ],
)
def test_usual_indonesian_forms_are_kept_readable_and_shown_callable(
    typed: str, kept: str, shown: str
) -> None:
    assert check_phone(typed) == kept
    assert dial_form(kept) == shown


@pytest.mark.parametrize(
    "typed", ["call me", "(022", "(22) 255-1111", "(022) ", "()", "022) 255", "12", "(022) 2a5"]
)
def test_anything_else_is_refused(typed: str) -> None:
    assert check_phone(typed) is None


def test_sources_are_named_by_their_site_and_repeats_numbered() -> None:
    urls = [
        "https://m.liputan6.com/health/read/1",
        "http://www.kompas.com/tren/read/2",
        "https://www.kompas.com/tren/read/3",
    ]
    assert [name for _, name in source_names(urls)] == [
        "liputan6.com",
        "kompas.com",
        "kompas.com (2)",
    ]
