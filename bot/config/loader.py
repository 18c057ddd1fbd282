"""Load the configuration: YAML file (or built-in defaults) plus secrets from the environment.

Every problem is reported at once, each naming the key path, the file line, the bad value and
what is valid. A YAML syntax error names the file and line.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import SecretStr, ValidationError

from bot.config.models import Config
from bot.config.phrasing import human_message
from bot.config.token import read_bot_token
from bot.errors import ConfigError
from bot.yamlguard import DEFAULT_MAX_BYTES, YamlLimitError, check_structure, read_capped

ENV_CONFIG_PATH = "CHECKIN_CONFIG"
ENV_WEBHOOK_PORT = "TELEGRAM_WEBHOOK_PORT"  # overrides telegram.port (one config, many replicas)

# The flows that ship with checkin, beside the `bot` package in a checkout or editable install.
SHIPPED_FLOWS_DIR = Path(__file__).resolve().parents[2] / "flows"


def resolve_config_path(path: str | Path | None, environ: Mapping[str, str]) -> Path | None:
    """`--config`, then `$CHECKIN_CONFIG`, then `./config.yaml`; None means built-in defaults."""
    if path:
        return Path(path)
    if environ.get(ENV_CONFIG_PATH):
        return Path(environ[ENV_CONFIG_PATH])
    local = Path("config.yaml")
    return local if local.exists() else None


def load_config(path: str | Path | None = None, environ: Mapping[str, str] | None = None) -> Config:
    """Load and validate the configuration; raise ConfigError listing every problem."""
    env = os.environ if environ is None else environ
    source = resolve_config_path(path, env)
    data: dict[str, Any] = {}
    lines: dict[tuple[str, ...], int] = {}
    if source is not None:
        data, lines = read_yaml(source)
    name = str(source) if source else "built-in defaults"
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(
            name, [describe_error(err, name, lines) for err in exc.errors()]
        ) from None
    if source is not None and not config.flows_dir.is_absolute():
        # A relative flows directory is relative to the config file, so the file works from anywhere.
        candidate = source.parent / config.flows_dir
        if candidate.exists():
            config = config.model_copy(update={"flows_dir": candidate})
    elif source is None and not config.flows_dir.exists() and SHIPPED_FLOWS_DIR.is_dir():
        # Built-in defaults mean the shipped flows, wherever `checkin` is started (e.g. the demo
        # run from another folder); a `flows/` folder in the current directory still wins.
        config = config.model_copy(update={"flows_dir": SHIPPED_FLOWS_DIR})
    return _apply_environment(config, env)


def _apply_environment(config: Config, env: Mapping[str, str]) -> Config:
    update: dict[str, Any] = {}
    if env.get("DATABASE_URL"):
        update["database_url"] = env["DATABASE_URL"]
    if env.get("TELEGRAM_BOT_TOKEN"):
        update["bot_token"] = SecretStr(read_bot_token(env["TELEGRAM_BOT_TOKEN"]))
    if env.get("TELEGRAM_WEBHOOK_SECRET"):
        update["webhook_secret"] = SecretStr(env["TELEGRAM_WEBHOOK_SECRET"])
    telegram: dict[str, Any] = {}
    if env.get("TELEGRAM_API_BASE_URL"):
        telegram["api_base_url"] = env["TELEGRAM_API_BASE_URL"]
    if env.get(ENV_WEBHOOK_PORT):
        # Replicas on one machine share config.yaml and differ only in the port they listen on.
        telegram["port"] = _port(env[ENV_WEBHOOK_PORT])
    if telegram:
        update["telegram"] = config.telegram.model_copy(update=telegram)
    return config.model_copy(update=update) if update else config


def _port(value: str) -> int:
    try:
        port = int(value.strip())
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise ConfigError(
            f"the environment variable {ENV_WEBHOOK_PORT}",
            [
                f"{value!r} is not a port: set a number from 1 to 65535, or unset it for telegram.port"
            ],
        )
    return port


def read_yaml(source: Path) -> tuple[dict[str, Any], dict[tuple[str, ...], int]]:
    # The configuration file itself is always held to the default cap: the configured
    # `yaml_max_file_size` is not known before the file is read (and applies to flows, scenarios).
    try:
        text = read_capped(source, DEFAULT_MAX_BYTES).decode("utf-8")
        check_structure(text, str(source))
    except OSError as exc:
        raise ConfigError(str(source), [f"cannot read the file: {exc.strerror}"]) from None
    except UnicodeDecodeError:
        raise ConfigError(str(source), ["the file is not UTF-8 text; save it as UTF-8"]) from None
    except YamlLimitError as exc:
        raise ConfigError(str(source), [exc.describe()]) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown line"
        # YAML notices a missing quote or bracket only where the file stops making sense, often
        # lines later; where the unfinished piece began is the place to look.
        began = exc.context_mark
        start = (
            f" ({exc.context} that began at line {began.line + 1}, column {began.column + 1})"
            if began is not None and exc.context and began.line != (mark.line if mark else -1)
            else ""
        )
        raise ConfigError(
            str(source),
            [f"YAML syntax error at {where}{start}: {exc.problem}. Check indentation and quotes."],
        ) from None
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise ConfigError(
            str(source), ["the file must be a mapping of keys (clinic:, telegram:, ...)"]
        )
    lines: dict[tuple[str, ...], int] = {}
    if node is not None:
        _index_lines(node, (), lines)
    return data, lines


def _index_lines(node: yaml.Node, path: tuple[str, ...], out: dict[tuple[str, ...], int]) -> None:
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = (*path, str(key.value))
            out[sub] = key.start_mark.line + 1
            _index_lines(value, sub, out)
            out[sub] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_lines(item, (*path, str(index)), out)


def describe_error(err: Mapping[str, Any], source: str, lines: dict[tuple[str, ...], int]) -> str:
    loc = tuple(str(p) for p in err["loc"])
    key = ".".join(loc) or "(top level)"
    line = _nearest_line(loc, lines)
    where = f"{source}:{line}: " if line else ""
    message = human_message(err)
    kind = err["type"]
    if kind == "extra_forbidden":
        known = _known_keys(loc[:-1])
        close = difflib.get_close_matches(loc[-1], known, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else f" Valid keys here: {', '.join(known)}."
        return f"{where}{key}: unknown key.{hint}"
    if kind == "missing":
        return f"{where}{key}: required key is missing."
    value = err.get("input")
    shown = ""
    if not isinstance(value, dict | list) and repr(value) not in message:
        shown = f" (got {value!r})"
    return f"{where}{key}: {message}{shown}"


def _known_keys(parent: tuple[str, ...]) -> list[str]:
    """The valid keys of the model at a key path (for 'did you mean' hints)."""
    model: Any = Config
    for part in parent:
        field = model.model_fields.get(part) if hasattr(model, "model_fields") else None
        if field is None or not hasattr(field.annotation, "model_fields"):
            return []
        model = field.annotation
    return sorted(k for k, f in model.model_fields.items() if not f.exclude)


def _nearest_line(loc: tuple[str, ...], lines: dict[tuple[str, ...], int]) -> int | None:
    for end in range(len(loc), 0, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None
