"""The Telegram benchmark harness (bench/telegram.py) on a tiny load."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "telegram.py"


@pytest.fixture(scope="module")
def harness() -> ModuleType:
    # Loaded by path under another name: as "telegram" it would shadow python-telegram-bot.
    spec = importlib.util.spec_from_file_location("checkin_bench_telegram", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


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


def test_results_replace_only_the_telegram_section(harness: ModuleType, tmp_path: Path) -> None:
    """Writing results rewrites `## Telegram` and keeps the other sections as they were."""
    results = tmp_path / "RESULTS.md"
    results.write_text("# Results\n\n## Telegram\n\nold figures\n\n## Storage\n\nkeep me\n")
    harness.write_results("new figures", results)
    text = results.read_text()
    assert "new figures" in text
    assert "old figures" not in text
    assert "## Storage\n\nkeep me" in text
    harness.write_results("newer figures", tmp_path / "absent.md")
    assert "## Telegram\n\nnewer figures" in (tmp_path / "absent.md").read_text()
