"""Reading a therapist's .ics into proposed sessions: series, dates, zones, and hostile files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.scheduling import calendar_read
from bot.scheduling.calendar_read import CalendarFileError, read_calendar

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # a Tuesday
LONDON = ZoneInfo("Europe/London")


def ics(*events: str, header: str = "") -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    return (
        f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{header}{body}END:VCALENDAR\r\n"
    ).encode()


def event(uid: str, summary: str, start: str, *lines: str, end: str | None = None) -> str:
    parts = [f"UID:{uid}", f"SUMMARY:{summary}", f"DTSTART{start}"]
    parts.append(f"DTEND{end}" if end else "DURATION:PT50M")
    return "\r\n".join(parts + list(lines))


class TestWhatBecomesWhat:
    def test_a_plain_weekly_rule_is_one_series_from_its_next_date(self):
        """Started in October, every Tuesday 15:00 Berlin: one series, next date Tue 1 Dec."""
        data = ics(
            event(
                "w1",
                "Sam K. session",
                ";TZID=Europe/Berlin:20261006T150000",
                "RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20270302T230000Z",
                end=";TZID=Europe/Berlin:20261006T155000",
            )
        )
        [p] = read_calendar(data, LONDON, NOW).proposals
        assert p.weekly
        assert p.uid == "w1"
        assert p.starts_at == datetime(2026, 12, 1, 14, 0, tzinfo=UTC)  # 15:00 CET
        assert p.length == timedelta(minutes=50)
        assert p.until == datetime(2027, 3, 2, 23, 0, tzinfo=UTC)
        assert p.zone == "Europe/Berlin"

    def test_count_ends_a_series_at_its_last_date(self):
        data = ics(
            event("c", "Ben", ";TZID=Europe/London:20261203T090000", "RRULE:FREQ=WEEKLY;COUNT=6")
        )
        [p] = read_calendar(data, LONDON, NOW).proposals
        assert p.weekly
        assert p.until == datetime(2027, 1, 7, 9, 0, tzinfo=UTC)

    def test_every_other_week_becomes_its_dates(self):
        data = ics(
            event("b", "Ada", ";TZID=Europe/London:20261202T120000", "RRULE:FREQ=WEEKLY;INTERVAL=2")
        )
        found = read_calendar(data, LONDON, NOW).proposals
        assert [p.starts_at.date().isoformat() for p in found] == [
            "2026-12-02",
            "2026-12-16",
            "2026-12-30",
            "2027-01-13",
        ]
        assert not any(p.weekly for p in found)
        assert len({p.uid for p in found}) == 4
        assert all(p.uid.startswith("b@") for p in found)

    def test_an_exdate_and_a_moved_instance_are_honoured(self):
        """A weekly rule with one date taken out and one moved is not a plain series: its dates."""
        data = ics(
            event(
                "x",
                "Cy",
                ";TZID=Europe/London:20261202T100000",
                "RRULE:FREQ=WEEKLY;COUNT=4",
                "EXDATE;TZID=Europe/London:20261209T100000",
            ),
            event(
                "x",
                "Cy moved",
                ";TZID=Europe/London:20261217T160000",
                "RECURRENCE-ID;TZID=Europe/London:20261216T100000",
            ),
        )
        found = read_calendar(data, LONDON, NOW).proposals
        assert [p.starts_at for p in found] == [
            datetime(2026, 12, 2, 10, tzinfo=UTC),
            datetime(2026, 12, 17, 16, tzinfo=UTC),
            datetime(2026, 12, 23, 10, tzinfo=UTC),
        ]

    def test_all_day_cancelled_and_too_frequent_events_are_listed_as_skipped(self):
        data = ics(
            event("d", "Holiday", ";VALUE=DATE:20261203"),
            event("e", "Dan", ";TZID=Europe/London:20261203T090000", "STATUS:CANCELLED"),
            event("f", "Spam", ":20261203T090000Z", "RRULE:FREQ=SECONDLY"),
            event("g", "Hourly", ":20261203T090000Z", "RRULE:FREQ=DAILY;BYHOUR=1,2,3"),
        )
        reading = read_calendar(data, LONDON, NOW)
        assert reading.proposals == []
        assert dict(reading.skipped) == {
            "Holiday": "all-day event",
            "Dan": "cancelled in the calendar",
            "Spam": "repeats more often than daily",
            "Hourly": "repeats more often than daily",
        }

    def test_an_event_without_a_uid_is_skipped_with_its_line_and_the_others_kept(self):
        """Only the UID tells, on the next import of an edited file, which session an event is:
        an event without one is listed as skipped, with the line it starts on; its neighbours,
        and a UID-less twin added above them, change nothing for the rest."""
        ada = event("a", "Ada", ":20261202T120000Z")
        ben = "SUMMARY:Ben\r\nDTSTART:20261203T120000Z\r\nDURATION:PT50M"
        reading = read_calendar(ics(ada, ben), LONDON, NOW)
        assert [p.uid for p in reading.proposals] == ["a"]
        why = "has no UID (line 10), so a later import could not tell it from another event"
        assert reading.skipped == [("Ben", why)]
        edited = read_calendar(ics(ben.replace("Ben", "Cy"), ada, ben), LONDON, NOW)
        assert [p.uid for p in edited.proposals] == ["a"]
        assert [(s, w[: w.index(")") + 1]) for s, w in edited.skipped] == [
            ("Cy", "has no UID (line 4)"),
            ("Ben", "has no UID (line 15)"),
        ]

    def test_a_daily_rule_from_long_ago_is_refused_not_walked(self):
        """Walking every day since 1900 to reach the window is work a file should not cause."""
        data = ics(event("old", "Old", ":19000101T090000Z", "RRULE:FREQ=DAILY"))
        reading = read_calendar(data, LONDON, NOW)
        assert reading.proposals == []
        assert reading.skipped == [("Old", "repeats too often to import")]

    def test_past_and_far_events_are_counted_outside_the_window(self):
        data = ics(
            event("p", "Past", ":20261101T090000Z"),
            event("q", "Far", ":20270601T090000Z"),
            event("r", "Ended", ":20260901T090000Z", "RRULE:FREQ=WEEKLY;COUNT=3"),
            event("s", "Now", ":20261202T090000Z"),
        )
        reading = read_calendar(data, LONDON, NOW)
        assert [p.summary for p in reading.proposals] == ["Now"]
        assert reading.outside == 3


class TestTimes:
    def test_utc_times_are_kept_as_instants(self):
        [p] = read_calendar(ics(event("u", "A", ":20261202T090000Z")), LONDON, NOW).proposals
        assert p.starts_at == datetime(2026, 12, 2, 9, tzinfo=UTC)
        assert p.zone == "UTC"

    def test_floating_times_use_the_calendars_own_zone_else_the_therapists(self):
        floating = event("f", "A", ":20261202T090000")
        with_zone = ics(floating, header="X-WR-TIMEZONE:America/New_York\r\n")
        [p] = read_calendar(with_zone, LONDON, NOW).proposals
        assert p.starts_at == datetime(2026, 12, 2, 14, tzinfo=UTC)
        [q] = read_calendar(ics(floating), ZoneInfo("Europe/Berlin"), NOW).proposals
        assert q.starts_at == datetime(2026, 12, 2, 8, tzinfo=UTC)

    def test_a_windows_zone_name_from_outlook_is_understood(self):
        data = ics(event("o", "A", ";TZID=W. Europe Standard Time:20261202T090000"))
        [p] = read_calendar(data, LONDON, NOW).proposals
        assert p.starts_at == datetime(2026, 12, 2, 8, tzinfo=UTC)

    def test_a_zone_defined_in_the_file_gives_the_right_instant(self):
        """Some exporters name their own VTIMEZONE ("My Office", +01:00 in winter)."""
        zone = (
            "BEGIN:VTIMEZONE\r\nTZID:My Office\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\n"
            "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
            "END:STANDARD\r\nEND:VTIMEZONE\r\n"
        )
        data = ics(event("m", "A", ";TZID=My Office:20261202T150000"), header=zone)
        [p] = read_calendar(data, LONDON, NOW).proposals
        assert p.starts_at == datetime(2026, 12, 2, 14, tzinfo=UTC)
        assert p.zone == "the calendar's own zone"

    def test_a_length_is_held_to_what_a_session_can_be(self):
        data = ics(
            event("l", "Long", ":20261202T090000Z", end=":20261203T090000Z"),
            event("z", "Zero", ":20261202T120000Z", end=":20261202T120000Z"),
        )
        lengths = {p.summary: p.length for p in read_calendar(data, LONDON, NOW).proposals}
        assert lengths == {"Long": timedelta(hours=8), "Zero": timedelta(minutes=10)}


class TestHostileFiles:
    @pytest.mark.parametrize(
        ("data", "words"),
        [
            (b"%PDF-1.4\n\xff\xfe\x00binary", "not text"),
            (b"Name,Date\nSam,2026-12-02\n", "does not start with BEGIN:VCALENDAR"),
            (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:zzz\r\n", "damaged"),
            (b"", "does not start with BEGIN:VCALENDAR"),
        ],
    )
    def test_what_is_not_a_calendar_gets_a_clear_message(self, data, words):
        with pytest.raises(CalendarFileError, match=words):
            read_calendar(data, LONDON, NOW)

    def test_a_file_over_the_size_cap_is_refused_unread(self):
        with pytest.raises(CalendarFileError, match="the limit is 1024 kB"):
            read_calendar(b"BEGIN:VCALENDAR" + b" " * calendar_read.MAX_BYTES, LONDON, NOW)

    def test_thousands_of_events_are_refused_with_what_to_do(self, monkeypatch):
        monkeypatch.setattr(calendar_read, "MAX_EVENTS", 20)
        data = ics(*(event(f"n{i}", "A", ":20261202T090000Z") for i in range(21)))
        with pytest.raises(CalendarFileError, match=r"21 events; at most 20.*shorter period"):
            read_calendar(data, LONDON, NOW)

    def test_too_many_sessions_in_the_window_are_refused(self, monkeypatch):
        monkeypatch.setattr(calendar_read, "MAX_PROPOSALS", 3)
        data = ics(event("d", "A", ":20261202T090000Z", "RRULE:FREQ=DAILY;COUNT=10"))
        with pytest.raises(CalendarFileError, match="10 sessions in the next 8 weeks"):
            read_calendar(data, LONDON, NOW)
