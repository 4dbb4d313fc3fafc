"""Fan-out: M members whose weekly check-in prompt is due in the same minute.

A network of M members (all in groups, all on the default schedule: Sunday 19.00 in
Asia/Jakarta, so every prompt is due at the same instant) gets its prompts planned by the real
planner pass (bot.services.checkin_planner, timed here too); then the real Application runs
with TELEGRAM_MAX_RATE (30) and the Bot API emulation enforcing Telegram's flood limits, the
bot's clock is moved to the prompts' minute and follows real time from there. The bot starts
on this network for the first time, so its start-up job sets the members' own command menus
(setMyCommands, 10 a second) while the prompts go, as after an upgrade that changes the menus.
Reported: the time from that minute to the last prompt sent, against the floor Telegram's limit
sets (M / 30 s), prompts lost and duplicated (per member, in the emulator), 429s served, and
the other calls made meanwhile.

    .venv/bin/python bench/fanout_bench.py [--members 10000 --groups 500 --max-rate 30]

``--max-rate`` is both TELEGRAM_MAX_RATE and the emulator's overall limit.

Not part of the test suite (tests/unit/test_benchmarks_run.py runs it with a tiny size).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from reply_path_bench import (
    Askers,
    Load,
    Sizes,
    WatchedEmulator,
    copy_database,
    make_network,
    while_members_ask,
    with_services,
)
from telegram.ext import Application

from bot.clock import ControllableClock
from bot.services import checkin_planner
from bot.services.container import Services

# Sunday 6 December 2026, 19.00 in Jakarta: every member's first default weekly prompt.
DUE = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


async def main(options: argparse.Namespace) -> None:
    sizes = Sizes(options.members, options.groups, facilitators=0)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        started = time.perf_counter()
        await make_network(tmp / "fresh.sqlite3", sizes)
        print(
            f"network: {sizes.members} members in {sizes.groups} groups (made in"
            f" {time.perf_counter() - started:.1f} s)"
        )
        db_path = copy_database(tmp / "fresh.sqlite3", tmp / "fanout" / "bench.sqlite3")
        planned: dict[str, float] = {}

        async def plan(services: Services) -> None:
            started = time.perf_counter()
            report = await checkin_planner.plan_checkins(
                services.checkins, services.outbox, services.clock
            )
            planned.update(prompts=report.prompts, seconds=time.perf_counter() - started)

        await with_services(db_path, plan)
        print(
            f"planner pass: {planned['prompts']:.0f} prompts planned in"
            f" {planned['seconds']:.2f} s (batches of {checkin_planner.BATCH})"
        )
        due_at: list[float] = []

        async def prompts_due(_: Application, __: WatchedEmulator, clock: ControllableClock) -> int:
            clock.advance(DUE - clock.now())
            due_at.append(asyncio.get_running_loop().time())
            return int(planned["prompts"])

        run = await while_members_ask(
            db_path, sizes, options, Load(prompts_due, "sendMessage"), Askers(0, 1.0), 0
        )
    sends = sorted(at for at, _, method in run.emulator.send_times if method == "sendMessage")
    per_member = Counter(
        chat for _, chat, method in run.emulator.send_times if method == "sendMessage"
    )
    members = [sizes.telegram_id(n) for n in range(sizes.members)]
    lost = sum(1 for chat in members if per_member[chat] == 0)
    twice = sum(1 for chat in members if per_member[chat] > 1)
    first, last = (sends[0] - due_at[0], sends[-1] - due_at[0]) if sends else (math.nan,) * 2
    floor = sizes.members / options.max_rate
    flood = sum(1 for call in run.emulator.rejected if call.status == 429)
    print(
        f"{len(sends)} prompts due in the same minute, TELEGRAM_MAX_RATE={options.max_rate:g},"
        f" flood limits on: last one sent {last:.1f} s after the minute began; floor at"
        f" {options.max_rate:g}/s {floor:.1f} s; ratio last / floor {last / floor:.2f}"
    )
    print(
        f"  first prompt sent {first:.1f} s after the minute began; prompts lost {lost},"
        f" duplicated {twice}; 429s served by the flood limits: {flood}"
    )
    others = run.emulator.calls - Counter(sendMessage=run.emulator.calls["sendMessage"])
    print(f"  other calls in the run: {', '.join(f'{m} {n}' for m, n in others.most_common())}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--groups", type=int, default=500)
    parser.add_argument("--max-rate", type=float, default=30.0)
    options = parser.parse_args()
    # What while_members_ask reads besides the cap: the emulator's limit (the same: a run at
    # --max-rate 300 shows whether the code keeps up), and no idle phase (nobody asks meanwhile).
    options.flood_rate, options.idle_seconds = options.max_rate, 0.0
    logging.basicConfig(format="%(levelname)s %(name)s: %(message)s", level=logging.ERROR)
    asyncio.run(main(options))
