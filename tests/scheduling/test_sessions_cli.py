"""`checkin session ...` and `checkin timing ...` through typer's CliRunner on a SQLite file."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sched_rows import make_client, make_therapist, rows
from typer.testing import CliRunner

from bot.cli import app
from bot.storage import Database, upgrade_database
from bot.storage.models import TherapySession

runner = CliRunner()
BERLIN = ZoneInfo("Europe/Berlin")
# The CLI plans from the real now, four weeks ahead: use days just ahead of today.
DAY1 = date.today() + timedelta(days=3)
DAY2 = DAY1 + timedelta(days=1)


def utc_key(day: date, hhmm: str) -> str:
    local = datetime.combine(day, datetime.strptime(hhmm, "%H:%M").time(), BERLIN)
    return local.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def config(tmp_path: Path) -> tuple[Path, str]:
    """A config file pointing at a migrated SQLite database with one therapist and one client."""
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"

    async def prepare() -> None:
        db = Database(url)
        try:
            await upgrade_database(db)
            therapist = await make_therapist(db)
            await make_client(db, therapist, timezone="Europe/Berlin")
        finally:
            await db.dispose()

    asyncio.run(prepare())
    path = tmp_path / "config.yaml"
    path.write_text(f'database_url: "{url}"\nfollowups:\n  offsets: ["3h", "1d"]\n')
    return path, url


def cli(config: tuple[Path, str], *args: str) -> str:
    result = runner.invoke(app, ["--config", str(config[0]), *args], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def stored(url: str) -> tuple[list[TherapySession], dict[str, object]]:
    async def read() -> tuple[list[TherapySession], dict[str, object]]:
        db = Database(url)
        try:
            from sqlmodel import select

            async with db.session() as s:
                sessions = list((await s.exec(select(TherapySession))).all())
            return sessions, {k: r.status for k, r in (await rows(db)).items()}
        finally:
            await db.dispose()

    return asyncio.run(read())


def test_session_add_reads_local_time_and_plans_follow_ups(config: tuple[Path, str]) -> None:
    """`session add` takes the client's local time (Berlin) and plans the follow-ups."""
    out = cli(config, "session", "add", "--client", "1001", "--start", f"{DAY1} 15:00", "--weekly")
    assert f"Session 1 for Sam (Telegram id 1001): {DAY1:%a %Y-%m-%d} 15:00" in out
    assert "weekly" in out
    sessions, work = stored(config[1])
    assert sessions[0].starts_at.strftime("%Y-%m-%dT%H:%M:%SZ") == utc_key(DAY1, "15:00")
    assert work[f"followup:1:{utc_key(DAY1, '15:00')}:3h"] == "pending"
    listing = cli(config, "session", "list", "--client", "1001")
    assert "weekly" in listing
    assert f"{DAY1:%Y-%m-%d} 15:00" in listing


def test_session_move_and_cancel(config: tuple[Path, str]) -> None:
    """`session move` re-plans; `session cancel` leaves nothing pending."""
    cli(config, "session", "add", "--client", "1001", "--start", f"{DAY1} 15:00")
    assert f"moved to {DAY2:%a %Y-%m-%d} 10:00" in cli(
        config, "session", "move", "1", "--start", f"{DAY2} 10:00"
    )
    _, work = stored(config[1])
    assert work[f"followup:1:{utc_key(DAY2, '10:00')}:3h"] == "pending"
    assert work[f"followup:1:{utc_key(DAY1, '15:00')}:3h"] == "cancelled"
    cli(config, "session", "cancel", "1")
    assert "pending" not in stored(config[1])[1].values()


def test_session_cancel_of_an_ended_series_keeps_the_weeks_held(config: tuple[Path, str]) -> None:
    """A weekly series whose last week is past has nothing left to cancel: `session cancel`
    says so and exits 1, and the series stays as it was (its weeks held stay in the history)."""
    first, last = date.today() - timedelta(days=21), date.today() - timedelta(days=8)
    cli(
        config,
        "session",
        "add",
        "--client",
        "1001",
        "--start",
        f"{first} 15:00",
        "--weekly",
        "--until",
        f"{last}",
    )
    result = runner.invoke(app, ["--config", str(config[0]), "session", "cancel", "1"])
    assert result.exit_code == 1, result.output
    assert "weekly series that has ended" in result.output
    assert "nothing is changed" in result.output
    (series,), _ = stored(config[1])
    assert series.cancelled_at is None
    assert series.until is not None


