"""/broadcast: a facilitator (or coordinator) chooses who should hear it, writes the
announcement as one ordinary Telegram message, sees it exactly as it will arrive, and sends it.

The message is never re-typed by the bot: the preview and every recipient's copy are Bot API
copies of the author's own message (copyMessage), so formatting, links, a photo or document and
its caption arrive as written, with no "forwarded from". Sending is the outbox's (one row per
recipient, planned in the transaction that creates the broadcast); the preview message becomes
the author's progress message (bot.jobs.broadcast_progress).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.context import RangkulContext
from bot.domain.broadcasts import Audience, Progress, may_address
from bot.domain.groups import Group
from bot.domain.regions import province_by_code
from bot.domain.safety import AuthoringDraft
from bot.narrowing import chat_of, message_of, query_of
from bot.services import broadcasts as service
from bot.telegram_glue.conversation import common_fallbacks, persistent_conversation
from bot.telegram_glue.facilitated import facilitated_groups
from bot.telegram_glue.flow import StepFlow
from bot.ui import broadcasts as views
from bot.ui.broadcasts import (
    BroadcastProvincePage,
    CancelBroadcast,
    ChooseAudience,
    ChooseBroadcastGroup,
    ChooseBroadcastProvince,
    ConfirmBroadcast,
)
from bot.ui.callbacks import Area, on_button
from bot.ui.menu import expired_button_text
from bot.ui.view import View


class Step(enum.IntEnum):
    AUDIENCE = 1
    PROVINCE = 2
    COMPOSE = 3
    PREVIEW = 4


@dataclass
class BroadcastDraft:
    audience: str | None = None
    group_id: int | None = None
    province: str | None = None
    message_id: int | None = None  # the announcement: the author's message in this chat
    ppage: int = 0


async def _groups(update: Update, context: RangkulContext) -> list[Group]:
    """The groups the person may address: a coordinator any active group, a facilitator theirs."""
    session = await context.session(update)
    if session.is_coordinator:
        return [summary.group for summary in await context.services.groups.list_all()]
    return await facilitated_groups(update, context)


async def _target(
    update: Update, context: RangkulContext, draft: BroadcastDraft
) -> tuple[service.Target, str] | None:
    """The chosen audience and its name, if the person may still address it (checked again at
    every step: a role removed or a group archived ends the flow)."""
    session = await context.session(update)
    try:
        audience = Audience(draft.audience or "")
    except ValueError:
        return None
    allowed = may_address(
        audience,
        is_coordinator=session.is_coordinator,
        facilitated=session.facilitated_groups,
        group_id=draft.group_id,
    )
    if not allowed:
        return None
    group = None
    if audience is Audience.GROUP:
        group = await context.services.groups.active(draft.group_id)
        if group is None:
            return None
    if audience is Audience.PROVINCE and province_by_code(draft.province or "") is None:
        return None
    target = service.Target(audience, draft.group_id, draft.province)
    return target, views.audience_name(session.t, audience, group, draft.province)


async def _view(
    update: Update, context: RangkulContext, step: Step, draft: BroadcastDraft
) -> View | Step | None:
    session = await context.session(update)
    t = session.t
    if step is Step.AUDIENCE:
        groups = await _groups(update, context)
        if not groups and not session.is_coordinator:
            return None
        return views.audience_view(t, groups, coordinator=session.is_coordinator)
    if step is Step.PROVINCE:
        return views.province_view(t, draft.ppage)
    chosen = await _target(update, context, draft)
    if chosen is None:
        return Step.AUDIENCE if await _groups(update, context) else None
    target, to = chosen
    if step is Step.COMPOSE or draft.message_id is None:
        return views.compose_prompt(t, to), None
    assert session.member is not None  # only members have roles
    people = await service.recipients_of(context.services.broadcasts, target, session.member.id)
    if not people:
        return views.nobody_text(t, to), views.cancel_only(t)
    return views.preview_view(t, to, len(people), draft.message_id)


FLOW = StepFlow(
    AuthoringDraft.BROADCAST,
    BroadcastDraft,
    _view,
    hint=views.use_buttons_hint,
    typing_hint=views.compose_hint,
    lost=views.refused_text,
    area=Area.BROADCAST,
)


async def begin(update: Update, context: RangkulContext) -> int:
    """/broadcast: who should receive it."""
    return await FLOW.go(update, context, Step.AUDIENCE, BroadcastDraft(), edit=False)


async def choose_group(
    update: Update, context: RangkulContext, action: ChooseBroadcastGroup
) -> int:
    draft = BroadcastDraft(audience=Audience.GROUP.value, group_id=action.group_id)
    return await FLOW.go(update, context, Step.COMPOSE, draft)


async def choose_audience(update: Update, context: RangkulContext, action: ChooseAudience) -> int:
    draft = BroadcastDraft(audience=action.audience.value)
    step = Step.PROVINCE if action.audience is Audience.PROVINCE else Step.COMPOSE
    return await FLOW.go(update, context, step, draft)


async def province_page(
    update: Update, context: RangkulContext, action: BroadcastProvincePage
) -> int:
    draft = FLOW.draft(context)
    draft.ppage = action.page
    return await FLOW.go(update, context, Step.PROVINCE, draft)


async def choose_province(
    update: Update, context: RangkulContext, action: ChooseBroadcastProvince
) -> int:
    draft = FLOW.draft(context)
    draft.province = action.code
    return await FLOW.go(update, context, Step.COMPOSE, draft)


async def compose(update: Update, context: RangkulContext) -> int:
    """The announcement (also a new one at the preview): shown back as a copy, then the
    question whether to send it."""
    draft = FLOW.draft(context)
    if await _target(update, context, draft) is None:
        return await FLOW.go(update, context, Step.AUDIENCE, draft, edit=False)
    message = message_of(update)
    draft.message_id = message.message_id
    await context.bot.copy_message(
        message.chat_id, message.chat_id, message.message_id, parse_mode=None
    )
    return await FLOW.go(update, context, Step.PREVIEW, draft, edit=False)


async def confirm(update: Update, context: RangkulContext, action: ConfirmBroadcast) -> int:
    """Sends it: the broadcast and its copies are planned at once; the preview message becomes
    the progress message. A preview of an earlier message changes nothing."""
    session = await context.session(update)
    draft = FLOW.draft(context)
    if action.message_id != draft.message_id:
        await query_of(update).answer(expired_button_text(session.t), show_alert=True)
        return Step.PREVIEW
    chosen = await _target(update, context, draft)
    if chosen is None or session.member is None:
        return await FLOW.lost(update, context)
    target, _ = chosen
    services = context.services
    started = await service.start_broadcast(
        services.broadcasts,
        services.outbox,
        services.clock,
        author_id=session.member.id,
        author_chat_id=chat_of(update).id,
        source_message_id=action.message_id,
        target=target,
    )
    if started is None:
        return await FLOW.end(update, context, views.already_sent_text(session.t))
    broadcast_id, count = started
    ended = await FLOW.end(update, context, views.progress_text(session.t, Progress(waiting=count)))
    preview = query_of(update).message
    if preview is not None:
        await services.broadcasts.set_progress_message(broadcast_id, preview.message_id)
    return ended


async def cancel(update: Update, context: RangkulContext, _: CancelBroadcast) -> int:
    session = await context.session(update)
    return await FLOW.end(update, context, views.cancelled_text(session.t))


def handlers() -> list[BaseHandler]:
    """The persistent /broadcast conversation (private chats only: it copies the author's
    message from their own chat)."""
    announcement = (filters.TEXT & ~filters.COMMAND) | filters.PHOTO | filters.Document.ALL
    composing = MessageHandler(announcement, compose)
    states: dict[object, list[BaseHandler]] = {
        Step.AUDIENCE: [
            on_button(ChooseBroadcastGroup, choose_group),
            on_button(ChooseAudience, choose_audience),
        ],
        Step.PROVINCE: [
            on_button(ChooseBroadcastProvince, choose_province),
            on_button(BroadcastProvincePage, province_page),
        ],
        Step.COMPOSE: [composing],
        Step.PREVIEW: [
            on_button(ConfirmBroadcast, confirm),
            on_button(CancelBroadcast, cancel),
            composing,
        ],
    }
    for step in (Step.AUDIENCE, Step.PROVINCE, Step.COMPOSE):
        states[step].append(on_button(CancelBroadcast, cancel))
    FLOW.add_step_hints(states)
    return [
        persistent_conversation(
            "broadcast",
            allow_reentry=True,
            entry_points=[CommandHandler("broadcast", begin, filters=filters.ChatType.PRIVATE)],
            states=states,
            fallbacks=common_fallbacks(),
        )
    ]
