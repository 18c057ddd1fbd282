"""What due work does when it falls due: the dispatcher's handler.

- followup / day_before / checkin: start the after-session check-in (and plan its one reminder);
- reminder: a gentle nudge, only if the check-in it belongs to is still unanswered;
- timer: continue a paced exercise or a sit-with-it timer;
- digest: the client's summary to the therapist shortly before a session;
- measure: offer the questionnaires the therapist scheduled (PHQ-9, GAD-7);
- caseload: the therapist's morning digest of all their clients, most urgent first.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.dialogue import contracts as c
from bot.dialogue.contracts import Button
from bot.dialogue.scoring import measure_flows
from bot.scheduling.outcomes import Failed, Outcome, Queued, Retry, Sent, Skipped
from bot.scheduling.planner import plan_reminder
from bot.scheduling.store import upsert_items
from bot.scheduling.timing import load_policy
from bot.service import texts
from bot.service.alert_delivery import AlertDelivery
from bot.service.caseload import send_caseload_digest
from bot.service.core import CheckinService
from bot.service.digests import occurrence_still_on, send_digest
from bot.service.engagement import send_engagement_digest
from bot.service.history import triage_and_alert
from bot.service.outgoing import Batch
from bot.storage.models import Client, DueWork, FlowRun, OutboxMessage, Therapist

CHECKIN_FLOW = "after_session"
MEASURES_FLOW = "measures"  # offers the due questionnaires, then calls each measure's flow
START_KINDS = ("followup", "day_before", "checkin")
# A client in the middle of a flow is not interrupted by a ping; it comes a bit later.
BUSY_WINDOW = timedelta(minutes=20)


class WorkHandler:
    def __init__(self, service: CheckinService) -> None:
        self.service = service
        self.alerts = AlertDelivery(service.config, service.db, service.api, service.clock)

    async def __call__(self, work: DueWork) -> Outcome:
        if work.kind == "alert":  # to the therapist, not the client: no client lock, no flush
            return await self.alerts(work)
        if work.kind == "engagement":
            return await self._engagement(work)
        if work.kind == "caseload":
            return await self._caseload(work)
        if work.client_id is None:
            return Skipped("no_client")
        async with self.service.db.session() as s:
            client = await s.get(Client, work.client_id)
        if client is None:
            return Skipped("client_missing")
        async with self.service.locks.hold(client.chat_id):
            batch = Batch()
            rows: list[OutboxMessage] = []
            async with self.service.db.session() as s:
                client = await s.get(Client, work.client_id)
                therapist = await s.get(Therapist, client.therapist_id) if client else None
                if client is None or therapist is None:
                    return Skipped("client_missing")
                outcome = await self._do(s, batch, client, therapist, work)
                if isinstance(outcome, Sent):
                    rows = await self._queue(s, batch, work)
            if not rows:
                return outcome
            return await self._deliver(batch, rows, work)

    async def _engagement(self, work: DueWork) -> Outcome:
        batch = Batch()
        async with self.service.db.session() as s:
            therapist = await s.get(Therapist, int(work.payload.get("therapist_id", 0)))
            if therapist is None:
                return Skipped("therapist_missing")
            zone = self.service.config.clinic.timezone
            said = await send_engagement_digest(
                s, batch, therapist, work, zone, self.service.clock.now()
            )
            if not said:
                return Skipped("nothing_new")
            rows = await self._queue(s, batch, work)
        if not rows:
            return Sent()
        return await self._deliver(batch, rows, work)

    async def _caseload(self, work: DueWork) -> Outcome:
        batch = Batch()
        async with self.service.db.session() as s:
            therapist = await s.get(Therapist, int(work.payload.get("therapist_id", 0)))
            if therapist is None:
                return Skipped("therapist_missing")
            now = self.service.clock.now()
            if not await send_caseload_digest(s, self.service.config, batch, therapist, now):
                return Skipped("no_clients")
            rows = await self._queue(s, batch, work)
        if not rows:
            return Sent()
        return await self._deliver(batch, rows, work)

    async def _queue(self, s: AsyncSession, batch: Batch, work: DueWork) -> list[OutboxMessage]:
        """The work's messages go into the outbox with its id, and the work waits in `sending`
        until Telegram accepted all of them (in the caller's transaction)."""
        rows = await self.service.queue(s, batch, work_id=work.id)
        if rows:
            await s.exec(
                update(DueWork)
                .where(
                    col(DueWork.id) == work.id,
                    col(DueWork.status) == "claimed",
                    col(DueWork.claimed_by) == work.claimed_by,
                )
                .values(status="sending", outcome="queued", lease_until=None)
                .execution_options(synchronize_session=False)
            )
        return rows

    async def _deliver(self, batch: Batch, rows: list[OutboxMessage], work: DueWork) -> Outcome:
        """Send now (after the commit); the outcome is what the outbox recorded for the work."""
        await self.service.send_now(batch, rows)
        async with self.service.db.session() as s:
            done = await s.get(DueWork, work.id, populate_existing=True)
        if done is None or done.status == "sending":
            return Queued()
        if done.status == "sent":
            return Sent(done.message_id)
        return Failed(done.outcome or "not delivered")

    async def _do(
        self, s: AsyncSession, batch: Batch, client: Client, therapist: Therapist, work: DueWork
    ) -> Outcome:
        now = self.service.clock.now()
        driver = self.service.driver
        if work.kind == "timer":
            run = await s.get(FlowRun, int(work.payload.get("run_id", 0)))
            if run is None or run.status in ("ended", "interrupted"):
                return Skipped("run_over")
            await driver.feed(
                s, batch, client, therapist, run, c.TimerFired(str(work.payload.get("token"))), now
            )
            return Sent()
        if work.kind in START_KINDS:
            run = await driver.active_run(s, client)
            if run is not None and now - run.updated_at < BUSY_WINDOW:
                return Retry("client_busy", after=BUSY_WINDOW)
            new_run = await driver.start(s, batch, client, therapist, CHECKIN_FLOW, now)
            lang = client.language
            snooze = tuple(
                Button(texts.tr(label, lang), data) for label, data in texts.SNOOZE_LABELS
            )
            batch.say(client.chat_id, texts.tr(texts.SNOOZE_OFFER, lang), (snooze,))
            policy = await load_policy(s, self.service.config.followups, client)
            reminder = plan_reminder(
                now,
                policy,
                of_key=work.key,
                tz=ZoneInfo(client.timezone),
                payload={"run_id": new_run.id},
            )
            if reminder is not None:
                await upsert_items(s, [reminder], client.id, now)
            return Sent()
        if work.kind == "measure":  # the questionnaires the therapist scheduled
            run = await driver.active_run(s, client)
            if run is not None and now - run.updated_at < BUSY_WINDOW:
                return Retry("client_busy", after=BUSY_WINDOW)
            known = measure_flows(driver.flows.flows)
            due = [m for m in work.payload.get("measures", []) if m in known]
            if not due or driver.flows.get(MEASURES_FLOW) is None:
                return Skipped("no_measure_flows")
            await driver.start(
                s, batch, client, therapist, MEASURES_FLOW, now, memory={"measures_due": due}
            )
            return Sent()
        if work.kind == "silence":  # no answer since a high rating: the therapist may need to know
            result = await triage_and_alert(
                s, self.service.config, client, therapist, "silence", now
            )
            return Sent() if "silence" in result.reasons else Skipped("not_silent")
        if work.kind == "reminder":
            run = await s.get(FlowRun, int(work.payload.get("run_id", 0)))
            if run is None or run.status == "ended" or run.updated_at > run.started_at:
                return Skipped("answered")
            # An abandoned check-in: what was recorded so far still counts.
            await triage_and_alert(s, self.service.config, client, therapist, "abandoned", now)
            batch.say(client.chat_id, texts.tr(texts.REMINDER, client.language))
            await driver.feed(s, batch, client, therapist, run, c.Repeat(), now)
            return Sent()
        if work.kind == "digest":
            if not await occurrence_still_on(s, client, work):
                return Skipped("session_changed")
            if not await send_digest(s, self.service.config, batch, client, therapist, work, now):
                return Skipped("in_caseload_digest")
            return Sent()
        return Skipped(f"unknown_kind:{work.kind}")
