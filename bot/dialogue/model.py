"""Loaded flows: one small frozen dataclass per step kind, built by `loader.py` from YAML.

Texts are `Phrase`s (language code -> string); conditions and values are data (`conditions.py`),
never evaluated Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

NEUTRAL = "*"  # the language key of a plain (not per-language) string


@dataclass(frozen=True, slots=True)
class Phrase:
    """A text in one or more languages. A plain YAML string is stored under NEUTRAL."""

    texts: Mapping[str, str]

    def pick(self, language: str, default_language: str) -> str:
        texts = self.texts
        for key in (language, default_language, NEUTRAL):
            if key in texts:
                return texts[key]
        return next(iter(texts.values()), "")


# Values in record/set/action fields and conditions.
@dataclass(frozen=True, slots=True)
class Ref:
    """A reference like `answers.distress` or `client.first_name`."""

    scope: str
    name: str
    field: str | None = None  # one field of a structured answer, e.g. answers.stay.seconds

    def __str__(self) -> str:
        return f"{self.scope}.{self.name}" + (f".{self.field}" if self.field else "")


@dataclass(frozen=True, slots=True)
class Literal:
    value: Any


@dataclass(frozen=True, slots=True)
class Compare:
    """`equals`, `in`, `contains`, `at_least`, `at_most`, `is_set` over one reference."""

    op: str
    ref: Ref
    operand: Any = None


@dataclass(frozen=True, slots=True)
class Combine:
    """`all`, `any` (several conditions) or `not` (exactly one)."""

    op: str
    parts: tuple[Condition, ...]


Condition: TypeAlias = Compare | Combine
Value: TypeAlias = Ref | Literal | Compare | Combine


@dataclass(frozen=True, slots=True)
class Option:
    value: Any
    label: Phrase
    next: str | None = None
    line: int = 0


@dataclass(frozen=True, slots=True)
class StepBase:
    id: str
    line: int
    next: str | None  # resolved at load: explicit `next`, else the following step, else None


@dataclass(frozen=True, slots=True)
class SayStep(StepBase):
    text: Phrase


@dataclass(frozen=True, slots=True)
class ScaleStep(StepBase):
    text: Phrase
    save_as: str
    min: int = 0
    max: int = 10
    min_label: Phrase | None = None
    max_label: Phrase | None = None


@dataclass(frozen=True, slots=True)
class ChoiceStep(StepBase):
    text: Phrase
    save_as: str
    options: tuple[Option, ...] = ()
    options_from: Ref | None = None


@dataclass(frozen=True, slots=True)
class MultiStep(StepBase):
    text: Phrase
    save_as: str
    done_label: Phrase
    options: tuple[Option, ...] = ()
    options_from: Ref | None = None
    min_selected: int = 0


@dataclass(frozen=True, slots=True)
class TextStep(StepBase):
    text: Phrase
    save_as: str
    skip_label: Phrase
    optional: bool = False
    max_length: int = 1000
    format: str | None = None


@dataclass(frozen=True, slots=True)
class WaitStep(StepBase):
    prompts: tuple[Phrase, ...]
    save_as: str
    stop_label: Phrase
    every: float | None = None
    minutes: Ref | float | None = None


@dataclass(frozen=True, slots=True)
class RecordStep(StepBase):
    entry: str
    fields: Mapping[str, Value]


@dataclass(frozen=True, slots=True)
class SetStep(StepBase):
    fields: Mapping[str, Value]


@dataclass(frozen=True, slots=True)
class ActionStep(StepBase):
    name: str
    args: Mapping[str, Value] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TriageStep(StepBase):
    contact: str
    crisis: str


@dataclass(frozen=True, slots=True)
class Band:
    """A severity band of a score: totals from `start` up to the next band's start."""

    start: int
    name: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class ItemFlag:
    """A flag raised by the answers themselves (PHQ-9 item 9 above 'not at all')."""

    name: str
    when: Condition
    line: int = 0


