"""Which rows belong to a client: one rule per table, for export, erasure and retention alike.

Every table must have a rule here. A table added without one makes `rule_for` raise (so an
erasure fails closed instead of leaving the new table's rows behind) and fails
`tests/service/test_erasure.py::test_every_table_has_an_erasure_rule`. When you add a table:
  - `Owned(column)`: rows of the client, found by `column` (which holds the client's `id`, or
    with `key="chat_id"` their chat id); exported, and deleted on erasure;
  - `Unlinked(column)`: rows kept for someone else (the therapist's invite), whose pointer to the
    client is cleared on erasure;
  - `AuditTrail()`: the audit log: exported; on erasure replaced by one pseudonymous count;
  - `NotClientData(why)`: holds nothing about any client (say why).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Table
from sqlmodel import SQLModel

from bot.errors import CheckinError


@dataclass(frozen=True)
class Owned:
    column: str
    key: Literal["id", "chat_id", "telegram_id"] = "id"


@dataclass(frozen=True)
class Unlinked:
    column: str


@dataclass(frozen=True)
class AuditTrail:
    pass


@dataclass(frozen=True)
class NotClientData:
    why: str


Rule = Owned | Unlinked | AuditTrail | NotClientData

RULES: dict[str, Rule] = {
    "therapist": NotClientData("therapists' own professional details"),
    "client": Owned("id"),
    "invite": Unlinked("used_by_client_id"),
    "therapy_session": Owned("client_id"),
    "policy_override": Owned("client_id"),
    "flow_run": Owned("client_id"),
    "log_entry": Owned("client_id"),
    "triage_event": Owned("client_id"),
    "due_work": Owned("client_id"),
    "processed_update": NotClientData("Telegram update ids only, no user or text; 7 days"),
    # The raw update (the client's words) until it is handled, then emptied; erased with them.
    "inbox_update": Owned("chat_id", key="chat_id"),
    # A message's text until Telegram accepted it, then emptied (failed ones keep it).
    "outbox_message": Owned("chat_id", key="chat_id"),
    "audit_log": AuditTrail(),
    # PHQ-9 / GAD-7 scores: answers and flags encrypted; exported and erased with the client.
    "measure_score": Owned("client_id"),
    # A schedule for this client (a therapist's default has no client and is not theirs).
    "measure_schedule": Owned("client_id"),
    # The therapist console's login links and sessions: the therapist's, hashes and times only.
    "console_login": NotClientData("a therapist's one-time console login links (hashes)"),
    "console_session": NotClientData("a therapist's console sessions (hashes and times)"),
    "data_key": NotClientData("the ids of the data keys the stored values are under"),
}


class MissingRuleError(CheckinError):
    def __init__(self, table: str) -> None:
        super().__init__(
            f"table {table!r} has no client-data rule: add one to RULES in "
            "bot/storage/client_data.py (Owned, Unlinked, AuditTrail or NotClientData)"
        )


def rule_for(table: str) -> Rule:
    rule = RULES.get(table)
    if rule is None:
        raise MissingRuleError(table)
    return rule


def tables_children_first() -> list[Table]:
    """Every table, those that point at others before the ones they point at."""
    return list(reversed(SQLModel.metadata.sorted_tables))


def model_for(table: Table) -> type[SQLModel]:
    for mapper in SQLModel._sa_registry.mappers:
        if mapper.local_table is table:
            model: type[SQLModel] = mapper.class_
            return model
    raise LookupError(f"no model maps table {table.name!r}")
