"""The check every family table of screening rules shares: the crisis message is a crisis of its
category for the rules alone, and its everyday twin is no crisis, for the rules alone and combined
with the learned layer (so a retrained model can neither hide a broken rule nor raise the twin)."""

from __future__ import annotations

from bot.safety import screen_text


def assert_family(family: str, text: str, category: str, twin: str) -> None:
    result = screen_text(text, learned=False)
    assert result.level == "crisis", family
    assert result.category == category, family
    assert screen_text(twin, learned=False).level != "crisis", family
    assert screen_text(twin).level != "crisis", family
