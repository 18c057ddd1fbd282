"""Running steps: go through automatic steps until a question, a wait, triage or the end."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.dialogue import contracts as c
from bot.dialogue import model as m
from bot.dialogue.conditions import holds, resolve, value_of
from bot.dialogue.declarations import coerce
from bot.dialogue.run import Run
from bot.dialogue.scoring import score

MAX_AUTO_STEPS = 200  # a guard against loops without questions that validation did not catch
MAX_CALL_DEPTH = 8
MAX_WAIT_MINUTES = 120.0
DEFAULT_WAIT_MINUTES = 5.0


def proceed(run: Run, step_id: str | None) -> None:
    """Continue at `step_id` (None: the flow ends here) and run until the run needs input."""
    for _ in range(MAX_AUTO_STEPS):
        if step_id is None:
            step_id = _finish_flow(run)
            if step_id is None:
                return
            continue
        step = run.flow.steps.get(step_id)
        if step is None:
            run.end("flow_changed", run.line("flow_changed"))
            return
        run.step_id = step_id
        if isinstance(step, m.ChoiceStep) and step.options_from and not options_of(run, step):
            run.answers[step.save_as] = None  # nothing to choose from: move on
            step_id = step.next
            continue
        if isinstance(step, m.INPUT_STEPS):
            show(run, step)
            return
        step_id = _auto(run, step)
        if run.status == "ended":
            return
    run.end("loop", run.line("error"))


def _auto(run: Run, step: m.Step) -> str | None:
    """Do one step that needs no input; return where to go next."""
    values = (run.answers, run.context)
    if isinstance(step, m.SayStep):
        run.say(run.text(step.text))
    elif isinstance(step, m.RecordStep):
        fields = {k: value_of(v, *values) for k, v in step.fields.items()}
        declared = run.flow.record_fields
        extra = {k: coerce(declared[k], fields.pop(k)) for k in list(fields) if k in declared}
        kept = {k: value for k, value in extra.items() if value is not None}
        run.effects.append(c.Record(step.entry, fields, kept))
    elif isinstance(step, m.ScoreStep):
        scored = score(step, *values)
        run.answers[step.save_as] = {"total": scored.total, "band": scored.band}
        run.effects.append(scored)
    elif isinstance(step, m.SetStep):
        fields = {k: value_of(v, *values) for k, v in step.fields.items()}
        run.effects.append(c.UpdateClient(fields))
        client = run.context.get("client")
        run.context["client"] = {**(client if isinstance(client, dict) else {}), **fields}
        run.language = run.client_language()
    elif isinstance(step, m.ActionStep):
        args = {k: value_of(v, *values) for k, v in step.args.items()}
        run.effects.append(c.Action(step.name, args))
    elif isinstance(step, m.BranchStep):
        return next((case.next for case in step.cases if holds(case.when, *values)), step.otherwise)
    elif isinstance(step, m.CallStep):
        return _call(run, step)
    elif isinstance(step, m.EndStep):
        run.say(run.text(step.text))
        return None
    return step.next


def _call(run: Run, step: m.CallStep) -> str | None:
    callee = run.library.get(step.flow)
    if callee is None or len(run.stack) >= MAX_CALL_DEPTH:
        run.end("flow_changed" if callee is None else "loop", run.line("flow_changed"))
        return None
    run.stack.append(c.Frame(run.flow.id, run.flow.version, step.id, run.answers))
    run.flow = callee
    run.answers = {}
    return callee.start


def _finish_flow(run: Run) -> str | None:
    """The current flow ended: return to the caller's step after the call, or end the run."""
    if not run.stack:
        run.end("completed")
        return None
    frame = run.stack.pop()
    caller = run.library.get(frame.flow_id)
    call = caller.steps.get(frame.step) if caller else None
    if caller is None or call is None:
        run.end("flow_changed", run.line("flow_changed"))
        return None
    run.flow = caller
    run.answers = dict(frame.answers)
    run.step_id = call.id
    return call.next


# -- showing input steps -----------------------------------------------------------------------


def show(run: Run, step: m.Step, prefix: str = "", fresh: bool = True) -> None:
    """Ask the question of `step` (with a new prompt number), start its wait, or ask for triage.

    `fresh` is False when the same question is asked again: a multi-select keeps its ticks.
    """
    if fresh:
        run.selection = ()
    if isinstance(step, m.TriageStep):
        run.status = "awaiting_triage"
        run.effects.append(c.RunTriage())
        return
    if isinstance(step, m.WaitStep):
        if not fresh and run.wait is not None:  # resumed after a crisis: go on where it was
            run.status = "waiting"
            show_wait_prompt(run, step)
        else:
            _start_wait(run, step)
        return
    run.status = "active"
    run.prompt += 1
    text = run.text(getattr(step, "text", None))
    if isinstance(step, m.ScaleStep) and (step.min_label or step.max_label):
        low, high = run.text(step.min_label), run.text(step.max_label)
        text += f"\n<i>{step.min} = {low} · {step.max} = {high}</i>" if low and high else ""
    if prefix:
        text = f"{prefix}\n\n{text}"
    run.say(text, keyboard(run, step), run.prompt)


