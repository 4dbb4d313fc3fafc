"""Anonymous questions (/ask): asking a group's facilitators and answering, each re-checked
and planned through the outbox in one transaction.

Texts reach these use cases already cleaned and screened for crisis language by the
conversations (bot/conversations/ask.py, bot/conversations/answer_question.py): a text with
crisis words is never relayed, and never stored.
"""

from __future__ import annotations

import random

from bot.clock import Clock
from bot.domain.member import Member
from bot.domain.questions import (
    MAX_OPEN_QUESTIONS,
    AnswerOutcome,
    Asked,
    AskOutcome,
    Question,
    answer_notice,
    new_ticket,
    question_notices,
    question_prefix,
)
from bot.storage.database import Tx
from bot.storage.outbox import OutboxRepository
from bot.storage.questions import QuestionRepository
from bot.storage.roles import RoleRepository

# Question ids are drawn from here (see 0015_questions.sql): far more than will ever be used,
# and within what JSON numbers and callback data carry exactly.
_IDS = range(1, 2**53)


async def askable_groups(
    questions: QuestionRepository, clock: Clock, member: Member
) -> list[tuple[int, str]]:
    """(id, name) of the groups the person may ask now."""
    return await questions.askable_groups(member.id, clock.now())


async def ask(
    questions: QuestionRepository,
    roles: RoleRepository,
    outbox: OutboxRepository,
    clock: Clock,
    rng: random.Random,
    member: Member,
    group_id: int,
    text: str,
) -> Asked:
    """Stores the question under a fresh random ticket and plans it for every facilitator of
    the group, re-checking that the person may still ask it and has room for one more."""
    now = clock.now()
    async with questions.transaction() as tx:
        allowed = {group for group, _ in await questions.askable_groups(member.id, now, tx=tx)}
        if group_id not in allowed:
            return Asked(AskOutcome.NOT_ALLOWED)
        open_count = await questions.open_count(member.id, tx=tx)
        if open_count >= MAX_OPEN_QUESTIONS:
            return Asked(AskOutcome.TOO_MANY, open_count=open_count)
        ticket = new_ticket(rng, await questions.open_tickets(tx=tx))
        question_id = await _new_id(questions, rng, tx)
        await questions.insert(question_id, group_id, member.id, ticket, text, now, tx=tx)
        question = await questions.get(question_id, tx=tx)
        assert question is not None, "inserted in this transaction"
        facilitators = await roles.facilitator_ids(group_id, tx=tx)
        await outbox.enqueue(question_notices(question, facilitators, now), now=now, tx=tx)
    return Asked(AskOutcome.SENT, question)


async def _new_id(questions: QuestionRepository, rng: random.Random, tx: Tx) -> int:
    while True:
        question_id = rng.choice(_IDS)
        if not await questions.id_taken(question_id, tx=tx):
            return question_id


async def open_count(questions: QuestionRepository, member: Member) -> int:
    return await questions.open_count(member.id)


async def question_to_answer(
    questions: QuestionRepository,
    roles: RoleRepository,
    presser: Member | None,
    question_id: int,
    *,
    tx: Tx | None = None,
) -> tuple[AnswerOutcome | None, Question | None]:
    """The question, if ``presser`` facilitates its group now (never the button's word for
    it); otherwise why not: GONE, NOT_ALLOWED, or ALREADY (answered, question given)."""
    question = await questions.get(question_id, tx=tx)
    if question is None:
        return AnswerOutcome.GONE, None
    if presser is None or presser.id == question.asker_id:
        return AnswerOutcome.NOT_ALLOWED, None
    if question.group_id not in await roles.facilitated_group_ids(presser.id, tx=tx):
        return AnswerOutcome.NOT_ALLOWED, None
    if question.is_answered:
        return AnswerOutcome.ALREADY, question
    return None, question


async def answer(
    questions: QuestionRepository,
    roles: RoleRepository,
    outbox: OutboxRepository,
    clock: Clock,
    presser: Member | None,
    question_id: int,
    text: str,
) -> tuple[AnswerOutcome, Question | None]:
    """Records the first answer and plans it for the asker; the question's copies not yet
    delivered to other facilitators are cancelled (the renderer drops any in flight)."""
    now = clock.now()
    async with questions.transaction() as tx:
        refused, question = await question_to_answer(questions, roles, presser, question_id, tx=tx)
        if refused is not None or question is None or presser is None:
            return refused or AnswerOutcome.NOT_ALLOWED, question
        if not await questions.answer(question.id, text, presser.id, now, tx=tx):
            return AnswerOutcome.ALREADY, question
        await outbox.cancel_pending(dedupe_prefix=question_prefix(question.id), tx=tx)
        answered = await questions.get(question.id, tx=tx)
        assert answered is not None, "answered in this transaction"
        await outbox.enqueue([answer_notice(answered, now)], now=now, tx=tx)
    return AnswerOutcome.SENT, answered
