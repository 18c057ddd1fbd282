"""The shape of TELEGRAM_BOT_TOKEN, checked when the configuration loads.

A token is the bot's numeric id, a colon and a secret (`123456789:AAE...`, the secret about 35
letters, digits, `-` and `_`). Without this check a malformed token, or one pasted with a line
break, reached Telegram only at start-up, where it looked like an unreachable API and was
retried for about 94 seconds. Messages name the variable and what is wrong; never the token.
"""

from __future__ import annotations

import logging
import re

from bot.errors import ConfigError

log = logging.getLogger(__name__)

TOKEN_ENV = "TELEGRAM_BOT_TOKEN"
_SHAPE = re.compile(r"[0-9]+:[A-Za-z0-9_-]+")
_FIX = (
    "copy the whole token @BotFather gave you (digits, a colon, then the secret, like "
    "123456789:AAE...) into TELEGRAM_BOT_TOKEN, nothing before or after it"
)


def read_bot_token(raw: str) -> str:
    """The token without surrounding whitespace; ConfigError if it cannot be a bot token."""
    token = raw.strip()
    if not token:
        raise ConfigError(TOKEN_ENV, [f"{TOKEN_ENV} holds only spaces or line breaks: {_FIX}"])
    if not _SHAPE.fullmatch(token):
        problem = (
            "has a space or line break inside it"
            if any(c.isspace() for c in token)
            else "is not shaped like a bot token"
        )
        raise ConfigError(TOKEN_ENV, [f"{TOKEN_ENV} {problem}: {_FIX}"])
    if token != raw:
        # A trailing newline from a secrets file or `echo` is harmless once removed: say so once.
        log.warning("%s had spaces or a line break around it; they were removed", TOKEN_ENV)
    return token
