"""The contact-your-therapist rules over a client's check-ins since their last session.

Pure: the caller passes the check-ins, when the session ended, `now` and the rules; nothing here
reads a clock or a database. Check-ins before the session ended or after `now` are ignored.

The four rules, reported in this order (docs/safety.md has the precise definitions):
`persisting`, `coping_not_working`, `unable_to_function`, `crisis`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Literal

from bot.errors import CheckinError
from bot.safety.screening import screen_text

SelfCare = Literal["none", "tried_helped", "tried_not_helped"]
SELF_CARE_VALUES: tuple[str, ...] = ("none", "tried_helped", "tried_not_helped")
RULE_ORDER = ("persisting", "coping_not_working", "unable_to_function", "crisis")


class TriageInputError(CheckinError, ValueError):
    """Triage was given a value it cannot use; the message names it and what is valid."""


@dataclass(frozen=True)
class TriageRules:
    """Thresholds, configurable per clinic and per therapist (defaults from the clinical notes)."""

    persist_days: int = 2
    distress_threshold: int = 6
    significant_distress: int = 7
    coping_attempts: int = 2

    def __post_init__(self) -> None:
        for name in ("persist_days", "coping_attempts"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise TriageInputError(f"{name} must be a whole number of 1 or more, not {value!r}")
        for name in ("distress_threshold", "significant_distress"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
                raise TriageInputError(f"{name} must be a whole number from 0 to 10, not {value!r}")


@dataclass(frozen=True)
class CheckIn:
    """One check-in: when, how strong the distress was (0-10, or not asked), and what happened."""

    at: datetime
    distress: int | None
    unable_to_function: bool = False
    self_care: SelfCare = "none"
    text: str | None = None

    def __post_init__(self) -> None:
        _require_aware("at", self.at)
        if self.distress is not None and (
            isinstance(self.distress, bool)
            or not isinstance(self.distress, int)
            or not 0 <= self.distress <= 10
        ):
            raise TriageInputError(f"distress must be 0-10 or None, not {self.distress!r}")
        if self.self_care not in SELF_CARE_VALUES:
            raise TriageInputError(
                f"self_care must be one of {', '.join(SELF_CARE_VALUES)}, not {self.self_care!r}"
            )


@dataclass(frozen=True)
class RuleFinding:
    """Why one rule fired: its name, the check-ins (input indices and times), a summary."""

    rule: str
    checkins: tuple[int, ...]
    times: tuple[datetime, ...]
    summary: str


@dataclass(frozen=True)
class TriageResult:
    contact_therapist: bool
    crisis: bool
    reasons: tuple[str, ...]
    details: tuple[RuleFinding, ...]


def _require_aware(name: str, value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise TriageInputError(
            f"{name} must be a time-zone aware datetime, not {value.isoformat()!r} "
            "(add an offset such as +00:00)"
        )


_Indexed = tuple[int, CheckIn]


def _order(item: _Indexed) -> tuple[datetime, int, int]:
    """Time order; at one instant lower distress first, so the caller's order never matters."""
    distress = item[1].distress
    return item[1].at, -1 if distress is None else distress, item[0]


def _finding(rule: str, items: Sequence[_Indexed], summary: str) -> RuleFinding:
    ordered = sorted(items, key=_order)
    return RuleFinding(rule, tuple(i for i, _ in ordered), tuple(c.at for _, c in ordered), summary)


def _raised_runs(items: Sequence[_Indexed], threshold: int) -> list[list[_Indexed]]:
    """Runs of check-ins at or above `threshold`; a lower one ends a run; None is skipped."""
    runs: list[list[_Indexed]] = [[]]
    for item in items:
        distress = item[1].distress
        if distress is None:
            continue
        if distress >= threshold:
            runs[-1].append(item)
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if run]


def _persisting_raised(items: Sequence[_Indexed], rules: TriageRules) -> RuleFinding | None:
    limit = timedelta(days=rules.persist_days)
    runs = [
        run
        for run in _raised_runs(items, rules.distress_threshold)
        if run[-1][1].at - run[0][1].at > limit
    ]
    if not runs:
        return None
    run = max(runs, key=lambda r: r[-1][1].at - r[0][1].at)
    span = run[-1][1].at - run[0][1].at
    return _finding(
        "persisting",
        run,
        f"distress at or above {rules.distress_threshold} on {len(run)} check-ins over "
        f"{_duration(span)} (more than {rules.persist_days} days), none lower in between",
    )


