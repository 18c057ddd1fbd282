"""The Telegram benchmark harness (bench/telegram.py) on a tiny load."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "telegram.py"
CRASHLOSS = Path(__file__).resolve().parents[2] / "bench" / "crashloss.py"
COMMON = Path(__file__).resolve().parents[2] / "bench" / "common.py"


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def harness() -> ModuleType:
    # Loaded by path under another name: as "telegram" it would shadow python-telegram-bot.
    return _load("checkin_bench_telegram", BENCH)


@pytest.mark.e2e
async def test_the_echo_burst_measures_every_update(harness: ModuleType) -> None:
    """Three users x two steps through the real PTB echo bot give six latencies and a rate."""
    figures = await harness.burst(harness.pick_bot("echo"), users=3, steps=2)
    assert figures.updates == 6
    assert len(figures.latencies) == 6
    assert all(0 < latency < 10 for latency in figures.latencies)
    assert figures.rate > 0


@pytest.mark.e2e
async def test_the_checkin_burst_walks_the_real_check_in(harness: ModuleType) -> None:
    """Two clients x five steps through the whole checkin bot: every step answered and timed."""
    figures = await harness.burst(harness.pick_bot("checkin"), users=2, steps=5)
    assert figures.updates == 10
    assert len(figures.latencies) == 10
    assert all(0 < latency < 30 for latency in figures.latencies)


@pytest.mark.e2e
async def test_a_bot_in_its_own_process_is_measured_with_its_cpu(harness: ModuleType) -> None:
    """The echo bot in a child process: every update answered over real HTTP, and the child's
    own CPU time read."""
    figures = await harness.burst(harness.pick_bot("echo", own_process=True), users=3, steps=2)
    assert figures.updates == 6
    assert len(figures.latencies) == 6
    assert figures.cpu_seconds is not None
    assert figures.cpu_seconds >= 0


@pytest.mark.e2e
async def test_the_crash_bench_kills_a_real_checkin_run_and_counts_what_was_lost() -> None:
    """Four clients, two SIGKILLs of a real `checkin run`: nothing lost, and what was possibly
    sent twice recorded (a duplicate the clients saw is never more than the resends)."""
    crashloss = _load("checkin_bench_crashloss", CRASHLOSS)
    outcome = await crashloss.crashloss(4, every=12, kills=2, answer_timeout=60)
    assert outcome.kills == 2
    assert outcome.updates == 40
    assert (outcome.unanswered, outcome.unhandled, outcome.lost_replies) == (0, 0, 0)
    assert outcome.failed == 0
    assert outcome.duplicates <= outcome.resends


def test_results_replace_only_the_benchmarks_own_section(tmp_path: Path) -> None:
    """Writing results (bench/common.py, for every bench) rewrites its own `## Telegram` and
    keeps the other sections as they were; a file or section not there yet is made."""
    common = _load("checkin_bench_common", COMMON)
    results = tmp_path / "RESULTS.md"
    results.write_text("# Results\n\n## Telegram\n\nold figures\n\n## Storage\n\nkeep me\n")
    common.write_section("Telegram", "new figures", results)
    text = results.read_text()
    assert "new figures" in text
    assert "old figures" not in text
    assert "## Storage\n\nkeep me" in text
    common.write_section("Crash loss", "lost nothing", results)
    assert results.read_text().endswith("## Storage\n\nkeep me\n\n## Crash loss\n\nlost nothing\n")
    common.write_section("Telegram", "newer figures", tmp_path / "absent.md")
    assert "## Telegram\n\nnewer figures" in (tmp_path / "absent.md").read_text()