def test_session_import_is_idempotent(config: tuple[Path, str], tmp_path: Path) -> None:
    """Importing the same .ics twice adds the session once."""
    ics = tmp_path / "cal.ics"
    ics.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:u1\r\n"
        "DTSTART:20300604T130000Z\r\nDTEND:20300604T135000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    ics.write_text(ics.read_text().replace("20300604", f"{DAY1:%Y%m%d}"))
    assert "1 added, 0 unchanged" in cli(config, "session", "import", str(ics), "--client", "1001")
    assert "0 added, 1 unchanged" in cli(config, "session", "import", str(ics), "--client", "1001")
    assert len(stored(config[1])[0]) == 1


@pytest.mark.parametrize(
    ("event", "says"),
    [
        ("DTSTART:19700101T000000Z\r\nRRULE:FREQ=SECONDLY", "repeats too often"),
        ("DTSTART:19700101T000000Z\r\nRRULE:FREQ=DAILY;BYHOUR=1,2,3;BYMINUTE=1,2,3", "too often"),
        ("DTSTART:00010101T090000Z\r\nRRULE:FREQ=DAILY", "repeats too often"),
    ],
)
def test_session_import_refuses_a_rule_that_repeats_too_often(
    config: tuple[Path, str], tmp_path: Path, event: str, says: str
) -> None:
    """A rule that would expand to millions of dates gets the upload's clear refusal instead of
    hanging the command; nothing is saved."""
    ics = tmp_path / "hostile.ics"
    ics.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:u1\r\n"
        f"{event}\r\nSUMMARY:Sam\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    result = runner.invoke(
        app,
        ["--config", str(config[0]), "session", "import", str(ics), "--client", "1001"],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code != 0
    assert says in " ".join(result.output.split())
    assert stored(config[1])[0] == []


def test_session_import_ignores_an_all_day_rule_from_year_one(
    config: tuple[Path, str], tmp_path: Path
) -> None:
    """An all-day rule is not a session, however far back it starts: ignored unexpanded, as
    the upload skips it, rather than walked from year 1."""
    ics = tmp_path / "all-day.ics"
    ics.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:u1\r\n"
        "DTSTART;VALUE=DATE:00010101\r\nRRULE:FREQ=DAILY\r\nSUMMARY:Sam\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )
    out = cli(config, "session", "import", str(ics), "--client", "1001")
    assert "0 added" in out
    assert "1 ignored" in out
    assert stored(config[1])[0] == []


