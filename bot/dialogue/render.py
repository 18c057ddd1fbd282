"""Turn author texts into safe Telegram HTML: pick the language, fill placeholders, escape them."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from bot.dialogue import model as m
from bot.dialogue import vocabulary as v

_OPEN, _CLOSE = "\x00", "\x01"  # stand-ins for the escaped braces {{ and }}


def render(
    phrase: m.Phrase,
    language: str,
    default_language: str,
    answers: Mapping[str, Any],
    context: Mapping[str, Any],
    flow: m.Flow | None = None,
) -> str:
    text = phrase.pick(language, default_language)
    if "{" not in text and "}" not in text:
        return text
    text = text.replace("{{", _OPEN).replace("}}", _CLOSE)

    def fill(match: Any) -> str:
        name = match.group(1)
        raw = _lookup(name, answers, context)
        shown = _show(raw, name, language, default_language, flow)
        return shown if name in v.TRUSTED_PLACEHOLDERS else html.escape(shown, quote=False)

    text = v.PLACEHOLDER_RE.sub(fill, text)
    return text.replace(_OPEN, "{").replace(_CLOSE, "}")


def _lookup(name: str, answers: Mapping[str, Any], context: Mapping[str, Any]) -> Any:
    scope, _, key = name.partition(".")
    if scope == "answers":
        return answers.get(key)
    if scope == "triage":
        triage = answers.get("triage")
        return triage.get(key) if isinstance(triage, Mapping) else None
    values = context.get(scope)
    return values.get(key) if isinstance(values, Mapping) else None


def _show(raw: Any, name: str, language: str, default: str, flow: m.Flow | None) -> str:
    if raw is None:
        return ""
    labels: Mapping[str, m.Phrase] = {}
    if flow is not None and name.startswith("answers."):
        labels = flow.answer_labels.get(name[8:], {})
    if isinstance(raw, list | tuple):
        return ", ".join(_one(item, labels, language, default) for item in raw)
    return _one(raw, labels, language, default)


def _one(item: Any, labels: Mapping[str, m.Phrase], language: str, default: str) -> str:
    if isinstance(item, bool):
        return "yes" if item else "no"
    if isinstance(item, float) and item.is_integer():
        item = int(item)
    label = labels.get(str(item))
    return label.pick(language, default) if label else str(item)


def plain(phrase: m.Phrase | None, language: str, default_language: str) -> str:
    """A label without placeholders (buttons): picked language only."""
    return phrase.pick(language, default_language) if phrase else ""
