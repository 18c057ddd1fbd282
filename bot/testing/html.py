"""Telegram's HTML parse mode, checked as strictly as the real Bot API checks it.

`parse_html` turns a message written with `parse_mode=HTML` into the plain text Telegram would show
plus its entities, or raises `ApiError` with Telegram's own wording ("can't parse entities: ...").
Only Telegram's tags are allowed, they must nest properly, and only four named entities exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.testing.errors import ApiError

# Telegram's tag names, mapped to the entity type they create.
_TAGS: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^<>]*?)?)\s*(/?)>")
_ATTR = re.compile(r"""([a-zA-Z][a-zA-Z0-9_-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")


@dataclass
class _Open:
    name: str
    entity: str
    start: int  # UTF-16 offset in the plain text
    attrs: dict[str, str] = field(default_factory=dict)


def _bad(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: can't parse entities: {reason}")


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def _decode_entity(match: re.Match[str], byte_offset: int) -> str:
    body = match.group(1)
    if body.startswith(("#x", "#X")):
        code = int(body[2:], 16)
    elif body.startswith("#"):
        code = int(body[1:])
    elif body in _NAMED_ENTITIES:
        return _NAMED_ENTITIES[body]
    else:
        raise _bad(f'Unsupported HTML entity "&{body};" at byte offset {byte_offset}')
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise _bad(f"Invalid character reference &{body}; at byte offset {byte_offset}")
    return chr(code)


def _attributes(raw: str, name: str, byte_offset: int) -> dict[str, str]:
    attrs: dict[str, str] = {}
    rest = raw.strip()
    for m in _ATTR.finditer(rest):
        attrs[m.group(1).lower()] = next(g for g in m.groups()[1:] if g is not None)
    leftover = _ATTR.sub("", rest).strip()
    if leftover:
        raise _bad(f'Unexpected attribute text "{leftover}" in tag "{name}" at byte {byte_offset}')
    return attrs


def _check_open(name: str, attrs: dict[str, str], byte_offset: int) -> None:
    if name == "a" and not attrs.get("href"):
        raise _bad(f'Tag "a" must have an href attribute at byte offset {byte_offset}')
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise _bad(f'Tag "span" must have class "tg-spoiler" at byte offset {byte_offset}')


def _entity_for(opened: _Open, end: int) -> dict[str, Any] | None:
    if end <= opened.start:
        return None  # Telegram drops empty entities
    entity: dict[str, Any] = {"type": opened.entity, "offset": opened.start}
    entity["length"] = end - opened.start
    if opened.entity == "text_link":
        entity["url"] = opened.attrs["href"]
    return entity


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Return (plain text, entities) for an HTML-formatted message, or raise `ApiError` 400."""
    out: list[str] = []
    out_len = 0  # UTF-16 units written so far
    stack: list[_Open] = []
    entities: list[dict[str, Any]] = []
    pos = 0
    while pos < len(source):
        char = source[pos]
        # Telegram reports positions in bytes of the UTF-8 source; only errors need it.
        byte_offset = len(source[:pos].encode()) if char in "<&" else -1
        if char == "<":
            tag = _TAG.match(source, pos)
            if tag is None:
                raise _bad(f'Unsupported start tag "" at byte offset {byte_offset}')
            closing, name, raw_attrs = tag.group(1) == "/", tag.group(2).lower(), tag.group(3)
            if name not in _TAGS:
                kind = "end" if closing else "start"
                raise _bad(f'Unsupported {kind} tag "{name}" at byte offset {byte_offset}')
            if closing:
                if not stack or stack[-1].name != name:
                    expected = f'"</{stack[-1].name}>"' if stack else "no end tag"
                    raise _bad(
                        f"Unmatched end tag at byte offset {byte_offset}, "
                        f'expected {expected}, found "</{name}>"'
                    )
                entity = _entity_for(stack.pop(), out_len)
                if entity is not None:
                    entities.append(entity)
            else:
                attrs = _attributes(raw_attrs, name, byte_offset)
                _check_open(name, attrs, byte_offset)
                stack.append(_Open(name, _TAGS[name], out_len, attrs))
            pos = tag.end()
            continue
        if char == "&":
            entity_match = _ENTITY.match(source, pos)
            if entity_match is not None:
                text = _decode_entity(entity_match, byte_offset)
                out.append(text)
                out_len += utf16_len(text)
                pos = entity_match.end()
                continue
        out.append(char)
        out_len += utf16_len(char)
        pos += 1
    if stack:
        raise _bad(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities
