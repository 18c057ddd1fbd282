"""APScheduler as the clock that wakes the dispatcher; no domain job lives in its memory.

Only one job exists, `tick`, and it carries no data: what is due lives in the `due_work` table.
`max_instances=1` and `coalesce=True` mean a slow tick is never run twice at once and missed
wake-ups fold into one; a generous `misfire_grace_time` keeps APScheduler from silently dropping a
wake-up that came late (its default of 1 second would). Late *work* is the dispatcher's policy.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.scheduling.dispatcher import Dispatcher

TICK_JOB_ID = "checkin-dispatch-tick"
REPLAN_JOB_ID = "checkin-replan"


Job = Callable[[], Awaitable[object]]


def tracked(job: Job, running: set[asyncio.Task[Any]]) -> Job:
    """`job`, with its task in `running` while it runs: shutting down can then let a tick that is
    half-way through its database work finish, instead of cancelling it mid-transaction (which
    APScheduler reports as a job that crashed)."""

    async def run() -> object:
        task = asyncio.current_task()
        if task is not None:
            running.add(task)
        try:
            return await job()
        finally:
            if task is not None:
                running.discard(task)

    run.__name__ = getattr(job, "__name__", "job")
    return run


def start_scheduler(
    dispatcher: Dispatcher,
    interval_seconds: float = 5.0,
    *,
    replan: Job | None = None,
    replan_every: timedelta = timedelta(hours=6),
    running: set[asyncio.Task[Any]] | None = None,
) -> AsyncIOScheduler:
    """Start (in the running event loop) a scheduler that calls `dispatcher.tick()` every interval.

    `replan` (for example `lambda: sessions.replan_all(clock.now())`) runs every `replan_every` to
    plan weekly sessions beyond the planner's four-week horizon; it is idempotent, so a restart
    or a second replica running it too changes nothing.
    """
    scheduler = AsyncIOScheduler(timezone="UTC")
    tick: Job = dispatcher.tick
    if running is not None:
        tick = tracked(tick, running)
        replan = tracked(replan, running) if replan is not None else None
    if replan is not None:
        scheduler.add_job(
            replan,
            "interval",
            seconds=replan_every.total_seconds(),
            id=REPLAN_JOB_ID,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=int(replan_every.total_seconds()),
            replace_existing=True,
        )
    scheduler.add_job(
        tick,
        "interval",
        seconds=interval_seconds,
        id=TICK_JOB_ID,
        max_instances=1,
        coalesce=True,
        misfire_grace_time=max(60, int(interval_seconds * 10)),
        replace_existing=True,
    )
    scheduler.start()
    return scheduler
