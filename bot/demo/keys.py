"""Which buttons a line typed in the demo taps: only the newest question's, never older ones.

In Telegram a client taps the button they mean. In the terminal they type, so the demo must decide
which of the bot's buttons a typed "2" is for. The rule:

- Only the last run of consecutive bot messages that carry buttons is live; once the bot has sent a
  message without buttons after them (a "Type your note" prompt, a confirmation), older buttons
  such as "🗑 Delete note 1" or an old snooze accept nothing typed. If some of that run came after
  the person's last action, only those count (a /delete confirmation, not the question before).
- In that run the question is the newest message asked by a flow (its buttons answer a prompt);
  messages after it are asides (the follow-up's snooze offer) and those before it are stale. With
  no flow question in the run, the newest message is the question (a /delete confirmation).
  The question's buttons are numbered 1, 2, ...; the asides' buttons get letters.
- On a scale (buttons labelled with whole numbers) a typed number is that number, never a
  position: typing 7 taps the button "7"; the scale's other buttons and the asides get letters.
- A line equal to a live button's label taps it; anything else is sent as typed text.
"""

from __future__ import annotations

import itertools
import re
import string
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from bot.testing.keyboard import inline_buttons
from bot.testing.records import SentMessage


@dataclass(frozen=True)
class Key:
    """One live button: what to type for it, its label, and the message it sits on."""

    key: str
    label: str
    message_id: int


def live_messages(messages: Sequence[SentMessage], since: int = 0) -> list[SentMessage]:
    """The newest run of consecutive messages with buttons (oldest first); empty if the newest
    message has none. Of that run only the messages sent after the person's last action
    (`since`, a `seq`) count, if any were: buttons from before a /delete are not its answer."""
    run: list[SentMessage] = []
    for message in reversed([m for m in messages if not m.deleted]):
        if not message.buttons():
            break
        run.append(message)
    run.reverse()
    fresh = [m for m in run if m.seq > since]
    return fresh or run


_PROMPT_DATA = re.compile(r"^\d+:")  # a flow's buttons: "<prompt number>:<value>"


def _answers_a_prompt(message: SentMessage) -> bool:
    """Whether the message's buttons answer a flow's question (not the service's own buttons,
    like snoozes `z:1h`)."""
    buttons = inline_buttons(message.reply_markup)
    return bool(buttons) and all(
        _PROMPT_DATA.match(str(b.get("callback_data", ""))) for b in buttons
    )


def _whole(label: str) -> bool:
    return label.strip().lstrip("-").isdigit()


def live_keys(messages: Sequence[SentMessage], since: int = 0) -> list[Key]:
    """Every live button with the key that taps it (see the module's rule)."""
    run = live_messages(messages, since)
    if not run:
        return []
    asked = [index for index, message in enumerate(run) if _answers_a_prompt(message)]
    first = asked[-1] if asked else len(run) - 1
    question, asides = run[first], run[first + 1 :]
    labels = question.buttons()
    scale = sum(_whole(label) for label in labels) >= 2
    letters = _letters()
    keys: list[Key] = []
    for position, label in enumerate(labels, 1):
        numbered = str(position) if not scale else label.strip() if _whole(label) else ""
        keys.append(Key(numbered or next(letters), label, question.message_id))
    for aside in asides:
        keys.extend(Key(next(letters), label, aside.message_id) for label in aside.buttons())
    return keys


def _letters() -> Iterator[str]:
    """a ... z, then aa, ab, ...: asides can pile up past 26 buttons (several check-ins' snooze
    offers after one question, when the demo's clock runs fast), and running out of letters
    crashed the demo."""
    yield from string.ascii_lowercase
    for width in itertools.count(2):
        for letters in itertools.product(string.ascii_lowercase, repeat=width):
            yield "".join(letters)


def key_for(line: str, keys: Sequence[Key]) -> Key | None:
    """The live button a typed line means, or None (then the line is sent as text)."""
    typed = line.strip()
    if not typed:
        return None
    for key in keys:
        if typed.lower() == key.key:
            return key
    for key in keys:
        if typed.casefold() == key.label.strip().casefold():
            return key
    return None


def listing(keys: Sequence[Key]) -> str:
    """The live buttons as one line, e.g. `[1] Yes   [2] No   [a] In 1 hour`."""
    return "   ".join(f"[{key.key}] {key.label}" for key in keys)
