"""Use cases of the resource directory: loading it at start, and the coordinators' add, edit
and retire. Each change is written first and then applied to the in-memory directory
(bot.domain.directory), so it is searchable at once; browsing and searching read the
directory directly.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from bot.clock import Clock
from bot.domain.directory import Draft, ResourceDirectory
from bot.domain.resources import Resource
from bot.storage.resources import ResourceRepository, SeedReport

log = logging.getLogger(__name__)


async def load_directory(
    resources: ResourceRepository,
    directory: ResourceDirectory,
    clock: Clock,
    seed: Iterable[Resource],
) -> SeedReport:
    """Imports the data file (edits made in the bot are kept), then loads every active entry."""
    report = await resources.seed(seed, clock.now())
    if report.kept_bot_edits:
        # Ids only: they are the directory's own slugs, nothing about a person.
        log.warning(
            "resource seed: %d entries edited in the bot were kept: %s",
            len(report.kept_bot_edits),
            ", ".join(report.kept_bot_edits),
        )
    log.info(
        "resource seed: %d new, %d updated, %d unchanged, %d retired",
        report.inserted,
        report.updated,
        report.unchanged,
        report.retired,
    )
    directory.load(await resources.active())
    return report


# The caller has checked the coordinator role just now.


async def add_resource(
    resources: ResourceRepository, directory: ResourceDirectory, clock: Clock, draft: Draft
) -> Resource:
    now = clock.now()
    async with resources.transaction() as tx:
        entry = draft.entry(await resources.all_ids(tx=tx), now.date())
        await resources.add(entry, now, tx=tx)
    directory.apply(entry)
    return entry


async def replace_resource(
    resources: ResourceRepository, directory: ResourceDirectory, clock: Clock, entry: Resource
) -> bool:
    """Saves an edited entry; False if it was retired meanwhile."""
    if not await resources.replace(entry, clock.now()):
        return False
    directory.apply(entry)
    return True


async def retire_resource(
    resources: ResourceRepository, directory: ResourceDirectory, clock: Clock, resource_id: str
) -> bool:
    retired = await resources.retire(resource_id, clock.now())
    directory.remove(resource_id)
    return retired
