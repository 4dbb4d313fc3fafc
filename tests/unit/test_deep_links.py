"""Deep-link payloads: group invitations, role links and referral sources."""

from __future__ import annotations

import pytest

from bot.domain.deep_links import DeepLink, LinkKind, parse_deep_link


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ("g-AbC_12-x", DeepLink(LinkKind.GROUP_INVITATION, "AbC_12-x")),
        ("f-Zx9_-Q", DeepLink(LinkKind.FACILITATOR_INVITATION, "Zx9_-Q")),
        ("c-Kk7", DeepLink(LinkKind.COORDINATOR_PROMOTION, "Kk7")),
        ("r-Poster", DeepLink(LinkKind.REFERRAL, "poster")),
    ],
)
def test_known_payloads_are_parsed(payload: str, expected: DeepLink) -> None:
    assert parse_deep_link(payload) == expected


def test_role_link_codes_keep_their_case() -> None:
    link = parse_deep_link("f-AbCd")
    assert link is not None and link.payload == "f-AbCd"


@pytest.mark.parametrize(
    "payload", [None, "", "x-abc", "f-", "f", "f-a b", "f-<b>", "c-" + "a" * 63, "g-ä"]
)
def test_malformed_payloads_are_ignored(payload: str | None) -> None:
    assert parse_deep_link(payload) is None
