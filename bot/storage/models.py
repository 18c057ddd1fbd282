"""Every piece of state, as SQLModel tables. Schema changes go through Alembic migrations.

Times are aware UTC (`UTCDateTime`); Telegram ids are 64-bit. JSON columns are always replaced
whole, never edited in place (in-place edits of plain JSON columns are not saved).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.storage import sealing
from bot.storage.types import EncryptedJSON, EncryptedText, UTCDateTime


def utcnow() -> datetime:
    return datetime.now(UTC)


def _json(default: Any = None) -> Any:
    if callable(default):
        return Field(default_factory=default, sa_type=JSON)
    return Field(default=default, sa_type=JSON)


def _secret(where: str, default: Any = None) -> Any:
    """Text the client wrote or revealed: encrypted at rest, bound to `table.column` and the row."""
    return Field(default=default, sa_type=EncryptedText(where))


def _secret_json(where: str, default: Any = None) -> Any:
    """JSON holding the client's words or answers: encrypted, bound to `table.column` and the row."""
    if callable(default):
        return Field(default_factory=default, sa_type=EncryptedJSON(where))
    return Field(default=default, sa_type=EncryptedJSON(where))


def _payload(where: str) -> Any:
    """A raw update or a message to send: encrypted while kept; emptied (`{}`, stored as NULL)
    once handled or delivered."""
    return Field(
        default_factory=dict, sa_type=EncryptedJSON(where, empty_as_null=True), nullable=True
    )


def _uid() -> Any:
    """The row's own random id, fixed when it is made: its ciphertexts are bound to it
    (bot/storage/sealing.py says why not the primary key)."""
    return Field(default_factory=sealing.new_uid)


def _fk(target: str, *, nullable: bool = False, index: bool = True) -> Any:
    """A foreign key that deletes with its parent (a client's data goes when they ask)."""
    return Field(
        default=None if nullable else ...,
        sa_column=Column(
            Integer, ForeignKey(target, ondelete="CASCADE"), nullable=nullable, index=index
        ),
    )


