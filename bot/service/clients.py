"""What a client's message does, in order: crisis screening first, then taps, commands, the flow."""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from bot.config import Config
from bot.dialogue import contracts as c
from bot.dialogue import model as m
from bot.dialogue.contracts import Button
from bot.dialogue.loader import FlowLibrary
from bot.dialogue.timezones import zone_at
from bot.safety import RuleFinding, ScreenResult, TriageResult
from bot.safety.disclosure import Disclosure, concern_in_flow, disclosure_in_flow
from bot.scheduling.sessions import SessionService
from bot.scheduling.timing import load_policy
from bot.service import texts
from bot.service.actions import delete_note, pause_client, pause_end, snooze_until
from bot.service.alerts import record_triage
from bot.service.audit import audit
from bot.service.context import crisis_text
from bot.service.menu import help_text
from bot.service.outgoing import Send, SendFile
from bot.service.ports import Incoming
from bot.service.privacy import erase_client, erasure_note, export_client
from bot.service.turn import Turn
from bot.storage.models import Client, DueWork, FlowRun, LogEntry

log = logging.getLogger(__name__)

# 'I want to stop therapy' and the like, outside a flow, opens the thinking_of_stopping flow.
STOPPING_THERAPY = re.compile(
    r"\b(stop|quit|end|leave|give up|drop out of|done with)\s+(my\s+|the\s+)?(therapy|sessions)\b",
    re.IGNORECASE,
)
# Commands a client who has not finished onboarding may still use.
BEFORE_CONSENT = {"start", "help", "about", "sos", "mydata", "delete"}


