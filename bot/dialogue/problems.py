"""Flow validation problems: each names file, line, flow, step, what is wrong and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import CheckinError


@dataclass(frozen=True, slots=True)
class FlowProblem:
    file: str
    line: int
    flow_id: str | None
    step_id: str | None
    message: str
    fix: str = ""
    severity: str = "error"  # or "warning": reported, but the flows still load

    def __str__(self) -> str:
        where = []
        if self.flow_id:
            where.append(f"flow '{self.flow_id}'")
        if self.step_id:
            where.append(f"step '{self.step_id}'")
        prefix = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        if self.severity == "warning":
            prefix += "warning: "
        if where:
            prefix += ", ".join(where) + ": "
        text = prefix + self.message
        if self.fix:
            text += ". " + self.fix
        return text


class FlowValidationError(CheckinError):
    """One or more flow files are invalid. `problems` lists every problem found, in file order."""

    def __init__(
        self, problems: list[FlowProblem], warnings: list[FlowProblem] | None = None
    ) -> None:
        self.problems = problems
        self.warnings = warnings or []
        listing = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the flow files:\n{listing}")


class FlowNotFoundError(CheckinError, LookupError):
    """A flow id that the library does not have."""

    def __init__(self, flow_id: str, known: list[str]) -> None:
        self.flow_id = flow_id
        choices = ", ".join(sorted(known)) or "(no flows loaded)"
        super().__init__(f"No flow with the id {flow_id!r} was found. Known flows: {choices}")
