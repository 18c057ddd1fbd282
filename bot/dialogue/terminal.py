"""Try a flow in the terminal (`checkin chat FLOW`): the same effects a transport renders.

Buttons are numbered; type the number or the text. Records and settings are printed, not stored.
Waits: on a real terminal the chat waits (shortened by `--fast`; Enter skips ahead); when stdin is
not a terminal (scripts, tests) an empty line fires the next timer at once, so nothing sleeps.
"""

from __future__ import annotations

import html
import re
import select
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, TextIO

from rich.console import Console
from rich.text import Text as RichText

from bot.dialogue import contracts as c
from bot.dialogue import model as m
from bot.dialogue.engine import advance
from bot.dialogue.loader import FlowLibrary

_TAG_RE = re.compile(r"<(/?)([a-zA-Z-]+)[^>]*>")
_STYLES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "code": "cyan",
    "pre": "cyan",
    "a": "underline blue",
    "s": "strike",
}
FAST_FACTOR = 20.0  # --fast: waits run 20 times faster
# The button the bot puts under a crisis response to go back to the interrupted question.
RESUME_DATA = "r:resume"
RESUME_LABEL = {"en": "↩ Back to where we were", "de": "↩ Zurück, wo wir waren"}
# The terminal knows no client country: it shows the bot's international fallback.
FALLBACK_DIRECTORY = "https://findahelpline.com"


def sample_context(first_name: str = "Sam", language: str = "en") -> dict[str, Any]:
    """A stand-in client, therapist and clinic for trying flows."""
    return {
        "client": {
            "first_name": first_name,
            "language": language,
            "timezone": "Europe/Berlin",
            "consent_checkins": True,
            "consent_alerts": True,
        },
        "therapist": {
            "name": "your therapist",
            "contact": "(the therapist's phone and hours)",
        },
        "clinic": {
            "name": "the clinic",
            "languages": ["en", "de"],
            "countries": [
                {"value": "GB", "label": {"en": "United Kingdom", "de": "Vereinigtes Königreich"}},
                {"value": "DE", "label": {"en": "Germany", "de": "Deutschland"}},
                {"value": "FR", "label": {"en": "France", "de": "Frankreich"}},
                {"value": "other", "label": {"en": "Another country", "de": "Ein anderes Land"}},
            ],
        },
        "memory": {"future_me": "You got through this before.", "notes_count": 0},
        "crisis": {"resources": "<b>In an emergency call 112.</b> (the configured crisis lines)"},
    }


def html_to_rich(text: str) -> RichText:
    """Telegram HTML to styled terminal text (tags become styles, entities are unescaped)."""
    out = RichText()
    styles: list[str] = []
    position = 0
    for match in _TAG_RE.finditer(text):
        out.append(html.unescape(text[position : match.start()]), style=" ".join(styles) or None)
        style = _STYLES.get(match.group(2).lower(), "")
        if match.group(1):
            if styles:
                styles.pop()
        else:
            styles.append(style)
        position = match.end()
    out.append(html.unescape(text[position:]), style=" ".join(styles) or None)
    return out


