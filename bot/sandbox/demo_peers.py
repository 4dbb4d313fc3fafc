"""Made-up peer support for the sandbox, so /buddy, /reports, /audit and an anonymous question
have something to show from the first minute.

In the demo group with made-up members (bot.sandbox.demo_history), River and "Demo Anggota 01"
are buddies, and three made-up pairs are too; each pair has written a few "Demo:" messages.
Two reports were acted on by the group's facilitator (a warning, a week's pause: the two lines
of /audit), and one waits in /reports. A made-up member has just asked the facilitators an
anonymous question. Everything goes through the repositories and use cases the bot uses, at
the moment it would have happened.

The pairings began five days before the sandbox's start, whatever the weekday: the first week's
peer check-in prompt has passed and the next is five days away, so none lands in a persona's
chat while someone tries things out. Pairings and messages are written as the bot stores them,
without their outbox notices (the past was delivered in the past); what happens at the start
(the open report, the question) reaches the facilitator through the outbox right after it.
"""

from __future__ import annotations

import random
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock, ControllableClock
from bot.domain.buddies import first_end
from bot.domain.member import Member
from bot.domain.moderation import ModerationAction, ReportReason
from bot.sandbox.demo_history import MADE_UP_IDS
from bot.services.buddies import opt_in
from bot.services.moderation import act, report_message
from bot.services.questions import ask
from bot.storage.buddies import BuddyRepository
from bot.storage.database import Database
from bot.storage.groups import GroupRepository
from bot.storage.members import MemberRepository
from bot.storage.moderation import ModerationRepository
from bot.storage.outbox import OutboxRepository
from bot.storage.questions import QuestionRepository
from bot.storage.roles import RoleRepository

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
OPTED_IN = 6 * DAY  # before the sandbox's start
PAIRED = 5 * DAY
RIVER = 9_900_005  # the English member persona (bot.sandbox.demo.PERSONAS)


def made_up(number: int) -> int:
    """The Telegram id of made-up person ``number`` (bot.sandbox.demo_history)."""
    return MADE_UP_IDS + number


@dataclass(frozen=True, slots=True)
class DemoMessage:
    sender: int  # Telegram id
    ago: timedelta  # before the sandbox's start
    text: str


@dataclass(frozen=True, slots=True)
class DemoReport:
    """The buddy of the last message's sender reports that message ``ago`` before the start;
    the group's facilitator takes ``action`` ``acted_ago`` before it (None: still open)."""

    ago: timedelta
    reason: ReportReason
    action: ModerationAction | None = None
    acted_ago: timedelta = timedelta(0)


@dataclass(frozen=True, slots=True)
class DemoPair:
    a: int  # Telegram ids
    b: int
    messages: tuple[DemoMessage, ...]
    report: DemoReport | None = None


DEMO_PAIRS: tuple[DemoPair, ...] = (
    DemoPair(
        RIVER,
        made_up(1),
        (
            DemoMessage(
                made_up(1), 4 * DAY, "Demo: Hi River! Glad we're buddies. How is your week going?"
            ),
            DemoMessage(
                RIVER,
                4 * DAY - 3 * HOUR,
                "Demo: Thanks for asking! A bit tiring, but the meeting helped.",
            ),
            DemoMessage(
                made_up(1), 2 * DAY, "Demo: Good to hear. Cheering you on for the rest of it!"
            ),
        ),
    ),
    # The open report: in /reports for the group's facilitator.
    DemoPair(
        made_up(3),
        made_up(4),
        (
            DemoMessage(made_up(4), 2 * DAY, "Demo: Minggu ini berat, aku bolos pertemuan."),
            DemoMessage(
                made_up(3), DAY, "Demo: Kamu selalu bilang begitu. Usaha lebih keras dong?"
            ),
        ),
        DemoReport(3 * HOUR, ReportReason.HURTFUL),
    ),
    # Two reports acted on: the two lines of /audit.
    DemoPair(
        made_up(5),
        made_up(6),
        (
            DemoMessage(made_up(6), 4 * DAY, "Demo: Halo! Senang punya buddy bulan ini."),
            DemoMessage(
                made_up(5), 3 * DAY, "Demo: Bot ini lambat, ngobrol di tempat lain saja yuk."
            ),
        ),
        DemoReport(3 * DAY - 2 * HOUR, ReportReason.OFF_PLATFORM, ModerationAction.WARN, 2 * DAY),
    ),
    DemoPair(
        made_up(7),
        made_up(8),
        (
            DemoMessage(
                made_up(7), 3 * DAY, "Demo: Coba jamu buatan sepupuku, semua masalah beres!"
            ),
        ),
        DemoReport(3 * DAY - HOUR, ReportReason.SPAM, ModerationAction.SUSPEND_1W, DAY),
    ),
)

