"""The dispatcher: atomic claims with leases, late policy, client status, retries, and two workers."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from asyncpg.exceptions import ConnectionDoesNotExistError
from sched_rows import add_due, make_client, make_therapist, rows
from sqlalchemy.exc import DBAPIError

from bot.clock import FakeClock
from bot.config import FollowUpConfig
from bot.scheduling.dispatcher import Dispatcher
from bot.scheduling.outcomes import Outcome, Retry, Sent
from bot.scheduling.runner import REPLAN_JOB_ID, TICK_JOB_ID, start_scheduler, tracked
from bot.storage import Database
from bot.storage.models import DueWork

T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


class Recorder:
    """A handler that records every row it is given and answers Sent (or what it is told)."""

    def __init__(self, answer: Outcome | None = None) -> None:
        self.handled: list[str] = []
        self.answer = answer

    async def __call__(self, row: DueWork) -> Outcome:
        self.handled.append(row.key)
        await asyncio.sleep(0)  # let other workers interleave
        return self.answer or Sent(message_id=len(self.handled))


def dispatcher(
    db: Database, clock: FakeClock, handler: Recorder, worker: str = "w1", **kw: object
) -> Dispatcher:
    return Dispatcher(db, clock, handler, worker_id=worker, **kw)  # type: ignore[arg-type]


async def test_due_rows_are_handled_once_and_recorded_as_sent(db: Database) -> None:
    """A due row is handed to the handler, then stored as sent with its message id; future rows wait."""
    clock = FakeClock(T0)
    await add_due(db, "a", T0 - timedelta(minutes=1))
    await add_due(db, "later", T0 + timedelta(hours=1))
    handler = Recorder()
    report = await dispatcher(db, clock, handler).tick()
    assert handler.handled == ["a"]
    assert (report.claimed, report.sent) == (1, 1)
    stored = await rows(db)
    assert (stored["a"].status, stored["a"].message_id, stored["a"].attempts) == ("sent", 1, 1)
    assert stored["later"].status == "pending"
    assert (await dispatcher(db, clock, handler).tick()).claimed == 0


async def test_a_claim_dropped_by_a_dead_process_is_sent_once_after_the_lease(db: Database) -> None:
    """Claimed then 'killed' before sending: nobody else takes it until the lease ends, then once."""
    clock = FakeClock(T0)
    await add_due(db, "a", T0)
    dead = dispatcher(db, clock, Recorder(), "dead")
    assert [r.key for r in await dead.claim()] == ["a"]
    handler = Recorder()
    survivor = dispatcher(db, clock, handler, "survivor")
    assert (await survivor.tick()).claimed == 0
    clock.advance(timedelta(minutes=2, seconds=1))
    assert (await survivor.tick()).sent == 1
    assert (await survivor.tick()).claimed == 0
    assert handler.handled == ["a"]
    row = (await rows(db))["a"]
    assert (row.status, row.claimed_by, row.attempts) == ("sent", "survivor", 2)


async def test_after_six_hours_down_items_within_the_window_are_sent_older_ones_skipped_late(
    db: Database,
) -> None:
    """Restarting after 6 h: items due within the useful window go out; older ones are skipped 'late'."""
    clock = FakeClock(T0)
    for hours in range(1, 7):
        await add_due(db, f"due-{hours}h-ago", T0 - timedelta(hours=hours))
    handler = Recorder()
    report = await dispatcher(db, clock, handler, useful_window=timedelta(hours=3)).tick()
    assert sorted(handler.handled) == ["due-1h-ago", "due-2h-ago", "due-3h-ago"]
    assert (report.sent, report.skipped, report.reasons) == (3, 3, {"late": 3})
    stored = await rows(db)
    assert {stored[f"due-{h}h-ago"].outcome for h in (4, 5, 6)} == {"late"}


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"status": "paused", "paused_until": T0 + timedelta(days=2)}, "paused"),
        ({"status": "stopped"}, "stopped"),
        ({"status": "unreachable"}, "unreachable"),
        ({"consent_checkins": False}, "no_consent"),
    ],
)
async def test_clients_who_paused_stopped_blocked_or_never_consented_are_skipped(
    db: Database, fields: dict[str, object], reason: str
) -> None:
    """A follow-up for such a client is skipped with the reason and never reaches the handler."""
    therapist = await make_therapist(db)
    client = await make_client(db, therapist, **fields)
    await add_due(db, "f", T0, client)
    handler = Recorder()
    report = await dispatcher(db, FakeClock(T0), handler).tick()
    assert handler.handled == []
    assert report.reasons == {reason: 1}
    assert (await rows(db))["f"].outcome == reason


async def test_a_pause_that_has_ended_no_longer_blocks(db: Database) -> None:
    """A client paused until yesterday gets their follow-up."""
    therapist = await make_therapist(db)
    client = await make_client(db, therapist, status="paused", paused_until=T0 - timedelta(days=1))
    await add_due(db, "f", T0, client)
    assert (await dispatcher(db, FakeClock(T0), Recorder()).tick()).sent == 1


async def test_retries_back_off_then_fail_after_max_attempts(db: Database) -> None:
    """Retry puts the row back with growing delays; after max_attempts it is failed with the reason."""
    clock = FakeClock(T0)
    await add_due(db, "r", T0)
    handler = Recorder(Retry("network"))
    d = dispatcher(db, clock, handler, max_attempts=3, retry_base=timedelta(seconds=10))
    await d.tick()
    assert (await rows(db))["r"].due_at == T0 + timedelta(seconds=10)
    assert (await d.tick()).claimed == 0
    clock.advance(timedelta(seconds=10))
    await d.tick()
    assert (await rows(db))["r"].due_at == clock.now() + timedelta(seconds=20)
    clock.advance(timedelta(seconds=20))
    report = await d.tick()
    row = (await rows(db))["r"]
    assert (report.failed, row.status, row.attempts) == (1, "failed", 3)
    assert row.outcome == "network (after 3 attempts)"


async def test_a_handler_that_raises_is_retried_not_lost(db: Database) -> None:
    """An exception in the handler puts the row back to pending with the error's type as reason."""

    async def broken(row: DueWork) -> Outcome:
        raise RuntimeError("boom")

    await add_due(db, "x", T0)
    report = await Dispatcher(db, FakeClock(T0), broken, worker_id="w").tick()
    row = (await rows(db))["x"]
    assert (report.retried, row.status, row.outcome) == (1, "pending", "error:RuntimeError")


