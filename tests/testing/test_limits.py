"""Telegram's flood limits as the emulator's token buckets, with time moved by hand."""

from __future__ import annotations

from bot.testing.limits import Limits, RateLimiter


class ManualTime:
    """A monotonic clock the test advances explicitly."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class TestPerChatLimit:
    def test_a_burst_of_three_passes_then_the_fourth_must_wait_a_whole_second(self) -> None:
        """Three quick sends to one chat pass; the fourth gets retry_after = 1."""
        limiter = RateLimiter(Limits(), ManualTime())
        assert [limiter.check(7) for _ in range(4)] == [0, 0, 0, 1]

    def test_one_send_per_second_is_allowed_after_the_burst(self) -> None:
        """After the burst, a second of waiting earns exactly one more send."""
        time = ManualTime()
        limiter = RateLimiter(Limits(), time)
        for _ in range(3):
            limiter.check(7)
        time.now += 1.0
        assert limiter.check(7) == 0
        assert limiter.check(7) == 1

    def test_retry_after_is_rounded_up_to_whole_seconds(self) -> None:
        """A slow chat rate (one per 2.5 s) asks for 3 seconds, never a fraction."""
        limiter = RateLimiter(Limits(per_chat_per_second=0.4, per_chat_burst=1), ManualTime())
        assert limiter.check(7) == 0
        assert limiter.check(7) == 3

    def test_chats_have_separate_buckets(self) -> None:
        """One chat's burst does not slow another chat."""
        limiter = RateLimiter(Limits(), ManualTime())
        for _ in range(3):
            limiter.check(1)
        assert limiter.check(1) == 1
        assert limiter.check(2) == 0


class TestGlobalLimit:
    def test_thirty_sends_per_second_overall_then_a_429(self) -> None:
        """Across many chats, the 31st send in the same instant must wait."""
        limiter = RateLimiter(Limits(), ManualTime())
        results = [limiter.check(chat) for chat in range(31)]
        assert results[:30] == [0] * 30
        assert results[30] == 1

    def test_refused_sends_do_not_use_up_tokens(self) -> None:
        """A refused send leaves the buckets as they were, so waiting retry_after is enough."""
        time = ManualTime()
        limiter = RateLimiter(Limits(per_chat_burst=1), time)
        assert limiter.check(1) == 0
        assert limiter.check(1) == 1
        assert limiter.check(1) == 1
        time.now += 1.0
        assert limiter.check(1) == 0


def test_enforce_false_lets_everything_through() -> None:
    """With enforcement off (throughput benchmarks) nothing is ever refused."""
    limiter = RateLimiter(Limits(enforce=False), ManualTime())
    assert all(limiter.check(1) == 0 for _ in range(100))
