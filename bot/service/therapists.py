"""Therapists' commands in Telegram. A therapist only ever sees their own clients."""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Config
from bot.errors import CheckinError
from bot.service.alerts import alert_buttons, describe_reasons, therapist_zone
from bot.service.audit import audit, therapist_actor
from bot.service.identity import clients_of, create_invite, find_client_of
from bot.service.outgoing import Batch, SetButtons
from bot.service.ports import Incoming
from bot.service.summary import client_summary
from bot.storage.models import AuditLog, Client, DueWork, Therapist, TriageEvent

NowFn = Callable[[], datetime]
Command = Callable[[AsyncSession, Batch, Therapist, Incoming, datetime], Awaitable[None]]

THERAPIST_HELP = (
    "<b>Therapist commands</b>\n"
    "/clients – your clients and their status\n"
    "/summary NAME – a client's log, chart and notes\n"
    "/alerts – open alerts · /ack ID – acknowledge one\n"
    "/timezone [Europe/Berlin] – your time zone for alert times and working hours\n"
    "/invite – a one-time invite link for a new client\n"
    "/session NAME DAY HH:MM [weekly] [50m] – register a session\n"
    "/timing [NAME] [3h,1d,3d] [quiet 21:30-08:30] – follow-up timing\n"
    "/measures NAME phq9,gad7 every 2 weeks – questionnaires before sessions\n"
    "/upcoming – your clients' next check-ins"
)


