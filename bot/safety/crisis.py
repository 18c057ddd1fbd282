"""The crisis response: a short, warm Telegram HTML message that fits what the person told us.

Each kind of crisis gets its own text (`crisis_response`), in every language the bot speaks:
- suicidal thoughts or a plan: acknowledge, not alone, reach out now, the lines, hope;
- self-harm: the same warmth, medical help if hurt, getting through the urge;
- an act under way: a medical emergency, so "call the emergency number now" comes first;
- danger from another person: safety-aware words, the police and violence lines, no suicide framing;
- a risk of harming someone else: distance first, someone to talk to now.
All follow safe-messaging practice: no means or method is ever named (BANNED_METHOD_WORDS), there is
concrete help and hope, and the bot never presents itself as a therapist or a crisis service.
Every string from users or configuration is HTML-escaped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from bot.safety.screening import ResponseKind

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
RESPONSE_KINDS: tuple[ResponseKind, ...] = (
    "emergency",
    "suicidal",
    "self_harm",
    "danger",
    "harm_to_others",
)


@dataclass(frozen=True)
class CrisisResource:
    """A place to get help: a name and at least one of a phone number, a text number, a URL."""

    name: str
    phone: str | None = None
    text: str | None = None
    url: str | None = None
    keyword: str | None = None  # what to text ("text SHOUT to 85258")


@dataclass(frozen=True)
class CrisisLines:
    """The help available where the client is.

    `country_known` is False for the international fallback: then `emergency` is a number that works
    in many countries (112) and `directory_url` points to helplines everywhere.
    """

    emergency: str
    police: str | None = None
    resources: tuple[CrisisResource, ...] = ()
    violence: tuple[CrisisResource, ...] = ()
    country_known: bool = True
    directory_url: str | None = None


def find_banned_words(text: str) -> tuple[str, ...]:
    """The banned method words that occur in `text` as whole words (case-insensitive), sorted."""
    return tuple(sorted(set(_WORD.findall(text.casefold())) & BANNED_METHOD_WORDS))


# Shared words, then one text per response kind. Keys of a kind, in the order they are shown:
# opening (or sos_opening when the client asked with /sos), first (before the lines), lines_head,
# after (after the lines), closing. {thanks}, {emergency} and {police} are filled in.
_COMMON: dict[str, dict[str, str]] = {
    "en": {
        "call": "call {x}",
        "text": "text {x}",
        "text_keyword": "text {keyword} to {x}",
        "or": " or ",
        "thanks_named": "{name}, thank you",
        "thanks": "Thank you",
        "named": "{name}, y",
        "unnamed": "Y",
        "emergency_line": "Emergency services",
        "police_line": "Police",
        "directory": "Find a helpline in your country",
        "fallback_note": (
            "I do not have the local crisis lines for your country. {emergency} works across "
            "Europe and from most mobile phones. Tell me your country with /country."
        ),
        "therapist": "You can also contact your therapist: {x}",
        "not_a_therapist": "I am an automated companion, not a therapist or a crisis line.",
    },
    "de": {
        "call": "anrufen: {x}",
        "text": "SMS: {x}",
        "text_keyword": "SMS mit {keyword} an {x}",
        "or": " oder ",
        "thanks_named": "{name}, danke",
        "thanks": "Danke",
        "named": "{name}, d",
        "unnamed": "D",
        "emergency_line": "Notruf",
        "police_line": "Polizei",
        "directory": "Hilfe-Telefone in deinem Land finden",
        "fallback_note": (
            "Ich kenne die Krisentelefone deines Landes nicht. Die {emergency} gilt in ganz "
            "Europa und von den meisten Handys aus. Sag mir dein Land mit /country."
        ),
        "therapist": "Du kannst dich auch an deine Therapeutin oder deinen Therapeuten wenden: {x}",
        "not_a_therapist": (
            "Ich bin ein automatischer Begleiter, keine Therapeutin, kein Therapeut und keine "
            "Krisenhotline."
        ),
    },
}

_KINDS: dict[str, dict[ResponseKind, dict[str, str]]] = {
    "en": {
        "suicidal": {
            "opening": (
                "{thanks} for telling me. What you are going through sounds really painful, "
                "and you do not have to face it alone."
            ),
            "sos_opening": (
                "{you}ou do not have to face this alone. Here is help you can reach right now."
            ),
            "first": (
                "Please reach out to someone now. If you are in danger or might act on these "
                "thoughts, call {emergency} right away."
            ),
            "sos_first": "Please reach out to someone now. If you are in danger, call {emergency} right away.",
            "lines_head": "People you can talk to now:",
            "closing": (
                "The people above are there to help. Feelings this strong can change, and "
                "support really does help."
            ),
        },
        "emergency": {
            "opening": "<b>Please call {emergency_number} now.</b> This is an emergency, and you deserve help straight away.",
            "sos_opening": "<b>Please call {emergency_number} now</b> if you are in danger or have hurt yourself.",
            "first": (
                "If someone is near you, tell them what is happening and stay with them until "
                "help arrives. {thanks} for telling me: you matter."
            ),
            "sos_first": (
                "If someone is near you, tell them what is happening and stay with them until "
                "help arrives. You matter."
            ),
            "lines_head": "You can also reach these people right now:",
            "closing": "Help can reach you quickly. Please call now.",
        },
        "self_harm": {
            "opening": (
                "{thanks} for telling me. Wanting to hurt yourself shows how much pain you are "
                "in, and you do not have to carry it alone."
            ),
            "sos_opening": (
                "{you}ou do not have to carry this alone. Here is help you can reach right now."
            ),
            "first": (
                "If you have hurt yourself and it is serious, or you feel unwell, call "
                "{emergency} or get medical help now. If the urge is strong, it can help to go "
                "where other people are and to talk to someone."
            ),
            "lines_head": "People you can talk to now:",
            "closing": (
                "Urges like this rise and fall, and they do pass. You deserve care, and help is "
                "there."
            ),
        },
        "danger": {
            "opening": (
                "{thanks} for telling me. What you describe sounds frightening, and it is not "
                "your fault."
            ),
            "sos_opening": "{you}ou deserve to be safe. Here is help you can reach right now.",
            "first": (
                "If you are in danger right now, call {police} when it is safe to. If you can, "
                "go to a safer place: a neighbour, a friend, or somewhere with other people."
            ),
            "lines_head": "People who help with violence and abuse, in confidence:",
            "after": "If someone else might read your phone, you can delete this chat.",
            "closing": (
                "You deserve to be safe, and there are people whose job it is to help you get there."
            ),
        },
        "harm_to_others": {
            "opening": (
                "{thanks} for telling me. It sounds like things feel out of control right now, "
                "and it took courage to say it."
            ),
            "sos_opening": "{you}ou are not alone with this. Here is help you can reach right now.",
            "first": (
                "If you feel you might hurt someone, please put distance between you and them "
                "now: leave the room or go outside. If anyone is in danger, call {emergency}."
            ),
            "lines_head": "You can talk it through with someone now:",
            "closing": "Feelings this strong can pass, and talking helps. Help is there.",
        },
    },
    "de": {
        "suicidal": {
            "opening": (
                "{thanks}, dass du es mir sagst. Was du gerade durchmachst, klingt wirklich "
                "schmerzhaft, und du musst da nicht allein durch."
            ),
            "sos_opening": (
                "{you}u musst da nicht allein durch. Hier bekommst du jetzt sofort Hilfe."
            ),
            "first": (
                "Bitte wende dich jetzt an jemanden. Wenn du in Gefahr bist oder fürchtest, nach "
                "diesen Gedanken zu handeln, ruf sofort {emergency} an."
            ),
            "sos_first": (
                "Bitte wende dich jetzt an jemanden. Wenn du in Gefahr bist, ruf sofort {emergency} an."
            ),
            "lines_head": "Hier kannst du jetzt mit jemandem sprechen:",
            "closing": (
                "Die Menschen oben sind da, um zu helfen. So starke Gefühle können sich "
                "verändern, und Unterstützung hilft wirklich."
            ),
        },
        "emergency": {
            "opening": "<b>Bitte ruf jetzt {emergency_number} an.</b> Das ist ein Notfall, und du verdienst sofort Hilfe.",
            "sos_opening": "<b>Bitte ruf jetzt {emergency_number} an</b>, wenn du in Gefahr bist oder dich verletzt hast.",
            "first": (
                "Wenn jemand in deiner Nähe ist, sag ihm, was los ist, und bleib bei ihm, bis "
                "Hilfe kommt. {thanks}, dass du es mir sagst: Du bist wichtig."
            ),
            "sos_first": (
                "Wenn jemand in deiner Nähe ist, sag ihm, was los ist, und bleib bei ihm, bis "
                "Hilfe kommt. Du bist wichtig."
            ),
            "lines_head": "Du erreichst jetzt auch diese Menschen:",
            "closing": "Hilfe kann schnell bei dir sein. Bitte ruf jetzt an.",
        },
        "self_harm": {
            "opening": (
                "{thanks}, dass du es mir sagst. Dass du dich verletzen willst, zeigt, wie groß "
                "dein Schmerz ist, und du musst ihn nicht allein tragen."
            ),
            "sos_opening": (
                "{you}u musst das nicht allein tragen. Hier bekommst du jetzt sofort Hilfe."
            ),
            "first": (
                "Wenn du dich verletzt hast und es ernst ist oder es dir schlecht geht, ruf "
                "{emergency} an oder hol dir jetzt ärztliche Hilfe. Wenn der Drang stark ist, "
                "hilft es oft, zu anderen Menschen zu gehen und mit jemandem zu sprechen."
            ),
            "lines_head": "Hier kannst du jetzt mit jemandem sprechen:",
            "closing": (
                "Solcher Drang kommt und geht, und er geht vorbei. Du verdienst Fürsorge, und "
                "es gibt Hilfe."
            ),
        },
        "danger": {
            "opening": (
                "{thanks}, dass du es mir sagst. Was du beschreibst, klingt beängstigend, und es "
                "ist nicht deine Schuld."
            ),
            "sos_opening": (
                "{you}u hast ein Recht darauf, sicher zu sein. Hier bekommst du jetzt sofort Hilfe."
            ),
            "first": (
                "Wenn du gerade in Gefahr bist, ruf {police} an, sobald es sicher ist. Wenn du "
                "kannst, geh an einen sichereren Ort: zu Nachbarn, Freunden oder dorthin, wo "
                "andere Menschen sind."
            ),
            "lines_head": "Hier helfen Menschen bei Gewalt, vertraulich:",
            "after": "Wenn jemand anderes dein Handy lesen könnte, kannst du diesen Chat löschen.",
            "closing": (
                "Du hast ein Recht darauf, sicher zu sein, und es gibt Menschen, deren Aufgabe "
                "es ist, dir dabei zu helfen."
            ),
        },
        "harm_to_others": {
            "opening": (
                "{thanks}, dass du es mir sagst. Es klingt, als ob sich gerade alles außer "
                "Kontrolle anfühlt, und es war mutig, das zu sagen."
            ),
            "sos_opening": ("{you}u bist damit nicht allein. Hier bekommst du jetzt sofort Hilfe."),
            "first": (
                "Wenn du fürchtest, jemandem wehzutun, geh bitte jetzt auf Abstand: Verlass den "
                "Raum oder geh nach draußen. Wenn jemand in Gefahr ist, ruf {emergency} an."
            ),
            "lines_head": "Hier kannst du jetzt mit jemandem darüber sprechen:",
            "closing": "So starke Gefühle können vorbeigehen, und Reden hilft. Es gibt Hilfe.",
        },
    },
}
LANGUAGES = tuple(_COMMON)


def _common(language: str) -> dict[str, str]:
    return _COMMON.get(language, _COMMON["en"])


def _kind_words(language: str, kind: ResponseKind) -> dict[str, str]:
    return _KINDS.get(language, _KINDS["en"])[kind]


def _resource_line(resource: CrisisResource, language: str = "en") -> str:
    words = _common(language)
    ways = []
    if resource.phone:
        ways.append(words["call"].format(x=escape(resource.phone)))
    if resource.text:
        if resource.keyword:
            ways.append(
                words["text_keyword"].format(
                    x=escape(resource.text), keyword=escape(resource.keyword)
                )
            )
        else:
            ways.append(words["text"].format(x=escape(resource.text)))
    if resource.url:
        url = escape(resource.url, quote=True)
        ways.append(f'<a href="{url}">{escape(resource.url)}</a>')
    how = ", ".join(ways)
    return f"• <b>{escape(resource.name)}</b>" + (f": {how}" if how else "")


def resources_text(resources: Sequence[CrisisResource], language: str = "en") -> str:
    """The resources as a Telegram HTML list, one per line."""
    return "\n".join(_resource_line(r, language) for r in resources)


def lines_text(lines: CrisisLines, language: str = "en") -> str:
    """Every line of `lines` with the emergency number (the flows' `crisis.resources`)."""
    words = _common(language)
    shown = [*lines.resources, CrisisResource(words["emergency_line"], phone=lines.emergency)]
    if not lines.country_known and lines.directory_url:
        shown.insert(0, CrisisResource(words["directory"], url=lines.directory_url))
    return resources_text(shown, language)


def _help_for(
    kind: ResponseKind, lines: CrisisLines, language: str, opened_by_client: bool
) -> list[CrisisResource]:
    """Which lines each kind lists: violence lines for danger (crisis lines where there are none);
    /sos, which says nothing about what is wrong, lists both."""
    words = _common(language)
    shown: list[CrisisResource] = []
    if not lines.country_known and lines.directory_url:
        shown.append(CrisisResource(words["directory"], url=lines.directory_url))
    if kind == "danger":
        shown += lines.violence or lines.resources
        if lines.police and lines.police != lines.emergency:
            shown.append(CrisisResource(words["police_line"], phone=lines.police))
    else:
        shown += lines.resources
        if opened_by_client:
            shown += lines.violence
    shown.append(CrisisResource(words["emergency_line"], phone=lines.emergency))
    return shown


def crisis_response(
    kind: ResponseKind,
    lines: CrisisLines,
    *,
    therapist_contact: str | None = None,
    first_name: str | None = None,
    language: str = "en",
    opened_by_client: bool = False,
) -> str:
    """The response to `kind` in Telegram HTML (about 700 characters with three lines).

    `opened_by_client`: the client asked for help (/sos) rather than telling us something, so the
    message does not thank them "for telling me".
    """
    common = _common(language)
    words = _kind_words(language, kind)
    name = escape(first_name) if first_name else None
    fill = {
        "thanks": common["thanks_named"].format(name=name) if name else common["thanks"],
        "you": common["named"].format(name=name) if name else common["unnamed"],
        "emergency": f"<b>{escape(lines.emergency)}</b>",
        "emergency_number": escape(lines.emergency),
        "police": f"<b>{escape(lines.police or lines.emergency)}</b>",
    }
    # Asked for (/sos), not told: the texts without "thank you for telling me".
    sos = opened_by_client
    parts = [words["sos_opening" if sos else "opening"].format(**fill)]
    parts.append(words["sos_first" if sos and "sos_first" in words else "first"].format(**fill))
    if not lines.country_known:
        parts.append(common["fallback_note"].format(emergency=fill["emergency"]))
    parts.append(
        words["lines_head"] + "\n" + resources_text(_help_for(kind, lines, language, sos), language)
    )
    if "after" in words:
        parts.append(words["after"])
    if therapist_contact:
        parts.append(common["therapist"].format(x=escape(therapist_contact)))
    parts.append(common["not_a_therapist"] + " " + words["closing"])
    return "\n\n".join(parts)


def crisis_message(
    resources: Sequence[CrisisResource],
    therapist_contact: str | None,
    first_name: str | None = None,
    *,
    emergency_number: str | None = None,
    language: str = "en",
    kind: ResponseKind = "suicidal",
) -> str:
    """`crisis_response` for a plain list of resources (the emergency number may be unknown)."""
    lines = CrisisLines(emergency=emergency_number or "112", resources=tuple(resources))
    return crisis_response(
        kind,
        lines,
        therapist_contact=therapist_contact,
        first_name=first_name,
        language=language,
    )
