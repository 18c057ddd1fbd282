"""Test tools that ship with checkin: a loopback Bot API emulator and a simulated Telegram user."""

from bot.testing.driver import SimulatedUser
from bot.testing.emulator import BotApiEmulator
from bot.testing.errors import (
    ApiError,
    ButtonNotFoundError,
    DriverError,
    ReplyTimeoutError,
)
from bot.testing.limits import Limits
from bot.testing.records import MessageVersion, SentMessage
from bot.testing.state import CallbackQueryRecord

__all__ = [
    "ApiError",
    "BotApiEmulator",
    "ButtonNotFoundError",
    "CallbackQueryRecord",
    "DriverError",
    "Limits",
    "MessageVersion",
    "ReplyTimeoutError",
    "SentMessage",
    "SimulatedUser",
]
