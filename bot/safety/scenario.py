"""Triage scenarios as YAML: a clinic's dry-run input for `checkin triage check`.

    session_ended_at: "2026-11-20T15:00:00+00:00"   # optional; without it every check-in counts
    now: "2026-11-23T19:00:00+00:00"
    rules: {persist_days: 3}                        # optional overrides of the configured rules
    checkins:
      - at: "2026-11-20T18:00:00+00:00"
        distress: 7                                 # 0..10, optional
        unable_to_function: false                   # optional: true | false | partly
        self_care: tried_not_helped         # optional: none | tried_helped | tried_not_helped
        text: "optional free text"  # optional; screened for crisis and "called in sick" words
    crisis_messages:                                # optional: crisis messages outside check-ins
      - {at: "2026-11-21T02:00:00+00:00", category: suicidal_thoughts}
    acknowledged_at: "2026-11-21T09:00:00+00:00"    # optional: the therapist's last ack
    # Silence needs no input: a high last rating long before `now` is silence.

Unknown keys are errors. Every problem is reported at once, with the file line and the key path.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from bot.errors import CheckinError
from bot.safety.screening import Category
from bot.safety.triage import CheckIn, CrisisSignal, TriageRules
from bot.yamlguard import DEFAULT_MAX_BYTES, YamlLimitError, check_structure, read_capped

Rating = Annotated[int, Field(ge=0, le=10)]
Count = Annotated[int, Field(ge=1)]


class ScenarioError(CheckinError, ValueError):
    """A scenario file is unreadable or invalid; `problems` has one line per problem."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        listing = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{source}: {len(problems)} problem(s) in the scenario:\n{listing}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RulesOverride(_Strict):
    persist_days: Count | None = None
    distress_threshold: Rating | None = None
    significant_distress: Rating | None = None
    coping_attempts: Count | None = None
    severity_level: Rating | None = None
    rise_points: Count | None = None
    rise_hours: Count | None = None
    rise_to: Rating | None = None
    silence_after: Rating | None = None
    silence_hours: Count | None = None
    crisis_hold_hours: Count | None = None
    unable_hours: Count | None = None

    def apply(self, base: TriageRules) -> TriageRules:
        return dataclasses.replace(base, **self.model_dump(exclude_none=True))


class CheckInEntry(_Strict):
    at: AwareDatetime
    distress: Rating | None = None
    # true (the "Yes" button), false, or "partly" (the "Partly" button)
    unable_to_function: bool | Literal["partly"] = False
    self_care: Literal["none", "tried_helped", "tried_not_helped"] = "none"
    text: str | None = None

    def to_checkin(self) -> CheckIn:
        return CheckIn(
            self.at,
            self.distress,
            self.unable_to_function is True,
            self.self_care,
            self.text,
            partly_unable=self.unable_to_function == "partly",
        )


class CrisisEntry(_Strict):
    """A message screened as crisis outside the check-ins (what the bot's screening records)."""

    at: AwareDatetime
    category: Category | None = None

    def to_signal(self) -> CrisisSignal:
        return CrisisSignal(self.at, self.category)


class Scenario(_Strict):
    session_ended_at: AwareDatetime | None = None
    now: AwareDatetime
    rules: RulesOverride = Field(default_factory=RulesOverride)
    checkins: list[CheckInEntry] = Field(default_factory=list)
    crisis_messages: list[CrisisEntry] = Field(default_factory=list)
    acknowledged_at: AwareDatetime | None = None  # the therapist's last acknowledgement

    def checkin_list(self) -> list[CheckIn]:
        return [entry.to_checkin() for entry in self.checkins]

    def crisis_signals(self) -> list[CrisisSignal]:
        return [entry.to_signal() for entry in self.crisis_messages]


Lines = dict[tuple[str, ...], int]


def _index_lines(node: yaml.Node, path: tuple[str, ...], out: Lines) -> None:
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = (*path, str(key.value))
            out[sub] = key.start_mark.line + 1
            _index_lines(value, sub, out)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_lines(item, (*path, str(index)), out)


def _line_of(loc: tuple[str, ...], lines: Lines) -> int | None:
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


_NESTED: dict[str, type[BaseModel]] = {
    "rules": RulesOverride,
    "checkins": CheckInEntry,
    "crisis_messages": CrisisEntry,
}


def _valid_keys(parent: tuple[str, ...]) -> list[str]:
    """The keys allowed at a key path (list indexes are skipped), for the unknown-key hint."""
    names = [part for part in parent if not part.isdigit()]
    model: type[BaseModel] = _NESTED.get(names[-1], Scenario) if names else Scenario
    return list(model.model_fields)


def _describe(error: Mapping[str, Any], source: str, lines: Lines) -> str:
    loc = tuple(str(part) for part in error["loc"])
    key = ".".join(loc) or "(top level)"
    line = _line_of(loc, lines)
    where = f"{source}:{line}: " if line else f"{source}: "
    if error["type"] == "extra_forbidden":
        valid = ", ".join(_valid_keys(loc[:-1]))
        return f"{where}{key}: unknown key; valid keys here: {valid}"
    if error["type"] == "missing":
        return f"{where}{key}: required key is missing"
    value = error.get("input")
    shown = "" if isinstance(value, dict | list) else f" (got {value!r})"
    return f"{where}{key}: {error['msg']}{shown}"


def parse_scenario(text: str, source: str = "<scenario>") -> Scenario:
    """Parse and validate a scenario; ScenarioError names the line and field of each problem."""
    try:
        check_structure(text, source)
    except YamlLimitError as exc:
        raise ScenarioError(source, [str(exc)]) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{source}:{mark.line + 1}" if mark else source
        raise ScenarioError(
            source, [f"{where}: YAML syntax error: {exc.problem}; check indentation and quotes"]
        ) from None
    if not isinstance(data, dict):
        raise ScenarioError(
            source, [f"{source}: the scenario must be a mapping with now: and checkins:"]
        )
    lines: Lines = {}
    if node is not None:
        _index_lines(node, (), lines)
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(source, [_describe(e, source, lines) for e in exc.errors()]) from None


def load_scenario(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Scenario:
    try:
        text = read_capped(path, max_bytes, setting="yaml_max_file_size").decode("utf-8")
    except YamlLimitError as exc:
        raise ScenarioError(str(path), [str(exc)]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(str(path), [f"{path}: cannot read the file ({exc})"]) from None
    return parse_scenario(text, str(path))


def describe_window(scenario: Scenario) -> tuple[int, int, int]:
    """(counted, before the session ended, after now) for the scenario's check-ins."""
    before = after = 0
    for entry in scenario.checkins:
        at: datetime = entry.at
        if scenario.session_ended_at is not None and at < scenario.session_ended_at:
            before += 1
        elif at > scenario.now:
            after += 1
    return len(scenario.checkins) - before - after, before, after
