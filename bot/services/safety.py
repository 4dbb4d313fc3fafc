"""Crisis safety use cases: screening text, recording that the flow ran, consented alerts to a
facilitator (with escalation), and the personal safety plan.

Relays (anonymous questions, buddy messages, group chats) call :func:`screen_relay_text` on
any text they pass on that did not already come through the safety handler group. Private-chat
text and captions are screened before any conversation sees them (bot/handlers/safety.py), so
a relay step inside a private conversation never receives crisis text at all: the person got
the crisis reply instead and the conversation stayed at its step.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from bot.data_files import crisis_lexicon
from bot.domain.crisis_detection import CrisisSignal, detect
from bot.domain.member import Member
from bot.domain.safety import (
    ESCALATE_AFTER,
    MAX_RELAY_CHARS,
    AnswerProblem,
    CrisisAlert,
    CrisisSource,
    PlanSection,
    clean_answer,
    is_acute,
)
from bot.services.container import Services


def screen_relay_text(text: str | None) -> CrisisSignal | None:
    """Crisis language in a text about to be relayed to someone else, or None.

    A caller that gets a signal must not forward the text automatically: it shows the sender
    the crisis reply (``bot.handlers.safety.send_crisis_reply(update, context,
    CrisisSource.DETECTED)``) and may then let them decide whether to send it anyway. Like
    everywhere else, the text itself is neither stored nor logged.
    """
    return detect(text, crisis_lexicon()) if text else None


async def record_crisis_flow(
    services: Services, member: Member | None, source: CrisisSource
) -> None:
    """Stores that the crisis reply was shown to a member, and when; nothing for non-members."""
    if member is not None:
        await services.safety.record_event(member.id, source, services.clock.now())


async def can_alert_facilitator(services: Services, member: Member | None) -> bool:
    """Whether "Let my facilitator know" is offered: a member of a group with a facilitator."""
    return member is not None and await services.safety.alert_group(member.id) is not None


class AlertOutcome(enum.Enum):
    SENT = "sent"
    ALREADY_SENT = "already_sent"  # an unacknowledged alert of the last 30 minutes exists
    NO_FACILITATOR = "no_facilitator"


async def alert_facilitator(
    services: Services, member: Member
) -> tuple[AlertOutcome, CrisisAlert | None]:
    """The person consented: alert the first facilitator of their (first) group now, and plan
    the escalation to every facilitator and the coordinators for 30 minutes later."""
    now = services.clock.now()
    recent = await services.safety.open_alert(member.id, now - ESCALATE_AFTER)
    if recent is not None:
        return AlertOutcome.ALREADY_SENT, recent
    target = await services.safety.alert_group(member.id)
    if target is None:
        return AlertOutcome.NO_FACILITATOR, None
    group_id, first = target
    facilitators = await services.roles.facilitator_ids(group_id)
    coordinators = await services.roles.coordinator_ids(services.settings.admin_ids)
    escalate_to = [m for m in (*facilitators, *coordinators) if m != member.id]
    alert_id = await services.safety.create_alert(
        member_id=member.id,
        group_id=group_id,
        first_facilitator=first,
        escalate_to=escalate_to,
        now=now,
        escalate_at=now + ESCALATE_AFTER,
    )
    return AlertOutcome.SENT, await services.safety.alert(alert_id)


class AckOutcome(enum.Enum):
    ACKNOWLEDGED = "acknowledged"
    ALREADY = "already"
    NOT_ALLOWED = "not_allowed"
    GONE = "gone"


async def acknowledge_alert(
    services: Services, presser: Member | None, is_coordinator: bool, alert_id: int
) -> tuple[AckOutcome, CrisisAlert | None]:
    """An "Acknowledge" press, re-authorised now: a facilitator of the alert's group or a
    coordinator. The button's data is never trusted."""
    refused, _ = await staff_alert(services, presser, is_coordinator, alert_id)
    if refused is not None or presser is None:
        return refused or AckOutcome.NOT_ALLOWED, None
    if not await services.safety.acknowledge(alert_id, presser.id, services.clock.now()):
        return AckOutcome.ALREADY, await services.safety.alert(alert_id)
    return AckOutcome.ACKNOWLEDGED, await services.safety.alert(alert_id)


