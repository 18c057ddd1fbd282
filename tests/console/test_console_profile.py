"""The therapist's own details: contact, hours, on-call, time zone, validated and audited."""

from __future__ import annotations

import pytest
from console_helpers import OTHER, THERAPIST, base, csrf_of, signed_in

from bot.service.audit import audit_entries
from bot.service.identity import require_therapist

pytestmark = pytest.mark.e2e
GOOD = {
    "contact": "+44 20 7946 0000",
    "hours": "Mon-Thu 8:30-18, Sat 10-12",
    "on_call": "the practice line +44 20 7946 0001",
    "timezone": "Europe/Berlin",
}


async def test_details_are_saved_for_the_signed_in_therapist_only(harness):
    async with await signed_in(harness) as b:
        async with b.get(f"{base(harness)}/profile") as page:
            csrf = csrf_of(await page.text())
        async with b.post(f"{base(harness)}/profile", data={"csrf": csrf, **GOOD}) as answer:
            assert answer.status == 200
            assert "Saved." in await answer.text()
    async with harness.runtime.db.session() as s:
        mine = await require_therapist(s, THERAPIST)
        other = await require_therapist(s, OTHER)
        actions = [(e.actor, e.action) for e in await audit_entries(s)]
    assert (mine.contact, mine.hours, mine.on_call, mine.timezone) == tuple(GOOD.values())
    assert other.timezone is None
    assert (f"therapist:{THERAPIST}", "therapist.profile") in actions


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("hours", "by appointment", "cannot be read"),
        ("timezone", "Mars/Olympus", "not one I know"),
        ("contact", "", "is needed"),
        ("on_call", "x" * 201, "at most 200"),
    ],
)
async def test_invalid_details_are_explained_and_not_saved(harness, field, value, message):
    async with await signed_in(harness) as b:
        async with b.get(f"{base(harness)}/profile") as page:
            csrf = csrf_of(await page.text())
        data = {"csrf": csrf, **GOOD, field: value}
        async with b.post(f"{base(harness)}/profile", data=data) as answer:
            assert answer.status == 400
            assert message in await answer.text()
    async with harness.runtime.db.session() as s:
        assert (await require_therapist(s, THERAPIST)).timezone is None