class Therapist(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int = Field(sa_type=BigInteger, unique=True, index=True)
    name: str
    contact: str | None = None  # how clients reach them (phone, e-mail, practice line)
    hours: str | None = None  # when they can be reached, e.g. "Mon-Fri 9-17"
    timezone: str | None = None  # IANA zone for alert times and working hours (/timezone)
    on_call: str | None = None  # who clients reach outside the hours (a phone, a service)
    # When the morning caseload digest comes ("08:00"), "off", or None: when the working day starts
    caseload_time: str | None = None
    # How long before each session its summary comes (minutes); None: 120
    summary_lead_minutes: int | None = None
    # A typed answer the bot is waiting for after a button ("the new day and time" after "Move"):
    # {"kind": ..., "until": ISO instant, ...ids}. Ids and times only, never a client's words.
    awaiting: dict[str, Any] | None = _json()
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Client(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    uid: str = _uid()
    therapist_id: int = _fk("therapist.id")
    telegram_id: int = Field(sa_type=BigInteger, unique=True, index=True)
    chat_id: int = Field(sa_type=BigInteger)
    first_name: str = _secret("client.first_name", "")  # Telegram display name
    # What the therapist calls the client ("Sam K."), set at invite, changed with /rename; every
    # therapist-facing screen names the client by it. None: the Telegram name stands in.
    label: str | None = _secret("client.label")
    language: str = "en"
    timezone: str = "Europe/London"
    # ISO 3166 code the client told us (onboarding, /country): picks their crisis lines. A time
    # zone is not a country, so this is never derived from `timezone`. None: not told yet.
    country: str | None = Field(default=None, max_length=2)
    consent_checkins: bool = False
    consent_alerts: bool = False
    consented_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # active | paused | stopped | unreachable (blocked the bot)
    status: str = Field(default="active", index=True)
    paused_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Invite(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    uid: str = _uid()  # seals `label` to this row
    code_hash: str = Field(unique=True, index=True)  # only the hash: a leaked table opens nothing
    therapist_id: int = _fk("therapist.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    used_by_client_id: int | None = Field(default=None)
    # The label the therapist gave the client-to-be; moved onto the client when redeemed.
    label: str | None = _secret("invite.label")


class TherapySession(SQLModel, table=True):
    __tablename__ = "therapy_session"
    __table_args__ = (UniqueConstraint("client_id", "external_uid"),)

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = _fk("client.id")
    therapist_id: int = _fk("therapist.id")
    starts_at: datetime = Field(sa_type=UTCDateTime, index=True)
    duration_minutes: int = 50
    weekly: bool = False  # repeats every week at the same local time
    until: datetime | None = Field(default=None, sa_type=UTCDateTime)  # last occurrence (weekly)
    cancelled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Weekly: occurrences cancelled or moved one by one, {regular start: new start or None}, both
    # ISO UTC ("2026-12-08T14:00:00Z"); replaced whole on every change.
    changes: dict[str, str | None] | None = _json()
    source: str = "cli"  # cli | telegram | ics | client
    external_uid: str | None = None  # the calendar UID for .ics imports
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PolicyOverride(SQLModel, table=True):
    """Follow-up timing that overrides the clinic defaults; None means 'inherit'."""

    __tablename__ = "policy_override"
    __table_args__ = (UniqueConstraint("therapist_id", "client_id"),)

    id: int | None = Field(default=None, primary_key=True)
    therapist_id: int = _fk("therapist.id")
    client_id: int | None = _fk("client.id", nullable=True)  # None: the therapist's own default
    offsets: list[str] | None = _json()
    quiet_start: str | None = None  # HH:MM
    quiet_end: str | None = None
    reminder_after: str | None = None  # a duration like 4h, or "off"
    max_pings_per_day: int | None = None
    day_before_next_session: bool | None = None
    triage: dict[str, int] | None = _json()  # per-therapist triage thresholds
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class FlowRun(SQLModel, table=True):
    __tablename__ = "flow_run"

    id: int | None = Field(default=None, primary_key=True)
    uid: str = _uid()
    client_id: int = _fk("client.id")
    flow_id: str
    flow_version: str
    step_id: str | None = None
    # active | waiting | awaiting_triage | interrupted | ended
    status: str = Field(default="active", index=True)
    state: dict[str, Any] = _secret_json("flow_run.state", dict)  # the engine's RunState.to_json()
    prompt_messages: dict[str, int] = _json(dict)  # prompt counter -> Telegram message id
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    end_reason: str | None = None


class LogEntry(SQLModel, table=True):
    __tablename__ = "log_entry"

    id: int | None = Field(default=None, primary_key=True)
    uid: str = _uid()
    client_id: int = _fk("client.id")
    run_id: int | None = Field(default=None)
    # log | self_care | sit_with_it | session_note | future_me | concern
    kind: str = Field(index=True)
    # concern: which screening reason matched (never the client's words, but a risk tied to
    # the client: health data, so encrypted like the rest)
    reason: str | None = _secret("log_entry.reason")
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    distress: int | None = None
    feelings: list[str] | None = _secret_json("log_entry.feelings")
    feelings_other: str | None = _secret("log_entry.feelings_other")
    onset: str | None = _secret("log_entry.onset")
    harder: list[str] | None = _secret_json("log_entry.harder")
    unable_to_function: bool | None = None
    partly_unable: bool | None = None  # "Partly" to "are you unable to do your usual things?"
    technique: str | None = _secret("log_entry.technique")
    helped: bool | None = None
    distress_before: int | None = None
    distress_after: int | None = None
    minutes: int | None = None
    seconds: int | None = None
    completed: bool | None = None
    feeling: str | None = _secret("log_entry.feeling")
    body_place: str | None = _secret("log_entry.body_place")
    note: str | None = _secret("log_entry.note")
    # Fields a clinic's own flow declares (`record_fields`), by name, already type-checked.
    extra: dict[str, Any] | None = _secret_json("log_entry.extra")


class TriageEvent(SQLModel, table=True):
    __tablename__ = "triage_event"

    id: int | None = Field(default=None, primary_key=True)
    uid: str = _uid()
    client_id: int = _fk("client.id")
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    source: str = "flow"  # flow | screening
    contact: bool = False
    crisis: bool = False
    reasons: list[str] = _secret_json("triage_event.reasons", list)
    alerted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # alert queued
    alert_count: int = 0  # messages folded into this alert (no flooding)
    acknowledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # crisis | now | soon | therapist: how urgent (a rise in level pushes a new alert)
    level: str = "soon"
    # The crisis categories, most severe first, joined by "," (alerts.categories_of), or for a
    # questionnaire item the answer in words.
    category: str | None = _secret("triage_event.category")
    # none (no alert: grouped, or no consent) | pending | retrying | delivered | escalated | failed
    delivery: str = Field(default="none", index=True)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    delivered_to: int | None = Field(default=None, sa_type=BigInteger)  # the chat that got it
    message_id: int | None = Field(default=None, sa_type=BigInteger)  # Telegram's id for it
    attempts: int = 0
    last_error: str | None = None  # an error class or API description, never client text
    contacted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # "I contacted them"


class DueWork(SQLModel, table=True):
    """A row of work that falls due: the database is the source of truth, APScheduler only the clock."""

    __tablename__ = "due_work"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(
        unique=True
    )  # e.g. followup:<session>:<occurrence>:<offset>; nothing planned twice
    kind: str = Field(index=True)  # followup | reminder | timer | checkin | digest
    client_id: int | None = _fk("client.id", nullable=True)
    due_at: datetime = Field(sa_type=UTCDateTime, index=True)
    # pending | claimed | sent | skipped | failed | cancelled
    status: str = Field(default="pending", index=True)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    claimed_by: str | None = None
    attempts: int = 0
    payload: dict[str, Any] = _json(dict)
    outcome: str | None = None
    message_id: int | None = Field(default=None, sa_type=BigInteger)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ProcessedUpdate(SQLModel, table=True):
    """Telegram update ids already handled: a re-delivered update is handled once."""

    __tablename__ = "processed_update"

    update_id: int = Field(sa_type=BigInteger, primary_key=True)
    processed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class AuditLog(SQLModel, table=True):
    """Who read or changed what, about whom, when (never message text).

    `client_id` is the client the entry is about (not a foreign key: erasure replaces a client's
    entries by one pseudonymous line with a `count`, see bot/storage/client_data.py).
    """

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    actor: str  # therapist:<telegram id> | client | cli | system
    action: str
    target: str | None = None  # what else it concerns: therapist:<id>, triage_event:<id>, …
    client_id: int | None = Field(default=None, index=True)
    count: int | None = None  # for summary lines: how many entries or rows it stands for


class OutboxMessage(SQLModel, table=True):
    """One Bot API call a step decided on, stored in the step's own transaction (the outbox).

    A sender delivers a chat's rows strictly in id order and records Telegram's message id. Work
    (`work_id`, a due check-in) counts as sent only when all its rows were accepted. `payload`
    holds the message text (which may quote the client) and is emptied once delivered; the other
    columns never carry client text.
    """

    __tablename__ = "outbox_message"

    id: int | None = Field(default=None, primary_key=True)
    uid: str = _uid()
    chat_id: int = Field(sa_type=BigInteger, index=True)
    kind: str  # send | buttons | document | photo
    payload: dict[str, Any] = _payload("outbox_message.payload")
    run_id: int | None = None  # the flow run whose prompt this message carries
    prompt: int | None = None
    work_id: int | None = Field(default=None, index=True)  # the due_work row it delivers
    # pending | sending | sent | failed
    status: str = Field(default="pending", index=True)
    attempts: int = 0
    resends: int = 0  # claims taken over from a sender that may already have sent it
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    deadline: datetime = Field(sa_type=UTCDateTime)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    claimed_by: str | None = None
    message_id: int | None = Field(default=None, sa_type=BigInteger)
    error: str | None = None  # the error type or reason only, never text
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class InboxUpdate(SQLModel, table=True):
    """A Telegram update as received, stored before it is acknowledged (the inbox).

    Workers handle one chat's rows strictly in update id order, one at a time across replicas;
    the row becomes `done` in the same transaction as what the update changed. `payload` is the
    raw update (it carries the client's words) and is emptied once handled.
    """

    __tablename__ = "inbox_update"

    update_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    uid: str = _uid()
    chat_id: int = Field(sa_type=BigInteger, index=True)
    payload: dict[str, Any] = _payload("inbox_update.payload")
    status: str = Field(default="pending", index=True)  # pending | done
    error: str | None = None  # the error type when handling failed (the person got an apology)
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    handled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class MeasureScore(SQLModel, table=True):
    """A completed standard measure (PHQ-9, GAD-7, any `score` step): total, band, flags.

    `items` holds the answers (and the unscored extras such as the PHQ-9's functional question)
    and `flags` what the answers raised (item 9): both are what the client revealed, encrypted.
    `reliable_change`, `cutoff` and `bands` (the severity bands as [lowest total, name] pairs,
    drawn on the charts) are the measure's rules as the flow declared them when it was taken, so
    a later edit of the flow does not silently re-read old scores.
    """

    __tablename__ = "measure_score"

    id: int | None = Field(default=None, primary_key=True)
    uid: str = _uid()
    client_id: int = _fk("client.id")
    run_id: int | None = Field(default=None)
    measure: str = Field(index=True)
    total: int
    band: str
    items: dict[str, Any] = _secret_json("measure_score.items", dict)
    flags: list[str] = _secret_json("measure_score.flags", list)
    reliable_change: float | None = None
    cutoff: float | None = None
    bands: list[list[Any]] = _json(list)
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class MeasureSchedule(SQLModel, table=True):
    """Which measures a therapist gives, how often: for one client, or (client None) as their
    default. `every_weeks` counts from `starts_on` (a local date); `anchor` says on which day:
    `day_before_session` (the evening before a session in that week) or `fixed` (that weekday)."""

    __tablename__ = "measure_schedule"
    __table_args__ = (UniqueConstraint("therapist_id", "client_id"),)

    id: int | None = Field(default=None, primary_key=True)
    therapist_id: int = _fk("therapist.id")
    client_id: int | None = _fk("client.id", nullable=True)
    measures: list[str] = _json(list)  # flow ids with a score step; empty: measures turned off
    every_weeks: int = 2
    anchor: str = "day_before_session"  # day_before_session | fixed
    starts_on: str  # ISO date, the first week counted
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ConsoleLogin(SQLModel, table=True):
    """A one-time login link to the therapist console (`/console`): only its hash is stored."""

    __tablename__ = "console_login"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, index=True)
    therapist_id: int = _fk("therapist.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ConsoleSession(SQLModel, table=True):
    """A therapist's signed-in console session (a cookie holds the token; this row its hash)."""

    __tablename__ = "console_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, index=True)
    therapist_id: int = _fk("therapist.id")
    via: str = "link"  # link | telegram (the Mini App's signed initData)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class DataKey(SQLModel, table=True):
    """A data key that values in this database are (or may be) under: its key id only, the 8 hex
    digits of its SHA-256 that every ciphertext already carries, never the key itself.
    `bot/storage/data_keys.py` refuses a CHECKIN_DATA_KEYS that matches none of these."""

    __tablename__ = "data_key"

    key_id: str = Field(primary_key=True, max_length=8)
    first_used_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


# Every model with an encrypted column seals it to the row (one without a uid fails at import).
for _mapper in list(SQLModel._sa_registry.mappers):
    if sealing.encrypted_attributes(_mapper):
        sealing.register(_mapper.class_)