async def test_daily_cap_skips_pings_beyond_the_clients_limit(db: Database) -> None:
    """With max_pings_per_day 2, the third follow-up due the same local day is skipped 'daily_cap'."""
    therapist = await make_therapist(db)
    client = await make_client(db, therapist)
    clock = FakeClock(T0)
    clinic = FollowUpConfig(max_pings_per_day=2)
    handler = Recorder()
    d = dispatcher(db, clock, handler, clinic=clinic)
    for n in range(3):
        await add_due(db, f"f{n}", clock.now(), client)
        await d.tick()
        clock.advance(timedelta(hours=1))
    assert handler.handled == ["f0", "f1"]
    assert (await rows(db))["f2"].outcome == "daily_cap"


async def test_two_dispatchers_claim_disjoint_sets_and_handle_nothing_twice(db: Database) -> None:
    """Two workers (separate connections) over 1,000 due rows: every row handled exactly once."""
    await _insert_many(db, 1000)
    other = Database(db.url)
    try:
        clock = FakeClock(T0)
        first, second = Recorder(), Recorder()
        reports = await asyncio.gather(
            dispatcher(db, clock, first, "one", batch=40).tick(),
            dispatcher(other, clock, second, "two", batch=40).tick(),
        )
    finally:
        await other.dispose()
    assert not set(first.handled) & set(second.handled)
    counts = Counter(first.handled + second.handled)
    assert len(counts) == 1000
    assert max(counts.values()) == 1
    assert sum(r.sent for r in reports) == 1000
    assert {r.status for r in (await rows(db)).values()} == {"sent"}


async def _insert_many(db: Database, n: int) -> None:
    async with db.session() as s:
        s.add_all(
            DueWork(key=f"bulk:{i}", kind="followup", due_at=T0 - timedelta(seconds=i))
            for i in range(n)
        )


