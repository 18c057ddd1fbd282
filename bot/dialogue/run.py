"""The mutable working copy of a run while one event is handled; frozen again at the end."""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

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
        return replace(
            self.state,
            flow_id=self.flow.id,
            flow_version=self.flow.version,
            step=self.step_id,
            status=self.status,
            answers=self.answers,
            context=self.context,
            prompt=self.prompt,
            stack=tuple(self.stack),
            selection=self.selection,
            wait=self.wait,
            timer=self.timer,
            resume_status=None if self.status != "interrupted" else self.state.resume_status,
            updated=self.now,
        )

    @property
    def step(self) -> m.Step | None:
        return self.flow.steps.get(self.step_id)

    @property
    def language(self) -> str:
        client = self.context.get("client")
        lang = client.get("language") if isinstance(client, Mapping) else None
        return lang if isinstance(lang, str) and lang else self.library.default_language

    def text(self, phrase: m.Phrase | None) -> str:
        if phrase is None:
            return ""
        default = self.library.default_language
        return render(phrase, self.language, default, self.answers, self.context, self.flow)

    def label(self, phrase: m.Phrase) -> str:
        """Button labels are plain text, not HTML."""
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
