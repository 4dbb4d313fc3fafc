"""The groups a person facilitates, checked again at every step of a facilitator's flow."""

from __future__ import annotations

from telegram import Update

from bot.context import RangkulContext
from bot.domain.groups import Group
from bot.narrowing import query_of
from bot.ui.meetings import refused_text


async def facilitated_groups(update: Update, context: RangkulContext) -> list[Group]:
    """The active groups the person facilitates right now, by id."""
    session = await context.session(update)
    groups = [
        await context.services.groups.active(gid) for gid in sorted(session.facilitated_groups)
    ]
    return [group for group in groups if group is not None]


async def facilitated_group(
    update: Update, context: RangkulContext, group_id: int | None
) -> Group | None:
    """The group if the person facilitates it right now (checked at every step) and it is active."""
    session = await context.session(update)
    if group_id not in session.facilitated_groups:
        return None
    return await context.services.groups.active(group_id)


async def may_use_group(update: Update, context: RangkulContext, group_id: int) -> bool:
    """A group button, checked at press time: a forged id for another group is refused."""
    session = await context.session(update)
    if group_id not in session.facilitated_groups:
        await query_of(update).answer(refused_text(session.t), show_alert=True)
        return False
    return True
