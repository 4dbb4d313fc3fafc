"""Who receives an announcement, who may send one, and how its progress reads."""

from __future__ import annotations

from bot.domain.broadcasts import (
    Audience,
    Candidate,
    Progress,
    copy_key,
    copy_key_range,
    may_address,
    progress_of,
    recipients,
)
from bot.i18n import get_translator
from bot.ui.broadcasts import finished_text, progress_text, report_lines


def test_recipients_are_everyone_reachable_once_but_the_author() -> None:
    candidates = [
        Candidate(5, blocked=False, muted=False),
        Candidate(3, blocked=False, muted=False),
        Candidate(5, blocked=False, muted=False),  # reached through a second group
        Candidate(7, blocked=True, muted=False),
        Candidate(8, blocked=False, muted=True),
        Candidate(1, blocked=False, muted=False),  # the author
    ]
    assert recipients(candidates, author_id=1) == [3, 5]


def test_a_facilitator_addresses_only_their_groups_and_a_coordinator_everyone() -> None:
    own = frozenset({4})
    assert may_address(Audience.GROUP, is_coordinator=False, facilitated=own, group_id=4)
    assert not may_address(Audience.GROUP, is_coordinator=False, facilitated=own, group_id=5)
    assert not may_address(Audience.GROUP, is_coordinator=False, facilitated=own, group_id=None)
    for audience in (Audience.MEMBERS, Audience.FACILITATORS, Audience.PROVINCE):
        assert not may_address(audience, is_coordinator=False, facilitated=own, group_id=None)
        assert may_address(audience, is_coordinator=True, facilitated=frozenset(), group_id=None)
    assert may_address(Audience.GROUP, is_coordinator=True, facilitated=frozenset(), group_id=5)


def test_copy_keys_of_one_broadcast_fall_in_its_range_only() -> None:
    low, high = copy_key_range(12)
    assert low <= copy_key(12, 1) < high and low <= copy_key(12, 99999) < high
    assert not low <= copy_key(1, 5) < high and not low <= copy_key(120, 5) < high


def test_progress_counts_403s_and_cancelled_rows_as_blocked() -> None:
    progress = progress_of(
        [
            ("sent", None, 300),
            ("pending", "RetryAfter: 1s", 10),
            ("sending", None, 2),
            ("failed", "Forbidden: bot was blocked by the user", 4),
            ("cancelled", None, 1),
            ("skipped", "recipient unreachable", 1),
            ("failed", "BadRequest: message to copy not found", 3),
        ]
    )
    assert progress == Progress(delivered=300, blocked=6, failed=3, waiting=12)
    assert progress.done == 309 and progress.total == 321 and not progress.finished
    assert Progress(delivered=2, blocked=1).finished


def test_progress_reads_with_the_languages_own_thousands() -> None:
    progress = Progress(delivered=312, waiting=938)
    assert progress_text(get_translator("en"), progress).endswith("312 / 1,250 sent")
    assert "312 / 1.250" in progress_text(get_translator("id"), progress)
    assert finished_text(get_translator("en"), Progress(delivered=1250)).endswith("1,250 / 1,250")
    lines = report_lines(get_translator("en"), Progress(delivered=1180, blocked=20))
    assert lines == "Delivered: 1,180\nBlocked the bot: 20\nFailed: 0"
