"""The planner: offsets, weekly repeats, quiet hours and daylight-saving changes, as tables."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.config import FollowUpConfig, QuietHours
from bot.scheduling.planner import (
    PlannedItem,
    SessionSlot,
    after_quiet_hours,
    apply_daily_cap,
    plan_followups,
    plan_reminder,
    to_utc,
)
from bot.scheduling.policy import Policy, TimingError, effective_policy, parse_offset
from bot.storage.models import PolicyOverride

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
NO_QUIET = QuietHours(start=time(0, 0), end=time(0, 0))


def policy(**changes: object) -> Policy:
    base = {
        "offsets": (timedelta(hours=3), timedelta(days=1)),
        "day_before_next_session": False,
        "quiet_hours": NO_QUIET,
        "reminder_after": timedelta(hours=4),
        "max_pings_per_day": 3,
        "useful_window": timedelta(hours=12),
        "session_length": timedelta(minutes=50),
    }
    base.update(changes)
    return Policy(**base)  # type: ignore[arg-type]


def local(tz: ZoneInfo, *parts: int) -> datetime:
    return to_utc(datetime(*parts), tz)  # type: ignore[misc]


def slot(start: datetime, weekly: bool = False, minutes: int = 50) -> SessionSlot:
    return SessionSlot(
        id=7, starts_at=start, length=timedelta(minutes=minutes), weekly=weekly, client_id=3
    )


def walls(items: list[PlannedItem], tz: ZoneInfo) -> list[str]:
    return [i.due_at.astimezone(tz).strftime("%m-%d %H:%M %Z") for i in items]


class TestDaylightSaving:
    @pytest.mark.parametrize(
        ("tz", "session_day", "expected"),
        [
            # Berlin springs forward on 2026-03-29: 1d keeps 15:50 local, 3h stays 3 real hours.
            (BERLIN, (2026, 3, 28), ["03-28 18:50 CET", "03-29 15:50 CEST"]),
            # Berlin falls back on 2026-10-25.
            (BERLIN, (2026, 10, 24), ["10-24 18:50 CEST", "10-25 15:50 CET"]),
            (NEW_YORK, (2026, 3, 7), ["03-07 18:50 EST", "03-08 15:50 EDT"]),
            (NEW_YORK, (2026, 10, 31), ["10-31 18:50 EDT", "11-01 15:50 EST"]),
        ],
    )
    def test_whole_day_offsets_keep_the_local_wall_time_across_the_change(
        self, tz: ZoneInfo, session_day: tuple[int, int, int], expected: list[str]
    ) -> None:
        """A 1d follow-up after a 15:00 session comes at 15:50 local the next day, DST or not."""
        start = local(tz, *session_day, 15, 0)
        items = plan_followups(slot(start), policy(), tz, now=start)
        assert walls(items, tz) == expected

    def test_hour_offsets_are_absolute_time_across_the_change(self) -> None:
        """A 12h follow-up across the spring-forward night is 12 real hours, 13 on the wall clock."""
        start = local(BERLIN, 2026, 3, 28, 18, 0)
        items = plan_followups(
            slot(start, minutes=60), policy(offsets=(timedelta(hours=12),)), BERLIN, now=start
        )
        assert items[0].due_at - (start + timedelta(hours=1)) == timedelta(hours=12)
        assert walls(items, BERLIN) == ["03-29 08:00 CEST"]

    def test_nonexistent_local_time_shifts_forward_by_the_gap(self) -> None:
        """02:30 on Berlin's spring-forward day does not exist; it is read as 03:30 CEST."""
        assert to_utc(datetime(2026, 3, 29, 2, 30), BERLIN) == datetime(
            2026, 3, 29, 1, 30, tzinfo=UTC
        )

    def test_ambiguous_local_time_is_the_first_occurrence(self) -> None:
        """01:30 on New York's fall-back day exists twice; the first (EDT) one is used."""
        assert to_utc(datetime(2026, 11, 1, 1, 30), NEW_YORK) == datetime(
            2026, 11, 1, 5, 30, tzinfo=UTC
        )

    def test_a_follow_up_landing_in_the_spring_gap_is_planned_once_after_it(self) -> None:
        """A session ending 02:30 local the day before the gap: its 1d follow-up comes once, 03:30."""
        start = local(BERLIN, 2026, 3, 28, 1, 40)
        items = plan_followups(slot(start), policy(offsets=(timedelta(days=1),)), BERLIN, now=start)
        assert walls(items, BERLIN) == ["03-29 03:30 CEST"]

    def test_a_follow_up_at_an_ambiguous_time_is_planned_once(self) -> None:
        """On the fall-back night a 1d follow-up at 02:30 local is planned once, at the first 02:30."""
        start = local(BERLIN, 2026, 10, 24, 1, 40)
        items = plan_followups(slot(start), policy(offsets=(timedelta(days=1),)), BERLIN, now=start)
        assert len(items) == 1
        assert items[0].due_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)

    def test_weekly_session_keeps_its_local_time_across_the_change(self) -> None:
        """A weekly Tuesday 15:00 session in New York stays at 15:00 local before and after DST."""
        start = local(NEW_YORK, 2026, 2, 24, 15, 0)
        items = plan_followups(
            slot(start, weekly=True), policy(offsets=(timedelta(hours=3),)), NEW_YORK, now=start
        )
        assert walls(items, NEW_YORK)[:3] == [
            "02-24 18:50 EST",
            "03-03 18:50 EST",
            "03-10 18:50 EDT",
        ]


