"""Benchmark the dialogue engine: advance() latency over the shipped flows, and load time.

    python bench/engine.py [--walks 300] [--write]

Targets: advance() median under 50 µs; 100 flows loaded and validated in under 1 s.
`--write` replaces the "## Dialogue engine" section of bench/RESULTS.md with the numbers.
"""

# ruff: noqa: E402 - the imports must follow the sys.path fix below
from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import argparse
import os
import platform
import random
import re
import shutil
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta

from bench.common import cpu_model, write_section
from bot.dialogue import contracts as c
from bot.dialogue.engine import advance
from bot.dialogue.loader import FlowLibrary, flow_files, load_flows

ROOT = Path(__file__).resolve().parent.parent
FLOWS = ROOT / "flows"
CONTEXT = {
    "client": {"first_name": "Sam", "language": "en", "timezone": "Europe/Berlin"},
    "therapist": {"name": "Dr. Lee", "contact": "+49 30 1234"},
    "clinic": {"name": "Praxis", "languages": ["en", "de"]},
    "memory": {"future_me": "You got through it before.", "notes_count": 1},
    "crisis": {"resources": "<b>Call 112</b>"},
}


def next_event(state: c.RunState, buttons: list[c.Button], rng: random.Random) -> c.Event:
    """A plausible client: mostly taps, some typing, timers and triage answered."""
    if state.status == "waiting":
        return c.TimerFired(state.timer or "")
    if state.status == "awaiting_triage":
        return c.TriageDone(rng.random() < 0.3, False, ())
    roll = rng.random()
    if buttons and roll < 0.8:
        return c.Tap(rng.choice(buttons).data)
    return c.Text(rng.choice(["7", "Berlin", "I feel heavy today", "7x", "Done"]))


def time_advance(library: FlowLibrary, walks: int) -> list[float]:
    """Seconds per advance() call over `walks` seeded walks per flow."""
    samples: list[float] = []
    clock = time.perf_counter
    for flow_id in sorted(library.flows):
        for seed in range(walks):
            rng = random.Random(seed)
            now = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
            state: c.RunState | None = None
            event: c.Event = c.Start(flow_id, CONTEXT)
            buttons: list[c.Button] = []
            for _ in range(200):
                began = clock()
                state, effects = advance(library, state, event, now)
                samples.append(clock() - began)
                if state.status == "ended":
                    break
                for effect in effects:
                    if (isinstance(effect, c.Say) and effect.buttons) or isinstance(
                        effect, c.UpdateButtons
                    ):
                        buttons = [b for row in effect.buttons for b in row]
                now += timedelta(seconds=20)
                event = next_event(state, buttons, rng)
    return samples


def copy_flows(target: Path, count: int) -> None:
    """The shipped flows plus copies with new ids, `count` files in all."""
    originals = flow_files([FLOWS])
    for path in originals:
        shutil.copy(path, target / path.name)
    n = 0
    while len(list(target.glob("*.yaml"))) < count:
        source = originals[n % len(originals)]
        new_id = f"{source.stem}_copy{n}"
        text = re.sub(r"(?m)^id: .*$", f"id: {new_id}", source.read_text("utf-8"), count=1)
        (target / f"{new_id}.yaml").write_text(text, "utf-8")
        n += 1


def time_loading(count: int = 100, rounds: int = 5) -> float:
    """Best-of-`rounds` seconds to load and validate `count` flow files."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        copy_flows(folder, count)
        best = float("inf")
        for _ in range(rounds):
            began = time.perf_counter()
            library = load_flows([folder])
            best = min(best, time.perf_counter() - began)
        assert len(library.flows) == count
    return best


def machine() -> str:
    cpu = cpu_model(platform.processor() or platform.machine())
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--walks", type=int, default=300, help="walks per flow")
    parser.add_argument("--write", action="store_true", help="write bench/RESULTS.md")
    args = parser.parse_args()
    library = load_flows([FLOWS])
    time_advance(library, 20)  # warm up caches
    samples = sorted(time_advance(library, args.walks))
    median = statistics.median(samples) * 1e6
    p99 = samples[int(len(samples) * 0.99)] * 1e6
    load = time_loading()
    lines = [
        f"- advance(): median {median:.1f} µs, p99 {p99:.1f} µs over {len(samples):,} calls "
        f"({args.walks} seeded walks per shipped flow, {len(library.flows)} flows; target: median < 50 µs)",
        f"- load and validate 100 flows: {load * 1000:.0f} ms (best of 5; target: < 1 s)",
        f"- machine: {machine()}",
        f"- run: `python bench/engine.py --write` ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)",
    ]
    print("\n".join(lines))
    if args.write:
        write_section("Dialogue engine", "\n".join(lines))


if __name__ == "__main__":
    main()
