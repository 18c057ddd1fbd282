"""Build a `score` step: which answers to sum, the bands, the item flags, the change rules.

What needs the whole flow (are the items numeric questions of this flow? do the bands fit the
range of totals?) is checked in `score_check.py` once every step is built.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.dialogue import model as m
from bot.dialogue import vocabulary as v
from bot.dialogue.parse import Reader, RefSite
from bot.dialogue.yamlsrc import key_line, line_of


def build_score(r: Reader, d: Mapping[str, Any], sid: str, line: int, nxt: str | None) -> m.Step:
    measure = d.get("measure", r.flow_id or sid)
    if not isinstance(measure, str) or not v.ID_RE.match(measure):
        r.problem(
            key_line(d, "measure", line),
            sid,
            f"'measure' must be an id like phq9, not {measure!r}",
            "Write `measure: phq9` (lowercase letters, digits and _)",
        )
        measure = sid
    save_as = d.get("save_as", "score")
    if not isinstance(save_as, str) or not v.ID_RE.match(save_as) or save_as == "triage":
        r.problem(
            key_line(d, "save_as", line),
            sid,
            f"'save_as' must be an answer key, not {save_as!r}",
            "Use lowercase letters, digits and _ (default: score)",
        )
        save_as = "score"
    items = _keys(r, d, "items", sid, line, required=True)
    extra = _keys(r, d, "extra", sid, line, required=False)
    for key in set(items) & set(extra):
        r.problem(
            key_line(d, "extra", line),
            sid,
            f"the answer '{key}' is both summed (items) and kept aside (extra)",
            "List it in one of them only",
        )
    return m.ScoreStep(
        sid,
        line,
        nxt,
        measure,
        save_as,
        items,
        _bands(r, d, sid, line),
        _flags(r, d, sid, line),
        extra,
        _optional_number(r, d, "reliable_change", sid, line, positive=True),
        _optional_number(r, d, "cutoff", sid, line, positive=False),
    )


def _keys(
    r: Reader, d: Mapping[str, Any], key: str, sid: str, line: int, *, required: bool
) -> tuple[str, ...]:
    raw = d.get(key)
    where = key_line(d, key, line)
    if raw is None and not required:
        return ()
    if not isinstance(raw, list) or not raw or not all(isinstance(k, str) for k in raw):
        r.problem(
            where,
            sid,
            f"'{key}' must be a non-empty list of answer keys, not {raw!r}",
            f"Write `{key}: [q1, q2, q3]` with the save_as (or id) of each question",
        )
        return ()
    keys: list[str] = []
    for name in raw:
        if not v.ID_RE.match(name):
            r.problem(where, sid, f"'{name}' in '{key}' is not an answer key", "Use a step id")
            continue
        if name in keys:
            r.problem(where, sid, f"the answer '{name}' is listed twice in '{key}'", "Keep one")
            continue
        keys.append(name)
        # Registered as references: 'names no answer' and 'used before saved' checks apply.
        r.refs.append(RefSite(where, sid, m.Ref("answers", name)))
    return tuple(keys)


def _bands(r: Reader, d: Mapping[str, Any], sid: str, line: int) -> tuple[m.Band, ...]:
    raw = d.get("bands")
    where = key_line(d, "bands", line)
    if not isinstance(raw, list) or not raw:
        r.problem(
            where,
            sid,
            "'bands' must be a non-empty list of {from, name}",
            "Write `bands: [{from: 0, name: minimal}, {from: 5, name: mild}]`",
        )
        return ()
    bands: list[m.Band] = []
    lines = getattr(raw, "item_lines", [where] * len(raw))
    for item, item_line in zip(raw, lines, strict=True):
        if not isinstance(item, Mapping):
            r.problem(item_line, sid, f"a band must be {{from, name}}, not {item!r}", "")
            continue
        r.check_keys(item, v.BAND_KEYS, sid, "a band")
        start, name = item.get("from"), item.get("name")
        if isinstance(start, bool) or not isinstance(start, int):
            r.problem(
                item_line,
                sid,
                f"a band's 'from' must be a whole number (its lowest total), not {start!r}",
                "Write for example `from: 5`",
            )
            continue
        if not isinstance(name, str) or not v.ID_RE.match(name):
            r.problem(
                item_line,
                sid,
                f"a band's 'name' must be an id like moderately_severe, not {name!r}",
                "Use lowercase letters, digits and _",
            )
            continue
        if bands and start <= bands[-1].start:
            r.problem(
                item_line,
                sid,
                f"the band '{name}' starts at {start}, not above the band before it "
                f"('{bands[-1].name}' from {bands[-1].start})",
                "List the bands from the lowest total up, each starting higher",
            )
            continue
        if any(b.name == name for b in bands):
            r.problem(item_line, sid, f"the band name '{name}' is used twice", "Rename one")
            continue
        bands.append(m.Band(start, name, item_line))
    return tuple(bands)


def _flags(r: Reader, d: Mapping[str, Any], sid: str, line: int) -> tuple[m.ItemFlag, ...]:
    raw = d.get("flags")
    if raw is None:
        return ()
    where = key_line(d, "flags", line)
    if not isinstance(raw, list):
        r.problem(
            where,
            sid,
            "'flags' must be a list of {name, when}",
            "Write `flags: [{name: item9, when: {at_least: [answers.q9, 1]}}]`",
        )
        return ()
    flags: list[m.ItemFlag] = []
    lines = getattr(raw, "item_lines", [where] * len(raw))
    for item, item_line in zip(raw, lines, strict=True):
        if not isinstance(item, Mapping):
            r.problem(item_line, sid, f"a flag must be {{name, when}}, not {item!r}", "")
            continue
        r.check_keys(item, v.FLAG_KEYS, sid, "a flag")
        name = item.get("name")
        if not isinstance(name, str) or not v.ID_RE.match(name):
            r.problem(
                item_line,
                sid,
                f"a flag's 'name' must be an id like item9, not {name!r}",
                "Use lowercase letters, digits and _",
            )
            continue
        when = r.condition(item.get("when"), key_line(item, "when", line_of(item, item_line)), sid)
        if when is not None:
            flags.append(m.ItemFlag(name, when, item_line))
    return tuple(flags)


def _optional_number(
    r: Reader, d: Mapping[str, Any], key: str, sid: str, line: int, *, positive: bool
) -> float | None:
    if key not in d:
        return None
    value = d[key]
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or (positive and value <= 0)
        or value < 0
    ):
        r.problem(
            key_line(d, key, line),
            sid,
            f"'{key}' must be a {'positive' if positive else 'non-negative'} number, not {value!r}",
            f"Write for example `{key}: {6 if key == 'reliable_change' else 10}`",
        )
        return None
    return float(value)
