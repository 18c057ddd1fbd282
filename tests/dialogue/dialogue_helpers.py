"""Shared helpers for the dialogue tests: paths, a sample context and a small conversation driver."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.dialogue import contracts as c
from bot.dialogue.engine import advance
from bot.dialogue.loader import FlowLibrary, load_flows

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SHIPPED = ROOT / "flows"
FIXTURES = HERE / "fixtures"
GOOD = FIXTURES / "good"
BROKEN = FIXTURES / "broken"
# A fixed instant in a week with a DST change in Europe/Berlin.
T0 = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)


def context(first_name: str = "Sam", language: str = "en", **extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "client": {"first_name": first_name, "language": language, "timezone": "Europe/Berlin"},
        "therapist": {"name": "Dr. Lee", "contact": "+49 30 1234"},
        "clinic": {"name": "Praxis Mitte", "languages": ["en", "de"]},
        "memory": {"future_me": "You made it through before.", "notes_count": 2},
        "crisis": {"resources": "<b>Call 112</b>"},
    }
    base.update(extra)
    return base


class Conversation:
    """Drive one run like a client would: start, tap labels, type, let timers fire."""

    def __init__(self, library: FlowLibrary, now: datetime = T0) -> None:
        self.library = library
        self.now = now
        self.state: c.RunState | None = None
        self.effects: list[c.Effect] = []
        self.buttons: list[c.Button] = []

    def send(self, event: c.Event) -> list[c.Effect]:
        self.state, self.effects = advance(self.library, self.state, event, self.now)
        for effect in self.effects:
            if (isinstance(effect, c.Say) and effect.buttons) or isinstance(
                effect, c.UpdateButtons
            ):
                self.buttons = [b for row in effect.buttons for b in row]
            elif isinstance(effect, c.CloseButtons):
                self.buttons = []
        return self.effects

    def start(self, flow_id: str, ctx: Mapping[str, Any] | None = None) -> list[c.Effect]:
        return self.send(c.Start(flow_id, ctx if ctx is not None else context()))

    def tap(self, label: str) -> list[c.Effect]:
        for button in self.buttons:
            if button.label == label or button.label.removeprefix("✓ ") == label:
                return self.send(c.Tap(button.data))
        raise AssertionError(f"no button {label!r} in {[b.label for b in self.buttons]}")

    def type(self, text: str) -> list[c.Effect]:
        return self.send(c.Text(text))

    def fire_timer(self) -> list[c.Effect]:
        assert self.state is not None
        assert self.state.timer
        assert self.state.wait
        self.now += timedelta(seconds=self.state.wait.interval)
        return self.send(c.TimerFired(self.state.timer))

    @property
    def texts(self) -> list[str]:
        return [e.text for e in self.effects if isinstance(e, c.Say)]

    def of(self, kind: type) -> list[Any]:
        return [e for e in self.effects if isinstance(e, kind)]


def load(*names: str, languages: tuple[str, ...] = ("en",)) -> FlowLibrary:
    return load_flows([GOOD / f"{n}.yaml" for n in names] if names else [GOOD], languages)


def write_flows(folder: Path, **flows: str) -> FlowLibrary:
    """Write small flows (id=yaml text without the id line) into `folder` and load them."""
    for flow_id, body in flows.items():
        (folder / f"{flow_id}.yaml").write_text(f"id: {flow_id}\n{body}", "utf-8")
    return load_flows([folder], languages=("en",))
