"""The contact-your-therapist rules over a client's check-ins since their last session.

Pure: the caller passes the check-ins, when the session ended, `now` and the rules; nothing here
reads a clock or a database. Check-ins before the session ended or after `now` are ignored.

Triage describes the client's state *now*: the service runs it after every rating or answer and
on a timer, and records an alert the moment a rule fires. So a rule looks at what is current (the
latest rating, the last few days, a crisis in the last 24 hours) rather than at anything that
ever happened since the session; the therapist already heard about what is past.

The reasons, most urgent first (docs/safety.md has the table with every threshold):
`crisis`, `unable_to_function`, `severity`, `rapid_rise`, `persisting`, `rising`,
`coping_not_working`, `silence`. Each finding also names the exact `rule` that fired (for
example `severity` fires as `severity_9_10` or `severity_10_coping_failed`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, timedelta, tzinfo
from itertools import pairwise
from typing import Literal

from bot.errors import CheckinError
from bot.safety.functioning import says_unable_to_function
from bot.safety.screening import CATEGORY_ORDER, Category, screen_text

SelfCare = Literal["none", "tried_helped", "tried_not_helped"]
SELF_CARE_VALUES: tuple[str, ...] = ("none", "tried_helped", "tried_not_helped")
Urgency = Literal["now", "soon", "therapist"]
RULE_ORDER = (
    "crisis",
    "unable_to_function",
    "severity",
    "rapid_rise",
    "persisting",
    "rising",
    "coping_not_working",
    "silence",
)
# Reasons the client is told about; `silence` only alerts the therapist (the client is not there).
CLIENT_REASONS = frozenset(RULE_ORDER) - {"silence"}
# Persistence never fires below this level, whatever a therapist sets: 0, 1, 2 is not a concern.
MIN_PERSIST_LEVEL = 5


class TriageInputError(CheckinError, ValueError):
    """Triage was given a value it cannot use; the message names it and what is valid."""


_RATINGS = (
    "distress_threshold",
    "significant_distress",
    "severity_level",
    "rise_to",
    "silence_after",
)
_COUNTS = (
    "persist_days",
    "coping_attempts",
    "rise_points",
    "rise_hours",
    "silence_hours",
    "crisis_hold_hours",
    "unable_hours",
)


@dataclass(frozen=True)
class TriageRules:
    """Thresholds, configurable per clinic and per therapist (defaults from the clinical notes)."""

    persist_days: int = 2  # raised on most of the last persist_days + 1 days
    distress_threshold: int = 6  # "raised"
    significant_distress: int = 7  # still significant after self-care
    coping_attempts: int = 2  # failed self-care attempts before "coping is not working"
    severity_level: int = 9  # any rating at or above advises contact
    rise_points: int = 4  # a rise of this many points ...
    rise_hours: int = 36  # ... within this many hours ...
    rise_to: int = 7  # ... ending at or above this
    silence_after: int = 8  # a last rating at or above this ...
    silence_hours: int = 48  # ... and no answer for this long alerts the therapist
    crisis_hold_hours: int = 24  # a crisis stays current this long after its last signal
    unable_hours: int = 24  # a report of not managing the day stays current this long

    def __post_init__(self) -> None:
        for name in _COUNTS:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise TriageInputError(f"{name} must be a whole number of 1 or more, not {value!r}")
        for name in _RATINGS:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
                raise TriageInputError(f"{name} must be a whole number from 0 to 10, not {value!r}")

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


@dataclass(frozen=True)
class CheckIn:
    """One check-in: when, how strong the distress was (0-10, or not asked), and what happened.

    `partly_unable` is the "Partly" answer to "can you do your usual things today?".
    """

    at: datetime
    distress: int | None
    unable_to_function: bool = False
    self_care: SelfCare = "none"
    text: str | None = None
    partly_unable: bool = False

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
class CrisisSignal:
    """A crisis seen outside the check-ins (a message screened as crisis), with its category."""

    at: datetime
    category: Category | None = None


@dataclass(frozen=True)
class RuleFinding:
    """Why one reason fired: the reason, the exact rule, the check-ins involved, a summary.

    `checkins` are indices into the caller's list; `summary` never quotes client text.
    `urgency` is "now" (contact the therapist now), "soon", or "therapist" (the therapist is
    told; the client is not advised anything). `category` is the crisis category, if any.
    """

    reason: str
    rule: str
    checkins: tuple[int, ...]
    times: tuple[datetime, ...]
    summary: str
    urgency: Urgency = "soon"
    category: Category | None = None


@dataclass(frozen=True)
class TriageResult:
    contact_therapist: bool  # advise the client to contact their therapist
    crisis: bool
    reasons: tuple[str, ...]
    details: tuple[RuleFinding, ...]
    urgency: Urgency | None = None  # the most urgent finding's
    alert_therapist: bool = False  # any reason fired (silence alerts without advising)

    @property
    def client_reasons(self) -> tuple[str, ...]:
        return tuple(r for r in self.reasons if r in CLIENT_REASONS)


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


def _finding(
    reason: str,
    rule: str,
    items: Sequence[_Indexed],
    summary: str,
    urgency: Urgency = "soon",
    category: Category | None = None,
) -> RuleFinding:
    unique = {item[0]: item for item in items}
    ordered = sorted(unique.values(), key=_order)
    return RuleFinding(
        reason,
        rule,
        tuple(i for i, _ in ordered),
        tuple(c.at for _, c in ordered),
        summary,
        urgency,
        category,
    )


def _rated(items: Sequence[_Indexed]) -> list[_Indexed]:
    return [item for item in items if item[1].distress is not None]


def _d(item: _Indexed) -> int:
    return item[1].distress or 0


def _failed_attempts(items: Sequence[_Indexed]) -> list[_Indexed]:
    return [item for item in items if item[1].self_care == "tried_not_helped"]


def _severity(items: Sequence[_Indexed], rules: TriageRules) -> RuleFinding | None:
    """The latest rating is 9-10: contact advised; 10 after self-care that failed: now."""
    rated = _rated(items)
    if not rated or _d(rated[-1]) < rules.severity_level:
        return None
    latest = rated[-1]
    failed = _failed_attempts(items)
    if _d(latest) == 10 and failed:
        return _finding(
            "severity",
            "severity_10_coping_failed",
            [latest, *failed],
            "the latest distress is 10 and self-care did not help",
            "now",
        )
    return _finding(
        "severity",
        "severity_9_10",
        [latest],
        f"the latest distress is {_d(latest)} (rule: {rules.severity_level} or more)",
    )


def _rapid_rise(items: Sequence[_Indexed], rules: TriageRules) -> RuleFinding | None:
    """The latest rating is high and at least `rise_points` above one in the hours before it."""
    rated = _rated(items)
    if not rated or _d(rated[-1]) < rules.rise_to:
        return None
    latest = rated[-1]
    window = timedelta(hours=rules.rise_hours)
    earlier = [item for item in rated if timedelta(0) < latest[1].at - item[1].at <= window]
    if not earlier:
        return None
    low = min(earlier, key=_d)
    if _d(latest) - _d(low) < rules.rise_points:
        return None
    hours = (latest[1].at - low[1].at).total_seconds() / 3600
    return _finding(
        "rapid_rise",
        "rapid_rise",
        [low, latest],
        f"distress rose from {_d(low)} to {_d(latest)} within {hours:.0f} hours "
        f"(rule: {rules.rise_points} or more points within {rules.rise_hours} hours, "
        f"ending at {rules.rise_to} or more)",
    )


def _daily_peaks(items: Sequence[_Indexed], tz: tzinfo) -> dict[date, _Indexed]:
    """Per calendar day in `tz`, the check-in with the highest distress (the first on a tie)."""
    peaks: dict[date, _Indexed] = {}
    for item in _rated(items):
        day = item[1].at.astimezone(tz).date()
        best = peaks.get(day)
        if best is None or _d(item) > _d(best):
            peaks[day] = item
    return peaks


def _persisting(
    items: Sequence[_Indexed],
    rules: TriageRules,
    now: datetime,
    session_ended_at: datetime | None,
    tz: tzinfo,
) -> RuleFinding | None:
    """Raised on most of the last persist_days + 1 calendar days, and not falling.

    A day counts as raised when its highest rating is at or above the threshold, so one better
    evening does not undo the day. A falling trend (each rated day no higher than the one before,
    ending lower than it began) is recovery, not persistence.
    """
    threshold = max(rules.distress_threshold, MIN_PERSIST_LEVEL)
    span = rules.persist_days + 1
    today = now.astimezone(tz).date()
    first_day = today - timedelta(days=span - 1)
    if session_ended_at is not None and session_ended_at.astimezone(tz).date() > first_day:
        return None  # not yet persist_days + 1 days since the session
    peaks = _daily_peaks(items, tz)
    window = [day for day in sorted(peaks) if first_day <= day <= today]
    raised = [day for day in window if _d(peaks[day]) >= threshold]
    if len(raised) * 2 <= span:
        return None
    values = [_d(peaks[day]) for day in window]
    if all(b <= a for a, b in pairwise(values)) and values[-1] < values[0]:
        return None
    shown = ", ".join(str(v) for v in values)
    return _finding(
        "persisting",
        "persisting_most_days",
        [peaks[day] for day in raised],
        f"distress at or above {threshold} on {len(raised)} of the last {span} days "
        f"(day highs {shown}; rule: most of the last {span} days)",
    )


def _rising(items: Sequence[_Indexed], rules: TriageRules, tz: tzinfo) -> RuleFinding | None:
    """The day's highest rating rose every day for more than persist_days days, ending at 5+."""
    peaks = _daily_peaks(items, tz)
    streak: list[date] = []
    for day in sorted(peaks):
        rising = (
            streak
            and day - streak[-1] == timedelta(days=1)
            and _d(peaks[day]) > _d(peaks[streak[-1]])
        )
        streak = [*streak, day] if rising else [day]
    # Only the streak that ends on the latest rated day is current.
    if len(streak) <= rules.persist_days or _d(peaks[streak[-1]]) < MIN_PERSIST_LEVEL:
        return None
    values = " < ".join(str(_d(peaks[d])) for d in streak)
    return _finding(
        "rising",
        "rising_every_day",
        [peaks[d] for d in streak],
        f"the day's highest distress rose every day for {len(streak)} days in a row "
        f"({values}; rule: more than {rules.persist_days} days, ending at "
        f"{MIN_PERSIST_LEVEL} or more)",
    )


