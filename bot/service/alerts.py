"""Triage events and therapist alerts: recorded when something changes, queued where the client
consented, pushed again only when the level rises.

`record_triage` runs inside the caller's transaction and never talks to Telegram: an alert is a
`triage_event` row with a delivery state plus a `due_work` row of kind `alert`, which the
dispatcher hands to `bot.service.alert_delivery` (retries with backoff, the clinic's fallback
contact when the therapist cannot be reached). So an alert is never lost with a failed send and
never counted as delivered before Telegram accepted it.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Config
from bot.dialogue.contracts import Button, Keyboard
from bot.safety import TriageResult
from bot.service.names import client_html
from bot.service.outgoing import Batch
from bot.service.work_hours import next_working_time, parse_hours
from bot.storage.models import AuditLog, Client, DueWork, LogEntry, Therapist, TriageEvent

# What the therapist reads for each reason (alerts, /alerts, the summary).
REASON_WORDS = {
    "crisis": "crisis signs in a message",
    "unable_to_function": "unable to function",
    "severity": "distress rated 9 or 10",
    "rapid_rise": "rapid rise in distress",
    "persisting": "distress persisting on most days",
    "rising": "distress rising every day",
    "coping_not_working": "coping not working",
    "silence": "silence after high distress",
    "phq9_item9": "PHQ-9 item 9 (thoughts of being better off dead or of self-harm)",
}
CATEGORY_WORDS = {
    "act_under_way": "act under way",
    "plan_or_preparation": "plan or preparation",
    "suicidal_thoughts": "suicidal thoughts",
    "self_harm": "self-harm",
    "danger_from_others": "danger from another person",
    "harm_to_others": "harm to others",
}
# Reasons raised by a questionnaire item; the event's category holds the answer, in words.
ANSWERED_REASONS = ("phq9_item9",)
# Most urgent first; a new event whose level ranks higher than the open alert's pushes again.
LEVELS = ("crisis", "now", "soon", "therapist")
URGENT_LEVELS = ("crisis", "now")  # sent at once, whatever the hours
OPEN_DELIVERY = ("pending", "retrying", "delivered", "escalated", "failed", "unverified")


# A merged crisis alert keeps every category it holds in its one `category` column, most
# severe first, joined by this (no category has one; a questionnaire answer is never split).
CATEGORY_JOIN = ","
# One danger at rising severity: once a step is open, a lower step adds nothing new to it.
SUICIDE_LADDER = ("act_under_way", "plan_or_preparation", "suicidal_thoughts")


def categories_of(category: str | None) -> list[str]:
    """The crisis categories an event's `category` holds (none for a questionnaire answer)."""
    parts = (category or "").split(CATEGORY_JOIN)
    return parts if all(p in CATEGORY_WORDS for p in parts) else []


def join_categories(categories: Iterable[str]) -> str | None:
    """The value for `category`: each once, most severe first (the order of CATEGORY_WORDS)."""
    held = set(categories)
    return CATEGORY_JOIN.join(c for c in CATEGORY_WORDS if c in held) or None


def escalates(category: str | None, carried: Iterable[str]) -> bool:
    """Whether a crisis of `category` is news beside the open alerts' categories: a higher step
    on the suicide ladder (thoughts to plan, plan to act) or another kind of danger (self-harm,
    danger from another person, harm to others). A repeat, or a lower step, is not."""
    held = set(carried)
    if category is None or category not in CATEGORY_WORDS or category in held:
        return False
    if category not in SUICIDE_LADDER:
        return True
    step = SUICIDE_LADDER.index(category)
    return not any(SUICIDE_LADDER.index(c) < step for c in held if c in SUICIDE_LADDER)


def describe_reasons(reasons: Sequence[str], category: str | None = None) -> str:
    words = []
    crisis_categories = categories_of(category)
    for reason in reasons:
        if reason == "crisis" and crisis_categories:
            named = ", ".join(CATEGORY_WORDS[c] for c in crisis_categories)
            words.append(f"crisis: {named}")
        elif reason in ANSWERED_REASONS and category and category not in CATEGORY_WORDS:
            words.append(f"{REASON_WORDS[reason]} answered '{category}'")
        else:
            words.append(REASON_WORDS.get(reason, reason.replace("_", " ")))
    return "; ".join(words) or "none"


def result_level(result: TriageResult) -> str:
    if result.crisis:
        return "crisis"
    return result.urgency or "soon"


def result_category(result: TriageResult) -> str | None:
    return next((f.category for f in result.details if f.category is not None), None)


