"""YAML with line numbers: mappings and lists remember where they (and their keys) were written.

Flow problems must name the line, so we build Python values ourselves from the composed node tree
(libyaml's C composer when available, it is much faster). Duplicate keys are collected, not lost.
"""

from __future__ import annotations

from typing import Any

import yaml

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineDict(dict[str, Any]):
    """A mapping from YAML with `line` (1-based) and `key_lines` for each key."""

    line: int
    key_lines: dict[str, int]
    duplicates: list[tuple[str, int]]


class LineList(list[Any]):
    """A list from YAML with `line` and `item_lines`."""

    line: int
    item_lines: list[int]


def parse(text: str) -> Any:
    """Parse one YAML document into plain values, LineDict and LineList. Raises yaml.YAMLError."""
    node = yaml.compose(text, Loader=_Loader)
    if node is None:
        return None
    return _build(node)


def _build(node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return _mapping(node)
    if isinstance(node, yaml.SequenceNode):
        items = LineList(_build(child) for child in node.value)
        items.line = node.start_mark.line + 1
        items.item_lines = [child.start_mark.line + 1 for child in node.value]
        return items
    return _scalar(node)


def _mapping(node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    result.duplicates = []
    for key_node, value_node in node.value:
        key = _scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else repr(key_node.value)
        key = str(key)
        line = key_node.start_mark.line + 1
        if key in result:
            result.duplicates.append((key, line))
        result[key] = _build(value_node)
        result.key_lines[key] = line
    return result


_SCALAR_LOADER = yaml.SafeLoader("")


def _scalar(node: yaml.Node) -> Any:
    # Reuse the safe constructor so ints, floats, bools and nulls resolve exactly like safe_load.
    return _SCALAR_LOADER.construct_object(node, deep=True)


def line_of(value: Any, default: int) -> int:
    """The line a mapping or list started on, or `default` for scalars."""
    return int(getattr(value, "line", default))


def key_line(mapping: Any, key: str, default: int) -> int:
    """The line of `key` inside a LineDict, or `default`."""
    lines = getattr(mapping, "key_lines", None)
    if lines and key in lines:
        return int(lines[key])
    return default