def _rating_at(rated: Sequence[_Indexed], item: _Indexed) -> int:
    """The check-in's own rating, or else the latest rating before it (what self-care met)."""
    if item[1].distress is not None:
        return _d(item)
    before = [r for r in rated if r[1].at <= item[1].at]
    return _d(before[-1]) if before else 0


def _coping_not_working(items: Sequence[_Indexed], rules: TriageRules) -> RuleFinding | None:
    """Self-care failed (enough times, or once at 9-10) and distress is still significant."""
    attempts = _failed_attempts(items)
    rated = _rated(items)
    if not attempts or not rated or _d(rated[-1]) < rules.significant_distress:
        return None
    latest = rated[-1]
    severe = [item for item in attempts if _rating_at(rated, item) >= rules.severity_level]
    if len(attempts) >= rules.coping_attempts:
        return _finding(
            "coping_not_working",
            "coping_attempts",
            [*attempts, latest],
            f"{len(attempts)} self-care attempts did not help (rule: {rules.coping_attempts})"
            f" and the latest distress is {_d(latest)} (rule: {rules.significant_distress}"
            " or more)",
        )
    if severe:
        return _finding(
            "coping_not_working",
            "coping_failed_at_9_10",
            [*severe, latest],
            f"self-care did not help at distress {rules.severity_level} or more, and the latest"
            f" distress is {_d(latest)}",
        )
    return None


