"""Moderation use cases: reporting a buddy message or pairing, acting on a report (warn, end
the pairing, pause the relay, dismiss), a coordinator removing a member from a group, and the
audit log. Each change, its notices (through the outbox) and its audit entry are one
transaction; who may act is checked inside it, never taken from the button.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from bot.clock import Clock
from bot.domain.member import Member
from bot.domain.moderation import (
    AUDIT_PAGE_SIZE,
    SUSPENSIONS,
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
    pairing_ended_notices,
    removal_notice,
    report_notices,
    report_prefix,
    report_recipients,
    suspension_notice,
    warning_notice,
)
from bot.services.seats import release_seats
from bot.storage.database import Tx
from bot.storage.groups import GroupRepository
from bot.storage.meetings import MeetingRepository
from bot.storage.moderation import ModerationRepository
from bot.storage.outbox import OutboxRepository
from bot.storage.roles import RoleRepository


async def relay_suspended(
    moderation: ModerationRepository,
    member_id: int,
    group_id: int,
    now: datetime,
    *,
    tx: Tx | None = None,
) -> bool:
    """Whether facilitators have paused this member's buddy relay in the group at ``now`` (the
    relay checks it in its own transaction, bot.services.buddies.relay)."""
    return await moderation.suspended_until(member_id, group_id, now, tx=tx) is not None


# --- reporting ---------------------------------------------------------------------------------


async def report_message(
    moderation: ModerationRepository,
    roles: RoleRepository,
    outbox: OutboxRepository,
    clock: Clock,
    coordinators: Collection[int],
    member: Member,
    message_id: int,
    reason: ReportReason,
) -> ReportOutcome:
    """Reports a message relayed to ``member`` (only its recipient may); the report goes to
    the group's facilitators."""
    now = clock.now()
    async with moderation.transaction() as tx:
        message = await moderation.relayed_message(message_id, tx=tx)
        if message is None or message.recipient_id != member.id:
            return ReportOutcome.NOT_ALLOWED
        return await _file(
            moderation,
            roles,
            outbox,
            coordinators,
            tx,
            now,
            group_id=message.group_id,
            reporter_id=member.id,
            reported_id=message.sender_id,
            pairing_id=message.pairing_id,
            message_id=message.id,
            reason=reason,
        )


async def report_pairing(
    moderation: ModerationRepository,
    roles: RoleRepository,
    outbox: OutboxRepository,
    clock: Clock,
    coordinators: Collection[int],
    member: Member,
    pairing_id: int,
    reason: ReportReason,
) -> ReportOutcome:
    """Reports a pairing ``member`` is (or was) in: about their buddy."""
    now = clock.now()
    async with moderation.transaction() as tx:
        pairing = await moderation.pairing(pairing_id, tx=tx)
        buddy = pairing.other(member.id) if pairing is not None else None
        if pairing is None or buddy is None:
            return ReportOutcome.NOT_ALLOWED
        return await _file(
            moderation,
            roles,
            outbox,
            coordinators,
            tx,
            now,
            group_id=pairing.group_id,
            reporter_id=member.id,
            reported_id=buddy,
            pairing_id=pairing.id,
            message_id=None,
            reason=reason,
        )


async def _file(
    moderation: ModerationRepository,
    roles: RoleRepository,
    outbox: OutboxRepository,
    coordinators: Collection[int],
    tx: Tx,
    now: datetime,
    *,
    group_id: int,
    reporter_id: int,
    reported_id: int,
    pairing_id: int,
    message_id: int | None,
    reason: ReportReason,
) -> ReportOutcome:
    """Stores a report (once per person and message or pairing) and plans its notices."""
    report = await moderation.insert_report_once(
        group_id=group_id,
        reporter_id=reporter_id,
        reported_id=reported_id,
        pairing_id=pairing_id,
        message_id=message_id,
        reason=reason,
        now=now,
        tx=tx,
    )
    if report is None:
        return ReportOutcome.ALREADY
    facilitators = await roles.facilitator_ids(group_id, tx=tx)
    recipients = report_recipients(facilitators, coordinators, {reporter_id, reported_id})
    await outbox.enqueue(report_notices(report, reported_id, recipients, now), now=now, tx=tx)
    return ReportOutcome.SENT


# --- acting on a report ------------------------------------------------------------------------


async def report_to_act_on(
    moderation: ModerationRepository,
    roles: RoleRepository,
    presser: Member | None,
    coordinator: bool,
    report_id: int,
    *,
    tx: Tx | None = None,
) -> tuple[ActOutcome | None, Report | None]:
    """The report, if ``presser`` may act on it now; otherwise why not: GONE, NOT_ALLOWED, or
    ALREADY (acted on; the report is given so the pressed copy can show it)."""
    report = await moderation.report(report_id, tx=tx)
    if report is None:
        return ActOutcome.GONE, None
    if presser is None:
        return ActOutcome.NOT_ALLOWED, None
    facilitated = await roles.facilitated_group_ids(presser.id, tx=tx)
    if not may_moderate(presser.id, report, facilitated, coordinator=coordinator):
        return ActOutcome.NOT_ALLOWED, None
    if report.is_handled:
        return ActOutcome.ALREADY, report
    return None, report


