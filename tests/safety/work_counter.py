"""Count the work `screen_text` does, instead of timing it: timings on a shared machine are noise.

Two counts, both deterministic for a given text:
- function calls (Python and C) seen by `sys.setprofile`: a loop that rescans the text per
  word or per match grows them faster than the text;
- regex positions tried by every rule, idiom and context expression: a search from `pos` that
  finds a match at `m.end()` tried about `m.end() - pos` positions, one that finds nothing tried
  `endpos - pos`. A rule re-searched from every match start over the whole rest of the text would
  grow this quadratically. (Each compiled phrase has only bounded repetition, `patterns.py`, so
  the engine's work per position is bounded.)
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType
from typing import Any

from bot.safety import context, idioms, screening


@dataclass
class Work:
    calls: int = 0
    positions: int = 0


class CountingPattern:
    """A compiled pattern that adds the positions each call tries to `work`."""

    def __init__(self, real: re.Pattern[str], work: Work) -> None:
        self.real = real
        self.work = work
        self.pattern = real.pattern

    def _span(self, string: str, pos: int, endpos: int | None) -> tuple[int, int]:
        return pos, len(string) if endpos is None else min(endpos, len(string))

    def search(self, string: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        start, end = self._span(string, pos, endpos)
        found = self.real.search(string, start, end)
        self.work.positions += (found.end() if found else end) - start + 1
        return found

    def match(self, string: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        start, end = self._span(string, pos, endpos)
        found = self.real.match(string, start, end)
        self.work.positions += (found.end() - start if found else 0) + 1
        return found

    def finditer(
        self, string: str, pos: int = 0, endpos: int | None = None
    ) -> Iterator[re.Match[str]]:
        start, end = self._span(string, pos, endpos)
        self.work.positions += end - start + 1
        return self.real.finditer(string, start, end)

    def findall(self, string: str, pos: int = 0, endpos: int | None = None) -> list[Any]:
        start, end = self._span(string, pos, endpos)
        self.work.positions += end - start + 1
        return self.real.findall(string, start, end)

    def split(self, string: str, maxsplit: int = 0) -> list[str | Any]:
        self.work.positions += len(string) + 1
        return self.real.split(string, maxsplit)

    def sub(self, repl: Any, string: str, count: int = 0) -> str:
        self.work.positions += len(string) + 1
        return self.real.sub(repl, string, count)


@contextmanager
def counting(work: Work) -> Iterator[None]:
    """Within the block, every rule, idiom and context expression counts into `work`."""
    swapped: list[tuple[Any, str, Any]] = []

    def swap(owner: Any, name: str) -> None:
        swapped.append((owner, name, getattr(owner, name)))
        object.__setattr__(owner, name, CountingPattern(getattr(owner, name), work))

    for p in screening._PREPARED:
        swap(p.rule, "regex")
    for name, value in list(vars(context).items()):
        if isinstance(value, re.Pattern):
            swap(context, name)
    original_idioms = idioms._COMPILED
    idioms._COMPILED = tuple((CountingPattern(r, work), t) for r, t in original_idioms)  # type: ignore[misc]
    try:
        yield
    finally:
        idioms._COMPILED = original_idioms
        for owner, name, value in reversed(swapped):
            object.__setattr__(owner, name, value)


def work_of(call: Callable[[], object]) -> Work:
    """The calls and regex positions `call()` costs."""
    work = Work()

    def profile(frame: FrameType, event: str, arg: object) -> None:
        if event in ("call", "c_call"):
            work.calls += 1

    with counting(work):
        sys.setprofile(profile)
        try:
            call()
        finally:
            sys.setprofile(None)
    return work
