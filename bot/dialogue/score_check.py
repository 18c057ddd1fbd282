"""Whole-flow checks of `score` steps: every item is a numeric question of this flow, and the
bands and change rules fit the totals the items can add up to."""

from __future__ import annotations

from bot.dialogue import model as m
from bot.dialogue.parse import Reader
from bot.dialogue.scoring import as_number


def item_range(flow: m.Flow, key: str) -> tuple[int, int] | str | None:
    """(lowest, highest) answer of the question saving `key`; None if no step saves it; a reason
    (text) when the question cannot be summed."""
    found: tuple[int, int] | str | None = None
    for step in flow.steps.values():
        if getattr(step, "save_as", None) != key or isinstance(step, m.ScoreStep):
            continue
        if isinstance(step, m.ScaleStep):
            span: tuple[int, int] | str = (step.min, step.max)
        elif isinstance(step, m.ChoiceStep) and step.options:
            numbers = [as_number(o.value) for o in step.options]
            if any(
                n is None or isinstance(o.value, str)
                for n, o in zip(numbers, step.options, strict=True)
            ):
                span = f"the choice '{step.id}' has option values that are not whole numbers"
            else:
                whole = [n for n in numbers if n is not None]
                span = (min(whole), max(whole))
        else:
            span = f"the step '{step.id}' is not a scale or a choice with fixed options"
        if isinstance(span, str):
            return span
        if isinstance(found, tuple):  # saved by two steps: take the widest range
            span = (min(found[0], span[0]), max(found[1], span[1]))
        found = span
    return found


def check_scores(flow: m.Flow, r: Reader) -> None:
    for step in flow.steps.values():
        if isinstance(step, m.ScoreStep):
            _check_one(flow, step, r)


def _check_one(flow: m.Flow, step: m.ScoreStep, r: Reader) -> None:
    low = high = 0
    for key in step.items:
        span = item_range(flow, key)
        if span is None:
            continue  # reported already: the reference names no answer saved in this flow
        if isinstance(span, str):
            r.problem(
                step.line,
                step.id,
                f"the item '{key}' cannot be summed: {span}",
                "Ask it with a scale, or a choice whose option values are numbers "
                "(`value: 0`, `value: 1`, ...)",
            )
            return
        low, high = low + span[0], high + span[1]
    if not step.bands:
        return
    first, last = step.bands[0], step.bands[-1]
    if first.start != low:
        r.problem(
            first.line,
            step.id,
            f"the first band '{first.name}' starts at {first.start}, but the lowest total is {low}",
            f"Write `from: {low}` in the first band, so every total has a band",
        )
    if last.start > high:
        r.problem(
            last.line,
            step.id,
            f"the band '{last.name}' starts at {last.start}, above the highest total {high}",
            f"Start it at {high} or lower, or remove it",
        )
    if step.cutoff is not None and not low < step.cutoff <= high:
        r.problem(
            step.line,
            step.id,
            f"the cutoff {step.cutoff:g} is outside the totals {low}..{high}",
            "Use the measure's published clinical cut-off (PHQ-9: 10, GAD-7: 8)",
        )
    if step.reliable_change is not None and step.reliable_change > high - low:
        r.problem(
            step.line,
            step.id,
            f"a reliable change of {step.reliable_change:g} is more than the whole range "
            f"{low}..{high}",
            "Use the measure's published reliable change index (PHQ-9: 6, GAD-7: 4)",
        )
