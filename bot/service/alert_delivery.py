"""Delivering one queued alert (a `due_work` row of kind `alert`): the only path alerts take.

Delivered means Telegram accepted the message to the therapist: only then is the event marked
`delivered`, with the message id. Otherwise:

- the therapist cannot be reached (never opened the bot: 400 "chat not found"; blocked it: 403):
  the clinic's fallback contact (`alerts.fallback_chat_id`) gets the alert and the event is
  `escalated`, never `delivered`; an ERROR names the therapist (never the client's words);
- a send fails for another reason (Telegram down, timeouts): the event is `retrying` and the
  dispatcher tries again with backoff, for as long as it takes; after
  `alerts.escalate_after_attempts` failures the fallback gets a copy as well;
- no one can be reached at all: `failed`, with an ERROR, and it stays open in /alerts.

No network call runs inside a transaction: read, send, then write the outcome.
"""

from __future__ import annotations

import logging
from datetime import datetime

from bot.clock import Clock
from bot.config import Config
from bot.scheduling.outcomes import Failed, Outcome, Retry, Sent, Skipped
from bot.service.alerts import alert_buttons, alert_text, escalated_past, last_ratings
from bot.service.names import client_title
from bot.service.ports import BotApi, ChatNotFoundError, RecipientBlockedError
from bot.storage import Database
from bot.storage.models import AuditLog, Client, DueWork, Therapist, TriageEvent

log = logging.getLogger(__name__)


class AlertDelivery:
    def __init__(self, config: Config, db: Database, outbox: BotApi, clock: Clock) -> None:
        self.config = config
        self.db = db
        self.outbox = outbox
        self.clock = clock

    async def __call__(self, work: DueWork) -> Outcome:
        event_id = int(work.payload.get("event_id", 0))
        async with self.db.session() as s:
            event = await s.get(TriageEvent, event_id)
            client = await s.get(Client, event.client_id) if event else None
            therapist = await s.get(Therapist, client.therapist_id) if client else None
            if event is None or client is None or therapist is None:
                return Skipped("alert_missing")
            if event.acknowledged_at is not None:
                event.delivery = "none" if event.delivery == "pending" else event.delivery
                s.add(event)
                return Skipped("acknowledged")
            if not client.consent_alerts:  # consent withdrawn while it waited
                event.delivery, event.alerted_at = "none", None
                s.add(event)
                return Skipped("no_consent")
            ratings = await last_ratings(s, event.client_id)
            name = await client_title(s, client)
            beyond = await escalated_past(s, event, self.config.crisis.alert_window)
            text = alert_text(client, therapist, event, ratings, name=name, beyond=beyond)
            buttons = alert_buttons(event)
            fallback_text = alert_text(
                client,
                therapist,
                event,
                ratings,
                name=name,
                beyond=beyond,
                on_behalf=f"For {therapist.name} (Telegram id {therapist.telegram_id}), "
                "who cannot be reached by the bot right now.",
            )
            already_escalated = event.delivered_to is not None
        therapist_id = therapist.telegram_id
        try:
            message_id = await self.outbox.send(therapist_id, text, buttons)
        except (ChatNotFoundError, RecipientBlockedError) as exc:
            why = "never opened the bot" if isinstance(exc, ChatNotFoundError) else "blocked it"
            log.error(
                "alert %s: therapist %s (Telegram id %s) cannot be reached (%s)",
                event_id,
                therapist.id,
                therapist_id,
                why,
            )
            return await self._escalate(event_id, fallback_text, f"unreachable:{why}", final=True)
        except Exception as exc:  # Telegram down, timeouts, 5xx: retry with backoff
            return await self._retry(event_id, fallback_text, type(exc).__name__, already_escalated)
        await self._mark(event_id, "delivered", therapist_id, message_id, None)
        return Sent(message_id)

    async def _retry(
        self, event_id: int, fallback_text: str, error: str, already_escalated: bool
    ) -> Outcome:
        attempts = await self._mark(event_id, "retrying", None, None, error)
        log.warning("alert %s: send failed (%s), attempt %s; retrying", event_id, error, attempts)
        settings = self.config.alerts
        if attempts >= settings.escalate_after_attempts and not already_escalated:
            await self._escalate(event_id, fallback_text, error, final=False)
        wait = min(settings.retry_max, settings.retry_base * 2 ** max(0, attempts - 1))
        return Retry(f"alert_send_failed:{error}", after=wait)

    async def _escalate(self, event_id: int, text: str, reason: str, *, final: bool) -> Outcome:
        """Send to the clinic's fallback contact; `final` when the therapist cannot be reached."""
        fallback = self.config.alerts.fallback_chat_id
        if fallback is None:
            log.error("alert %s: no alerts.fallback_chat_id configured; nobody got it", event_id)
            await self._mark(event_id, "failed", None, None, reason)
            return Failed(f"{reason}; no fallback contact")
        try:
            message_id = await self.outbox.send(fallback, text)
        except Exception as exc:
            log.error(
                "alert %s: the fallback contact %s cannot be reached either (%s)",
                event_id,
                fallback,
                type(exc).__name__,
            )
            await self._mark(event_id, "failed" if final else "retrying", None, None, reason)
            return Retry(
                f"fallback_failed:{type(exc).__name__}", after=self.config.alerts.retry_max
            )
        state = "escalated" if final else "retrying"
        await self._mark(event_id, state, fallback, message_id, reason, escalated=True)
        return Sent(message_id)

    async def _mark(
        self,
        event_id: int,
        delivery: str,
        chat_id: int | None,
        message_id: int | None,
        error: str | None,
        *,
        escalated: bool = False,
    ) -> int:
        now: datetime = self.clock.now()
        async with self.db.session() as s:
            event = await s.get(TriageEvent, event_id)
            if event is None:
                return 0
            event.attempts += 0 if escalated else 1
            event.last_error = error
            if delivery == "delivered" or escalated:
                event.delivered_at = now if delivery == "delivered" else event.delivered_at
                event.delivered_to = chat_id
                event.message_id = message_id
            if not (escalated and delivery == "retrying" and event.delivery == "delivered"):
                event.delivery = delivery
            s.add(event)
            s.add(
                AuditLog(
                    at=now,
                    actor="system",
                    action=f"alert.{delivery}" + (".fallback" if escalated else ""),
                    target=f"triage_event:{event_id}",
                    client_id=event.client_id,
                )
            )
            return event.attempts
