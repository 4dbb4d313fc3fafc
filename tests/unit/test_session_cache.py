"""Who is talking is read from the database once, then kept until anything is written."""

from __future__ import annotations

import sqlite3

import pytest

from bot.config import Settings
from bot.context import SessionCache
from bot.services.container import Services
from tests.unit.conftest import Network


def services_of(network: Network) -> Services:
    settings = Settings(token="1:test", database_path=network.db.path, max_rate=0)
    return Services(settings=settings, clock=network.clock, db=network.db, contacts=())


async def test_kept_while_nothing_is_written_and_read_afresh_after(network: Network) -> None:
    services, cache = services_of(network), SessionCache()
    ayu = await network.person(11)
    statements: list[str] = []
    conn = await network.db.connection()
    await conn.set_trace_callback(statements.append)

    member, facilitated = await cache.who(services, 11)
    assert member is not None and member.id == ayu.id and facilitated == frozenset()
    assert await cache.who(services, 12) == (None, frozenset())  # not registered: kept too
    read = len(statements)
    assert read > 0
    await cache.who(services, 11)
    await cache.who(services, 12)
    assert len(statements) == read  # no SQL at all

    group = await network.group(facilitators=(ayu,))  # any transaction, anyone's
    assert (await cache.who(services, 11))[1] == frozenset({group.id})
    await conn.set_trace_callback(None)


async def test_nothing_seen_inside_a_running_transaction_is_kept(network: Network) -> None:
    services, cache = services_of(network), SessionCache()
    await network.person(11)
    with pytest.raises(LookupError):
        async with network.db.transaction() as tx:
            await tx.execute("UPDATE members SET alias = 'Rolled Back' WHERE telegram_id = 11")
            member, _ = await cache.who(services, 11)  # the shared connection sees it
            assert member is not None and member.alias == "Rolled Back"
            raise LookupError
    member, _ = await cache.who(services, 11)
    assert member is not None and member.alias == "Melati 11"


async def test_a_transaction_that_writes_nothing_keeps_what_is_kept(network: Network) -> None:
    # The outbox's pass every few seconds is such a transaction when nothing is due.
    services, cache = services_of(network), SessionCache()
    await network.person(11)
    statements: list[str] = []
    conn = await network.db.connection()
    await cache.who(services, 11)
    await conn.set_trace_callback(statements.append)
    async with network.db.transaction():
        member, _ = await cache.who(services, 11)  # meanwhile: read, as it may be uncommitted
        assert member is not None and member.alias == "Melati 11"
    read = len(statements)
    assert await cache.who(services, 11) == (member, frozenset())
    assert len(statements) == read  # kept after all
    await conn.set_trace_callback(None)


async def test_a_write_from_another_connection_is_seen(network: Network) -> None:
    services, cache = services_of(network), SessionCache()
    await network.person(11)
    assert (await cache.who(services, 11))[0] is not None
    with sqlite3.connect(network.db.path) as other:  # an operator's sqlite3 shell, say
        other.execute("UPDATE members SET alias = 'Edited Outside' WHERE telegram_id = 11")
    member, _ = await cache.who(services, 11)
    assert member is not None and member.alias == "Edited Outside"
