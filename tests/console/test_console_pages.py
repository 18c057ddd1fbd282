"""The console's pages: caseload order, timeline, alerts, timing; only the therapist's own clients;
every read and change in the audit trail."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from console_helpers import (
    OTHER,
    THERAPIST,
    add_alert,
    add_client,
    add_score,
    base,
    csrf_of,
    signed_in,
)
from sqlmodel import select

from bot.service.audit import audit_entries
from bot.service.summary import build_summary
from bot.storage.models import Client, PolicyOverride, TriageEvent
from bot.testing.harness import BotHarness

pytestmark = pytest.mark.e2e
DAY = timedelta(days=1)


def caseload_names(page: str) -> list[str]:
    return re.findall(r'<span class="name">([^<]+)</span>', page)


async def audit_actions(h: BotHarness) -> list[tuple[str, str, int | None]]:
    async with h.runtime.db.session() as s:
        return [(e.actor, e.action, e.client_id) for e in await audit_entries(s)]


async def event(h: BotHarness, event_id: int) -> TriageEvent:
    async with h.runtime.db.session() as s:
        found = await s.get(TriageEvent, event_id)
        assert found is not None
        return found


class TestCaseload:
    async def test_clients_come_in_order_of_attention(self, harness):
        """Open alerts (crisis before 'contact soon'), triage findings, silence, then the rest."""
        steady = [(DAY * n, 3) for n in range(0, 10)]
        await add_client(harness, THERAPIST, 11, "Ada", ratings=steady)
        await add_client(harness, THERAPIST, 12, "Ben", ratings=[(DAY * 6, 4)])  # silent 6 days
        await add_client(harness, THERAPIST, 13, "Cy", ratings=[(timedelta(hours=2), 9)])
        soon = await add_client(harness, THERAPIST, 14, "Dee", ratings=steady)
        crisis = await add_client(harness, THERAPIST, 15, "Eli", ratings=steady)
        await add_alert(harness, soon, level="soon", ago=timedelta(hours=5))
        await add_alert(harness, crisis, level="crisis", ago=timedelta(hours=1))
        await add_client(harness, OTHER, 21, "Zed", ratings=[(DAY, 10)])
        async with await signed_in(harness) as b, b.get(f"{base(harness)}/") as page:
            text = await page.text()
        assert caseload_names(text) == ["Eli", "Dee", "Cy", "Ben", "Ada"]
        assert "Zed" not in text
        assert text.count('<svg class="spark"') == 5
        assert "no check-in for 6 days" in text
        assert (f"therapist:{THERAPIST}", "console.caseload.read", None) in await audit_actions(
            harness
        )

    async def test_a_declined_client_shows_no_alert_or_triage(self, harness):
        """Alerts only where the client agreed to share them, as in Telegram."""
        quiet = await add_client(
            harness, THERAPIST, 11, "Ada", ratings=[(timedelta(hours=1), 10)], alerts=False
        )
        await add_alert(harness, quiet)
        async with await signed_in(harness) as b, b.get(f"{base(harness)}/") as page:
            text = await page.text()
        assert 'data-tier="rest"' in text


class TestClientTimeline:
    async def test_chart_entries_and_events_with_period_zoom(self, harness):
        """Each zoom shows its own days: 2 weeks, 1 month, 3 months, and all (since joining)."""
        ratings = [(DAY * n + timedelta(hours=2), n % 10) for n in range(0, 120)]
        ada = await add_client(harness, THERAPIST, 11, "Ada", ratings=ratings)
        await add_alert(harness, ada)
        await add_score(harness, ada, "phq9", 8, "mild", DAY * 40)
        await add_score(harness, ada, "phq9", 14, "moderate", DAY * 20)
        await add_score(harness, ada, "gad7", 6, "mild", DAY * 5)
        async with await signed_in(harness) as b:
            shown = {}
            for days, dots in (("14", 14), ("30", 30), ("90", 90), ("all", 120)):
                async with b.get(f"{base(harness)}/clients/{ada}?days={days}") as page:
                    assert page.status == 200
                    text = await page.text()
                wide = text.split('<div class="wide">')[1].split("</svg>")[0]
                assert wide.count("<circle") - wide.count('class="flagged"') == dots
                shown[days] = re.findall(r'data-measure="(\w+)" data-total="(\d+)"', wide)
                assert (
                    'aria-current="page">'
                    + {"14": "2 weeks", "30": "1 month", "90": "3 months", "all": "All"}[days]
                    in text
                )
            # The measures panel holds only the period's scores; its band lines are PHQ-9's.
            assert shown["14"] == [("gad7", "6")]
            assert shown["30"] == [("phq9", "14"), ("gad7", "6")]
            assert shown["90"] == shown["all"] == [("phq9", "8"), ("phq9", "14"), ("gad7", "6")]
            assert wide.count('class="band"') == 4  # 5, 10, 15, 20 (GAD-7's 5, 10, 15 shared)
            # PHQ-9 8 -> 14 is reliable (+6): ringed, and named in the key as the summary names it.
            assert wide.count('class="flagged"') == 1
            assert "reliable deterioration (+6 since the first)" in text
            assert 'class="timeline"' in text
            assert "crisis: suicidal thoughts" in text
            assert "<title>PHQ-9 14 (moderate) · " in wide
            assert '<td>GAD-7</td><td class="num">6</td><td>mild</td>' in text
            assert "Acknowledge" in text
            async with b.get(f"{base(harness)}/clients/{ada}?days=7") as page:
                assert 'aria-current="page">1 month' in await page.text()  # unknown: the default
        assert (f"therapist:{THERAPIST}", "console.client.read", ada) in await audit_actions(
            harness
        )

    async def test_without_measures_the_timeline_has_no_measures_panel(self, harness):
        ben = await add_client(harness, THERAPIST, 12, "Ben", ratings=[(DAY, 4), (DAY * 2, 7)])
        async with await signed_in(harness) as b, b.get(f"{base(harness)}/clients/{ben}") as page:
            text = await page.text()
        assert 'class="timeline"' in text
        assert "data-measure" not in text
        assert 'class="measure-key"' not in text

    async def test_the_figures_are_the_summarys_for_the_same_days(self, harness):
        """Without sessions the summary reads the last 14 days and the 14 before: the console's
        two-week view shows the very same lines, from the same functions."""
        ratings = [(DAY * n + timedelta(hours=n % 7), (n * 7) % 11) for n in range(0, 40)]
        ratings += [(DAY * 3 + timedelta(hours=5), 10)]  # a second rating: the day's peak counts
        cy = await add_client(harness, THERAPIST, 13, "Cy", ratings=ratings)
        async with harness.runtime.db.session() as s:
            client = await s.get(Client, cy)
            assert client is not None
            summary = await build_summary(s, harness.config, client, harness.clock.now())
        lines = [
            line
            for line in summary.text.splitlines()
            if line.startswith(("This period:", "Period before:"))
        ]
        assert len(lines) == 2
        assert "peak 10" in lines[0]
        async with (
            await signed_in(harness) as b,
            b.get(f"{base(harness)}/clients/{cy}?days=14") as page,
        ):
            text = await page.text()
        for line in lines:
            assert f"<span>{line}</span>" in text


class TestAlerts:
    async def test_acknowledge_and_contacted_from_the_alerts_page(self, harness):
        ada = await add_client(harness, THERAPIST, 11, "Ada")
        first = await add_alert(harness, ada)
        async with await signed_in(harness) as b:
            async with b.get(f"{base(harness)}/alerts") as page:
                text = await page.text()
                csrf = csrf_of(text)
            assert "Ada" in text
            async with b.post(
                f"{base(harness)}/alerts/{first}/contacted", data={"csrf": csrf}
            ) as answer:
                assert answer.status == 200
                assert "You contacted them." in await answer.text()
            assert (await event(harness, first)).contacted_at == harness.clock.now()
            assert (await event(harness, first)).acknowledged_at is None
            async with b.post(f"{base(harness)}/alerts/{first}/ack", data={"csrf": csrf}) as answer:
                assert "No open alerts." in await answer.text()
        assert (await event(harness, first)).acknowledged_at == harness.clock.now()
        actions = await audit_actions(harness)
        assert (f"therapist:{THERAPIST}", "alert.contacted", ada) in actions
        assert (f"therapist:{THERAPIST}", "alert.ack", ada) in actions
        assert (f"therapist:{THERAPIST}", "console.alerts.read", None) in actions


class TestOnlyOwnClients:
    async def test_another_therapists_ids_find_nothing_and_change_nothing(self, harness):
        """Every page and action, asked for another therapist's client or alert: 404."""
        theirs = await add_client(harness, OTHER, 21, "Zed", ratings=[(DAY, 10)])
        their_alert = await add_alert(harness, theirs)
        async with await signed_in(harness) as b:
            async with b.get(f"{base(harness)}/timing") as page:
                csrf = csrf_of(await page.text())
            for days in ("", "?days=90"):
                async with b.get(f"{base(harness)}/clients/{theirs}{days}") as page:
                    assert page.status == 404
                    assert "Zed" not in await page.text()
            for action in ("ack", "contacted"):
                async with b.post(
                    f"{base(harness)}/alerts/{their_alert}/{action}", data={"csrf": csrf}
                ) as answer:
                    assert answer.status == 404
            for path in ("/", "/alerts"):
                async with b.get(f"{base(harness)}{path}") as page:
                    assert "Zed" not in await page.text()
            for path in ("/clients/999999", "/clients/abc", f"/alerts/{their_alert + 100}/ack"):
                method = b.post if "alerts" in path else b.get
                async with method(f"{base(harness)}{path}", data={"csrf": csrf}) as answer:
                    assert answer.status == 404
        unchanged = await event(harness, their_alert)
        assert unchanged.acknowledged_at is None
        assert unchanged.contacted_at is None
        actions = await audit_actions(harness)
        assert not [a for a in actions if a[2] == theirs and a[0] == f"therapist:{THERAPIST}"]


