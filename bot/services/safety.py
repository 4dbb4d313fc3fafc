"""Crisis safety use cases: screening text, recording that the flow ran, consented alerts to a
facilitator and their escalation (a step of the planner), and the personal safety plan.

An alert goes to the first facilitator at once. If nobody acknowledged it 30 minutes later, the
planner's pass (:func:`escalate_alerts`) tells whoever facilitates the group or coordinates *at
that moment* and records that the alert escalated; renderers only render.

Relays (anonymous questions, buddy messages, group chats) call :func:`screen_relay_text` on
any text they pass on that did not already come through the safety handler group. Private-chat
text and captions are screened before any conversation sees them (bot/handlers/safety.py), so
a relay step inside a private conversation never receives crisis text at all: the person got
the crisis reply instead and the conversation stayed at its step.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.clock import Clock
from bot.data_files import crisis_detector
from bot.domain.crisis_detection import CrisisSignal
from bot.domain.member import Member
from bot.domain.safety import (
    ESCALATE_AFTER,
    MAX_RELAY_CHARS,
    AckOutcome,
    AlertOutcome,
    CrisisAlert,
    CrisisSource,
    PlanSection,
    Relayed,
    RelayOutcome,
    SavedAnswer,
    alert_message,
    alert_prefix,
    alert_seen_message,
    clean_answer,
    is_acute,
    relay_message,
)
from bot.storage.database import Tx
from bot.storage.outbox import OutboxRepository
from bot.storage.roles import RoleRepository
from bot.storage.safety import SafetyRepository


def screen_relay_text(text: str | None) -> CrisisSignal | None:
    """Crisis language in a text about to be relayed to someone else, or None.

    A caller that gets a signal must not forward the text automatically: it shows the sender
    the crisis reply for that signal (``bot.telegram_glue.crisis_reply.send_crisis_reply``)
    and may then let them decide whether to send it anyway. Like everywhere else, the text
    itself is neither stored nor logged.
    """
    return crisis_detector().detect(text) if text else None


async def record_crisis_flow(
    safety: SafetyRepository, clock: Clock, member: Member | None, source: CrisisSource
) -> None:
    """Stores that the crisis reply was shown to a member, and when; nothing for non-members."""
    if member is not None:
        await safety.record_event(member.id, source, clock.now())


async def can_alert_facilitator(safety: SafetyRepository, member: Member | None) -> bool:
    """Whether "Let my facilitator know" is offered: a member of a group with a facilitator."""
    return member is not None and await safety.alert_group(member.id) is not None


async def alert_facilitator(
    safety: SafetyRepository, outbox: OutboxRepository, clock: Clock, member: Member
) -> tuple[AlertOutcome, CrisisAlert | None]:
    """The person consented: alert the first facilitator of their (first) group now; the
    planner escalates it if nobody acknowledges (:func:`escalate_alerts`)."""
    now = clock.now()
    async with safety.transaction() as tx:
        recent = await safety.open_alert(member.id, now - ESCALATE_AFTER, tx=tx)
        if recent is not None:
            return AlertOutcome.ALREADY_SENT, recent
        target = await safety.alert_group(member.id, tx=tx)
        if target is None:
            return AlertOutcome.NO_FACILITATOR, None
        group_id, first = target
        alert_id = await safety.insert_alert(member.id, group_id, now, tx=tx)
        first_alert = alert_message(alert_id, member.id, first, now, escalation=False)
        await outbox.enqueue([first_alert], now=now, tx=tx)
        alert = await safety.alert(alert_id, tx=tx)
    return AlertOutcome.SENT, alert


async def escalate_alerts(
    safety: SafetyRepository,
    roles: RoleRepository,
    outbox: OutboxRepository,
    clock: Clock,
    admin_ids: frozenset[int],
) -> int:
    """A planner step: every alert nobody acknowledged within 30 minutes goes to whoever
    facilitates its group or coordinates now (never the person themselves), once; returns how
    many messages were planned. One short transaction per alert, which re-reads it first."""
    now = clock.now()
    planned = 0
    for alert_id in await safety.due_for_escalation(now - ESCALATE_AFTER):
        async with safety.transaction() as tx:
            alert = await safety.alert(alert_id, tx=tx)
            if alert is None or alert.is_acknowledged or alert.escalated_at is not None:
                continue  # acknowledged or forgotten meanwhile
            recipients = await escalation_recipients(roles, admin_ids, alert, tx=tx)
            messages = [
                alert_message(alert.id, alert.member_id, recipient, now, escalation=True)
                for recipient in recipients
            ]
            planned += await outbox.enqueue(messages, now=now, tx=tx)
            await safety.mark_escalated(alert.id, now, tx=tx)
    return planned


async def acknowledge_alert(
    safety: SafetyRepository,
    roles: RoleRepository,
    outbox: OutboxRepository,
    clock: Clock,
    presser: Member | None,
    is_coordinator: bool,
    alert_id: int,
) -> tuple[AckOutcome, CrisisAlert | None]:
    """An "Acknowledge" press, re-authorised now: a facilitator of the alert's group or a
    coordinator. The button's data is never trusted. Acknowledging drops the alert's pending
    messages and tells the person, in one transaction."""
    now = clock.now()
    async with safety.transaction() as tx:
        refused, alert = await staff_alert(safety, roles, presser, is_coordinator, alert_id, tx=tx)
        if refused is not None or alert is None or presser is None:
            return refused or AckOutcome.NOT_ALLOWED, None
        if not await safety.acknowledge(alert_id, presser.id, now, tx=tx):
            return AckOutcome.ALREADY, alert
        await outbox.cancel_pending(dedupe_prefix=alert_prefix(alert_id), tx=tx)
        seen = alert_seen_message(alert_id, alert.member_id, now)
        await outbox.enqueue([seen], now=now, tx=tx)
        return AckOutcome.ACKNOWLEDGED, await safety.alert(alert_id, tx=tx)


async def staff_alert(
    safety: SafetyRepository,
    roles: RoleRepository,
    presser: Member | None,
    is_coordinator: bool,
    alert_id: int,
    *,
    tx: Tx | None = None,
) -> tuple[AckOutcome | None, CrisisAlert | None]:
    """The alert, if ``presser`` may act on it right now (a facilitator of its group or a
    coordinator); otherwise why not (GONE or NOT_ALLOWED)."""
    alert = await safety.alert(alert_id, tx=tx)
    if alert is None:
        return AckOutcome.GONE, None
    if presser is None or not await _is_staff_for(roles, presser, is_coordinator, alert, tx=tx):
        return AckOutcome.NOT_ALLOWED, None
    return None, alert


async def may_receive_alert(
    roles: RoleRepository, admin_ids: frozenset[int], member: Member, alert: CrisisAlert
) -> bool:
    """Whether ``member`` may be sent ``alert`` now: a facilitator of its group or a
    coordinator at this moment (roles change between consent and sending)."""
    coordinator = member.is_coordinator or member.telegram_id in admin_ids
    return await _is_staff_for(roles, member, coordinator, alert)


async def escalation_recipients(
    roles: RoleRepository, admin_ids: frozenset[int], alert: CrisisAlert, *, tx: Tx | None = None
) -> list[int]:
    """Everyone to tell when ``alert`` escalates, as of now: the group's current
    facilitators and the current coordinators, never the person themselves."""
    facilitators = await roles.facilitator_ids(alert.group_id, tx=tx) if alert.group_id else ()
    coordinators = await roles.coordinator_ids(admin_ids, tx=tx)
    return _unique(m for m in (*facilitators, *coordinators) if m != alert.member_id)


async def _is_staff_for(
    roles: RoleRepository,
    member: Member,
    is_coordinator: bool,
    alert: CrisisAlert,
    *,
    tx: Tx | None = None,
) -> bool:
    return is_coordinator or (
        alert.group_id is not None
        and alert.group_id in await roles.facilitated_group_ids(member.id, tx=tx)
    )


def _unique(member_ids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(member_ids))


async def relay_to_person(
    safety: SafetyRepository,
    roles: RoleRepository,
    outbox: OutboxRepository,
    clock: Clock,
    sender: Member | None,
    is_coordinator: bool,
    alert_id: int,
    text: str | None,
) -> Relayed:
    """A facilitator's one message to the person an alert is about, re-authorised now and
    screened; planned in the outbox (the person's Telegram id never reaches the sender, nor
    the sender's the person)."""
    message, problem = clean_answer(text, MAX_RELAY_CHARS)
    if message is None:
        return Relayed(RelayOutcome.INVALID, problem=problem)
    crisis = screen_relay_text(message)
    if crisis is not None:
        return Relayed(RelayOutcome.CRISIS, crisis=crisis)
    now = clock.now()
    async with safety.transaction() as tx:
        refused, alert = await staff_alert(safety, roles, sender, is_coordinator, alert_id, tx=tx)
        if refused is AckOutcome.GONE:
            return Relayed(RelayOutcome.GONE)
        if alert is None or sender is None:
            return Relayed(RelayOutcome.NOT_ALLOWED)
        relayed = relay_message(alert.id, sender.id, alert.member_id, message, now)
        await outbox.enqueue([relayed], now=now, tx=tx)
    return Relayed(RelayOutcome.SENT, alert)


async def save_plan_answer(
    safety: SafetyRepository, clock: Clock, member: Member, section: PlanSection, text: str | None
) -> SavedAnswer:
    answer, problem = clean_answer(text)
    if answer is None:
        return SavedAnswer(problem)
    await safety.save_answer(member.id, section, answer, clock.now())
    detector = crisis_detector()
    return SavedAnswer(None, detector.detect(answer), acute=is_acute(answer, detector))
