"""The engine's contract: the events it accepts, the effects it returns, and the run state.

Every transport (Telegram, the terminal chat, the tests) imports only this module to talk to the
engine. All types are frozen dataclasses; mappings inside them are treated as read-only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, TypeAlias

# ---------------------------------------------------------------------------------------------
# Events: what happened to a run.


@dataclass(frozen=True, slots=True)
class Start:
    """Begin `flow_id`. `context` holds client, therapist, clinic, memory and crisis mappings."""

    flow_id: str
    context: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Tap:
    """A button was tapped; `data` is the raw callback data (`"<prompt>:<value>"`)."""

    data: str


@dataclass(frozen=True, slots=True)
class Text:
    """The client typed text."""

    text: str


@dataclass(frozen=True, slots=True)
class TimerFired:
    """A timer the engine asked for (`StartTimer`) is due."""

    token: str


@dataclass(frozen=True, slots=True)
class TriageDone:
    """The host's triage result after a `RunTriage` effect."""

    contact: bool
    crisis: bool
    reasons: tuple[str, ...] = ()
    urgent: bool = False  # contact the therapist now, not later (unable to function, 10/10...)


@dataclass(frozen=True, slots=True)
class Stop:
    """/stop: end the flow with a kind line."""


@dataclass(frozen=True, slots=True)
class Repeat:
    """Show the current prompt again (for example after /help)."""


@dataclass(frozen=True, slots=True)
class Unsupported:
    """The client sent something that is not text (`kind`: sticker, photo, voice...)."""

    kind: str


@dataclass(frozen=True, slots=True)
class Interrupt:
    """A crisis interrupted the run; pending timers become stale."""


@dataclass(frozen=True, slots=True)
class Resume:
    """Go back to the interrupted step: show its prompt again, or restart its wait."""


Event: TypeAlias = (
    Start | Tap | Text | TimerFired | TriageDone | Stop | Repeat | Unsupported | Interrupt | Resume
)

# ---------------------------------------------------------------------------------------------
# Effects: what the host should do.


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    data: str  # callback data; for a web_app or url button, the https address it opens
    kind: Literal["callback", "web_app", "url"] = "callback"


Keyboard: TypeAlias = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True, slots=True)
class Say:
    """Send `text` (HTML, already escaped). With buttons, `prompt` is the prompt number they carry."""

    text: str
    buttons: Keyboard = ()
    prompt: int | None = None


@dataclass(frozen=True, slots=True)
class UpdateButtons:
    """Re-render the keyboard of the message that carries `prompt` (a multi-select toggle)."""

    prompt: int
    buttons: Keyboard


@dataclass(frozen=True, slots=True)
class CloseButtons:
    """The prompt is answered: remove its keyboard, optionally marking the `chosen` label."""

    prompt: int
    chosen: str | None = None


@dataclass(frozen=True, slots=True)
class StartTimer:
    """Durably schedule `TimerFired(token)` in `seconds`."""

    seconds: float
    token: str


@dataclass(frozen=True, slots=True)
class Record:
    """Write a log entry of kind `entry` (log, self_care, sit_with_it, session_note, future_me,
    or the flow's own id). `extra`: the flow's declared fields, already checked against their types."""

    entry: str
    fields: Mapping[str, Any]
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Score:
    """A measure was completed: store its total, band, raised flags and the answers it used.

    `reliable_change` and `cutoff` are the measure's own rules for reading change over time;
    `bands` its severity bands as (lowest total, name), lowest first, for charts.
    """

    measure: str
    total: int
    band: str
    items: Mapping[str, Any]
    flags: tuple[str, ...] = ()
    reliable_change: float | None = None
    cutoff: float | None = None
    bands: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True, slots=True)
class UpdateClient:
    """Change the client's settings (consent_checkins, consent_alerts, timezone, language)."""

    fields: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class RunTriage:
    """Evaluate triage for this client and answer with a `TriageDone` event."""


