"""Sessions, timing and client controls on a real database: planning, re-planning, never twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sched_rows import make_client, make_therapist, rows

from bot.clock import FakeClock
from bot.config import FollowUpConfig
from bot.errors import NotFoundError
from bot.scheduling.calendar_read import CalendarFileError
from bot.scheduling.controls import (
    next_for_client,
    pause_client,
    snooze,
    stop_client,
    upcoming_for_therapist,
)
from bot.scheduling.dispatcher import Dispatcher
from bot.scheduling.ics import import_ics
from bot.scheduling.outcomes import Outcome, Sent
from bot.scheduling.policy import TimingError
from bot.scheduling.sessions import SessionService
from bot.scheduling.timing import TimingChange
from bot.service.summary_data import session_occurrences
from bot.storage import Database
from bot.storage.models import Client, DueWork

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)  # a Monday
CLINIC = FollowUpConfig(offsets=["3h", "1d"])  # type: ignore[list-item]


def pending(stored: dict[str, DueWork]) -> list[str]:
    return sorted(k for k, r in stored.items() if r.status == "pending")


async def setup(db: Database) -> tuple[SessionService, int, int]:
    therapist = await make_therapist(db)
    client = await make_client(db, therapist)
    assert therapist.id is not None
    assert client.id is not None
    return SessionService(db, CLINIC), therapist.id, client.id


async def test_registering_a_session_plans_its_follow_ups_once(db: Database) -> None:
    """A session plans 3h and 1d follow-ups; re-planning again writes no second row."""
    service, _, client_id = await setup(db)
    session = await service.register(client_id, NOW + timedelta(hours=2), NOW)
    first = await rows(db)
    assert pending(first) == [
        f"followup:{session.id}:2026-06-01T10:00:00Z:1d",
        f"followup:{session.id}:2026-06-01T10:00:00Z:3h",
    ]
    await service.replan_client(client_id, NOW)
    again = await rows(db)
    assert {k: (r.id, r.due_at, r.status) for k, r in again.items()} == {
        k: (r.id, r.due_at, r.status) for k, r in first.items()
    }


async def test_cancelling_a_session_cancels_its_pending_follow_ups(db: Database) -> None:
    """After cancel, the session's pending follow-ups are cancelled, none are pending."""
    service, _, client_id = await setup(db)
    session = await service.register(client_id, NOW + timedelta(hours=2), NOW)
    assert session.id is not None
    await service.cancel(session.id, NOW)
    stored = await rows(db)
    assert pending(stored) == []
    assert {r.status for r in stored.values()} == {"cancelled"}


async def test_moving_a_session_replaces_its_follow_ups_without_duplicates(db: Database) -> None:
    """Moved by a day: the old occurrence's rows are cancelled, the new ones pending; moving back revives."""
    service, _, client_id = await setup(db)
    start = NOW + timedelta(hours=2)
    session = await service.register(client_id, start, NOW)
    assert session.id is not None
    await service.move(session.id, start + timedelta(days=1), NOW)
    stored = await rows(db)
    assert pending(stored) == [
        f"followup:{session.id}:2026-06-02T10:00:00Z:1d",
        f"followup:{session.id}:2026-06-02T10:00:00Z:3h",
    ]
    assert stored[f"followup:{session.id}:2026-06-01T10:00:00Z:3h"].status == "cancelled"
    await service.move(session.id, start, NOW)
    stored = await rows(db)
    assert len(stored) == 4
    assert pending(stored) == [
        f"followup:{session.id}:2026-06-01T10:00:00Z:1d",
        f"followup:{session.id}:2026-06-01T10:00:00Z:3h",
    ]