async def test_the_scheduler_drives_one_tick_job_that_never_overlaps(db: Database) -> None:
    """start_scheduler registers a single tick job: one instance at a time, coalesced, grace > 1 s."""
    scheduler = start_scheduler(dispatcher(db, FakeClock(T0), Recorder()), interval_seconds=5)
    try:
        jobs = scheduler.get_jobs()
        assert [j.id for j in jobs] == [TICK_JOB_ID]
        job = jobs[0]
        assert (job.max_instances, job.coalesce) == (1, True)
        assert job.misfire_grace_time >= 60
    finally:
        scheduler.shutdown(wait=False)


async def test_the_scheduler_can_also_replan_periodically(db: Database) -> None:
    """With `replan`, a second job runs it every replan_every (weekly series past the horizon)."""

    async def replan() -> None:
        return None

    scheduler = start_scheduler(
        dispatcher(db, FakeClock(T0), Recorder()), replan=replan, replan_every=timedelta(hours=6)
    )
    try:
        job = scheduler.get_job(REPLAN_JOB_ID)
        assert job is not None
        assert job.trigger.interval == timedelta(hours=6)
        assert (job.max_instances, job.coalesce) == (1, True)
    finally:
        scheduler.shutdown(wait=False)


async def test_leases_are_renewed_while_a_slow_batch_is_still_being_sent(db: Database) -> None:
    """A batch held past its first lease keeps it: another worker cannot take the rows meanwhile."""
    clock = FakeClock(T0)
    await add_due(db, "slow", T0)
    gate, renewed = asyncio.Event(), asyncio.Event()
    sleeps = 0

    async def renewal_pacer(_seconds: float) -> None:
        nonlocal sleeps
        sleeps += 1
        if sleeps > 1:  # the first renewal has been written: hold here until cancelled
            renewed.set()
            await asyncio.Event().wait()
        clock.advance(timedelta(minutes=1))

    async def slow(row: DueWork) -> Outcome:
        await gate.wait()
        return Sent(1)

    owner = Dispatcher(db, clock, slow, worker_id="owner", sleep=renewal_pacer)
    running = asyncio.create_task(owner.tick())
    await renewed.wait()
    clock.advance(timedelta(minutes=1, seconds=30))  # past the first lease, within the renewed one
    other = Recorder()
    assert (await dispatcher(db, clock, other, "other").tick()).claimed == 0
    gate.set()
    assert (await running).sent == 1
    assert other.handled == []
    assert (await rows(db))["slow"].claimed_by == "owner"


def _dropped_connection() -> DBAPIError:
    """What asyncpg reports through SQLAlchemy when PostgreSQL drops the connection."""
    return DBAPIError("SELECT", {}, ConnectionDoesNotExistError("connection was closed"), True)


async def test_a_database_outage_in_the_handler_is_retried_soon_and_never_failed(
    db: Database,
) -> None:
    """While the database is away the row goes back to pending every retry_base, past
    max_attempts without failing; when it is back, the work is sent."""
    outage = 5

    async def flaky(row: DueWork) -> Outcome:
        nonlocal outage
        if outage:
            outage -= 1
            raise _dropped_connection()
        return Sent(message_id=9)

    clock = FakeClock(T0)
    await add_due(db, "x", T0)
    d = Dispatcher(
        db, clock, flaky, worker_id="w", max_attempts=2, retry_base=timedelta(seconds=30)
    )
    for _ in range(5):
        report = await d.tick()
        row = (await rows(db))["x"]
        assert (report.retried, row.status, row.outcome) == (1, "pending", "db_unavailable")
        assert row.due_at == clock.now() + timedelta(seconds=30)
        clock.advance(timedelta(seconds=30))
    assert (await d.tick()).sent == 1
    row = (await rows(db))["x"]
    assert (row.status, row.message_id, row.attempts) == ("sent", 9, 6)


async def test_recording_the_outcome_outlasts_a_dropped_connection(db: Database) -> None:
    """The work was sent; the connection drops as the dispatcher records it: the record is
    written on a later try, so the row is not left claimed (and done again after the lease)."""

    class DropsOnce:
        """The real database, whose sessions fail once: the third one opened (the record)."""

        def __init__(self, real: Database) -> None:
            self.real = real
            self.is_sqlite = real.is_sqlite
            self.opened = 0

        def session(self) -> Any:
            self.opened += 1
            if self.opened == 2:
                raise _dropped_connection()
            return self.real.session()

    await add_due(db, "x", T0)
    handler = Recorder()
    flaky_db = DropsOnce(db)
    slept: list[float] = []

    async def no_wait(seconds: float) -> None:
        slept.append(seconds)
        if seconds >= 1:  # the lease renewal: hold it until the batch is done
            await asyncio.Event().wait()

    d = Dispatcher(flaky_db, FakeClock(T0), handler, worker_id="w", sleep=no_wait)  # type: ignore[arg-type]
    assert (await d.tick()).sent == 1
    row = (await rows(db))["x"]
    assert (row.status, row.message_id) == ("sent", 1)
    assert flaky_db.opened == 3
    assert 0.25 in slept  # the first retry's short pause


