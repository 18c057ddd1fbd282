"""The demo run in-process from a script: both sides shown, files saved, nothing crashes."""

from __future__ import annotations

import io
import random
import re
from collections.abc import Iterable
from pathlib import Path

import pytest
from rich.console import Console
from sqlalchemy import create_engine, text

from bot.config import Config
from bot.demo import run_demo

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
ONBOARD = ["1", "1", "1", "1"]  # yes to check-ins, yes to alerts, London, (all set)


async def demo(folder: Path, lines: Iterable[str], speed: float = 20_000.0) -> str:
    """Run the demo with `lines` as the keyboard; return everything it printed."""
    out = io.StringIO()
    console = Console(file=out, width=200, highlight=False, color_system=None)
    script = iter(lines)

    async def read_line() -> str | None:
        line = next(script, None)
        if line is not None:
            console.print(f"you> {line}", markup=False)
        return line

    config = Config(flows_dir=ROOT / "flows")
    await run_demo(config, folder, speed, read_line=read_line, console=console, quiet=1.2)
    return out.getvalue()


def read(path: Path) -> str:
    return path.read_text()


def saved_distress(folder: Path) -> list[int]:
    engine = create_engine(f"sqlite:///{folder / 'demo.sqlite3'}")
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT distress FROM log_entry WHERE distress IS NOT NULL"))
        values = [row[0] for row in rows]
    engine.dispose()
    return values


async def test_a_scripted_demo_types_a_rating_exports_and_alerts_the_therapist(tmp_path):
    """Typing 7 at the scale saves 7; /mydata's file is saved and its path printed; a crisis
    line reaches Dr. Demo, shown clearly marked; Dr. Demo's /summary is shown too."""
    folder = tmp_path / "demo"
    printed = await demo(
        folder,
        [
            *ONBOARD,
            "/checkin",
            "7",
            "/mydata",
            "I want to kill myself",
            "/as therapist",
            "/alerts",
            "/summary Sam",
            "/as client",
            "/quit",
        ],
    )
    print(printed)
    assert saved_distress(folder) == [7]
    saved = re.search(r"file saved: (\S+checkin-my-data[^\s)]*)", printed)
    assert saved is not None, printed
    assert Path(saved.group(1)).parent == folder.resolve()
    assert re.search(r'"distress":\s*7', read(Path(saved.group(1))))
    assert "bot → Dr. Demo (therapist): 🔴 Crisis alert for Sam" in printed
    assert "bot → Dr. Demo (therapist): [photo: summary.png]" in printed  # the chart
    assert "bot → Dr. Demo (therapist): Sam · last 14 days" in printed  # the summary
    assert "Traceback" not in printed


async def test_delete_then_session_does_not_crash(tmp_path):
    printed = await demo(
        tmp_path / "demo", [*ONBOARD, "/delete", "Yes, delete all", "/session", "/rejoin", "/quit"]
    )
    print(printed)
    assert "Sam is not a client any more" in printed
    assert "Traceback" not in printed
    assert "demo hit an error" not in printed


async def test_a_rating_typed_at_the_follow_up_is_a_rating_not_a_snooze(tmp_path):
    """The follow-up asks a 0-10 scale and offers snoozes below it: typing 2 saves 2."""
    folder = tmp_path / "demo"
    printed = await demo(folder, [*ONBOARD, "/session", "", "2", "/quit"])
    print(printed)
    assert "Not a good moment?" in printed
    assert "[a] In 1 hour" in printed
    assert saved_distress(folder) == [2]
    assert "I'll check in again" not in printed


WALK = [
    *("1", "2", "3", "7", "a", "b", "10"),
    *("/checkin", "/log", "/selfcare", "/sit", "/note", "/next", "/pause", "/resume"),
    *("/mydata", "/delete", "Yes, delete all", "/session", "/about", "/help", "/sos"),
    *("/as therapist", "/as client", "/alerts", "/clients", "/summary Sam", "/timing"),
    *("/rejoin", "I feel a bit better today", "", "/stop", "/start"),
]


@pytest.mark.parametrize("seed", [17])
async def test_no_walk_of_commands_and_typing_crashes_the_demo(tmp_path, seed):
    """A seeded random walk through commands, taps and text, with /delete then /session in it."""
    chooser = random.Random(seed)
    steps = [chooser.choice(WALK) for _ in range(22)]
    steps[5:5] = ["/delete", "Yes, delete all", "/session", "/rejoin", *ONBOARD]
    printed = await demo(tmp_path / "demo", [*ONBOARD, *steps, "/quit"])
    print(printed)
    assert "Traceback" not in printed
    assert "demo hit an error" not in printed
    assert "Demo over" in printed
