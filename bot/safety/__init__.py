"""Safety: crisis screening of client text, the crisis response, and the triage rules. All pure."""

from bot.safety.crisis import (
    BANNED_METHOD_WORDS,
    CrisisResource,
    crisis_message,
    find_banned_words,
    resources_text,
)
from bot.safety.screening import (
    CATEGORY_ORDER,
    RESPONSE_KIND,
    Category,
    ResponseKind,
    ScreenResult,
    screen_text,
)
from bot.safety.triage import (
    CheckIn,
    RuleFinding,
    TriageInputError,
    TriageResult,
    TriageRules,
    evaluate_triage,
)

__all__ = [
    "BANNED_METHOD_WORDS",
    "CATEGORY_ORDER",
    "RESPONSE_KIND",
    "Category",
    "CheckIn",
    "CrisisResource",
    "ResponseKind",
    "RuleFinding",
    "ScreenResult",
    "TriageInputError",
    "TriageResult",
    "TriageRules",
    "crisis_message",
    "evaluate_triage",
    "find_banned_words",
    "resources_text",
    "screen_text",
]
