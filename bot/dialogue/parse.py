"""Build one `Flow` from parsed YAML, collecting every problem instead of stopping at the first."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.dialogue import model as m
from bot.dialogue import vocabulary as v
from bot.dialogue.messages import default_label
from bot.dialogue.problems import FlowProblem
from bot.dialogue.yamlsrc import key_line, line_of


def did_you_mean(word: str, choices: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f"Did you mean '{close[0]}'? " if close else ""


@dataclass
class TextSite:
    """Where a text was written, for the language, length and placeholder checks."""

    line: int
    step_id: str | None
    field: str
    phrase: m.Phrase
    authored: bool = True  # False for built-in default labels


@dataclass
class RefSite:
    line: int
    step_id: str | None
    ref: m.Ref


@dataclass
class Reader:
    file: str
    flow_id: str | None = None
    problems: list[FlowProblem] = field(default_factory=list)
    texts: list[TextSite] = field(default_factory=list)
    refs: list[RefSite] = field(default_factory=list)
    calls: list[tuple[int, str, str]] = field(default_factory=list)  # (line, step, flow)
    # Step ids written in the file, built or not, and whether every step was built: graph checks
    # on a half-built flow would only repeat the first problem in other words.
    written_ids: set[str] = field(default_factory=set)
    complete: bool = True
    explicit_next: set[str] = field(default_factory=set)  # steps that write `next:` themselves
    warnings: list[FlowProblem] = field(default_factory=list)  # the flow works, but is fragile
    record_fields: Mapping[str, m.RecordField] = field(default_factory=dict)  # declared by the flow
    command_line: int = 1  # where `command:` is written, for the library-wide uniqueness check

    def problem(self, line: int, step: str | None, message: str, fix: str = "") -> None:
        self.problems.append(FlowProblem(self.file, line, self.flow_id, step, message, fix))

    def warning(self, line: int, step: str | None, message: str, fix: str = "") -> None:
        self.warnings.append(
            FlowProblem(self.file, line, self.flow_id, step, message, fix, severity="warning")
        )

    def check_keys(self, data: Any, allowed: tuple[str, ...], step: str | None, what: str) -> None:
        for key, line in getattr(data, "key_lines", {}).items():
            if key not in allowed:
                hint = did_you_mean(key, allowed)
                self.problem(
                    line,
                    step,
                    f"unknown key '{key}' in {what}",
                    f"{hint}Use one of: {', '.join(allowed)}",
                )
        for key, line in getattr(data, "duplicates", []):
            self.problem(line, step, f"the key '{key}' is written twice", "Keep only one of them")

    # -- texts ---------------------------------------------------------------------------------
    def phrase(
        self, data: Any, key: str, step: str | None, required: bool = True
    ) -> m.Phrase | None:
        line = key_line(data, key, line_of(data, 1))
        value = data.get(key) if isinstance(data, Mapping) else None
        if value is None:
            if required:
                self.problem(line, step, f"'{key}' is missing", f'Add `{key}: "..."`')
            return None
        phrase = self.to_phrase(value, line, step, key)
        if phrase is not None:
            self.texts.append(TextSite(line, step, key, phrase))
        return phrase

    def to_phrase(self, value: Any, line: int, step: str | None, key: str) -> m.Phrase | None:
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return m.Phrase({m.NEUTRAL: str(value)})
        if isinstance(value, Mapping) and value and all(isinstance(t, str) for t in value.values()):
            return m.Phrase({str(lang): text for lang, text in value.items()})
        self.problem(
            line,
            step,
            f"'{key}' must be a text or a mapping of language codes to texts, not {value!r}",
            f'Write `{key}: "..."` or `{key}: {{en: "...", de: "..."}}`',
        )
        return None

    def label(self, data: Mapping[str, Any], key: str, step: str, default: str) -> m.Phrase:
        if key in data:
            return self.phrase(data, key, step) or default_label(default)
        phrase = default_label(default)
        self.texts.append(TextSite(line_of(data, 1), step, key, phrase, authored=False))
        return phrase

    # -- numbers, ids, refs --------------------------------------------------------------------
    def integer(self, data: Mapping[str, Any], key: str, step: str, default: int) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            line = key_line(data, key, line_of(data, 1))
            self.problem(
                line,
                step,
                f"'{key}' must be a whole number, not {value!r}",
                f"Write `{key}: {default}`",
            )
            return default
        return value

    def number(self, value: Any, line: int, step: str, key: str) -> float | None:
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            self.problem(
                line,
                step,
                f"'{key}' must be a positive number, not {value!r}",
                f"Write for example `{key}: 20`",
            )
            return None
        return float(value)

    def target(self, data: Mapping[str, Any], key: str, step: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not v.ID_RE.match(value):
            line = key_line(data, key, line_of(data, 1))
            self.problem(
                line,
                step,
                f"'{key}' must be a step id, not {value!r}",
                "Write the id of a step in this flow",
            )
            return None
        return value

    def ref(self, value: Any, line: int, step: str | None, what: str) -> m.Ref | None:
        match = v.REF_RE.match(value) if isinstance(value, str) else None
        if not match:
            self.problem(
                line,
                step,
                f"{what} must be a reference like answers.distress, not {value!r}",
                "Use answers.<key> (or answers.<key>.<field>), client.<field>, memory.<field>, clinic.<field> or triage.<field>",
            )
            return None
        ref = m.Ref(match.group(1), match.group(2), match.group(3))
        self.refs.append(RefSite(line, step, ref))
        return ref

    # -- values and conditions -----------------------------------------------------------------
    def value(self, raw: Any, line: int, step: str | None) -> m.Value:
        if isinstance(raw, str) and v.REF_LIKE_RE.match(raw):
            # Looks like a reference: it must be a valid one, never silently a literal string.
            return self.ref(raw, line, step, "a value") or m.Literal(None)
        if (
            isinstance(raw, Mapping)
            and len(raw) == 1
            and next(iter(raw)) in v.COMPARE_OPS + v.COMBINE_OPS
        ):
            return self.condition(raw, line, step) or m.Literal(None)
        if isinstance(raw, Mapping):
            self.problem(
                line,
                step,
                f"a value must be a literal, a reference or a condition, not the mapping {dict(raw)!r}",
                f"Use one condition key: {', '.join(v.COMPARE_OPS + v.COMBINE_OPS)}",
            )
            return m.Literal(None)
        return m.Literal(_plain(raw))

    def condition(self, raw: Any, line: int, step: str | None) -> m.Condition | None:
        line = line_of(raw, line)
        ops = v.COMPARE_OPS + v.COMBINE_OPS
        if not isinstance(raw, Mapping) or len(raw) != 1 or next(iter(raw)) not in ops:
            shown = dict(raw) if isinstance(raw, Mapping) else raw
            hint = ""
            if isinstance(raw, Mapping) and len(raw) == 1:
                hint = did_you_mean(str(next(iter(raw))), ops)
            self.problem(
                line,
                step,
                f"a condition must be a mapping with one of {', '.join(ops)}, not {shown!r}",
                f"{hint}For example `{{at_least: [answers.distress, 7]}}`",
            )
            return None
        op, arg = next(iter(raw.items()))
        if op in ("all", "any"):
            if not isinstance(arg, list) or not arg:
                self.problem(
                    line,
                    step,
                    f"'{op}' needs a list of conditions",
                    f"Write `{op}: [{{...}}, {{...}}]`",
                )
                return None
            parts = [self.condition(p, line_of(p, line), step) for p in arg]
            if any(p is None for p in parts):
                return None
            return m.Combine(op, tuple(p for p in parts if p is not None))
        if op == "not":
            part = self.condition(arg, line_of(arg, line), step)
            return m.Combine("not", (part,)) if part else None
        if op == "is_set":
            ref = self.ref(arg, line, step, "'is_set'")
            return m.Compare(op, ref) if ref else None
        return self.compare(op, arg, line, step)

    def compare(self, op: str, arg: Any, line: int, step: str | None) -> m.Condition | None:
        if not isinstance(arg, list) or len(arg) != 2:
            self.problem(
                line,
                step,
                f"'{op}' needs a list of two: a reference and a value",
                f"Write `{op}: [answers.key, ...]`",
            )
            return None
        ref = self.ref(arg[0], line, step, f"the first item of '{op}'")
        operand = _plain(arg[1])
        if op == "in" and not isinstance(operand, list):
            self.problem(
                line,
                step,
                f"'in' needs a list of values, not {operand!r}",
                "Write `in: [answers.key, [a, b]]`",
            )
            return None
        if op in ("at_least", "at_most") and (
            isinstance(operand, bool) or not isinstance(operand, int | float)
        ):
            self.problem(
                line,
                step,
                f"'{op}' needs a number, not {operand!r}",
                f"Write `{op}: [answers.key, 7]`",
            )
            return None
        return m.Compare(op, ref, operand) if ref else None

    def fields(
        self, data: Mapping[str, Any], key: str, step: str, allowed: tuple[str, ...], what: str
    ) -> dict[str, m.Value]:
        raw = data.get(key)
        line = key_line(data, key, line_of(data, 1))
        if raw is None and key == "args":
            return {}
        if not isinstance(raw, Mapping) or (not raw and key != "args"):
            self.problem(
                line,
                step,
                f"'{key}' must be a mapping of field names to values",
                f"Write `{key}: {{name: value}}`",
            )
            return {}
        result: dict[str, m.Value] = {}
        for name, value in raw.items():
            field_line = key_line(raw, name, line)
            if allowed and name not in allowed:
                self.problem(
                    field_line,
                    step,
                    f"the {what} field '{name}' is not allowed",
                    f"{did_you_mean(name, allowed)}Use one of: {', '.join(allowed)}",
                )
                continue
            result[name] = self.value(value, field_line, step)
        return result

    def options(
        self, data: Mapping[str, Any], step: str
    ) -> tuple[tuple[m.Option, ...], m.Ref | None]:
        line = key_line(data, "options", line_of(data, 1))
        has_static, has_dynamic = "options" in data, "options_from" in data
        if has_static == has_dynamic:
            self.problem(
                line,
                step,
                "give either 'options' or 'options_from' (exactly one)",
                'Add `options: [{value: a, label: "A"}]`',
            )
            return (), None
        if has_dynamic:
            ref_line = key_line(data, "options_from", line)
            return (), self.ref(data["options_from"], ref_line, step, "'options_from'")
        raw = data["options"]
        if not isinstance(raw, list) or not raw:
            self.problem(
                line,
                step,
                "'options' must be a non-empty list",
                'Write `options: [{value: a, label: "A"}]`',
            )
            return (), None
        options: list[m.Option] = []
        seen: set[str] = set()
        lines = getattr(raw, "item_lines", [line] * len(raw))
        for item, item_line in zip(raw, lines, strict=True):
            option = self.option(item, item_line, step, seen)
            if option:
                options.append(option)
        return tuple(options), None

    def option(self, item: Any, line: int, step: str, seen: set[str]) -> m.Option | None:
        if not isinstance(item, Mapping):
            self.problem(
                line,
                step,
                f"an option must be a mapping, not {item!r}",
                'Write `{value: a, label: "A"}`',
            )
            return None
        self.check_keys(item, v.OPTION_KEYS, step, "an option")
        value = item.get("value")
        if value is None or isinstance(value, list | dict):
            self.problem(
                line,
                step,
                f"an option needs a simple 'value', not {value!r}",
                "Add `value: some_id`",
            )
            return None
        if isinstance(value, bool):
            self.problem(
                line,
                step,
                f"the option value is read by YAML as {str(value).lower()} (yes, no, on and off are)",
                f'Write it in quotes, like `value: "{"yes" if value else "no"}"`',
            )
        data = str(value)
        if data in seen:
            self.problem(
                line,
                step,
                f"the option value '{data}' is used twice",
                "Give each option its own value",
            )
        seen.add(data)
        if data.startswith("~"):
            self.problem(
                line,
                step,
                f"the option value '{data}' starts with '~', which is reserved",
                "Start it with a letter",
            )
        size = v.PROMPT_DIGITS + 1 + len(data.encode())
        if size > v.MAX_CALLBACK_BYTES:
            self.problem(
                line,
                step,
                f"the button data for option '{data}' needs {size} bytes, over Telegram's 64",
                f"Shorten the value to at most {v.MAX_CALLBACK_BYTES - v.PROMPT_DIGITS - 1} bytes",
            )
        label = self.phrase(item, "label", step) or m.Phrase({m.NEUTRAL: data})
        return m.Option(_plain(value), label, self.target(item, "next", step), line)


def _plain(value: Any) -> Any:
    """Strip our line-tracking subclasses so values are plain JSON-safe Python."""
    if isinstance(value, Mapping):
        return {str(k): _plain(x) for k, x in value.items()}
    if isinstance(value, list):
        return [_plain(x) for x in value]
    return value


StepBuilder = Callable[[Reader, Mapping[str, Any], str, int, str | None], m.Step | None]