class ClientTurns:
    def __init__(self, config: Config, flows: FlowLibrary, sessions: SessionService) -> None:
        self.config = config
        self.flows = flows
        self.sessions = sessions

    async def handle(self, t: Turn, incoming: Incoming) -> None:
        # Safety first: any words the client sends are screened before anything else happens.
        # Text typed at an open flow's question is screened the way `checkin chat` does it
        # (bot.safety.disclosure): a crisis interrupts, a concern is acknowledged and recorded.
        words = incoming.text if incoming.kind != "tap" else ""
        disclosure = (
            disclosure_in_flow(words, free_text_question=self._free_text_question(t.run))
            if words
            else None
        )
        screened = disclosure.screened if disclosure is not None else None
        if disclosure is not None and disclosure.handling == "crisis":
            await self.crisis(t, disclosure.screened)
            return
        if incoming.kind == "edited":
            return  # an edited message is screened (above) but never answers a question twice
        in_flow = t.run is not None and incoming.kind == "text"
        if in_flow and disclosure is not None and disclosure.handling.startswith("concern"):
            await self.concern_in_flow(t, disclosure, incoming.text)
            return
        consented = t.client.consent_checkins
        if incoming.kind == "tap":
            await self.tap(t, incoming)
        elif incoming.kind == "command":
            await self.command(t, incoming.command or "")
        elif t.run is not None and t.run.status == "interrupted":
            # The engine ignores all but the way back while a crisis has the floor: the host
            # answers, or the client would hear nothing at all.
            self.paused_by_crisis(t)
        elif incoming.kind == "unsupported":
            await self.unsupported(t, incoming)
        elif t.run is not None:
            await t.feed(c.Text(incoming.text))
        elif consented and screened is not None and screened.level == "concern":
            self.record_concern(t, ",".join(screened.reasons)[:100] or "concern")
            t.say(texts.CONCERN, t.row(texts.CONCERN_LABELS))
        elif consented and STOPPING_THERAPY.search(incoming.text):
            await t.start("thinking_of_stopping")
        else:
            t.say(texts.NOTHING_OPEN if consented else texts.FINISH_SETUP)

    async def crisis(self, t: Turn, screened: ScreenResult) -> None:
        """The response for what was said, at once; the open flow waits, and can be resumed."""
        buttons: c.Keyboard = ()
        if t.run is not None and t.run.status != "interrupted":
            await t.feed(c.Interrupt())
            # The engine's own lines for an interrupt would come before the resources: drop them.
            t.batch.items = [i for i in t.batch.items if not isinstance(i, Send)]
        if t.run is not None:
            buttons = ((Button(t.tr(texts.RESUME_LABEL), "r:resume"),),)
        kind = screened.response_kind or "suicidal"
        t.say(crisis_text(self.config, t.client, t.therapist, kind), buttons)
        finding = RuleFinding(
            "crisis",
            "crisis_signal",
            (),
            (),
            "a message screened as crisis",
            "now",
            screened.category,
        )
        result = TriageResult(True, True, ("crisis",), (finding,), "now", alert_therapist=True)
        await record_triage(
            t.s,
            self.config,
            t.client,
            t.therapist,
            result,
            source="screening",
            now=t.now,
            batch=t.batch,
        )
        # The event kind only: a risk category next to a client id would be health data in a log.
        log.info("crisis resources shown")

    def paused_by_crisis(self, t: Turn) -> None:
        """Words (or a sticker, a voice note) while the flow waits under the crisis lines: say
        it waits, with the button back to it again (the first may have scrolled out of sight)."""
        back = t.tr(texts.RESUME_LABEL)
        t.say(t.tr(texts.PAUSED_BY_CRISIS).format(back=back), ((Button(back, "r:resume"),),))

    async def concern_in_flow(self, t: Turn, disclosure: Disclosure, text: str) -> None:
        """Acknowledge, offer /sos, record it for the therapist, then the flow goes on."""
        self.record_concern(t, disclosure.reason)
        assert t.run is not None
        if t.run.status == "interrupted":
            # The flow waits under the crisis lines and ignores the words: the way back again.
            back = ((Button(t.tr(texts.RESUME_LABEL), "r:resume"),),)
            t.say(concern_in_flow(t.client.language), back)
            return
        t.say(concern_in_flow(t.client.language))
        if disclosure.handling == "concern_then_answer":
            await t.feed(c.Text(text))
        elif t.run.status in ("active", "waiting"):
            await t.feed(c.Repeat())

    def record_concern(self, t: Turn, reason: str) -> None:
        """A concern for the therapist's summary: when and which reason, never the words."""
        assert t.client.id is not None
        run_id = t.run.id if t.run is not None else None
        t.s.add(
            LogEntry(
                client_id=t.client.id,
                run_id=run_id,
                kind="concern",
                recorded_at=t.now,
                reason=reason,
            )
        )
        # The event kind only, like the crisis line above: no risk reason next to a client id.
        log.info("concern acknowledged")

    def _question(self, run: FlowRun | None) -> m.Step | None:
        """The step the open run is waiting at, if it is active."""
        if run is None or run.status != "active" or run.step_id is None:
            return None
        flow = self.flows.get(run.flow_id)
        return flow.steps.get(run.step_id) if flow is not None else None

    def _free_text_question(self, run: FlowRun | None) -> bool:
        """Is the open run asking for free text (a note, a feeling in words), not a button or number?"""
        step = self._question(run)
        return isinstance(step, m.TextStep) and step.format is None

    async def unsupported(self, t: Turn, incoming: Incoming) -> None:
        """Not text. A location shared at a time-zone question answers it with the zone there
        (the coordinates are used for that and kept nowhere); anything else gets a kind reply."""
        if t.run is None:
            t.say(texts.ONLY_TEXT)
            return
        step = self._question(t.run)
        if incoming.location is not None and isinstance(step, m.TextStep):
            # The first lookup loads the map (about a second): off the event loop.
            where = incoming.location
            zone = await asyncio.to_thread(zone_at, *where) if step.format == "timezone" else None
            if zone is not None:
                await t.feed(c.Text(zone))
                return
        await t.feed(c.Unsupported(incoming.unsupported or "other"))

    async def tap(self, t: Turn, incoming: Incoming) -> None:
        data = incoming.data or ""
        if data[:1].isdigit():  # an engine button: "<prompt>:<value>"
            prompt = data.split(":", 1)[0]
            run = t.run
            current = (run.prompt_messages or {}).get(prompt) if run is not None else None
            open_prompt = str(run.state.get("prompt")) if run is not None else None
            if run is None or current != incoming.message_id or prompt != open_prompt:
                # A button from an older message: never applied to the current step.
                t.batch.answer_tap(incoming.callback_id, t.tr(texts.STALE_TAP))
                if incoming.message_id is not None:
                    t.clear_buttons(incoming.message_id)
                return
            t.batch.answer_tap(incoming.callback_id)
            await t.feed(c.Tap(data))
            return
        t.batch.answer_tap(incoming.callback_id)
        if incoming.message_id is not None:
            t.clear_buttons(incoming.message_id)
        await self.host_button(t, data)

    async def host_button(self, t: Turn, data: str) -> None:
        """Buttons the service itself sends (not the engine): resume, pause, stop, delete, notes."""
        kind, _, arg = data.partition(":")
        client = t.client
        if kind == "r":
            if t.run is not None and t.run.status == "interrupted":
                await t.feed(c.Resume())
            else:
                t.say(texts.NOTHING_TO_RESUME)
        elif kind == "p" and arg.isdigit():
            pause_client(client, t.now, int(arg))
            t.s.add(client)
            audit(t.s, t.now, "client", "checkins.pause", client=client, target=pause_end(client))
            t.say(t.tr(texts.PAUSED).format(until=local_time(client, client.paused_until)))
        elif kind == "sc":
            if arg == "yes":
                client.status = "stopped"
                t.s.add(client)
            t.say(texts.STOPPED_CHECKINS if arg == "yes" else texts.KEPT)
        elif kind == "del":
            if arg != "yes":
                t.say(texts.KEPT)
                return
            if t.run is not None:
                t.driver.close_run(t.batch, client, t.run, "deleted", t.now)
            t.say(texts.DELETED)
            t.batch.forget_chats.add(client.chat_id)  # the goodbye is not kept once delivered
            # Deleting stays possible in a crisis, but the therapist must not lose it silently.
            note = await erasure_note(t.s, client, t.therapist)
            if note is not None:
                t.batch.say(t.therapist.telegram_id, note)
            await erase_client(t.s, client, t.now)
        elif kind == "nd" and arg.isdigit():
            gone = await delete_note(t.s, client, int(arg), t.now)
            t.say(texts.NOTE_DELETED if gone else texts.NOTE_GONE)
        elif kind == "z":
            await self.snooze(t, arg)
        elif kind == "sos":
            t.say(crisis_text(self.config, client, t.therapist, opened_by_client=True))
        elif kind == "go" and arg in self.flows.flows:
            await t.start(arg)

    async def snooze(self, t: Turn, choice: str) -> None:
        """Put the check-in off: in an hour, this evening or tomorrow (outside quiet hours)."""
        client = t.client
        policy = await load_policy(t.s, self.config.followups, client)  # their own quiet hours
        due = snooze_until(choice, t.now, client.timezone, policy.quiet_hours)
        if t.run is not None and t.run.flow_id == "after_session":
            t.driver.close_run(t.batch, client, t.run, "snoozed", t.now)
            t.s.add(t.run)
        key = f"snooze:{client.id}:{due.isoformat()}"
        if (await t.s.exec(select(DueWork.id).where(DueWork.key == key))).first() is None:
            t.s.add(
                DueWork(key=key, kind="checkin", client_id=client.id, due_at=due, created_at=t.now)
            )
        t.say(t.tr(texts.SNOOZED).format(when=local_time(client, due)))

    async def command(self, t: Turn, name: str) -> None:
        client, run = t.client, t.run
        if not client.consent_checkins and name not in BEFORE_CONSENT:
            if run is not None and run.flow_id == "onboarding":
                await t.feed(c.Repeat())
            else:
                t.say(texts.FINISH_SETUP)
            return
        if name == "start":
            if client.consent_checkins:
                t.say(help_text(t.tr(texts.CLIENT_HELP), self.flows, t.client.language))
            else:
                await t.start("onboarding")
        elif name == "help":
            t.say(help_text(t.tr(texts.CLIENT_HELP), self.flows, t.client.language))
            if run is not None and run.status != "interrupted":
                await t.feed(c.Repeat())
        elif name == "sos":
            t.say(crisis_text(self.config, client, t.therapist, opened_by_client=True))
        elif name in self.flows.commands():  # a flow's own `command:`, the clinic's too
            await t.start(self.flows.commands()[name])
        elif name == "stop":
            if run is not None:
                await t.feed(c.Stop())
            else:
                t.say(texts.STOP_ASK, t.row(texts.STOP_LABELS))
        elif name == "pause":
            t.say(texts.PAUSE_ASK, t.row(texts.PAUSE_LABELS))
        elif name == "resume":
            if client.status == "paused":
                audit(t.s, t.now, "client", "checkins.resume", client=client)
            client.status, client.paused_until = "active", None
            t.s.add(client)
            t.say(texts.RESUMED)
            if run is not None and run.status == "interrupted":
                await t.feed(c.Resume())
        elif name == "next":
            t.say(await self.next_checkin(t))
        elif name == "mydata":
            content, summary = await export_client(t.s, client, t.now)
            t.batch.items.append(
                SendFile(
                    client.chat_id, "checkin-my-data.json", content, t.tr(texts.EXPORT_CAPTION)
                )
            )
            t.batch.items.append(
                SendFile(
                    client.chat_id,
                    "checkin-my-data.txt",
                    summary.encode("utf-8"),
                    t.tr(texts.EXPORT_SUMMARY_CAPTION),
                )
            )
        elif name == "delete":
            t.say(texts.DELETE_ASK, t.row(texts.DELETE_LABELS))
        elif name == "aftersession":
            assert client.id is not None
            await t.s.commit()  # the session service writes in its own transaction
            await self.sessions.client_aftersession(client.id, t.now)
            await t.start("after_session")
        else:
            t.say(texts.NOTHING_OPEN)

    async def next_checkin(self, t: Turn) -> str:
        due = (
            await t.s.exec(
                select(DueWork.due_at)
                .where(
                    DueWork.client_id == t.client.id,
                    col(DueWork.kind).in_(("followup", "checkin")),
                    DueWork.status == "pending",
                    DueWork.due_at >= t.now,
                )
                .order_by(col(DueWork.due_at))
            )
        ).first()
        if due is None or t.client.status in ("paused", "stopped"):
            return t.tr(texts.NO_NEXT)
        return t.tr(texts.NEXT).format(when=local_time(t.client, due))


def local_time(client: Client, when: datetime | None) -> str:
    """A time as the client reads it: their zone, and a date format of their language."""
    if when is None:
        return "-"
    pattern = "%d.%m.%Y, %H:%M" if client.language == "de" else "%a %d %b, %H:%M"
    return when.astimezone(ZoneInfo(client.timezone)).strftime(pattern)
