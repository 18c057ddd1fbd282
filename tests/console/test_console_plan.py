"""Sessions and per-client timing in the console: add, move, cancel, own offsets; follow-ups are
re-planned; another therapist's client or session is a 404 and nothing changes."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from console_helpers import OTHER, THERAPIST, add_client, base, csrf_of, signed_in
from sqlmodel import col, select

from bot.service.audit import audit_entries
from bot.storage.models import DueWork, TherapySession

pytestmark = pytest.mark.e2e


async def sessions_of(h, client_id: int) -> list[TherapySession]:
    async with h.runtime.db.session() as s:
        query = select(TherapySession).where(TherapySession.client_id == client_id)
        return list((await s.exec(query.order_by(col(TherapySession.id)))).all())


async def followups(h, client_id: int) -> list[DueWork]:
    async with h.runtime.db.session() as s:
        query = select(DueWork).where(
            DueWork.client_id == client_id, DueWork.kind == "followup", DueWork.status == "pending"
        )
        return list((await s.exec(query.order_by(col(DueWork.due_at)))).all())


async def test_add_move_cancel_and_own_offsets(harness):
    ada = await add_client(harness, THERAPIST, 11, "Ada")
    url = f"{base(harness)}/clients/{ada}/sessions"
    async with await signed_in(harness) as b:
        async with b.get(url) as page:
            csrf = csrf_of(await page.text())
        form = {"csrf": csrf, "day": "2026-11-24", "time": "15:00", "length": "50"}
        async with b.post(url, data={**form, "weekly": "on"}) as answer:
            assert answer.status == 200
            text = await answer.text()
        assert "Tue 24 Nov 15:00" in text
        assert "every week" in text
        [session] = await sessions_of(harness, ada)
        assert session.weekly
        assert session.source == "console"
        due = [w.due_at for w in await followups(harness, ada)]
        assert due[0] == session.starts_at + timedelta(minutes=50, hours=3)
        # Their own offsets: 1h only.
        async with b.post(
            f"{base(harness)}/clients/{ada}/timing", data={"csrf": csrf, "offsets": "1h"}
        ) as answer:
            assert "Their own settings" in await answer.text()
        due = [w.due_at for w in await followups(harness, ada)]
        assert due[0] == session.starts_at + timedelta(minutes=50, hours=1)
        assert len(due) == 4  # one a week, four weeks ahead
        # Move the series to Wednesday 10:00.
        async with b.post(
            f"{url}/{session.id}/move", data={"csrf": csrf, "day": "2026-11-25", "time": "10:00"}
        ) as answer:
            assert "Wed 25 Nov 10:00" in await answer.text()
        [session] = await sessions_of(harness, ada)
        assert (await followups(harness, ada))[0].due_at == session.starts_at + timedelta(
            minutes=50, hours=1
        )
        # Back to the therapist's defaults, then cancel.
        async with b.post(
            f"{base(harness)}/clients/{ada}/timing", data={"csrf": csrf, "reset": "1"}
        ) as answer:
            assert "Your defaults" in await answer.text()
        assert len(await followups(harness, ada)) == 12  # 3h, 1d, 3d, four weeks
        async with b.post(f"{url}/{session.id}/cancel", data={"csrf": csrf}) as answer:
            assert "No sessions planned." in await answer.text()
        assert await followups(harness, ada) == []
    async with harness.runtime.db.session() as s:
        actions = [(e.action, e.client_id) for e in await audit_entries(s)]
    for action in ("session.add", "session.move", "session.cancel", "timing.set", "timing.clear"):
        assert (action, ada) in actions
    assert ("console.sessions.read", ada) in actions


async def test_bad_input_is_explained(harness):
    ada = await add_client(harness, THERAPIST, 11, "Ada")
    url = f"{base(harness)}/clients/{ada}/sessions"
    async with await signed_in(harness) as b:
        async with b.get(url) as page:
            csrf = csrf_of(await page.text())
        for form, message in (
            ({"day": "tomorrow", "time": "15:00"}, "date like"),
            ({"day": "2026-11-24", "time": "15:00", "length": "500"}, "out of range"),
        ):
            async with b.post(url, data={"csrf": csrf, **form}) as answer:
                assert answer.status == 400
                assert message in await answer.text()
        async with b.post(
            f"{base(harness)}/clients/{ada}/timing", data={"csrf": csrf, "offsets": "30d"}
        ) as answer:
            assert answer.status == 400
            assert "out of range" in await answer.text()
    assert await sessions_of(harness, ada) == []


async def test_another_therapists_client_and_sessions_are_404(harness):
    mine = await add_client(harness, THERAPIST, 11, "Ada")
    theirs = await add_client(harness, OTHER, 21, "Zed")
    async with await signed_in(harness, OTHER) as other:
        async with other.get(f"{base(harness)}/clients/{theirs}/sessions") as page:
            csrf = csrf_of(await page.text())
        form = {"csrf": csrf, "day": "2026-11-24", "time": "15:00", "weekly": "on"}
        async with other.post(f"{base(harness)}/clients/{theirs}/sessions", data=form) as answer:
            assert answer.status == 200
    [their_session] = await sessions_of(harness, theirs)
    async with await signed_in(harness) as b:
        async with b.get(f"{base(harness)}/clients/{mine}/sessions") as page:
            csrf = csrf_of(await page.text())
        move = {"csrf": csrf, "day": "2026-11-26", "time": "09:00"}
        attempts = [
            ("get", f"/clients/{theirs}/sessions", {}),
            ("post", f"/clients/{theirs}/sessions", {**move, "csrf": csrf}),
            ("post", f"/clients/{theirs}/sessions/{their_session.id}/move", move),
            ("post", f"/clients/{theirs}/sessions/{their_session.id}/cancel", {"csrf": csrf}),
            ("post", f"/clients/{mine}/sessions/{their_session.id}/move", move),
            ("post", f"/clients/{mine}/sessions/{their_session.id}/cancel", {"csrf": csrf}),
            ("post", f"/clients/{theirs}/timing", {"csrf": csrf, "offsets": "1h"}),
            ("post", f"/clients/{theirs}/timing", {"csrf": csrf, "reset": "1"}),
        ]
        for method, path, data in attempts:
            call = b.get if method == "get" else b.post
            async with call(f"{base(harness)}{path}", data=data) as answer:
                assert answer.status == 404, path
                assert "Zed" not in await answer.text()
    [after] = await sessions_of(harness, theirs)
    assert after.starts_at == their_session.starts_at
    assert after.cancelled_at is None
    assert len(await followups(harness, theirs)) == 12
    assert re.search(r"\d", str(after.id))
