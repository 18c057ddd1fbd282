"""Storage: migrations, the UTC column type, and SQLite settings, on every configured backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel, select

from bot.storage import Database, upgrade_database
from bot.storage.migrations import head_revision
from bot.storage.models import Client, DueWork, Therapist


class TestMigrations:
    async def test_upgrade_creates_schema_then_second_run_is_a_no_op(self, tmp_path):
        """A new database goes to head; running the upgrade again changes nothing."""
        db = Database(f"sqlite:///{tmp_path / 'new.sqlite3'}")
        try:
            before, after = await upgrade_database(db)
            assert (before, after) == (None, head_revision())
            again = await upgrade_database(db)
            assert again == (head_revision(), head_revision())
        finally:
            await db.dispose()

    async def test_models_match_the_migrations(self, db: Database):
        """Every model change comes with a migration: the migrated schema equals the models."""

        def diff(connection):  # type: ignore[no-untyped-def]
            context = MigrationContext.configure(connection, opts={"compare_type": False})
            return compare_metadata(context, SQLModel.metadata)

        async with db.engine.connect() as conn:
            changes = await conn.run_sync(diff)
        assert changes == [], f"models and migrations differ; run alembic autogenerate: {changes}"


class TestAwareDatetimes:
    @pytest.mark.parametrize(
        "written",
        [
            datetime(2026, 3, 29, 1, 30, tzinfo=ZoneInfo("Europe/Berlin")),
            datetime(2026, 11, 1, 1, 30, tzinfo=ZoneInfo("America/New_York")),
            datetime(2026, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=5, minutes=30))),
            datetime(2026, 1, 1, 0, 0, tzinfo=UTC),
        ],
    )
    async def test_non_utc_instant_reads_back_as_the_same_aware_instant(self, db, written):
        """A datetime with any offset is stored as UTC and read back aware, as the same instant."""
        async with db.session() as s:
            work = DueWork(key=f"k-{written.isoformat()}", kind="timer", due_at=written)
            s.add(work)
        async with db.session() as s:
            row = (await s.exec(select(DueWork))).one()
        assert row.due_at.tzinfo is not None
        # Compare in UTC: Python never calls an ambiguous wall time equal across zones (PEP 495).
        assert row.due_at == written.astimezone(UTC)
        assert row.due_at.utcoffset() == timedelta(0)

    async def test_naive_datetime_is_refused(self, db):
        """Storing a naive datetime is a bug: it fails loudly instead of guessing a zone."""
        with pytest.raises(Exception, match="naive datetime"):
            async with db.session() as s:
                s.add(DueWork(key="naive", kind="timer", due_at=datetime(2026, 1, 1)))

    async def test_due_rows_compare_by_instant(self, db):
        """Rows written with different offsets sort and filter by their real instants."""
        base = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
        async with db.session() as s:
            s.add(DueWork(key="a", kind="timer", due_at=base.astimezone(ZoneInfo("Asia/Tokyo"))))
            s.add(DueWork(key="b", kind="timer", due_at=(base - timedelta(minutes=1))))
        async with db.session() as s:
            rows = (await s.exec(select(DueWork).where(DueWork.due_at <= base))).all()
        assert sorted(r.key for r in rows) == ["a", "b"]


class TestIntegrity:
    async def test_deleting_a_client_deletes_their_rows(self, db):
        """Foreign keys cascade, so a client's deletion request removes everything of theirs."""
        async with db.session() as s:
            therapist = Therapist(telegram_id=10**12, name="Dr. Long Id")
            s.add(therapist)
            await s.flush()
            client = Client(therapist_id=therapist.id, telegram_id=2**40, chat_id=2**40)
            s.add(client)
            await s.flush()
            s.add(DueWork(key="x", kind="followup", client_id=client.id, due_at=datetime.now(UTC)))
        async with db.session() as s:
            row = (await s.exec(select(Client))).one()
            assert row.telegram_id == 2**40
            await s.delete(row)
        async with db.session() as s:
            assert (await s.exec(select(DueWork))).all() == []

    async def test_sqlite_runs_in_wal_mode_with_foreign_keys(self, sqlite_db):
        """SQLite is set up for a service: WAL journal, busy timeout, foreign keys enforced."""
        async with sqlite_db.engine.connect() as conn:
            assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar() == 1
            assert (await conn.execute(text("PRAGMA busy_timeout"))).scalar() == 5000


class TestDrivers:
    @pytest.mark.parametrize(
        "url", ["sqlite:///{dir}/inline.sqlite3", "sqlite+aiosqlite:///{dir}/aio.sqlite3"]
    )
    async def test_both_sqlite_drivers_migrate_and_round_trip(self, tmp_path, url):
        """The default in-loop driver and aiosqlite store and read the same rows."""
        db = Database(url.format(dir=tmp_path))
        try:
            await upgrade_database(db)
            async with db.session() as s:
                s.add(Therapist(telegram_id=7, name="Dr. Seven"))
            async with db.session() as s:
                assert (await s.exec(select(Therapist))).one().name == "Dr. Seven"
        finally:
            await db.dispose()

    async def test_a_failed_transaction_rolls_back_and_the_next_one_works(self, tmp_path):
        """An integrity error rolls the whole transaction back; the connection stays usable."""
        db = Database(f"sqlite:///{tmp_path / 'x.sqlite3'}")
        try:
            await upgrade_database(db)
            async with db.session() as s:
                s.add(Therapist(telegram_id=1, name="A"))

            async def two_then_a_duplicate() -> None:
                async with db.session() as s:
                    s.add(Therapist(telegram_id=2, name="B"))
                    await s.flush()
                    s.add(Therapist(telegram_id=1, name="A again"))

            with pytest.raises(IntegrityError):
                await two_then_a_duplicate()
            async with db.session() as s:
                assert [t.name for t in (await s.exec(select(Therapist))).all()] == ["A"]
        finally:
            await db.dispose()
