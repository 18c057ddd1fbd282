"""A flow's own command, menu line and record fields: validated at load, typed when recorded."""

from __future__ import annotations

from pathlib import Path

import pytest
from dialogue_helpers import SHIPPED, Conversation, write_flows

from bot.dialogue import contracts as c
from bot.dialogue import model as m
from bot.dialogue.declarations import coerce
from bot.dialogue.loader import load_flows
from bot.dialogue.problems import FlowValidationError
from bot.service.menu import ORDER, client_menu, help_text

STEPS = """steps:
  - id: mood
    kind: scale
    text: "Mood?"
  - id: save
    kind: record
    entry: {entry}
    fields: {fields}
  - id: bye
    kind: end
"""


def flow(head: str, entry: str = "log", fields: str = "{distress: answers.mood}") -> str:
    return f'title: "T"\n{head}\n' + STEPS.format(entry=entry, fields=fields)


# (what is written above the steps, record entry, record fields, expected line, words in message)
PROBLEMS = [
    ("command: Gratitude", "log", "{distress: answers.mood}", 3, "is not one Telegram accepts"),
    ("command: sos", "log", "{distress: answers.mood}", 3, "/sos is one of the bot's own"),
    ('command: "a b"', "log", "{distress: answers.mood}", 3, "is not one Telegram accepts"),
    ('menu: "Hi"', "log", "{distress: answers.mood}", 3, "the flow has no `command`"),
    ("record_fields: {mood: colour}", "log", "{mood: answers.mood}", 3, "unknown type 'colour'"),
    (
        "record_fields: {energy: {type: choice}}",
        "log",
        "{distress: answers.mood}",
        3,
        "needs its values",
    ),
    (
        "record_fields: {distress: number}",
        "log",
        "{distress: answers.mood}",
        3,
        "is a built-in record field",
    ),
    ("record_fields: {Mood: number}", "log", "{distress: answers.mood}", 3, "lowercase letters"),
    (
        "record_fields: {m: {type: number, min: 5, max: 1}}",
        "log",
        "{distress: answers.mood}",
        3,
        "min above max",
    ),
    (
        "record_fields: {m: {type: number, top: 5}}",
        "log",
        "{distress: answers.mood}",
        3,
        "unknown key 'top'",
    ),
    ("record_fields: {m: number}", "log", "{mood: answers.mood}", 11, "'mood' is not allowed"),
    ("record_fields: {m: {type: number, max: 10}}", "log", "{m: 11}", 11, "does not fit"),
    ("record_fields: {e: {type: choice, values: [lo, hi]}}", "log", "{e: mid}", 11, "lo, hi"),
    ("", "other_flow", "{distress: answers.mood}", 10, "unknown record entry 'other_flow'"),
]


@pytest.mark.parametrize(("head", "entry", "fields", "line", "words"), PROBLEMS)
def test_each_bad_declaration_is_one_problem_with_its_line(
    tmp_path: Path, head: str, entry: str, fields: str, line: int, words: str
) -> None:
    with pytest.raises(FlowValidationError) as caught:
        write_flows(tmp_path, mine=flow(head, entry, fields))
    problems = caught.value.problems
    assert len(problems) == 1, [str(p) for p in problems]
    assert problems[0].line == line, str(problems[0])
    assert words in str(problems[0])


def test_two_flows_cannot_share_a_command(tmp_path: Path) -> None:
    with pytest.raises(FlowValidationError) as caught:
        write_flows(tmp_path, one=flow("command: calm"), two=flow("command: calm"))
    (problem,) = caught.value.problems
    assert problem.file.endswith("two.yaml")
    assert problem.line == 3
    assert "also the command of" in problem.message
    assert "one.yaml" in problem.message


def test_a_shipped_command_cannot_be_taken_by_a_clinic_flow(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text("id: mine\n" + flow("command: checkin"), "utf-8")
    with pytest.raises(FlowValidationError) as caught:
        load_flows([SHIPPED, tmp_path])
    assert [p.file for p in caught.value.problems] == [str(tmp_path / "mine.yaml")]


def test_declared_fields_are_recorded_typed_and_apart_from_the_built_in_ones(
    tmp_path: Path,
) -> None:
    library = write_flows(
        tmp_path,
        mine=flow(
            "command: mine\nrecord_fields: {mood: {type: number, min: 0, max: 10}}",
            entry="mine",
            fields="{distress: answers.mood, mood: answers.mood}",
        ),
    )
    talk = Conversation(library)
    talk.start("mine")
    talk.tap("7")
    (record,) = talk.of(c.Record)
    assert record == c.Record("mine", {"distress": 7}, {"mood": 7})
    assert library.commands() == {"mine": "mine"}


NUMBER = m.RecordField("mood", "number", min=0, max=10)
CHOICE = m.RecordField("energy", "choice", values=("low", "high"))
TEXT = m.RecordField("words", "text", max_length=5)


@pytest.mark.parametrize(
    ("declared", "value", "stored"),
    [
        (NUMBER, 7, 7),
        (NUMBER, "7", 7),
        (NUMBER, "6,5", 6.5),
        (NUMBER, 0, 0),
        (NUMBER, 10, 10),
        (NUMBER, 11, None),
        (NUMBER, -1, None),
        (NUMBER, "lots", None),
        (NUMBER, True, None),
        (NUMBER, "nan", None),
        (NUMBER, "inf", None),
        (NUMBER, None, None),
        (CHOICE, "low", "low"),
        (CHOICE, "LOW", None),
        (CHOICE, ["low"], None),
        (TEXT, "abcdefgh", "abcde"),
        (TEXT, 42, "42"),
        (TEXT, {"a": 1}, None),
    ],
)
def test_a_value_is_stored_as_its_declared_type_or_not_at_all(
    declared: m.RecordField, value: object, stored: object
) -> None:
    assert coerce(declared, value) == stored


def test_the_shipped_menu_keeps_its_order_and_a_clinic_command_follows_the_shipped_flows(
    tmp_path: Path,
) -> None:
    (tmp_path / "gratitude.yaml").write_text(
        "id: gratitude\n"
        + flow('command: gratitude\nmenu: {en: "Three good things", de: "Drei gute Dinge"}'),
        "utf-8",
    )
    library = load_flows([SHIPPED, tmp_path])
    english = client_menu(library, "en")
    assert [command for command, _ in english] == [
        *ORDER[: ORDER.index("stopping") + 1],
        "gratitude",
        *ORDER[ORDER.index("stopping") + 1 :],
    ]
    assert dict(english)["gratitude"] == "Three good things"
    assert dict(client_menu(library, "de"))["gratitude"] == "Drei gute Dinge"
    assert dict(client_menu(library, "de"))["sos"] == "Sofort Hilfe"
    assert all(1 <= len(d) <= 256 for _, d in english)
    helped = help_text("<b>Help</b>\n/sos – now\n\nI'm not a therapist.", library, "en")
    assert (
        helped == "<b>Help</b>\n/sos – now\n/gratitude – Three good things\n\nI'm not a therapist."
    )