class TestQuietHours:
    quiet = QuietHours(start=time(21, 30), end=time(8, 30))

    @pytest.mark.parametrize(
        ("due_local", "expected_local"),
        [
            ((2026, 6, 1, 20, 0), (2026, 6, 1, 20, 0)),  # before: unchanged
            ((2026, 6, 1, 22, 0), (2026, 6, 2, 8, 30)),  # before midnight: next morning
            ((2026, 6, 2, 3, 0), (2026, 6, 2, 8, 30)),  # after midnight: same morning
            ((2026, 6, 2, 8, 30), (2026, 6, 2, 8, 30)),  # the end itself is not quiet
            ((2026, 6, 1, 21, 30), (2026, 6, 2, 8, 30)),  # the start is quiet
        ],
    )
    def test_quiet_hours_spanning_midnight_move_items_to_their_end(
        self, due_local: tuple[int, ...], expected_local: tuple[int, ...]
    ) -> None:
        """An item due inside 21:30-08:30 local moves to 08:30 local; outside it stays."""
        moved = after_quiet_hours(local(BERLIN, *due_local), self.quiet, BERLIN)
        assert moved == local(BERLIN, *expected_local)

    def test_quiet_hours_within_one_day(self) -> None:
        """Quiet hours 12:00-14:00 move a 13:00 item to 14:00 the same day."""
        quiet = QuietHours(start=time(12), end=time(14))
        moved = after_quiet_hours(local(LONDON, 2026, 6, 1, 13, 0), quiet, LONDON)
        assert moved == local(LONDON, 2026, 6, 1, 14, 0)

    def test_planned_follow_up_in_quiet_hours_comes_at_their_end(self) -> None:
        """A 3h follow-up after a 19:00 session (22:50) comes at 08:30 the next morning."""
        start = local(LONDON, 2026, 6, 1, 19, 0)
        items = plan_followups(
            slot(start),
            policy(quiet_hours=self.quiet, offsets=(timedelta(hours=3),)),
            LONDON,
            start,
        )
        assert walls(items, LONDON) == ["06-02 08:30 BST"]


class TestPlanning:
    def test_keys_name_session_occurrence_and_offset(self) -> None:
        """Each item's key is followup:<session>:<occurrence UTC>:<offset>, so re-planning is idempotent."""
        start = datetime(2026, 6, 1, 14, 0, tzinfo=UTC)
        items = plan_followups(slot(start), policy(), LONDON, now=start)
        assert [i.key for i in items] == [
            "followup:7:2026-06-01T14:00:00Z:3h",
            "followup:7:2026-06-01T14:00:00Z:1d",
        ]
        assert items[0].payload == {
            "session_id": 7,
            "occurrence": "2026-06-01T14:00:00Z",
            "offset": "3h",
            "client_id": 3,
        }
        assert plan_followups(slot(start), policy(), LONDON, now=start) == items

    def test_items_older_than_the_useful_window_are_not_planned(self) -> None:
        """Registered late, a session's 3h follow-up 20 hours ago is dropped; the 1d one stays."""
        start = datetime(2026, 6, 1, 14, 0, tzinfo=UTC)
        now = start + timedelta(hours=24)
        items = plan_followups(slot(start), policy(), LONDON, now=now)
        assert [i.payload["offset"] for i in items] == ["1d"]

    def test_weekly_sessions_plan_four_weeks_ahead(self) -> None:
        """A weekly session yields one follow-up per occurrence up to the four-week horizon."""
        start = datetime(2026, 6, 1, 14, 0, tzinfo=UTC)
        items = plan_followups(
            slot(start, weekly=True), policy(offsets=(timedelta(hours=3),)), LONDON, now=start
        )
        assert len(items) == 5  # weeks 0..4 inclusive of the horizon end
        assert {i.due_at.weekday() for i in items} == {0}

    def test_follow_ups_after_the_next_session_are_dropped(self) -> None:
        """A 3d follow-up that would come after the next session has started is not planned."""
        start = datetime(2026, 6, 1, 14, 0, tzinfo=UTC)
        p = policy(offsets=(timedelta(hours=3), timedelta(days=3)))
        items = plan_followups(
            slot(start), p, LONDON, start, next_session_start=start + timedelta(days=2)
        )
        assert [i.payload["offset"] for i in items] == ["3h"]

    def test_day_before_comes_at_18_local_the_evening_before(self) -> None:
        """With day_before_next_session on, an item comes at 18:00 local the day before the session."""
        now = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
        start = local(BERLIN, 2026, 6, 4, 10, 0)
        items = plan_followups(slot(start), policy(day_before_next_session=True), BERLIN, now)
        day_before = [i for i in items if i.kind == "day_before"]
        assert walls(day_before, BERLIN) == ["06-03 18:00 CEST"]
        assert day_before[0].key == "day_before:7:2026-06-04T08:00:00Z"


