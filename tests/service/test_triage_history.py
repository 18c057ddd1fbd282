"""Triage over stored history: since the last session, with the therapist's own thresholds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.config import Config
from bot.service.history import set_therapist_triage, triage_client
from bot.storage.models import Client, LogEntry, Therapist, TherapySession

NOW = datetime(2026, 11, 26, 18, 0, tzinfo=UTC)


async def _client_with_raised_days(db, days: float) -> Client:
    """A session ended `days` + a bit ago; distress 7 logged at its end and `days` later."""
    async with db.session() as s:
        therapist = Therapist(telegram_id=1, name="Dr. Ruiz")
        s.add(therapist)
        await s.flush()
        client = Client(therapist_id=therapist.id, telegram_id=9, chat_id=9)
        s.add(client)
        await s.flush()
        end = NOW - timedelta(days=days, hours=1)
        s.add(
            TherapySession(
                client_id=client.id,
                therapist_id=therapist.id,
                starts_at=end - timedelta(minutes=50),
            )
        )
        s.add(
            LogEntry(
                client_id=client.id, kind="log", distress=7, recorded_at=end + timedelta(minutes=5)
            )
        )
        s.add(
            LogEntry(
                client_id=client.id, kind="log", distress=7, recorded_at=NOW - timedelta(minutes=5)
            )
        )
        s.add(
            LogEntry(
                client_id=client.id, kind="log", distress=9, recorded_at=end - timedelta(days=3)
            )
        )
        return client


class TestTherapistThresholds:
    async def test_a_therapist_override_changes_the_verdict(self, db):
        """1.5 raised days: not 'persisting' with the clinic's 2 days, but with a therapist's 1 day."""
        config = Config()
        client = await _client_with_raised_days(db, 1.5)
        async with db.session() as s:
            assert (await triage_client(s, config, client, NOW)).reasons == ()
            await set_therapist_triage(
                s, config, client.therapist_id, {"persist_days": 1}, reset=False
            )
        async with db.session() as s:
            assert (await triage_client(s, config, client, NOW)).reasons == ("persisting",)

    async def test_an_impossible_override_is_refused(self, db):
        """Thresholds are validated like the clinic's: a distress threshold of 11 is refused."""
        config = Config()
        client = await _client_with_raised_days(db, 1.5)
        async with db.session() as s:
            with pytest.raises(ValueError, match="10"):
                await set_therapist_triage(
                    s, config, client.therapist_id, {"distress_threshold": 11}, reset=False
                )


def test_cli_sets_and_resets_a_therapists_thresholds(tmp_path):
    """`checkin therapist triage` saves the override and shows the thresholds in force."""
    config = tmp_path / "c.yaml"
    config.write_text(f'database_url: "sqlite:///{tmp_path / "cli.sqlite3"}"\n')
    runner = CliRunner()
    base = ["--config", str(config), "therapist"]
    assert (
        runner.invoke(app, [*base, "add", "--name", "Dr. R", "--telegram-id", "5"]).exit_code == 0
    )
    result = runner.invoke(app, [*base, "triage", "--telegram-id", "5", "--persist-days", "3"])
    assert result.exit_code == 0, result.output
    assert "persist_days=3" in result.output
    reset = runner.invoke(app, [*base, "triage", "--telegram-id", "5", "--reset"])
    assert "persist_days=2" in reset.output


def test_cli_therapist_add_reminds_to_open_the_bot_and_checks_the_zone(tmp_path):
    """`checkin therapist add` says to open the bot once; a bad --timezone exits 2;
    --rise-points is a therapist's own threshold too."""
    config = tmp_path / "c.yaml"
    config.write_text(f'database_url: "sqlite:///{tmp_path / "cli.sqlite3"}"\n')
    runner = CliRunner()
    base = ["--config", str(config), "therapist"]
    added = runner.invoke(
        app,
        [
            *base,
            *("add", "--name", "Dr. R", "--telegram-id", "5", "--hours", "Mon-Fri 9-17"),
            *("--timezone", "Europe/Berlin", "--on-call", "+49 30 000"),
        ],
    )
    assert added.exit_code == 0, added.output
    assert "send /start once" in " ".join(added.output.split())
    bad = runner.invoke(
        app, [*base, "add", "--name", "Dr. R", "--telegram-id", "5", "--timezone", "Mars/Base"]
    )
    assert bad.exit_code == 2
    result = runner.invoke(app, [*base, "triage", "--telegram-id", "5", "--rise-points", "3"])
    assert "rise_points=3" in result.output


class TestUsualThings:
    """'Can you do your usual things today?' No is unable_to_function, Partly is partly_unable:
    both reach triage from the stored log (Partly only with raised distress)."""

    @pytest.mark.parametrize(
        ("unable", "partly", "distress", "rule"),
        [
            (True, False, 2, "unable_button"),
            (False, True, 6, "unable_partly_with_distress"),
            (False, True, 3, None),
            (False, False, 6, None),
        ],
    )
    async def test_the_stored_answer_reaches_triage(self, db, unable, partly, distress, rule):
        async with db.session() as s:
            therapist = Therapist(telegram_id=1, name="Dr. Ruiz")
            s.add(therapist)
            await s.flush()
            client = Client(therapist_id=therapist.id, telegram_id=9, chat_id=9)
            s.add(client)
            await s.flush()
            s.add(
                LogEntry(
                    client_id=client.id,
                    kind="log",
                    distress=distress,
                    unable_to_function=unable,
                    partly_unable=partly,
                    recorded_at=NOW - timedelta(hours=1),
                )
            )
        async with db.session() as s:
            result = await triage_client(s, Config(), client, NOW)
        assert {d.reason: d.rule for d in result.details}.get("unable_to_function") == rule
