"""Load flow files into a `FlowLibrary`, validating everything and reporting every problem at once."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.dialogue import model as m
from bot.dialogue import vocabulary as v
from bot.dialogue.build import BUILDERS
from bot.dialogue.declarations import read_command, read_menu, read_record_fields
from bot.dialogue.liveness import answers_needed
from bot.dialogue.parse import Reader, did_you_mean
from bot.dialogue.problems import FlowNotFoundError, FlowProblem, FlowValidationError
from bot.dialogue.validate import check_flow
from bot.dialogue.yamlsrc import key_line, line_of, parse
from bot.yamlguard import DEFAULT_MAX_BYTES, YamlLimitError, check_structure, read_capped

__all__ = ["FlowLibrary", "FlowProblem", "FlowValidationError", "flow_files", "load_flows"]


@dataclass(frozen=True)
class FlowLibrary:
    """Every loaded flow by id, and the language to fall back to."""

    flows: Mapping[str, m.Flow]
    default_language: str = "en"
    languages: tuple[str, ...] = ("en",)
    warnings: tuple[FlowProblem, ...] = ()  # fragile but working (see `flows check`)

    def get(self, flow_id: str) -> m.Flow | None:
        return self.flows.get(flow_id)

    def commands(self) -> dict[str, str]:
        """Each flow command (without the slash) and the flow it starts, in file order."""
        return {flow.command: flow.id for flow in self.flows.values() if flow.command}

    def require(self, flow_id: str) -> m.Flow:
        """The flow `flow_id`, or FlowNotFoundError naming the known ids."""
        flow = self.flows.get(flow_id)
        if flow is None:
            raise FlowNotFoundError(flow_id, list(self.flows))
        return flow


def flow_files(paths: Iterable[Path]) -> list[Path]:
    """Expand directories into their `*.yaml` files (not those starting with `_`), sorted."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.glob("*.yaml") if not p.name.startswith("_")))
        else:
            files.append(path)
    return files


REQUIRED_FLOWS = ("onboarding", "after_session")  # the bot cannot welcome or check in without


def load_flows(
    paths: Sequence[Path],
    languages: Sequence[str] = ("en",),
    default_language: str = "en",
    max_bytes: int = DEFAULT_MAX_BYTES,
    required: Sequence[str] = (),
) -> FlowLibrary:
    """Load and validate every flow in `paths`; raise FlowValidationError listing all problems,
    sorted by file and line. `required`: flow ids that must be among them (the bot's own).

    A file over `max_bytes`, or whose aliases expand too far, is a problem and is not loaded."""
    langs = tuple(dict.fromkeys([default_language, *languages]))
    problems: list[FlowProblem] = []
    flows: dict[str, m.Flow] = {}
    readers: list[Reader] = []
    files = flow_files(Path(p) for p in paths)
    where = ", ".join(str(p) for p in paths)
    if not files:
        raise FlowValidationError(
            [
                FlowProblem(
                    where,
                    0,
                    None,
                    None,
                    "there are no flow files (*.yaml) here",
                    f"Point flows_dir at the folder with the flows, or add "
                    f"{' and '.join(f'{r}.yaml' for r in required) or 'a flow file'}",
                )
            ]
        )
    for file in files:
        reader = Reader(str(file))
        flow = _load_file(file, reader, langs, default_language, max_bytes)
        readers.append(reader)
        if flow is not None:
            if flow.id in flows:
                reader.problem(
                    flow.line,
                    None,
                    f"the flow id '{flow.id}' is also used by {flows[flow.id].file}",
                    "Give every flow its own id",
                )
            else:
                flows[flow.id] = flow
    _check_commands_unique(flows, {r.flow_id: r for r in readers})
    for reader in readers:
        for line, step, target in reader.calls:
            if target not in flows:
                known = list(flows)
                reader.problem(
                    line,
                    step,
                    f"calls the flow '{target}', which does not exist",
                    f"{did_you_mean(target, known)}Known flows: {', '.join(sorted(known)) or '(none)'}",
                )
        problems.extend(reader.problems)
    named = {reader.flow_id for reader in readers} | set(flows)
    missing = [flow_id for flow_id in required if flow_id not in named]
    if missing:
        problems.append(
            FlowProblem(
                where,
                0,
                None,
                None,
                f"the bot needs the flow{'s' if len(missing) > 1 else ''} "
                f"{' and '.join(repr(i) for i in missing)}, missing here",
                f"Add {' and '.join(f'{i}.yaml' for i in missing)} (start from the "
                "shipped ones in flows/)",
            )
        )
    warnings = sorted((w for r in readers for w in r.warnings), key=_position)
    if problems:
        raise FlowValidationError(sorted(problems, key=_position), warnings)
    return FlowLibrary(flows, default_language, langs, tuple(warnings))


