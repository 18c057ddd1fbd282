"""The pure dialogue engine: `advance(library, state, event, now) -> (state, effects)`.

No Telegram, no database, no clock: time comes in as `now`. The engine never raises: anything
unexpected ends the run with a kind line and `Ended("error")` (the property tests assert it never
happens on the shipped flows).

Stale taps (a button from an older message) return the state unchanged and an empty effect list;
the transport may answer the callback with a short "already answered" notice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.dialogue import contracts as c
from bot.dialogue import model as m
from bot.dialogue.answers import answer_tap, answer_text
from bot.dialogue.loader import FlowLibrary
from bot.dialogue.messages import line
from bot.dialogue.run import Run
from bot.dialogue.steps import finish_wait, proceed, show, show_wait_prompt

__all__ = ["advance"]


def advance(
    library: FlowLibrary, state: c.RunState | None, event: c.Event, now: datetime
) -> tuple[c.RunState, list[c.Effect]]:
    """Apply `event` to the run `state` at `now`; return the new state and what the host should do."""
    try:
        return _advance(library, state, event, now)
    except Exception:  # the last safety net: a client must never see a crash
        base = state or _empty(now)
        return _end_with_line(library, base, now, base.context, "error")


def _advance(
    library: FlowLibrary, state: c.RunState | None, event: c.Event, now: datetime
) -> tuple[c.RunState, list[c.Effect]]:
    if isinstance(event, c.Start):
        return _start(library, state, event, now)
    if state is None or state.status == "ended":
        return state or _empty(now), []
    flow = library.get(state.flow_id)
    if flow is None:
        return _flow_changed(library, state, now, state.context)
    run = Run.of(library, flow, state, now)
    step = run.step
    if isinstance(event, c.Stop):
        _close_open_prompt(run, step)
        run.end("stopped", run.line("stopped"))
        return run.freeze(), run.effects
    if state.status == "interrupted":
        return _interrupted(run, step, event)
    if not _consistent(run, step):
        return _flow_changed(library, state, now, state.context)
    assert step is not None
    if isinstance(event, c.Interrupt):
        _close_open_prompt(run, step)
        frozen = replace(run.freeze(), status="interrupted", timer=None, resume_status=state.status)
        return frozen, run.effects
    if state.status == "waiting":
        assert isinstance(step, m.WaitStep)
        _on_wait(run, step, event)
    elif state.status == "awaiting_triage":
        assert isinstance(step, m.TriageStep)
        _on_triage(run, step, event)
    else:
        _on_question(run, step, event)
    if not run.effects:  # a stale tap, an old timer, an event with nothing to do: no change at all
        return state, []
    return run.freeze(), run.effects


def _start(
    library: FlowLibrary, state: c.RunState | None, event: c.Start, now: datetime
) -> tuple[c.RunState, list[c.Effect]]:
    context = dict(event.context)
    flow = library.get(event.flow_id)
    # Continue the prompt counter so that buttons of an earlier run are stale in this one.
    prompt = state.prompt if state else 0
    fresh = c.RunState(
        event.flow_id,
        flow.version if flow else "",
        flow.start if flow else "",
        "active",
        now,
        now,
        {},
        prompt,
        context=context,
    )
    if flow is None:
        return _flow_changed(library, fresh, now, context)
    run = Run.of(library, flow, fresh, now)
    if state is not None and state.status != "ended":
        old = library.get(state.flow_id)
        _close_open_prompt(run, old.steps.get(state.step) if old else None, state)
    proceed(run, flow.start)
    return run.freeze(), run.effects


def _on_question(run: Run, step: m.Step, event: c.Event) -> None:
    if isinstance(event, c.Tap):
        answer_tap(run, step, event.data)
    elif isinstance(event, c.Text):
        answer_text(run, step, event.text)
    elif isinstance(event, c.Repeat):
        _close_open_prompt(run, step)
        show(run, step, fresh=False)
    elif isinstance(event, c.Unsupported):
        _close_open_prompt(run, step)
        show(run, step, prefix=run.line("unsupported"), fresh=False)


def _on_wait(run: Run, step: m.WaitStep, event: c.Event) -> None:
    assert run.wait is not None
    if isinstance(event, c.TimerFired):
        if event.token != run.timer:
            return  # a timer from before a restart of this wait, or of another run
        run.effects.append(c.CloseButtons(run.prompt))
        if run.wait.index + 1 >= len(step.prompts):
            finish_wait(run, step, completed=True)
        else:
            run.wait = c.WaitProgress(run.wait.index + 1, run.wait.started, run.wait.interval)
            show_wait_prompt(run, step)
    elif isinstance(event, c.Tap):
        if event.data == f"{run.prompt}:~stop":
            run.effects.append(c.CloseButtons(run.prompt, run.label(step.stop_label)))
            finish_wait(run, step, completed=False)
    elif isinstance(event, c.Text | c.Unsupported):
        first = "" if isinstance(event, c.Text) else run.line("unsupported") + " "
        run.say(first + run.line("waiting", stop=run.label(step.stop_label)))
    elif isinstance(event, c.Repeat):
        run.effects.append(c.CloseButtons(run.prompt))
        show_wait_prompt(run, step, restart_timer=False)


def _on_triage(run: Run, step: m.TriageStep, event: c.Event) -> None:
    if isinstance(event, c.TriageDone):
        run.answers["triage"] = {
            "contact": bool(event.contact),
            "crisis": bool(event.crisis),
            "reasons": [str(r) for r in event.reasons],
            "urgent": bool(event.urgent),
        }
        run.status = "active"
        target = step.crisis if event.crisis else step.contact if event.contact else step.next
        proceed(run, target)
    elif isinstance(event, c.Text | c.Unsupported):
        run.say(run.line("triage_wait"))
    elif isinstance(event, c.Repeat):
        run.effects.append(c.RunTriage())


def _interrupted(
    run: Run, step: m.Step | None, event: c.Event
) -> tuple[c.RunState, list[c.Effect]]:
    """While a crisis has the floor only Resume (and Stop, Start) do anything."""
    if not isinstance(event, c.Resume):
        return run.state, []
    if step is None or not isinstance(step, m.INPUT_STEPS):
        return _flow_changed(run.library, run.state, run.now, run.state.context)
    show(run, step, fresh=False)
    return run.freeze(), run.effects


def _consistent(run: Run, step: m.Step | None) -> bool:
    """Does the stored position still make sense in the (possibly edited) flow?"""
    status = run.status
    if status == "waiting":
        return isinstance(step, m.WaitStep) and run.wait is not None and bool(step.prompts)
    if status == "awaiting_triage":
        return isinstance(step, m.TriageStep)
    return isinstance(step, m.QUESTION_STEPS)


def _close_open_prompt(run: Run, step: m.Step | None, state: c.RunState | None = None) -> None:
    state = state or run.state
    if state.status in ("active", "waiting") and state.prompt and _has_buttons(step):
        run.effects.append(c.CloseButtons(state.prompt))


def _has_buttons(step: m.Step | None) -> bool:
    if isinstance(step, m.TextStep):
        return step.optional
    return isinstance(step, m.ScaleStep | m.ChoiceStep | m.MultiStep | m.WaitStep)


def _flow_changed(
    library: FlowLibrary, state: c.RunState, now: datetime, context: Any
) -> tuple[c.RunState, list[c.Effect]]:
    return _end_with_line(library, state, now, context, "flow_changed")


def _end_with_line(
    library: FlowLibrary, state: c.RunState, now: datetime, context: Any, reason: str
) -> tuple[c.RunState, list[c.Effect]]:
    """End the run outside its flow's own steps, with the engine's kind line for `reason`."""
    language = _language(context, library.default_language)
    ended = replace(
        state,
        status="ended",
        updated=now,
        stack=(),
        selection=(),
        wait=None,
        timer=None,
        resume_status=None,
    )
    return ended, [c.Say(line(language, reason)), c.Ended(reason)]


def _language(context: Any, default: str) -> str:
    client = context.get("client") if isinstance(context, Mapping) else None
    lang = client.get("language") if isinstance(client, Mapping) else None
    return lang if isinstance(lang, str) and lang else default


def _empty(now: datetime) -> c.RunState:
    return c.RunState("", "", "", "ended", now, now)
