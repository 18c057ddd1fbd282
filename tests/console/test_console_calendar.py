"""`.ics` upload in the console: a preview first, sessions only on confirm; unmatched events get a
client picked or are skipped; hostile files get a clear message (never a 500); another
therapist's clients cannot be chosen, and a preview cannot be confirmed from another session."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import aiohttp
import pytest
from console_helpers import OTHER, THERAPIST, add_client, base, csrf_of, signed_in
from sqlmodel import col, select

from bot.service.audit import audit_entries
from bot.storage.models import DueWork, TherapySession

pytestmark = pytest.mark.e2e


def calendar(*events: str) -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n{body}END:VCALENDAR\r\n".encode()


def vevent(uid: str, summary: str, start: str, *more: str) -> str:
    return "\r\n".join(
        [f"UID:{uid}", f"SUMMARY:{summary}", f"DTSTART{start}", "DURATION:PT50M", *more]
    )


# The harness starts on Monday 23 November 2026, 10:00 UTC.
PRACTICE = calendar(
    vevent(
        "ada-weekly", "Ada - therapy", ";TZID=Europe/London:20261124T150000", "RRULE:FREQ=WEEKLY"
    ),
    vevent("ben-1", "Session Ben", ":20261125T090000Z"),
    vevent("sup-1", "Supervision", ";TZID=America/New_York:20261126T070000"),
    vevent("team-1", "Team meeting", ":20261126T130000Z"),
    vevent("hol", "Holiday", ";VALUE=DATE:20261127"),
)


async def upload(b: aiohttp.ClientSession, h, csrf: str, data: bytes, name: str = "cal.ics"):
    form = aiohttp.FormData()
    form.add_field("csrf", csrf)
    # As a stream: aiohttp warns about (and so refuses, warnings being errors) a 1 MB bytes value.
    form.add_field("calendar", io.BytesIO(data), filename=name, content_type="text/calendar")
    return b.post(f"{base(h)}/sessions/import", data=form)


def hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, f"no {name} on the page"
    return found.group(1).replace("&#34;", '"').replace("&quot;", '"')


def preselected(page: str) -> dict[str, str]:
    """Each row's client as the preview chose it."""
    found = re.findall(
        r'<select name="(client-\d+)"[^>]*>.*?<option value="(\d+)" selected>', page, re.S
    )
    return dict(found)


async def sessions(h) -> list[TherapySession]:
    async with h.runtime.db.session() as s:
        return list((await s.exec(select(TherapySession).order_by(col(TherapySession.id)))).all())


async def csrf_for(b, h) -> str:
    async with b.get(f"{base(h)}/timing") as page:
        text = await page.text()
        assert 'enctype="multipart/form-data"' in text
        return csrf_of(text)


async def test_preview_then_confirm_creates_the_sessions_with_their_follow_ups(harness):
    ada = await add_client(harness, THERAPIST, 11, "Ada")
    ben = await add_client(harness, THERAPIST, 12, "Ben")
    cy = await add_client(harness, THERAPIST, 13, "Cy")
    async with await signed_in(harness) as b:
        csrf = await csrf_for(b, harness)
        async with await upload(b, harness, csrf, PRACTICE) as answer:
            assert answer.status == 200
            page = await answer.text()
        assert await sessions(harness) == []  # nothing saved by a preview
        assert "every week" in page
        assert page.count("No client's name in the title") == 2
        assert "Holiday" in page
        assert "all-day event" in page
        # Rows in time order: Ada (matched), Ben (matched), Supervision, Team meeting.
        assert re.search(rf'<option value="{ada}" selected>Ada</option>', page)
        assert re.search(rf'<option value="{ben}" selected>Ben</option>', page)
        assert "Thu 26 Nov 2026 12:00" in page  # 07:00 New York, shown in the therapist's UTC
        form = {
            "csrf": csrf,
            "payload": hidden(page, "payload"),
            "sig": hidden(page, "sig"),
            "client-0": str(ada),
            "client-1": str(ben),
            "client-2": str(cy),  # "Supervision": the therapist picks Cy
            "client-3": "skip",
        }
        async with b.post(f"{base(harness)}/sessions/import/confirm", data=form) as answer:
            assert answer.status == 200
            assert "3 sessions added" in await answer.text()
        made = {x.client_id: x for x in await sessions(harness)}
        assert set(made) == {ada, ben, cy}
        assert made[ada].weekly
        assert made[ada].external_uid == "ada-weekly"
        assert made[ada].source == "ics"
        assert made[cy].starts_at.hour == 12
        assert not made[cy].weekly
        async with harness.runtime.db.session() as s:
            planned = (await s.exec(select(DueWork).where(DueWork.kind == "followup"))).all()
        assert {w.client_id for w in planned} == {ada, ben, cy}
        # The same file again: the matched ones show as already imported, nothing is doubled.
        async with await upload(b, harness, csrf, PRACTICE) as answer:
            page = await answer.text()
        assert page.count("Already imported") == 2
        form.update(payload=hidden(page, "payload"), sig=hidden(page, "sig"))
        async with b.post(f"{base(harness)}/sessions/import/confirm", data=form) as answer:
            assert "0 sessions added, 3 already there" in await answer.text()
        assert len(await sessions(harness)) == 3
    async with harness.runtime.db.session() as s:
        entries = [(e.action, e.actor) for e in await audit_entries(s)]
    assert ("console.import.preview", "therapist:1") in entries
    assert ("console.import.confirm", "therapist:1") in entries
    assert entries.count(("session.add", "therapist:1")) == 3


