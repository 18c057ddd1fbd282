"""`checkin doctor` says what a deployment still needs: token, database, flows, configuration,
and therapists alerts can reach (asked of the loopback Bot API, never of Telegram)."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr
from typer.testing import CliRunner

from bot.cli import app
from bot.config import Config, TelegramConfig
from bot.config.models import AlertsConfig
from bot.doctor import Finding, examine
from bot.service import texts
from bot.service.identity import add_therapist
from bot.storage import Database, upgrade_database
from bot.storage.crypto import KEYS_ENV
from bot.testing import BotApiEmulator

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def by_check(findings: list[Finding]) -> dict[str, Finding]:
    return {finding.check: finding for finding in findings}


def test_a_fresh_checkout_is_told_what_to_do(tmp_path: Path) -> None:
    """No token, no database yet: each is named with its fix; the flows are fine; exit 1."""
    config = tmp_path / "config.yaml"
    config.write_text(
        f"database_url: sqlite:///{tmp_path / 'bot.sqlite3'}\nflows_dir: {ROOT / 'flows'}\n",
        "utf-8",
    )
    unset = ("TELEGRAM_BOT_TOKEN", "DATABASE_URL", KEYS_ENV, "CHECKIN_DATA_KEYS_FILE")
    env: dict[str, str | None] = dict.fromkeys(unset)  # None: not set for the command
    result = runner.invoke(app, ["-c", str(config), "doctor"], env=env)
    assert result.exit_code == 1
    assert "FIX  token: TELEGRAM_BOT_TOKEN is not set" in result.output
    assert "FIX  keys: no data encryption key" in result.output
    assert "→ checkin keys new (once), then export CHECKIN_DATA_KEYS=" in result.output
    assert "→ export TELEGRAM_BOT_TOKEN=" in result.output
    assert "FIX  database: the SQLite file" in result.output
    assert "→ checkin db upgrade" in result.output
    shipped = len(list((ROOT / "flows").glob("*.yaml")))
    assert f"ok   flows: {shipped} valid flows" in result.output
    assert not (tmp_path / "bot.sqlite3").exists()  # the doctor changes nothing


async def test_an_unmigrated_database_and_broken_flows_are_named(tmp_path: Path) -> None:
    (tmp_path / "empty.sqlite3").write_bytes(b"")
    flows = tmp_path / "flows"
    flows.mkdir()
    config = Config(database_url=f"sqlite:///{tmp_path / 'empty.sqlite3'}", flows_dir=flows)
    found = by_check(await examine(config, None, texts.LANGUAGES, online=False))
    assert not found["database"].ok
    assert "is empty; this version needs" in found["database"].found
    assert not found["flows"].ok
    assert "there are no flow files" in found["flows"].found
    assert found["flows"].fix == f"checkin flows check {flows}"


async def test_a_therapist_who_never_opened_the_bot_is_named(tmp_path: Path) -> None:
    """Dr. Ruiz opened the bot, Dr. Lee did not: alerts could not reach Dr. Lee."""
    database = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    db = Database(database)
    try:
        await upgrade_database(db)
        async with db.session() as s:
            await add_therapist(s, telegram_id=11, name="Dr. Ruiz", contact=None, hours=None)
            await add_therapist(s, telegram_id=12, name="Dr. Lee", contact=None, hours=None)
    finally:
        await db.dispose()
    async with BotApiEmulator(token="4242:DOC", bot_username="clinic_bot") as emu:
        emu.user(11, "Ana")  # has a chat with the bot
        config = Config(
            database_url=database,
            flows_dir=ROOT / "flows",
            bot_token=SecretStr(emu.token),
            telegram=TelegramConfig(api_base_url=emu.base_url),
            alerts=AlertsConfig(fallback_chat_id=11),
        )
        found = by_check(await examine(config, None, texts.LANGUAGES))
    assert all(f.ok for name, f in found.items() if name != "therapist Dr. Lee"), found
    assert found["telegram"].found == "the token belongs to @clinic_bot"
    lee = found["therapist Dr. Lee"]
    assert not lee.ok
    assert "Telegram id 12 cannot be written to" in lee.found
    assert lee.fix == "ask them to open @clinic_bot in Telegram and send /start"


async def test_a_refused_token_is_named(tmp_path: Path) -> None:
    async with BotApiEmulator(token="4242:RIGHT", bot_username="clinic_bot") as emu:
        config = Config(
            flows_dir=ROOT / "flows",
            database_url=f"sqlite:///{tmp_path / 'none.sqlite3'}",
            bot_token=SecretStr("4242:WRONG"),
            telegram=TelegramConfig(api_base_url=emu.base_url),
        )
        found = by_check(await examine(config, None, texts.LANGUAGES))
    assert not found["telegram"].ok
    assert found["telegram"].found == "Telegram refused the token"


def _ready_clinic(tmp_path: Path, fallback: int | None) -> Path:
    """A clinic with a migrated database, a therapist and the shipped flows; `fallback` or not."""
    database = f"sqlite:///{tmp_path / 'bot.sqlite3'}"

    async def prepare() -> None:
        db = Database(database)
        try:
            await upgrade_database(db)
            async with db.session() as s:
                await add_therapist(s, telegram_id=11, name="Dr. Ruiz", contact=None, hours=None)
        finally:
            await db.dispose()

    import asyncio

    asyncio.run(prepare())
    config = tmp_path / "config.yaml"
    config.write_text(
        f"database_url: {database}\nflows_dir: {ROOT / 'flows'}\n"
        f"alerts:\n  fallback_chat_id: {'null' if fallback is None else fallback}\n",
        "utf-8",
    )
    return config


def test_offline_without_a_fallback_is_not_ready(tmp_path: Path) -> None:
    """fallback_chat_id null, token unchecked: a problem to fix, and no claim of readiness."""
    config = _ready_clinic(tmp_path, fallback=None)
    result = runner.invoke(
        app, ["-c", str(config), "doctor", "--offline"], env={"TELEGRAM_BOT_TOKEN": "42:ANY"}
    )
    assert result.exit_code == 1, result.output
    assert "FIX  alerts fallback: alerts.fallback_chat_id is not set" in result.output
    assert "reaches nobody" in result.output
    assert "→ set alerts.fallback_chat_id in the config" in result.output
    assert "Not checked (--offline): whether Telegram accepts TELEGRAM_BOT_TOKEN" in result.output
    assert "ready for clients" not in result.output.replace("before clients", "")


def test_offline_says_what_it_did_not_check_instead_of_ready(tmp_path: Path) -> None:
    config = _ready_clinic(tmp_path, fallback=-100123)
    result = runner.invoke(
        app, ["-c", str(config), "doctor", "--offline"], env={"TELEGRAM_BOT_TOKEN": "42:ANY"}
    )
    assert result.exit_code == 0, result.output
    assert "ok   alerts fallback: alerts nobody else can take go to chat -100123" in result.output
    assert "Not checked (--offline)" in result.output
    assert "The offline checks passed; the checks above are still to do." in result.output
    assert "ready for clients" not in result.output


async def test_a_fallback_chat_that_never_opened_the_bot_is_named(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    db = Database(database)
    try:
        await upgrade_database(db)
        async with db.session() as s:
            await add_therapist(s, telegram_id=11, name="Dr. Ruiz", contact=None, hours=None)
    finally:
        await db.dispose()
    async with BotApiEmulator(token="4242:DOC", bot_username="clinic_bot") as emu:
        emu.user(11, "Ana")
        config = Config(
            database_url=database,
            flows_dir=ROOT / "flows",
            bot_token=SecretStr(emu.token),
            telegram=TelegramConfig(api_base_url=emu.base_url),
            alerts=AlertsConfig(fallback_chat_id=99),
        )
        found = by_check(await examine(config, None, texts.LANGUAGES))
    assert found["therapist Dr. Ruiz"].ok
    fallback = found["alerts fallback"]
    assert not fallback.ok
    assert "alerts.fallback_chat_id 99 cannot be written to" in fallback.found