async def act(
    moderation: ModerationRepository,
    roles: RoleRepository,
    outbox: OutboxRepository,
    clock: Clock,
    presser: Member | None,
    coordinator: bool,
    report_id: int,
    action: ModerationAction,
) -> tuple[ActOutcome, Report | None]:
    """The first action on a report wins: it is recorded, carried out, logged, and the
    report's copies not yet delivered to other facilitators are cancelled."""
    now = clock.now()
    async with moderation.transaction() as tx:
        refused, report = await report_to_act_on(
            moderation, roles, presser, coordinator, report_id, tx=tx
        )
        if refused is not None or report is None or presser is None:
            return refused or ActOutcome.NOT_ALLOWED, report
        if action is ModerationAction.END_PAIRING and not report.pairing_active:
            return ActOutcome.PAIRING_OVER, report
        if not await moderation.mark_handled(report.id, action, presser.id, now, tx=tx):
            return ActOutcome.ALREADY, report
        await _carry_out(moderation, outbox, report, action, now, tx)
        await moderation.log(
            presser.id,
            AuditAction(action.value),
            report.reported_id,
            report.group_id,
            now,
            detail=report.reason.value,
            tx=tx,
        )
        await outbox.cancel_pending(dedupe_prefix=report_prefix(report.id), tx=tx)
        handled = await moderation.report(report.id, tx=tx)
    return ActOutcome.DONE, handled


async def _carry_out(
    moderation: ModerationRepository,
    outbox: OutboxRepository,
    report: Report,
    action: ModerationAction,
    now: datetime,
    tx: Tx,
) -> None:
    reported = report.reported_id
    if action is ModerationAction.WARN:
        notice = warning_notice(report.id, reported, report.group_id, now)
        await outbox.enqueue([notice], now=now, tx=tx)
    elif action is ModerationAction.END_PAIRING and report.pairing_id is not None:
        pairing = await moderation.pairing(report.pairing_id, tx=tx)
        if pairing is not None:
            await end_pairing_by_moderator(moderation, outbox, pairing, now, tx=tx)
    elif action in SUSPENSIONS:
        ends = now + SUSPENSIONS[action]
        suspension = await moderation.add_suspension(
            reported, report.group_id, report.id, now, ends, tx=tx
        )
        await outbox.enqueue([suspension_notice(suspension, reported, now)], now=now, tx=tx)


async def end_pairing_by_moderator(
    moderation: ModerationRepository,
    outbox: OutboxRepository,
    pairing: Pairing,
    now: datetime,
    *,
    tx: Tx,
    reason: str = "moderator",
) -> bool:
    """Ends a running pairing and tells both buddies kindly (no reasons given); False if it
    had ended already."""
    if not await moderation.end_pairing(pairing.id, reason, now, tx=tx):
        return False
    await outbox.enqueue(pairing_ended_notices(pairing, now), now=now, tx=tx)
    return True


async def open_reports(
    moderation: ModerationRepository,
    presser: Member,
    facilitated: frozenset[int],
    coordinator: bool,
) -> list[Report]:
    """The open reports ``presser`` may act on: of the groups they facilitate, or of every
    group for a coordinator; never one about themselves."""
    found = await moderation.open_reports(None if coordinator else facilitated)
    return [r for r in found if may_moderate(presser.id, r, facilitated, coordinator=coordinator)]


async def may_report(
    moderation: ModerationRepository, member: Member, about: ReportAbout, target_id: int
) -> bool:
    """Whether ``member`` may report this: a message relayed to them, or their own pairing."""
    if about is ReportAbout.MESSAGE:
        message = await moderation.relayed_message(target_id)
        return message is not None and message.recipient_id == member.id
    pairing = await moderation.pairing(target_id)
    return pairing is not None and pairing.other(member.id) is not None


# --- a coordinator removes a member ------------------------------------------------------------


async def remove_member(
    groups: GroupRepository,
    meetings: MeetingRepository,
    outbox: OutboxRepository,
    moderation: ModerationRepository,
    clock: Clock,
    coordinator: Member,
    group_id: int,
    member_id: int,
) -> bool:
    """Removes a member, as leaving does (seats at coming meetings released, reminders for the
    group dropped), ends their buddy pairings there, tells them kindly and logs it; False if
    they were not a member (a second press)."""
    now = clock.now()
    async with groups.transaction() as tx:
        if not await groups.remove_member(group_id, member_id, tx=tx):
            return False
        await release_seats(meetings, groups, outbox, group_id, member_id, now, tx=tx)
        await outbox.cancel_pending(member_id=member_id, group_id=group_id, tx=tx)
        for pairing in await moderation.active_pairings(member_id, group_id, tx=tx):
            await end_pairing_by_moderator(
                moderation, outbox, pairing, now, tx=tx, reason="left_group"
            )
        await outbox.enqueue([removal_notice(member_id, group_id, now)], now=now, tx=tx)
        await moderation.log(
            coordinator.id, AuditAction.REMOVE_FROM_GROUP, member_id, group_id, now, tx=tx
        )
    return True


# --- the audit log -----------------------------------------------------------------------------


async def audit_page(
    moderation: ModerationRepository, page_index: int
) -> tuple[list[AuditEntry], bool, bool]:
    """One page of the log, newest first, and whether earlier and later pages exist."""
    total = await moderation.audit_count()
    offset = page_index * AUDIT_PAGE_SIZE
    entries = await moderation.audit_entries(AUDIT_PAGE_SIZE, offset)
    return entries, page_index > 0, offset + AUDIT_PAGE_SIZE < total