async def test_a_sent_follow_up_is_history_and_never_replanned(db: Database) -> None:
    """Once a follow-up is sent, re-planning (even with a new policy) leaves it alone."""
    service, therapist_id, client_id = await setup(db)
    clock = FakeClock(NOW)
    await service.register(client_id, NOW - timedelta(hours=4), NOW)

    async def send(_row: DueWork) -> Outcome:
        return Sent(1)

    await Dispatcher(db, clock, send, worker_id="w").tick()
    await service.set_timing(therapist_id, TimingChange(offsets=["2h", "1d"]), NOW)
    stored = await rows(db)
    sent = [r for r in stored.values() if r.status == "sent"]
    assert [r.key.rsplit(":", 1)[1] for r in sent] == ["3h"]
    assert sorted(k.rsplit(":", 1)[1] for k in pending(stored)) == ["1d", "2h"]


async def test_a_new_session_cuts_the_previous_sessions_later_follow_ups(db: Database) -> None:
    """With offsets 3h and 3d, a session two days later drops the first session's 3d follow-up."""
    service, therapist_id, client_id = await setup(db)
    await service.set_timing(therapist_id, TimingChange(offsets=["3h", "3d"]), NOW)
    first = await service.register(client_id, NOW + timedelta(hours=2), NOW)
    await service.register(client_id, NOW + timedelta(days=2), NOW)
    stored = await rows(db)
    assert stored[f"followup:{first.id}:2026-06-01T10:00:00Z:3d"].status == "cancelled"
    assert stored[f"followup:{first.id}:2026-06-01T10:00:00Z:3h"].status == "pending"


async def test_client_timing_changes_replan_that_client(db: Database) -> None:
    """A client override (offsets 6h) replaces the planned 3h/1d follow-ups with one at 6h."""
    service, therapist_id, client_id = await setup(db)
    session = await service.register(client_id, NOW + timedelta(hours=2), NOW)
    policy = await service.set_timing(
        therapist_id, TimingChange(offsets=["6h"], quiet_hours="22:00-07:00"), NOW, client_id
    )
    assert policy.offsets == (timedelta(hours=6),)
    assert pending(await rows(db)) == [f"followup:{session.id}:2026-06-01T10:00:00Z:6h"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (TimingChange(offsets=["soon"]), "not a duration"),
        (TimingChange(quiet_hours="22:00"), "start and an end"),
        (TimingChange(quiet_hours="25:00-07:00"), "HH:MM"),
        (TimingChange(reminder_after="forever"), "off"),
        (TimingChange(max_pings_per_day=0), "1 to 24"),
    ],
)
async def test_invalid_timing_is_refused_with_the_fix(
    db: Database, change: TimingChange, message: str
) -> None:
    """Bad offsets, quiet hours, reminders or caps are refused before anything is saved."""
    service, therapist_id, _ = await setup(db)
    with pytest.raises(TimingError, match=message):
        await service.set_timing(therapist_id, change, NOW)


async def test_weekly_session_plans_each_week_and_cancel_stops_them_all(db: Database) -> None:
    """A weekly session plans follow-ups for every week in the horizon; cancelling drops all."""
    service, _, client_id = await setup(db)
    session = await service.register(client_id, NOW + timedelta(hours=2), NOW, weekly=True)
    assert len(pending(await rows(db))) == 8  # 4 weeks ahead: 1, 8, 15, 22 June x (3h, 1d)
    assert session.id is not None
    await service.cancel(session.id, NOW)
    assert pending(await rows(db)) == []


async def test_aftersession_plans_from_now_and_is_not_doubled(db: Database) -> None:
    """'I just had a session' with nothing registered plans follow-ups from now; saying it twice adds nothing."""
    service, _, client_id = await setup(db)
    session = await service.client_aftersession(client_id, NOW)
    again = await service.client_aftersession(client_id, NOW + timedelta(minutes=5))
    assert again.id == session.id
    due = sorted(r.due_at for r in (await rows(db)).values())
    assert due == [NOW + timedelta(hours=3), NOW + timedelta(days=1)]


