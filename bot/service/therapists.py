"""Therapists' commands in Telegram. A therapist only ever sees their own clients."""

from __future__ import annotations

import html
import re
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Config, parse_duration
from bot.dialogue.contracts import Button
from bot.errors import CheckinError
from bot.service.alert_actions import acknowledge_alert, mark_contacted
from bot.service.alerts import alert_buttons, describe_reasons, therapist_zone
from bot.service.audit import audit, therapist_actor
from bot.service.identity import clients_of, create_invite, find_client_of
from bot.service.names import (
    AmbiguousClientError,
    clean_label,
    client_name,
    client_title,
    distinct_name,
)
from bot.service.outgoing import Batch, SendFile, SetButtons
from bot.service.ports import Incoming
from bot.service.report import client_report
from bot.service.status import status_words
from bot.service.summary import build_summary, send_summary
from bot.service.upcoming import upcoming_text
from bot.storage.models import Client, Therapist, TriageEvent

NowFn = Callable[[], datetime]
Command = Callable[[AsyncSession, Batch, Therapist, Incoming, datetime], Awaitable[None]]
Picker = Callable[[AsyncSession, Batch, Therapist, Client, int, datetime], Awaitable[None]]

THERAPIST_HELP = (
    "<b>Therapist commands</b>\n"
    "/clients – your clients and their status\n"
    "/summary NAME – a client's log, chart and notes\n"
    "/alerts – open alerts · /ack ID – acknowledge one\n"
    "/timezone [Europe/Berlin] – your time zone for alert times and working hours\n"
    "/invite NAME – a one-time invite link for a new client you call NAME\n"
    "/rename NAME to NEW NAME – what you call a client\n"
    "/session NAME DAY HH:MM [weekly] [50m] – register a session\n"
    "/sessions NAME – a client's coming sessions: move or cancel one, or the series\n"
    "/timing [NAME] [3h,1d,3d] [quiet 21:30-08:30] – follow-up timing\n"
    "/measures NAME phq9,gad7 every 2 weeks – questionnaires before sessions\n"
    "/upcoming [NAME] [today|week] – what your clients will get\n"
    "/digest [HH:MM|off] – when your morning caseload digest comes\n"
    "/digest before 2h – how long before a session its summary comes\n"
    "/console – the web console (caseload, timelines, alerts, timing)\n"
    "NAME is what you call the client, or their Telegram id."
)


