"""The crisis response: a short, warm Telegram HTML message with the help that is available now.

Follows safe-messaging practice: acknowledge, say the person is not alone, urge reaching out now,
give the resources and the emergency number, the therapist's contact, and end with hope. It never
mentions any means or method, and never presents the bot as a therapist or a crisis service.
Every string from users or configuration is HTML-escaped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

# Words no outgoing text of ours may contain: naming a means can raise risk for someone in crisis.
# Kept deliberately short and generic; flows' tests reuse it (see `find_banned_words`).
BANNED_METHOD_WORDS: frozenset[str] = frozenset(
    {
        "overdose",
        "pills",
        "tablets",
        "noose",
        "rope",
        "hanging",
        "hang",
        "jump",
        "jumping",
        "bridge",
        "knife",
        "blade",
        "razor",
        "gun",
        "firearm",
        "poison",
        "cutting",
    }
)
_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class CrisisResource:
    """A place to get help: a name and at least one of a phone number, a text number, a URL."""

    name: str
    phone: str | None = None
    text: str | None = None
    url: str | None = None


def find_banned_words(text: str) -> tuple[str, ...]:
    """The banned method words that occur in `text` as whole words (case-insensitive), sorted."""
    return tuple(sorted(set(_WORD.findall(text.casefold())) & BANNED_METHOD_WORDS))


# The message in each language the bot speaks; the structure is the same in all of them:
# thanks, you are not alone, reach out now, the lines, the therapist, not a therapist, hope.
_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "call": "call {x}",
        "text": "text {x}",
        "thanks_named": "{name}, thank you",
        "thanks": "Thank you",
        "opening": (
            "{thanks} for telling me. What you are going through sounds really painful, "
            "and you do not have to face it alone."
        ),
        "emergency_number": "your local emergency number (<b>{x}</b>)",
        "emergency": "your local emergency number",
        "reach_out": (
            "Please reach out to someone now. If you are in danger or might act on these "
            "thoughts, call {emergency} right away."
        ),
        "people": "People you can talk to now:",
        "therapist": "You can also contact your therapist: {x}",
        "closing": (
            "I am an automated companion, not a therapist or a crisis line, but the people above "
            "are there to help. Feelings this strong can change, and support really does help."
        ),
    },
    "de": {
        "call": "anrufen: {x}",
        "text": "SMS: {x}",
        "thanks_named": "{name}, danke",
        "thanks": "Danke",
        "opening": (
            "{thanks}, dass du es mir sagst. Was du gerade durchmachst, klingt wirklich "
            "schmerzhaft, und du musst da nicht allein durch."
        ),
        "emergency_number": "den Notruf (<b>{x}</b>)",
        "emergency": "den Notruf",
        "reach_out": (
            "Bitte wende dich jetzt an jemanden. Wenn du in Gefahr bist oder fürchtest, nach "
            "diesen Gedanken zu handeln, ruf sofort {emergency} an."
        ),
        "people": "Hier kannst du jetzt mit jemandem sprechen:",
        "therapist": "Du kannst dich auch an deine Therapeutin oder deinen Therapeuten wenden: {x}",
        "closing": (
            "Ich bin ein automatischer Begleiter, keine Therapeutin, kein Therapeut und keine "
            "Krisenhotline, aber die Menschen oben sind da, um zu helfen. So starke Gefühle "
            "können sich verändern, und Unterstützung hilft wirklich."
        ),
    },
}
LANGUAGES = tuple(_WORDS)


def _words(language: str) -> dict[str, str]:
    return _WORDS.get(language, _WORDS["en"])


def _resource_line(resource: CrisisResource, language: str = "en") -> str:
    words = _words(language)
    ways = []
    if resource.phone:
        ways.append(words["call"].format(x=escape(resource.phone)))
    if resource.text:
        ways.append(words["text"].format(x=escape(resource.text)))
    if resource.url:
        url = escape(resource.url, quote=True)
        ways.append(f'<a href="{url}">{escape(resource.url)}</a>')
    how = ", ".join(ways)
    return f"• <b>{escape(resource.name)}</b>" + (f": {how}" if how else "")


def resources_text(resources: Sequence[CrisisResource], language: str = "en") -> str:
    """The resources as a Telegram HTML list, one per line (the flows' `crisis.resources`)."""
    return "\n".join(_resource_line(r, language) for r in resources)


def crisis_message(
    resources: Sequence[CrisisResource],
    therapist_contact: str | None,
    first_name: str | None = None,
    *,
    emergency_number: str | None = None,
    language: str = "en",
) -> str:
    """The crisis response in Telegram HTML (about 600 characters with three resources)."""
    words = _words(language)
    thanks = (
        words["thanks_named"].format(name=escape(first_name)) if first_name else words["thanks"]
    )
    emergency = (
        words["emergency_number"].format(x=escape(emergency_number))
        if emergency_number
        else words["emergency"]
    )
    parts = [
        words["opening"].format(thanks=thanks),
        words["reach_out"].format(emergency=emergency),
    ]
    if resources:
        parts.append(words["people"] + "\n" + resources_text(resources, language))
    if therapist_contact:
        parts.append(words["therapist"].format(x=escape(therapist_contact)))
    parts.append(words["closing"])
    return "\n\n".join(parts)
