"""Errors of the loopback Bot API emulator and its simulated users."""

from __future__ import annotations

from typing import Any

from bot.errors import CheckinError


class ApiError(CheckinError):
    """A Bot API call the emulator refuses, carrying Telegram's status code and description."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        self.status = status
        self.description = description
        self.retry_after = retry_after
        super().__init__(f"{status} {description}")

    def payload(self) -> dict[str, Any]:
        """The JSON body Telegram answers with for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


class DriverError(CheckinError):
    """A simulated user could not do what the test asked (no such button, no reply in time)."""


class ReplyTimeoutError(DriverError, TimeoutError):
    """The bot sent nothing to the simulated user within the timeout."""


class ButtonNotFoundError(DriverError, LookupError):
    """The simulated user was asked to tap a button no bot message shows."""
