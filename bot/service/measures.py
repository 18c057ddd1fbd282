"""Standard measures on the service side: store a completed score, and raise the safety event
an item asks for (PHQ-9 item 9) through the same triage-event and alert path as any other.

Item 9 is a prompt for a conversation, not a risk assessment (docs/measures.md): the event tells
the therapist (where the client consented) that the client answered it above "not at all", and
with which answer; it claims nothing about risk.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Config
from bot.dialogue import contracts as c
from bot.safety import TriageResult
from bot.service.alerts import record_triage
from bot.service.outgoing import Batch
from bot.storage.models import Client, MeasureScore, Therapist, TriageEvent

# The four published answers of the PHQ-9 and GAD-7, as the therapist reads them.
FREQUENCY_WORDS = {
    0: "not at all",
    1: "several days",
    2: "more than half the days",
    3: "nearly every day",
}
# Safety events a flow may raise (`kind: action`, `name: safety_event`, `args: {reason, answer}`).
SAFETY_REASONS = ("phq9_item9",)


def answer_words(answer: Any) -> str:
    """An item's answer as words: the published frequency for 0-3, else the value itself."""
    if isinstance(answer, int) and not isinstance(answer, bool) and answer in FREQUENCY_WORDS:
        return FREQUENCY_WORDS[answer]
    text = str(answer) if answer is not None else "no answer"
    return FREQUENCY_WORDS.get(int(text), text) if text.isdigit() else text


def store_score(
    s: AsyncSession, client: Client, run_id: int | None, score: c.Score, now: datetime
) -> MeasureScore:
    assert client.id is not None
    row = MeasureScore(
        client_id=client.id,
        run_id=run_id,
        measure=score.measure,
        total=int(score.total),
        band=score.band,
        items=dict(score.items),
        flags=list(score.flags),
        reliable_change=score.reliable_change,
        cutoff=score.cutoff,
        bands=[[start, name] for start, name in score.bands],
        recorded_at=now,
    )
    s.add(row)
    return row


async def record_safety_event(
    s: AsyncSession,
    config: Config,
    client: Client,
    therapist: Therapist,
    args: dict[str, Any],
    now: datetime,
    batch: Batch | None = None,
) -> TriageEvent | None:
    """Record the event (kind = the reason, with the answer) and alert like any safety event:
    at once, whatever the hours, and only where the client consented to alerts."""
    reason = str(args.get("reason") or "")
    if reason not in SAFETY_REASONS:
        return None
    result = TriageResult(
        contact_therapist=False,  # the flow itself offers the therapist; triage advises nothing
        crisis=False,
        reasons=(reason,),
        details=(),
        urgency="now",
        alert_therapist=True,
    )
    event = await record_triage(
        s, config, client, therapist, result, source="measure", now=now, batch=batch
    )
    if event is not None and event.source == "measure" and event.at == now:
        event.category = answer_words(args.get("answer"))  # encrypted: what the client revealed
        s.add(event)
    return event
