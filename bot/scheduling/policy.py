"""The follow-up policy in force for one client: clinic defaults, overridden field by field.

Precedence: a client's override beats their therapist's, which beats the clinic's configuration.
`None` in an override means "inherit". Overrides are stored as text (`3h`, `21:30`, `off`) and
validated here, so a bad value is refused with the fix in the message before it is saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta

from bot.config import FollowUpConfig, QuietHours, format_duration, parse_duration
from bot.config.models import _parse_clock
from bot.errors import CheckinError
from bot.storage.models import PolicyOverride


class TimingError(CheckinError, ValueError):
    """A timing value (offset, quiet hours, reminder, cap) is not valid."""


@dataclass(frozen=True)
class Policy:
    """Everything the planner and dispatcher need to know about when to ping a client."""

    offsets: tuple[timedelta, ...]
    day_before_next_session: bool
    quiet_hours: QuietHours
    reminder_after: timedelta | None
    max_pings_per_day: int
    useful_window: timedelta
    session_length: timedelta

    def describe(self) -> dict[str, str]:
        """The policy as short human text, one line per field (for `/timing` and the CLI)."""
        return {
            "offsets": ", ".join(format_duration(o) for o in self.offsets) or "none",
            "day_before_next_session": "on" if self.day_before_next_session else "off",
            "quiet_hours": f"{self.quiet_hours.start:%H:%M}-{self.quiet_hours.end:%H:%M}",
            "reminder_after": format_duration(self.reminder_after)
            if self.reminder_after
            else "off",
            "max_pings_per_day": str(self.max_pings_per_day),
            "useful_window": format_duration(self.useful_window),
            "session_length": format_duration(self.session_length),
        }


def clinic_policy(clinic: FollowUpConfig) -> Policy:
    return Policy(
        offsets=tuple(sorted(clinic.offsets)),
        day_before_next_session=clinic.day_before_next_session,
        quiet_hours=clinic.quiet_hours,
        reminder_after=clinic.reminder_after,
        max_pings_per_day=clinic.max_pings_per_day,
        useful_window=clinic.useful_window,
        session_length=clinic.session_length,
    )


def effective_policy(
    clinic: FollowUpConfig, therapist: PolicyOverride | None, client: PolicyOverride | None
) -> Policy:
    """The clinic policy with the therapist's and then the client's overrides laid on top."""
    policy = clinic_policy(clinic)
    for override in (therapist, client):
        if override is not None:
            policy = _overlay(policy, override)
    return policy


def _overlay(policy: Policy, o: PolicyOverride) -> Policy:
    quiet = policy.quiet_hours
    if o.quiet_start is not None or o.quiet_end is not None:
        quiet = QuietHours(
            start=parse_clock(o.quiet_start) if o.quiet_start else quiet.start,
            end=parse_clock(o.quiet_end) if o.quiet_end else quiet.end,
        )
    return Policy(
        offsets=parse_offsets(o.offsets) if o.offsets is not None else policy.offsets,
        day_before_next_session=policy.day_before_next_session
        if o.day_before_next_session is None
        else o.day_before_next_session,
        quiet_hours=quiet,
        reminder_after=policy.reminder_after
        if o.reminder_after is None
        else parse_reminder(o.reminder_after),
        max_pings_per_day=policy.max_pings_per_day
        if o.max_pings_per_day is None
        else parse_cap(o.max_pings_per_day),
        useful_window=policy.useful_window,
        session_length=policy.session_length,
    )


# ---- validation of override values (used by the timing service and the CLI) -------------------

MAX_OFFSET = timedelta(days=14)


def parse_offset(text: str) -> timedelta:
    try:
        value = parse_duration(text)
    except ValueError as exc:
        raise TimingError(f"Follow-up offset {exc}") from None
    if not timedelta(minutes=5) <= value <= MAX_OFFSET:
        raise TimingError(
            f"Follow-up offset {text!r} is out of range; use 5m to {format_duration(MAX_OFFSET)}"
        )
    return value


def parse_offsets(texts: list[str] | tuple[str, ...]) -> tuple[timedelta, ...]:
    """Offsets sorted and de-duplicated; an empty list means no follow-ups after sessions."""
    return tuple(sorted({parse_offset(t) for t in texts}))


def parse_clock(text: str) -> time:
    try:
        return _parse_clock(text)
    except ValueError as exc:
        raise TimingError(f"Quiet hours: {exc}") from None


def parse_reminder(text: str) -> timedelta | None:
    """`off` (or `none`) turns the reminder off; otherwise a duration like `4h`."""
    if text.strip().lower() in ("off", "none", "0"):
        return None
    try:
        value = parse_duration(text)
    except ValueError as exc:
        raise TimingError(f"Reminder {exc}, or 'off'") from None
    if not timedelta(minutes=15) <= value <= timedelta(days=2):
        raise TimingError(f"Reminder {text!r} is out of range; use 15m to 2d, or 'off'")
    return value


def parse_cap(value: int | str) -> int:
    try:
        cap = int(value)
    except ValueError:
        raise TimingError(f"Pings per day {value!r} is not a number; use 1 to 24") from None
    if not 1 <= cap <= 24:
        raise TimingError(f"Pings per day {value!r} is out of range; use 1 to 24")
    return cap
