"""Which answers a run still needs: a saved run keeps only those (store less).

An answer is needed at a step if that step, or any step the flow can reach from it, reads it: in
a text placeholder (`{answers.distress}`), a condition, a record, set or action field, a list of
options (`options_from`), a wait's length, or a score's items. Once no reachable step reads an answer (typically
after it was recorded in the log), the run forgets it, so the client's words are not kept twice.
Computed once per flow when it is loaded (`Flow.answers_needed`); the host stores `trim(state)`.
The engine itself keeps every answer while it runs (its tests, and the terminal chat, see them).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from bot.dialogue import contracts as c
from bot.dialogue import model as m
from bot.dialogue import vocabulary as v

if TYPE_CHECKING:  # the loader computes `answers_needed` with this module
    from bot.dialogue.loader import FlowLibrary


def reads(step: m.Step) -> set[str]:
    """The answer keys `step` itself reads (`triage.*` reads the answer `triage`)."""
    found: set[str] = set()
    _collect(step, found)
    if isinstance(step, m.ScoreStep):  # answer keys named as plain strings, not references
        found.update(step.items, step.extra)
    return found


def _collect(value: Any, found: set[str]) -> None:
    if isinstance(value, m.Ref):
        if value.scope == "answers":
            found.add(value.name)
        elif value.scope == "triage":
            found.add("triage")
    elif isinstance(value, m.Phrase):
        for text in value.texts.values():
            for match in v.PLACEHOLDER_RE.finditer(text.replace("{{", "").replace("}}", "")):
                scope, _, name = match.group(1).partition(".")
                if scope == "answers":
                    found.add(name.partition(".")[0])
                elif scope == "triage":
                    found.add("triage")
    elif isinstance(value, Mapping):
        for item in value.values():
            _collect(item, found)
    elif isinstance(value, tuple | list):
        for item in value:
            _collect(item, found)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            _collect(getattr(value, f.name), found)


def answers_needed(steps: Mapping[str, m.Step]) -> dict[str, frozenset[str]]:
    """For each step: the answers it or any step reachable from it reads (a fixed point)."""
    own = {sid: reads(step) for sid, step in steps.items()}
    edges = {sid: [t for t in m.successors(step) if t in steps] for sid, step in steps.items()}
    needed = {sid: set(keys) for sid, keys in own.items()}
    changed = True
    while changed:
        changed = False
        for sid, targets in edges.items():
            for target in targets:
                if not needed[target] <= needed[sid]:
                    needed[sid] |= needed[target]
                    changed = True
    return {sid: frozenset(keys) for sid, keys in needed.items()}


def keep_needed(flow: m.Flow, step_id: str, answers: Mapping[str, Any]) -> dict[str, Any]:
    """`answers` without those no step from `step_id` on reads (all of them if it is unknown)."""
    needed = flow.answers_needed.get(step_id)
    if needed is None:
        return dict(answers)
    return {key: value for key, value in answers.items() if key in needed}


def trim(library: FlowLibrary, state: c.RunState) -> c.RunState:
    """The state to store: only the answers some step from here on still reads, in the open
    flow and in each caller waiting on the stack (whose call returns to the step after it)."""
    flow = library.get(state.flow_id)
    if flow is None or flow.version != state.flow_version:
        return state
    stack = []
    for frame in state.stack:
        caller = library.get(frame.flow_id)
        if caller is not None and caller.version == frame.flow_version:
            frame = dataclasses.replace(
                frame, answers=keep_needed(caller, frame.step, frame.answers)
            )
        stack.append(frame)
    return dataclasses.replace(
        state, answers=keep_needed(flow, state.step, state.answers), stack=tuple(stack)
    )
