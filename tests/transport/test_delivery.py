"""Delivery: rate limits, retries, blocked users and long texts (fake Bot leaf; one emulator run)."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable, Coroutine
from datetime import UTC, datetime
from typing import Any, TypeVar, cast

import pytest
from telegram import Bot, Chat, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.service.ports import SCHEDULED_SEND
from bot.testing.emulator import BotApiEmulator
from bot.testing.limits import Limits
from bot.transport.delivery import (
    MAX_TEXT,
    Delivery,
    DeliveryFailed,
    DeliveryLimits,
    RecipientBlocked,
    _open_tags,
    split_html,
)

T = TypeVar("T")
BUTTONS = InlineKeyboardMarkup([[InlineKeyboardButton("OK", callback_data="ok")]])


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """PTB 22 warns when RetryAfter is built unless it may use timedelta (warnings are errors)."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


class VirtualTime:
    """A monotonic clock and a sleep that only advance when every task is waiting (no real wait)."""

    def __init__(self) -> None:
        self.now = 0.0
        self._waiters: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = 0

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._seq += 1
        heapq.heappush(self._waiters, (self.now + seconds, self._seq, future))
        await future

    async def run(self, *coros: Coroutine[Any, Any, T]) -> list[T]:
        tasks = [asyncio.ensure_future(c) for c in coros]
        while not all(t.done() for t in tasks):
            for _ in range(50):  # let every runnable task reach its next sleep
                await asyncio.sleep(0)
            if self._waiters:
                when, _, future = heapq.heappop(self._waiters)
                self.now = max(self.now, when)
                future.set_result(None)
        return [t.result() for t in tasks]


class FakeBot:
    """A leaf stand-in for telegram.Bot: records each call's time; raises scripted errors first."""

    def __init__(self, time: VirtualTime, errors: list[Exception] | None = None) -> None:
        self.time = time
        self.errors = list(errors or [])
        self.calls: list[tuple[float, int, str, Any]] = []

    async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> Message:
        self.calls.append((self.time.now, chat_id, text, kwargs.get("reply_markup")))
        if self.errors:
            raise self.errors.pop(0)
        chat = Chat(chat_id, "private")
        return Message(len(self.calls), datetime(2026, 6, 1, tzinfo=UTC), chat, text=text)


def delivery(bot: FakeBot, jitter: float = 1.0, **limits: Any) -> Delivery:
    return Delivery(
        cast(Bot, bot),
        DeliveryLimits(**limits),
        sleep=bot.time.sleep,
        monotonic=bot.time.monotonic,
        jitter=lambda: jitter,
    )


async def run(time: VirtualTime, *coros: Awaitable[T]) -> list[T]:
    return await time.run(*(cast(Coroutine[Any, Any, T], c) for c in coros))


