"""What a flow declares about itself besides its steps: its command and its own record fields.

```yaml
command: gratitude                       # the client sends /gratitude to start the flow
menu: {en: "Three good things", de: "Drei gute Dinge"}   # its line in Telegram's command menu
record_fields:                           # fields this flow's `record` steps may write
  good_things: text
  mood: {type: number, min: 0, max: 10}
  energy: {type: choice, values: [low, medium, high]}
```

A declared field is stored with the log entry (encrypted, like every client answer), exported
with `/mydata`, and erased with `/delete`. Values are checked against the declared type when they
are recorded: a value that does not fit is left out rather than stored wrong.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bot.dialogue import model as m
from bot.dialogue import vocabulary as v
from bot.dialogue.parse import Reader, did_you_mean
from bot.dialogue.yamlsrc import key_line, line_of

# Telegram's rule for a bot command: 1-32 lowercase letters, digits and underscores.
COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
# Commands the bot answers itself; a flow cannot take them over.
RESERVED_COMMANDS = (
    "start",
    "help",
    "sos",
    "stop",
    "pause",
    "resume",
    "next",
    "mydata",
    "delete",
    "aftersession",
)
FIELD_TYPES = ("number", "text", "choice")
FIELD_KEYS = ("type", "min", "max", "values", "max_length")
MAX_TEXT = 2000  # a typed answer is a few sentences; longer text is cut, not refused


def read_command(r: Reader, data: Mapping[str, Any]) -> str | None:
    raw = data.get("command")
    if raw is None:
        return None
    line = r.command_line = key_line(data, "command", 1)
    name = str(raw).lstrip("/")
    if not COMMAND_RE.match(name):
        r.problem(
            line,
            None,
            f"the command {raw!r} is not one Telegram accepts",
            "Use 1-32 lowercase letters, digits or _, without the slash, e.g. `command: gratitude`",
        )
        return None
    if name in RESERVED_COMMANDS:
        r.problem(
            line,
            None,
            f"/{name} is one of the bot's own commands",
            f"Choose another name; taken: {', '.join('/' + c for c in RESERVED_COMMANDS)}",
        )
        return None
    return name


def read_menu(r: Reader, data: Mapping[str, Any]) -> m.Phrase | None:
    menu = r.phrase(data, "menu", None, required=False)
    if menu is not None and "command" not in data:
        r.problem(
            key_line(data, "menu", 1),
            None,
            "'menu' describes the flow's command, but the flow has no `command`",
            "Add `command: NAME`, or remove `menu`",
        )
    return menu


def read_record_fields(r: Reader, data: Mapping[str, Any]) -> dict[str, m.RecordField]:
    raw = data.get("record_fields")
    if raw is None:
        return {}
    line = key_line(data, "record_fields", 1)
    if not isinstance(raw, Mapping) or not raw:
        r.problem(
            line,
            None,
            "'record_fields' must map field names to types",
            "Write `record_fields: {mood: number, words: text}`",
        )
        return {}
    fields: dict[str, m.RecordField] = {}
    for name, spec in raw.items():
        field_line = key_line(raw, name, line)
        if not isinstance(name, str) or not v.ID_RE.match(name):
            r.problem(
                field_line,
                None,
                f"the record field name {name!r} must be lowercase letters, digits and _",
                "Rename it, e.g. `mood`",
            )
            continue
        if name in v.RECORD_FIELDS:
            r.problem(
                field_line,
                None,
                f"'{name}' is a built-in record field and needs no declaration",
                "Remove it from record_fields, or give your field another name",
            )
            continue
        # A broken declaration is reported once; a text stand-in keeps its uses from repeating it.
        fields[name] = _field(r, name, spec, field_line) or m.RecordField(name, "text")
    return fields


def _field(r: Reader, name: str, spec: Any, line: int) -> m.RecordField | None:
    if isinstance(spec, str):
        spec = {"type": spec}
    if not isinstance(spec, Mapping):
        r.problem(
            line,
            None,
            f"the record field '{name}' needs a type",
            f"Write `{name}: number`, `{name}: text` or `{name}: {{type: choice, values: [a, b]}}`",
        )
        return None
    r.check_keys(spec, FIELD_KEYS, None, f"the record field '{name}'")
    kind = spec.get("type")
    if kind not in FIELD_TYPES:
        r.problem(
            key_line(spec, "type", line),
            None,
            f"the record field '{name}' has the unknown type {kind!r}",
            f"{did_you_mean(str(kind), FIELD_TYPES)}Use one of: {', '.join(FIELD_TYPES)}",
        )
        return None
    low = _bound(r, spec, "min", name, line)
    high = _bound(r, spec, "max", name, line)
    if low is not None and high is not None and low > high:
        r.problem(line, None, f"the record field '{name}' has min above max", "Swap them")
    values: tuple[str, ...] = ()
    if kind == "choice":
        raw_values = spec.get("values")
        if not isinstance(raw_values, list) or not raw_values:
            r.problem(
                key_line(spec, "values", line),
                None,
                f"the choice field '{name}' needs its values",
                f"Write `{name}: {{type: choice, values: [low, high]}}`",
            )
            return None
        values = tuple(str(value) for value in raw_values)
    max_length = spec.get("max_length", MAX_TEXT)
    if isinstance(max_length, bool) or not isinstance(max_length, int) or max_length < 1:
        r.problem(
            key_line(spec, "max_length", line),
            None,
            f"max_length of '{name}' must be a positive whole number",
            f"Write `max_length: {MAX_TEXT}`",
        )
        max_length = MAX_TEXT
    return m.RecordField(
        name, kind, values, low, high, min(max_length, MAX_TEXT), line_of(spec, line)
    )


def _bound(r: Reader, spec: Mapping[str, Any], key: str, name: str, line: int) -> float | None:
    if key not in spec:
        return None
    value = spec[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        r.problem(
            key_line(spec, key, line),
            None,
            f"{key} of '{name}' must be a number, not {value!r}",
            f"Write `{key}: 0`",
        )
        return None
    return float(value)


def check_literal(r: Reader, declared: m.RecordField, value: m.Value, line: int, step: str) -> None:
    """A literal written in a record step must fit the field's declared type."""
    if (
        isinstance(value, m.Literal)
        and value.value is not None
        and coerce(declared, value.value) is None
    ):
        r.problem(
            line,
            step,
            f"{value.value!r} does not fit the {declared.type} field '{declared.name}'",
            _hint(declared),
        )


def _hint(declared: m.RecordField) -> str:
    if declared.type == "choice":
        return f"Use one of: {', '.join(declared.values)}"
    if declared.type == "number":
        low = "" if declared.min is None else f" from {declared.min:g}"
        high = "" if declared.max is None else f" to {declared.max:g}"
        return f"Use a number{low}{high}"
    return "Use a text"


def coerce(declared: m.RecordField, value: Any) -> Any:
    """The value as the declared type, or None when it does not fit (it is then not stored)."""
    if value is None or isinstance(value, dict | list):
        return None
    if declared.type == "number":
        if isinstance(value, bool):
            return None
        try:
            number = float(str(value).strip().replace(",", "."))
        except ValueError:
            return None
        if number != number or number in (float("inf"), float("-inf")):
            return None
        if (declared.min is not None and number < declared.min) or (
            declared.max is not None and number > declared.max
        ):
            return None
        return int(number) if number.is_integer() else number
    text = str(value)
    if declared.type == "choice":
        return text if text in declared.values else None
    return text[: declared.max_length]
