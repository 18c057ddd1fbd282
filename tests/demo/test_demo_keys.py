"""Which buttons a typed line taps in the demo: only the newest question's, a number at a scale is
that number, and the follow-up's snooze offer never takes a typed rating."""

from __future__ import annotations

from bot.demo.keys import Key, key_for, listing, live_keys
from bot.testing.records import SentMessage


def message(message_id: int, text: str, *labels: str, data: str = "7") -> SentMessage:
    """A bot message (its `seq` is its id); its buttons answer flow prompt 7 unless `data` is a
    service prefix."""
    markup = None
    if labels:
        row = [{"text": label, "callback_data": f"{data}:{label}"} for label in labels]
        markup = {"inline_keyboard": [row]}
    return SentMessage(1001, message_id, 0, text, text, None, reply_markup=markup, seq=message_id)


def label_of(line: str, keys: list[Key]) -> tuple[str, int] | None:
    key = key_for(line, keys)
    return None if key is None else (key.label, key.message_id)


SCALE = [str(n) for n in range(11)]


def test_a_typed_number_at_a_scale_is_that_number():
    """Typing 7 at a 0-10 scale taps the button "7", not the seventh button ("6")."""
    keys = live_keys([message(1, "How strong?", *SCALE)])
    assert label_of("7", keys) == ("7", 1)
    assert label_of("0", keys) == ("0", 1)


def test_the_snooze_offer_after_a_scale_never_takes_a_typed_rating():
    """The follow-up asks a scale then offers snoozes: "2" is the rating, the snoozes get letters."""
    messages = [
        message(1, "How strong?", *SCALE),
        message(2, "Not a good moment?", "In 1 hour", "This evening", "Tomorrow", data="z"),
    ]
    keys = live_keys(messages)
    assert label_of("2", keys) == ("2", 1)
    assert label_of("a", keys) == ("In 1 hour", 2)
    assert "[a] In 1 hour" in listing(keys)
    assert "[7] 7" in listing(keys)


def test_a_second_follow_up_makes_the_first_snooze_offer_stale():
    """snooze, question, snooze: the newest question takes digits, only its own snoozes letters."""
    snoozes = ("In 1 hour", "This evening", "Tomorrow")
    messages = [
        message(1, "Not a good moment?", *snoozes, data="z"),
        message(2, "How strong?", *SCALE),
        message(3, "Not a good moment?", *snoozes, data="z"),
    ]
    keys = live_keys(messages)
    assert label_of("2", keys) == ("2", 2)
    assert label_of("a", keys) == ("In 1 hour", 3)
    assert all(key.message_id != 1 for key in keys)


def test_service_buttons_alone_are_numbered():
    """A /delete confirmation (the service's own buttons) is the question when nothing else is."""
    keys = live_keys([message(1, "Delete now?", "Yes, delete all", "No, keep it", data="del")])
    assert label_of("1", keys) == ("Yes, delete all", 1)


def test_a_confirmation_asked_after_a_command_takes_the_digits():
    """/delete typed at an open question: its confirmation is answered by 1, not the question."""
    messages = [
        message(1, "Which words fit?", "Sad", "Done"),
        message(3, "Delete now?", "Yes, delete all", "No, keep it", data="del"),
    ]
    keys = live_keys(messages, since=2)  # the person typed /delete at seq 2
    assert label_of("1", keys) == ("Yes, delete all", 3)
    assert [k.label for k in keys] == ["Yes, delete all", "No, keep it"]


def test_a_question_edited_after_a_tap_stays_live():
    """Toggling a multi-select edits the question: it was sent before the tap and still counts."""
    keys = live_keys([message(1, "Which words fit?", "✓ Sad", "Done")], since=2)
    assert label_of("2", keys) == ("Done", 1)


def test_a_choice_is_tapped_by_position_or_by_its_label():
    keys = live_keys([message(1, "What now?", "Log", "Sit", "Nothing now")])
    assert label_of("2", keys) == ("Sit", 1)
    assert label_of("nothing now", keys) == ("Nothing now", 1)
    assert key_for("4", keys) is None  # no fourth button: sent as text


def test_older_buttons_accept_nothing_once_a_message_without_buttons_followed():
    """A "🗑 Delete note 1" button above a "Type your note" prompt never captures a typed 1."""
    messages = [
        message(1, "Your notes", "🗑 Delete note 1"),
        message(2, "Type your note."),
    ]
    assert live_keys(messages) == []
    assert key_for("1", live_keys(messages)) is None


def test_only_the_newest_run_of_buttons_is_live():
    messages = [
        message(1, "Old snooze", "In 1 hour"),
        message(2, "Thanks."),
        message(3, "Pick one", "Yes", "No"),
    ]
    keys = live_keys(messages)
    assert [(k.key, k.label, k.message_id) for k in keys] == [("1", "Yes", 3), ("2", "No", 3)]


def test_a_deleted_message_does_not_end_the_live_run():
    gone = message(2, "Deleted")
    gone.deleted = True
    keys = live_keys([message(1, "Pick", "Yes", "No"), gone])
    assert [k.label for k in keys] == ["Yes", "No"]


def test_more_asides_than_letters_get_two_letter_keys():
    """Ten snooze offers after one question (30 buttons): past z the keys go on aa, ab, ...,
    each taps its own button, and listing them does not crash the demo."""
    snoozes = ("In 1 hour", "This evening", "Tomorrow")
    messages = [message(1, "How strong?", *SCALE)]
    messages += [message(n, "Not a good moment?", *snoozes, data="z") for n in range(2, 12)]
    keys = live_keys(messages)
    lettered = [key.key for key in keys if not key.key.isdigit()]
    assert len(lettered) == 30
    assert len(set(lettered)) == 30
    assert lettered[25:27] == ["z", "aa"]
    assert label_of("aa", keys) == ("Tomorrow", 10)
    assert label_of("7", keys) == ("7", 1)