def _rank(level: str) -> int:
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


async def open_alerts(
    s: AsyncSession, client_id: int, since: datetime, *, alerted_only: bool = True
) -> list[TriageEvent]:
    """The client's unacknowledged alerts queued since `since`, newest first.

    With `alerted_only=False` (a client who declined alerts) their unacknowledged events
    instead, so that an unchanged state is not stored again after every rating.
    """
    query = select(TriageEvent).where(
        TriageEvent.client_id == client_id,
        col(TriageEvent.acknowledged_at).is_(None),
        col(TriageEvent.at) >= since,
    )
    if alerted_only:
        query = query.where(col(TriageEvent.alerted_at).is_not(None))
    return list(
        (await s.exec(query.order_by(col(TriageEvent.at).desc(), col(TriageEvent.id).desc()))).all()
    )


def therapist_zone(therapist: Therapist, client: Client) -> ZoneInfo:
    """The therapist's own zone (/timezone), else the client's, for hours and alert times."""
    for name in (therapist.timezone, client.timezone):
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


async def record_triage(
    s: AsyncSession,
    config: Config,
    client: Client,
    therapist: Therapist,
    result: TriageResult,
    *,
    source: str,
    now: datetime,
    batch: Batch | None = None,
) -> TriageEvent | None:
    """Store what triage found when it is new, and queue an alert (consent and policy permitting).

    - nothing fired: nothing stored;
    - the open alert (unacknowledged, within `crisis.alert_window`) already covers the reasons at
      this level or higher: nothing new (a crisis message still counts as a signal and is kept);
    - new reasons or crisis categories at the same or a lower level: folded into the open alert
      (no second push), which then names them all;
    - a higher level (concern to crisis, persisting to crisis), a crisis that escalates beyond
      the categories of every open alert (`escalates`: thoughts to a plan, or another kind of
      danger such as a threat at home), or no open alert: a new alert, sent at once.
    """
    if not result.alert_therapist:
        return None
    assert client.id is not None
    level = result_level(result)
    category = result_category(result)
    since = now - config.crisis.alert_window
    opened = await open_alerts(s, client.id, since, alerted_only=client.consent_alerts)
    current = opened[0] if opened else None
    carried = {c for e in opened for c in categories_of(e.category)}
    # Clinic policy (alerts.harm_to_others) sends no alert for harm to others: no news either.
    silenced = category == "harm_to_others" and not config.alerts.harm_to_others
    escalated = result.crisis and not silenced and escalates(category, carried)
    covered = current is not None and _rank(level) >= _rank(current.level) and not escalated
    if (
        covered
        and current is not None
        and category
        and category not in carried
        and not silenced
        and (current.category is None or categories_of(current.category))
    ):
        # A lesser danger than an open one (a plan is open, thoughts come): named, not pushed.
        current.category = join_categories([*categories_of(current.category), category])
        s.add(current)
    if covered and current is not None and set(result.reasons) <= set(current.reasons):
        # Each crisis message is a signal triage must see; each item 9 answer is kept with its date.
        if source in ("screening", "measure"):
            kept = _event(client, result, level, category, source, now)
            s.add(kept)
            current.alert_count += 1
            s.add(current)
            if source == "measure":
                return kept
        return current
    event = _event(client, result, level, category, source, now)
    s.add(event)
    if covered and current is not None:
        current.reasons = [
            *current.reasons,
            *(r for r in result.reasons if r not in current.reasons),
        ]
        current.alert_count += 1
        s.add(current)
        await s.flush()
        return event
    await s.flush()
    if not client.consent_alerts:
        return event  # stored for the client's own triage; never shown as an open alert
    if (
        category == "harm_to_others"
        and not config.alerts.harm_to_others
        and len(result.reasons) == 1
    ):
        return event  # clinic policy (alerts.harm_to_others): the client got the crisis response
    due = now
    if level not in URGENT_LEVELS:
        due = next_working_time(
            now, parse_hours(therapist.hours), therapist_zone(therapist, client)
        )
    event.alerted_at = now
    event.alert_count = 1
    event.delivery = "pending"
    s.add(event)
    s.add(
        DueWork(
            key=f"alert:{event.id}",
            kind="alert",
            client_id=client.id,
            due_at=due,
            payload={"event_id": event.id},
            created_at=now,
            updated_at=now,
        )
    )
    s.add(
        AuditLog(
            at=now,
            actor="system",
            action="alert.queue",
            target=f"triage_event:{event.id}",
            client_id=client.id,
        )
    )
    if batch is not None and due <= now:
        batch.alerts_queued = True
    return event