def keyboard(run: Run, step: m.Step) -> c.Keyboard:
    p = run.prompt
    if isinstance(step, m.ScaleStep):
        values = list(range(step.min, step.max + 1))
        half = (len(values) + 1) // 2 if len(values) > 6 else len(values)
        groups = [values[:half], values[half:]] if half < len(values) else [values]
        return tuple(tuple(c.Button(str(n), f"{p}:{n}") for n in group) for group in groups)
    if isinstance(step, m.ChoiceStep):
        return tuple((c.Button(label, f"{p}:{data}"),) for data, label, _ in options_of(run, step))
    if isinstance(step, m.MultiStep):
        rows = [
            (c.Button(("✓ " if data in run.selection else "") + label, f"{p}:{data}"),)
            for data, label, _ in options_of(run, step)
        ]
        rows.append((c.Button(run.label(step.done_label), f"{p}:~done"),))
        return tuple(rows)
    if isinstance(step, m.TextStep) and step.optional:
        return ((c.Button(run.label(step.skip_label), f"{p}:~skip"),),)
    if isinstance(step, m.WaitStep):
        return ((c.Button(run.label(step.stop_label), f"{p}:~stop"),),)
    return ()


_STATIC_OPTIONS: dict[tuple[int, str], tuple[m.Step, list[tuple[str, str, Any]]]] = {}


def options_of(run: Run, step: m.ChoiceStep | m.MultiStep) -> list[tuple[str, str, Any]]:
    """(button data value, label, answer value) for each option; dynamic ones use their index."""
    if step.options_from is None:
        # Static labels only change with the language: cache them (the hot path of a multi-select).
        key = (id(step), run.language)
        cached = _STATIC_OPTIONS.get(key)
        if cached is not None and cached[0] is step:
            return cached[1]
        options = [(str(o.value), run.label(o.label), o.value) for o in step.options]
        if not any(
            "{" in o.label.pick(run.language, run.library.default_language) for o in step.options
        ):
            if len(_STATIC_OPTIONS) > 10_000:
                _STATIC_OPTIONS.clear()
            _STATIC_OPTIONS[key] = (step, options)
        return options
    items = resolve(step.options_from, run.answers, run.context)
    if not isinstance(items, list | tuple):
        return []
    # An item is a plain value (its own label), or {value, label} when they differ (a language
    # code shown by its name).
    return [
        (str(i), _dynamic_label(run, item), item.get("value"))
        if isinstance(item, Mapping)
        else (str(i), str(item), item)
        for i, item in enumerate(items[:50])
    ]


# -- waits -------------------------------------------------------------------------------------


def _start_wait(run: Run, step: m.WaitStep) -> None:
    if step.every is not None:
        interval = step.every
    else:
        minutes: Any = step.minutes
        if isinstance(minutes, m.Ref):
            minutes = resolve(minutes, run.answers, run.context)
        try:
            total = float(minutes)
        except (TypeError, ValueError):
            total = DEFAULT_WAIT_MINUTES
        if not 0 < total <= MAX_WAIT_MINUTES:  # also rejects NaN
            total = (
                min(max(total, 0.1), MAX_WAIT_MINUTES) if total == total else DEFAULT_WAIT_MINUTES
            )
        interval = total * 60 / max(len(step.prompts), 1)
    run.status = "waiting"
    run.wait = c.WaitProgress(0, run.now, interval)
    show_wait_prompt(run, step)


def show_wait_prompt(run: Run, step: m.WaitStep, restart_timer: bool = True) -> None:
    """Send the wait's current prompt with a stop button and (normally) schedule the next tick."""
    assert run.wait is not None
    run.prompt += 1
    index = min(run.wait.index, len(step.prompts) - 1)
    run.say(run.text(step.prompts[index]), keyboard(run, step), run.prompt)
    if restart_timer:
        run.timer = f"{run.flow.id}.{int(run.state.started.timestamp() * 1000)}.{run.prompt}"
        run.effects.append(c.StartTimer(run.wait.interval, run.timer))


def finish_wait(run: Run, step: m.WaitStep, completed: bool) -> None:
    assert run.wait is not None
    seconds = max(0, round((run.now - run.wait.started).total_seconds()))
    run.answers[step.save_as] = {"completed": completed, "seconds": seconds}
    run.wait = None
    run.timer = None
    run.status = "active"
    proceed(run, step.next)


def _dynamic_label(run: Run, item: Mapping[str, Any]) -> str:
    """A dynamic option's label: text, or {language: text} picked in the client's language."""
    label = item.get("label", item.get("value"))
    if isinstance(label, Mapping):
        picked = label.get(run.language) or label.get(run.library.default_language)
        return str(picked if picked is not None else next(iter(label.values()), ""))
    return str(label)
