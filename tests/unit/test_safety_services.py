"""Crisis alert use cases on a real SQLite file: escalation is the planner's step (once, to
whoever holds a role then), rendering an alert changes nothing, and every relayed message is
planned."""

from __future__ import annotations

import random
from datetime import timedelta

from bot.config import Settings
from bot.domain.member import Member
from bot.domain.safety import ESCALATE_AFTER, AckOutcome, AlertOutcome, RelayOutcome
from bot.i18n import get_translator
from bot.notifications.safety import render_alert
from bot.services import safety
from bot.services.container import Services
from tests.unit.conftest import Network


async def consented_alert(network: Network) -> tuple[Member, Member, Member, int]:
    """(person, first facilitator, second facilitator, alert id) of a fresh alert."""
    first, second, melati = [await network.person(n) for n in (1, 2, 3)]
    await network.group(members=(melati,), facilitators=(first,))
    network.clock.advance(timedelta(seconds=1))  # "first facilitator" is by time added
    [group_id] = await network.groups.member_group_ids(melati.id)
    await network.groups.add_facilitator(group_id, second.id, network.clock.now())
    n = network
    outcome, alert = await safety.alert_facilitator(n.safety, n.outbox, n.clock, melati)
    assert outcome is AlertOutcome.SENT and alert is not None
    return melati, first, second, alert.id


async def escalate(network: Network) -> int:
    n = network
    return await safety.escalate_alerts(n.safety, n.roles, n.outbox, n.clock, frozenset())


async def test_an_unanswered_alert_escalates_once_after_30_minutes(network: Network) -> None:
    melati, first, second, alert_id = await consented_alert(network)
    assert await network.rows("SELECT member_id FROM outbox WHERE kind = 'crisis_alert'") == [
        (first.id,)
    ]
    network.clock.advance(ESCALATE_AFTER - timedelta(seconds=1))
    assert await escalate(network) == 0

    network.clock.advance(timedelta(seconds=1))
    assert await escalate(network) == 2
    assert await escalate(network) == 0  # once

    escalations = await network.rows(
        "SELECT member_id FROM outbox WHERE dedupe_key LIKE 'crisis_alert:%:escalation:%'"
        " ORDER BY member_id"
    )
    assert escalations == [(first.id,), (second.id,)]
    assert (await network.safety.alert(alert_id)).escalated_at == network.clock.now()
    assert melati.id not in {member_id for (member_id,) in escalations}


async def test_an_acknowledged_alert_never_escalates(network: Network) -> None:
    _, first, _, alert_id = await consented_alert(network)
    n = network
    outcome, _ = await safety.acknowledge_alert(
        n.safety, n.roles, n.outbox, n.clock, first, False, alert_id
    )
    assert outcome is AckOutcome.ACKNOWLEDGED
    network.clock.advance(ESCALATE_AFTER)
    assert await escalate(network) == 0
    assert (await network.safety.alert(alert_id)).escalated_at is None


async def test_rendering_an_escalation_changes_nothing(network: Network) -> None:
    _, first, _, alert_id = await consented_alert(network)
    network.clock.advance(ESCALATE_AFTER)
    await escalate(network)
    services = Services(
        settings=Settings(token="1:test", database_path=network.db.path),
        clock=network.clock,
        db=network.db,
        contacts=(),
        rng=random.Random(1),
    )
    conn = await network.db.connection()
    before = conn.total_changes

    payload = {"alert_id": alert_id, "escalation": True}
    rendered = await render_alert(services, get_translator("en"), first, payload)

    assert rendered is not None
    assert conn.total_changes == before


async def test_every_message_a_facilitator_relays_is_planned(network: Network) -> None:
    melati, first, _, alert_id = await consented_alert(network)
    n = network

    async def relay(text: str) -> RelayOutcome:
        relayed = await safety.relay_to_person(
            n.safety, n.roles, n.outbox, n.clock, first, False, alert_id, text
        )
        return relayed.outcome

    assert await relay("Aku di sini kalau kamu mau cerita.") is RelayOutcome.SENT
    # Sent: the outbox empties the payload, the text goes with it.
    conn = await network.db.connection()
    await conn.execute(
        "UPDATE outbox SET status = 'sent', payload = '{}' WHERE kind = ?", ("crisis_relay",)
    )
    network.clock.advance(timedelta(minutes=5))
    assert await relay("Besok aku telepon, ya.") is RelayOutcome.SENT

    relays = await network.rows(
        "SELECT member_id, status FROM outbox WHERE kind = 'crisis_relay' ORDER BY id"
    )
    assert relays == [(melati.id, "sent"), (melati.id, "pending")]