def _daily_peaks(items: Sequence[_Indexed], tz: tzinfo) -> dict[date, _Indexed]:
    """Per calendar day in `tz`, the check-in with the highest distress (the first on a tie)."""
    peaks: dict[date, _Indexed] = {}
    for item in items:
        distress = item[1].distress
        if distress is None:
            continue
        day = item[1].at.astimezone(tz).date()
        best = peaks.get(day)
        if best is None or distress > (best[1].distress or 0):
            peaks[day] = item
    return peaks


def _persisting_rising(
    items: Sequence[_Indexed], rules: TriageRules, tz: tzinfo
) -> RuleFinding | None:
    peaks = _daily_peaks(items, tz)
    best: list[date] = []
    streak: list[date] = []
    for day in sorted(peaks):
        rising = (
            streak
            and day - streak[-1] == timedelta(days=1)
            and (peaks[day][1].distress or 0) > (peaks[streak[-1]][1].distress or 0)
        )
        streak = [*streak, day] if rising else [day]
        if len(streak) > len(best):
            best = streak
    if len(best) <= rules.persist_days:
        return None
    values = " < ".join(str(peaks[d][1].distress) for d in best)
    return _finding(
        "persisting",
        [peaks[d] for d in best],
        f"the day's highest distress rose every day for {len(best)} days in a row "
        f"({values}; more than {rules.persist_days} days)",
    )


def _coping_not_working(items: Sequence[_Indexed], rules: TriageRules) -> RuleFinding | None:
    attempts = [item for item in items if item[1].self_care == "tried_not_helped"]
    rated = [item for item in items if item[1].distress is not None]
    if len(attempts) < rules.coping_attempts or not rated:
        return None
    latest = rated[-1]
    if (latest[1].distress or 0) < rules.significant_distress:
        return None
    involved = {item[0]: item for item in [*attempts, latest]}
    return _finding(
        "coping_not_working",
        list(involved.values()),
        f"{len(attempts)} self-care attempts did not help (rule: {rules.coping_attempts}) and the "
        f"latest distress is {latest[1].distress} (rule: {rules.significant_distress} or more)",
    )


def _unable_to_function(items: Sequence[_Indexed]) -> RuleFinding | None:
    hits = [item for item in items if item[1].unable_to_function]
    if not hits:
        return None
    return _finding("unable_to_function", hits, "the client reported being unable to function")


def _crisis(items: Sequence[_Indexed]) -> RuleFinding | None:
    hits: list[_Indexed] = []
    reasons: list[str] = []
    for item in items:
        if item[1].text is None:
            continue
        screened = screen_text(item[1].text)
        if screened.level == "crisis":
            hits.append(item)
            reasons.extend(r for r in screened.reasons if r not in reasons)
    if not hits:
        return None
    return _finding("crisis", hits, f"text screened as crisis ({', '.join(reasons)})")


def _duration(span: timedelta) -> str:
    hours, minutes = divmod(int(span.total_seconds()) // 60, 60)
    days, hours = divmod(hours, 24)
    return f"{days}d {hours}h {minutes}m"


def evaluate_triage(
    checkins: Sequence[CheckIn],
    session_ended_at: datetime | None,
    now: datetime,
    rules: TriageRules,
    tz: tzinfo = UTC,
) -> TriageResult:
    """Apply the four rules to the check-ins from `session_ended_at` (inclusive) up to `now`.

    `tz` sets the day boundaries for the rising-distress rule. Findings name check-ins by their
    index in `checkins`.
    """
    _require_aware("now", now)
    if session_ended_at is not None:
        _require_aware("session_ended_at", session_ended_at)
    items = sorted(
        (
            (i, c)
            for i, c in enumerate(checkins)
            if c.at <= now and (session_ended_at is None or c.at >= session_ended_at)
        ),
        key=_order,
    )
    candidates = (
        _persisting_raised(items, rules),
        _persisting_rising(items, rules, tz),
        _coping_not_working(items, rules),
        _unable_to_function(items),
        _crisis(items),
    )
    details = tuple(f for f in candidates if f is not None)
    reasons = tuple(rule for rule in RULE_ORDER if any(f.rule == rule for f in details))
    crisis = "crisis" in reasons
    return TriageResult(bool(reasons), crisis, reasons, details)