def _unable_to_function(
    items: Sequence[_Indexed], rules: TriageRules, now: datetime
) -> RuleFinding | None:
    """A recent "Yes", a "Partly" with raised distress, or typed words like "called in sick"."""
    recent = [item for item in items if now - item[1].at <= timedelta(hours=rules.unable_hours)]
    button = [item for item in recent if item[1].unable_to_function]
    if button:
        return _finding(
            "unable_to_function",
            "unable_button",
            button,
            "the client said they cannot do their usual things",
            "now",
        )
    partly = [
        item for item in recent if item[1].partly_unable and _d(item) >= rules.distress_threshold
    ]
    if partly:
        return _finding(
            "unable_to_function",
            "unable_partly_with_distress",
            partly,
            f"the client can only partly do their usual things, with distress at or above "
            f"{rules.distress_threshold}",
            "now",
        )
    typed = [item for item in recent if item[1].text and says_unable_to_function(item[1].text)]
    if typed:
        return _finding(
            "unable_to_function",
            "unable_typed_words",
            typed,
            "the client wrote that they could not manage their day (work, bed, family)",
            "now",
        )
    return None


def _crisis(
    items: Sequence[_Indexed],
    signals: Sequence[CrisisSignal],
    rules: TriageRules,
    now: datetime,
    acknowledged_at: datetime | None,
) -> RuleFinding | None:
    """A crisis signal in the last `crisis_hold_hours`, newer than the therapist's last ack."""
    hold = timedelta(hours=rules.crisis_hold_hours)

    def current(at: datetime) -> bool:
        return timedelta(0) <= now - at <= hold and (
            acknowledged_at is None or at > acknowledged_at
        )

    hits: list[_Indexed] = []
    categories: list[Category] = []
    for item in items:
        if item[1].text is None or not current(item[1].at):
            continue
        screened = screen_text(item[1].text)
        if screened.level == "crisis":
            hits.append(item)
            if screened.category is not None:
                categories.append(screened.category)
    outside = [s for s in signals if current(s.at)]
    categories.extend(s.category for s in outside if s.category is not None)
    if not hits and not outside:
        return None
    category = min(categories, key=CATEGORY_ORDER.index) if categories else None
    where = []
    if hits:
        where.append(f"{len(hits)} check-in text(s)")
    if outside:
        where.append(f"{len(outside)} message(s)")
    return _finding(
        "crisis",
        "crisis_signal",
        hits,
        f"crisis signs in {' and '.join(where)} in the last {rules.crisis_hold_hours} hours"
        + (f" ({category.replace('_', ' ')})" if category else ""),
        "now",
        category,
    )