async def test_an_event_moved_in_the_calendar_is_moved_here_on_the_next_upload(harness):
    """Imported once; then Ben's session moves to 11:00 and Ada's series to Wednesdays 16:00 in
    the calendar (same UIDs): the next upload says so, and "Import" moves both, follow-ups too."""
    ada = await add_client(harness, THERAPIST, 11, "Ada")
    ben = await add_client(harness, THERAPIST, 12, "Ben")
    moved_calendar = calendar(
        vevent(
            "ada-weekly",
            "Ada - therapy",
            ";TZID=Europe/London:20261125T160000",
            "RRULE:FREQ=WEEKLY",
        ),
        vevent("ben-1", "Session Ben", ":20261125T110000Z"),
    )
    async with await signed_in(harness) as b:
        csrf = await csrf_for(b, harness)
        confirm = f"{base(harness)}/sessions/import/confirm"
        for data in (PRACTICE, moved_calendar):
            async with await upload(b, harness, csrf, data) as answer:
                page = await answer.text()
            form = {"csrf": csrf, "payload": hidden(page, "payload"), "sig": hidden(page, "sig")}
            form.update(preselected(page))  # both titles name their client
            async with b.post(confirm, data=form) as answer:
                done = await answer.text()
        assert page.count("Moved in your calendar since it was imported") == 2
        assert "booked here for Tue 24 Nov 15:00" in page
        assert "0 sessions added, 2 moved" in done
    made = {x.client_id: x for x in await sessions(harness)}
    assert len(await sessions(harness)) == 2
    assert made[ada].weekly
    assert made[ada].starts_at == datetime(2026, 11, 25, 16, tzinfo=UTC)
    assert made[ben].starts_at == datetime(2026, 11, 25, 11, tzinfo=UTC)
    async with harness.runtime.db.session() as s:
        first = (
            await s.exec(
                select(DueWork)
                .where(DueWork.client_id == ben, DueWork.status == "pending")
                .order_by(col(DueWork.due_at))
            )
        ).first()
    assert first is not None
    assert first.due_at == datetime(2026, 11, 25, 14, 50, tzinfo=UTC)  # 11:50 + 3h


async def test_an_event_over_a_session_booked_by_hand_is_not_doubled(harness):
    """Ben's Wednesday 09:00 was added by hand; the calendar's event then is reported, not
    imported a second time; the rest of the file is."""
    ben = await add_client(harness, THERAPIST, 12, "Ben")
    ada = await add_client(harness, THERAPIST, 11, "Ada")
    async with await signed_in(harness) as b:
        csrf = await csrf_for(b, harness)
        hand = {"csrf": csrf, "day": "2026-11-25", "time": "09:00", "length": "50"}
        async with b.post(f"{base(harness)}/clients/{ben}/sessions", data=hand) as answer:
            assert answer.status == 200
        async with await upload(b, harness, csrf, PRACTICE) as answer:
            page = await answer.text()
        form = {
            "csrf": csrf,
            "payload": hidden(page, "payload"),
            "sig": hidden(page, "sig"),
            "client-0": str(ada),
            "client-1": str(ben),
        }
        async with b.post(f"{base(harness)}/sessions/import/confirm", data=form) as answer:
            text = await answer.text()
        assert "1 session added" in text
        assert "Ben, Wed 25 Nov 09:00: overlaps a session already booked" in text
    made = [(x.client_id, x.source) for x in await sessions(harness)]
    assert made == [(ben, "console"), (ada, "ics")]


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff", "photo.png", "not text"),
        (b"Name,Date\nAda,2026-12-02\n", "export.csv", "does not start with BEGIN:VCALENDAR"),
        (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:nonsense\r\n", "bad.ics", "damaged"),
        (b"", "empty.ics", "The file is empty"),
    ],
)
async def test_what_is_not_a_calendar_is_explained(harness, data, name, words):
    async with await signed_in(harness) as b:
        csrf = await csrf_for(b, harness)
        async with await upload(b, harness, csrf, data, name) as answer:
            assert answer.status == 400
            assert words in await answer.text()
    assert await sessions(harness) == []


