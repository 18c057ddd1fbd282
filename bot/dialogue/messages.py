"""The engine's own short lines (re-asks, stop, flow changed) and default button labels.

Flow authors write everything else. Languages missing here fall back to English.
"""

from __future__ import annotations

from bot.dialogue.model import Phrase

LINES: dict[str, dict[str, str]] = {
    "en": {
        "done": "Done",
        "skip": "Skip",
        "stop": "I'm done",
        "scale_reask": "Please tap a number, or type one from {min} to {max}.",
        "choice_reask": "Please tap one of the buttons below.",
        "multi_reask": "Tap the words that fit, then tap “{done}”.",
        "multi_min": "Please choose at least {n} before tapping “{done}”.",
        "text_empty": "Please type a few words (or tap “{skip}”).",
        "text_required": "Please type a few words.",
        "text_long": "That is a bit long for me. Could you keep it under {n} characters?",
        "timezone": "I could not find that place. Try a big city near you, like Berlin or New York.",
        "number": "Please type a number, like 5.",
        "country": "I could not find that country. Please type its name, like Spain or Canada.",
        "unsupported": "I can only read text here.",
        "waiting": "I'm here. The exercise goes on; tap “{stop}” whenever you want to stop.",
        "triage_wait": "One moment, please.",
        "stopped": "Okay, we stop here. You can come back any time.",
        "flow_changed": "This check-in was updated in the meantime, so we stop here. "
        "You can start it again any time.",
        "error": "Something went wrong on my side, so we stop here. I'm sorry. "
        "You can start again any time.",
    },
    "de": {
        "done": "Fertig",
        "skip": "Überspringen",
        "stop": "Ich bin fertig",
        "scale_reask": "Bitte tippe eine Zahl an oder schreibe eine von {min} bis {max}.",
        "choice_reask": "Bitte tippe einen der Knöpfe unten an.",
        "multi_reask": "Tippe die passenden Wörter an, dann „{done}“.",
        "multi_min": "Bitte wähle mindestens {n}, bevor du „{done}“ tippst.",
        "text_empty": "Bitte schreibe ein paar Worte (oder tippe „{skip}“).",
        "text_required": "Bitte schreibe ein paar Worte.",
        "text_long": "Das ist etwas lang für mich. Magst du es unter {n} Zeichen halten?",
        "timezone": "Diesen Ort kenne ich nicht. Versuche eine große Stadt in deiner Nähe, "
        "zum Beispiel Berlin.",
        "number": "Bitte schreibe eine Zahl, zum Beispiel 5.",
        "country": "Dieses Land kenne ich nicht. Bitte schreib seinen Namen, zum Beispiel Spanien.",
        "unsupported": "Ich kann hier nur Text lesen.",
        "waiting": "Ich bin da. Die Übung läuft weiter; tippe „{stop}“, wenn du aufhören möchtest.",
        "triage_wait": "Einen Moment bitte.",
        "stopped": "In Ordnung, wir hören hier auf. Du kannst jederzeit wiederkommen.",
        "flow_changed": "Dieser Check-in wurde inzwischen geändert, darum hören wir hier auf. "
        "Du kannst ihn jederzeit neu starten.",
        "error": "Bei mir ist etwas schiefgegangen, darum hören wir hier auf. Das tut mir leid. "
        "Du kannst jederzeit neu beginnen.",
    },
}


def line(language: str, key: str, **values: object) -> str:
    """The engine line `key` in `language` (English if missing), with `values` filled in."""
    table = LINES.get(language) or LINES["en"]
    text = table.get(key) or LINES["en"][key]
    return text.format(**values) if values else text


def default_label(key: str) -> Phrase:
    """A button label the author did not write (done, skip, stop) in every known language."""
    return Phrase({lang: table[key] for lang, table in LINES.items()})