async def test_upcoming_and_next_show_only_own_pending_pings(db: Database) -> None:
    """/upcoming lists a therapist's own clients' next pings; /next a client's own next one."""
    service, therapist_id, client_id = await setup(db)
    other_therapist = await make_therapist(db, telegram_id=600)
    other = await make_client(db, other_therapist, telegram_id=2002)
    assert other.id is not None
    await service.register(client_id, NOW + timedelta(hours=2), NOW)
    await service.register(other.id, NOW + timedelta(hours=1), NOW)
    upcoming = await upcoming_for_therapist(db, therapist_id, NOW, limit=5)
    assert [u.client_id for u in upcoming] == [client_id, client_id]
    assert upcoming[0].due_at == NOW + timedelta(hours=2, minutes=50 + 3 * 60)
    following = await next_for_client(db, client_id, NOW)
    assert following is not None
    assert following.key == upcoming[0].key


async def test_snooze_pause_and_stop(db: Database) -> None:
    """Snooze moves a pending check-in; pause and stop make the dispatcher skip with the reason."""
    service, _, client_id = await setup(db)
    await service.register(client_id, NOW - timedelta(hours=1), NOW)
    first = await next_for_client(db, client_id, NOW)
    assert first is not None
    later = NOW + timedelta(hours=8)
    moved = await snooze(db, client_id, first.key, later, NOW)
    assert moved.due_at == later
    with pytest.raises(NotFoundError):
        await snooze(db, client_id + 99, first.key, later, NOW)
    await pause_client(db, client_id, NOW + timedelta(days=3), NOW)
    clock = FakeClock(later)

    async def send(_row: DueWork) -> Outcome:
        return Sent(1)

    report = await Dispatcher(db, clock, send, worker_id="w").tick()
    assert report.reasons == {"paused": 1}
    await stop_client(db, client_id, NOW)
    clock.advance(timedelta(days=1))
    assert (await Dispatcher(db, clock, send, worker_id="w").tick()).reasons == {"stopped": 1}


ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//checkin tests//EN
BEGIN:VEVENT
UID:weekly-sam@practice
DTSTART;TZID=Europe/Berlin:20260602T150000
DTEND;TZID=Europe/Berlin:20260602T155000
RRULE:FREQ=WEEKLY;COUNT=3
EXDATE;TZID=Europe/Berlin:20260609T150000
SUMMARY:Session
END:VEVENT
BEGIN:VEVENT
UID:one-off@practice
DTSTART:20260605T090000Z
DTEND:20260605T100000Z
SUMMARY:Extra session
END:VEVENT
BEGIN:VEVENT
UID:holiday@practice
DTSTART;VALUE=DATE:20260606
SUMMARY:Closed
END:VEVENT
END:VCALENDAR
"""


async def test_ics_import_adds_occurrences_and_reimport_changes_nothing(
    db: Database, tmp_path: Path
) -> None:
    """Weekly RRULE occurrences (minus EXDATE) and a one-off become sessions; a re-import adds none."""
    service, _, client_id = await setup(db)
    path = tmp_path / "calendar.ics"
    path.write_text(ICS.replace("\n", "\r\n"))
    report = await import_ics(service, client_id, path.read_bytes(), NOW)
    assert (len(report.added), report.ignored) == (3, 1)
    sessions = await service.list_sessions(client_id=client_id)
    assert sorted((s.starts_at, s.duration_minutes) for s in sessions) == [
        (datetime(2026, 6, 2, 13, 0, tzinfo=UTC), 50),
        (datetime(2026, 6, 5, 9, 0, tzinfo=UTC), 60),
        (datetime(2026, 6, 16, 13, 0, tzinfo=UTC), 50),
    ]
    before = await rows(db)
    again = await import_ics(service, client_id, path.read_bytes(), NOW)
    assert (again.added, again.unchanged, again.cancelled) == ([], 3, [])
    assert (await rows(db)).keys() == before.keys()


async def test_ics_reimport_cancels_an_occurrence_removed_from_the_calendar(
    db: Database,
) -> None:
    """When the calendar drops an occurrence (new EXDATE), re-importing cancels that session."""
    service, _, client_id = await setup(db)
    await import_ics(service, client_id, ICS.encode(), NOW)
    changed = ICS.replace(
        "EXDATE;TZID=Europe/Berlin:20260609T150000",
        "EXDATE;TZID=Europe/Berlin:20260609T150000,20260616T150000",
    )
    report = await import_ics(service, client_id, changed.encode(), NOW)
    assert len(report.cancelled) == 1
    cancelled = [s for s in await service.list_sessions(client_id=client_id) if s.cancelled_at]
    assert [s.starts_at for s in cancelled] == [datetime(2026, 6, 16, 13, 0, tzinfo=UTC)]


# The same calendar with its weekly rule plain: every week, no end, no exceptions.
WEEKLY_ICS = ICS.replace(
    "RRULE:FREQ=WEEKLY;COUNT=3\nEXDATE;TZID=Europe/Berlin:20260609T150000\n", "RRULE:FREQ=WEEKLY\n"
)
TUESDAY = datetime(2026, 6, 2, 13, 0, tzinfo=UTC)
FRIDAY = datetime(2026, 6, 5, 9, 0, tzinfo=UTC)


async def test_ics_import_reads_the_calendar_as_the_console_upload_does(db: Database) -> None:
    """`checkin session import` reads with the upload's reader: a plain weekly rule is one
    weekly series (not a session a week), and an event moved in the calendar since it was
    imported is moved here on the next import, its follow-ups with it."""
    service, _, client_id = await setup(db)
    report = await import_ics(service, client_id, WEEKLY_ICS.encode(), NOW)
    assert len(report.added) == 2
    sessions = await service.list_sessions(client_id=client_id)
    assert sorted((s.starts_at, s.weekly, s.external_uid) for s in sessions) == [
        (TUESDAY, True, "weekly-sam@practice"),
        (FRIDAY, False, "one-off@practice"),
    ]
    later = FRIDAY + timedelta(days=1, hours=2)
    moved = WEEKLY_ICS.replace("20260605T090000Z", f"{later:%Y%m%dT%H%M%SZ}").replace(
        "20260605T100000Z", f"{later + timedelta(hours=1):%Y%m%dT%H%M%SZ}"
    )
    again = await import_ics(service, client_id, moved.encode(), NOW)
    assert (again.added, len(again.moved), again.unchanged, again.cancelled) == ([], 1, 1, [])
    sessions = await service.list_sessions(client_id=client_id)
    assert sorted(s.starts_at for s in sessions if not s.weekly) == [later]
    pending = [k for k, r in (await rows(db)).items() if r.status == "pending"]
    assert any(f"{later:%Y-%m-%dT%H:%M:%SZ}" in k for k in pending)
    assert not any(f"{FRIDAY:%Y-%m-%dT%H:%M:%SZ}" in k for k in pending)


async def test_ics_reimports_of_a_series_moved_in_the_calendar_keep_the_weeks_held(
    db: Database,
) -> None:
    """The calendar moves a weekly series under way from Tuesdays to Wednesdays: the import ends
    the Tuesdays, which stay in the history, and carries on on Wednesdays under the event's UID;
    importing the same file again changes nothing (it moved the ended Tuesday series itself onto
    Wednesdays, erasing the three Tuesdays held)."""
    service, _, client_id = await setup(db)
    await import_ics(service, client_id, WEEKLY_ICS.encode(), NOW)
    later = NOW + timedelta(weeks=3)  # Mon 22 Jun: Tue 2, 9 and 16 Jun were held
    moved = WEEKLY_ICS.replace("20260602T15", "20260624T15")
    first = await import_ics(service, client_id, moved.encode(), later)
    again = await import_ics(service, client_id, moved.encode(), later + timedelta(hours=1))
    assert (len(first.moved), again.moved, again.added, again.unchanged) == (1, [], [], 1)
    async with db.session() as s:
        client = await s.get(Client, client_id)
        assert client is not None
        found = await session_occurrences(s, client, NOW, later + timedelta(weeks=3))
    assert [f"{o.start:%a %d %b}" for o in found] == [
        "Tue 02 Jun",
        "Fri 05 Jun",
        "Tue 09 Jun",
        "Tue 16 Jun",
        "Wed 24 Jun",
        "Wed 01 Jul",
        "Wed 08 Jul",
    ]


async def test_ics_reimport_turns_weeks_imported_one_by_one_into_the_series(db: Database) -> None:
    """Weeks of a plain weekly rule that an earlier import booked one by one (`UID@start`) give
    way to the one series the rule is read as now: those to come are cancelled, so no week is
    booked twice."""
    service, _, client_id = await setup(db)
    for week in range(3):
        start = TUESDAY + timedelta(weeks=week)
        uid = f"weekly-sam@practice@{start:%Y%m%dT%H%M%SZ}"
        await service.register(client_id, start, NOW, source="ics", external_uid=uid)
    report = await import_ics(service, client_id, WEEKLY_ICS.encode(), NOW)
    assert (len(report.cancelled), len(report.added)) == (3, 2)
    sessions = await service.list_sessions(client_id=client_id)
    active = sorted(s.external_uid or "" for s in sessions if s.cancelled_at is None)
    assert active == ["one-off@practice", "weekly-sam@practice"]


# A hand-made export: the second event has no UID (RFC 5545 requires one; calendar apps write it).
NO_UID_ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//hand made//EN
BEGIN:VEVENT
UID:one-off@practice
DTSTART:20260605T090000Z
DTEND:20260605T100000Z
SUMMARY:Extra session
END:VEVENT
BEGIN:VEVENT
DTSTART:20260608T090000Z
DTEND:20260608T095000Z
SUMMARY:Sam K.
END:VEVENT
END:VCALENDAR
"""


