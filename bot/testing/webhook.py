"""Webhook delivery: POST each pending update to the bot's URL, in order, retrying until it is accepted.

Like Telegram, any answer other than 2xx (or no answer) counts as a failure: the update stays pending,
`getWebhookInfo` reports the last error, and delivery is retried with a growing delay.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import aiohttp

from bot.testing.state import EmulatorState, WebhookConfig


class WebhookDelivery:
    def __init__(self, state: EmulatorState, first_delay: float, max_delay: float) -> None:
        self._state = state
        self._first_delay = first_delay
        self._max_delay = max_delay
        self._task: asyncio.Task[None] | None = None
        self.attempts = 0
        self.failures = 0

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="webhook-delivery")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def _ready(self) -> bool:
        return self._state.webhook is not None and self._state.updates.has_work()

    async def _run(self) -> None:
        queue = self._state.updates
        delay = self._first_delay
        timeout = aiohttp.ClientTimeout(total=10)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            while True:
                async with queue.changed:
                    await queue.changed.wait_for(self._ready)
                    update, hook = queue.peek(), self._state.webhook
                if update is None or hook is None:
                    continue
                error = await self._post(session, hook, update)
                if error is None:
                    async with queue.changed:
                        queue.delivered(update)
                        queue.changed.notify_all()
                    delay = self._first_delay
                    continue
                self.failures += 1
                hook.last_error_date = self._state.now()
                hook.last_error_message = error
                await self._state.touch()
                # Telegram backs off between attempts; this delay is the emulator's own timer.
                await asyncio.sleep(delay)
                delay = min(delay * 2, self._max_delay)

    async def _post(
        self, session: aiohttp.ClientSession, hook: WebhookConfig, update: dict[str, Any]
    ) -> str | None:
        """Deliver one update; return None on success or the error Telegram would report."""
        self.attempts += 1
        headers = {}
        if hook.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = hook.secret_token
        try:
            async with session.post(hook.url, json=update, headers=headers) as response:
                await response.read()
                if 200 <= response.status < 300:
                    return None
                return f"Wrong response from the webhook: {response.status} {response.reason}"
        except (aiohttp.ClientError, TimeoutError) as exc:
            return f"Connection failed: {type(exc).__name__}"
