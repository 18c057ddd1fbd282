"""The dialogue engine: YAML flows, load-time validation and a pure `advance()`."""

from bot.dialogue.engine import advance
from bot.dialogue.loader import FlowLibrary, load_flows
from bot.dialogue.problems import FlowNotFoundError, FlowProblem, FlowValidationError

__all__ = [
    "FlowLibrary",
    "FlowNotFoundError",
    "FlowProblem",
    "FlowValidationError",
    "advance",
    "load_flows",
]
