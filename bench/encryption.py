"""Encryption cost: the checkin bot's step burst with field encryption on (AES-GCM) and off.

    .venv/bin/python bench/encryption.py                  # 300 users x 5 steps, 3 rounds
    .venv/bin/python bench/encryption.py --write          # also write bench/RESULTS.md

'Off' keeps the storage path identical (the same column types and value framing) but seals
values with a no-op cipher, so the difference is the cost of AES-GCM and nothing else. The two
modes alternate round by round, so load from other work on the machine hits both alike; the
median of each mode's burst rates is compared. The target: 'on' within 10% of 'off'.

On a machine shared with other work the wall-clock rates swing by 20-30% from one burst to the
next whatever the mode, so the process's CPU time per update (what the bot itself spent, which
other processes do not inflate as much) is reported too, and it is the figure the verdict uses.
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
import statistics
import time

from bench.common import write_section
from bot.storage.crypto import KeyRing, new_key, use_keyring


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
    """The same framing as KeyRing, without encryption: the baseline for the cost of AES-GCM.

    Rows are still sealed to their uid by the same column types and ORM events; only the cipher
    is a no-op, so 'off' also pays for the row binding and the difference is AES-GCM alone."""

    def seal(self, plain: bytes, where: str, uid: str) -> str:
        return f"v2.{self.newest_id}.{base64.urlsafe_b64encode(plain).decode()}"

    def open(self, token: str, where: str, uid: str) -> bytes:
        return base64.urlsafe_b64decode(token.split(".", 2)[2])


class TimedRing(KeyRing):
    """The real cipher, timing itself: how much of a step is spent inside AES-GCM and framing."""

    calls = 0
    seconds = 0.0

    def seal(self, plain: bytes, where: str, uid: str) -> str:
        started = time.perf_counter()
        try:
            return super().seal(plain, where, uid)
        finally:
            TimedRing.calls += 1
            TimedRing.seconds += time.perf_counter() - started

    def open(self, token: str, where: str, uid: str) -> bytes:
        started = time.perf_counter()
        try:
            return super().open(token, where, uid)
        finally:
            TimedRing.calls += 1
            TimedRing.seconds += time.perf_counter() - started


def cipher_microseconds(ring: KeyRing, size: int = 650, calls: int = 4000) -> float:
    """One seal or open of a typical value (a flow run's state is about 650 bytes), alone."""
    plain = b"x" * size
    uid = "Yk3v8mQ2x0aZ1cR7tP4wLg"
    started = time.perf_counter()
    for _ in range(calls // 2):
        token = KeyRing.seal(ring, plain, "flow_run.state", uid)
        KeyRing.open(ring, token, "flow_run.state", uid)
    return (time.perf_counter() - started) / calls * 1e6


async def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="write into bench/RESULTS.md")
    args = parser.parse_args(argv)
    tb = _telegram_bench()
    key = KeyRing.parse(new_key(), "bench").keys
    modes = {"on": TimedRing(key), "off": NoCipherRing(key)}
    figures: dict[str, list[object]] = {"on": [], "off": []}
    cpu: dict[str, list[float]] = {"on": [], "off": []}  # process CPU ms per update
    print(f"machine: {tb.machine()}")
    use_keyring(modes["off"])
    await tb.burst(tb.build_checkin_bot(), args.users, args.steps)  # warm-up, not counted
    TimedRing.calls, TimedRing.seconds = 0, 0.0
    for round_number in range(args.rounds):
        order = ("on", "off") if round_number % 2 == 0 else ("off", "on")
        for mode in order:
            use_keyring(modes[mode])
            started = time.process_time()
            result = await tb.burst(tb.build_checkin_bot(), args.users, args.steps)
            cpu[mode].append((time.process_time() - started) * 1000 / result.updates)
            figures[mode].append(result)
            print(f"encryption {mode}: {result.line()}, {cpu[mode][-1]:.1f} ms CPU per update")
    rates = {m: statistics.median(f.rate for f in figures[m]) for m in modes}  # type: ignore[attr-defined]
    p50 = {m: statistics.median(f.percentile(0.5) for f in figures[m]) for m in modes}  # type: ignore[attr-defined]
    cpu_ms = {m: statistics.median(cpu[m]) for m in modes}
    cost = 1 - rates["on"] / rates["off"]
    cpu_cost = cpu_ms["on"] / cpu_ms["off"] - 1
    updates_on = sum(f.updates for f in figures["on"])  # type: ignore[attr-defined]
    cipher_ms = TimedRing.seconds * 1000 / updates_on
    cipher_calls = TimedRing.calls / updates_on
    alone_us = cipher_microseconds(modes["on"])
    print(f"inside the cipher: {cipher_calls:.1f} calls, {cipher_ms:.3f} ms per update")
    print(f"one call alone: {alone_us:.1f} µs")
    verdict = "met" if cpu_cost <= 0.10 else "not met"
    print(f"median burst rate: on {rates['on']:.1f}/s, off {rates['off']:.1f}/s, cost {cost:.1%}")
    print(
        f"median CPU per update: on {cpu_ms['on']:.2f} ms, off {cpu_ms['off']:.2f} ms, cost {cpu_cost:.1%}"
    )
    if args.write:
        text = "\n".join(
            [
                f"Measured by `bench/encryption.py --users {args.users} --steps {args.steps} "
                f"--rounds {args.rounds}` on {time.strftime('%Y-%m-%d %H:%M')} UTC.",
                f"Machine: {tb.machine()}.",
                "The checkin bot's step burst (bench/telegram.py's burst, rate limits off) with "
                "field encryption on (AES-256-GCM, each value bound to its column and row) and off "
                "(the same path, row binding included, with a no-op cipher), "
                "alternating round by round after one warm-up burst; medians of the rounds.",
                "",
                "| encryption | burst rates (updates/s) | median updates/s | median p50 ms "
                "| CPU ms per update (each burst) | median CPU ms per update |",
                "|---|---|---|---|---|---|",
                *(
                    f"| {m} | {', '.join(f'{f.rate:.0f}' for f in figures[m])} | "  # type: ignore[attr-defined]
                    f"{rates[m]:.1f} | {p50[m]:.0f} | {', '.join(f'{c:.1f}' for c in cpu[m])} "
                    f"| {cpu_ms[m]:.2f} |"
                    for m in ("on", "off")
                ),
                "",
                f"Inside the cipher (AES-GCM, nonce, base64, measured around each call): "
                f"{cipher_calls:.1f} calls and {cipher_ms:.2f} ms per update, "
                f"{cipher_ms / cpu_ms['on']:.1%} of the CPU an update takes (inflated by the "
                f"machine's load: one call alone takes {alone_us:.0f} µs, so "
                f"{cipher_calls:.1f} calls are {cipher_calls * alone_us / 1000:.2f} ms, "
                f"{cipher_calls * alone_us / 1000 / cpu_ms['on']:.1%} of an update).",
                "",
                f"Cost of encryption: {cpu_cost:+.1%} CPU per update, {cost:+.1%} on the median "
                f"burst rate (target: within 10%: {verdict}, judged on CPU time; the rates swing "
                "with the machine's other load, see above).",
            ]
        )
        write_section("Encryption", text)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