@dataclass(frozen=True, slots=True)
class ScoreStep(StepBase):
    """Sum the answers `items`, place the total in a band, raise flags; record it as `measure`.

    `reliable_change` and `cutoff` say how to read change against the first score (a change of at
    least `reliable_change` points is reliable; moving below `cutoff` from at or above it is
    recovery). `extra` answers are kept with the score without being summed.
    """

    measure: str
    save_as: str
    items: tuple[str, ...]
    bands: tuple[Band, ...]
    flags: tuple[ItemFlag, ...] = ()
    extra: tuple[str, ...] = ()
    reliable_change: float | None = None
    cutoff: float | None = None


@dataclass(frozen=True, slots=True)
class Case:
    when: Condition
    next: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class BranchStep(StepBase):
    cases: tuple[Case, ...]
    otherwise: str | None


@dataclass(frozen=True, slots=True)
class GotoStep(StepBase):
    pass


@dataclass(frozen=True, slots=True)
class CallStep(StepBase):
    flow: str


@dataclass(frozen=True, slots=True)
class EndStep(StepBase):
    text: Phrase | None = None


Step: TypeAlias = (
    SayStep
    | ScaleStep
    | ChoiceStep
    | MultiStep
    | TextStep
    | WaitStep
    | RecordStep
    | SetStep
    | ActionStep
    | ScoreStep
    | TriageStep
    | BranchStep
    | GotoStep
    | CallStep
    | EndStep
)

# Steps that stop and wait for the client (or the host); every other kind runs straight through.
INPUT_STEPS = (ScaleStep, ChoiceStep, MultiStep, TextStep, WaitStep, TriageStep)
QUESTION_STEPS = (ScaleStep, ChoiceStep, MultiStep, TextStep)


@dataclass(frozen=True, slots=True)
class RecordField:
    """A record field a flow declares for itself (see `declarations.py`)."""

    name: str
    type: str  # number | text | choice
    values: tuple[str, ...] = ()  # the allowed values of a choice
    min: float | None = None
    max: float | None = None
    max_length: int = 2000
    line: int = 1


@dataclass(frozen=True)
class Flow:
    id: str
    title: Phrase
    description: Phrase
    start: str
    steps: Mapping[str, Step]
    version: str
    file: str = ""
    line: int = 1

    # save_as key -> option value (as text) -> label, for rendering {answers.key} with labels.
    answer_labels: Mapping[str, Mapping[str, Phrase]] = field(default_factory=dict)
    # step id -> the answers that step or a later one reads (bot/dialogue/liveness.py); a saved
    # run keeps only those. Empty (a flow built by hand): the run keeps every answer.
    answers_needed: Mapping[str, frozenset[str]] = field(default_factory=dict)
    command: str | None = None  # `/command` starts the flow; listed in Telegram's menu
    menu: Phrase | None = None  # the command's line in the menu (default: the title)
    record_fields: Mapping[str, RecordField] = field(default_factory=dict)


def answer_labels(steps: Mapping[str, Step]) -> dict[str, dict[str, Phrase]]:
    """Labels of static options by answer key, so placeholders show labels rather than values."""
    labels: dict[str, dict[str, Phrase]] = {}
    for step in steps.values():
        if isinstance(step, ChoiceStep | MultiStep) and step.options:
            labels[step.save_as] = {str(o.value): o.label for o in step.options}
    return labels


def successors(step: Step) -> list[str]:
    """Every step id this step can continue to within its flow."""
    targets: list[str | None]
    if isinstance(step, EndStep):
        return []
    if isinstance(step, ChoiceStep):
        targets = [o.next for o in step.options]
        if step.options_from is not None or any(o.next is None for o in step.options):
            targets.append(step.next)
    elif isinstance(step, TriageStep):
        targets = [step.contact, step.crisis, step.next]
    elif isinstance(step, BranchStep):
        targets = [*(case.next for case in step.cases), step.otherwise]
    else:
        targets = [step.next]
    return [t for t in dict.fromkeys(targets) if t]
