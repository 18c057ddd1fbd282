"""What a handler says happened to one row of due work, and what a tick did overall."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta


@dataclass(frozen=True)
class Sent:
    """The message went out (its Telegram message id, when there is one)."""

    message_id: int | None = None


@dataclass(frozen=True)
class Queued:
    """The messages are in the outbox but not yet accepted by Telegram: the outbox sender marks
    the row `sent` (or `failed`) when it knows. Nothing more for the dispatcher to record."""

    reason: str = "queued"


@dataclass(frozen=True)
class Skipped:
    """Nothing was sent on purpose; the reason is recorded (late, paused, stopped, ...)."""

    reason: str


@dataclass(frozen=True)
class Retry:
    """Try again later (back to pending after `after`, or the dispatcher's backoff).

    `transient` retries (the database was briefly away) never count towards giving up."""

    reason: str
    after: timedelta | None = None
    transient: bool = False


@dataclass(frozen=True)
class Failed:
    """Give up on this row; the reason and the attempts are recorded."""

    reason: str


Outcome = Sent | Queued | Skipped | Retry | Failed


@dataclass
class TickReport:
    claimed: int = 0
    sent: int = 0
    queued: int = 0
    skipped: int = 0
    retried: int = 0
    failed: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    def count(self, outcome: Outcome) -> None:
        if isinstance(outcome, Sent):
            self.sent += 1
            return
        if isinstance(outcome, Queued):
            self.queued += 1
            return
        if isinstance(outcome, Skipped):
            self.skipped += 1
        elif isinstance(outcome, Retry):
            self.retried += 1
        else:
            self.failed += 1
        self.reasons[outcome.reason] = self.reasons.get(outcome.reason, 0) + 1

    def merge(self, other: TickReport) -> None:
        self.claimed += other.claimed
        self.sent += other.sent
        self.queued += other.queued
        self.skipped += other.skipped
        self.retried += other.retried
        self.failed += other.failed
        for reason, n in other.reasons.items():
            self.reasons[reason] = self.reasons.get(reason, 0) + n
