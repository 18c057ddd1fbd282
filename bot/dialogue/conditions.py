"""Resolve references and evaluate conditions (data, never eval) against a run."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.dialogue import model as m

_MISSING = object()


def resolve(ref: m.Ref, answers: Mapping[str, Any], context: Mapping[str, Any]) -> Any:
    """The value `ref` names, or None when it is not set."""
    value = _resolve_name(ref, answers, context)
    if ref.field is None:
        return value
    return value.get(ref.field) if isinstance(value, Mapping) else None


def _resolve_name(ref: m.Ref, answers: Mapping[str, Any], context: Mapping[str, Any]) -> Any:
    if ref.scope == "answers":
        return answers.get(ref.name)
    if ref.scope == "triage":
        triage = answers.get("triage")
        return triage.get(ref.name) if isinstance(triage, Mapping) else None
    scope = context.get(ref.scope)
    return scope.get(ref.name) if isinstance(scope, Mapping) else None


def value_of(value: m.Value, answers: Mapping[str, Any], context: Mapping[str, Any]) -> Any:
    if isinstance(value, m.Literal):
        return value.value
    if isinstance(value, m.Ref):
        return resolve(value, answers, context)
    return holds(value, answers, context)


def holds(cond: m.Condition, answers: Mapping[str, Any], context: Mapping[str, Any]) -> bool:
    """Whether `cond` is true; a missing or mistyped value makes a comparison false, never an error."""
    if isinstance(cond, m.Combine):
        if cond.op == "all":
            return all(holds(p, answers, context) for p in cond.parts)
        if cond.op == "any":
            return any(holds(p, answers, context) for p in cond.parts)
        return not holds(cond.parts[0], answers, context)
    actual = resolve(cond.ref, answers, context)
    op, operand = cond.op, cond.operand
    if op == "is_set":
        return actual is not None and actual != "" and actual != [] and actual != {}
    if op == "equals":
        return _same(actual, operand)
    if op == "in":
        return isinstance(operand, list) and any(_same(actual, o) for o in operand)
    if op == "contains":
        return isinstance(actual, list | tuple) and any(_same(a, operand) for a in actual)
    number = _number(actual)
    if number is None or isinstance(operand, bool) or not isinstance(operand, int | float):
        return False
    return number >= operand if op == "at_least" else number <= operand


def _same(actual: Any, expected: Any) -> bool:
    if isinstance(actual, bool) or isinstance(expected, bool):
        return actual is expected
    if isinstance(actual, int | float) and isinstance(expected, int | float):
        return actual == expected
    # Option values travel through callback data as text, so compare numbers and text loosely.
    return actual is not None and str(actual) == str(expected)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None
