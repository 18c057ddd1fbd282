"""One client update being handled: the transaction, what to send, who, which run, and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.dialogue import contracts as c
from bot.service import texts
from bot.service.outgoing import Batch, SetButtons
from bot.service.runs import FlowDriver
from bot.storage.models import Client, FlowRun, Therapist


@dataclass
class Turn:
    s: AsyncSession
    batch: Batch
    client: Client
    therapist: Therapist
    run: FlowRun | None
    now: datetime
    driver: FlowDriver

    def tr(self, text: texts.Text) -> str:
        """`text` in the client's language (English when it has no translation)."""
        return texts.tr(text, self.client.language)

    def say(self, text: str | texts.Text, buttons: c.Keyboard = ()) -> None:
        self.batch.say(
            self.client.chat_id, text if isinstance(text, str) else self.tr(text), buttons
        )

    def row(self, labels: tuple[tuple[texts.Text, str], ...]) -> c.Keyboard:
        """One row of service buttons, labelled in the client's language."""
        return (tuple(c.Button(self.tr(label), data) for label, data in labels),)

    def clear_buttons(self, message_id: int) -> None:
        self.batch.items.append(SetButtons(self.client.chat_id, message_id=message_id))

    async def feed(self, event: c.Event) -> None:
        """Hand an event to the open run (the caller checked there is one)."""
        assert self.run is not None
        await self.driver.feed(
            self.s, self.batch, self.client, self.therapist, self.run, event, self.now
        )

    async def start(self, flow_id: str) -> None:
        # The run this turn holds is the client's open one (read when the update was routed,
        # the only run a turn opens or ends), so the driver need not read it again.
        self.run = await self.driver.start(
            self.s, self.batch, self.client, self.therapist, flow_id, self.now, open_run=self.run
        )
