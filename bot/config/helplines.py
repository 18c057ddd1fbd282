"""The crisis lines shipped with checkin (`crisis_lines.yaml` beside this module), checked at load.

A malformed table fails at start-up with file, line and the fix, like a malformed config.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from bot.config.loader import describe_error, read_yaml
from bot.config.models import COUNTRY_CODE, CrisisRegionConfig
from bot.errors import ConfigError

SHIPPED = "crisis_lines.yaml"
_TABLE = TypeAdapter(dict[str, CrisisRegionConfig])


def shipped_path() -> Path:
    return Path(str(resources.files("bot.config").joinpath(SHIPPED)))


@cache
def shipped_regions() -> dict[str, CrisisRegionConfig]:
    """The shipped table (read once)."""
    return load_regions(shipped_path())


def load_regions(path: Path) -> dict[str, CrisisRegionConfig]:
    """Read and check a table of crisis lines; raise ConfigError naming file, line and fix."""
    data, lines = read_yaml(path)
    problems = [_bad_code(path, code, lines) for code in data if not _is_code(code)]
    try:
        table = _TABLE.validate_python(data)
    except ValidationError as exc:
        problems += [describe_error(err, str(path), lines) for err in exc.errors()]
        table = {}
    if problems:
        raise ConfigError(str(path), problems)
    return table


def _is_code(code: object) -> bool:
    return isinstance(code, str) and re.match(COUNTRY_CODE, code) is not None


def _bad_code(path: Path, code: object, lines: dict[tuple[str, ...], int]) -> str:
    line = lines.get(("NO" if code is False else str(code),), "?")
    hint = ' (YAML reads a bare NO as false: write "NO" in quotes)' if code is False else ""
    return f"{path}:{line}: {code!r} is not a two-letter country code like DE{hint}"
