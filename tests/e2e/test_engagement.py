"""Engagement signals reach the therapist once a day, one line each, never one push per event."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlmodel import col, select

from bot.service.engagement import plan_engagement_digests
from bot.storage.models import AuditLog, Client
from bot.testing.harness import BotHarness

THERAPIST = 1


def digests(h: BotHarness) -> list[str]:
    return [m.text for m in h.emulator.sent_messages(THERAPIST) if "Your clients today" in m.text]


async def run_digest(h: BotHarness) -> None:
    await plan_engagement_digests(h.runtime.db, h.clock.now(), h.config.clinic.timezone)
    await h.tick()


async def test_joined_declined_paused_then_resumed_in_daily_digests(tmp_path: Path) -> None:
    """Day 1: Sam joined, Alex joined and declined alerts, Sam paused (until when); nothing is
    pushed during the day. Day 2: only what changed: Sam resumed."""
    async with BotHarness(tmp_path) as h:  # Monday 10:00 UTC (London)
        await h.add_therapist(THERAPIST, "Dr. Ruiz")
        sam = await h.onboarded_client(1001, "Sam", therapist=THERAPIST)
        await h.onboarded_client(1002, "Alex", therapist=THERAPIST, alerts=False)
        await sam.send("/pause")
        await h.tap_when_shown(sam, "3 days")
        await sam.replies_until_idle(0.3)
        await run_digest(h)  # planned for 18:00, not due yet
        assert digests(h) == []
        h.clock.advance(timedelta(hours=8, minutes=1))
        await h.tick()
        (day1,) = digests(h)
        lines = day1.splitlines()[1:]
        assert "• Sam joined." in lines
        assert "• Alex joined." in lines
        assert any(line.startswith("• Alex declined alerts") for line in lines)
        assert "• Sam paused check-ins until Thu 26 Nov 10:00." in lines
        h.clock.advance(timedelta(hours=16))  # Tuesday 10:00
        await sam.send("/resume")
        await sam.replies_until_idle(0.3)
        await run_digest(h)
        h.clock.advance(timedelta(hours=8))
        await h.tick()
        assert len(digests(h)) == 2
        assert digests(h)[1].splitlines()[1:] == ["• Sam resumed check-ins."]
        async with h.runtime.db.session() as s:  # each client a digest named: an audited read
            named = (
                await s.exec(
                    select(Client.first_name, AuditLog.actor, AuditLog.target)
                    .join(Client, col(Client.id) == AuditLog.client_id)
                    .where(AuditLog.action == "engagement.sent")
                    .order_by(col(AuditLog.id))
                )
            ).all()
        assert sorted(named) == sorted(
            [(name, "system", f"therapist:{THERAPIST}") for name in ("Sam", "Alex", "Sam")]
        )


async def test_a_quiet_day_sends_nothing(tmp_path: Path) -> None:
    """No change since the last digest: no message at all."""
    async with BotHarness(tmp_path) as h:
        await h.add_therapist(THERAPIST, "Dr. Ruiz")
        await h.onboarded_client(1001, "Sam", therapist=THERAPIST)
        await run_digest(h)
        h.clock.advance(timedelta(hours=9))
        await h.tick()
        assert len(digests(h)) == 1
        await run_digest(h)
        h.clock.advance(timedelta(hours=24))
        await h.tick()
        assert len(digests(h)) == 1
