"""Benchmark crisis screening: one typical message, a 4,000-character message, and the corpus.

    python bench/screening.py [--repeat 2000] [--write]

Targets (issue 10): well under 1 ms for a typical message, a few ms for 4,000 characters.
Every row but those marked "rules alone" runs the combined screener (rules, then the learned
layer when the rules find no crisis). `--write` replaces the "## Crisis screening" section of bench/RESULTS.md with the numbers.
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
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime

from bench.common import cpu_model, write_section
from bot.cli.safety import DEFAULT_CORPUS
from bot.safety.report import load_corpora
from bot.safety.screening import learned_alone, screen_text

ROOT = Path(__file__).resolve().parent.parent
DIARY = (
    "today was long. i woke up early and could not get back to sleep, so i made coffee and sat by"
    " the window for a while. work was busy, my manager asked for the report again and i felt like"
    " i was behind on everything. at lunch i called my sister and we talked about mum's birthday"
    " and what to get her. the afternoon dragged. i went for a walk after work like we said in"
    " session and it helped a bit, the park was quiet and i noticed the trees are turning. in the"
    " evening i tried the breathing exercise but my mind kept going back to the argument with my"
    " partner last week. i don't know, i feel tired of always being the one who apologises. "
)
TYPICAL = "had a rough day at work, feeling a bit low but the breathing exercise helped a little"
CRISIS = "i cant do this anymore, took all my pills an hour ago. thank you for everything"


def _long_text(rng: random.Random, examples: list[str], length: int) -> str:
    """Corpus messages strung together up to `length` characters: realistic words, many near
    misses of the rules, the worst case for the context checks."""
    parts: list[str] = []
    while sum(len(p) + 2 for p in parts) < length:
        parts.append(rng.choice(examples))
    return ". ".join(parts)[:length]


def _timings(call: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return sorted(samples)


def _line(name: str, samples: list[float]) -> str:
    median = statistics.median(samples) * 1e3
    p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))] * 1e3
    return f"| {name} | {len(samples):,} | {samples[0] * 1e3:.3f} | {median:.3f} | {p99:.3f} |"


def machine() -> str:
    cpu = cpu_model(platform.processor() or platform.machine())
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()}, load average {load}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=2000, help="calls per measurement")
    parser.add_argument("--write", action="store_true", help="write bench/RESULTS.md")
    args = parser.parse_args()
    rng = random.Random(10)
    examples = [e.text for e in load_corpora(sorted(DEFAULT_CORPUS.glob("*.yaml")))]
    long_texts = [_long_text(rng, examples, 4000) for _ in range(20)]
    for text in examples:  # warm up the normaliser's caches as a running bot would have them
        screen_text(text)
    rows = [
        _line(
            "typical message (86 characters, none)",
            _timings(lambda: screen_text(TYPICAL), args.repeat),
        ),
        _line(
            "the same, rules alone (`learned=False`)",
            _timings(lambda: screen_text(TYPICAL, learned=False), args.repeat),
        ),
        _line(
            "the same, learned layer alone (normalising the text again)",
            _timings(lambda: learned_alone(TYPICAL), args.repeat),
        ),
        _line("crisis message (82 characters)", _timings(lambda: screen_text(CRISIS), args.repeat)),
    ]
    every = []
    for text in examples:
        every += _timings(lambda t=text: screen_text(t), 5)
    rows.append(
        _line(f"each corpus message ({len(examples)} messages, 5 runs each)", sorted(every))
    )
    long_samples: list[float] = []
    for text in long_texts:
        long_samples += _timings(lambda t=text: screen_text(t), max(1, args.repeat // 100))
    rows.append(
        _line(
            "4,000 characters of corpus messages strung together (worst case: most rules fire)",
            sorted(long_samples),
        )
    )
    diary = (DIARY * 10)[:3985] + " i want to die."
    rows.append(
        _line(
            "4,000 characters: a long diary entry ending in a crisis sentence",
            _timings(lambda: screen_text(diary), max(1, args.repeat // 10)),
        )
    )
    calm_diary = (DIARY * 10)[:4000]
    rows += [
        _line(
            "4,000 characters: a long calm diary entry (rules, then the learned layer)",
            _timings(lambda: screen_text(calm_diary), max(1, args.repeat // 10)),
        ),
        _line(
            "the same, rules alone",
            _timings(lambda: screen_text(calm_diary, learned=False), max(1, args.repeat // 10)),
        ),
    ]
    unit = "I am not sure I want to say it but, honestly, no. "
    rows.append(
        _line(
            "4,000 characters of one repeated sentence",
            _timings(lambda: screen_text((unit * 80)[:4000]), 100),
        )
    )
    # The speed checks that were once timed tests (tests/safety count work instead): 10,000
    # characters of calm text, and of each repeated rule fragment (no catastrophic backtracking).
    calm_10k = ("I am not really sure what to say today, " * 300)[:10_000]
    rows.append(
        _line("10,000 characters of calm text", _timings(lambda: screen_text(calm_10k), 50))
    )
    repeated: list[float] = []
    for fragment in ("not ", "a", "want to ", "!?", "kill ", "i i i "):
        text = (fragment * 10_000)[:10_000]
        repeated += _timings(lambda t=text: screen_text(t), 10)
    rows.append(
        _line(
            "10,000 characters of one repeated rule fragment (6 fragments, 10 runs each)",
            sorted(repeated),
        )
    )
    lines = [
        "| text | calls | best ms | median ms | p99 ms |",
        "|---|---|---|---|---|",
        *rows,
        "",
        "Targets (issue 10): well under 1 ms for a typical message, a few ms for 4,000 characters.",
        "Rows not marked otherwise run the combined screener: the rules, then the learned layer",
        "whenever the rules find no crisis (the common case, so the layer runs on most messages).",
        f"Machine: {machine()}. The machine is shared with five other engineers' test runs, so",
        "medians and p99s vary by 2-5x between runs; 'best' is the time without interference.",
        f"Run: `python bench/screening.py --write` ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC).",
    ]
    print("\n".join(lines))
    if args.write:
        write_section("Crisis screening", "\n".join(lines))


if __name__ == "__main__":
    main()
