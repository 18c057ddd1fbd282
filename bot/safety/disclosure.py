"""What a text typed inside a flow does, decided in one place for the bot and `checkin chat`.

Screening comes first, always. A crisis interrupts the flow with the response for its category.
A concern is acknowledged in a sentence that offers /sos, recorded (its reason, never the words),
and then the flow goes on: the question is asked again, unless the question asked for free text,
where the words are the client's answer and are kept as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.safety.screening import ResponseKind, ScreenResult, screen_text

Handling = Literal["answer", "crisis", "concern_then_answer", "concern_then_ask_again"]

# The sentence a concern gets inside a flow (the question follows it).
CONCERN_IN_FLOW: dict[str, str] = {
    "en": (
        "That sounds really hard, and I'm glad you told me. If you need someone right now, tap "
        "/sos. I'll note for your therapist that things felt heavy (not your words)."
    ),
    "de": (
        "Das klingt wirklich schwer, und gut, dass du es mir sagst. Wenn du jetzt jemanden "
        "brauchst, tippe /sos. Ich vermerke für deine Therapeutin oder deinen Therapeuten, dass "
        "es gerade schwer war (nicht deine Worte)."
    ),
}


@dataclass(frozen=True)
class Disclosure:
    """The verdict on one typed text and what to do with it."""

    handling: Handling
    screened: ScreenResult

    @property
    def kind(self) -> ResponseKind:
        """The crisis response to show (suicidal when the category is not known)."""
        return self.screened.response_kind or "suicidal"

    @property
    def reason(self) -> str:
        """What to record for a concern: the screening reasons, never the text."""
        return ",".join(self.screened.reasons)[:100] or "concern"


def disclosure_in_flow(text: str, *, free_text_question: bool) -> Disclosure:
    """Screen `text` typed at a flow's question and decide what happens to it."""
    screened = screen_text(text)
    if screened.level == "crisis":
        return Disclosure("crisis", screened)
    if screened.level == "concern":
        handling: Handling = (
            "concern_then_answer" if free_text_question else "concern_then_ask_again"
        )
        return Disclosure(handling, screened)
    return Disclosure("answer", screened)


def concern_in_flow(language: str) -> str:
    return CONCERN_IN_FLOW.get(language, CONCERN_IN_FLOW["en"])
