"""Conditions are data: each form, over answers, client context and triage results."""

from __future__ import annotations

from typing import Any

import pytest

from bot.dialogue import model as m
from bot.dialogue.conditions import holds, value_of
from bot.dialogue.render import render
from bot.dialogue.timezones import find_zone

ANSWERS: dict[str, Any] = {
    "distress": 7,
    "mode": "a",
    "feelings": ["sad", "numb"],
    "note": "",
    "triage": {"contact": True, "crisis": False, "reasons": ["persisting"]},
}
CONTEXT: dict[str, Any] = {
    "client": {"language": "de", "consent_alerts": True},
    "clinic": {"languages": ["en"]},
}


def ref(text: str) -> m.Ref:
    scope, _, name = text.partition(".")
    return m.Ref(scope, name)


def cmp(op: str, target: str, operand: Any = None) -> m.Compare:
    return m.Compare(op, ref(target), operand)


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (cmp("equals", "answers.mode", "a"), True),
        (cmp("equals", "answers.mode", "b"), False),
        (cmp("equals", "answers.distress", 7.0), True),
        (cmp("equals", "answers.distress", "7"), True),
        (cmp("equals", "client.consent_alerts", True), True),
        (cmp("equals", "client.consent_alerts", "True"), False),
        (cmp("in", "answers.mode", ["a", "c"]), True),
        (cmp("in", "answers.missing", ["a"]), False),
        (cmp("contains", "answers.feelings", "numb"), True),
        (cmp("contains", "answers.mode", "a"), False),
        (cmp("contains", "triage.reasons", "persisting"), True),
        (cmp("at_least", "answers.distress", 7), True),
        (cmp("at_least", "answers.distress", 8), False),
        (cmp("at_most", "answers.distress", 7), True),
        (cmp("at_least", "answers.mode", 1), False),
        (cmp("at_least", "answers.missing", 0), False),
        (cmp("is_set", "answers.distress"), True),
        (cmp("is_set", "answers.note"), False),
        (cmp("is_set", "answers.missing"), False),
        (cmp("equals", "triage.contact", True), True),
        (cmp("equals", "client.language", "de"), True),
        (
            m.Combine(
                "all", (cmp("equals", "answers.mode", "a"), cmp("at_least", "answers.distress", 5))
            ),
            True,
        ),
        (
            m.Combine(
                "all", (cmp("equals", "answers.mode", "a"), cmp("at_least", "answers.distress", 9))
            ),
            False,
        ),
        (
            m.Combine(
                "any", (cmp("equals", "answers.mode", "z"), cmp("at_least", "answers.distress", 5))
            ),
            True,
        ),
        (m.Combine("not", (cmp("in", "answers.mode", ["a", "b"]),)), False),
    ],
)
def test_condition_forms(condition: m.Condition, expected: bool) -> None:
    """Each form gives the expected truth; missing or mistyped values are false, never errors."""
    assert holds(condition, ANSWERS, CONTEXT) is expected


def test_values_are_literals_references_or_conditions() -> None:
    """value_of resolves a literal, a reference and a condition."""
    assert value_of(m.Literal(3), ANSWERS, CONTEXT) == 3
    assert value_of(ref("answers.feelings"), ANSWERS, CONTEXT) == ["sad", "numb"]
    assert value_of(ref("clinic.languages"), ANSWERS, CONTEXT) == ["en"]
    assert value_of(cmp("at_least", "answers.distress", 7), ANSWERS, CONTEXT) is True


def test_placeholders_show_lists_labels_and_escaped_values() -> None:
    """Lists are joined, option values become labels, and {{ }} are literal braces."""
    flow = m.Flow(
        "f",
        m.Phrase({}),
        m.Phrase({}),
        "s",
        {},
        "v",
        answer_labels={"feelings": {"sad": m.Phrase({"en": "Sad", "de": "Traurig"})}},
    )
    phrase = m.Phrase({"en": "{answers.feelings} {{x}} {triage.reasons} {answers.note}<b>!</b>"})
    text = render(phrase, "de", "en", {**ANSWERS, "note": "a<b"}, CONTEXT, flow)
    assert text == "Traurig, numb {x} persisting a&lt;b<b>!</b>"


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Berlin", "Europe/Berlin"),
        ("  new   york ", "America/New_York"),
        ("europe/paris", "Europe/Paris"),
        ("UTC", "UTC"),
        # Any city above 15,000 people, in its other spellings, without accents, with a slip.
        ("Manchester", "Europe/London"),
        ("München", "Europe/Berlin"),
        ("muenchen", "Europe/Berlin"),
        ("Köln", "Europe/Berlin"),
        ("Cologne", "Europe/Berlin"),
        ("Zurich", "Europe/Zurich"),
        ("Graz", "Europe/Vienna"),
        ("Leeds", "Europe/London"),
        ("Manchestr", "Europe/London"),
        ("Brisbane", "Australia/Brisbane"),
        ("Perth", "Australia/Perth"),
        ("Vancouver", "America/Vancouver"),
        ("Bengaluru", "Asia/Kolkata"),
        ("Nowhereville", None),
        ("asdfghjkl", None),
        ("", None),
        ("x" * 100, None),
    ],
)
def test_timezone_from_a_city_or_zone_name(typed: str, zone: str | None) -> None:
    """Cities and IANA names become zones; unknown places give None."""
    assert find_zone(typed) == zone