def test_session_import_refuses_a_file_over_the_size_limit(
    config: tuple[Path, str], tmp_path: Path
) -> None:
    ics = tmp_path / "big.ics"
    ics.write_bytes(b"BEGIN:VCALENDAR\r\n" + b"X-PAD:" + b"a" * (2 * 1024 * 1024) + b"\r\n")
    result = runner.invoke(
        app,
        ["--config", str(config[0]), "session", "import", str(ics), "--client", "1001"],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code != 0
    assert "the limit is 1024 kB" in " ".join(result.output.split())


def test_timing_set_and_show(config: tuple[Path, str]) -> None:
    """`timing set` saves a validated override; `timing show` shows what is in force."""
    out = cli(
        config,
        "timing",
        "set",
        "--therapist",
        "500",
        "--offsets",
        "2h,1d",
        "--quiet",
        "22:00-07:30",
    )
    assert "2h, 1d" in out
    shown = cli(config, "timing", "show", "--client", "1001")
    assert "22:00-07:30" in shown
    assert "2h, 1d" in shown


def test_a_clients_own_quiet_hours_and_cap_and_back_to_the_default(
    config: tuple[Path, str],
) -> None:
    """`timing set --client` gives one client quiet hours and a cap of their own; `--default`
    hands one setting back to their therapist's, keeping the other."""
    out = cli(
        config,
        "timing",
        "set",
        "--therapist",
        "500",
        "--client",
        "1001",
        "--quiet",
        "20:00-09:00",
        "--max-pings",
        "1",
    )
    assert "20:00-09:00" in out
    cli(config, "session", "add", "--client", "1001", "--start", f"{DAY1} 16:00")
    # 4h after the session's end (16:50) is 20:50: inside their own quiet hours (20:00-09:00),
    # though outside the clinic's (21:30-08:30).
    cli(config, "timing", "set", "--therapist", "500", "--client", "1001", "--offsets", "4h")
    due = asyncio.run(_due(config[1]))
    assert [d.astimezone(BERLIN).strftime("%H:%M") for d in due] == ["09:00"]  # not 20:50
    shown = cli(config, "timing", "show", "--client", "1001")
    assert "20:00-09:00" in shown
    assert re.search(r"max_pings_per_day\s*│ 1\s", shown)
    cli(config, "timing", "set", "--therapist", "500", "--client", "1001", "--default", "quiet")
    shown = cli(config, "timing", "show", "--client", "1001")
    assert "20:00-09:00" not in shown
    assert re.search(r"max_pings_per_day\s*│ 1\s", shown)
    assert [d.astimezone(BERLIN).strftime("%H:%M") for d in asyncio.run(_due(config[1]))] == [
        "20:50"
    ]
    bad = runner.invoke(
        app,
        ["--config", str(config[0]), "timing", "set", "--therapist", "500", "--default", "x"],
    )
    assert bad.exit_code != 0
    assert "'x' is not a timing setting" in bad.output


async def _due(url: str) -> list[datetime]:
    db = Database(url)
    try:
        return sorted(r.due_at for r in (await rows(db)).values() if r.status == "pending")
    finally:
        await db.dispose()


def test_bad_input_names_the_value_and_the_fix(config: tuple[Path, str]) -> None:
    """A bad offset or an unknown client fails with a message that quotes it."""
    bad = runner.invoke(
        app,
        ["--config", str(config[0]), "timing", "set", "--therapist", "500", "--offsets", "soon"],
    )
    assert bad.exit_code != 0
    assert "'soon' is not a duration" in bad.output
    missing = runner.invoke(
        app,
        [
            "--config",
            str(config[0]),
            "session",
            "add",
            "--client",
            "9",  # an internal row id would have been 1; 9 is no one's Telegram id
            "--start",
            "2030-06-04 15:00",
        ],
    )
    assert missing.exit_code != 0
    assert "No client with the id 9" in missing.output


def test_a_double_booking_is_refused_unless_allowed(config: tuple[Path, str]) -> None:
    """`session add` meeting a weekly series in its second week names the clash and exits 3;
    --allow-overlap books it."""
    cli(config, "session", "add", "--client", "1001", "--start", f"{DAY1} 15:00", "--weekly")
    week2 = DAY1 + timedelta(weeks=1)
    args = ["session", "add", "--client", "1001", "--start", f"{week2} 15:30"]
    result = runner.invoke(app, ["--config", str(config[0]), *args], env={"COLUMNS": "200"})
    assert result.exit_code == 3
    assert f"session 1 of Sam (Telegram id 1001): {week2:%a %Y-%m-%d} 15:00-15:50" in result.output
    assert "weekly" in result.output
    assert "--allow-overlap" in result.output
    assert len(stored(config[1])[0]) == 1
    assert "Session 2" in cli(config, *args, "--allow-overlap")
    # Moving it away from the series needs no flag; moving it back onto it does.
    assert "moved to" in cli(config, "session", "move", "2", "--start", f"{week2} 17:00")
    back = ["session", "move", "2", "--start", f"{week2} 15:10"]
    result = runner.invoke(app, ["--config", str(config[0]), *back], env={"COLUMNS": "200"})
    assert result.exit_code == 3
    assert "moved to" in cli(config, *back, "--allow-overlap")


def test_one_occurrence_of_a_series_is_moved_or_cancelled(config: tuple[Path, str]) -> None:
    """--occurrence changes one week: its follow-ups move or go, the other weeks stay."""
    cli(config, "session", "add", "--client", "1001", "--start", f"{DAY1} 15:00", "--weekly")
    week2, week3 = DAY1 + timedelta(weeks=1), DAY1 + timedelta(weeks=2)
    out = cli(
        config,
        "session",
        "move",
        "1",
        "--occurrence",
        f"{week2} 15:00",
        "--start",
        f"{week2 + timedelta(days=1)} 09:00",
    )
    assert f"moved to {week2 + timedelta(days=1):%a %Y-%m-%d} 09:00" in out
    cli(config, "session", "cancel", "1", "--occurrence", f"{week3} 15:00")
    _, work = stored(config[1])
    assert work[f"followup:1:{utc_key(week2, '15:00')}:3h"] == "cancelled"
    assert work[f"followup:1:{utc_key(week2 + timedelta(days=1), '09:00')}:3h"] == "pending"
    assert work[f"followup:1:{utc_key(week3, '15:00')}:3h"] == "cancelled"
    assert work[f"followup:1:{utc_key(DAY1, '15:00')}:3h"] == "pending"
    # The week is gone: changing it again is refused, clearly.
    again = ["session", "cancel", "1", "--occurrence", f"{week3} 15:00"]
    result = runner.invoke(app, ["--config", str(config[0]), *again], env={"COLUMNS": "200"})
    assert result.exit_code == 1
    assert "no occurrence" in result.output
