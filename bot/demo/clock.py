"""The demo's clock: real time that can run faster while a follow-up is awaited."""

from __future__ import annotations

from datetime import UTC, datetime


class DemoClock:
    """Real time, except that it can run `speed` times faster (then back to normal)."""

    def __init__(self) -> None:
        self._base_real = datetime.now(UTC)
        self._base_virtual = self._base_real
        self._speed = 1.0

    def now(self) -> datetime:
        return self._base_virtual + (datetime.now(UTC) - self._base_real) * self._speed

    def set_speed(self, speed: float) -> None:
        self._base_virtual = self.now()
        self._base_real = datetime.now(UTC)
        self._speed = speed
