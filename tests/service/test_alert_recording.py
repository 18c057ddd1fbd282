"""Recording triage events and queueing alerts: grouping, escalation, consent, hours, policy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import col, select

from bot.config import Config
from bot.safety import RuleFinding, TriageResult
from bot.service.alerts import escalates, record_triage
from bot.service.outgoing import Batch
from bot.storage.models import Client, DueWork, Therapist, TriageEvent

NOW = datetime(2026, 12, 1, 1, 30, tzinfo=UTC)  # Tuesday 02:30 in Berlin


def result(reason: str, urgency: str = "soon", category: str | None = None) -> TriageResult:
    finding = RuleFinding(reason, reason, (), (), "summary", urgency, category)  # type: ignore[arg-type]
    crisis = reason == "crisis"
    return TriageResult(reason != "silence", crisis, (reason,), (finding,), urgency, True)  # type: ignore[arg-type]


async def setup(db, *, consent: bool = True, hours: str | None = None) -> tuple[Client, Therapist]:  # type: ignore[no-untyped-def]
    async with db.session() as s:
        therapist = Therapist(telegram_id=1, name="Dr. Ruiz", hours=hours, timezone="Europe/Berlin")
        s.add(therapist)
        await s.flush()
        client = Client(therapist_id=therapist.id, telegram_id=9, chat_id=9, consent_alerts=consent)
        s.add(client)
        await s.flush()
        return client, therapist


async def record(db, client, therapist, res, *, at=NOW, config=None, source="flow"):  # type: ignore[no-untyped-def]
    batch = Batch()
    async with db.session() as s:
        await record_triage(
            s, config or Config(), client, therapist, res, source=source, now=at, batch=batch
        )
    return batch


async def rows(db):  # type: ignore[no-untyped-def]
    async with db.session() as s:
        events = (await s.exec(select(TriageEvent).order_by(col(TriageEvent.id)))).all()
        work = (await s.exec(select(DueWork).where(DueWork.kind == "alert"))).all()
        return list(events), list(work)


class TestGrouping:
    async def test_nothing_changed_means_no_new_event_and_no_push(self, db):
        """The same reasons at the same level inside the window: one alert."""
        client, therapist = await setup(db)
        await record(db, client, therapist, result("severity"))
        await record(db, client, therapist, result("severity"), at=NOW + timedelta(hours=1))
        events, work = await rows(db)
        assert len(events) == 1
        assert len(work) == 1

    async def test_a_rise_to_crisis_pushes_again(self, db):
        """persisting then crisis inside the window: a second alert, due at once."""
        client, therapist = await setup(db)
        await record(db, client, therapist, result("persisting"))
        batch = await record(
            db, client, therapist, result("crisis", "now", "suicidal_thoughts"), source="screening"
        )
        events, work = await rows(db)
        assert [e.level for e in events] == ["soon", "crisis"]
        assert [e.delivery for e in events] == ["pending", "pending"]
        assert events[1].category == "suicidal_thoughts"
        assert len(work) == 2
        assert batch.alerts_queued

    async def test_a_new_reason_at_the_same_level_is_folded_in(self, db):
        """rapid rise after severity (both 'soon'): the open alert names both, no second push."""
        client, therapist = await setup(db)
        await record(db, client, therapist, result("severity"))
        await record(db, client, therapist, result("rapid_rise"), at=NOW + timedelta(minutes=5))
        events, work = await rows(db)
        assert events[0].reasons == ["severity", "rapid_rise"]
        assert events[0].alert_count == 2
        assert len(work) == 1

    async def test_each_crisis_message_is_kept_as_a_signal(self, db):
        """Two crisis messages: two events (triage reads them), one push."""
        client, therapist = await setup(db)
        for minutes in (0, 30):
            await record(
                db,
                client,
                therapist,
                result("crisis", "now"),
                at=NOW + timedelta(minutes=minutes),
                source="screening",
            )
        events, work = await rows(db)
        assert len(events) == 2
        assert len(work) == 1


class TestConsentHoursPolicy:
    async def test_declined_alerts_store_the_event_but_queue_nothing(self, db):
        """No consent: nothing queued, nothing counts as alerted."""
        client, therapist = await setup(db, consent=False)
        batch = await record(db, client, therapist, result("crisis", "now"), source="screening")
        await record(db, client, therapist, result("severity"), at=NOW + timedelta(minutes=5))
        events, work = await rows(db)
        assert events
        assert all(e.alerted_at is None and e.delivery == "none" for e in events)
        assert work == []
        assert not batch.alerts_queued

    async def test_a_non_urgent_alert_outside_the_hours_waits_for_them(self, db):
        """02:30 on a Tuesday: 'persisting' waits until 09:00 Berlin; the event stays pending."""
        client, therapist = await setup(db, hours="Mon-Fri 9-17")
        batch = await record(db, client, therapist, result("persisting"))
        _, (work,) = await rows(db)
        assert work.due_at == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
        assert not batch.alerts_queued

    async def test_a_crisis_goes_out_at_once_whatever_the_hours(self, db):
        client, therapist = await setup(db, hours="Mon-Fri 9-17")
        batch = await record(db, client, therapist, result("crisis", "now"), source="screening")
        _, (work,) = await rows(db)
        assert work.due_at == NOW
        assert batch.alerts_queued

    async def test_harm_to_others_alone_follows_the_clinic_policy(self, db):
        """alerts.harm_to_others is off by default: stored, not pushed; on: pushed."""
        client, therapist = await setup(db)
        await record(
            db, client, therapist, result("crisis", "now", "harm_to_others"), source="screening"
        )
        assert (await rows(db))[1] == []
        config = Config()
        config = config.model_copy(
            update={"alerts": config.alerts.model_copy(update={"harm_to_others": True})}
        )
        await record(
            db,
            client,
            therapist,
            result("crisis", "now", "harm_to_others"),
            at=NOW + timedelta(hours=7),
            config=config,
            source="screening",
        )
        assert len((await rows(db))[1]) == 1


async def crisis_messages(db, client, therapist, categories, config=None):  # type: ignore[no-untyped-def]
    for minutes, category in enumerate(categories):
        await record(
            db,
            client,
            therapist,
            result("crisis", "now", category),
            at=NOW + timedelta(minutes=10 * minutes),
            config=config,
            source="screening",
        )


class TestEscalation:
    def test_the_ladder_and_other_dangers(self):
        assert escalates("plan_or_preparation", {"suicidal_thoughts"})
        assert escalates("act_under_way", {"plan_or_preparation", "suicidal_thoughts"})
        assert not escalates("suicidal_thoughts", {"plan_or_preparation"})
        assert not escalates("plan_or_preparation", {"act_under_way"})
        assert not escalates("plan_or_preparation", {"plan_or_preparation"})
        assert escalates("danger_from_others", {"act_under_way"})
        assert escalates("self_harm", {"suicidal_thoughts"})
        assert not escalates("self_harm", {"self_harm", "suicidal_thoughts"})
        assert not escalates(None, set())

    async def test_a_higher_or_new_danger_is_a_new_alert_and_a_repeat_is_not(self, db):
        """thoughts, plan, plan, thoughts, danger: three alerts, each due at once; the repeats
        are counted in the newest (the thoughts are named by the first alert already)."""
        client, therapist = await setup(db)
        await crisis_messages(
            db,
            client,
            therapist,
            [
                "suicidal_thoughts",
                "plan_or_preparation",
                "plan_or_preparation",
                "suicidal_thoughts",
                "danger_from_others",
            ],
        )
        events, work = await rows(db)
        alerted = [e for e in events if e.alerted_at is not None]
        assert [e.category for e in alerted] == [
            "suicidal_thoughts",
            "plan_or_preparation",
            "danger_from_others",
        ]
        assert [e.alert_count for e in alerted] == [1, 3, 1]
        assert len(work) == 3
        assert all(w.due_at == w.created_at for w in work)

    async def test_a_lesser_danger_after_a_greater_one_is_named_in_the_open_alert(self, db):
        client, therapist = await setup(db)
        await crisis_messages(db, client, therapist, ["plan_or_preparation", "suicidal_thoughts"])
        events, work = await rows(db)
        (alert,) = [e for e in events if e.alerted_at is not None]
        assert alert.category == "plan_or_preparation,suicidal_thoughts"
        assert len(work) == 1

    async def test_harm_to_others_the_clinic_does_not_alert_on_is_no_escalation(self, db):
        client, therapist = await setup(db)
        await crisis_messages(db, client, therapist, ["suicidal_thoughts", "harm_to_others"])
        events, work = await rows(db)
        assert len(work) == 1
        assert [e.category for e in events if e.alerted_at is not None] == ["suicidal_thoughts"]

    async def test_a_client_who_declined_alerts_gets_no_push_on_escalation(self, db):
        client, therapist = await setup(db, consent=False)
        await crisis_messages(db, client, therapist, ["suicidal_thoughts", "act_under_way"])
        events, work = await rows(db)
        assert work == []
        assert all(e.alerted_at is None for e in events)
