"""The bot's own short texts outside the flows (commands, errors), in every language it speaks.

Each text maps a language code to its wording; `tr(text, language)` picks one, falling back to
English. Flows hold everything else (see flows/README.md). A test checks every text has every
language below.
"""

from __future__ import annotations

from collections.abc import Mapping

Text = Mapping[str, str]
LANGUAGES = ("en", "de")


def tr(text: Text, language: str) -> str:
    return text.get(language) or text["en"]


STRANGER: Text = {
    "en": (
        "Hi! I'm checkin, a companion that therapists invite their clients to between sessions.\n"
        "To start, please open the invite link your therapist gave you.\n\n"
        "If you are in danger or thinking about ending your life, please call your local "
        "emergency number now."
    ),
    "de": (
        "Hallo! Ich bin checkin, ein Begleiter, zu dem Therapeutinnen und Therapeuten ihre "
        "Klientinnen und Klienten zwischen den Sitzungen einladen.\n"
        "Um zu beginnen, öffne bitte den Einladungslink von deiner Therapeutin oder deinem "
        "Therapeuten.\n\n"
        "Wenn du in Gefahr bist oder daran denkst, dir das Leben zu nehmen, ruf bitte jetzt "
        "den Notruf an."
    ),
}
CLIENT_HELP: Text = {
    "en": (
        "<b>What you can do here</b>\n"
        "/checkin – check in now\n"
        "/log – write down how you feel\n"
        "/selfcare – a calming exercise\n"
        "/sit – sit with a feeling for a few minutes\n"
        "/note – a note for your next session\n"
        "/pass – a reminder that it often eases\n"
        "/stopping – if you are thinking about ending therapy\n"
        "/next – when my next check-in comes\n"
        "/aftersession – tell me you just had a session\n"
        "/pause – pause check-ins · /resume – start them again\n"
        "/stop – stop the current exercise, or stop check-ins\n"
        "/mydata – get a copy of your data · /delete – delete it\n"
        "/about – what I am and what I store\n"
        "/country – your country, for the right crisis lines\n"
        "/timezone – your time zone, for when check-ins arrive\n"
        "/sos – help right now\n\n"
        "I'm not a therapist and I can't help in an emergency."
    ),
    "de": (
        "<b>Was du hier tun kannst</b>\n"
        "/checkin – jetzt einchecken\n"
        "/log – aufschreiben, wie es dir geht\n"
        "/selfcare – eine beruhigende Übung\n"
        "/sit – ein paar Minuten bei einem Gefühl bleiben\n"
        "/note – eine Notiz für die nächste Sitzung\n"
        "/pass – eine Erinnerung, dass es oft leichter wird\n"
        "/stopping – wenn du überlegst, die Therapie zu beenden\n"
        "/next – wann der nächste Check-in kommt\n"
        "/aftersession – sag mir, dass du gerade eine Sitzung hattest\n"
        "/pause – Check-ins pausieren · /resume – wieder starten\n"
        "/stop – die Übung oder die Check-ins beenden\n"
        "/mydata – eine Kopie deiner Daten · /delete – sie löschen\n"
        "/about – was ich bin und was ich speichere\n"
        "/country – dein Land, für die richtigen Krisentelefone\n"
        "/timezone – deine Zeitzone, für die Zeit der Check-ins\n"
        "/sos – sofort Hilfe\n\n"
        "Ich bin keine Therapeutin und kein Therapeut und kann in einem Notfall nicht helfen."
    ),
}
ONLY_TEXT: Text = {
    "en": "I can only read text here. You can type your answer, or tap one of the buttons.",
    "de": "Ich kann hier nur Text lesen. Du kannst deine Antwort tippen oder einen Knopf antippen.",
}
NOTHING_OPEN: Text = {
    "en": (
        "I'm here. If you'd like to check in, tap /checkin. For help right now, tap /sos. "
        "/help shows everything I can do."
    ),
    "de": (
        "Ich bin da. Wenn du einchecken möchtest, tippe /checkin. Für sofortige Hilfe tippe /sos. "
        "/help zeigt alles, was ich kann."
    ),
}
FINISH_SETUP: Text = {
    "en": "Let's finish setting up first. Tap /start to begin again.",
    "de": "Lass uns zuerst die Einrichtung abschließen. Tippe /start, um neu zu beginnen.",
}
STALE_TAP: Text = {
    "en": "That question is already answered.",
    "de": "Diese Frage ist schon beantwortet.",
}
RESUME_LABEL: Text = {"en": "↩ Back to where we were", "de": "↩ Zurück, wo wir waren"}
# Anything but new danger words while a flow waits under the crisis lines: the flow stays
# paused (only the button goes back to it), and the client hears that they were read.
PAUSED_BY_CRISIS: Text = {
    "en": (
        "I'm here. What we were doing is paused. When you're ready, tap “{back}” to go on, "
        "or /stop to leave it. If you need someone to talk to right now, tap /sos."
    ),
    "de": (
        "Ich bin da. Was wir gerade gemacht haben, ist pausiert. Wenn du bereit bist, tippe "
        "„{back}“, um weiterzumachen, oder /stop, um es zu beenden. Wenn du jetzt mit jemandem "
        "sprechen möchtest, tippe /sos."
    ),
}
# Said by the bot itself when saving an answer queued an alert telling the therapist the client
# was advised to contact them, and the flow has no triage step of its own in that step: the
# client hears it first (the flows' triage steps use the same words).
CONTACT_NOW: Text = {
    "en": "<b>Please contact {name} now, not later.</b>\n{contact}",
    "de": "<b>Bitte melde dich jetzt bei {name}, nicht erst später.</b>\n{contact}",
}
CONTACT_SOON: Text = {
    "en": "<b>It would be good to contact {name} soon</b>, today or tomorrow.\n{contact}",
    "de": "<b>Es wäre gut, dich bald bei {name} zu melden</b>, heute oder morgen.\n{contact}",
}
PAUSE_ASK: Text = {
    "en": "How long should I pause check-ins?",
    "de": "Wie lange soll ich die Check-ins pausieren?",
}
PAUSE_LABELS: tuple[tuple[Text, str], ...] = (
    ({"en": "1 day", "de": "1 Tag"}, "p:1"),
    ({"en": "3 days", "de": "3 Tage"}, "p:3"),
    ({"en": "1 week", "de": "1 Woche"}, "p:7"),
)
PAUSED: Text = {
    "en": "Check-ins are paused until {until}. /resume starts them again sooner.",
    "de": "Die Check-ins sind pausiert bis {until}. /resume startet sie früher wieder.",
}
RESUMED: Text = {
    "en": "Check-ins are back on. I'll check in after your sessions as planned.",
    "de": "Die Check-ins sind wieder an. Ich melde mich wie geplant nach deinen Sitzungen.",
}
STOP_ASK: Text = {
    "en": "Do you want to stop check-ins? You can still use /checkin, /log and the others any time.",
    "de": (
        "Möchtest du die Check-ins beenden? Du kannst /checkin, /log und die anderen "
        "trotzdem jederzeit nutzen."
    ),
}
STOP_LABELS: tuple[tuple[Text, str], ...] = (
    ({"en": "Stop check-ins", "de": "Check-ins beenden"}, "sc:yes"),
    ({"en": "Keep them", "de": "Behalten"}, "sc:no"),
)
STOPPED_CHECKINS: Text = {
    "en": "Check-ins are stopped. Nothing more will come unless you ask. /resume turns them on again.",
    "de": (
        "Die Check-ins sind beendet. Es kommt nichts mehr, außer du fragst. "
        "/resume schaltet sie wieder ein."
    ),
}
KEPT: Text = {"en": "Okay, nothing changes.", "de": "In Ordnung, es ändert sich nichts."}
NOTHING_TO_RESUME: Text = {
    "en": "There is nothing to go back to. /checkin starts a new check-in.",
    "de": "Es gibt nichts, wohin wir zurückkönnen. /checkin startet einen neuen Check-in.",
}
DELETE_ASK: Text = {
    "en": (
        "This deletes everything I stored about you: your check-ins, notes and settings. "
        "Your therapist will no longer see them. It cannot be undone. Delete now?"
    ),
    "de": (
        "Das löscht alles, was ich über dich gespeichert habe: deine Check-ins, Notizen und "
        "Einstellungen. Deine Therapeutin oder dein Therapeut sieht sie dann nicht mehr. "
        "Das lässt sich nicht rückgängig machen. Jetzt löschen?"
    ),
}
DELETE_LABELS: tuple[tuple[Text, str], ...] = (
    ({"en": "Yes, delete all", "de": "Ja, alles löschen"}, "del:yes"),
    ({"en": "No, keep it", "de": "Nein, behalten"}, "del:no"),
)
DELETED: Text = {
    "en": (
        "Done. Everything I stored about you is deleted. If you ever want to come back, "
        "ask your therapist for a new invite link. Take care."
    ),
    "de": (
        "Erledigt. Alles, was ich über dich gespeichert hatte, ist gelöscht. Wenn du "
        "irgendwann zurückkommen möchtest, frag nach einem neuen Einladungslink. Pass auf dich auf."
    ),
}
EXPORT_CAPTION: Text = {
    "en": "Here is everything I store about you, as a file.",
    "de": "Hier ist alles, was ich über dich speichere, als Datei.",
}
EXPORT_SUMMARY_CAPTION: Text = {
    "en": "The same, in short and in words.",
    "de": "Dasselbe, kurz und in Worten.",
}
NO_NEXT: Text = {
    "en": "No check-in is planned right now.",
    "de": "Gerade ist kein Check-in geplant.",
}
NEXT: Text = {"en": "Your next check-in: {when}.", "de": "Dein nächster Check-in: {when}."}
NOTE_DELETED: Text = {"en": "Note deleted.", "de": "Notiz gelöscht."}
NOTE_GONE: Text = {
    "en": "That note is already gone.",
    "de": "Diese Notiz gibt es schon nicht mehr.",
}
NO_NOTES: Text = {
    "en": "You have no notes for the next session yet.",
    "de": "Du hast noch keine Notizen für die nächste Sitzung.",
}
NOTES_TITLE: Text = {
    "en": "<b>Your notes for the next session</b>",
    "de": "<b>Deine Notizen für die nächste Sitzung</b>",
}
DELETE_NOTE_LABEL: Text = {"en": "🗑 Delete note {number}", "de": "🗑 Notiz {number} löschen"}
SNOOZE_OFFER: Text = {
    "en": "Not a good moment? I can ask again later.",
    "de": "Gerade kein guter Moment? Ich kann später noch einmal fragen.",
}
SNOOZED: Text = {
    "en": "Okay, I'll check in again {when}. Take care until then.",
    "de": "In Ordnung, ich melde mich wieder: {when}. Pass bis dahin auf dich auf.",
}
SNOOZE_LABELS: tuple[tuple[Text, str], ...] = (
    ({"en": "In 1 hour", "de": "In 1 Stunde"}, "z:1h"),
    ({"en": "This evening", "de": "Heute Abend"}, "z:eve"),
    ({"en": "Tomorrow", "de": "Morgen"}, "z:tom"),
)
REMINDER: Text = {
    "en": (
        "Just a gentle nudge: I asked how you're doing earlier. "
        "Answer whenever you're ready, or /pause if now is not a good time."
    ),
    "de": (
        "Nur eine sanfte Erinnerung: Ich habe vorhin gefragt, wie es dir geht. "
        "Antworte, wann immer du bereit bist, oder /pause, wenn es gerade nicht passt."
    ),
}
CONCERN: Text = {
    "en": (
        "That sounds really heavy. Thank you for telling me. "
        "Would you like to check in together, or see who you can talk to right now?"
    ),
    "de": (
        "Das klingt wirklich schwer. Danke, dass du es mir sagst. "
        "Möchtest du gemeinsam einchecken, oder sehen, mit wem du jetzt sprechen kannst?"
    ),
}
CONCERN_LABELS: tuple[tuple[Text, str], ...] = (
    ({"en": "Check in now", "de": "Jetzt einchecken"}, "go:after_session"),
    ({"en": "Who can I talk to?", "de": "Mit wem kann ich reden?"}, "sos:"),
)
SORRY: Text = {
    "en": (
        "Sorry, something went wrong on my side and I could not take that in. Please try again "
        "in a moment. If you need help right now, tap /sos."
    ),
    "de": (
        "Entschuldige, bei mir ist etwas schiefgegangen und ich konnte das nicht annehmen. "
        "Bitte versuch es gleich noch einmal. Wenn du sofort Hilfe brauchst, tippe /sos."
    ),
}
BLOCKED_ELSEWHERE: Text = {
    "en": "You are registered as a therapist here. /help lists your commands.",
    "de": "Du bist hier als Therapeut:in registriert. /help zeigt deine Befehle.",
}
