"""PHQ-9 and GAD-7 end to end on the emulator: the therapist schedules them fortnightly in
Telegram, the client answers them the evening before the session, a deterioration of 6 points
shows as reliable deterioration in the summary, and item 9 answered "several days" gets the warm
response with the crisis lines, a recorded safety event and the therapist's alert."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlmodel import col, select

from bot.service.chart import render_chart
from bot.service.summary import build_summary
from bot.storage.models import Client, DueWork, MeasureScore, TriageEvent
from bot.testing.harness import BotHarness

THERAPIST = 1
CLIENT = 1001
pytestmark = pytest.mark.e2e
ANSWERS = ("Not at all", "Several days", "More than half the days", "Nearly every day")


async def say(h: BotHarness, text: str) -> str:
    user = h.therapists[THERAPIST]
    await user.send(text)
    return (await user.next_reply()).text


async def pending_measures(h: BotHarness) -> list[DueWork]:
    async with h.runtime.db.session() as s:
        query = select(DueWork).where(DueWork.kind == "measure", DueWork.status == "pending")
        return list((await s.exec(query.order_by(col(DueWork.due_at)))).all())


async def answer(h: BotHarness, sam, values: list[int]) -> None:  # type: ignore[no-untyped-def]
    for value in values:
        await h.tap_when_shown(sam, ANSWERS[value])


async def scores(h: BotHarness) -> list[MeasureScore]:
    async with h.runtime.db.session() as s:
        return list((await s.exec(select(MeasureScore).order_by(col(MeasureScore.id)))).all())


async def test_fortnightly_measures_deterioration_and_item9(
    harness: BotHarness, summary_shot
) -> None:
    h = harness
    sam = await h.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
    await say(h, "/session Sam tue 15:00 weekly")
    reply = await say(h, "/measures Sam phq9,gad7 every 2 weeks")
    assert "PHQ-9 and GAD-7, every 2 weeks, the day before the session" in reply
    planned = await pending_measures(h)
    assert len(planned) == 2  # weeks 0 and 2 of the 4-week horizon: fortnightly
    assert planned[1].due_at - planned[0].due_at == timedelta(weeks=2)
    first_due = planned[0].due_at
    assert first_due.astimezone(h.clock.now().tzinfo).hour in (17, 18)  # 18:00 London
    assert f"{first_due:%a}" == "Mon"  # the day before Tuesday's session

    # Week 0: the client answers PHQ-9 = 10 (moderate) and GAD-7 = 8.
    h.clock.set(first_due)
    await h.tick()
    await h.tap_when_shown(sam, "Yes, let's start")
    await h.wait_for_button(sam, "Not at all")
    progress = [m.text for m in h.emulator.sent_messages(CLIENT)]
    assert any("Over the last 2 weeks" in t and "1 of 9" in t for t in progress)
    await answer(h, sam, [2, 2, 2, 2, 2, 0, 0, 0, 0])
    await h.tap_when_shown(sam, "Somewhat difficult")
    await answer(h, sam, [2, 2, 2, 1, 1, 0, 0])
    await sam.replies_until_idle(0.4)
    first = await scores(h)
    assert [(r.measure, r.total, r.band) for r in first] == [
        ("phq9", 10, "moderate"),
        ("gad7", 8, "mild"),
    ]

    # Week 2: PHQ-9 = 16 with item 9 "several days": the response, the event, the alert.
    second_due = (await pending_measures(h))[0].due_at
    assert second_due - first_due == timedelta(weeks=2)
    h.clock.set(second_due)
    await h.tick()
    await h.tap_when_shown(sam, "Yes, let's start")
    await answer(h, sam, [2, 2, 2, 2, 2, 2, 2, 1])
    await h.tap_when_shown(sam, "Several days")  # item 9
    await h.wait_for_button(sam, "Not now, go on")
    care = "\n".join(m.text for m in h.emulator.sent_messages(CLIENT)[-3:])
    assert "Thank you for answering that honestly" in care
    assert "116 123" in care  # Samaritans: the client's own country's crisis lines (GB)
    await h.tap_when_shown(sam, "Not now, go on")
    await h.tap_when_shown(sam, "Very difficult")  # the measure went on gently
    await answer(h, sam, [3, 2, 2, 2, 1, 1, 1])
    await sam.replies_until_idle(0.4)
    await h.tick()

    async with h.runtime.db.session() as s:
        (event,) = (await s.exec(select(TriageEvent).where(TriageEvent.source == "measure"))).all()
    assert event.reasons == ["phq9_item9"]
    assert event.category == "several days"
    assert event.delivery == "delivered"
    alert = [m.text for m in h.emulator.sent_messages(THERAPIST) if "alert #" in m.text]
    assert len(alert) == 1
    assert "PHQ-9 item 9" in alert[0]
    assert "several days" in alert[0]
    assert "not a risk assessment" in alert[0]
    assert "Questionnaire answer to follow up for Sam" in alert[0]

    latest = await scores(h)
    assert [(r.measure, r.total) for r in latest[2:]] == [("phq9", 16), ("gad7", 12)]
    assert latest[2].flags == ["item9"]

    await h.settled()
    therapist = h.therapists[THERAPIST]
    therapist.read_all()
    await therapist.send("/summary Sam")
    # The chart comes first: Sam rated no distress, but the measures alone are worth drawing.
    photo = await therapist.next_reply()
    assert photo.kind == "photo"
    assert (photo.content or b"").startswith(b"\x89PNG")
    assert Image.open(io.BytesIO(photo.content or b"")).size == (960, 976)  # with the panel
    text = await therapist.next_reply()
    summary = text.text
    assert "PHQ-9: latest 16 (moderately severe)" in summary
    assert "reliable deterioration (+6 since the first)" in summary
    assert "GAD-7: latest 12 (moderate)" in summary
    assert "reliable deterioration (+4 since the first)" in summary
    assert "PHQ-9 item 9 above 'not at all':" in summary
    assert "(several days)" in summary

    # What the chart drew, built by the same summary builder: both totals of each measure on
    # the time axis (the first, two weeks back, widens the chart to reach it), the band lines,
    # the latest band, and the reliable deterioration ringed at the second score.
    async with h.runtime.db.session() as s:
        client = (await s.exec(select(Client).where(Client.telegram_id == CLIENT))).one()
        built = await build_summary(s, h.config, client, h.clock.now())
    chart = built.chart
    assert chart is not None
    assert chart.first <= first[0].recorded_at.date()
    assert chart.peaks == {}  # no distress rated: the upper panel is empty, the axis shared
    phq, gad = chart.measures
    assert (phq.name, [total for _, total in phq.points]) == ("PHQ-9", [10, 16])
    assert (gad.name, [total for _, total in gad.points]) == ("GAD-7", [8, 12])
    assert phq.band_starts == [5, 10, 15, 20]
    assert gad.band_starts == [5, 10, 15]
    assert phq.key == "PHQ-9 16, moderately severe"
    assert phq.flag == "reliable deterioration (+6 since the first)"
    assert gad.flag == "reliable deterioration (+4 since the first)"
    assert phq.flagged == [phq.points[1][0]]
    # The photo sent is this chart, drawn by the outbox sender after the step's commit.
    assert render_chart(chart) == photo.content
    summary_shot("measures-only-two-weeks", photo.content or b"")

    # The printable report carries the same chart and still reads back.
    await therapist.tap("PDF report", text)
    document = await therapist.next_reply()
    reader = PdfReader(io.BytesIO(document.content or b""))
    printed = "\n".join(page.extract_text() for page in reader.pages)
    assert "reliable deterioration (+6 since the first)" in printed
    assert len(reader.pages[0].images) == 1

    # /mydata: the scores (with the answers) are part of the client's export.
    sam.read_all()
    await sam.send("/mydata")
    replies = await sam.replies_until_idle(0.5)
    files = {r.file_name: r.content for r in replies if r.kind == "document"}
    export = json.loads(files["checkin-my-data.json"] or b"")
    exported = export["tables"]["measure_score"]
    assert [(r["measure"], r["total"]) for r in exported] == [
        ("phq9", 10),
        ("gad7", 8),
        ("phq9", 16),
        ("gad7", 12),
    ]
    assert exported[2]["items"]["phq9_9"] == 1
    assert exported[2]["flags"] == ["item9"]
    assert export["tables"]["measure_schedule"][0]["measures"] == ["phq9", "gad7"]
    text = (files["checkin-my-data.txt"] or b"").decode()
    assert "Your questionnaires (4):" in text
    assert "PHQ-9 total 16 (moderately severe)" in text


async def test_a_client_can_skip_and_a_paused_client_is_not_asked(harness: BotHarness) -> None:
    """Skip this time ends kindly with no score; while paused, the measure is skipped."""
    h = harness
    sam = await h.onboarded_client(CLIENT, "Sam", therapist=THERAPIST)
    await say(h, "/session Sam tue 15:00 weekly")
    await say(h, "/measures default phq9 weekly")  # the therapist's default reaches Sam
    first, second = (await pending_measures(h))[:2]
    h.clock.set(first.due_at)
    await h.tick()
    await h.tap_when_shown(sam, "Skip this time")
    reply = (await sam.next_reply()).text
    assert "no need to explain" in reply
    assert await scores(h) == []

    h.clock.advance(timedelta(hours=1))
    await sam.send("/pause")  # for a week: until an hour after the next measure
    await h.tap_when_shown(sam, "1 week")
    await sam.replies_until_idle(0.4)
    h.clock.set(second.due_at)
    await h.tick()
    async with h.runtime.db.session() as s:
        row = await s.get(DueWork, second.id)
    assert row is not None
    assert (row.status, row.outcome) == ("skipped", "paused")


async def test_item9_without_alert_consent_is_recorded_but_not_sent(harness: BotHarness) -> None:
    """A client who declined alerts still gets the response; the event is kept for the summary,
    and nothing goes to the therapist."""
    h = harness
    sam = await h.onboarded_client(CLIENT, "Sam", therapist=THERAPIST, alerts=False)
    await say(h, "/session Sam tue 15:00 weekly")
    await say(h, "/measures Sam phq9")
    h.clock.set((await pending_measures(h))[0].due_at)
    await h.tick()
    await h.tap_when_shown(sam, "Yes, let's start")
    await answer(h, sam, [0, 0, 0, 0, 0, 0, 0, 0, 1])
    await h.tap_when_shown(sam, "Yes, I'd like to talk")  # the offer to talk to the therapist
    await h.tap_when_shown(sam, "Not difficult at all")
    await sam.replies_until_idle(0.4)
    await h.tick()
    async with h.runtime.db.session() as s:
        (event,) = (await s.exec(select(TriageEvent).where(TriageEvent.source == "measure"))).all()
    assert event.delivery == "none"
    assert event.category == "several days"
    to_therapist = [m.text for m in h.emulator.sent_messages(THERAPIST)]
    assert not any("alert #" in t for t in to_therapist)
    # Asking to talk is the client's own request: the therapist is told that, and only that.
    assert any("would like to talk with you" in t for t in to_therapist)
    assert (await scores(h))[0].total == 1