def _silence(items: Sequence[_Indexed], rules: TriageRules, now: datetime) -> RuleFinding | None:
    """The last check-in was a high rating and nothing came for `silence_hours` since."""
    if not items:
        return None
    last = max(items, key=lambda item: item[1].at)
    rated_last = [item for item in _rated(items) if item[1].at == last[1].at]
    if not rated_last:
        return None
    top = max(rated_last, key=_d)
    quiet = now - top[1].at
    if _d(top) < rules.silence_after or quiet < timedelta(hours=rules.silence_hours):
        return None
    return _finding(
        "silence",
        "silence_after_high",
        [top],
        f"no answer for {_duration(quiet)} after distress {_d(top)} (rule: "
        f"{rules.silence_hours} hours after {rules.silence_after} or more)",
        "therapist",
    )


def _duration(span: timedelta) -> str:
    hours, minutes = divmod(int(span.total_seconds()) // 60, 60)
    days, hours = divmod(hours, 24)
    return f"{days}d {hours}h {minutes}m"


_URGENCY_RANK: dict[Urgency, int] = {"now": 0, "soon": 1, "therapist": 2}


def evaluate_triage(
    checkins: Sequence[CheckIn],
    session_ended_at: datetime | None,
    now: datetime,
    rules: TriageRules,
    tz: tzinfo = UTC,
    *,
    crisis_signals: Sequence[CrisisSignal] = (),
    acknowledged_at: datetime | None = None,
) -> TriageResult:
    """Apply the rules to the check-ins from `session_ended_at` (inclusive) up to `now`.

    `tz` sets the day boundaries (persisting, rising). `crisis_signals` are crisis messages seen
    outside the check-ins; `acknowledged_at` is when the therapist last acknowledged an alert for
    this client (a crisis before it is history). Findings name check-ins by their index.
    """
    _require_aware("now", now)
    if session_ended_at is not None:
        _require_aware("session_ended_at", session_ended_at)
    if acknowledged_at is not None:
        _require_aware("acknowledged_at", acknowledged_at)
    items = sorted(
        (
            (i, c)
            for i, c in enumerate(checkins)
            if c.at <= now and (session_ended_at is None or c.at >= session_ended_at)
        ),
        key=_order,
    )
    candidates = (
        _crisis(items, crisis_signals, rules, now, acknowledged_at),
        _unable_to_function(items, rules, now),
        _severity(items, rules),
        _rapid_rise(items, rules),
        _persisting(items, rules, now, session_ended_at, tz),
        _rising(items, rules, tz),
        _coping_not_working(items, rules),
        _silence(items, rules, now),
    )
    details = tuple(f for f in candidates if f is not None)
    reasons = tuple(f.reason for f in details)
    advised = [f for f in details if f.reason in CLIENT_REASONS]
    urgency = min((f.urgency for f in details), key=_URGENCY_RANK.__getitem__, default=None)
    return TriageResult(
        contact_therapist=bool(advised),
        crisis="crisis" in reasons,
        reasons=reasons,
        details=details,
        urgency=urgency,
        alert_therapist=bool(details),
    )
