"""References to one field of a structured answer (answers.stay.seconds), and bad dotted refs."""

from __future__ import annotations

import pytest
from dialogue_helpers import write_flows

from bot.dialogue import model as m
from bot.dialogue.conditions import holds, value_of
from bot.dialogue.loader import FlowValidationError

ANSWERS = {"stay": {"completed": False, "seconds": 75}, "distress": 4}

FLOW = """\
title: "Sub-fields"
description: "Records one field of a wait's answer."
steps:
  - id: save
    kind: record
    entry: sit_with_it
    fields:
      seconds: {value}
  - id: bye
    kind: end
"""


class TestSubFieldReferences:
    def test_a_sub_field_resolves_to_that_field(self):
        """answers.stay.seconds is the `seconds` of the saved {completed, seconds} answer."""
        assert value_of(m.Ref("answers", "stay", "seconds"), ANSWERS, {}) == 75
        assert value_of(m.Ref("answers", "stay", "completed"), ANSWERS, {}) is False

    def test_a_sub_field_of_a_plain_value_is_unset(self):
        """A field of a number is not an error: it is simply not set."""
        assert value_of(m.Ref("answers", "distress", "seconds"), ANSWERS, {}) is None

    def test_conditions_can_test_a_sub_field(self):
        """A flow can branch on whether the client stayed the whole time."""
        stayed = m.Compare("equals", m.Ref("answers", "stay", "completed"), True)
        assert holds(stayed, ANSWERS, {}) is False

    def test_a_malformed_dotted_reference_is_a_load_error_not_a_literal(self, tmp_path):
        """'answers.stay..seconds' fails at load with the line and the valid forms."""
        with pytest.raises(FlowValidationError) as caught:
            write_flows(tmp_path, sub=FLOW.format(value="answers.stay..seconds"))
        text = str(caught.value)
        assert "sub.yaml:9" in text  # the `seconds:` line
        assert "reference like answers.distress" in text