class TherapistCommands:
    def __init__(self, config: Config, bot_username: str, clock_now: NowFn) -> None:
        self.config = config
        self.bot_username = bot_username
        self.now = clock_now
        self.extra: dict[str, Command] = {}
        self.taps: dict[str, Command] = {"al": self._alert_tap}  # handlers by data prefix

    async def handle(
        self, s: AsyncSession, batch: Batch, therapist: Therapist, incoming: Incoming
    ) -> None:
        chat = incoming.chat_id
        if incoming.kind == "tap":
            await self._tap(s, batch, therapist, incoming)
            return
        if incoming.kind != "command":
            batch.say(chat, THERAPIST_HELP)
            return
        name = incoming.command or ""
        args = incoming.text.strip()
        now = self.now()
        try:
            if name == "clients":
                batch.say(chat, await self._clients(s, therapist, now))
            elif name == "summary":
                if not args:
                    batch.say(chat, "Which client? For example: /summary Sam")
                    return
                client = await find_client_of(s, therapist, args)
                s.add(
                    AuditLog(
                        at=now,
                        actor=f"therapist:{therapist.telegram_id}",
                        action="summary.read",
                        client_id=client.id,
                    )
                )
                batch.say(chat, await client_summary(s, client, now))
            elif name == "alerts":
                batch.say(chat, await self._alerts(s, therapist, now))
            elif name == "ack":
                batch.say(chat, await self._ack(s, therapist, args, now))
            elif name == "timezone":
                batch.say(chat, set_timezone(s, therapist, args, now))
            elif name == "invite":
                code = await create_invite(s, therapist, now, self.config.invites.ttl)
                link = f"https://t.me/{self.bot_username}?start={code}"
                days = self.config.invites.ttl.days
                batch.say(
                    chat,
                    f"Send this link to your new client. It works once, for {days} days:\n{link}",
                )
            elif name == "upcoming":
                batch.say(chat, await self._upcoming(s, therapist, now))
            elif name in self.extra:
                await self.extra[name](s, batch, therapist, incoming, now)
            else:
                batch.say(chat, THERAPIST_HELP)
        except CheckinError as exc:
            batch.say(chat, html.escape(str(exc)))

    async def _tap(
        self, s: AsyncSession, batch: Batch, therapist: Therapist, incoming: Incoming
    ) -> None:
        if incoming.message_id is not None:  # one answer per question: the keyboard goes
            batch.items.append(SetButtons(incoming.chat_id, message_id=incoming.message_id))
        handler = self.taps.get((incoming.data or "").split(":", 1)[0])
        if handler is None:
            return
        try:
            await handler(s, batch, therapist, incoming, self.now())
        except CheckinError as exc:
            batch.say(incoming.chat_id, html.escape(str(exc)))

    async def _clients(self, s: AsyncSession, therapist: Therapist, now: datetime) -> str:
        clients = await clients_of(s, therapist)
        if not clients:
            return "No clients yet. /invite makes an invite link."
        lines = ["<b>Your clients</b>"]
        for client in clients:
            audit(s, now, therapist_actor(therapist), "clients.read", client=client)
            consent = "alerts on" if client.consent_alerts else "alerts off"
            lines.append(
                f"• {html.escape(client.first_name or '?')} ({client.telegram_id}): {client.status}, {consent}"
            )
        return "\n".join(lines)

    async def _alerts(self, s: AsyncSession, therapist: Therapist, now: datetime) -> str:
        rows = (
            await s.exec(
                select(TriageEvent, Client)
                .join(Client, col(Client.id) == TriageEvent.client_id)
                .where(
                    Client.therapist_id == therapist.id,
                    col(TriageEvent.acknowledged_at).is_(None),
                    col(TriageEvent.alerted_at).is_not(None),
                )
                .order_by(col(TriageEvent.at))
            )
        ).all()
        if not rows:
            return "No open alerts."
        lines = ["<b>Open alerts</b>"]
        for event, client in rows:
            if not client.consent_alerts:
                continue  # the client declined alerts: nothing is open
            audit(
                s,
                now,
                therapist_actor(therapist),
                "alerts.read",
                client=client,
                target=f"triage_event:{event.id}",
            )
            kind = "crisis" if event.crisis else "contact advised"
            tz = therapist_zone(therapist, client)
            more = f" (+{event.alert_count - 1} more)" if event.alert_count > 1 else ""
            done = " · you contacted them" if event.contacted_at else ""
            lines.append(
                f"#{event.id} {html.escape(client.first_name)} – {kind}: "
                f"{html.escape(describe_reasons(event.reasons, event.category))}"
                f" – {event.at.astimezone(tz):%a %d %b %H:%M}{more}"
                f" ({DELIVERY_WORDS.get(event.delivery, event.delivery)}){done} · /ack {event.id}"
            )
        if len(lines) == 1:
            return "No open alerts."
        lines.append(f"Times in {tz_name(therapist)}.")
        return "\n".join(lines)

    async def _alert_tap(
        self, s: AsyncSession, batch: Batch, therapist: Therapist, incoming: Incoming, now: datetime
    ) -> None:
        """The alert's buttons: Summary, I contacted them, Acknowledge."""
        parts = (incoming.data or "").split(":")
        action = parts[1] if len(parts) > 1 else ""
        raw_id = parts[2] if len(parts) > 2 else ""
        event, client = await _own_event(s, therapist, raw_id)
        chat = incoming.chat_id
        if event is None or client is None:
            batch.say(chat, "That alert is not among your clients. See /alerts.")
            return
        actor = f"therapist:{therapist.telegram_id}"
        if action == "sum":
            s.add(
                AuditLog(
                    at=now,
                    actor=actor,
                    action="summary.read",
                    client_id=client.id,
                )
            )
            batch.say(chat, await client_summary(s, client, now))
        elif action == "con":
            event.contacted_at = event.contacted_at or now
            s.add(event)
            s.add(
                AuditLog(
                    at=now,
                    actor=actor,
                    action="alert.contacted",
                    target=f"triage_event:{event.id}",
                    client_id=client.id,
                )
            )
            batch.say(
                chat, f"Noted: you contacted {html.escape(client.first_name)} (alert #{event.id})."
            )
        elif action == "ack":
            batch.say(chat, await self._ack(s, therapist, str(event.id), now))
            return
        if event.acknowledged_at is None and incoming.message_id is not None:
            # The other buttons stay until the alert is acknowledged.
            batch.items.append(
                SetButtons(chat, message_id=incoming.message_id, buttons=alert_buttons(event))
            )

    async def _ack(self, s: AsyncSession, therapist: Therapist, args: str, now: datetime) -> str:
        if not args.isdigit():
            return "Which alert? For example: /ack 12 (see /alerts)"
        event = await s.get(TriageEvent, int(args))
        client = await s.get(Client, event.client_id) if event else None
        if event is None or client is None or client.therapist_id != therapist.id:
            return f"No alert #{html.escape(args)} among your clients. See /alerts."
        event.acknowledged_at = now
        s.add(event)
        # Every open alert of this client is settled with it: the crisis is now history.
        others = (
            await s.exec(
                select(TriageEvent).where(
                    TriageEvent.client_id == client.id, col(TriageEvent.acknowledged_at).is_(None)
                )
            )
        ).all()
        for other in others:
            other.acknowledged_at = now
            s.add(other)
        s.add(
            AuditLog(
                at=now,
                actor=f"therapist:{therapist.telegram_id}",
                action="alert.ack",
                target=f"triage_event:{event.id}",
                client_id=client.id,
            )
        )
        return f"Alert #{event.id} acknowledged."

    async def _upcoming(self, s: AsyncSession, therapist: Therapist, now: datetime) -> str:
        rows = (
            await s.exec(
                select(DueWork, Client)
                .join(Client, col(Client.id) == DueWork.client_id)
                .where(
                    Client.therapist_id == therapist.id,
                    DueWork.status == "pending",
                    col(DueWork.kind).in_(("followup", "day_before", "checkin", "reminder")),
                )
                .order_by(col(DueWork.due_at))
                .limit(20)
            )
        ).all()
        if not rows:
            return "No check-ins planned."
        lines = ["<b>Upcoming check-ins</b>"]
        for client in {client.id: client for _, client in rows}.values():
            audit(s, now, therapist_actor(therapist), "upcoming.read", client=client)
        for work, client in rows:
            local = work.due_at.astimezone(ZoneInfo(client.timezone))
            lines.append(
                f"• {local:%a %d %b %H:%M} – {html.escape(client.first_name)} ({work.kind})"
            )
        return "\n".join(lines)