class TestMergedAfterDowntime:
    async def test_only_the_newest_overdue_check_in_per_client_is_sent(self, db: Database) -> None:
        """Back after 8 h: Sam's 3 h follow-up, a day-before check-in and a reminder of an earlier
        check-in are all due; only the newest check-in goes out, the rest are skipped 'merged'.
        Another client's single follow-up is untouched; a check-in older than the useful window
        is 'late', not merged."""
        therapist = await make_therapist(db)
        sam = await make_client(db, therapist, telegram_id=1001)
        kim = await make_client(db, therapist, telegram_id=1002)
        clock = FakeClock(T0)
        await add_due(db, "sam-3h", T0 - timedelta(hours=5), sam)
        await add_due(db, "sam-reminder", T0 - timedelta(hours=3), sam, kind="reminder")
        await add_due(db, "sam-day-before", T0 - timedelta(hours=1), sam, kind="day_before")
        await add_due(db, "sam-ancient", T0 - timedelta(hours=20), sam)
        await add_due(db, "sam-tomorrow", T0 + timedelta(days=1), sam)
        await add_due(db, "kim-3h", T0 - timedelta(hours=5), kim)
        handler = Recorder()
        report = await dispatcher(db, clock, handler).tick()
        assert sorted(handler.handled) == ["kim-3h", "sam-day-before"]
        assert report.reasons == {"merged": 2, "late": 1}
        stored = await rows(db)
        assert {k: r.outcome for k, r in stored.items() if r.status == "skipped"} == {
            "sam-3h": "merged",
            "sam-reminder": "merged",
            "sam-ancient": "late",
        }
        assert stored["sam-tomorrow"].status == "pending"

    @pytest.mark.parametrize("concurrency", [1, 50])
    async def test_a_reminder_due_after_the_newest_check_in_is_merged_into_it(
        self, db: Database, concurrency: int
    ) -> None:
        """The newest check-in is due before a reminder of an older one, so it comes first in
        the batch: once it is sent, the reminder must still be merged into it. Merging is decided
        for the whole batch before any row is handled, so one row at a time (concurrency 1)
        and all at once give the same answer."""
        therapist = await make_therapist(db)
        sam = await make_client(db, therapist)
        await add_due(db, "sam-day-before", T0 - timedelta(hours=2), sam, kind="day_before")
        await add_due(db, "sam-reminder", T0 - timedelta(hours=1), sam, kind="reminder")
        handler = Recorder()
        report = await dispatcher(db, FakeClock(T0), handler, concurrency=concurrency).tick()
        assert handler.handled == ["sam-day-before"]
        assert report.reasons == {"merged": 1}
        assert (await rows(db))["sam-reminder"].outcome == "merged"

    async def test_two_check_ins_due_at_the_same_instant_make_one(self, db: Database) -> None:
        therapist = await make_therapist(db)
        sam = await make_client(db, therapist)
        await add_due(db, "a", T0, sam)
        await add_due(db, "b", T0, sam, kind="checkin")
        handler = Recorder()
        report = await dispatcher(db, FakeClock(T0), handler).tick()
        assert (report.sent, report.reasons) == (1, {"merged": 1})

    async def test_a_lone_reminder_is_still_sent(self, db: Database) -> None:
        """Merging needs a newer check-in: without one a due reminder goes out as usual."""
        therapist = await make_therapist(db)
        sam = await make_client(db, therapist)
        await add_due(db, "r", T0 - timedelta(hours=1), sam, kind="reminder")
        handler = Recorder()
        await dispatcher(db, FakeClock(T0), handler).tick()
        assert handler.handled == ["r"]


