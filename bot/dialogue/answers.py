"""Answers to questions: taps and typed text for scale, choice, multi and text steps."""

from __future__ import annotations

import re
from typing import Any

from bot.dialogue import contracts as c
from bot.dialogue import model as m
from bot.dialogue.countries import find_country
from bot.dialogue.run import Run
from bot.dialogue.steps import keyboard, options_of, proceed, show
from bot.dialogue.timezones import find_zone

# Matched against stripped text: int() and float() do not strip every character `\s` matches
# (such as \x1c), so whitespace must be gone before the digits are converted.
_INT_RE = re.compile(r"[+-]?\d{1,6}")
_NUMBER_RE = re.compile(r"[+-]?\d{1,9}([.,]\d{1,6})?")


def _whole_number(text: str) -> int | None:
    cleaned = text.strip()
    return int(cleaned) if _INT_RE.fullmatch(cleaned) else None


def answer_tap(run: Run, step: m.Step, data: str) -> None:
    """Apply a button tap; taps of other prompts (stale) and unknown values change nothing."""
    prompt, sep, value = data.partition(":")
    if not sep or prompt != str(run.prompt):
        return
    if isinstance(step, m.ScaleStep):
        number = _whole_number(value)
        if number is not None and step.min <= number <= step.max:
            _done(run, step, step.save_as, number, str(number), step.next)
    elif isinstance(step, m.ChoiceStep):
        _choose(run, step, value)
    elif isinstance(step, m.MultiStep):
        _toggle_or_finish(run, step, value)
    elif isinstance(step, m.TextStep) and step.optional and value == "~skip":
        _done(run, step, step.save_as, None, run.label(step.skip_label), step.next)


def answer_text(run: Run, step: m.Step, text: str) -> None:
    """Apply typed text; anything that does not fit re-asks kindly."""
    if isinstance(step, m.ScaleStep):
        number = _whole_number(text)
        if number is not None and step.min <= number <= step.max:
            _done(run, step, step.save_as, number, str(number), step.next)
        else:
            _reask(run, step, run.line("scale_reask", min=step.min, max=step.max))
        return
    if isinstance(step, m.ChoiceStep | m.MultiStep):
        typed = _normal(text)
        for data, label, _ in options_of(run, step):
            if typed and typed in (_normal(label), _normal(data)):
                if isinstance(step, m.ChoiceStep):
                    _choose(run, step, data)
                else:
                    _toggle_or_finish(run, step, data)
                return
        if isinstance(step, m.MultiStep):
            done = run.label(step.done_label)
            if typed and typed == _normal(done):
                _toggle_or_finish(run, step, "~done")
            else:
                _reask(run, step, run.line("multi_reask", done=done))
        else:
            _reask(run, step, run.line("choice_reask"))
        return
    if isinstance(step, m.TextStep):
        _answer_free_text(run, step, text)


def _answer_free_text(run: Run, step: m.TextStep, text: str) -> None:
    cleaned = text.strip()
    if not cleaned:
        key = "text_empty" if step.optional else "text_required"
        _reask(run, step, run.line(key, skip=run.label(step.skip_label)))
        return
    if len(cleaned) > step.max_length:
        _reask(run, step, run.line("text_long", n=step.max_length))
        return
    value: Any = cleaned
    if step.format == "timezone":
        value = find_zone(cleaned)
        if value is None:
            _reask(run, step, run.line("timezone"))
            return
    elif step.format == "country":
        value = find_country(cleaned)
        if value is None:
            _reask(run, step, run.line("country"))
            return
    elif step.format == "number":
        if not _NUMBER_RE.fullmatch(cleaned):
            _reask(run, step, run.line("number"))
            return
        number = float(cleaned.replace(",", "."))
        value = int(number) if number.is_integer() else number
    _done(run, step, step.save_as, value, None, step.next)


def _choose(run: Run, step: m.ChoiceStep, data: str) -> None:
    for option_data, label, value in options_of(run, step):
        if option_data == data:
            target = step.next
            if step.options_from is None:
                option = next(o for o in step.options if str(o.value) == data)
                target = option.next or step.next
            _done(run, step, step.save_as, value, label, target)
            return


def _toggle_or_finish(run: Run, step: m.MultiStep, data: str) -> None:
    options = options_of(run, step)
    if data == "~done":
        chosen = [(d, label, value) for d, label, value in options if d in run.selection]
        if len(chosen) < step.min_selected:
            done = run.label(step.done_label)
            _reask(run, step, run.line("multi_min", n=step.min_selected, done=done))
            return
        labels = ", ".join(label for _, label, _ in chosen) or None
        values = [value for _, _, value in chosen]
        run.selection = ()
        _done(run, step, step.save_as, values, labels, step.next)
        return
    if not any(d == data for d, _, _ in options):
        return
    if data in run.selection:
        run.selection = tuple(d for d in run.selection if d != data)
    else:
        run.selection = (*run.selection, data)
    run.effects.append(c.UpdateButtons(run.prompt, keyboard(run, step)))


def _done(
    run: Run, step: m.Step, key: str, value: Any, chosen: str | None, target: str | None
) -> None:
    """Save the answer, close the question's keyboard and move on."""
    run.answers[key] = value
    if _has_keyboard(step):
        run.effects.append(c.CloseButtons(run.prompt, chosen))
    proceed(run, target)


def _reask(run: Run, step: m.Step, kind_line: str) -> None:
    if _has_keyboard(step):
        run.effects.append(c.CloseButtons(run.prompt))
    show(run, step, prefix=kind_line, fresh=False)


def _has_keyboard(step: m.Step) -> bool:
    return not isinstance(step, m.TextStep) or step.optional


def _normal(text: str) -> str:
    """Compare typed text with labels loosely: case, spaces and leading emoji or ticks ignored."""
    text = text.casefold().strip()
    start = 0
    while start < len(text) and not text[start].isalnum():
        start += 1
    return " ".join(text[start:].split())
