"""`checkin doctor`: is this deployment ready? Configuration, token, data keys (and whether they
are the ones the database's data is under), database, flows, where alerts go, therapists.

Each check gives one finding: what is wrong and what to do about it. Nothing is changed: the
database is not migrated, no message is sent (Telegram is only asked `getMe` and `getChat`).
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, text
from sqlmodel import select

from bot.config import Config
from bot.config.meaning import meaning_problems
from bot.dialogue.loader import REQUIRED_FLOWS, load_flows
from bot.dialogue.problems import FlowValidationError
from bot.storage import Database
from bot.storage.crypto import KEYS_ENV, KeyRing, KeysError, load_keyring
from bot.storage.data_keys import WrongKeysError, configured_ids, known_ids
from bot.storage.migrations import head_revision
from bot.storage.models import Therapist


@dataclass(frozen=True)
class Finding:
    """One check: `ok`, what was found, and (when not ok) the fix."""

    check: str
    ok: bool
    found: str
    fix: str = ""

    def __str__(self) -> str:
        mark = "ok  " if self.ok else "FIX "
        return f"{mark} {self.check}: {self.found}" + (f"\n      → {self.fix}" if self.fix else "")


async def examine(
    config: Config,
    source: Path | None,
    host_languages: Collection[str],
    online: bool = True,
    environ: Mapping[str, str] | None = None,
) -> list[Finding]:
    env = os.environ if environ is None else environ
    keys, ring = _keys(env)
    findings = [
        _configuration(config, source, host_languages),
        _token(config),
        keys,
        _flows(config),
    ]
    database, therapists, data_keys = await _database(config)
    findings.append(database)
    if ring is not None and data_keys is not None:
        findings.append(_data_keys(ring, data_keys))
    findings.append(_fallback(config))
    if online and config.bot_token is not None:
        asked = await _telegram(config, therapists)
        if any(f.check == "alerts fallback" for f in asked):  # set, but Telegram cannot reach it
            findings = [f for f in findings if f.check != "alerts fallback"]
        findings.extend(asked)
    return findings


# What `--offline` leaves out, said instead of "ready" (the CLI prints it).
NOT_CHECKED_OFFLINE = (
    "Not checked (--offline): whether Telegram accepts TELEGRAM_BOT_TOKEN, and whether the bot "
    "can write to each therapist and to alerts.fallback_chat_id (someone who never opened the bot "
    "gets no alert). Run `checkin doctor` without --offline to check them."
)


def _configuration(config: Config, source: Path | None, languages: Collection[str]) -> Finding:
    name = str(source) if source else "built-in defaults"
    problems = meaning_problems(config, source, languages, flows=False)
    if problems:
        return Finding("configuration", False, "; ".join(problems), f"checkin config check {name}")
    return Finding("configuration", True, name)


def _token(config: Config) -> Finding:
    if config.bot_token is None or not config.bot_token.get_secret_value().strip():
        return Finding(
            "token",
            False,
            "TELEGRAM_BOT_TOKEN is not set",
            "export TELEGRAM_BOT_TOKEN=... (the token @BotFather gave you; never in the file)",
        )
    return Finding("token", True, "TELEGRAM_BOT_TOKEN is set")


def _keys(environ: Mapping[str, str]) -> tuple[Finding, KeyRing | None]:
    """The data key that encrypts client text at rest (the bot refuses to start without one)."""
    try:
        ring = load_keyring(environ)
    except KeysError as error:
        finding = Finding(
            "keys",
            False,
            str(error),
            f"checkin keys new (once), then export {KEYS_ENV}=... with the key it printed (keep "
            "a copy: without it the stored answers cannot be read)",
        )
        return finding, None
    return Finding("keys", True, f"{len(ring.keys)} data key(s); the first encrypts"), ring


def _data_keys(ring: KeyRing, known: set[str]) -> Finding:
    """Are the configured keys the ones the database's data is under? (Ids only, never keys.)"""
    configured = configured_ids(ring)
    if not known:
        return Finding(
            "data keys",
            True,
            f"no encrypted data yet: the first command that uses the keys makes key id "
            f"{ring.newest_id} this database's key",
        )
    if not known & configured:
        error = WrongKeysError(configured, known)
        return Finding(
            "data keys",
            False,
            str(error).split("\n", 1)[0],
            f"set {KEYS_ENV} to the key the database was created with; to change keys, "
            f"{KEYS_ENV}=NEW,OLD then checkin keys rotate",
        )
    absent = sorted(known - configured)
    if absent:
        return Finding(
            "data keys",
            False,
            f"values under key id {', '.join(absent)} may remain, and that key is not in "
            f"{KEYS_ENV}: they would not decrypt",
            f"put that key after the newest in {KEYS_ENV} and run checkin keys rotate; drop it "
            "only when rotation reports every value under the newest key",
        )
    return Finding(
        "data keys",
        True,
        f"{KEYS_ENV} holds the key(s) the data is under (key id {', '.join(sorted(known))})",
    )