@dataclass(frozen=True, slots=True)
class Action:
    """Do something outside the dialogue (pause_checkins, notify_therapist, ...)."""

    name: str
    args: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Ended:
    """The run is over: `completed`, `stopped`, `flow_changed`, `error`, `loop`."""

    reason: str


Effect: TypeAlias = (
    Say
    | UpdateButtons
    | CloseButtons
    | StartTimer
    | Record
    | Score
    | UpdateClient
    | RunTriage
    | Action
    | Ended
)

# ---------------------------------------------------------------------------------------------
# Run state: everything needed to continue a run after a restart.

Status: TypeAlias = Literal["active", "waiting", "awaiting_triage", "interrupted", "ended"]
STATUSES: tuple[str, ...] = ("active", "waiting", "awaiting_triage", "interrupted", "ended")


@dataclass(frozen=True, slots=True)
class Frame:
    """A caller waiting for a `call` to return: continue after `step` of `flow_id`."""

    flow_id: str
    flow_version: str
    step: str
    answers: Mapping[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "flow_id": self.flow_id,
            "flow_version": self.flow_version,
            "step": self.step,
            "answers": dict(self.answers),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Frame:
        return cls(
            flow_id=str(data["flow_id"]),
            flow_version=str(data["flow_version"]),
            step=str(data["step"]),
            answers=dict(data.get("answers") or {}),
        )


@dataclass(frozen=True, slots=True)
class WaitProgress:
    """A running wait step: the prompt shown last (`index`), when it began, its pace."""

    index: int
    started: datetime
    interval: float

    def to_json(self) -> dict[str, Any]:
        return {"index": self.index, "started": _iso(self.started), "interval": self.interval}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> WaitProgress:
        return cls(
            index=int(data["index"]),
            started=_parse(data["started"]),
            interval=float(data["interval"]),
        )


@dataclass(frozen=True, slots=True)
class RunState:
    """One client's position in a flow. JSON-safe values only (the host stores `to_json()`)."""

    flow_id: str
    flow_version: str
    step: str
    status: Status
    started: datetime
    updated: datetime
    answers: Mapping[str, Any] = field(default_factory=dict)
    prompt: int = 0
    stack: tuple[Frame, ...] = ()
    selection: tuple[str, ...] = ()
    wait: WaitProgress | None = None
    timer: str | None = None
    resume_status: Status | None = None
    context: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "flow_id": self.flow_id,
            "flow_version": self.flow_version,
            "step": self.step,
            "status": self.status,
            "started": _iso(self.started),
            "updated": _iso(self.updated),
            "answers": dict(self.answers),
            "prompt": self.prompt,
            "stack": [frame.to_json() for frame in self.stack],
            "selection": list(self.selection),
            "wait": self.wait.to_json() if self.wait else None,
            "timer": self.timer,
            "resume_status": self.resume_status,
            "context": dict(self.context),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RunState:
        wait = data.get("wait")
        return cls(
            flow_id=str(data["flow_id"]),
            flow_version=str(data["flow_version"]),
            step=str(data["step"]),
            status=_status(data["status"]),
            started=_parse(data["started"]),
            updated=_parse(data["updated"]),
            answers=dict(data.get("answers") or {}),
            prompt=int(data.get("prompt", 0)),
            stack=tuple(Frame.from_json(f) for f in data.get("stack") or ()),
            selection=tuple(str(v) for v in data.get("selection") or ()),
            wait=WaitProgress.from_json(wait) if wait else None,
            timer=data.get("timer"),
            resume_status=_status(data["resume_status"]) if data.get("resume_status") else None,
            context=dict(data.get("context") or {}),
        )


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat()


def _parse(text: Any) -> datetime:
    when = datetime.fromisoformat(str(text))
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _status(value: Any) -> Status:
    if value not in STATUSES:
        raise ValueError(f"Unknown run status {value!r}; use one of: {', '.join(STATUSES)}")
    return value  # type: ignore[no-any-return]
