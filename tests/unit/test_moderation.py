"""Moderation rules and use cases: who may act on a report and who receives it, one action per
report, relay pauses, removal from a group, the audit log, and their retention.

The buddy rows (pairings, relayed messages) are written with plain SQL here: the buddy relay
is built in parallel (issue 12) and is not on this branch.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.member import Member
from bot.domain.moderation import (
    AUDIT_PAGE_SIZE,
    ActOutcome,
    AuditAction,
    AuditEntry,
    ModerationAction,
    Pairing,
    Report,
    ReportAbout,
    ReportOutcome,
    ReportReason,
    may_moderate,
    report_recipients,
)
from bot.domain.retention import DataCategory, rule_for
from bot.i18n import get_translator
from bot.services import moderation as service
from bot.services.retention import purge_expired
from bot.storage.moderation import ModerationRepository
from bot.ui.moderation import audit_view
from tests.unit.conftest import NETWORK_START, Network

SECOND = timedelta(seconds=1)


def a_report(**changes: object) -> Report:
    fields: dict[str, object] = {
        "id": 1,
        "group_id": 10,
        "group_name": "G",
        "reporter_id": 1,
        "reporter_alias": "A",
        "reported_id": 2,
        "reported_alias": "B",
        "about": ReportAbout.MESSAGE,
        "reason": ReportReason.SPAM,
        "created_at": NETWORK_START,
        "pairing_id": 5,
        "pairing_active": True,
        "message_text": "hi",
    }
    fields.update(changes)
    return Report(**fields)  # type: ignore[arg-type]


# --- rules -------------------------------------------------------------------------------------


def test_facilitators_of_the_group_and_coordinators_may_act_but_never_a_party() -> None:
    report = a_report()
    assert may_moderate(7, report, {10}, coordinator=False)
    assert not may_moderate(7, report, {11}, coordinator=False)
    assert may_moderate(7, report, set(), coordinator=True)
    for party in (1, 2):  # a buddy who facilitates, or coordinates, still may not
        assert not may_moderate(party, report, {10}, coordinator=True)


def test_a_report_goes_to_facilitators_not_involved_else_to_coordinators() -> None:
    assert report_recipients([3, 2, 4], [9], {1, 2}) == [3, 4]
    assert report_recipients([2], [9, 1], {1, 2}) == [9]
    assert report_recipients([], [], {1, 2}) == []


def test_a_pairing_knows_each_buddy_and_nobody_else() -> None:
    pairing = Pairing(1, 10, 3, 8, True)
    assert (pairing.other(3), pairing.other(8), pairing.other(5)) == (8, 3, None)


def test_the_longest_audit_page_fits_one_telegram_message() -> None:
    entry = AuditEntry(NETWORK_START, AuditAction.SUSPEND_4W, "A" * 32, "B" * 32, "G" * 60)
    for lang in ("id", "en"):
        text, _ = audit_view(get_translator(lang), [entry] * AUDIT_PAGE_SIZE, 1, True, True, "UTC")
        assert len(text) <= 4096


# --- use cases ---------------------------------------------------------------------------------


async def buddies(n: Network) -> tuple[Member, Member, Member, int, int, int]:
    """Two buddies in a group with a facilitator, their pairing and a message from the second
    to the first: (first, second, facilitator, group id, pairing id, message id)."""
    first, second, fasil = await n.person(1), await n.person(2), await n.person(3)
    group = await n.group(members=(first, second), facilitators=(fasil,))
    now = n.clock.now().isoformat()
    async with n.db.transaction() as tx:
        cursor = await tx.execute(
            "INSERT INTO buddy_pairings (group_id, member_a, member_b, started_at, ends_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (group.id, first.id, second.id, now, now),
        )
        pairing = cursor.lastrowid
        cursor = await tx.execute(
            "INSERT INTO buddy_messages (pairing_id, sender_id, text, sent_at)"
            " VALUES (?, ?, 'Give me your number', ?)",
            (pairing, second.id, now),
        )
        message = cursor.lastrowid
    assert pairing is not None and message is not None
    return first, second, fasil, group.id, pairing, message


async def report(n: Network, member: Member, message_id: int) -> ReportOutcome:
    return await service.report_message(
        ModerationRepository(n.db),
        n.roles,
        n.outbox,
        n.clock,
        (),
        member,
        message_id,
        ReportReason.OFF_PLATFORM,
    )


async def act(n: Network, presser: Member, action: ModerationAction) -> ActOutcome:
    outcome, _ = await service.act(
        ModerationRepository(n.db), n.roles, n.outbox, n.clock, presser, False, 1, action
    )
    return outcome


async def test_only_the_recipient_reports_a_message_and_only_once(network: Network) -> None:
    n = network
    first, second, fasil, *_, message = await buddies(n)
    assert await report(n, second, message) is ReportOutcome.NOT_ALLOWED  # its sender
    assert await report(n, fasil, message) is ReportOutcome.NOT_ALLOWED
    assert await report(n, first, message) is ReportOutcome.SENT
    assert await report(n, first, message) is ReportOutcome.ALREADY
    assert await n.rows("SELECT member_id, kind FROM outbox") == [(fasil.id, "mod_report")]


async def test_the_first_action_wins_and_is_logged(network: Network) -> None:
    n = network
    first, second, fasil, group, *_, message = await buddies(n)
    await report(n, first, message)
    assert await act(n, first, ModerationAction.DISMISS) is ActOutcome.NOT_ALLOWED
    assert await act(n, fasil, ModerationAction.WARN) is ActOutcome.DONE
    assert await act(n, fasil, ModerationAction.SUSPEND_1W) is ActOutcome.ALREADY
    assert await n.rows("SELECT actor_id, action, subject_id, group_id FROM audit_log") == [
        (fasil.id, "warn", second.id, group)
    ]
    kinds = await n.rows("SELECT member_id, kind, status FROM outbox ORDER BY id")
    assert kinds == [(fasil.id, "mod_report", "cancelled"), (second.id, "mod_warning", "pending")]


async def test_a_pause_holds_for_its_period_only(network: Network) -> None:
    n = network
    first, second, fasil, group, *_, message = await buddies(n)
    moderation = ModerationRepository(n.db)
    await report(n, first, message)
    assert await act(n, fasil, ModerationAction.SUSPEND_1W) is ActOutcome.DONE
    start = n.clock.now()
    assert await service.relay_suspended(moderation, second.id, group, start)
    assert await service.relay_suspended(moderation, second.id, group, start + timedelta(days=6))
    assert not await service.relay_suspended(moderation, first.id, group, start)
    assert not await service.relay_suspended(moderation, second.id, group, start + timedelta(7))


async def test_ending_a_pairing_once_and_not_after_it_ended(network: Network) -> None:
    n = network
    first, _, fasil, _, pairing, message = await buddies(n)
    await report(n, first, message)
    assert await act(n, fasil, ModerationAction.END_PAIRING) is ActOutcome.DONE
    assert await n.rows("SELECT ended_reason FROM buddy_pairings") == [("moderator",)]
    ended = await n.rows("SELECT member_id FROM outbox WHERE kind = 'mod_pairing_ended'")
    assert len(ended) == 2
    pairing_row = await ModerationRepository(n.db).pairing(pairing)
    assert pairing_row is not None and not pairing_row.active


async def test_removing_a_member_releases_them_ends_pairings_and_logs(network: Network) -> None:
    n = network
    _, second, _, group, *_ = await buddies(n)
    koor = await n.person(9)
    moderation = ModerationRepository(n.db)
    args = (n.groups, n.meetings, n.outbox, moderation, n.clock, koor, group)
    assert await service.remove_member(*args, second.id)
    assert not await service.remove_member(*args, second.id)  # a second press: nothing
    assert not await n.groups.is_member(group, second.id)
    assert await n.rows("SELECT ended_reason FROM buddy_pairings") == [("left_group",)]
    entries, has_prev, has_next = await service.audit_page(moderation, 0)
    assert [(e.action, e.actor_alias, e.subject_alias) for e in entries] == [
        (AuditAction.REMOVE_FROM_GROUP, "Melati 9", "Melati 2")
    ]
    assert (has_prev, has_next) == (False, False)
    async with n.db.transaction() as tx:  # /forget of the coordinator
        await tx.execute("DELETE FROM members WHERE id = ?", (koor.id,))
    [entry] = (await service.audit_page(moderation, 0))[0]
    assert entry.actor_alias is None


# --- retention ---------------------------------------------------------------------------------


async def purge(n: Network) -> dict[DataCategory, int]:
    return await purge_expired(n, n.clock)


def move_to(n: Network, moment: datetime) -> None:
    n.clock.advance(moment - n.clock.now())


async def test_reports_pauses_and_log_go_when_their_rules_say(network: Network) -> None:
    n = network
    first, _, fasil, *_, message = await buddies(n)
    await report(n, first, message)
    acted = n.clock.now()
    assert await act(n, fasil, ModerationAction.SUSPEND_4W) is ActOutcome.DONE
    ours = {DataCategory.REPORTS, DataCategory.RELAY_SUSPENSIONS, DataCategory.MODERATION_LOG}
    expected = [
        (acted + timedelta(weeks=4) - SECOND, set()),
        (acted + timedelta(weeks=4), {DataCategory.RELAY_SUSPENSIONS}),
        (acted + period(DataCategory.REPORTS) - SECOND, set()),
        (acted + period(DataCategory.REPORTS), {DataCategory.REPORTS}),
        (acted + period(DataCategory.MODERATION_LOG) - SECOND, set()),
        (acted + period(DataCategory.MODERATION_LOG), {DataCategory.MODERATION_LOG}),
    ]
    for moment, purged in expected:
        move_to(n, moment)
        assert set(await purge(n)) & ours == purged, moment


def period(category: DataCategory) -> timedelta:
    keep_for = rule_for(category).keep_for
    assert keep_for is not None
    return keep_for