async def test_oversized_and_huge_calendars_get_a_message_not_a_500(harness):
    async with await signed_in(harness) as b:
        csrf = await csrf_for(b, harness)
        # Over the request limit: refused while reading the body.
        async with await upload(b, harness, csrf, b"BEGIN:VCALENDAR" + b" " * 1_200_000) as answer:
            assert answer.status == 413
            assert "more than the console takes" in await answer.text()
        # Just over the file limit, inside the request limit.
        async with await upload(b, harness, csrf, b"BEGIN:VCALENDAR" + b" " * 1_048_600) as answer:
            assert answer.status == 400
            assert "the limit is 1024 kB" in await answer.text()
        # Three thousand events, years of them past: read, and the past ones left out.
        past = [
            vevent(f"p{i}", f"Client {i}", f":2025{i % 12 + 1:02d}{i % 28 + 1:02d}T090000Z")
            for i in range(3000)
        ]
        async with await upload(b, harness, csrf, calendar(*past)) as answer:
            assert answer.status == 200
            assert "3000 other events lie outside those 8 weeks" in await answer.text()
        # Three thousand in the window: more than one upload takes.
        soon = [
            vevent(f"s{i}", f"Client {i}", f":202612{i % 28 + 1:02d}T{i % 10 + 8:02d}0000Z")
            for i in range(3000)
        ]
        async with await upload(b, harness, csrf, calendar(*soon)) as answer:
            assert answer.status == 400
            assert "at most 300 are imported at once" in await answer.text()
        # No CSRF token: refused like any other form.
        form = aiohttp.FormData()
        form.add_field("calendar", PRACTICE, filename="cal.ics")
        async with b.post(f"{base(harness)}/sessions/import", data=form) as answer:
            assert answer.status == 403
    assert await sessions(harness) == []


async def test_another_therapists_clients_cannot_be_chosen_nor_a_preview_reused(harness):
    ada = await add_client(harness, THERAPIST, 11, "Ada")
    zed = await add_client(harness, OTHER, 21, "Zed")
    async with await signed_in(harness) as b:
        csrf = await csrf_for(b, harness)
        async with await upload(b, harness, csrf, PRACTICE) as answer:
            page = await answer.text()
        assert "Zed" not in page
        payload, sig = hidden(page, "payload"), hidden(page, "sig")
        confirm = f"{base(harness)}/sessions/import/confirm"
        forged = {"csrf": csrf, "payload": payload, "sig": sig, "client-0": str(ada)}
        async with b.post(confirm, data={**forged, "client-1": str(zed)}) as answer:
            assert answer.status == 404
            assert "Zed" not in await answer.text()
        # A changed payload no longer matches its signature.
        tampered = payload.replace("ada-weekly", "other-uid")
        async with b.post(confirm, data={**forged, "payload": tampered}) as answer:
            assert answer.status == 400
            assert "expired" in await answer.text()
    # Dr. Other cannot confirm Dr. Ruiz's preview with their own session, even for their client.
    async with await signed_in(harness, OTHER) as other:
        own_csrf = await csrf_for(other, harness)
        stolen = {"csrf": own_csrf, "payload": payload, "sig": sig, "client-0": str(zed)}
        async with other.post(confirm, data=stolen) as answer:
            assert answer.status == 400
        # And their own upload does not see Ada: her event is unmatched for them.
        async with await upload(other, harness, own_csrf, PRACTICE) as answer:
            text = await answer.text()
        assert "Ada</option>" not in text
        assert text.count("No client's name in the title") == 4
    assert await sessions(harness) == []