async def staff_alert(
    services: Services, presser: Member | None, is_coordinator: bool, alert_id: int
) -> tuple[AckOutcome | None, CrisisAlert | None]:
    """The alert, if ``presser`` may act on it right now (a facilitator of its group or a
    coordinator); otherwise why not (GONE or NOT_ALLOWED)."""
    alert = await services.safety.alert(alert_id)
    if alert is None:
        return AckOutcome.GONE, None
    if presser is None or not await _is_staff_for(services, presser, is_coordinator, alert):
        return AckOutcome.NOT_ALLOWED, None
    return None, alert


async def may_receive_alert(services: Services, member: Member, alert: CrisisAlert) -> bool:
    """Whether ``member`` may be sent ``alert`` now: a facilitator of its group or a
    coordinator at this moment (roles change between consent and escalation)."""
    coordinator = member.is_coordinator or services.is_admin(member.telegram_id)
    return await _is_staff_for(services, member, coordinator, alert)


async def escalation_recipients(services: Services, alert: CrisisAlert) -> list[int]:
    """Everyone to tell when ``alert`` escalates, as of now: the group's current
    facilitators and the current coordinators, never the person themselves."""
    facilitators = await services.roles.facilitator_ids(alert.group_id) if alert.group_id else ()
    coordinators = await services.roles.coordinator_ids(services.settings.admin_ids)
    return [m for m in (*facilitators, *coordinators) if m != alert.member_id]


async def _is_staff_for(
    services: Services, member: Member, is_coordinator: bool, alert: CrisisAlert
) -> bool:
    return is_coordinator or (
        alert.group_id is not None
        and alert.group_id in await services.roles.facilitated_group_ids(member.id)
    )


class RelayOutcome(enum.Enum):
    SENT = "sent"
    INVALID = "invalid"  # empty or too long: see ``problem``
    CRISIS = "crisis"  # the sender's own text has crisis language: nothing is sent
    NOT_ALLOWED = "not_allowed"
    GONE = "gone"


@dataclass(frozen=True, slots=True)
class Relayed:
    outcome: RelayOutcome
    alert: CrisisAlert | None = None
    problem: AnswerProblem | None = None


async def relay_to_person(
    services: Services, sender: Member | None, is_coordinator: bool, alert_id: int, text: str | None
) -> Relayed:
    """A facilitator's one message to the person an alert is about, re-authorised now and
    screened; planned in the outbox (the person's Telegram id never reaches the sender, nor
    the sender's the person)."""
    message, problem = clean_answer(text, MAX_RELAY_CHARS)
    if message is None:
        return Relayed(RelayOutcome.INVALID, problem=problem)
    if screen_relay_text(message) is not None:
        return Relayed(RelayOutcome.CRISIS)
    refused, alert = await staff_alert(services, sender, is_coordinator, alert_id)
    if refused is AckOutcome.GONE:
        return Relayed(RelayOutcome.GONE)
    if alert is None or sender is None:
        return Relayed(RelayOutcome.NOT_ALLOWED)
    await services.safety.relay(
        alert_id=alert.id,
        sender_id=sender.id,
        recipient_id=alert.member_id,
        text=message,
        now=services.clock.now(),
    )
    return Relayed(RelayOutcome.SENT, alert)


@dataclass(frozen=True, slots=True)
class SavedAnswer:
    problem: AnswerProblem | None
    # Crisis language in the answer: it is still saved (a plan names hard moments on purpose),
    # and the person is shown a short, gentle note with contacts...
    crisis: CrisisSignal | None = None
    # ... or, when it signals acute danger (an intention, a time, preparations), the full
    # crisis reply.
    acute: bool = False


async def save_plan_answer(
    services: Services, member: Member, section: PlanSection, text: str | None
) -> SavedAnswer:
    answer, problem = clean_answer(text)
    if answer is None:
        return SavedAnswer(problem)
    await services.safety.save_answer(member.id, section, answer, services.clock.now())
    lexicon = crisis_lexicon()
    return SavedAnswer(None, detect(answer, lexicon), acute=is_acute(answer, lexicon))
