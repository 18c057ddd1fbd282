"""Read the shipped flow files as plain YAML and list every text a client can see.

Kept independent of the engine's loader on purpose: the content checks (banned words, crisis
resources, phone-screen length) must hold for every language of every text, whatever the loader
does with them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

FLOWS_DIR = Path(__file__).resolve().parents[2] / "flows"

SHIPPED_FLOW_IDS = (
    "onboarding",
    "about",
    "after_session",
    "log",
    "self_care",
    "sit_with_it",
    "it_will_pass",
    "next_session_note",
    "thinking_of_stopping",
    "country",
    "phq9",
    "gad7",
    "measures",
    "timezone",
)

# Step keys whose values a client reads: messages, and the words on buttons.
MESSAGE_KEYS = ("text",)
LABEL_KEYS = ("min_label", "max_label", "done_label", "skip_label", "stop_label")


@dataclass(frozen=True)
class FlowText:
    """One client-visible text in one language."""

    flow_id: str
    step_id: str
    key: str  # text, prompts[2], options[0].label, ...
    language: str  # "*" for a plain string
    text: str

    @property
    def where(self) -> str:
        return f"flow {self.flow_id!r}, step {self.step_id!r}, {self.key} [{self.language}]"


def flow_files() -> list[Path]:
    return sorted(p for p in FLOWS_DIR.glob("*.yaml") if not p.name.startswith("_"))


def load_raw(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path} is not a mapping"
    return data


def _languages(flow_id: str, step_id: str, key: str, value: Any) -> Iterator[FlowText]:
    if isinstance(value, dict):
        for language, text in value.items():
            yield FlowText(flow_id, step_id, key, str(language), str(text))
    elif value is not None:
        yield FlowText(flow_id, step_id, key, "*", str(value))


def step_texts(flow_id: str, step: dict[str, Any]) -> Iterator[FlowText]:
    """Every text of one step: its message, its paced prompts and its button labels."""
    step_id = str(step.get("id"))
    for key in (*MESSAGE_KEYS, *LABEL_KEYS):
        yield from _languages(flow_id, step_id, key, step.get(key))
    for index, prompt in enumerate(step.get("prompts") or ()):
        yield from _languages(flow_id, step_id, f"prompts[{index}]", prompt)
    for index, option in enumerate(step.get("options") or ()):
        yield from _languages(flow_id, step_id, f"options[{index}].label", option.get("label"))


def flow_texts(data: dict[str, Any]) -> Iterator[FlowText]:
    """Every text of a flow, the title and description included."""
    flow_id = str(data.get("id"))
    for key in ("title", "description"):
        yield from _languages(flow_id, "-", key, data.get(key))
    for step in data.get("steps") or ():
        yield from step_texts(flow_id, step)


def all_texts() -> list[FlowText]:
    return [text for path in flow_files() for text in flow_texts(load_raw(path))]


def is_message(text: FlowText) -> bool:
    """A whole message (not a button label, title or description)."""
    return text.key in MESSAGE_KEYS or text.key.startswith("prompts[")
