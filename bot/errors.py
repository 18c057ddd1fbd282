"""The project's exceptions: one root, lookups on `LookupError`, messages that say how to fix."""

from __future__ import annotations


class CheckinError(Exception):
    """Root of every error checkin raises on purpose."""


class ConfigError(CheckinError):
    """The configuration file is missing, malformed or invalid.

    `problems` holds one line per problem, each naming the key path, the bad value and what is valid.
    """

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        listing = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{source}: {len(problems)} problem(s) in the configuration:\n{listing}")


class NotFoundError(CheckinError, LookupError):
    """A record looked up by its id does not exist."""

    def __init__(self, what: str, key: object, hint: str = "", *, by: str = "the id") -> None:
        self.what = what
        self.key = key
        message = f"No {what} with {by} {key!r} was found."
        if hint:
            message += f" {hint}"
        super().__init__(message)


class AccessDeniedError(CheckinError, PermissionError):
    """Someone asked for data or a command that is not theirs."""
