"""Logging that never carries message text or the bot token."""

from __future__ import annotations

import logging

from bot.config import Config


class RedactToken(logging.Filter):
    """Replace the token wherever it appears (httpx logs request URLs, which contain it)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if self.token:
            message = record.getMessage()
            if self.token in message:
                record.msg = message.replace(self.token, "<token>")
                record.args = None
        return True


def configure_logging(config: Config) -> None:
    logging.basicConfig(
        level=config.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # httpx logs every request URL (with the token) at INFO; APScheduler logs every tick;
    # python-telegram-bot logs each API call's parameters (message text) at DEBUG.
    # aiohttp's client, under our Bot API calls, logs little, but never below WARNING either.
    for noisy in ("httpx", "httpcore", "aiohttp.client", "telegram", "telegram.ext", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # APScheduler warns whenever a tick is skipped because the previous one still runs: by design.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    if config.bot_token is not None:
        redact = RedactToken(config.bot_token.get_secret_value())
        for handler in logging.getLogger().handlers:
            handler.addFilter(redact)
