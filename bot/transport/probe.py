"""Ask Telegram (or the emulator) two cheap questions for `checkin doctor`: is the token valid,
and can the bot write to these users (have they opened a chat with it)?"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from telegram import Bot
from telegram.error import Forbidden, InvalidToken, NetworkError, TelegramError


@dataclass
class Probe:
    """What Telegram said: the bot's username (None if the token was refused or the API not
    reached, with the reason), and the user ids it cannot write to, with why."""

    username: str | None = None
    problem: str | None = None
    unreachable: dict[int, str] = field(default_factory=dict)


async def probe(token: str, base_url: str, user_ids: Sequence[int]) -> Probe:
    bot = Bot(token, base_url=base_url, base_file_url=base_url.replace("/bot", "/file/bot"))
    result = Probe()
    try:
        async with bot:
            result.username = bot.username
            for user_id in user_ids:
                try:
                    await bot.get_chat(user_id)
                except Forbidden:
                    result.unreachable[user_id] = "has blocked the bot"
                except TelegramError as error:  # "Chat not found": they never opened the bot
                    result.unreachable[user_id] = f"cannot be written to ({error.message})"
    except InvalidToken:
        result.problem = "Telegram refused the token"
    except NetworkError as error:
        result.problem = f"the Bot API at {base_url} is unreachable ({error.message})"
    return result