def _check_commands_unique(
    flows: Mapping[str, m.Flow], readers: Mapping[str | None, Reader]
) -> None:
    taken: dict[str, m.Flow] = {}
    for flow in flows.values():
        if flow.command is None:
            continue
        first = taken.setdefault(flow.command, flow)
        if first is not flow:
            reader = readers[flow.id]
            reader.problem(
                reader.command_line,
                None,
                f"the command /{flow.command} is also the command of {first.file}",
                "Give every flow its own command",
            )


def _position(problem: FlowProblem) -> tuple[str, int]:
    return problem.file, problem.line


def _load_file(
    file: Path, reader: Reader, langs: tuple[str, ...], default: str, max_bytes: int
) -> m.Flow | None:
    try:
        raw = read_capped(file, max_bytes, setting="yaml_max_file_size")
        text = raw.decode("utf-8")
        check_structure(text, str(file))
        data = parse(text)
    except OSError as error:
        reader.problem(0, None, f"cannot read the file ({error.strerror})", "Check the path")
        return None
    except YamlLimitError as error:
        reader.problem(error.line, None, error.problem, error.fix)
        return None
    except UnicodeDecodeError:
        reader.problem(1, None, "the file is not UTF-8 text", "Save it as UTF-8")
        return None
    except yaml.YAMLError as error:
        reader.problem(
            *_yaml_error(error),
            "Check the indentation and quotes on this line and the lines just above it",
        )
        return None
    if not isinstance(data, Mapping):
        reader.problem(
            1,
            None,
            "a flow file must be a mapping with id, title, description and steps",
            "Start with `id: <file name>`",
        )
        return None
    flow = _build_flow(file, data, reader, hashlib.sha256(raw).hexdigest()[:16])
    if flow is not None:
        check_flow(flow, reader, langs, default)
    return flow


def _yaml_error(error: yaml.YAMLError) -> tuple[int, None, str]:
    """One line and the message of a YAML error: the line where the parser got stuck (the cause
    is often just above it, which the fix says), never a second line number."""
    problem_mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    what = getattr(error, "problem", None) or str(error).split("\n")[0]
    context = getattr(error, "context", None)
    mark = context_mark or problem_mark  # where the broken construct began
    line = mark.line + 1 if mark else 1
    if context:
        what = f"{what}, {context}"
    return line, None, f"YAML syntax error: {what}"