DELIVERY_WORDS = {
    "pending": "waiting to be sent",
    "retrying": "sending failed, retrying",
    "delivered": "delivered",
    "escalated": "sent to the clinic's fallback contact",
    "failed": "NOT delivered",
    "unverified": "sent before delivery was tracked",
}


def tz_name(therapist: Therapist) -> str:
    return therapist.timezone or "your clients' time zones (set yours with /timezone)"


def set_timezone(s: AsyncSession, therapist: Therapist, args: str, now: datetime) -> str:
    """/timezone [ZONE]: show or set the therapist's zone (alert times, working hours)."""
    name = args.strip()
    if not name:
        current = therapist.timezone or "not set (alert times use the client's zone)"
        return f"Your time zone: {html.escape(current)}. Set it with /timezone Europe/Berlin"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return (
            f"{html.escape(name)!s} is not a time zone I know. "
            "Use a name like Europe/Berlin, Europe/London or America/New_York."
        )
    therapist.timezone = name
    s.add(therapist)
    s.add(
        AuditLog(
            at=now,
            actor=f"therapist:{therapist.telegram_id}",
            action="therapist.timezone",
            target=f"therapist:{therapist.telegram_id}",
        )
    )
    return f"Your time zone is now {html.escape(name)}. Alert times and your hours use it."


async def _own_event(
    s: AsyncSession, therapist: Therapist, raw_id: str
) -> tuple[TriageEvent | None, Client | None]:
    if not raw_id.isdigit():
        return None, None
    event = await s.get(TriageEvent, int(raw_id))
    client = await s.get(Client, event.client_id) if event else None
    if event is None or client is None or client.therapist_id != therapist.id:
        return None, None
    return event, client
