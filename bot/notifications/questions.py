"""Outbox renderers for anonymous questions: the question to each facilitator of its group,
and the answer to the asker (planned by bot.services.questions).

Renderers only render, from the current rows: a question is dropped (None: skipped) once it
is answered or gone (/forget, retention), or when the recipient no longer facilitates its
group; an answer, when its question is gone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from telegram import InlineKeyboardMarkup

from bot.domain.member import Member
from bot.domain.questions import ANSWER_KIND, QUESTION_KIND
from bot.i18n import Translator
from bot.services.container import Services
from bot.ui import questions as views

Rendered = tuple[str, InlineKeyboardMarkup | None] | None


async def render_question(
    services: Services, t: Translator, member: Member, payload: Mapping[str, Any]
) -> Rendered:
    question = await services.questions.get(int(payload["question_id"]))
    if question is None or question.is_answered:
        return None
    if question.group_id not in await services.roles.facilitated_group_ids(member.id):
        return None
    return views.question_view(t, question)


async def render_answer(
    services: Services, t: Translator, member: Member, payload: Mapping[str, Any]
) -> Rendered:
    question = await services.questions.get(int(payload["question_id"]))
    if question is None or not question.is_answered:
        return None
    return views.answer_text(t, question), None


def question_renderers() -> dict[str, Any]:
    """The renderers of the question outbox kinds, for ``bot_data["outbox_renderers"]``."""
    return {QUESTION_KIND: render_question, ANSWER_KIND: render_answer}
