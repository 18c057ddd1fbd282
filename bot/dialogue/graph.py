"""Draw a flow as a Mermaid flowchart (`checkin flows graph FLOW`)."""

from __future__ import annotations

import re

from bot.dialogue import model as m

_SHAPES: dict[type, tuple[str, str]] = {
    m.SayStep: ("[", "]"),
    m.ScaleStep: ("(", ")"),
    m.ChoiceStep: ("(", ")"),
    m.MultiStep: ("(", ")"),
    m.TextStep: ("(", ")"),
    m.WaitStep: ("[/", "/]"),
    m.RecordStep: ("[(", ")]"),
    m.SetStep: ("[(", ")]"),
    m.ActionStep: ("[[", "]]"),
    m.ScoreStep: ("[(", ")]"),
    m.TriageStep: ("{{", "}}"),
    m.BranchStep: ("{", "}"),
    m.GotoStep: ("[", "]"),
    m.CallStep: ("[[", "]]"),
    m.EndStep: ("([", "])"),
}
_TAG_RE = re.compile(r"<[^>]*>")


def to_mermaid(flow: m.Flow, language: str = "en") -> str:
    """A `flowchart TD` with one node per step and one labelled edge per way on."""
    lines = ["flowchart TD", f"    start(({_quote('start')})) --> {_node(flow.start)}"]
    for step in flow.steps.values():
        open_, close = _SHAPES[type(step)]
        lines.append(f"    {_node(step.id)}{open_}{_quote(_label(step, language))}{close}")
    for step in flow.steps.values():
        lines.extend(f"    {edge}" for edge in _edges(step, language))
    return "\n".join(lines) + "\n"


def _node(step_id: str) -> str:
    # Prefixed: Mermaid reserves words like `end` as node ids.
    return f"s_{step_id}"


def _quote(text: str) -> str:
    return '"' + text.replace('"', "#quot;") + '"'


def _short(phrase: m.Phrase | None, language: str, limit: int = 40) -> str:
    if phrase is None:
        return ""
    text = " ".join(_TAG_RE.sub("", phrase.pick(language, language)).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _label(step: m.Step, language: str) -> str:
    kind = type(step).__name__.removesuffix("Step").lower()
    detail = ""
    if isinstance(step, m.WaitStep):
        detail = _short(step.prompts[0], language) if step.prompts else ""
    elif isinstance(step, m.RecordStep):
        detail = f"record {step.entry}"
    elif isinstance(step, m.ActionStep):
        detail = step.name
    elif isinstance(step, m.CallStep):
        detail = f"call {step.flow}"
    elif isinstance(step, m.ScoreStep):
        detail = f"score {step.measure}: {len(step.items)} items"
    elif isinstance(step, m.SetStep):
        detail = ", ".join(step.fields)
    else:
        detail = _short(getattr(step, "text", None), language)
    return f"{step.id} · {kind}" + (f"<br/>{detail}" if detail else "")


def _edge(source: str, target: str | None, label: str = "") -> str | None:
    if not target:
        return None
    arrow = f"-- {_quote(label)} -->" if label else "-->"
    return f"{_node(source)} {arrow} {_node(target)}"


def _edges(step: m.Step, language: str) -> list[str]:
    found: list[str | None] = []
    if isinstance(step, m.EndStep):
        return []
    if isinstance(step, m.ChoiceStep):
        found = [
            _edge(step.id, o.next, _short(o.label, language, 24)) for o in step.options if o.next
        ]
        if step.options_from or any(o.next is None for o in step.options):
            found.append(_edge(step.id, step.next))
    elif isinstance(step, m.TriageStep):
        found = [_edge(step.id, step.contact, "contact")]
        if step.crisis != step.contact:
            found.append(_edge(step.id, step.crisis, "crisis"))
        found.append(_edge(step.id, step.next, "no contact"))
    elif isinstance(step, m.BranchStep):
        found = [_edge(step.id, case.next, describe(case.when)) for case in step.cases]
        found.append(_edge(step.id, step.otherwise, "else"))
    else:
        found = [_edge(step.id, step.next)]
    return [edge for edge in found if edge]


def describe(cond: m.Condition) -> str:
    """A short human reading of a condition, for edge labels."""
    if isinstance(cond, m.Combine):
        if cond.op == "not":
            return f"not ({describe(cond.parts[0])})"
        return f" {cond.op} ".join(describe(p) for p in cond.parts).replace(" all ", " and ")
    symbols = {"equals": "=", "at_least": "≥", "at_most": "≤", "in": "in", "contains": "has"}
    if cond.op == "is_set":
        return f"{cond.ref.name} is set"
    return f"{cond.ref.name} {symbols[cond.op]} {cond.operand}"
