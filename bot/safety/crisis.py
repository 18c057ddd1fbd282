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


def _resource_line(resource: CrisisResource) -> str:
    ways = []
    if resource.phone:
        ways.append(f"call {escape(resource.phone)}")
    if resource.text:
        ways.append(f"text {escape(resource.text)}")
    if resource.url:
        url = escape(resource.url, quote=True)
        ways.append(f'<a href="{url}">{escape(resource.url)}</a>')
    how = ", ".join(ways)
    return f"• <b>{escape(resource.name)}</b>" + (f": {how}" if how else "")


def resources_text(resources: Sequence[CrisisResource]) -> str:
    """The resources as a Telegram HTML list, one per line (the flows' `crisis.resources`)."""
    return "\n".join(_resource_line(r) for r in resources)


def crisis_message(
    resources: Sequence[CrisisResource],
    therapist_contact: str | None,
    first_name: str | None = None,
    *,
    emergency_number: str | None = None,
) -> str:
    """The crisis response in Telegram HTML (about 600 characters with three resources)."""
    greeting = f"{escape(first_name)}, thank you" if first_name else "Thank you"
    emergency = (
        f"your local emergency number (<b>{escape(emergency_number)}</b>)"
        if emergency_number
        else "your local emergency number"
    )
    parts = [
        f"{greeting} for telling me. What you are going through sounds really painful, "
        "and you do not have to face it alone.",
        f"Please reach out to someone now. If you are in danger or might act on these "
        f"thoughts, call {emergency} right away.",
    ]
    if resources:
        parts.append("People you can talk to now:\n" + resources_text(resources))
    if therapist_contact:
        parts.append(f"You can also contact your therapist: {escape(therapist_contact)}")
    parts.append(
        "I am an automated companion, not a therapist or a crisis line, but the people above "
        "are there to help. Feelings this strong can change, and support really does help."
    )
    return "\n\n".join(parts)
