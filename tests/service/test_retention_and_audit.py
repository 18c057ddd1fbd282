"""Retention (stopped clients, update ids), and the audit trail through the CLI."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

from sqlmodel import select
from typer.testing import CliRunner

from bot.cli import app
from bot.config import Config
from bot.service.housekeeping import apply_retention
from bot.storage import Database, upgrade_database
from bot.storage.models import AuditLog, Client, LogEntry, ProcessedUpdate, Therapist

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


async def _client(s, therapist_id: int, telegram_id: int, status: str, last: datetime) -> Client:  # type: ignore[no-untyped-def]
    client = Client(
        therapist_id=therapist_id,
        telegram_id=telegram_id,
        chat_id=telegram_id,
        first_name=f"C{telegram_id}",
        status=status,
        created_at=last - timedelta(days=1),
    )
    s.add(client)
    await s.flush()
    s.add(LogEntry(client_id=client.id, kind="log", recorded_at=last, note="private words"))
    return client


class TestRetention:
    async def test_stopped_clients_go_after_their_time_and_counts_are_recorded(self, db):
        """Stopped 200 days ago: erased. Stopped recently, or active: kept. Old update ids go."""
        async with db.session() as s:
            therapist = Therapist(telegram_id=1, name="Dr. R")
            s.add(therapist)
            await s.flush()
            assert therapist.id is not None
            await _client(s, therapist.id, 11, "stopped", NOW - timedelta(days=200))
            await _client(s, therapist.id, 12, "stopped", NOW - timedelta(days=10))
            await _client(s, therapist.id, 13, "active", NOW - timedelta(days=400))
            s.add(ProcessedUpdate(update_id=1, processed_at=NOW - timedelta(days=8)))
            s.add(ProcessedUpdate(update_id=2, processed_at=NOW - timedelta(days=1)))
        counts = await apply_retention(db, Config(), NOW)
        assert counts == {"stopped_clients": 1, "processed_updates": 1, "sent_messages": 0}
        async with db.session() as s:
            left = sorted(c.telegram_id for c in (await s.exec(select(Client))).all())
            notes = len((await s.exec(select(LogEntry))).all())
            audit = {
                a.action: a.count
                for a in (await s.exec(select(AuditLog))).all()
                if a.action.startswith("retention.")
            }
            erased = (
                await s.exec(select(AuditLog).where(AuditLog.action == "client.erased"))
            ).one()
        assert left == [12, 13]
        assert notes == 2
        assert audit == {
            "retention.stopped_clients": 1,
            "retention.processed_updates": 1,
            "retention.sent_messages": 0,
        }
        assert erased.actor == "system:retention"
        assert erased.client_id is None

    async def test_the_retention_periods_come_from_the_config(self, db):
        """A clinic that keeps stopped clients for 365 days keeps the one stopped 200 days ago."""
        async with db.session() as s:
            therapist = Therapist(telegram_id=1, name="Dr. R")
            s.add(therapist)
            await s.flush()
            assert therapist.id is not None
            await _client(s, therapist.id, 11, "stopped", NOW - timedelta(days=200))
        config = Config.model_validate({"retention": {"stopped_clients": "365d"}})
        assert (await apply_retention(db, config, NOW))["stopped_clients"] == 0


def test_cli_export_audit_and_delete(tmp_path):
    """`client export` writes both files; `audit --client` lists the export; `client delete`
    erases; afterwards the audit shows one pseudonymous line and no entry names the client."""
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"

    async def seed() -> None:
        db = Database(url)
        try:
            await upgrade_database(db)
            async with db.session() as s:
                therapist = Therapist(telegram_id=1, name="Dr. R")
                s.add(therapist)
                await s.flush()
                assert therapist.id is not None
                await _client(s, therapist.id, 4242, "active", NOW)
        finally:
            await db.dispose()

    asyncio.run(seed())
    config = tmp_path / "c.yaml"
    config.write_text(f'database_url: "{url}"\n')
    runner = CliRunner()
    base = ["--config", str(config)]
    out = tmp_path / "out"
    result = runner.invoke(
        app, [*base, "client", "export", "--telegram-id", "4242", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    exported = json.loads((out / "checkin-client-4242.json").read_text())
    assert exported["tables"]["log_entry"][0]["note"] == "private words"
    assert "private words" in (out / "checkin-client-4242.txt").read_text()

    listed = runner.invoke(app, [*base, "audit", "--client", "4242", "--since", "2020-01-01"])
    assert listed.exit_code == 0, listed.output
    assert "data.export" in listed.output
    assert "cli" in listed.output

    gone = runner.invoke(app, [*base, "client", "delete", "--telegram-id", "4242", "--yes"])
    assert gone.exit_code == 0, gone.output
    assert "Client 4242 erased" in gone.output
    after = runner.invoke(app, [*base, "audit"])
    assert "client.erased" in after.output
    assert "data.export" not in after.output  # folded into the erased line's count
    assert "4242" not in after.output

    bad = runner.invoke(app, [*base, "audit", "--since", "yesterday"])
    assert bad.exit_code == 2


async def test_erasure_drops_the_client_from_engagement_snapshots(db):
    """The therapist's daily engagement digest keeps per-client states: the erased one's go."""
    from bot.service.privacy import erase_client
    from bot.storage.models import DueWork

    async with db.session() as s:
        therapist = Therapist(telegram_id=1, name="Dr. R")
        s.add(therapist)
        await s.flush()
        assert therapist.id is not None
        client = await _client(s, therapist.id, 11, "active", NOW)
        snapshot = {str(client.id): {"status": "active"}, "999": {"status": "paused"}}
        s.add(
            DueWork(
                key=f"engagement:{therapist.id}:2026-11-30",
                kind="engagement",
                due_at=NOW,
                status="sent",
                payload={"therapist_id": therapist.id, "snapshot": snapshot},
            )
        )
    async with db.session() as s:
        found = (await s.exec(select(Client))).one()
        await erase_client(s, found, NOW)
    async with db.session() as s:
        work = (await s.exec(select(DueWork))).one()
    assert work.payload["snapshot"] == {"999": {"status": "paused"}}