# Asked by a made-up member an hour before the start; the facilitator receives it after it.
DEMO_QUESTION = (
    made_up(2),
    HOUR,
    "Demo: Bolehkah saya mengajak kakak saya ke pertemuan berikutnya? Dia ingin memahami apa "
    "yang sedang saya jalani.",
)


async def load_peer_support(
    db: Database,
    clock: Clock,
    group_name: str,
    facilitator_telegram_id: int,
    coordinators: Collection[int],
) -> None:
    """The group's buddies, reports and question; skipped once the moderation log has an
    entry (a reused database: loaded before, or moderated by hand)."""
    moderation = ModerationRepository(db)
    if await moderation.audit_count():
        return
    now, members = clock.now(), MemberRepository(db)
    group = next(
        (s.group for s in await GroupRepository(db).list_all() if s.group.name == group_name),
        None,
    )
    facilitator = await members.by_telegram_id(facilitator_telegram_id)
    if group is None or facilitator is None:
        return
    telegram_ids = {DEMO_QUESTION[0]} | {p for pair in DEMO_PAIRS for p in (pair.a, pair.b)}
    people = {tid: await members.by_telegram_id(tid) for tid in telegram_ids}
    found = {tid: member for tid, member in people.items() if member is not None}
    if len(found) < len(people):
        return
    buddies, roles, outbox = BuddyRepository(db), RoleRepository(db), OutboxRepository(db)
    coordinator_ids = await roles.coordinator_ids(frozenset(coordinators))
    for pair in DEMO_PAIRS:
        a, b = found[pair.a], found[pair.b]
        message_id = await _pair(buddies, now, group.id, a, b, pair)
        if pair.report is None:
            continue
        report = pair.report
        sender = found[pair.messages[-1].sender]
        reporter = b if sender is a else a
        await report_message(
            moderation,
            roles,
            outbox,
            ControllableClock(now - report.ago),
            coordinator_ids,
            reporter,
            message_id,
            report.reason,
        )
        if report.action is None:
            continue
        [filed] = [r for r in await moderation.open_reports(None) if r.reporter_id == reporter.id]
        await act(
            moderation,
            roles,
            outbox,
            ControllableClock(now - report.acted_ago),
            facilitator,
            False,
            filed.id,
            report.action,
        )
    asker, ago, text = DEMO_QUESTION
    rng = random.Random("rangkul-demo-question")
    await ask(
        QuestionRepository(db),
        roles,
        outbox,
        ControllableClock(now - ago),
        rng,
        found[asker],
        group.id,
        text,
    )


async def _pair(
    buddies: BuddyRepository, now: datetime, group_id: int, a: Member, b: Member, pair: DemoPair
) -> int:
    """Both ask for a buddy, are paired, and write their messages; the last message's id."""
    for member in (a, b):
        await opt_in(buddies, ControllableClock(now - OPTED_IN), member, group_id)
    started = now - PAIRED
    sender_ids = {a.telegram_id: a.id, b.telegram_id: b.id}
    message_id = 0
    async with buddies.transaction() as tx:
        pairing = await buddies.insert_pairing(
            group_id, a.id, b.id, started, first_end(started), tx=tx
        )
        for message in pair.messages:
            message_id = await buddies.insert_message(
                pairing.id, sender_ids[message.sender], message.text, now - message.ago, tx=tx
            )
    return message_id
