"""One builder per step kind: YAML mapping -> frozen step dataclass (problems go to the Reader)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.dialogue import model as m
from bot.dialogue import vocabulary as v
from bot.dialogue.declarations import check_literal
from bot.dialogue.parse import Reader, StepBuilder, TextSite, did_you_mean
from bot.dialogue.score_build import build_score
from bot.dialogue.yamlsrc import key_line, line_of


def _save_as(r: Reader, d: Mapping[str, Any], sid: str) -> str:
    key = d.get("save_as", sid)
    if not isinstance(key, str) or not v.ID_RE.match(key) or key == "triage":
        r.problem(
            key_line(d, "save_as", line_of(d, 1)),
            sid,
            f"'save_as' must be an answer key, not {key!r}",
            "Use lowercase letters, digits and _ (and not 'triage', which is reserved)",
        )
        return sid
    return key


def _say(r: Reader, d: Mapping[str, Any], sid: str, line: int, nxt: str | None) -> m.Step:
    return m.SayStep(sid, line, nxt, r.phrase(d, "text", sid) or m.Phrase({}))


def _scale(r: Reader, d: Mapping[str, Any], sid: str, line: int, nxt: str | None) -> m.Step:
    low, high = r.integer(d, "min", sid, 0), r.integer(d, "max", sid, 10)
    if low >= high:
        r.problem(
            key_line(d, "min", line),
            sid,
            f"the scale's min ({low}) is not below its max ({high})",
            "Make min smaller than max, for example min: 0, max: 10",
        )
    elif high - low + 1 > v.MAX_SCALE_BUTTONS:
        r.problem(
            key_line(d, "max", line),
            sid,
            f"a scale from {low} to {high} needs {high - low + 1} buttons",
            f"Use at most {v.MAX_SCALE_BUTTONS} values, for example 0 to 10",
        )
    return m.ScaleStep(
        sid,
        line,
        nxt,
        r.phrase(d, "text", sid) or m.Phrase({}),
        _save_as(r, d, sid),
        low,
        high,
        r.phrase(d, "min_label", sid, required=False),
        r.phrase(d, "max_label", sid, required=False),
    )


def _choice(r: Reader, d: Mapping[str, Any], sid: str, line: int, nxt: str | None) -> m.Step:
    options, source = r.options(d, sid)
    return m.ChoiceStep(
        sid,
        line,
        nxt,
        r.phrase(d, "text", sid) or m.Phrase({}),
        _save_as(r, d, sid),
        options,
        source,
    )


def _multi(r: Reader, d: Mapping[str, Any], sid: str, line: int, nxt: str | None) -> m.Step:
    options, source = r.options(d, sid)
    least = r.integer(d, "min_selected", sid, 0)
    if options and not 0 <= least <= len(options):
        r.problem(
            key_line(d, "min_selected", line),
            sid,
            f"'min_selected' is {least} but there are {len(options)} options",
            f"Use a number from 0 to {len(options)}",
        )
    for option in options:
        if option.next:
            r.problem(
                option.line,
                sid,
                "a multi-select option cannot have its own 'next'",
                "Remove it and set `next:` on the step",
            )
    return m.MultiStep(
        sid,
        line,
        nxt,
        r.phrase(d, "text", sid) or m.Phrase({}),
        _save_as(r, d, sid),
        r.label(d, "done_label", sid, "done"),
        options,
        source,
        least,
    )


def _text(r: Reader, d: Mapping[str, Any], sid: str, line: int, nxt: str | None) -> m.Step:
    optional = d.get("optional", False)
    if not isinstance(optional, bool):
        r.problem(
            key_line(d, "optional", line),
            sid,
            f"'optional' must be true or false, not {optional!r}",
            "Write `optional: true`",
        )
        optional = False
    longest = r.integer(d, "max_length", sid, 1000)
    if not 1 <= longest <= v.MAX_TEXT:
        r.problem(
            key_line(d, "max_length", line),
            sid,
            f"'max_length' {longest} is outside 1..{v.MAX_TEXT}",
            "Use for example `max_length: 1000`",
        )
    fmt = d.get("format")
    if fmt is not None and fmt not in v.TEXT_FORMATS:
        r.problem(
            key_line(d, "format", line),
            sid,
            f"unknown text format {fmt!r}",
            f"{did_you_mean(str(fmt), v.TEXT_FORMATS)}Use one of: {', '.join(v.TEXT_FORMATS)}",
        )
        fmt = None
    skip = r.label(d, "skip_label", sid, "skip")
    return m.TextStep(
        sid,
        line,
        nxt,
        r.phrase(d, "text", sid) or m.Phrase({}),
        _save_as(r, d, sid),
        skip,
        optional,
        longest,
        fmt,
    )


def _wait(r: Reader, d: Mapping[str, Any], sid: str, line: int, nxt: str | None) -> m.Step:
    raw = d.get("prompts")
    prompts: list[m.Phrase] = []
    if not isinstance(raw, list) or not raw:
        r.problem(
            key_line(d, "prompts", line),
            sid,
            "'prompts' must be a non-empty list of texts",
            'Write `prompts: ["Breathe in...", "And out..."]`',
        )
    else:
        lines = getattr(raw, "item_lines", [line] * len(raw))
        for item, item_line in zip(raw, lines, strict=True):
            phrase = r.to_phrase(item, item_line, sid, "prompts")
            if phrase:
                r.texts.append(TextSite(item_line, sid, "prompt", phrase))
                prompts.append(phrase)
    every: float | None = None
    minutes: m.Ref | float | None = None
    if ("every" in d) == ("minutes" in d):
        r.problem(
            line,
            sid,
            "a wait needs either 'every' (seconds) or 'minutes' (exactly one)",
            "Add `every: 20`",
        )
    elif "every" in d:
        every = r.number(d["every"], key_line(d, "every", line), sid, "every")
    elif isinstance(d["minutes"], str):
        minutes = r.ref(d["minutes"], key_line(d, "minutes", line), sid, "'minutes'")
    else:
        minutes = r.number(d["minutes"], key_line(d, "minutes", line), sid, "minutes")
    stop = r.label(d, "stop_label", sid, "stop")
    return m.WaitStep(sid, line, nxt, tuple(prompts), _save_as(r, d, sid), stop, every, minutes)


def _record(r: Reader, d: Mapping[str, Any], sid: str, line: int, nxt: str | None) -> m.Step:
    entry = d.get("entry")
    # A flow may also record entries under its own id (e.g. `entry: gratitude`).
    entries = (*v.RECORD_ENTRIES, r.flow_id) if r.flow_id else v.RECORD_ENTRIES
    if entry not in entries:
        r.problem(
            key_line(d, "entry", line),
            sid,
            f"unknown record entry {entry!r}",
            f"{did_you_mean(str(entry), entries)}Use one of: {', '.join(entries)}",
        )
    allowed = (*v.RECORD_FIELDS, *r.record_fields)
    fields = r.fields(d, "fields", sid, allowed, "record")
    raw = d.get("fields")
    for name, value in fields.items():
        declared = r.record_fields.get(name)
        if declared is not None and isinstance(raw, Mapping):
            check_literal(r, declared, value, key_line(raw, name, line), sid)
    return m.RecordStep(sid, line, nxt, str(entry), fields)


def _set(r: Reader, d: Mapping[str, Any], sid: str, line: int, nxt: str | None) -> m.Step:
    return m.SetStep(sid, line, nxt, r.fields(d, "fields", sid, v.SET_FIELDS, "set"))


def _action(r: Reader, d: Mapping[str, Any], sid: str, line: int, nxt: str | None) -> m.Step:
    name = d.get("name")
    if name not in v.ACTIONS:
        r.problem(
            key_line(d, "name", line),
            sid,
            f"unknown action name {name!r}",
            f"{did_you_mean(str(name), v.ACTIONS)}Use one of: {', '.join(v.ACTIONS)}",
        )
    return m.ActionStep(sid, line, nxt, str(name), r.fields(d, "args", sid, (), "action"))


def _triage(r: Reader, d: Mapping[str, Any], sid: str, line: int, nxt: str | None) -> m.Step:
    contact = r.target(d, "contact", sid)
    if contact is None:
        r.problem(
            line,
            sid,
            "a triage step needs 'contact': the step to go to when contact is advised",
            "Add `contact: <step id>`",
        )
    crisis = r.target(d, "crisis", sid) or contact
    return m.TriageStep(sid, line, nxt, contact or "", crisis or "")


def _branch(r: Reader, d: Mapping[str, Any], sid: str, line: int, nxt: str | None) -> m.Step:
    raw = d.get("cases")
    cases: list[m.Case] = []
    if not isinstance(raw, list) or not raw:
        r.problem(
            key_line(d, "cases", line),
            sid,
            "'cases' must be a non-empty list",
            "Write `cases: [{when: {...}, next: step}]`",
        )
        raw = []
    for item in raw:
        item_line = line_of(item, line)
        if not isinstance(item, Mapping):
            r.problem(
                item_line,
                sid,
                f"a case must be a mapping with 'when' and 'next', not {item!r}",
                "Write `{when: {...}, next: step}`",
            )
            continue
        r.check_keys(item, ("when", "next"), sid, "a case")
        when = r.condition(item.get("when"), key_line(item, "when", item_line), sid)
        target = r.target(item, "next", sid)
        if target is None:
            r.problem(item_line, sid, "a case needs 'next'", "Add `next: <step id>`")
        if when and target:
            cases.append(m.Case(when, target, item_line))
    otherwise = r.target(d, "else", sid) or nxt
    return m.BranchStep(sid, line, nxt, tuple(cases), otherwise)


def _goto(r: Reader, d: Mapping[str, Any], sid: str, line: int, nxt: str | None) -> m.Step:
    if "next" not in d:
        r.problem(line, sid, "a goto step needs 'next'", "Add `next: <step id>`")
    return m.GotoStep(sid, line, nxt)


def _call(r: Reader, d: Mapping[str, Any], sid: str, line: int, nxt: str | None) -> m.Step:
    flow = d.get("flow")
    if not isinstance(flow, str) or not v.ID_RE.match(flow):
        r.problem(
            key_line(d, "flow", line),
            sid,
            f"'flow' must be a flow id, not {flow!r}",
            "Add `flow: <flow id>`",
        )
        flow = ""
    else:
        r.calls.append((key_line(d, "flow", line), sid, flow))
    return m.CallStep(sid, line, nxt, flow)


def _end(r: Reader, d: Mapping[str, Any], sid: str, line: int, nxt: str | None) -> m.Step:
    return m.EndStep(sid, line, None, r.phrase(d, "text", sid, required=False))


BUILDERS: dict[str, StepBuilder] = {
    "say": _say,
    "scale": _scale,
    "choice": _choice,
    "multi": _multi,
    "text": _text,
    "wait": _wait,
    "record": _record,
    "set": _set,
    "action": _action,
    "score": build_score,
    "triage": _triage,
    "branch": _branch,
    "goto": _goto,
    "call": _call,
    "end": _end,
}