class TestTiming:
    async def test_saved_offsets_change_upcoming_in_telegram(self, harness):
        """Offsets 3h,1d,3d -> 2h,2d from the form: /upcoming in Telegram shows the new times."""
        await harness.onboarded_client(1001, "Sam", therapist=THERAPIST)
        ruiz = harness.therapists[THERAPIST]
        await ruiz.send("/session Sam tomorrow 15:00")
        await ruiz.next_reply()
        await ruiz.send("/upcoming")
        before = (await ruiz.next_reply()).text
        assert "18:50" in before  # 3h after the session ends on Tue 24 Nov at 15:50
        async with await signed_in(harness) as b:
            async with b.get(f"{base(harness)}/timing") as page:
                text = await page.text()
            form = {
                "csrf": csrf_of(text),
                "offsets": "2h, 2d",
                "quiet_start": "22:00",
                "quiet_end": "08:00",
                "reminder": "off",
                "max_per_day": "2",
            }
            async with b.post(f"{base(harness)}/timing", data=form) as answer:
                assert answer.status == 200
                assert "Saved" in await answer.text()
        await ruiz.send("/upcoming")
        after = (await ruiz.next_reply()).text
        assert "17:50" in after  # 2h after
        assert "Thu 26 Nov" in after  # 2d after, at 15:50
        assert "Wed 25 Nov" not in after  # the 1d follow-up is gone
        assert "18:50" not in after
        actions = await audit_actions(harness)
        assert (f"therapist:{THERAPIST}", "timing.set", None) in actions

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("offsets", "99d", "out of range"),
            ("offsets", "soon", "Follow-up offset"),
            ("quiet_start", "25:00", "time of day"),
            ("reminder", "never", "reminder"),
            ("max_per_day", "0", ""),
        ],
    )
    async def test_invalid_values_are_explained_and_nothing_is_saved(
        self, harness, field, value, message
    ):
        async with await signed_in(harness) as b:
            async with b.get(f"{base(harness)}/timing") as page:
                csrf = csrf_of(await page.text())
            form = {
                "csrf": csrf,
                "offsets": "3h, 1d",
                "quiet_start": "21:30",
                "quiet_end": "08:30",
                "reminder": "4h",
                "max_per_day": "3",
                field: value,
            }
            async with b.post(f"{base(harness)}/timing", data=form) as answer:
                assert answer.status == 400
                text = await answer.text()
        assert 'class="errors"' in text
        assert message.lower() in text.lower()
        assert f'value="{value}"' in text  # what was typed stays, to be corrected
        async with harness.runtime.db.session() as s:
            assert (await s.exec(select(PolicyOverride))).first() is None
