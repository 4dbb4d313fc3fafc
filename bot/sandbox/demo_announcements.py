"""A made-up past announcement for the sandbox, so /broadcasts has a report to show.

Two days before the sandbox's start, the facilitator of the demo group with made-up members
sent it an announcement, and every copy arrived. Only the broadcast row and its final report
are written (bot.storage.broadcasts), as the bot records them: no copy is planned in the
outbox, so nothing lands in anyone's chat at the start (the past was delivered in the past).
The bot never stores an announcement's text, so there is none to make up.
"""

from __future__ import annotations

from datetime import timedelta

from bot.clock import Clock
from bot.domain.broadcasts import Audience, Progress
from bot.services.broadcasts import Target, recipients_of
from bot.storage.broadcasts import BroadcastRepository
from bot.storage.database import Database
from bot.storage.groups import GroupRepository
from bot.storage.members import MemberRepository

SENT = timedelta(days=2)  # before the sandbox's start
TOOK = timedelta(minutes=1)  # from "Send" to the final report
# The announcement was the author's message in a chat from before the sandbox, so it names no
# message of the emulator's chats (Telegram numbers them from 1): a new /broadcast never
# collides with it.
BEFORE_THE_SANDBOX = 0


async def load_past_announcement(
    db: Database, clock: Clock, group_name: str, facilitator_telegram_id: int
) -> None:
    """The facilitator's past announcement to the group with its report; skipped once the
    facilitator has any broadcast (a reused database: loaded before, or sent by hand)."""
    broadcasts = BroadcastRepository(db)
    author = await MemberRepository(db).by_telegram_id(facilitator_telegram_id)
    if author is None or await broadcasts.recent(author.id, 1):
        return
    group = next(
        (s.group for s in await GroupRepository(db).list_all() if s.group.name == group_name),
        None,
    )
    if group is None:
        return
    sent_at = clock.now() - SENT
    async with broadcasts.transaction() as tx:
        people = await recipients_of(broadcasts, Target(Audience.GROUP, group.id), author.id, tx=tx)
        broadcast_id = await broadcasts.create(
            author_id=author.id,
            audience=Audience.GROUP,
            group_id=group.id,
            province=None,
            source_message_id=BEFORE_THE_SANDBOX,
            recipients=len(people),
            now=sent_at,
            tx=tx,
        )
        if broadcast_id is not None:
            report = Progress(delivered=len(people))
            await broadcasts.finish(broadcast_id, report, sent_at + TOOK, tx=tx)
