"""A network's own retention for moods and check-in answers (KEEP_MOODS_DAYS,
KEEP_CHECKIN_ANSWERS_DAYS): the privacy notice states the period set, and the daily purge
deletes what is past it; unset, both are kept until the person deletes them."""

from __future__ import annotations

from datetime import timedelta

from bot.jobs.retention import JOB_NAME
from tests.journeys.harness import BotWorld
from tests.journeys.helpers import rows
from tests.journeys.helpers.crisis import a_member

KEPT_WHILE_MEMBER = "Kept while you are a member; /forget deletes it."


def line_of(notice: str, title: str) -> str:
    [line] = [line for line in notice.split("\n\n") if line.startswith(f"• {title}:")]
    return line


async def test_a_network_keeping_moods_30_days_says_so_and_the_daily_purge_deletes_them(
    world: BotWorld,
) -> None:
    await world.restart(keep_moods=timedelta(days=30), keep_checkin_answers=timedelta(days=60))
    rina = await a_member(world, 741, "Rina Senja")

    notice = "\n\n".join(m.text or "" for m in await rina.send("/privacy"))
    assert "Deleted 30 days after you recorded it." in line_of(notice, "Your moods")
    checkins = line_of(notice, "Your check-ins")
    assert "answers are deleted 60 days after you gave them" in checkins
    assert "the day and time you want to be asked are kept while you are a member" in checkins

    await rina.send("/mood")
    await rina.press("Low")
    world.clock.advance(timedelta(seconds=1))
    await rina.send("/mood")
    await rina.press("Good")
    world.clock.advance(timedelta(days=30) - timedelta(seconds=1))  # the first mood's 30th day

    [job] = world.app.job_queue.get_jobs_by_name(JOB_NAME)
    await job.run(world.app)

    assert rows(world, "SELECT score FROM moods") == [(4,)]


async def test_by_default_moods_and_answers_are_kept_while_a_member(world: BotWorld) -> None:
    oki = await a_member(world, 742, "Oki Pagi")
    await oki.send("/mood")
    await oki.press("Okay")
    notice = "\n\n".join(m.text or "" for m in await oki.send("/privacy"))
    assert KEPT_WHILE_MEMBER in line_of(notice, "Your moods")
    assert KEPT_WHILE_MEMBER in line_of(notice, "Your check-ins")

    world.clock.advance(timedelta(days=3650))
    [job] = world.app.job_queue.get_jobs_by_name(JOB_NAME)
    await job.run(world.app)

    assert rows(world, "SELECT score FROM moods") == [(3,)]
