"""The caseload's bulk triage gives the same findings as the bot's own `triage_client`."""

from __future__ import annotations

from datetime import timedelta

import pytest
from console_helpers import THERAPIST, add_client

from bot.console.caseload import caseload
from bot.service.alerts import describe_reasons
from bot.service.history import triage_client
from bot.service.identity import require_therapist
from bot.storage.models import Client, LogEntry, TherapySession, TriageEvent

pytestmark = pytest.mark.e2e
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


async def test_bulk_triage_matches_triage_client(harness):
    now = harness.clock.now()
    histories = {
        "Severe": [(HOUR * 2, 9)],
        "Rising": [(DAY * 3, 3), (DAY * 2, 5), (DAY, 7), (HOUR, 8)],
        "Persisting": [(DAY * n + HOUR, 7) for n in range(4)],
        "Calm": [(DAY * n, 2) for n in range(10)],
        "Old": [(DAY * 40, 10), (DAY * 39, 10)],
        "Never": [],
    }
    ids = {
        name: await add_client(harness, THERAPIST, 100 + n, name, ratings=ratings)
        for n, (name, ratings) in enumerate(histories.items())
    }
    async with harness.runtime.db.session() as s:
        therapist = await require_therapist(s, THERAPIST)
        # A weekly session that ended two days ago: Persisting's older ratings no longer count.
        s.add(
            TherapySession(
                client_id=ids["Persisting"],
                therapist_id=therapist.id,
                starts_at=now - DAY * 9,
                weekly=True,
            )
        )
        # A crisis message an hour ago, not alerted (the open-alert tier stays empty) and one
        # that the therapist acknowledged.
        s.add(
            TriageEvent(
                client_id=ids["Calm"],
                at=now - HOUR,
                source="screening",
                crisis=True,
                reasons=["crisis"],
                level="crisis",
            )
        )
        s.add(
            LogEntry(
                client_id=ids["Calm"],
                kind="self_care",
                recorded_at=now - HOUR,
                helped=False,
                distress_before=8,
                distress_after=8,
            )
        )
        s.add(
            TriageEvent(
                client_id=ids["Old"],
                at=now - HOUR * 3,
                source="screening",
                crisis=True,
                reasons=["crisis"],
                level="crisis",
                acknowledged_at=now - HOUR,
            )
        )
    async with harness.runtime.db.session() as s:
        therapist = await require_therapist(s, THERAPIST)
        rows = {r.client.first_name: r for r in await caseload(s, harness.config, therapist, now)}
        for name, client_id in ids.items():
            client = await s.get(Client, client_id)
            assert client is not None
            expected = await triage_client(s, harness.config, client, now)
            row = rows[name]
            assert (row.tier == "triage") == bool(expected.reasons), name
            if expected.reasons:
                assert row.why == describe_reasons(expected.reasons, None), name
    assert rows["Severe"].tier == "triage"
    assert rows["Calm"].tier == "triage"  # the crisis message within the hold time
