"""The shipped flows load and pass the engine's validation, exactly as the bot loads them."""

from __future__ import annotations

from flow_yaml import FLOWS_DIR, SHIPPED_FLOW_IDS

from bot.dialogue.loader import load_flows
from bot.dialogue.model import CallStep


def test_every_shipped_flow_loads_and_validates() -> None:
    """load_flows over flows/ raises no FlowValidationError and yields every shipped flow."""
    library = load_flows([FLOWS_DIR])
    assert sorted(library.flows) == sorted(SHIPPED_FLOW_IDS)


def test_every_flow_is_complete_in_english_and_german() -> None:
    """A clinic that configures en and de gets every text in both (no missing translation)."""
    library = load_flows([FLOWS_DIR], languages=("en", "de"), default_language="en")
    assert sorted(library.flows) == sorted(SHIPPED_FLOW_IDS)


def test_every_called_flow_is_shipped() -> None:
    """A `call` step only ever names a flow that ships alongside it."""
    library = load_flows([FLOWS_DIR])
    called = {
        step.flow
        for flow in library.flows.values()
        for step in flow.steps.values()
        if isinstance(step, CallStep)
    }
    assert called
    assert called <= set(library.flows)