def _fallback(config: Config) -> Finding:
    """Who gets an alert the therapist cannot: without a fallback, nobody does."""
    fallback = config.alerts.fallback_chat_id
    if fallback is None:
        return Finding(
            "alerts fallback",
            False,
            "alerts.fallback_chat_id is not set: an alert for a therapist the bot cannot write to "
            "(one who never opened the bot, or blocked it) reaches nobody",
            "set alerts.fallback_chat_id in the config to the Telegram chat id of an on-call "
            "colleague or the clinic's group (who must have opened the bot)",
        )
    return Finding("alerts fallback", True, f"alerts nobody else can take go to chat {fallback}")


def _flows(config: Config) -> Finding:
    clinic = config.clinic
    try:
        library = load_flows(
            [config.flows_dir],
            clinic.languages,
            clinic.default_language,
            max_bytes=config.yaml_max_file_size,
            required=REQUIRED_FLOWS,
        )
    except FlowValidationError as error:
        return Finding(
            "flows",
            False,
            f"{len(error.problems)} problem(s) in {config.flows_dir}, the first: "
            f"{error.problems[0]}",
            f"checkin flows check {config.flows_dir}",
        )
    return Finding("flows", True, f"{len(library.flows)} valid flows in {config.flows_dir}")


def _revision(connection: Connection) -> str | None:
    connection.execute(text("SELECT 1"))
    return MigrationContext.configure(connection).get_current_revision()


async def _database(config: Config) -> tuple[Finding, list[Therapist], set[str] | None]:
    """The database's state, its therapists and the key ids its data is under (None: unknown)."""
    where = safe_url(config.database_url)
    missing = _missing_sqlite_file(config.database_url)
    if missing is not None:
        return (
            Finding(
                "database",
                False,
                f"the SQLite file {missing} does not exist yet",
                "checkin db upgrade (creates it; checkin run also does it at start)",
            ),
            [],
            None,
        )
    db = Database(config.database_url)
    try:
        async with db.engine.connect() as connection:
            current = await connection.run_sync(_revision)
        head = head_revision()
        if current != head:
            state = "empty" if current is None else f"at schema {current}"
            return (
                Finding(
                    "database",
                    False,
                    f"{where} is {state}; this version needs {head}",
                    "checkin db upgrade (checkin run also does it at start)",
                ),
                [],
                None,
            )
        async with db.session() as s:
            therapists = list((await s.exec(select(Therapist))).all())
            data_keys, _ = await known_ids(await s.connection())
    except Exception as error:  # any driver's connection error: say which, never the password
        return (
            Finding(
                "database",
                False,
                f"cannot use {where} ({type(error).__name__})",
                "check database_url in the file, or DATABASE_URL in the environment",
            ),
            [],
            None,
        )
    finally:
        await db.dispose()
    found = f"{where} at the newest schema, {len(therapists)} therapist(s)"
    if not therapists:
        return (
            Finding("database", False, found, "checkin therapist add --name ... --telegram-id ..."),
            [],
            data_keys,
        )
    return Finding("database", True, found), therapists, data_keys


async def _telegram(config: Config, therapists: list[Therapist]) -> list[Finding]:
    from bot.transport.probe import probe

    assert config.bot_token is not None
    base = config.telegram.api_base_url
    fallback = config.alerts.fallback_chat_id
    asked = [t.telegram_id for t in therapists] + ([fallback] if fallback is not None else [])
    result = await probe(config.bot_token.get_secret_value(), base, asked)
    if result.username is None:
        return [
            Finding(
                "telegram",
                False,
                result.problem or "no answer",
                "check TELEGRAM_BOT_TOKEN (from @BotFather) and telegram.api_base_url",
            )
        ]
    findings = [Finding("telegram", True, f"the token belongs to @{result.username}")]
    for therapist in therapists:
        why = result.unreachable.get(therapist.telegram_id)
        if why is None:
            findings.append(Finding(f"therapist {therapist.name}", True, "alerts can reach them"))
        else:
            findings.append(
                Finding(
                    f"therapist {therapist.name}",
                    False,
                    f"Telegram id {therapist.telegram_id} {why}, so alerts cannot reach them",
                    f"ask them to open @{result.username} in Telegram and send /start",
                )
            )
    why = result.unreachable.get(fallback) if fallback is not None else None
    if why is not None:
        findings.append(
            Finding(
                "alerts fallback",
                False,
                f"alerts.fallback_chat_id {fallback} {why}, so alerts nobody else can take are lost",
                f"have that person open @{result.username} and send /start (or add the bot to "
                "that group), or set another chat id",
            )
        )
    return findings


def _missing_sqlite_file(url: str) -> str | None:
    """The path of a SQLite database file that does not exist (opening it would create it)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    name = parsed.database
    if not parsed.drivername.startswith("sqlite") or not name or name == ":memory:":
        return None
    return None if Path(name).exists() else name


def safe_url(url: str) -> str:
    """A database URL without its password."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL sqlalchemy understands: show nothing of it
        return "(the configured database)"