class TestReminderAndCap:
    def test_reminder_after_no_answer(self) -> None:
        """One reminder is planned reminder_after the send; none for a reminder, none when off."""
        sent = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
        item = plan_reminder(sent, policy(), of_key="followup:7:x:3h")
        assert item is not None
        assert item.due_at == sent + timedelta(hours=4)
        assert item.key == "reminder:followup:7:x:3h"
        assert plan_reminder(sent, policy(), of_key=item.key) is None
        assert plan_reminder(sent, policy(reminder_after=None), of_key="followup:7:x:3h") is None

    def test_daily_cap_counts_pings_per_local_day(self) -> None:
        """With a cap of 2, the third ping on one local day is over; timers are never capped."""
        base = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
        items = [
            PlannedItem(f"followup:{n}", base + timedelta(hours=n), "followup") for n in range(3)
        ] + [PlannedItem("timer:1", base + timedelta(hours=4), "timer")]
        kept, over = apply_daily_cap(items, policy(max_pings_per_day=2), LONDON)
        assert [i.key for i in kept] == ["followup:0", "followup:1", "timer:1"]
        assert [i.key for i in over] == ["followup:2"]

    def test_daily_cap_includes_what_was_already_sent(self) -> None:
        """Pings already sent today count toward the cap."""
        item = PlannedItem("followup:1", datetime(2026, 6, 1, 8, 0, tzinfo=UTC), "followup")
        kept, over = apply_daily_cap(
            [item], policy(max_pings_per_day=2), LONDON, {date(2026, 6, 1): 2}
        )
        assert (kept, over) == ([], [item])


class TestEffectivePolicy:
    def test_client_overrides_therapist_overrides_clinic_field_by_field(self) -> None:
        """Each field comes from the most specific override that sets it."""
        clinic = FollowUpConfig()
        therapist = PolicyOverride(
            therapist_id=1, offsets=["2h"], quiet_start="22:00", max_pings_per_day=5
        )
        client = PolicyOverride(
            therapist_id=1, client_id=2, max_pings_per_day=1, reminder_after="off"
        )
        p = effective_policy(clinic, therapist, client)
        assert p.offsets == (timedelta(hours=2),)
        assert p.quiet_hours == QuietHours(start=time(22), end=clinic.quiet_hours.end)
        assert p.max_pings_per_day == 1
        assert p.reminder_after is None
        assert p.useful_window == clinic.useful_window

    @pytest.mark.parametrize("bad", ["3x", "1m", "30d", ""])
    def test_bad_offsets_are_refused_with_the_valid_forms(self, bad: str) -> None:
        """An offset that is not a duration or is out of range names the value and what is valid."""
        with pytest.raises(TimingError, match=r"offset"):
            parse_offset(bad)


ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]


@settings(max_examples=300, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31)),
    offsets=st.lists(
        st.sampled_from(
            [
                timedelta(minutes=30),
                timedelta(hours=3),
                timedelta(days=1),
                timedelta(days=3),
                timedelta(days=1, hours=12),
            ]
        ),
        min_size=1,
        max_size=4,
        unique=True,
    ),
    quiet=st.tuples(st.integers(0, 23), st.integers(0, 23)),
    weekly=st.booleans(),
)
def test_planned_items_are_unique_after_the_session_and_outside_quiet_hours(
    zone: str,
    start: datetime,
    offsets: list[timedelta],
    quiet: tuple[int, int],
    weekly: bool,
) -> None:
    """For any zone, start, offsets and quiet hours: keys unique, nothing before the session ends,
    nothing inside quiet hours, and planning twice gives the same plan."""
    tz = ZoneInfo(zone)
    begins = to_utc(start, tz)
    p = policy(
        offsets=tuple(sorted(offsets)),
        quiet_hours=QuietHours(start=time(quiet[0]), end=time(quiet[1])),
        day_before_next_session=True,
    )
    items = plan_followups(slot(begins, weekly=weekly), p, tz, now=begins)
    keys = [i.key for i in items]
    assert len(keys) == len(set(keys))
    for item in items:
        local = item.due_at.astimezone(tz).time()
        assert not p.quiet_hours.contains(local)
        if item.kind == "followup":
            assert item.due_at >= begins + timedelta(minutes=50)
    assert plan_followups(slot(begins, weekly=weekly), p, tz, now=begins) == items
