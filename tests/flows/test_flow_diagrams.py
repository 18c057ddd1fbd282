"""flows/README.md shows every shipped flow as a current Mermaid diagram."""

from __future__ import annotations

import pytest
from chat_driver import shipped_library
from flow_yaml import FLOWS_DIR, SHIPPED_FLOW_IDS

from bot.dialogue.graph import to_mermaid

README = FLOWS_DIR / "README.md"


def _diagrams_section() -> str:
    text = README.read_text(encoding="utf-8")
    assert "\n## Diagrams\n" in text
    return text.split("\n## Diagrams\n", 1)[1]


@pytest.mark.parametrize("flow_id", SHIPPED_FLOW_IDS)
def test_each_flow_has_its_current_diagram_in_the_readme(flow_id: str) -> None:
    """The README's diagram is exactly what `checkin flows graph` draws for the flow today."""
    diagram = to_mermaid(shipped_library().flows[flow_id]).rstrip()
    section = _diagrams_section()
    assert f"### {flow_id}:" in section
    assert f"```mermaid\n{diagram}\n```" in section, (
        f"the diagram of {flow_id!r} is stale: regenerate it with `checkin flows graph {flow_id}`"
    )
