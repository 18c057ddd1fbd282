"""Reading YAML that may be hostile: a size cap checked before reading, and bounded aliases.

Every YAML file checkin reads (the configuration, flows, triage scenarios) goes through here
first, so one rule protects all three:

- the file's size is checked with `stat` before a byte is read, and the read itself stops one
  byte past the cap (a file that grows meanwhile, or a device, cannot slip through);
- aliases (`*name`) may repeat at most `MAX_ALIAS_NODES` values in total, counted with nested
  aliases expanded: a 500-byte "billion laughs" alias bomb would otherwise expand to billions of
  values when the loaders build Python objects or walk the node tree for line numbers;
- an alias that refers to the value it sits in (a recursive structure) is refused;
- nesting deeper than `MAX_DEPTH` is refused (the pure-Python loaders recurse once per level).

The check walks the parser's event stream once, without building anything, so it takes time in
proportion to the file, whatever the file claims to expand to. Syntax errors are left to the
caller's own parser, which reports them with its usual line and hint.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.errors import CheckinError

DEFAULT_MAX_BYTES = 1024 * 1024  # 1 MiB: far above any real config, flow or scenario
MAX_ALIAS_NODES = 10_000  # values that aliases may repeat in one document, in total
MAX_DEPTH = 100  # nested mappings and lists

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPEN = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSE = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


class YamlLimitError(CheckinError, ValueError):
    """A YAML file is too large, nests too deeply or its aliases expand too far."""

    def __init__(self, source: str, line: int, problem: str, fix: str) -> None:
        self.source = source
        self.line = line
        self.problem = problem
        self.fix = fix
        super().__init__(f"{source}:{line}: {problem}. {fix}")

    def describe(self) -> str:
        """The problem and its fix without the file name (for callers that add it themselves)."""
        return f"line {self.line}: {self.problem}. {self.fix}"


def read_capped(path: Path, max_bytes: int = DEFAULT_MAX_BYTES, setting: str = "") -> bytes:
    """The file's bytes, or YamlLimitError when it is larger than `max_bytes` (checked first).

    `setting` names the configuration key that raises the cap, for the fix in the message.
    OSError (missing, unreadable) is the caller's to report.
    """
    size = path.stat().st_size
    if size <= max_bytes:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
        size = len(data)
        if size <= max_bytes:
            return data
    measured = f" ({_size(size)})" if size > max_bytes + 1 else ""
    raise YamlLimitError(
        str(path),
        1,
        f"the file is larger than the limit of {_size(max_bytes)} for YAML files{measured}, "
        "so it was not read",
        "Check that this is the right file"
        + (f", or raise `{setting}` in the configuration" if setting else ""),
    )


def check_structure(text: str, source: str) -> None:
    """Refuse alias bombs, recursive aliases and deep nesting before the text is loaded."""
    finished: dict[str, int] = {}  # anchor -> how many values it stands for, aliases expanded
    stack: list[tuple[str | None, int]] = []  # open collections: (anchor, values so far)
    repeated = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            line = event.start_mark.line + 1 if event.start_mark else 1
            if isinstance(event, _OPEN):
                if len(stack) >= MAX_DEPTH:
                    raise YamlLimitError(
                        source,
                        line,
                        f"lists and mappings are nested more than {MAX_DEPTH} deep",
                        "Flatten the structure",
                    )
                stack.append((event.anchor, 1))
                continue
            if isinstance(event, _CLOSE):
                anchor, size = stack.pop()
                if anchor is not None:
                    finished[anchor] = size
            elif isinstance(event, yaml.ScalarEvent):
                size = 1
                if event.anchor is not None:
                    finished[event.anchor] = size
            elif isinstance(event, yaml.AliasEvent):
                size = _alias_size(event, finished, stack, source, line)
                repeated += size
                if repeated > MAX_ALIAS_NODES:
                    raise YamlLimitError(
                        source,
                        line,
                        f"aliases (*{event.anchor}) would repeat more than {MAX_ALIAS_NODES:,} "
                        "values (an alias bomb?), so the file was not loaded",
                        "Write the values out instead of nesting anchors and aliases",
                    )
            else:
                continue
            if stack:
                anchor, total = stack[-1]
                stack[-1] = (anchor, total + size)
    except yaml.YAMLError:
        return  # the caller's parser reports the syntax error with its own line and hint


def _alias_size(
    event: yaml.AliasEvent,
    finished: dict[str, int],
    stack: list[tuple[str | None, int]],
    source: str,
    line: int,
) -> int:
    if any(anchor == event.anchor for anchor, _ in stack):
        raise YamlLimitError(
            source,
            line,
            f"the alias *{event.anchor} refers to the value it is part of (a loop)",
            "Remove the alias or point it at a value outside this one",
        )
    return finished.get(str(event.anchor), 1)  # an undefined alias is a syntax error later


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MiB"
    if n >= 1024:
        return f"{n / 1024:.1f} KiB"
    return f"{n} bytes"