class TestRateLimits:
    async def test_one_chat_gets_its_burst_then_one_message_a_second(self) -> None:
        """Five sends to one chat go out at 0, 0, 1, 2, 3 s with a burst of 2."""
        time = VirtualTime()
        bot = FakeBot(time)
        d = delivery(bot)
        await run(time, *(d.send_message(7, f"m{i}") for i in range(5)))
        assert [t for t, *_ in bot.calls] == [0, 0, 1, 2, 3]

    async def test_many_chats_are_held_to_the_global_rate(self) -> None:
        """80 chats with a global 30/s and burst 20: the last send is at (80 - 20) / 30 = 2 s."""
        time = VirtualTime()
        bot = FakeBot(time)
        d = delivery(bot, global_per_second=30.0, global_burst=20)
        await run(time, *(d.send_message(chat, "hi") for chat in range(80)))
        times = [t for t, *_ in bot.calls]
        assert times[-1] == pytest.approx(2.0)
        assert all(b - a >= -1e-9 for a, b in itertools.pairwise(times))

    async def test_a_busy_chat_does_not_hold_up_another(self) -> None:
        """Chat A queues five messages; chat B's one message goes out before A's third."""
        time = VirtualTime()
        bot = FakeBot(time)
        d = delivery(bot)
        await run(time, *(d.send_message(1, f"a{i}") for i in range(5)), d.send_message(2, "b"))
        order = [text for _, _, text, _ in bot.calls]
        assert order.index("b") < order.index("a2")

    async def test_answers_go_before_scheduled_sends_past_the_global_rate(self) -> None:
        """60 check-ins are due (global 30/s, burst 10), then 5 people's answers are sent: the
        answers take the next free tokens (all out within 5/30 s of being asked for), the
        check-ins go out after them, and the overall rate still holds."""
        time = VirtualTime()
        bot = FakeBot(time)
        d = delivery(bot, global_per_second=30.0, global_burst=10)

        async def scheduled(chat: int) -> None:
            token = SCHEDULED_SEND.set(True)
            try:
                await d.send_message(chat, "check-in")
            finally:
                SCHEDULED_SEND.reset(token)

        async def answer(chat: int) -> None:
            await time.sleep(0.5)  # the check-ins are already waiting
            await d.send_message(chat, "answer")

        await run(time, *(scheduled(c) for c in range(60)), *(answer(c) for c in range(100, 105)))
        answers = [t for t, _, text, _ in bot.calls if text == "answer"]
        checkins = [t for t, _, text, _ in bot.calls if text == "check-in"]
        assert max(answers) <= 0.5 + 5 / 30 + 1e-9
        assert len(checkins) == 60
        assert max(checkins) == pytest.approx((60 + 5 - 10) / 30)  # the rate holds for all 65
        times = sorted(t for t, *_ in bot.calls)
        assert all(b - a >= 1 / 30 - 1e-9 for a, b in itertools.pairwise(times[10:]))

    async def test_scheduled_sends_alone_keep_the_full_rate_in_order(self) -> None:
        time = VirtualTime()
        bot = FakeBot(time)
        d = delivery(bot, global_per_second=30.0, global_burst=20)
        token = SCHEDULED_SEND.set(True)
        try:
            await run(time, *(d.send_message(chat, f"c{chat}") for chat in range(80)))
        finally:
            SCHEDULED_SEND.reset(token)
        assert [text for _, _, text, _ in bot.calls] == [f"c{n}" for n in range(80)]
        assert bot.calls[-1][0] == pytest.approx(2.0)

    async def test_quiet_chats_buckets_are_forgotten(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Past the bucket limit, buckets of chats that have refilled are dropped (memory stays flat)."""
        monkeypatch.setattr("bot.transport.delivery.MAX_IDLE_BUCKETS", 5)
        time = VirtualTime()
        d = delivery(FakeBot(time))
        await run(time, *(d.send_message(chat, "hi") for chat in range(5)))
        time.now += 10
        await run(time, d.send_message(99, "hi"))
        assert list(d._chats) == [99]


class TestRetries:
    async def test_retry_after_waits_what_telegram_says_then_sends(self) -> None:
        """A 429 with retry_after 7 makes Delivery wait 7 s (jitter at its minimum) and send again."""
        time = VirtualTime()
        bot = FakeBot(time, [RetryAfter(7)])
        d = delivery(bot, jitter=0.0)
        [message] = await run(time, d.send_message(1, "hi"))
        assert [t for t, *_ in bot.calls] == [0, 7]
        assert message.message_id == 2
        assert d.retry_after_seen == 1

    async def test_retries_after_a_429_are_spread_out_never_early(self) -> None:
        """Ten sends stopped by one 429 (retry_after 8) come back at ten different instants, each
        at least 8 s later and within a quarter more (at least 1 s): not all at once."""
        time = VirtualTime()
        bot = FakeBot(time, [RetryAfter(8) for _ in range(10)])
        d = Delivery(
            cast(Bot, bot),
            DeliveryLimits(enabled=False),
            sleep=time.sleep,
            monotonic=time.monotonic,
            jitter=iter([i / 10 for i in range(10)]).__next__,
        )
        await run(time, *(d.send_message(chat, "hi") for chat in range(10)))
        retries = sorted(t for t, *_ in bot.calls[10:])
        assert len(set(retries)) == 10
        assert min(retries) >= 8
        assert max(retries) <= 8 + 2

    async def test_network_errors_back_off_exponentially_then_succeed(self) -> None:
        """Timeouts and 5xx-style network errors retry after 0.5, 1, 2 s (jitter at its maximum)."""
        time = VirtualTime()
        bot = FakeBot(time, [TimedOut(), NetworkError("Bad Gateway (502)"), TimedOut()])
        await run(time, delivery(bot).send_message(1, "hi"))
        assert [t for t, *_ in bot.calls] == [0, 0.5, 1.5, 3.5]

    async def test_network_errors_give_up_after_max_attempts(self) -> None:
        """After max_attempts failures Delivery raises DeliveryFailed naming the error, not the text."""
        time = VirtualTime()
        bot = FakeBot(time, [TimedOut()] * 3)
        with pytest.raises(DeliveryFailed, match="TimedOut after 3 attempts") as caught:
            await run(time, delivery(bot, max_attempts=3).send_message(1, "secret words"))
        assert "secret" not in str(caught.value)
        assert len(bot.calls) == 3

    async def test_blocked_user_raises_recipient_blocked_at_once(self) -> None:
        """403 'bot was blocked by the user' is not retried: RecipientBlocked with the chat id."""
        time = VirtualTime()
        bot = FakeBot(time, [Forbidden("Forbidden: bot was blocked by the user")])
        with pytest.raises(RecipientBlocked) as caught:
            await run(time, delivery(bot).send_message(42, "hi"))
        assert caught.value.chat_id == 42
        assert len(bot.calls) == 1

    async def test_bad_request_is_not_retried(self) -> None:
        """A 400 is our mistake: raised as it is after one call."""
        time = VirtualTime()
        bot = FakeBot(time, [BadRequest("Can't parse entities")])
        with pytest.raises(BadRequest):
            await run(time, delivery(bot).send_message(1, "<b>"))
        assert len(bot.calls) == 1


class TestLongTexts:
    async def test_long_text_is_split_with_the_buttons_on_the_last_part(self) -> None:
        """A 9,000-character text goes out as three parts of at most 4096; only the last has buttons."""
        time = VirtualTime()
        bot = FakeBot(time)
        paragraphs = "\n\n".join("word " * 99 + "end." for _ in range(18))
        [last] = await run(time, delivery(bot).send_message(1, paragraphs, reply_markup=BUTTONS))
        texts = [text for _, _, text, _ in bot.calls]
        assert len(texts) == 3
        assert all(len(t) <= MAX_TEXT for t in texts)
        assert [markup for *_, markup in bot.calls] == [None, None, BUTTONS]
        assert "\n\n".join(texts) == paragraphs
        assert last.message_id == 3

    def test_split_keeps_html_tags_balanced_across_parts(self) -> None:
        """A bold run across the cut is closed at the end of one part and reopened in the next."""
        text = "<b>" + ("bold words " * 800) + "</b> " + '<a href="https://x.org/a b">link</a>'
        parts = split_html(text)
        assert len(parts) == 3
        for part in parts:
            assert len(part) <= MAX_TEXT
            assert _open_tags(part) == []
            assert part.count("<b>") == part.count("</b>")
        assert parts[1].startswith("<b>")

    def test_split_never_cuts_inside_a_tag_or_an_entity(self) -> None:
        """Cuts fall between tags and entities, never inside `<a href=...>` or `&amp;`."""
        unit = '<a href="https://example.org/x?a=1&amp;b=2">go</a>&amp;'
        parts = split_html(unit * 200, limit=500)
        for part in parts:
            assert part.count("<") == part.count(">")
            assert part.count("&") == part.count(";")
        assert "".join(parts).count("<a ") == 200

    def test_short_text_is_one_part(self) -> None:
        """Text within the limit is sent as it is."""
        assert split_html("<i>hello</i>") == ["<i>hello</i>"]


@pytest.mark.e2e
async def test_a_storm_of_429s_loses_and_duplicates_nothing() -> None:
    """Through the emulator: 30 messages to 10 chats under 12 injected 429s arrive exactly once each."""
    async with BotApiEmulator(limits=Limits(enforce=False)) as emu:
        users = [emu.user(2000 + n, f"U{n}") for n in range(10)]
        emu.fail_next("sendMessage", status=429, retry_after=1, times=12)
        async with Bot(emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url) as bot:

            async def no_wait(_seconds: float) -> None:
                await asyncio.sleep(0)

            d = Delivery(bot, DeliveryLimits(enabled=False), sleep=no_wait)
            await asyncio.gather(
                *(d.send_message(u.user_id, f"m{i}") for u in users for i in range(3))
            )
        for user in users:
            assert sorted(m.text for m in emu.sent_messages(user.user_id)) == ["m0", "m1", "m2"]
        assert d.retry_after_seen == 12
        assert emu.too_many_requests == 12
