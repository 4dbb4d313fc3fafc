"""The groups a person facilitates, checked again at every step of a facilitator's flow."""

from __future__ import annotations

from telegram import Update

from bot.context import RangkulContext
from bot.domain.groups import Group
from bot.telegram_glue.chat import draft, show
from bot.ui.meetings import not_facilitator_text, refused_text


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


async def begin_with_group(update: Update, context: RangkulContext, key: str) -> list[Group]:
    """Starts a facilitator's flow with a fresh draft under ``key``: the groups they facilitate
    now (none: they are told, and the flow should end); exactly one is chosen already."""
    context.user_data.pop(key, None)
    groups = await facilitated_groups(update, context)
    if not groups:
        session = await context.session(update)
        await show(update, not_facilitator_text(session.t), edit=False)
    elif len(groups) == 1:
        draft(context, key)["group_id"] = groups[0].id
    return groups


async def pick_group(update: Update, context: RangkulContext, key: str, group_id: int) -> bool:
    """A group button, checked at press time: a forged id for another group is refused."""
    session = await context.session(update)
    if group_id not in session.facilitated_groups:
        await update.callback_query.answer(refused_text(session.t), show_alert=True)
        return False
    draft(context, key)["group_id"] = group_id
    return True


async def may_use_group(update: Update, context: RangkulContext, group_id: int) -> bool:
    """A group button, checked at press time: a forged id for another group is refused."""
    session = await context.session(update)
    if group_id not in session.facilitated_groups:
        await update.callback_query.answer(refused_text(session.t), show_alert=True)
        return False
    return True
