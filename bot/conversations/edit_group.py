"""Editing a group (coordinators): pick a field, type the new value, validated with a reason.

Started from the Edit button of a group in /groups; the role is checked at the start and again
when the value is saved, the group at every step.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from telegram import Update
from telegram.ext import BaseHandler, ConversationHandler, MessageHandler, filters

from bot.context import RangkulContext
from bot.domain.groups import EditableField, GroupProblem
from bot.domain.safety import AuthoringDraft
from bot.i18n import Translator
from bot.narrowing import query_of, text_of
from bot.services.groups import edit_group, name_holder
from bot.telegram_glue.chat import follow_up, show
from bot.telegram_glue.conversation import common_fallbacks, persistent_conversation
from bot.telegram_glue.flow import StepFlow
from bot.ui import groups as group_views
from bot.ui import new_group as views
from bot.ui.callbacks import on_button
from bot.ui.groups import FIELD_BOUNDS, EditGroup
from bot.ui.new_group import BackToGroup, EditField
from bot.ui.view import View


class Step(enum.IntEnum):
    FIELD = 1
    VALUE = 2


@dataclass
class EditGroupDraft:
    group_id: int | None = None
    field: EditableField | None = None


async def _view(
    update: Update, context: RangkulContext, step: Step, draft: EditGroupDraft
) -> View | Step | None:
    """The field choice, or the prompt for the chosen field; None once the group is archived."""
    group = await context.services.groups.active(draft.group_id)
    if group is None:
        return None
    t = (await context.session(update)).t
    if step is Step.FIELD:
        return views.edit_fields_view(t, group.name, group.id)
    if draft.field is None:
        return Step.FIELD
    return views.edit_prompt(t, draft.field, group), None


FLOW = StepFlow(AuthoringDraft.EDIT_GROUP, EditGroupDraft, _view, lost=group_views.group_gone_text)


async def start(update: Update, context: RangkulContext, action: EditGroup) -> int:
    """Edit pressed: which field (for coordinators of the network only)."""
    session = await context.session(update)
    query = query_of(update)
    if not session.is_coordinator:
        await query.answer(group_views.coordinators_only_text(session.t), show_alert=True)
        return ConversationHandler.END
    group = await context.services.groups.get(action.group_id)
    if group is None or group.archived:
        await query.answer(group_views.group_gone_text(session.t), show_alert=True)
        return ConversationHandler.END
    return await FLOW.go(update, context, Step.FIELD, EditGroupDraft(group_id=group.id))


async def choose_field(update: Update, context: RangkulContext, action: EditField) -> int:
    draft = FLOW.draft(context)
    draft.field = action.field
    return await FLOW.go(update, context, Step.VALUE, draft)


async def value(update: Update, context: RangkulContext) -> int:
    """A typed value: saved, or refused with the reason (and asked again)."""
    session = await context.session(update)
    t = session.t
    draft = FLOW.draft(context)
    if not session.is_coordinator or draft.field is None:
        return await FLOW.end(update, context, group_views.coordinators_only_text(t))
    field, group_id = draft.field, draft.group_id
    if group_id is None:  # a draft without its group (an older version's): nothing to edit
        return await FLOW.end(update, context, group_views.group_gone_text(t))
    services = context.services
    if field is EditableField.NAME:
        holder = await name_holder(services.groups, text_of(update), other_than=group_id)
        if holder is not None:
            await show(update, views.name_taken_text(t, holder.name))
            return Step.VALUE
    try:
        checked = await edit_group(services.groups, group_id, field, text_of(update))
    except LookupError:
        return await FLOW.end(update, context, group_views.group_gone_text(t))
    if checked.problem is not None:
        await show(update, _problem_text(t, field, checked.problem))
        return Step.VALUE
    summary = await services.groups.summary(group_id)
    if field is EditableField.REMINDERS:
        # A reminders check that passes yields the offsets in minutes.
        assert isinstance(checked.value, tuple)
        await FLOW.end(update, context, views.reminders_saved_text(t, checked.value))
    else:
        await FLOW.end(update, context, views.saved_text(t))
    if summary is not None:
        await follow_up(update, *group_views.manage_view(t, summary))
    return ConversationHandler.END


def _problem_text(t: Translator, field: EditableField, problem: GroupProblem) -> str:
    if field is EditableField.REMINDERS:
        return views.reminders_problem_text(t, problem)
    return views.problem_text(t, problem, FIELD_BOUNDS[field])


async def back(update: Update, context: RangkulContext, action: BackToGroup) -> int:
    """Back to the group without changing anything."""
    session = await context.session(update)
    summary = await context.services.groups.summary(action.group_id)
    if summary is None:
        return await FLOW.end(update, context, group_views.group_gone_text(session.t))
    return await FLOW.end(update, context, *group_views.manage_view(session.t, summary))


def handlers() -> list[BaseHandler]:
    """The persistent conversation behind a group's Edit button."""
    return [
        persistent_conversation(
            "group_edit",
            allow_reentry=True,
            entry_points=[on_button(EditGroup, start)],
            states={
                Step.FIELD: [
                    on_button(EditField, choose_field),
                    on_button(BackToGroup, back),
                ],
                Step.VALUE: [MessageHandler(filters.TEXT & ~filters.COMMAND, value)],
            },
            fallbacks=common_fallbacks(),
        )
    ]
