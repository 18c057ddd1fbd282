"""A tiny client for walking a flow through the pure engine, the way a person would.

`tap("Yes")` finds the button by its label on the latest question, `fire_timers()` lets a paced
exercise run to its end, and `triage(...)` answers the host's triage request. Time is a parameter:
each fired timer moves `now` forward by exactly the seconds the engine asked for.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from bot.dialogue import contracts as c
from bot.dialogue.engine import advance
from bot.dialogue.loader import FlowLibrary, load_flows

FLOWS_DIR = Path(__file__).resolve().parents[2] / "flows"
START = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # the night Europe's clocks change

RESOURCES = "• <b>988 Suicide &amp; Crisis Lifeline</b>: call 988\n• Emergency: call 911"


@cache
def shipped_library() -> FlowLibrary:
    """The shipped flows, loaded once (a FlowLibrary is read-only)."""
    return load_flows([FLOWS_DIR])


def context(**overrides: Mapping[str, Any]) -> dict[str, Any]:
    """A realistic host context; pass e.g. `memory={...}` to replace one part."""
    base: dict[str, Any] = {
        "client": {"first_name": "Sam <&>", "language": "en", "timezone": "Europe/Berlin"},
        "therapist": {
            "name": "Dr Lee",
            "contact": "+1 555 0100 (Mon-Fri 9-17)",
        },
        "clinic": {
            "name": "Riverside Practice",
            "languages": ["en"],
            "language_count": 1,
            "countries": [
                {"value": "GB", "label": {"en": "United Kingdom", "de": "Vereinigtes Königreich"}},
                {"value": "FR", "label": {"en": "France", "de": "Frankreich"}},
                {"value": "other", "label": {"en": "Another country", "de": "Ein anderes Land"}},
            ],
        },
        "memory": {"future_me": "", "notes_count": 0},
        "crisis": {"resources": RESOURCES},
    }
    base.update({key: dict(value) for key, value in overrides.items()})
    return base


class Chat:
    """One client talking to one run of a flow."""

    def __init__(self, flow_id: str, library: FlowLibrary | None = None, **ctx: Any) -> None:
        self.library = library or shipped_library()
        self.now = START
        self.effects: list[c.Effect] = []
        self.state, effects = advance(
            self.library, None, c.Start(flow_id, context(**ctx)), self.now
        )
        self.effects.extend(effects)

    # -- what the client does ------------------------------------------------------------------
    def send(self, event: c.Event) -> list[c.Effect]:
        self.state, effects = advance(self.library, self.state, event, self.now)
        self.effects.extend(effects)
        return effects

    def tap(self, label: str) -> list[c.Effect]:
        buttons = self.buttons()
        match = [b for row in self.last_question().buttons for b in row if _bare(b.label) == label]
        assert match, f"no button {label!r} on the last question; buttons: {buttons}"
        return self.send(c.Tap(match[0].data))

    def tap_all(self, *labels: str) -> list[c.Effect]:
        effects: list[c.Effect] = []
        for label in labels:
            effects += self.tap(label)
        return effects

    def type(self, text: str) -> list[c.Effect]:
        return self.send(c.Text(text))

    def fire_timers(self, limit: int = 100) -> int:
        """Let the current wait run to its end; return how many timers fired."""
        fired = 0
        while self.state.status == "waiting" and fired < limit:
            timer = next(e for e in reversed(self.effects) if isinstance(e, c.StartTimer))
            self.now += timedelta(seconds=timer.seconds)
            self.send(c.TimerFired(timer.token))
            fired += 1
        return fired

    def triage(
        self, contact: bool, crisis: bool = False, *reasons: str, urgent: bool | None = None
    ) -> list[c.Effect]:
        """Answer the triage step; urgent defaults to what the rules say for these reasons."""
        assert self.state.status == "awaiting_triage", self.state.status
        if urgent is None:
            urgent = crisis or "unable_to_function" in reasons
        return self.send(c.TriageDone(contact, crisis, reasons, urgent))

    # -- what the client sees, and what the host is asked to do --------------------------------
    def last_question(self) -> c.Say:
        return next(e for e in reversed(self.effects) if isinstance(e, c.Say) and e.buttons)

    def buttons(self) -> list[str]:
        return [_bare(b.label) for row in self.last_question().buttons for b in row]

    def texts(self) -> list[str]:
        return [e.text for e in self.effects if isinstance(e, c.Say)]

    def transcript(self) -> str:
        return "\n".join(self.texts())

    def records(self, entry: str | None = None) -> list[Mapping[str, Any]]:
        return [
            e.fields
            for e in self.effects
            if isinstance(e, c.Record) and (entry is None or e.entry == entry)
        ]

    def updates(self) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for e in self.effects:
            if isinstance(e, c.UpdateClient):
                merged.update(e.fields)
        return merged

    def actions(self) -> list[tuple[str, Mapping[str, Any]]]:
        return [(e.name, e.args) for e in self.effects if isinstance(e, c.Action)]

    def ended(self) -> str | None:
        return next((e.reason for e in self.effects if isinstance(e, c.Ended)), None)


def _bare(label: str) -> str:
    """A label without the multi-select tick."""
    return label.removeprefix("✓ ")