@dataclass
class TerminalChat:
    library: FlowLibrary
    console: Console
    read_line: Callable[
        [float | None], str | None
    ]  # timeout (None: block) -> a line, "" or EOF None
    interactive: bool = False
    fast: bool = False
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    buttons: list[c.Button] = field(default_factory=list)
    records: list[c.Record] = field(default_factory=list)
    timer: c.StartTimer | None = None
    state: c.RunState | None = None
    pending: list[c.Event] = field(default_factory=list)
    ended: str | None = None

    def run(self, flow_id: str, context: Mapping[str, Any]) -> str:
        """Chat until the flow ends (returns the Ended reason) or input runs out ("eof")."""
        self.send(c.Start(flow_id, context))
        while self.state is not None and self.state.status != "ended":
            event = self.next_event()
            if event is None:
                self.console.print("[dim](input ended)[/dim]")
                return "eof"
            self.send(event)
        return self.ended or "completed"

    def send(self, event: c.Event) -> None:
        self.pending.append(event)
        while self.pending:
            current = self.pending.pop(0)
            self.state, effects = advance(self.library, self.state, current, self.now)
            for effect in effects:
                self.show(effect)

    def next_event(self) -> c.Event | None:
        timeout = None
        if self.timer is not None and self.interactive:
            timeout = self.timer.seconds / (FAST_FACTOR if self.fast else 1.0)
        if self.timer is not None:
            self.console.print(
                "[dim](waiting; press Enter to go on, or tap the button to stop)[/dim]"
            )
        line = self.read_line(timeout)
        if line is None:
            return None
        line = line.strip()
        if not self.interactive:  # a script: show what "the client" typed, like a transcript
            self.console.print(f"> {line}", markup=False, highlight=False, style="dim")
        if line == "" and self.timer is not None:
            timer, self.timer = self.timer, None
            self.now += timedelta(seconds=timer.seconds)
            return c.TimerFired(timer.token)
        return self.to_event(line)

    def to_event(self, line: str) -> c.Event:
        if line in ("/stop", "/quit"):
            return c.Stop()
        if line == "/help":
            self.console.print(
                "[dim]Type a button's number or its text; /stop ends the flow.[/dim]"
            )
            return c.Repeat()
        if line.startswith("/sticker"):
            return c.Unsupported("sticker")
        if line.isdigit() and 1 <= int(line) <= len(self.buttons) and not self._is_scale():
            data = self.buttons[int(line) - 1].data
            return c.Resume() if data == RESUME_DATA else c.Tap(data)
        if line == "/resume" and self.state is not None and self.state.status == "interrupted":
            return c.Resume()
        return self._screened_text(line)

    def _screened_text(self, line: str) -> c.Event:
        """Typed text goes through the bot's own screening path (bot.safety.disclosure) first."""
        try:
            from bot.safety.crisis import CrisisLines, crisis_response
            from bot.safety.disclosure import concern_in_flow, disclosure_in_flow
        except ImportError:  # the dialogue package on its own: no screening to show
            return c.Text(line)
        disclosure = disclosure_in_flow(line, free_text_question=self._free_text_question())
        language = _language(self.state)
        if disclosure.handling == "crisis":
            # As in the bot: the run waits, the response for the category, a way back.
            self.send(c.Interrupt())
            self.console.print(
                f"[dim](crisis screening: {disclosure.screened.category or 'crisis'}; the bot "
                "shows this with the client's own crisis lines and alerts the therapist)[/dim]"
            )
            lines = CrisisLines("112", country_known=False, directory_url=FALLBACK_DIRECTORY)
            self.console.print(
                html_to_rich(crisis_response(disclosure.kind, lines, language=language))
            )
            self.buttons = [c.Button(RESUME_LABEL.get(language, RESUME_LABEL["en"]), RESUME_DATA)]
            self._print_buttons()
            return c.Repeat()  # an interrupted run ignores it: only the button goes back
        if disclosure.handling.startswith("concern"):
            self.console.print(html_to_rich(concern_in_flow(language)))
            self.console.print(
                f"[dim](recorded for the therapist's summary: concern, {disclosure.reason})[/dim]"
            )
            return c.Text(line) if disclosure.handling == "concern_then_answer" else c.Repeat()
        return c.Text(line)

    def _free_text_question(self) -> bool:
        if self.state is None or self.state.status != "active":
            return False
        flow = self.library.get(self.state.flow_id)
        step = flow.steps.get(self.state.step) if flow is not None else None
        return isinstance(step, m.TextStep) and step.format is None

    def _is_scale(self) -> bool:
        # On a 0-10 scale the typed number is the answer itself, not a button position.
        return bool(self.buttons) and all(b.label.isdigit() for b in self.buttons)

    def show(self, effect: c.Effect) -> None:
        if isinstance(effect, c.Say):
            self.console.print(html_to_rich(effect.text))
            if effect.buttons:
                self.buttons = [b for row in effect.buttons for b in row]
                self._print_buttons()
        elif isinstance(effect, c.UpdateButtons):
            self.buttons = [b for row in effect.buttons for b in row]
            self._print_buttons()
        elif isinstance(effect, c.CloseButtons):
            self.buttons = []
            if effect.chosen:
                self.console.print(f"[dim]  → {effect.chosen}[/dim]", markup=True, highlight=False)
        elif isinstance(effect, c.StartTimer):
            self.timer = effect
        elif isinstance(effect, c.RunTriage):
            self.pending.append(self._triage())
        elif isinstance(effect, c.Ended):
            self.ended = effect.reason
            self.console.print(f"[dim](flow ended: {effect.reason})[/dim]")
        else:
            if isinstance(effect, c.Record):
                self.records.append(effect)
            self.console.print(f"[dim]({_describe(effect)})[/dim]", highlight=False)

    def _print_buttons(self) -> None:
        if self._is_scale():
            self.console.print("  [" + " ".join(b.label for b in self.buttons) + "]", markup=False)
            return
        for number, button in enumerate(self.buttons, 1):
            self.console.print(f"  {number}) {button.label}", markup=False, highlight=False)

    def _triage(self) -> c.TriageDone:
        result = _evaluate_triage(self.records, self.now)
        if result is None:
            self.console.print(
                "[dim](triage: bot.safety is not available here, answering "
                "'no contact needed')[/dim]"
            )
            return c.TriageDone(False, False, ())
        self.console.print(f"[dim](triage: {result})[/dim]")
        return result


