"""The fixed vocabulary of the flow language: kinds, keys, fields, actions, placeholders."""

from __future__ import annotations

import re

ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
# scope.name, or scope.name.field for one field of a structured answer (a wait's {completed, seconds})
REF_RE = re.compile(
    r"^(answers|client|memory|clinic|triage|therapist)\.([a-z_][a-z0-9_]*)(?:\.([a-z_][a-z0-9_]*))?$"
)
REF_LIKE_RE = re.compile(r"^(answers|client|memory|clinic|triage|therapist)\.\S*$")
PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")

COMMON_KEYS = ("id", "kind", "next")
STEP_KEYS: dict[str, tuple[str, ...]] = {
    "say": ("text",),
    "scale": ("text", "min", "max", "min_label", "max_label", "save_as"),
    "choice": ("text", "options", "options_from", "save_as"),
    "multi": ("text", "options", "options_from", "done_label", "min_selected", "save_as"),
    "text": ("text", "optional", "skip_label", "max_length", "format", "save_as"),
    "wait": ("prompts", "every", "minutes", "stop_label", "save_as"),
    "record": ("entry", "fields"),
    "set": ("fields",),
    "action": ("name", "args"),
    "score": (
        "measure",
        "items",
        "bands",
        "flags",
        "extra",
        "reliable_change",
        "cutoff",
        "save_as",
    ),
    "triage": ("contact", "crisis"),
    "branch": ("cases", "else"),
    "goto": (),
    "call": ("flow",),
    "end": ("text",),
}
KINDS = tuple(STEP_KEYS)
FLOW_KEYS = ("id", "title", "description", "start", "steps", "command", "menu", "record_fields")
OPTION_KEYS = ("value", "label", "next")

RECORD_ENTRIES = ("log", "self_care", "sit_with_it", "session_note", "future_me")
RECORD_FIELDS = (
    "distress",
    "feelings",
    "feelings_other",
    "onset",
    "harder",
    "unable_to_function",
    "partly_unable",
    "note",
    "technique",
    "helped",
    "distress_before",
    "distress_after",
    "minutes",
    "seconds",
    "completed",
    "feeling",
    "body_place",
)
SET_FIELDS = ("consent_checkins", "consent_alerts", "timezone", "language", "country")
ACTIONS = (
    "pause_checkins",
    "resume_checkins",
    "stop_checkins",
    "show_notes",
    "notify_therapist",
    "show_crisis_resources",
    "show_crisis_lines",
    "schedule_checkin",
    "safety_event",
)
BAND_KEYS = ("from", "name")
FLAG_KEYS = ("name", "when")
TEXT_FORMATS = ("timezone", "number", "country")

COMPARE_OPS = ("equals", "in", "contains", "at_least", "at_most", "is_set")
COMBINE_OPS = ("all", "any", "not")

FIXED_PLACEHOLDERS = (
    "client.first_name",
    "client.language",
    "client.timezone",
    "client.local_time",
    "therapist.name",
    "therapist.contact",
    "clinic.name",
    "crisis.resources",
    "memory.future_me",
    "memory.notes_count",
    "triage.reasons",
)
TRUSTED_PLACEHOLDERS = ("crisis.resources",)  # pre-rendered HTML from the host, not escaped

# Telegram's HTML subset; author texts may use these tags.
HTML_TAGS = ("b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre")

MAX_TEXT = 4096
MAX_CALLBACK_BYTES = 64
PROMPT_DIGITS = 6  # button data is validated assuming prompt numbers up to 6 digits
MAX_SCALE_BUTTONS = 21
