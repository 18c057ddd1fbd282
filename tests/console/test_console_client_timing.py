"""A client's own quiet hours and daily cap, set in the console: validated, stored, and kept by the
scheduler (end to end: console form, planner, dispatcher, the loopback Bot API, the client's chat)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from console_helpers import OTHER, THERAPIST, add_client, base, csrf_of, signed_in
from sqlmodel import col, select

from bot.service.identity import client_by_telegram_id
from bot.storage.models import DueWork, PolicyOverride

pytestmark = pytest.mark.e2e
SAM = 1001


async def sam_id(h) -> int:
    async with h.runtime.db.session() as s:
        client = await client_by_telegram_id(s, SAM)
        assert client is not None
        assert client.id is not None
        return client.id


async def own_override(h, client_id: int) -> PolicyOverride | None:
    async with h.runtime.db.session() as s:
        found = await s.exec(select(PolicyOverride).where(PolicyOverride.client_id == client_id))
        return found.first()


def at(hour: int, minute: int = 0, second: int = 0) -> datetime:
    """Monday 23 November 2026 (London is on UTC then)."""
    return datetime(2026, 11, 23, hour, minute, second, tzinfo=UTC)


async def test_a_clients_own_quiet_hours_and_cap_hold_when_check_ins_are_sent(harness):
    """Sam's own quiet hours 12:00-14:00 and at most 2 a day (Dr. Ruiz's defaults: 21:30-08:30,
    3 a day). Follow-ups 1h, 3h, 5h, 7h after a session ending 11:50: the 12:50 one waits for
    14:00, 14:50 is sent, and 16:50 and 18:50 are held back by the cap."""
    sam = await harness.onboarded_client(SAM, "Sam", therapist=THERAPIST)
    sam_row = await sam_id(harness)
    before = len(sam.transcript)
    url = f"{base(harness)}/clients/{sam_row}"
    async with await signed_in(harness) as b:
        async with b.get(f"{url}/sessions") as page:
            csrf = csrf_of(await page.text())
        own = {
            "csrf": csrf,
            "offsets": "1h, 3h, 5h, 7h",
            "quiet_start": "12:00",
            "quiet_end": "14:00",
            "max_per_day": "2",
        }
        async with b.post(f"{url}/timing", data=own) as answer:
            page = await answer.text()
            assert answer.status == 200
        assert "quiet hours 12:00-14:00" in page
        assert "at most 2 a day" in page
        session = {"csrf": csrf, "day": "2026-11-23", "time": "11:00", "length": "50"}
        async with b.post(f"{url}/sessions", data=session) as answer:
            assert answer.status == 200
    async with harness.runtime.db.session() as s:
        due = [
            w.due_at
            for w in (
                await s.exec(
                    select(DueWork)
                    .where(DueWork.client_id == sam_row, DueWork.kind == "followup")
                    .order_by(col(DueWork.due_at))
                )
            ).all()
        ]
    assert due == [at(14), at(14, 50), at(16, 50), at(18, 50)]

    harness.clock.set(at(12, 51))  # the therapist's defaults would send the 1h follow-up now
    assert (await harness.tick()).sent == 0
    harness.clock.set(at(14, 0, 1))
    assert (await harness.tick()).sent == 1
    assert "checking in" in (await sam.next_reply()).text
    harness.clock.set(at(14, 50, 1))
    assert (await harness.tick()).sent == 1
    assert "checking in" in (await sam.next_reply()).text
    skipped: dict[str, int] = {}
    for moment in (at(16, 50, 1), at(18, 0, 1), at(18, 50, 1)):
        harness.clock.set(moment)
        report = await harness.tick()
        assert report.sent == 0
        for reason, n in report.reasons.items():
            skipped[reason] = skipped.get(reason, 0) + n
    assert skipped.get("daily_cap", 0) >= 2
    await sam.replies_until_idle(0.3)
    pings = [t for t in sam.transcript[before:] if "checking in" in t]
    assert len(pings) == 2


async def test_bad_values_are_explained_and_empty_fields_take_the_default(harness):
    ada = await add_client(harness, THERAPIST, 11, "Ada")
    url = f"{base(harness)}/clients/{ada}"
    async with await signed_in(harness) as b:
        async with b.get(f"{url}/sessions") as page:
            text = await page.text()
            csrf = csrf_of(text)
        assert "quiet hours 21:30-08:30" in text  # the defaults in force
        for form, words in (
            ({"quiet_start": "22:00"}, "need both a start and an end"),
            ({"quiet_start": "25:00", "quiet_end": "07:00"}, "Quiet hours"),
            ({"max_per_day": "0"}, "out of range; use 1 to 24"),
            ({"max_per_day": "lots"}, "not a number"),
        ):
            async with b.post(f"{url}/timing", data={"csrf": csrf, **form}) as answer:
                assert answer.status == 400, form
                page = await answer.text()
                assert words in page, form
                assert f'value="{next(iter(form.values()))}"' in page  # what was typed stays
        assert await own_override(harness, ada) is None
        # Quiet hours and a cap of their own; then the quiet hours back to the default.
        form = {"csrf": csrf, "quiet_start": "20:00", "quiet_end": "09:00", "max_per_day": "1"}
        async with b.post(f"{url}/timing", data=form) as answer:
            assert "quiet hours 20:00-09:00" in await answer.text()
        row = await own_override(harness, ada)
        assert row is not None
        assert (row.quiet_start, row.quiet_end, row.max_pings_per_day, row.offsets) == (
            "20:00",
            "09:00",
            1,
            None,
        )
        async with b.post(f"{url}/timing", data={"csrf": csrf, "max_per_day": "1"}) as answer:
            page = await answer.text()
        assert "quiet hours 21:30-08:30" in page
        assert "at most 1 a day" in page
        row = await own_override(harness, ada)
        assert row is not None
        assert (row.quiet_start, row.max_pings_per_day) == (None, 1)
        async with b.post(f"{url}/timing", data={"csrf": csrf, "offsets": "none"}) as answer:
            assert "In force: none after each session" in await answer.text()


async def test_another_therapists_client_timing_is_404_and_unchanged(harness):
    await add_client(harness, THERAPIST, 11, "Ada")
    zed = await add_client(harness, OTHER, 21, "Zed")
    async with await signed_in(harness) as b:
        async with b.get(f"{base(harness)}/timing") as page:
            csrf = csrf_of(await page.text())
        form = {"csrf": csrf, "quiet_start": "10:00", "quiet_end": "20:00", "max_per_day": "1"}
        async with b.post(f"{base(harness)}/clients/{zed}/timing", data=form) as answer:
            assert answer.status == 404
            assert "Zed" not in await answer.text()
    assert await own_override(harness, zed) is None


async def test_a_snoozed_check_in_waits_for_the_clients_own_quiet_hours(harness):
    """Sam's own quiet hours end at 10:00: "Tomorrow" (09:00 by default) brings the check-in
    back at 10:00, their time, and it arrives then."""
    sam = await harness.onboarded_client(SAM, "Sam", therapist=THERAPIST)
    sam_row = await sam_id(harness)
    async with await signed_in(harness) as b:
        url = f"{base(harness)}/clients/{sam_row}"
        async with b.get(f"{url}/sessions") as page:
            csrf = csrf_of(await page.text())
        form = {"csrf": csrf, "quiet_start": "22:00", "quiet_end": "10:00"}
        async with b.post(f"{url}/timing", data=form) as answer:
            assert answer.status == 200
    await sam.send("/aftersession")
    await sam.replies_until_idle(0.4)
    await sam.send("/stop")
    await sam.replies_until_idle(0.4)
    async with harness.runtime.db.session() as s:
        first = min(
            w.due_at
            for w in (await s.exec(select(DueWork).where(DueWork.kind == "followup"))).all()
        )
    harness.clock.set(first + timedelta(seconds=1))
    await harness.tick()
    await sam.replies_until_idle(0.4)
    await sam.tap("Tomorrow")
    assert "check in again" in (await sam.next_reply()).text
    async with harness.runtime.db.session() as s:
        snoozed = (
            await s.exec(select(DueWork).where(col(DueWork.key).startswith("snooze:")))
        ).one()
    assert snoozed.due_at == datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # London is on UTC
    harness.clock.set(datetime(2026, 11, 24, 9, 0, 1, tzinfo=UTC))
    assert (await harness.tick()).sent == 0
    harness.clock.set(snoozed.due_at + timedelta(seconds=1))
    await harness.tick()
    assert "checking in" in (await sam.next_reply()).text