class TherapistCommands:
    def __init__(self, config: Config, bot_username: str, clock_now: NowFn) -> None:
        self.config = config
        self.bot_username = bot_username
        self.now = clock_now
        self.extra: dict[str, Command] = {}
        # Handlers by data prefix: alert buttons, and the pick list of an ambiguous name.
        self.taps: dict[str, Command] = {"al": self._alert_tap, "pk": self._pick_tap}
        # Typed answers a button asked for, by the kind stored in `Therapist.awaiting`.
        self.replies: dict[str, Command] = {}
        # Commands whose ambiguous NAME gets a button per client: what a tap on one shows.
        self.pickers: dict[str, Picker] = {}

    async def handle(
        self, s: AsyncSession, batch: Batch, therapist: Therapist, incoming: Incoming
    ) -> None:
        chat = incoming.chat_id
        if incoming.kind == "tap":
            await self._tap(s, batch, therapist, incoming)
            return
        now = self.now()
        reply = self._awaited_reply(therapist, now)
        if incoming.kind == "text" and reply is not None:
            try:
                await reply(s, batch, therapist, incoming, now)
            except CheckinError as exc:
                batch.say(chat, html.escape(str(exc)))
            return
        if incoming.kind != "command":
            batch.say(chat, THERAPIST_HELP)
            return
        if therapist.awaiting is not None:  # a command instead of the answer: the question lapses
            therapist.awaiting = None
            s.add(therapist)
        name = incoming.command or ""
        args = incoming.text.strip()
        try:
            if name == "clients":
                batch.say(chat, await self._clients(s, therapist, now))
            elif name == "summary":
                if not args:
                    batch.say(chat, "Which client? For example: /summary Sam")
                    return
                client = await find_client_of(s, therapist, args)
                await self._summary(s, batch, therapist, client, chat, now)
            elif name == "alerts":
                batch.say(chat, await self._alerts(s, therapist, now))
            elif name == "ack":
                batch.say(chat, await self._ack(s, therapist, args, now))
            elif name == "timezone":
                batch.say(chat, set_timezone(s, therapist, args, now))
            elif name == "invite":
                label = clean_label(args) if args else None
                code = await create_invite(s, therapist, now, self.config.invites.ttl, label)
                link = f"https://t.me/{self.bot_username}?start={code}"
                days = self.config.invites.ttl.days
                who = f"{html.escape(label)}, your new client" if label else "your new client"
                batch.say(
                    chat,
                    f"Send this link to {who}. It works once, for {days} days:\n{link}"
                    + ("" if label else "\nTip: /invite Sam K. names them for you."),
                )
            elif name == "digest":
                batch.say(chat, set_digest_time(s, therapist, args, now))
            elif name == "rename":
                batch.say(chat, await self._rename(s, therapist, args, now))
            elif name == "upcoming":
                batch.say(chat, await upcoming_text(s, therapist, args, now))
            elif name in self.extra:
                await self.extra[name](s, batch, therapist, incoming, now)
            else:
                batch.say(chat, THERAPIST_HELP)
        except AmbiguousClientError as exc:
            self._pick_list(batch, chat, name, args, exc)
        except CheckinError as exc:
            batch.say(chat, html.escape(str(exc)))

    def _awaited_reply(self, therapist: Therapist, now: datetime) -> Command | None:
        """The handler of the typed answer a button asked for, while the question is open."""
        waiting = therapist.awaiting or {}
        until = waiting.get("until")
        if not until or datetime.fromisoformat(str(until).replace("Z", "+00:00")) < now:
            return None
        return self.replies.get(str(waiting.get("kind")))

    def _pick_list(
        self, batch: Batch, chat: int, command: str, args: str, exc: AmbiguousClientError
    ) -> None:
        """Several clients fit the name: a button each (for /summary), else their Telegram ids."""
        names = [distinct_name(c, exc.matches) for c in exc.matches]
        if command == "summary" or command in self.pickers:
            code = "sum" if command == "summary" else command
            rows = tuple(
                (Button(name, f"pk:{code}:{c.telegram_id}"),)
                for name, c in zip(names, exc.matches, strict=True)
            )
            batch.say(
                chat, f"Several clients are called {html.escape(exc.wanted)}. Which one?", rows
            )
            return
        rest = args.strip()[len(exc.wanted) :].strip()
        example = f"/{command} {exc.matches[0].telegram_id} {html.escape(rest)}".strip()
        listed = "\n".join(f"• {html.escape(n)}" for n in names)
        batch.say(
            chat,
            f"Several clients are called {html.escape(exc.wanted)}:\n{listed}\n"
            f"Use the Telegram id, for example: {example}",
        )

    async def _pick_tap(
        self, s: AsyncSession, batch: Batch, therapist: Therapist, incoming: Incoming, now: datetime
    ) -> None:
        _, action, telegram_id = ((incoming.data or "") + "::").split(":")[:3]
        client = await find_client_of(s, therapist, telegram_id) if telegram_id else None
        if client is None:
            return
        if action == "sum":
            await self._summary(s, batch, therapist, client, incoming.chat_id, now)
        elif action in self.pickers:
            await self.pickers[action](s, batch, therapist, client, incoming.chat_id, now)
        elif action == "pdf":
            report = await client_report(
                s, self.config, client, now, actor=f"therapist:{therapist.telegram_id}"
            )
            name = re.sub(r"[^A-Za-z0-9]+", "-", client_name(client)).strip("-") or "client"
            batch.items.append(
                SendFile(
                    incoming.chat_id,
                    f"checkin-report-{name}-{now:%Y-%m-%d}.pdf",
                    report,  # made into a PDF by the sender, after this step's commit
                    "Confidential: the client report (summary and chart).",
                )
            )

    async def _summary(
        self,
        s: AsyncSession,
        batch: Batch,
        therapist: Therapist,
        client: Client,
        chat: int,
        now: datetime,
    ) -> None:
        audit(s, now, therapist_actor(therapist), "summary.read", client=client)
        send_summary(batch, chat, await build_summary(s, self.config, client, now))

    async def _rename(self, s: AsyncSession, therapist: Therapist, args: str, now: datetime) -> str:
        """/rename NAME to NEW NAME: what the therapist calls the client, everywhere."""
        old, sep, new = args.partition(" to ")
        if not sep or not old.strip():
            return "Use: /rename NAME to NEW NAME, for example /rename Sam to Sam K."
        client = await find_client_of(s, therapist, old)
        before = distinct_name(client, await clients_of(s, therapist))
        client.label = clean_label(new)
        s.add(client)
        audit(s, now, therapist_actor(therapist), "client.rename", client=client)
        return f"{html.escape(before)} is now called {html.escape(client.label)}."

    async def _tap(
        self, s: AsyncSession, batch: Batch, therapist: Therapist, incoming: Incoming
    ) -> None:
        if incoming.message_id is not None:  # one answer per question: the keyboard goes
            batch.items.append(SetButtons(incoming.chat_id, message_id=incoming.message_id))
        if therapist.awaiting is not None:  # another button instead of the answer: it lapses
            therapist.awaiting = None
            s.add(therapist)
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
        zone = None
        for client in clients:
            audit(s, now, therapist_actor(therapist), "clients.read", client=client)
            zone = therapist_zone(therapist, client)
            consent = "alerts on" if client.consent_alerts else "alerts off"
            telegram = ""
            if client.label and client.first_name and client.first_name != client.label:
                telegram = f"Telegram name {html.escape(client.first_name)}, "
            lines.append(
                f"• <b>{html.escape(client_name(client))}</b> ({telegram}id {client.telegram_id}): "
                f"{html.escape(status_words(client, now, zone))}, {consent}"
            )
        if zone is not None and any(c.status == "paused" for c in clients):
            lines.append(f"<i>Times in {zone.key}.</i>")
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
        everyone = await clients_of(s, therapist)
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
            what = alert_kind_and_reasons(event)
            tz = therapist_zone(therapist, client)
            more = f" (+{event.alert_count - 1} more)" if event.alert_count > 1 else ""
            done = " · you contacted them" if event.contacted_at else ""
            lines.append(
                f"#{event.id} {html.escape(distinct_name(client, everyone))} – "
                f"{html.escape(what)}"
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
            audit(s, now, actor, "summary.read", client=client)
            send_summary(batch, chat, await build_summary(s, self.config, client, now))
        elif action == "con":
            await mark_contacted(s, therapist, event.id or 0, now)
            batch.say(
                chat, f"Noted: you contacted {await client_title(s, client)} (alert #{event.id})."
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
        done = await acknowledge_alert(s, therapist, int(args), now)
        if done is None:
            return f"No alert #{html.escape(args)} among your clients. See /alerts."
        event, closed = done
        client = await s.get(Client, event.client_id)
        assert client is not None  # acknowledge_alert found it
        tz = therapist_zone(therapist, client)
        reply = f"Alert #{event.id} acknowledged."
        if closed:
            # By design (docs/safety.md): the client's earlier alerts are settled with it.
            earlier = "; ".join(
                f"#{e.id} ({html.escape(alert_kind_and_reasons(e))}, {e.at.astimezone(tz):%a %H:%M})"
                for e in closed
            )
            reply += f" With it you also closed {earlier}: the same client's earlier alerts."
        newer = await s.exec(
            select(TriageEvent.id).where(
                TriageEvent.client_id == client.id,
                col(TriageEvent.acknowledged_at).is_(None),
                col(TriageEvent.alerted_at).is_not(None),
            )
        )
        still = [f"#{i}" for i in newer.all()]
        if still:
            reply += f" Still open (newer): {', '.join(still)}, see /alerts."
        return reply


def alert_kind_and_reasons(event: TriageEvent) -> str:
    """'crisis: plan or preparation' or 'contact advised: distress rated 9 or 10': the kind
    once (the reasons of a crisis already begin with it)."""
    what = describe_reasons(event.reasons, event.category)
    kind = "crisis" if event.crisis else "contact advised"
    return what if what.startswith(kind) else f"{kind}: {what}"


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


def set_digest_time(s: AsyncSession, therapist: Therapist, args: str, now: datetime) -> str:
    """/digest [HH:MM|off]: when the morning caseload digest comes (working days only);
    /digest before 3h: how long before each session its summary comes."""
    value = args.strip().lower()
    if value.startswith("before"):
        return _set_summary_lead(s, therapist, value.removeprefix("before").strip(), now)
    zone = therapist.timezone or "your clients' zone (set yours with /timezone)"
    if not value:
        current = therapist.caseload_time or "when your working day starts (else 08:30)"
        return f"Your caseload digest comes on working days at: {current}, {zone}."
    if value != "off":
        match = re.fullmatch(r"([01]?\d|2[0-3]):?([0-5]\d)", value)
        if match is None:
            return "Use /digest HH:MM (like /digest 08:00) or /digest off."
        value = f"{int(match[1]):02d}:{match[2]}"
    therapist.caseload_time = value
    s.add(therapist)
    audit(s, now, therapist_actor(therapist), "therapist.digest", target=therapist_actor(therapist))
    if value == "off":
        return "No more morning caseload digests. /digest 08:00 turns them on again."
    return f"Your caseload digest now comes on working days at {value}, {zone}."


def _set_summary_lead(s: AsyncSession, therapist: Therapist, text: str, now: datetime) -> str:
    try:
        lead = parse_duration(text)
    except ValueError:
        lead = timedelta(0)
    if not timedelta(minutes=15) <= lead <= timedelta(hours=48):
        return "Use /digest before 2h (between 15m and 48h): how long before a session its summary comes."
    therapist.summary_lead_minutes = int(lead.total_seconds() // 60)
    s.add(therapist)
    audit(
        s,
        now,
        therapist_actor(therapist),
        "therapist.summary_lead",
        target=therapist_actor(therapist),
    )
    return f"Each client's summary now comes {text} before their session."


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
    audit(
        s, now, therapist_actor(therapist), "therapist.timezone", target=therapist_actor(therapist)
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