async def test_ics_import_refuses_an_event_without_a_uid_naming_its_line(db: Database) -> None:
    """Keyed by its place in the file, a UID-less event matched another session once an event
    was added above it, and moved that one: such a file is refused, naming the event and its
    line, and nothing is imported."""
    service, _, client_id = await setup(db)
    with pytest.raises(CalendarFileError, match=r"'Sam K\.' has no UID \(line 10\)") as refused:
        await import_ics(service, client_id, NO_UID_ICS.encode(), NOW)
    assert "Give it a UID line" in str(refused.value)
    assert await service.list_sessions(client_id=client_id) == []


async def test_ics_reimport_after_an_event_is_added_above_and_one_removed(db: Database) -> None:
    """Events are matched by UID, never by their place in the file: a new event at the top and
    another deleted leave the one still there as it was (not moved, not booked twice)."""
    service, _, client_id = await setup(db)
    await import_ics(service, client_id, WEEKLY_ICS.encode(), NOW)
    first = "BEGIN:VEVENT\nUID:new@practice\nDTSTART:20260604T080000Z\nSUMMARY:First\nEND:VEVENT\n"
    weekly = WEEKLY_ICS.index("BEGIN:VEVENT\nUID:weekly-sam")
    without_weekly = (
        WEEKLY_ICS[:weekly] + WEEKLY_ICS[WEEKLY_ICS.index("BEGIN:VEVENT\nUID:one-off") :]
    )
    edited = without_weekly.replace("BEGIN:VEVENT\n", first + "BEGIN:VEVENT\n", 1)
    assert edited.index("UID:new@practice") < edited.index("UID:one-off@practice")
    report = await import_ics(service, client_id, edited.encode(), NOW)
    assert (len(report.added), report.moved, report.unchanged) == (1, [], 1)
    sessions = await service.list_sessions(client_id=client_id)
    assert sorted((s.external_uid, s.starts_at) for s in sessions if s.cancelled_at is None) == [
        ("new@practice", datetime(2026, 6, 4, 8, 0, tzinfo=UTC)),
        ("one-off@practice", FRIDAY),
        ("weekly-sam@practice", TUESDAY),
    ]
