"""The mutable working copy of a run while one event is handled; frozen again at the end."""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.dialogue import contracts as c
from bot.dialogue import model as m
from bot.dialogue.loader import FlowLibrary
from bot.dialogue.messages import line
from bot.dialogue.render import render


@dataclass
class Run:
    library: FlowLibrary
    flow: m.Flow
    state: c.RunState
    now: datetime
    step_id: str
    status: c.Status
    answers: dict[str, Any]
    context: dict[str, Any]
    prompt: int
    stack: list[c.Frame]
    selection: tuple[str, ...]
    wait: c.WaitProgress | None
    timer: str | None
    effects: list[c.Effect] = field(default_factory=list)
    language: str = ""

    @classmethod
    def of(cls, library: FlowLibrary, flow: m.Flow, state: c.RunState, now: datetime) -> Run:
        return cls(
            library,
            flow,
            state,
            now,
            state.step,
            state.status,
            dict(state.answers),
            dict(state.context),
            state.prompt,
            list(state.stack),
            state.selection,
            state.wait,
            state.timer,
        )

    def freeze(self) -> c.RunState:
        state = self.state
        return c.RunState(
            self.flow.id,
            self.flow.version,
            self.step_id,
            self.status,
            state.started,
            self.now,
            self.answers,
            self.prompt,
            tuple(self.stack),
            self.selection,
            self.wait,
            self.timer,
            state.resume_status if self.status == "interrupted" else None,
            self.context,
        )

    @property
    def step(self) -> m.Step | None:
        return self.flow.steps.get(self.step_id)

    def __post_init__(self) -> None:
        self.language = self.client_language()

    def client_language(self) -> str:
        """The client's language (recomputed after a `set` step changed it), else the default."""
        client = self.context.get("client")
        lang = client.get("language") if isinstance(client, Mapping) else None
        return lang if isinstance(lang, str) and lang else self.library.default_language

    def text(self, phrase: m.Phrase | None) -> str:
        if phrase is None:
            return ""
        default = self.library.default_language
        return render(phrase, self.language, default, self.answers, self._context(), self.flow)

    def _context(self) -> Mapping[str, Any]:
        """The context plus `client.local_time`: the time now where the client is, which tells
        them at a glance whether the time zone they chose is right."""
        client = self.context.get("client")
        zone = client.get("timezone") if isinstance(client, Mapping) else None
        if not isinstance(client, Mapping) or not isinstance(zone, str):
            return self.context
        try:
            local = self.now.astimezone(ZoneInfo(zone)).strftime("%H:%M")
        except (ZoneInfoNotFoundError, ValueError):
            return self.context
        return {**self.context, "client": {**client, "local_time": local}}

    def label(self, phrase: m.Phrase) -> str:
        """Button labels are plain text, not HTML."""
        text = phrase.pick(self.language, self.library.default_language)
        if "{" not in text and "&" not in text:
            return text
        return html.unescape(self.text(phrase))

    def line(self, key: str, **values: object) -> str:
        return line(self.language, key, **values)

    def say(self, text: str, buttons: c.Keyboard = (), prompt: int | None = None) -> None:
        if text or buttons:
            self.effects.append(c.Say(text, buttons, prompt if buttons else None))

    def end(self, reason: str, text: str = "") -> None:
        if text:
            self.say(text)
        self.status = "ended"
        self.wait = None
        self.timer = None
        self.selection = ()
        self.stack = []
        self.effects.append(c.Ended(reason))