def _describe(effect: c.Effect) -> str:
    if isinstance(effect, c.Record):
        return f"record {effect.entry}: {dict(effect.fields) | dict(effect.extra)}"
    if isinstance(effect, c.UpdateClient):
        return f"settings: {dict(effect.fields)}"
    if isinstance(effect, c.Score):
        flags = f", flags: {', '.join(effect.flags)}" if effect.flags else ""
        return f"score {effect.measure}: {effect.total} ({effect.band}){flags}"
    if isinstance(effect, c.Action):
        return f"action {effect.name}: {dict(effect.args)}"
    return str(effect)


def _language(state: c.RunState | None) -> str:
    client = state.context.get("client") if state is not None else None
    language = client.get("language") if isinstance(client, Mapping) else None
    return language if isinstance(language, str) and language else "en"


def _evaluate_triage(records: list[c.Record], now: datetime) -> c.TriageDone | None:
    """Triage over this chat's records with the default rules, or None without bot.safety."""
    try:
        from bot.safety import CheckIn, TriageRules, evaluate_triage
    except ImportError:
        return None
    checkins = []
    for record in records:
        fields = record.fields
        distress = fields.get("distress", fields.get("distress_after"))
        helped = fields.get("helped")
        self_care: Literal["none", "tried_helped", "tried_not_helped"] = "none"
        if helped is not None:
            self_care = "tried_not_helped" if helped in (False, "no") else "tried_helped"
        checkins.append(
            CheckIn(
                at=now,
                distress=distress if isinstance(distress, int) and 0 <= distress <= 10 else None,
                unable_to_function=bool(fields.get("unable_to_function")),
                self_care=self_care,
                text=str(fields["note"]) if fields.get("note") else None,
            )
        )
    result = evaluate_triage(checkins, None, now, TriageRules())
    return c.TriageDone(
        result.contact_therapist,
        result.crisis,
        result.client_reasons,
        urgent=result.urgency == "now",
    )


def stdin_reader(stream: TextIO) -> Callable[[float | None], str | None]:
    """Read lines from `stream`; on a terminal, give up after `timeout` seconds (returns "")."""

    def read(timeout: float | None) -> str | None:
        if timeout is not None and stream.isatty():
            ready, _, _ = select.select([stream], [], [], timeout)
            if not ready:
                return ""
        line = stream.readline()
        return line.rstrip("\n") if line else None

    return read


def is_terminal(stream: TextIO = sys.stdin) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
