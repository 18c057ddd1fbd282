"""Privacy end to end, on each database: what a client says is never in clear in the database or
the logs; /mydata holds everything about them; /delete leaves nothing that identifies them."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy.engine.url import make_url
from sqlmodel import SQLModel, select

from bot.config import Config
from bot.logging import configure_logging
from bot.safety.lexicon import REASON_CATEGORY
from bot.safety.screening import CATEGORY_ORDER
from bot.service.inbox import Received, store
from bot.service.outbox import OutboxSettings, queue
from bot.service.outgoing import Batch
from bot.storage.client_data import NotClientData, model_for, rule_for
from bot.storage.models import (
    AuditLog,
    Client,
    FlowRun,
    InboxUpdate,
    Invite,
    LogEntry,
    OutboxMessage,
)
from bot.testing.harness import BotHarness

pytestmark = pytest.mark.e2e
THERAPIST, SAM, OTHER = 1, 1001, 1002
NAME = "Quillon Abernathy"
FEELING = "jittery-marmalade"
LOG_NOTE = "Hard to focus since the lighthouse trip"
SESSION_NOTE = "I want to talk about my sister Philippa"
DELETED_NOTE = "delete this one about the harbour"
CRISIS = "I want to end my life"
CLIENT_WORDS = (NAME, FEELING, LOG_NOTE, SESSION_NOTE, DELETED_NOTE, CRISIS)
RISK_WORDS = (*CATEGORY_ORDER, *REASON_CATEGORY, "suicid")
# What the crisis line above is screened as, by category and reason (the shorter reason words,
# such as "plan", also name flows and steps, so they are not looked for in the dump).
STORED_RISK_WORDS = (*CATEGORY_ORDER, "suicidal_ideation", "passive_death_wish", "suicid")


async def settle(user: Any) -> None:
    await user.replies_until_idle(0.4)


async def conversation(h: BotHarness) -> Any:
    """Sam logs with typed words, writes two notes and deletes one, writes a crisis line; the
    therapist reads the summary; Sam asks for their data. Another client logs once."""
    await h.add_therapist(THERAPIST, "Dr. Ruiz")
    sam = await h.onboarded_client(SAM, NAME, therapist=THERAPIST)
    await sam.send("/checkin")
    await h.tap_when_shown(sam, "6")
    await h.tap_when_shown(sam, "📝 Log how I feel")
    await h.tap_when_shown(sam, "Sad")
    await sam.tap("Something else")
    await sam.tap("Done")
    await settle(sam)
    await sam.send(FEELING)
    await h.tap_when_shown(sam, "7")
    await h.tap_when_shown(sam, "It comes and goes")
    await h.tap_when_shown(sam, "Sleep")
    await sam.tap("Done")
    await h.tap_when_shown(sam, "Partly")
    await settle(sam)
    await sam.send(LOG_NOTE)
    await h.tap_when_shown(sam, "No, thanks")
    await h.tap_when_shown(sam, "No, that's all")
    await settle(sam)
    await sam.send("/note")
    await h.tap_when_shown(sam, "Write a note")
    await settle(sam)
    await sam.send(SESSION_NOTE)
    await h.tap_when_shown(sam, "Write another")
    await settle(sam)
    await sam.send(DELETED_NOTE)
    await h.tap_when_shown(sam, "See my notes")
    await h.tap_when_shown(sam, "🗑 Delete note 2")
    assert any("Note deleted" in r.text for r in await sam.replies_until_idle(0.4))
    await sam.send(CRISIS)
    await settle(sam)
    await h.therapists[THERAPIST].next_reply()  # the alert
    await h.therapists[THERAPIST].replies_until_idle(0.5)
    await h.therapists[THERAPIST].send(f"/summary {NAME}")
    shown = await h.therapists[THERAPIST].replies_until_idle(0.5)
    assert any(SESSION_NOTE in r.text for r in shown)
    other = await h.onboarded_client(OTHER, "Olga", therapist=THERAPIST)
    await other.send("/checkin")
    await h.tap_when_shown(other, "3")
    await settle(other)
    return sam


async def test_an_open_run_keeps_only_the_answers_it_will_still_read(db, tmp_path):
    """Sam's check-in is recorded and the flow still asks one more question: the open run no
    longer holds the typed feeling or the note (they are in the log), only what is still read."""
    await db.dispose()
    async with BotHarness(tmp_path, database_url=db.url) as h:
        await h.add_therapist(THERAPIST, "Dr. Ruiz")
        sam = await h.onboarded_client(SAM, NAME, therapist=THERAPIST)
        await sam.send("/checkin")
        await h.tap_when_shown(sam, "6")
        await h.tap_when_shown(sam, "📝 Log how I feel")
        await h.tap_when_shown(sam, "Sad")
        await sam.tap("Something else")
        await sam.tap("Done")
        await settle(sam)
        await sam.send(FEELING)
        await h.tap_when_shown(sam, "7")
        await h.tap_when_shown(sam, "It comes and goes")
        await h.tap_when_shown(sam, "Sleep")
        await sam.tap("Done")
        await h.tap_when_shown(sam, "Partly")
        await settle(sam)
        await sam.send(LOG_NOTE)
        await h.wait_for_button(sam, "No, thanks")  # the flow asks one more question
        async with h.runtime.db.session() as s:
            (run,) = (await s.exec(select(FlowRun).where(FlowRun.status != "ended"))).all()
            entries = (await s.exec(select(LogEntry))).all()
    assert [(e.note, e.feelings_other) for e in entries if e.note] == [(LOG_NOTE, FEELING)]
    held = json.dumps(run.state, ensure_ascii=False)
    for words in (FEELING, LOG_NOTE, "Sleep", "sad"):
        assert words not in held, f"the open run still holds {words!r}"
    assert run.state["step"] == "check_later"
    assert set(run.state["answers"]) <= {"unable"}  # what the steps after it may still read


async def dump(url: str) -> str:
    """Everything the database holds, as `sqlite3 .dump` or `pg_dump` writes it."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        with sqlite3.connect(str(parsed.database)) as conn:
            return "\n".join(conn.iterdump())
    libpq = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    proc = await asyncio.create_subprocess_exec(
        "pg_dump", "--no-owner", libpq, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await proc.communicate()
    assert proc.returncode == 0
    return out.decode()


async def test_waiting_updates_and_messages_are_not_in_clear_in_the_dump(db):
    """While an update waits in the inbox and a reply in the outbox (the bot is down, Telegram
    is away), the dump holds neither the client's words nor their name."""
    update = {
        "update_id": 7,
        "message": {"text": LOG_NOTE, "chat": {"id": SAM}, "from": {"first_name": NAME}},
    }
    await store(db, [Received(7, SAM, update)], datetime.now(UTC))
    batch = Batch()
    batch.say(SAM, f"Thank you, {NAME}. You wrote: {SESSION_NOTE}")
    async with db.session() as s:
        await queue(s, batch, now=datetime.now(UTC), worker_id="w", settings=OutboxSettings())
    stored = await dump(db.url)
    for words in (NAME, LOG_NOTE, SESSION_NOTE):
        assert words not in stored, f"{words!r} is in clear in the database dump"
    async with db.session() as s:  # and both read back whole
        assert (await s.get(InboxUpdate, 7)).payload == update  # type: ignore[union-attr]
        (message,) = (await s.exec(select(OutboxMessage))).all()
    assert SESSION_NOTE in message.payload["text"]


async def sam_id(h: BotHarness) -> int:
    async with h.runtime.db.session() as s:
        client = (await s.exec(select(Client).where(Client.telegram_id == SAM))).one()
        assert client.id is not None
        return client.id


async def test_database_and_logs_hold_no_client_words_and_the_export_holds_all(
    db, tmp_path, caplog
):
    """After a full conversation: the dump has none of Sam's words or name in clear, the logs
    have no words, token or risk category, and /mydata holds every row about Sam."""
    await db.dispose()
    harness = BotHarness(tmp_path, database_url=db.url)
    # As `checkin run` does: the token filter and quiet libraries; then everything at DEBUG.
    configure_logging(Config(bot_token=SecretStr(harness.emulator.token)))
    caplog.set_level(logging.DEBUG)
    async with harness as h:
        sam = await conversation(h)
        await sam.send("/mydata")
        replies = await sam.replies_until_idle(0.5)
        files = {r.file_name: r.content for r in replies if r.kind == "document"}
        stored = await dump(db.url)
        client_id = await sam_id(h)
        expected = await _rows_about(h, client_id)
        token = h.config.bot_token.get_secret_value()  # type: ignore[union-attr]

    for words in CLIENT_WORDS:
        assert words not in stored, f"{words!r} is in clear in the database dump"
    for words in STORED_RISK_WORDS:  # a risk tied to a client is health data too
        assert words not in stored, f"{words!r} is in clear in the database dump"
    assert "v2." in stored  # the words are there, encrypted

    log_text = "\n".join(
        r.getMessage() for r in caplog.records if not r.name.startswith("bot.testing")
    )
    assert token not in log_text
    for words in (*CLIENT_WORDS, *RISK_WORDS):
        assert words not in log_text, f"{words!r} appears in the logs"

    export = json.loads(files["checkin-my-data.json"] or b"")
    assert export["format"] == "checkin-client-export"
    tables = export["tables"]
    assert set(tables) == {
        t for t in SQLModel.metadata.tables if not isinstance(rule_for(t), NotClientData)
    }
    expected["audit_log"] -= 1  # the export's own audit line is written after it was made
    expected["outbox_message"] -= 2  # and its two files were queued in the outbox after it
    assert {name: len(rows) for name, rows in tables.items()} == expected
    for name in ("client", "log_entry", "flow_run", "triage_event", "audit_log", "invite"):
        assert tables[name], f"the export has no {name} rows"
    text = json.dumps(export, ensure_ascii=False)
    for words in (NAME, FEELING, LOG_NOTE, SESSION_NOTE):
        assert words in text
    assert DELETED_NOTE not in text  # a deleted note is gone from the runs and the export too
    ended = [r for r in tables["flow_run"] if r["status"] == "ended"]
    assert ended
    assert all(r["state"]["answers"] == {} for r in ended)  # the log holds what was recorded
    assert "summary.read" in [row["action"] for row in tables["audit_log"]]
    summary = (files["checkin-my-data.txt"] or b"").decode()
    assert SESSION_NOTE in summary
    assert NAME in summary


async def _rows_about(h: BotHarness, client_id: int) -> dict[str, int]:
    """Rows about the client, found without the registry: any column that points at them."""
    counts: dict[str, int] = {}
    async with h.runtime.db.session() as s:
        for table in SQLModel.metadata.sorted_tables:
            if isinstance(rule_for(table.name), NotClientData):
                continue
            model = model_for(table)
            rows = (await s.exec(select(model))).all()
            counts[table.name] = sum(1 for row in rows if _points_at(row, client_id))
    return counts


def _points_at(row: SQLModel, client_id: int) -> bool:
    values = row.model_dump()
    if isinstance(row, Client):
        return values["id"] == client_id
    return any(
        values.get(name) == client_id for name in values if name.endswith("client_id")
    ) or any(values.get(name) == SAM for name in ("chat_id", "telegram_id"))


async def test_erasure_leaves_nothing_that_identifies_the_client(db, tmp_path):
    """/delete: every table walked afterwards holds none of Sam's ids, names or words; the
    invite no longer points at Sam; the audit keeps one pseudonymous line; Olga is untouched."""
    await db.dispose()
    async with BotHarness(tmp_path, database_url=db.url) as h:
        sam = await conversation(h)
        client_id = await sam_id(h)
        await sam.send("/delete")
        await h.tap_when_shown(sam, "Yes, delete all")
        assert "deleted" in (await sam.next_reply()).text
        await h.settled()  # the goodbye's delivery is recorded (and, for an erased chat, dropped)
        walked = []
        async with h.runtime.db.session() as s:
            for table in SQLModel.metadata.sorted_tables:
                walked.append(table.name)
                for row in (await s.exec(select(model_for(table)))).all():
                    _assert_not_about_sam(table.name, row.model_dump(), client_id)
            erased = (
                await s.exec(select(AuditLog).where(AuditLog.action == "client.erased"))
            ).one()
            invites = (await s.exec(select(Invite))).all()
            olga_entries = (await s.exec(select(LogEntry))).all()
        stored = await dump(db.url)
    assert sorted(walked) == sorted(SQLModel.metadata.tables)
    assert erased.client_id is None
    assert erased.target == "therapist:1"
    assert erased.count is not None
    assert erased.count >= 3  # redeem, summary read, alert, … folded into one count
    assert [i.used_by_client_id is None for i in invites].count(True) >= 1
    assert [e.distress for e in olga_entries] == [3]
    for words in CLIENT_WORDS:
        assert words not in stored


def _assert_not_about_sam(table: str, values: dict[str, Any], client_id: int) -> None:
    for name, value in values.items():
        where = f"{table}.{name} = {value!r}"
        if name.endswith("client_id"):
            assert value != client_id, where
        if name in ("telegram_id", "chat_id", "user_id"):
            assert value != SAM, where
        if isinstance(value, str | dict | list):
            text = json.dumps(value, ensure_ascii=False)
            assert f"client:{SAM}" not in text, where
            for words in CLIENT_WORDS:
                assert words not in text, where
