"""A clinic adds its own flow by following flows/README.md: its command is in the menu, /help
lists it, the client reaches it, its declared fields are stored encrypted and come back in /mydata."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlmodel import select

from bot.config import Config
from bot.config.loader import SHIPPED_FLOWS_DIR
from bot.config.models import ClinicConfig
from bot.storage.models import LogEntry
from bot.testing.harness import BotHarness

pytestmark = pytest.mark.e2e
THERAPIST, SAM = 1, 1001
GOOD_THINGS = "my neighbour waved, warm bread, the quiet canal"


def readme_example() -> str:
    """The `gratitude` flow exactly as flows/README.md tells a clinic to write it."""
    readme = (SHIPPED_FLOWS_DIR / "README.md").read_text("utf-8")
    found = re.search(r"<!-- example: gratitude -->\n```yaml\n(.*?)```", readme, re.DOTALL)
    assert found, "flows/README.md lost its gratitude walkthrough"
    return found.group(1)


@pytest.fixture
def clinic_flows(tmp_path: Path) -> Path:
    folder = tmp_path / "flows"
    shutil.copytree(SHIPPED_FLOWS_DIR, folder, ignore=shutil.ignore_patterns("*.md"))
    (folder / "gratitude.yaml").write_text(readme_example(), "utf-8")
    return folder


async def test_the_menu_is_published_from_the_flows_in_each_language(
    tmp_path: Path, clinic_flows: Path
) -> None:
    config = Config(flows_dir=clinic_flows, clinic=ClinicConfig(languages=["en", "de"]))
    async with BotHarness(tmp_path, config=config) as h:
        english = [(c.command, c.description) for c in await h.runtime.bot.get_my_commands()]
        german = await h.runtime.bot.get_my_commands(language_code="de")
    assert english[0] == ("checkin", "Check in now")
    assert ("gratitude", "Write down three good things") in english
    assert ("gratitude", "Drei gute Dinge aufschreiben") in {
        (c.command, c.description) for c in german
    }
    assert ("sos", "Sofort Hilfe") in {(c.command, c.description) for c in german}


async def test_a_flow_added_from_the_readme_is_reachable_and_its_answers_are_exported(
    tmp_path: Path, clinic_flows: Path
) -> None:
    async with BotHarness(tmp_path, config=Config(flows_dir=clinic_flows)) as h:
        await h.add_therapist(THERAPIST, "Dr. Ruiz")
        sam = await h.onboarded_client(SAM, "Sam", therapist=THERAPIST)
        await sam.send("/help")
        assert "/gratitude – Write down three good things" in (await sam.next_reply()).text
        await sam.send("/gratitude")
        assert "three good things" in (await sam.next_reply()).text
        await sam.send(GOOD_THINGS)
        await h.tap_when_shown(sam, "8")
        assert any("Those are yours to keep" in r.text for r in await sam.replies_until_idle(0.4))

        async with h.runtime.db.session() as s:
            entry = (await s.exec(select(LogEntry).where(LogEntry.kind == "gratitude"))).one()
        assert entry.extra == {"good_things": GOOD_THINGS, "mood": 8}

        therapist = h.therapists[THERAPIST]
        await therapist.send("/summary Sam")  # an entry kind the summary does not know is fine
        assert any("Sam" in r.text for r in await therapist.replies_until_idle(0.5))

        await sam.send("/mydata")
        files = {r.file_name: r.content for r in await sam.replies_until_idle(0.5) if r.file_name}
    export = json.loads(files["checkin-my-data.json"] or b"")
    (row,) = [r for r in export["tables"]["log_entry"] if r["kind"] == "gratitude"]
    assert row["extra"] == {"good_things": GOOD_THINGS, "mood": 8}
    summary = (files["checkin-my-data.txt"] or b"").decode()
    assert f"good things: {GOOD_THINGS}" in summary
    assert "mood: 8" in summary

    with sqlite3.connect(tmp_path / "harness.sqlite3") as conn:
        dump = "\n".join(conn.iterdump())
    assert "warm bread" not in dump  # stored encrypted, like every answer
