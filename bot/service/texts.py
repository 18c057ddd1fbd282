"""The bot's own short texts outside the flows (commands, errors). Flows hold everything else."""

from __future__ import annotations

STRANGER = (
    "Hi! I'm checkin, a companion that therapists invite their clients to between sessions.\n"
    "To start, please open the invite link your therapist gave you.\n\n"
    "If you are in danger or thinking about ending your life, please call your local "
    "emergency number now."
)
CLIENT_HELP = (
    "<b>What you can do here</b>\n"
    "/checkin – check in now\n"
    "/log – write down how you feel\n"
    "/selfcare – a calming exercise\n"
    "/sit – sit with a feeling for a few minutes\n"
    "/note – a note for your next session\n"
    "/pass – a reminder that it will pass\n"
    "/stopping – if you are thinking about ending therapy\n"
    "/next – when my next check-in comes\n"
    "/aftersession – tell me you just had a session\n"
    "/pause – pause check-ins · /resume – start them again\n"
    "/stop – stop the current exercise, or stop check-ins\n"
    "/mydata – get a copy of your data · /delete – delete it\n"
    "/about – what I am and what I store\n"
    "/sos – help right now\n\n"
    "I'm not a therapist and I can't help in an emergency."
)
ONLY_TEXT = "I can only read text here. You can type your answer, or tap one of the buttons."
NOTHING_OPEN = (
    "I'm here. If you'd like to check in, tap /checkin. For help right now, tap /sos. "
    "/help shows everything I can do."
)
FINISH_SETUP = "Let's finish setting up first. Tap /start to begin again."
STALE_TAP = "That question is already answered."
RESUME_LABEL = "↩ Back to where we were"
PAUSE_ASK = "How long should I pause check-ins?"
PAUSED = "Check-ins are paused until {until}. /resume starts them again sooner."
RESUMED = "Check-ins are back on. I'll check in after your sessions as planned."
STOP_ASK = (
    "Do you want to stop check-ins? You can still use /checkin, /log and the others any time."
)
STOPPED_CHECKINS = (
    "Check-ins are stopped. Nothing more will come unless you ask. /resume turns them on again."
)
KEPT = "Okay, nothing changes."
NOTHING_TO_RESUME = "There is nothing to go back to. /checkin starts a new check-in."
DELETE_ASK = (
    "This deletes everything I stored about you: your check-ins, notes and settings. "
    "Your therapist will no longer see them. It cannot be undone. Delete now?"
)
DELETED = (
    "Done. Everything I stored about you is deleted. If you ever want to come back, "
    "ask your therapist for a new invite link. Take care."
)
EXPORT_CAPTION = "Here is everything I store about you, as a file."
NO_NEXT = "No check-in is planned right now."
NEXT = "Your next check-in: {when}."
NOTE_DELETED = "Note deleted."
NOTE_GONE = "That note is already gone."
BLOCKED_ELSEWHERE = "You are registered as a therapist here. /help lists your commands."
SNOOZE_OFFER = "Not a good moment? I can ask again later."
SNOOZED = "Okay, I'll check in again {when}. Take care until then."
SNOOZE_LABELS = (("In 1 hour", "z:1h"), ("This evening", "z:eve"), ("Tomorrow", "z:tom"))
CONCERN = (
    "That sounds really heavy. Thank you for telling me. "
    "Would you like to check in together, or see who you can talk to right now?"
)
CONCERN_LABELS = (("Check in now", "go:after_session"), ("Who can I talk to?", "sos:"))
SORRY = (
    "Sorry, something went wrong on my side and I could not take that in. Please try again in a "
    "moment. If you need help right now, tap /sos."
)
