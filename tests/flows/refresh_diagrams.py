"""Rewrite the '## Diagrams' section of flows/README.md from the shipped flows.

Run after changing a flow: `.venv/bin/python tests/flows/refresh_diagrams.py`. Everything above
the heading is left exactly as it is.
"""

from __future__ import annotations

from pathlib import Path

from bot.dialogue.graph import to_mermaid
from bot.dialogue.loader import load_flows

FLOWS_DIR = Path(__file__).resolve().parents[2] / "flows"
ORDER = (
    "onboarding",
    "about",
    "after_session",
    "log",
    "self_care",
    "sit_with_it",
    "it_will_pass",
    "next_session_note",
    "thinking_of_stopping",
)
INTRO = (
    "One diagram per shipped flow, drawn by `checkin flows graph FLOW`. Regenerate a diagram after\n"
    "changing its flow: `tests/flows/test_flow_diagrams.py` fails while one is stale.\n"
)


def diagrams_section() -> str:
    library = load_flows([FLOWS_DIR])
    parts = ["## Diagrams\n\n", INTRO]
    for flow_id in ORDER:
        flow = library.flows[flow_id]
        title = flow.title.pick("en", "en")
        description = flow.description.pick("en", "en")
        diagram = to_mermaid(flow).rstrip()
        parts.append(f"\n### {flow_id}: {title}\n\n{description}\n\n```mermaid\n{diagram}\n```\n")
    return "".join(parts)


def main() -> None:
    readme = FLOWS_DIR / "README.md"
    head, found, _ = readme.read_text(encoding="utf-8").partition("## Diagrams")
    if not found:
        raise SystemExit(f"{readme} has no '## Diagrams' heading to write under")
    readme.write_text(head + diagrams_section(), encoding="utf-8")


if __name__ == "__main__":
    main()
