"""The planner: a JobQueue heartbeat that keeps meetings, reminders and alerts moving.

Each pass materialises coming occurrences of repeating meetings, plans reminders for everyone
expected who has none yet, asks trial guests of finished meetings whether to join, escalates
crisis alerts nobody acknowledged in time, asks about meetings that ended an hour ago, passes
ready feedback to facilitators in batches, plans weekly check-in prompts and their nudges, and
pairs buddies, ends their pairings on time and plans the weekly peer check-in.
All of it is decided against the injected
clock and only *enqueues* outbox rows (idempotently, by dedupe key), so a late, missed or
repeated pass changes nothing.
"""

from __future__ import annotations

import logging

from telegram.ext import Application, ContextTypes

from bot.services import buddies, checkin_planner, feedback, group_chats, planner, safety
from bot.services.container import Services

log = logging.getLogger(__name__)


async def plan_ahead(services: Services) -> None:
    """One planner pass (the job's body, and what tests call through ``BotWorld.tick``)."""
    s = services
    report = await planner.plan_ahead(s.meetings, s.groups, s.outbox, s.clock)
    escalations = await safety.escalate_alerts(
        s.safety, s.roles, s.outbox, s.clock, s.settings.admin_ids
    )
    asked = await feedback.plan_feedback(s.feedback, s.meetings, s.roles, s.outbox, s.clock)
    checkins = await checkin_planner.plan_checkins(s.checkins, s.outbox, s.clock)
    buddy = await buddies.plan_buddies(s.buddies, s.outbox, s.clock, s.rng)
    posts = await group_chats.plan_posts(s.group_chats, s.meetings, s.outbox, s.clock)
    if posts:
        log.info("planner: %d group chat post(s) planned", posts)
    if asked.questions or asked.batches:
        log.info(
            "planner: %d feedback question(s), %d feedback batch(es) planned",
            asked.questions,
            asked.batches,
        )
    if report.occurrences or report.reminders or report.followups or escalations:
        log.info(
            "planner: %d occurrence(s), %d reminder(s), %d trial follow-up(s), %d alert"
            " escalation(s) planned",
            report.occurrences,
            report.reminders,
            report.followups,
            escalations,
        )
    if buddy.paired or buddy.ended or buddy.prompts:
        log.info(
            "planner: %d buddy pairing(s) made, %d ended, %d peer check-in prompt(s) planned",
            buddy.paired,
            buddy.ended,
            buddy.prompts,
        )
    if checkins.prompts or checkins.nudges:
        log.info(
            "planner: %d check-in prompt(s), %d nudge(s) planned", checkins.prompts, checkins.nudges
        )


def install_planner(application: Application, interval_seconds: float = 60.0) -> None:
    """Runs :func:`plan_ahead` every ``interval_seconds``.

    ``misfire_grace_time=None`` and ``coalesce``: a late beat still runs, missed ones collapse.
    """

    async def beat(context: ContextTypes.DEFAULT_TYPE) -> None:
        await plan_ahead(context.application.bot_data["services"])

    job_queue = application.job_queue
    if job_queue is None:
        raise RuntimeError("the planner needs PTB's JobQueue (python-telegram-bot[job-queue])")
    job_queue.run_repeating(
        beat,
        interval=interval_seconds,
        first=min(10.0, interval_seconds),  # soon after a start: catch up on what passed
        name="meetings-planner",
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )
