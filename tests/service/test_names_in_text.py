"""Finding a client's name in a calendar event's title (`clients_named_in`)."""

from __future__ import annotations

import pytest

from bot.service.names import clients_named_in
from bot.storage.models import Client


def client(telegram_id: int, first_name: str, label: str | None = None) -> Client:
    return Client(
        therapist_id=1,
        telegram_id=telegram_id,
        chat_id=telegram_id,
        first_name=first_name,
        label=label,
    )


SAM_K = client(1, "Samuel", "Sam K.")
SAM = client(2, "Sam")
ANA = client(3, "Ana")
ANA_TWO = client(4, "Ana")
EVERYONE = [SAM_K, SAM, ANA, ANA_TWO]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Sam K. - therapy", [SAM_K]),  # the longest name wins over "Sam"
        ("therapy: sam", [SAM]),  # any case, whole words
        ("Samantha intake", []),  # not inside another word
        ("Session with Samuel", [SAM_K]),  # the Telegram name works too
        ("Ana 15:00", [ANA, ANA_TWO]),  # two clients of that name: the caller asks which
        ("Supervision", []),
    ],
)
def test_the_name_in_a_title(title: str, expected: list[Client]) -> None:
    found = clients_named_in(EVERYONE, title)
    assert [c.telegram_id for c in found] == [c.telegram_id for c in expected]
