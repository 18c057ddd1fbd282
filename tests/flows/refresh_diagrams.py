"""Rewrite the '## Diagrams' section of flows/README.md from the shipped flows.

Run after changing a flow: `.venv/bin/python tests/flows/refresh_diagrams.py`. Everything above
the heading is left exactly as it is.
"""

from __future__ import annotations

from pathlib import Path

from bot.dialogue.graph import to_mermaid
from bot.dialogue.loader import load_flows

FLOWS_DIR = Path(__file__).resolve().parents[2] / "flows"
INTRO = (
    "Drawn by `checkin flows graph <id>` from the files as they are now; regenerate after editing"
    " a flow\n(`.venv/bin/python tests/flows/refresh_diagrams.py`; `tests/flows` fails while one is"
    " stale).\n"
)


def diagrams_section() -> str:
    library = load_flows([FLOWS_DIR])
    parts = ["## Diagrams\n\n", INTRO]
    for flow_id in sorted(library.flows):
        flow = library.flows[flow_id]
        title = flow.title.pick(library.default_language, library.default_language)
        diagram = to_mermaid(flow).rstrip()
        parts.append(f"\n### {flow_id}: {title}\n\n```mermaid\n{diagram}\n```\n")
    return "".join(parts)


def main() -> None:
    readme = FLOWS_DIR / "README.md"
    head, found, _ = readme.read_text(encoding="utf-8").partition("## Diagrams")
    if not found:
        raise SystemExit(f"{readme} has no '## Diagrams' heading to write under")
    readme.write_text(head + diagrams_section(), encoding="utf-8")


if __name__ == "__main__":
    main()