def _build_flow(file: Path, data: Mapping[str, Any], r: Reader, version: str) -> m.Flow | None:
    flow_id = data.get("id")
    if not isinstance(flow_id, str) or not v.ID_RE.match(flow_id):
        r.problem(
            key_line(data, "id", 1),
            None,
            f"the flow id must be lowercase letters, digits and _, not {flow_id!r}",
            f"Write `id: {file.stem}`",
        )
        flow_id = file.stem  # check the rest of the file under its name, in the same pass
        r.flow_id = flow_id
    else:
        r.flow_id = flow_id
        if flow_id != file.stem:
            r.problem(
                key_line(data, "id", 1),
                None,
                f"the flow id '{flow_id}' differs from the file name '{file.name}'",
                f"Rename the file to {flow_id}.yaml or write `id: {file.stem}`",
            )
    r.check_keys(data, v.FLOW_KEYS, None, "a flow")
    command = read_command(r, data)
    menu = read_menu(r, data)
    r.record_fields = read_record_fields(r, data)  # before the steps, which may write them
    title = r.phrase(data, "title", None) or m.Phrase({})
    description = r.phrase(data, "description", None, required=False) or m.Phrase({})
    steps = _build_steps(data, r)
    if not steps:
        return None
    start = data.get("start", next(iter(steps)))
    if start not in steps:
        r.problem(
            key_line(data, "start", 1),
            None,
            f"the start step '{start}' does not exist",
            f"{did_you_mean(str(start), list(steps))}Use one of: {', '.join(steps)}",
        )
        start = next(iter(steps))
    return m.Flow(
        flow_id,
        title,
        description,
        str(start),
        steps,
        version,
        str(file),
        line_of(data, 1),
        m.answer_labels(steps),
        answers_needed(steps),
        command,
        menu,
        dict(r.record_fields),
    )


def _build_steps(data: Mapping[str, Any], r: Reader) -> dict[str, m.Step]:
    raw = data.get("steps")
    if not isinstance(raw, list) or not raw:
        r.problem(
            key_line(data, "steps", 1),
            None,
            "'steps' must be a non-empty list",
            "Add `steps:` with at least an end step",
        )
        return {}
    ids = [item.get("id") if isinstance(item, Mapping) else None for item in raw]
    steps: dict[str, m.Step] = {}
    r.written_ids = {i for i in ids if isinstance(i, str)}
    for index, item in enumerate(raw):
        line = line_of(item, raw.item_lines[index] if hasattr(raw, "item_lines") else 1)
        following = (
            ids[index + 1] if index + 1 < len(ids) and isinstance(ids[index + 1], str) else None
        )
        step = _build_step(item, line, following, r)
        if step is None:
            r.complete = False
            continue
        if step.id in steps:
            r.problem(
                line,
                step.id,
                f"the step id '{step.id}' is used twice in this flow",
                "Give every step its own id",
            )
            r.complete = False
            continue
        steps[step.id] = step
    return steps


def _build_step(item: Any, line: int, following: str | None, r: Reader) -> m.Step | None:
    if not isinstance(item, Mapping):
        r.problem(
            line,
            None,
            f"a step must be a mapping with id and kind, not {item!r}",
            "Write `- id: hello` and `kind: say` on the next line",
        )
        return None
    sid = item.get("id")
    if not isinstance(sid, str) or not v.ID_RE.match(sid):
        r.problem(
            line,
            None,
            f"a step id must be lowercase letters, digits and _, not {sid!r}",
            "Write for example `id: hello`",
        )
        return None
    kind = item.get("kind")
    if kind not in BUILDERS:
        r.problem(
            key_line(item, "kind", line),
            sid,
            f"unknown step kind {kind!r}",
            f"{did_you_mean(str(kind), v.KINDS)}Use one of: {', '.join(v.KINDS)}",
        )
        return _stand_in(item, sid, line, following, r)
    allowed = tuple(
        k for k in v.COMMON_KEYS + v.STEP_KEYS[kind] if not (kind == "end" and k == "next")
    )
    r.check_keys(item, allowed, sid, f"a {kind} step")
    if "next" in item:
        r.explicit_next.add(sid)
    nxt = r.target(item, "next", sid) if "next" in item else following
    return BUILDERS[kind](r, item, sid, line, nxt)


def _stand_in(
    item: Mapping[str, Any], sid: str, line: int, following: str | None, r: Reader
) -> m.Step:
    """A step of unknown kind stands in as a plain step to its `next` (or an end, if it is the
    last), so the graph checks still run and every other problem is reported in the same pass."""
    r.phrase(item, "text", sid, required=False)  # its text is still checked
    nxt = r.target(item, "next", sid) if "next" in item else following
    if nxt is None:
        return m.EndStep(sid, line, None)
    return m.SayStep(sid, line, nxt, m.Phrase({}))
