"""Scores taken before bands were stored get their measure's published bands at the upgrade."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command

from bot.storage import Database, upgrade_database
from bot.storage.migrations import alembic_config
from bot.storage.models import Client, MeasureScore, Therapist

NOW = datetime(2026, 11, 30, 18, tzinfo=UTC)


async def test_old_phq9_and_gad7_scores_get_their_bands_and_others_none(db: Database) -> None:
    async with db.session() as s:
        therapist = Therapist(telegram_id=9001, name="Dr. T")
        s.add(therapist)
        await s.flush()
        client = Client(therapist_id=therapist.id, telegram_id=77, chat_id=77)
        s.add(client)
        await s.flush()
        assert client.id is not None
        for measure in ("phq9", "gad7", "who5"):
            s.add(
                MeasureScore(
                    client_id=client.id, measure=measure, total=9, band="mild", recorded_at=NOW
                )
            )
    cfg = alembic_config(db.url)

    def down(connection: sa.Connection) -> None:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0011_console")

    async with db.engine.begin() as conn:
        await conn.run_sync(down)
    await upgrade_database(db)
    async with db.session() as s:
        rows = (await s.exec(sa.select(MeasureScore).order_by(MeasureScore.id))).scalars().all()
    starts = {row.measure: [start for start, _ in row.bands] for row in rows}
    assert starts == {"phq9": [0, 5, 10, 15, 20], "gad7": [0, 5, 10, 15], "who5": []}
    assert rows[0].bands[3] == [15, "moderately_severe"]
