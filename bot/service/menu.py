"""The client's command menu: the bot's own commands and every flow that declares `command:`.

The shipped commands keep a fixed, familiar order; a clinic's own flow commands come after the
shipped flow commands, in the order of their files.
"""

from __future__ import annotations

import html

from bot.dialogue.loader import FlowLibrary

# The bot's own client commands (not flows), with their menu lines per language.
OWN_COMMANDS: dict[str, dict[str, str]] = {
    "next": {"en": "When the next check-in comes", "de": "Wann der nächste Check-in kommt"},
    "aftersession": {"en": "I just had a session", "de": "Ich hatte gerade eine Sitzung"},
    "pause": {"en": "Pause check-ins", "de": "Check-ins pausieren"},
    "resume": {"en": "Start check-ins again", "de": "Check-ins wieder starten"},
    "stop": {"en": "Stop this exercise or check-ins", "de": "Übung oder Check-ins beenden"},
    "sos": {"en": "Help right now", "de": "Sofort Hilfe"},
    "mydata": {"en": "Get a copy of your data", "de": "Eine Kopie deiner Daten"},
    "delete": {"en": "Delete your data", "de": "Deine Daten löschen"},
    "help": {"en": "What I can do", "de": "Was ich kann"},
}
# Where each command stands in the menu; flow commands not named here go after "stopping".
ORDER = (
    "checkin",
    "log",
    "selfcare",
    "sit",
    "note",
    "pass",
    "stopping",
    "next",
    "aftersession",
    "pause",
    "resume",
    "stop",
    "sos",
    "country",
    "timezone",
    "about",
    "mydata",
    "delete",
    "help",
)
MAX_DESCRIPTION = 256  # Telegram's limit for a command's description


def client_menu(flows: FlowLibrary, language: str) -> list[tuple[str, str]]:
    """(command, description) for the client's menu in `language`."""
    lines: dict[str, str] = {}
    for command, flow_id in flows.commands().items():
        flow = flows.require(flow_id)
        phrase = flow.menu or flow.title
        lines[command] = phrase.pick(language, flows.default_language)[:MAX_DESCRIPTION]
    for command, texts in OWN_COMMANDS.items():
        lines[command] = texts.get(language) or texts["en"]
    known = [c for c in ORDER if c in lines]
    extra = [c for c in lines if c not in ORDER]
    cut = known.index("stopping") + 1 if "stopping" in known else len(known)
    return [(c, lines[c] or c) for c in known[:cut] + extra + known[cut:]]


def clinic_commands(flows: FlowLibrary, language: str) -> list[tuple[str, str]]:
    """The commands of the clinic's own flows (not shipped with checkin), for /help."""
    return [(c, d) for c, d in client_menu(flows, language) if c not in ORDER]


def help_text(base: str, flows: FlowLibrary, language: str) -> str:
    """/help: the shipped text, then the clinic's own flow commands (HTML-escaped) if any."""
    extra = clinic_commands(flows, language)
    if not extra:
        return base
    lines = "\n".join(f"/{c} – {html.escape(d)}" for c, d in extra)
    head, sep, tail = base.rpartition("\n\n")  # keep the closing "I'm not a therapist" line last
    return f"{head}\n{lines}{sep}{tail}" if sep else f"{base}\n{lines}"
