"""Announcements' use cases: how many an audience reaches, starting a broadcast (the broadcast
row and every recipient's copy in one transaction), its progress and final report, and muting
a group's announcements (in /settings)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.clock import Clock
from bot.domain.broadcasts import (
    COPY_KIND,
    REPORT_KIND,
    Audience,
    Broadcast,
    Progress,
    copy_key,
    recipients,
)
from bot.domain.corrections import Correction
from bot.domain.messages import PlannedMessage
from bot.storage.broadcasts import BroadcastRepository
from bot.storage.database import Tx
from bot.storage.outbox import OutboxRepository

# The author's progress message changes at most this often (Telegram counts edits as sends).
PROGRESS_EVERY = timedelta(seconds=3)


@dataclass(frozen=True, slots=True)
class Target:
    """Whom an announcement is for, as the author chose it."""

    audience: Audience
    group_id: int | None = None
    province: str | None = None


async def recipients_of(
    broadcasts: BroadcastRepository, target: Target, author_id: int, *, tx: Tx | None = None
) -> list[int]:
    """The member ids the announcement would reach now."""
    candidates = await broadcasts.candidates(
        target.audience, group_id=target.group_id, province=target.province, tx=tx
    )
    return recipients(candidates, author_id)


async def start_broadcast(
    broadcasts: BroadcastRepository,
    outbox: OutboxRepository,
    clock: Clock,
    *,
    author_id: int,
    author_chat_id: int,
    source_message_id: int,
    target: Target,
) -> tuple[int, int] | None:
    """Creates the broadcast and plans one copy per recipient, all in one transaction;
    returns (broadcast id, recipients), or None if this message was broadcast already.

    A copy's payload names only where the announcement is (the author's chat and message): the
    dispatcher copies it from there, so its text is stored nowhere here. ``about_member_id``
    is the author, so their /forget withdraws copies not yet sent.
    """
    now = clock.now()
    async with broadcasts.transaction() as tx:
        people = await recipients_of(broadcasts, target, author_id, tx=tx)
        broadcast_id = await broadcasts.create(
            author_id=author_id,
            audience=target.audience,
            group_id=target.group_id,
            province=target.province,
            source_message_id=source_message_id,
            recipients=len(people),
            now=now,
            tx=tx,
        )
        if broadcast_id is None:
            return None
        payload = {"chat": author_chat_id, "message": source_message_id}
        await outbox.enqueue(
            (
                PlannedMessage(
                    member_id=member_id,
                    kind=COPY_KIND,
                    not_before=now,
                    dedupe_key=copy_key(broadcast_id, member_id),
                    payload=payload,
                    about_member_id=author_id,
                )
                for member_id in people
            ),
            now=now,
            tx=tx,
        )
    return broadcast_id, len(people)


@dataclass(frozen=True, slots=True)
class ProgressStep:
    """What the author's progress message should do now: show ``progress`` (None: nothing
    new, or too soon), and whether the broadcast just finished (its report is planned)."""

    progress: Progress | None
    finished: bool


async def check_progress(
    broadcasts: BroadcastRepository, outbox: OutboxRepository, clock: Clock, broadcast: Broadcast
) -> ProgressStep:
    """One look at a running broadcast. Finished (no copy waiting): the report is recorded and
    planned for the author through the outbox, in one transaction, once."""
    now = clock.now()
    progress = await broadcasts.progress(broadcast.id)
    if progress.finished:
        async with broadcasts.transaction() as tx:
            if not await broadcasts.finish(broadcast.id, progress, now, tx=tx):
                return ProgressStep(None, finished=False)
            report = PlannedMessage(
                member_id=broadcast.author_id,
                kind=REPORT_KIND,
                not_before=now,
                dedupe_key=f"{REPORT_KIND}:{broadcast.id}",
                payload={"broadcast": broadcast.id},
            )
            await outbox.enqueue([report], now=now, tx=tx)
        return ProgressStep(progress, finished=True)
    recent = broadcast.progress_at is not None and now - broadcast.progress_at < PROGRESS_EVERY
    if broadcast.progress_shown == progress.done or recent:
        return ProgressStep(None, finished=False)
    await broadcasts.progress_shown(broadcast.id, progress.done, now)
    return ProgressStep(progress, finished=False)


async def mute_announcements(
    broadcasts: BroadcastRepository, clock: Clock, member_id: int, group_id: int, muted: bool
) -> bool:
    """Mutes (or unmutes) announcements of one group for one member; meeting reminders and
    every other message of the group still come. False if it was so already."""
    return await broadcasts.mute(member_id, group_id, muted, clock.now())


async def switch_announcements(
    broadcasts: BroadcastRepository,
    clock: Clock,
    member_id: int,
    group_id: int,
    *,
    shown_muted: bool,
) -> Correction | None:
    """A press on a group's toggle in /settings, which showed ``shown_muted``: switches it to
    the other state. A second tap, or a press on an old screen, finds that state stored
    already and changes nothing (ALREADY); the write itself tells, so two taps at once cannot
    both switch. None if the person is no longer in that (active) group."""
    if not any(g.group_id == group_id for g in await broadcasts.groups_of(member_id)):
        return None
    switched = await mute_announcements(broadcasts, clock, member_id, group_id, not shown_muted)
    return Correction.SAVE if switched else Correction.ALREADY
