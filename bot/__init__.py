"""checkin: a Telegram companion for therapy clients between sessions."""

__version__ = "0.1.0"
