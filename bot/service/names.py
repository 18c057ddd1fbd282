"""How a therapist names a client, on every screen and in every command: one place for it.

A client is named by their label (what the therapist called them at invite time, or later with
/rename), else by their Telegram name; and anywhere a name is typed, their Telegram id works
too. Internal row ids never appear. Two clients with the same name are told apart by their
Telegram id ("Sam · id 1002"), and a typed name that fits several gets a list to pick from.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.errors import CheckinError
from bot.storage.models import Client

LABEL_MAX = 40  # characters: fits a button and a chart title


class AmbiguousClientError(CheckinError, LookupError):
    """A typed name that fits several clients; `matches` are the candidates to pick from."""

    def __init__(self, wanted: str, matches: Sequence[Client]) -> None:
        self.wanted = wanted
        self.matches = list(matches)
        listed = ", ".join(distinct_name(c, self.matches) for c in self.matches)
        super().__init__(
            f"Several clients are called {wanted!r}: {listed}. Use the Telegram id instead."
        )


def client_name(client: Client) -> str:
    """The client's name as plain text (escape it for HTML with `client_html`)."""
    return client.label or client.first_name or f"client {client.telegram_id}"


def client_html(client: Client) -> str:
    return html.escape(client_name(client))


def distinct_name(client: Client, others: Sequence[Client]) -> str:
    """The name, with the Telegram id when another of `others` has the same name."""
    name = client_name(client)
    twins = [
        c
        for c in others
        if c.telegram_id != client.telegram_id and client_name(c).casefold() == name.casefold()
    ]
    return f"{name} · id {client.telegram_id}" if twins else name


async def siblings(s: AsyncSession, client: Client) -> list[Client]:
    """The clients of the same therapist (including `client`)."""
    return list(
        (await s.exec(select(Client).where(Client.therapist_id == client.therapist_id))).all()
    )


async def client_title(s: AsyncSession, client: Client) -> str:
    """The name a therapist-facing message uses (HTML-escaped), unique among their clients."""
    return html.escape(distinct_name(client, await siblings(s, client)))


def clean_label(text: str) -> str:
    """A label as typed, tidied: one line, single spaces, at most LABEL_MAX characters."""
    label = " ".join(text.split())
    if not label:
        raise CheckinError("A name cannot be empty. For example: /rename Sam to Sam K.")
    if label.isdigit():
        raise CheckinError("A name cannot be only digits: digits name a Telegram id.")
    if len(label) > LABEL_MAX:
        raise CheckinError(f"Please keep the name under {LABEL_MAX} characters.")
    return label


def match_clients(clients: Sequence[Client], wanted: str) -> list[Client]:
    """Clients named `wanted`: by Telegram id, else label or Telegram name (any case).

    An exact label wins over a Telegram name, so after `/rename Sam to Sam K.` another client
    whose Telegram name is "Sam K." does not make the label ambiguous.
    """
    key = wanted.strip().casefold()
    if key.isdigit():
        return [c for c in clients if str(c.telegram_id) == key]
    by_label = [c for c in clients if (c.label or "").casefold() == key]
    if by_label:
        return by_label
    return [c for c in clients if c.label is None and (c.first_name or "").casefold() == key] or [
        c for c in clients if (c.first_name or "").casefold() == key
    ]


def clients_named_in(clients: Sequence[Client], text: str) -> list[Client]:
    """Clients whose label or Telegram name appears in `text` as whole words, any case (a
    calendar event's title, "Sam K. - session"). The longest name found wins, so "Sam K." beats
    "Sam"; several clients with that name are all returned (the caller asks which one)."""
    best: list[Client] = []
    longest = 0
    for client in clients:
        for name in {client.label or "", client.first_name or ""}:
            name = " ".join(name.split())
            if not name or len(name) < longest:
                continue
            if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE):
                if len(name) > longest:
                    best, longest = [], len(name)
                if not any(c is client for c in best):
                    best.append(client)
    return best