def _event(
    client: Client,
    result: TriageResult,
    level: str,
    category: str | None,
    source: str,
    now: datetime,
) -> TriageEvent:
    return TriageEvent(
        client_id=client.id,  # type: ignore[arg-type]
        at=now,
        source=source,
        contact=result.contact_therapist,
        crisis=result.crisis,
        reasons=list(result.reasons),
        level=level,
        category=category,
    )


HEADS = {
    "crisis": "🔴 <b>Crisis alert</b>",
    "now": "🟠 <b>Contact now advised</b>",
    "soon": "🟡 <b>Contact advised</b>",
    "therapist": "🔵 <b>For your attention</b>",
}
CLIENT_TOLD = {
    "crisis": "They were shown crisis lines and your contact details.",
    "now": "They were advised to contact you now.",
    "soon": "They were advised to contact you soon.",
    "therapist": "They were not told anything (this is for you).",
}

ANSWERED_HEAD = "🟠 <b>Questionnaire answer to follow up</b>"
ITEM_TOLD = (
    "They were shown crisis lines and offered a talk with you; the questionnaire went on. "
    "Item 9 is a prompt for a conversation, not a risk assessment."
)


async def escalated_past(
    s: AsyncSession, event: TriageEvent, window: timedelta
) -> list[TriageEvent]:
    """The client's alerts still open from before `event` (within the grouping window): what a
    new alert escalates past. Read when it is sent, so one acknowledged meanwhile is left out."""
    older = await open_alerts(s, event.client_id, event.at - window)
    return [e for e in reversed(older) if (e.id or 0) < (event.id or 0)]


async def last_ratings(s: AsyncSession, client_id: int, limit: int = 5) -> list[LogEntry]:
    rows = (
        await s.exec(
            select(LogEntry)
            .where(LogEntry.client_id == client_id, col(LogEntry.distress).is_not(None))
            .order_by(col(LogEntry.recorded_at).desc())
            .limit(limit)
        )
    ).all()
    return list(reversed(rows))


def alert_text(
    client: Client,
    therapist: Therapist,
    event: TriageEvent,
    ratings: Sequence[LogEntry],
    *,
    on_behalf: str | None = None,
    name: str | None = None,
    beyond: Sequence[TriageEvent] = (),
) -> str:
    """The alert: kind, key numbers with days, the time in the therapist's zone; no client words.

    `name` is the client's name as HTML, told apart from namesakes (`names.client_title`).
    `beyond`: the client's earlier alerts still open, which this one escalates past (a new
    alert while one is open is always a rise in level or a new danger, see `record_triage`)."""
    zone = therapist_zone(therapist, client)
    name = name or client_html(client)
    answered = bool(event.reasons) and set(event.reasons) <= set(ANSWERED_REASONS)
    head = ANSWERED_HEAD if answered and not event.crisis else HEADS.get(event.level, HEADS["soon"])
    lines = []
    if on_behalf:
        lines.append(f"⚠️ {on_behalf}")
    lines.append(f"{head} for {name}")
    if beyond:
        earlier = ", ".join(
            f"#{e.id} ({describe_reasons(e.reasons, e.category)}, {e.at.astimezone(zone):%a %H:%M})"
            for e in beyond
        )
        alerts = "alerts" if len(beyond) > 1 else "alert"
        lines.append(f"⬆️ <b>Risk escalated</b> beyond the open {alerts} {html.escape(earlier)}.")
    lines.append(f"Why: {html.escape(describe_reasons(event.reasons, event.category))}.")
    if ratings:
        shown = ", ".join(
            f"{e.distress} {e.recorded_at.astimezone(zone):%a %H:%M}" for e in ratings
        )
        lines.append(f"Last ratings (0-10): {shown}")
    if answered and not event.crisis:
        lines.append(ITEM_TOLD)
    else:
        lines.append(CLIENT_TOLD.get(event.level, CLIENT_TOLD["soon"]))
    lines.append(f"At {event.at.astimezone(zone):%a %d %b %H:%M} ({zone.key}) · alert #{event.id}")
    return "\n".join(lines)


def alert_buttons(event: TriageEvent) -> Keyboard:
    return (
        (
            Button("Summary", f"al:sum:{event.id}"),
            Button("I contacted them", f"al:con:{event.id}"),
        ),
        (Button("Acknowledge", f"al:ack:{event.id}"),),
    )
