"""`/console` in Telegram: a therapist gets the Mini App button (where the console has an https
address) and a one-time login link for a browser. Clients and strangers never reach this: the
service routes only therapists to therapist commands."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Config
from bot.console.tokens import create_login_link
from bot.dialogue.contracts import Button
from bot.service.outgoing import Batch
from bot.service.ports import Incoming
from bot.service.therapists import TherapistCommands
from bot.storage.models import Therapist

UrlFor = Callable[[str], str]  # console path -> absolute address


def register_console_command(
    commands: TherapistCommands, config: Config, url_for: UrlFor | None
) -> None:
    async def console(
        s: AsyncSession, batch: Batch, therapist: Therapist, incoming: Incoming, now: datetime
    ) -> None:
        if url_for is None:
            batch.say(
                incoming.chat_id,
                "The console is not switched on for this clinic (console.enabled in the "
                "configuration).",
            )
            return
        token = await create_login_link(s, therapist, now, config.console)
        link = url_for(f"/login/{token}")
        minutes = int(config.console.login_link_ttl.total_seconds() // 60)
        text = (
            "<b>Your console</b>: caseload, timelines, alerts and timing.\n"
            f"In a browser, this link signs you in once, for {minutes} minutes "
            f"(do not forward it):\n{html.escape(link)}"
        )
        app = url_for("/app")
        # Telegram opens Mini Apps only from https addresses.
        buttons = (
            ((Button("Open the console", app, "web_app"),),) if app.startswith("https://") else ()
        )
        batch.say(incoming.chat_id, text, buttons)

    commands.extra["console"] = console