async def test_a_tick_while_the_database_is_away_claims_nothing_and_does_not_raise(
    db: Database,
) -> None:
    """The claim itself meets a dropped connection: the tick ends quietly; the next one works."""

    class Away:
        def __init__(self, real: Database) -> None:
            self.real = real
            self.is_sqlite = real.is_sqlite
            self.down = True

        def session(self) -> Any:
            if self.down:
                raise _dropped_connection()
            return self.real.session()

    await add_due(db, "x", T0)
    handler = Recorder()
    away = Away(db)
    d = Dispatcher(away, FakeClock(T0), handler, worker_id="w")  # type: ignore[arg-type]
    assert (await d.tick()).claimed == 0
    away.down = False
    assert (await d.tick()).sent == 1


async def test_a_tick_that_fails_for_another_reason_still_raises(db: Database) -> None:
    class Broken:
        is_sqlite = db.is_sqlite

        def session(self) -> Any:
            raise RuntimeError("a bug")

    d = Dispatcher(Broken(), FakeClock(T0), Recorder(), worker_id="w")  # type: ignore[arg-type]
    with pytest.raises(RuntimeError):
        await d.tick()


async def test_a_measure_counts_toward_the_daily_cap_and_is_never_merged_into_a_checkin(
    db: Database,
) -> None:
    """A questionnaire is a ping: over the cap it is skipped. A check-in due at the same time
    does not swallow it as 'merged' (it is its own thing, with its own answers)."""
    therapist = await make_therapist(db)
    client = await make_client(db, therapist)
    clock = FakeClock(T0)
    handler = Recorder()
    d = dispatcher(db, clock, handler, clinic=FollowUpConfig(max_pings_per_day=2))
    await add_due(db, "measure:a", clock.now(), client, kind="measure")
    await add_due(db, "followup:a", clock.now(), client)
    await d.tick()
    assert sorted(handler.handled) == ["followup:a", "measure:a"]
    clock.advance(timedelta(hours=1))
    await add_due(db, "measure:b", clock.now(), client, kind="measure")
    await d.tick()
    assert (await rows(db))["measure:b"].outcome == "daily_cap"


@pytest.mark.parametrize("concurrency", [1, 50])
async def test_the_daily_cap_counts_the_pings_of_the_same_batch(
    db: Database, concurrency: int
) -> None:
    """With max_pings_per_day 1, a questionnaire and a follow-up due in the same tick make one
    ping, not two: the cap counts what the batch is about to send, not only what was sent."""
    therapist = await make_therapist(db)
    client = await make_client(db, therapist)
    handler = Recorder()
    clinic = FollowUpConfig(max_pings_per_day=1)
    d = dispatcher(db, FakeClock(T0), handler, clinic=clinic, concurrency=concurrency)
    await add_due(db, "measure:a", T0 - timedelta(minutes=5), client, kind="measure")
    await add_due(db, "followup:a", T0, client)
    report = await d.tick()
    assert handler.handled == ["measure:a"]
    assert report.reasons == {"daily_cap": 1}


async def test_stopping_lets_a_tick_in_progress_finish_instead_of_cancelling_it(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """A tick half-way through its work when the bot stops finishes (within the grace); it is
    not cancelled mid-transaction, which APScheduler would log as a crashed job."""
    from bot.wiring import _finish_jobs

    started, finished = asyncio.Event(), asyncio.Event()

    async def slow_tick() -> None:
        started.set()
        await asyncio.sleep(0.2)
        finished.set()

    running: set[asyncio.Task[Any]] = set()
    recorder = dispatcher(db, FakeClock(T0), Recorder())
    recorder.tick = slow_tick  # type: ignore[method-assign]
    scheduler = start_scheduler(recorder, interval_seconds=0.05, running=running)
    await asyncio.wait_for(started.wait(), 5)
    scheduler.pause()  # as `stop` does: shutting down would cancel the running job
    await _finish_jobs(running, grace=5)
    scheduler.shutdown(wait=False)
    assert finished.is_set()
    assert not running
    assert "raised an exception" not in caplog.text


async def test_a_tick_that_outlasts_the_grace_is_cancelled_and_awaited() -> None:
    from bot.wiring import _finish_jobs

    async def stuck() -> None:
        await asyncio.sleep(60)

    running: set[asyncio.Task[Any]] = set()
    task = asyncio.create_task(tracked(stuck, running)())
    await asyncio.sleep(0)
    await _finish_jobs(running, grace=0.05)
    assert task.cancelled()
