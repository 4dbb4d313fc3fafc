"""/buddy: what a buddy is, asking for one (or no longer) in each group, and the pairing's
buttons: continue four more weeks, end it (after a question).

Every press looks the group and the pairing up again: a button names them, it never proves
that the presser is still in them. A press whose step has passed (a double tap, an old
message) changes nothing and gets a toast. Writing to the buddy is a conversation of its own
(bot/conversations/buddy_message.py).
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.context import RangkulContext
from bot.domain.buddies import EndReason, may_continue
from bot.domain.member import Member
from bot.narrowing import query_of
from bot.services import buddies as service
from bot.telegram_glue.chat import show
from bot.telegram_glue.registered import member_or_refuse
from bot.ui import buddies as views
from bot.ui.buddies import (
    BuddyGroupCard,
    BuddyList,
    BuddyOptIn,
    BuddyOptOut,
    ConfirmEndPairing,
    ContinuePairing,
    EndPairing,
    KeepPairing,
)
from bot.ui.callbacks import on_button
from bot.ui.view import View


async def buddy_command(update: Update, context: RangkulContext) -> None:
    """/buddy: one group's card straight away, or the groups to pick from."""
    member = await member_or_refuse(update, context)
    if member is not None:
        await _show_groups(update, context, member)


async def buddy_list(update: Update, context: RangkulContext, _: BuddyList) -> None:
    member = await member_or_refuse(update, context)
    if member is not None:
        await _show_groups(update, context, member)


async def _show_groups(update: Update, context: RangkulContext, member: Member) -> None:
    t = (await context.session(update)).t
    groups = await service.buddy_groups(context.services.buddies, member)
    if not groups:
        await show(update, views.intro_text(t) + "\n\n" + views.no_group_text(t))
    elif len(groups) == 1:
        text, markup = await _card(update, context, member, groups[0].group_id)
        await show(update, views.intro_text(t) + "\n\n" + text, markup)
    else:
        await show(update, *views.group_choice_view(t, groups))


async def _card(
    update: Update, context: RangkulContext, member: Member, group_id: int, note: str = ""
) -> View:
    """The card of one group, or the way back to the list once the person left it."""
    t, s = (await context.session(update)).t, context.services
    groups = await service.buddy_groups(s.buddies, member)
    group = next((g for g in groups if g.group_id == group_id), None)
    if group is None:
        return views.no_group_text(t), None
    text, markup = views.card_view(
        t, group, s.clock.now(), member.timezone, member.id, several=len(groups) > 1
    )
    return (f"{note}\n\n{text}" if note else text), markup


async def group_card(update: Update, context: RangkulContext, action: BuddyGroupCard) -> None:
    member = await member_or_refuse(update, context)
    if member is not None:
        await show(update, *await _card(update, context, member, action.group_id))


async def opt_in(update: Update, context: RangkulContext, action: BuddyOptIn) -> None:
    """ "Find me a buddy": asked (once); a second press shows the same card."""
    member = await member_or_refuse(update, context)
    if member is None:
        return
    s = context.services
    await service.opt_in(s.buddies, s.clock, member, action.group_id)
    await show(update, *await _card(update, context, member, action.group_id))


async def opt_out(update: Update, context: RangkulContext, action: BuddyOptOut) -> None:
    member = await member_or_refuse(update, context)
    if member is None:
        return
    await service.opt_out(context.services.buddies, member, action.group_id)
    await show(update, *await _card(update, context, member, action.group_id))


async def end_question(update: Update, context: RangkulContext, action: EndPairing) -> None:
    """ "End pairing": asked once more, since the other side will be told."""
    member = await member_or_refuse(update, context)
    if member is None:
        return
    t, s = (await context.session(update)).t, context.services
    target = await service.relay_target(s.buddies, member, action.pairing_id)
    if target is None:
        await query_of(update).answer(views.pairing_over_text(t))
        return
    await show(update, *views.end_question_view(t, *target))


async def confirm_end(update: Update, context: RangkulContext, action: ConfirmEndPairing) -> None:
    """ "Yes, end it": ended, the other side told kindly; a second press gets a toast."""
    member = await member_or_refuse(update, context)
    if member is None:
        return
    t, s = (await context.session(update)).t, context.services
    target = await service.relay_target(s.buddies, member, action.pairing_id)
    ended = None
    if target is not None:
        ended = await service.end_pairing(
            s.buddies,
            s.outbox,
            action.pairing_id,
            EndReason.BY_MEMBER,
            s.clock.now(),
            ended_by=member.id,
        )
    if target is None or ended is None:
        await query_of(update).answer(views.pairing_over_text(t))
        return
    _, alias = target
    note = views.ended_by_you_text(t, alias)
    await show(update, *await _card(update, context, member, ended.group_id, note))


async def keep(update: Update, context: RangkulContext, action: KeepPairing) -> None:
    member = await member_or_refuse(update, context)
    if member is None:
        return
    pairing = await context.services.buddies.get(action.pairing_id)
    if pairing is None or not pairing.includes(member.id):
        await query_of(update).answer(views.pairing_over_text((await context.session(update)).t))
        return
    await show(update, *await _card(update, context, member, pairing.group_id))


async def continue_pairing(
    update: Update, context: RangkulContext, action: ContinuePairing
) -> None:
    """ "Continue 4 more weeks" (the card or the last week's prompt): recorded; once both
    chose, four more weeks. Outside the last week, or pressed again, a toast."""
    member = await member_or_refuse(update, context)
    if member is None:
        return
    t, s = (await context.session(update)).t, context.services
    query = query_of(update)
    pairing = await s.buddies.get(action.pairing_id)
    if pairing is None or not pairing.active or not pairing.includes(member.id):
        await query.answer(views.pairing_over_text(t))
        return
    if not may_continue(pairing, s.clock.now()):
        await query.answer(views.not_last_week_text(t))
        return
    if pairing.wants_to_continue(member.id):  # a second press: the card says so already
        await show(update, *await _card(update, context, member, pairing.group_id))
        return
    now_pairing = await service.continue_pairing(s.buddies, s.outbox, s.clock, member, pairing.id)
    if now_pairing is None:
        await query.answer(views.pairing_over_text(t))
        return
    note = ""
    if now_pairing.ends_at != pairing.ends_at:
        alias = await s.buddies.alias(pairing.other(member.id)) or ""
        note = views.continued_text(t, alias, now_pairing.ends_at, member.timezone)
    await show(update, *await _card(update, context, member, pairing.group_id, note))


def handlers() -> list[BaseHandler]:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("buddy", buddy_command, filters=private),
        on_button(BuddyList, buddy_list),
        on_button(BuddyGroupCard, group_card),
        on_button(BuddyOptIn, opt_in),
        on_button(BuddyOptOut, opt_out),
        on_button(EndPairing, end_question),
        on_button(ConfirmEndPairing, confirm_end),
        on_button(KeepPairing, keep),
        on_button(ContinuePairing, continue_pairing),
    ]
