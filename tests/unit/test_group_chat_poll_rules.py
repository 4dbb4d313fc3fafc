"""The pure rules behind time polls and cancellations in a linked group chat."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.group_chats import PostKind, cancellation_posts, time_poll_post
from bot.domain.meetings import Meeting, MeetingStatus
from bot.domain.time_polls import OPTION_MAX, QUESTION_MAX, PollTarget, fit

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def a_meeting(meeting_id: int, days: int) -> Meeting:
    return Meeting(
        id=meeting_id,
        series_id=1,
        group_id=1,
        occurrence=meeting_id,
        starts_at=NOW + timedelta(days=days),
        duration_minutes=90,
        place="Hall",
        join_link=None,
        capacity=8,
        status=MeetingStatus.SCHEDULED,
    )


def test_texts_are_cut_to_telegrams_poll_limits() -> None:
    assert fit("short", QUESTION_MAX) == "short"
    long = fit("x" * 400, QUESTION_MAX)
    assert len(long) == QUESTION_MAX and long.endswith("…")
    assert len(fit("y" * 101, OPTION_MAX)) == OPTION_MAX


def test_where_to_ask() -> None:
    assert [(w.private, w.in_chat) for w in PollTarget] == [
        (True, False),
        (False, True),
        (True, True),
    ]


def test_a_chat_poll_is_one_post_per_poll() -> None:
    post = time_poll_post(-100, 7, NOW)
    assert (post.kind, post.dedupe_key, post.payload) == (
        PostKind.TIME_POLL,
        "gchat_time_poll:7",
        {"poll_id": 7},
    )
    assert post.expires_at == NOW + timedelta(days=1)


def test_only_chats_that_were_told_hear_of_a_cancellation() -> None:
    first, second = a_meeting(1, 2), a_meeting(2, 9)
    posts = cancellation_posts([(second, [-100]), (first, [-100, -200])], NOW, whole_series=False)
    assert [(p.chat_id, p.meeting_id) for p in posts] == [(-100, 1), (-200, 1), (-100, 2)]
    starts = {1: first.starts_at, 2: second.starts_at}
    assert all(p.expires_at == starts[p.meeting_id or 0] for p in posts)
    assert cancellation_posts([(first, [])], NOW, whole_series=False) == []


def test_a_whole_series_is_said_once_per_chat() -> None:
    first, second = a_meeting(1, 2), a_meeting(2, 9)
    posts = cancellation_posts([(second, [-100]), (first, [-100])], NOW, whole_series=True)
    assert [(p.chat_id, p.meeting_id, p.payload["series"]) for p in posts] == [(-100, 1, True)]
