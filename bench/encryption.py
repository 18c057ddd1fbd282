"""Encryption cost: the checkin bot's step burst with field encryption on (AES-GCM) and off.

    .venv/bin/python bench/encryption.py                  # 300 users x 5 steps, 3 rounds
    .venv/bin/python bench/encryption.py --write          # also write bench/RESULTS.md

'Off' keeps the storage path identical (the same column types and value framing) but seals
values with a no-op cipher, so the difference is the cost of AES-GCM and nothing else. The two
modes alternate round by round, so load from other work on the machine hits both alike; the
median of each mode's burst rates is compared. The target: 'on' within 10% of 'off'.
"""

# ruff: noqa: E402 - the imports must follow the sys.path fix below
from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import argparse
import asyncio
import base64
import importlib.util
import re
import statistics
import time

from bot.storage.crypto import KeyRing, new_key, use_keyring

RESULTS = _HERE / "RESULTS.md"


def _telegram_bench():  # type: ignore[no-untyped-def]
    """bench/telegram.py as a module (its name would shadow the `telegram` package)."""
    spec = importlib.util.spec_from_file_location("bench_telegram", _HERE / "telegram.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_telegram"] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


class NoCipherRing(KeyRing):
    """The same framing as KeyRing, without encryption: the baseline for the cost of AES-GCM."""

    def encrypt(self, plain: bytes, where: str) -> str:
        return f"v1.{self.newest_id}.{base64.urlsafe_b64encode(plain).decode()}"

    def decrypt(self, token: str, where: str) -> bytes:
        return base64.urlsafe_b64decode(token.split(".", 2)[2])


async def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="write into bench/RESULTS.md")
    args = parser.parse_args(argv)
    tb = _telegram_bench()
    key = KeyRing.parse(new_key(), "bench").keys
    modes = {"on": KeyRing(key), "off": NoCipherRing(key)}
    figures: dict[str, list[object]] = {"on": [], "off": []}
    print(f"machine: {tb.machine()}")
    for round_number in range(args.rounds):
        order = ("on", "off") if round_number % 2 == 0 else ("off", "on")
        for mode in order:
            use_keyring(modes[mode])
            result = await tb.burst(tb.build_checkin_bot(), args.users, args.steps)
            figures[mode].append(result)
            print(f"encryption {mode}: {result.line()}")
    rates = {m: statistics.median(f.rate for f in figures[m]) for m in modes}  # type: ignore[attr-defined]
    p50 = {m: statistics.median(f.percentile(0.5) for f in figures[m]) for m in modes}  # type: ignore[attr-defined]
    cost = 1 - rates["on"] / rates["off"]
    verdict = "met" if cost <= 0.10 else "not met"
    print(f"median burst rate: on {rates['on']:.1f}/s, off {rates['off']:.1f}/s, cost {cost:.1%}")
    if args.write:
        text = "\n".join(
            [
                f"Measured by `bench/encryption.py --users {args.users} --steps {args.steps} "
                f"--rounds {args.rounds}` on {time.strftime('%Y-%m-%d %H:%M')} UTC.",
                f"Machine: {tb.machine()}.",
                "The checkin bot's step burst (bench/telegram.py's burst, rate limits off) with "
                "field encryption on (AES-256-GCM) and off (the same path with a no-op cipher), "
                "alternating round by round; medians of the rounds.",
                "",
                "| encryption | burst rates (updates/s) | median updates/s | median p50 ms |",
                "|---|---|---|---|",
                *(
                    f"| {m} | {', '.join(f'{f.rate:.0f}' for f in figures[m])} | "  # type: ignore[attr-defined]
                    f"{rates[m]:.1f} | {p50[m]:.0f} |"
                    for m in ("on", "off")
                ),
                "",
                f"Cost of encryption: {cost:.1%} of the burst rate (target: within 10%: {verdict}).",
            ]
        )
        write_section("Encryption", text)


def write_section(title: str, text: str, path: Path = RESULTS) -> None:
    current = path.read_text() if path.exists() else "# Benchmark results\n"
    section = f"## {title}\n\n{text.strip()}\n"
    pattern = re.compile(rf"^## {title}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(current):
        updated = pattern.sub(lambda _: section + "\n", current).rstrip() + "\n"
    else:
        updated = current.rstrip() + "\n\n" + section
    path.write_text(updated)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
