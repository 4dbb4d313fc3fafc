"""Impact reports: a facilitator's groups, or a coordinator's network and every group, over a
period; and the coordinators' export of the same for every period. Only k-anonymous figures
leave here (bot.domain.impact)."""

from __future__ import annotations

from collections.abc import Iterable

from bot.clock import Clock
from bot.domain.groups import Group
from bot.domain.impact import Period, ScopeImpact, impact, referrals
from bot.storage.groups import GroupRepository
from bot.storage.impact import ImpactRepository


async def group_reports(
    store: ImpactRepository, clock: Clock, groups: Iterable[Group], period: Period
) -> list[ScopeImpact]:
    """Each group's figures (a facilitator's report: the groups they facilitate)."""
    chosen = list(groups)
    now = clock.now()
    start = period.start(now)
    data = await store.reports_data([group.id for group in chosen], start, now)
    return [ScopeImpact(g.name, impact(data.group(g.id), start, now)) for g in chosen]


async def network_report(
    store: ImpactRepository, groups: GroupRepository, clock: Clock, period: Period
) -> list[ScopeImpact]:
    """The whole network (every active group, and the referral sources) first, then each
    group (a coordinator's report), from one read of every active group's rows."""
    active = [summary.group for summary in await groups.list_all()]
    now = clock.now()
    start = period.start(now)
    data = await store.reports_data([group.id for group in active], start, now)
    network = ScopeImpact(
        None, impact(data.whole, start, now), referrals(await store.referral_counts())
    )
    return [network, *(ScopeImpact(g.name, impact(data.group(g.id), start, now)) for g in active)]


async def export(
    store: ImpactRepository, groups: GroupRepository, clock: Clock
) -> list[tuple[Period, list[ScopeImpact]]]:
    """The coordinator's report for every period, for the CSV export."""
    return [(period, await network_report(store, groups, clock, period)) for period in Period]
