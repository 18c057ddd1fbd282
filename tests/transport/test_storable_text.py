"""Characters a database refuses never get past the boundary where updates enter the service."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Update

from bot.service.ports import Incoming, storable_text
from bot.transport.updates import to_incoming

NASTY = "a\x00b\ud83dc\udc00"  # NUL, then a lone high and a lone low surrogate
PHOTO = {"file_id": "f", "file_unique_id": "u", "width": 1, "height": 1}


def update(**fields: Any) -> Update:
    base: dict[str, Any] = {"update_id": 1}
    base.update(fields)
    parsed = Update.de_json(base, None)
    assert parsed is not None
    return parsed


def message(**fields: Any) -> dict[str, Any]:
    return {
        "message_id": 5,
        "date": 0,
        "chat": {"id": 7, "type": "private"},
        "from": {"id": 7, "is_bot": False, "first_name": NASTY},
        **fields,
    }


def test_storable_text_keeps_everything_else() -> None:
    assert storable_text(NASTY) == "abc"
    text = "Grüße 🙂 \u200b\u0301 <b>&</b>\n\ttabs"
    assert storable_text(text) == text
    assert storable_text(NASTY).encode("utf-8")  # encodes, so PostgreSQL can take it


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (update(message=message(text=NASTY)), "text"),
        (update(message=message(photo=[PHOTO], caption=NASTY)), "text"),  # a caption is text too
        (update(edited_message=message(text=NASTY)), "text"),
        (
            update(
                callback_query={
                    "id": "q",
                    "from": {"id": 7, "is_bot": False, "first_name": NASTY},
                    "chat_instance": "c",
                    "data": NASTY,
                }
            ),
            "data",
        ),
    ],
    ids=["text", "caption", "edited", "tap"],
)
def test_every_kind_of_update_arrives_clean(raw: Update, field: str) -> None:
    incoming = to_incoming(raw)
    assert incoming is not None
    assert incoming.first_name == "abc"
    assert getattr(incoming, field) == "abc"


def test_any_transport_building_an_incoming_gets_the_same_cleaning() -> None:
    incoming = Incoming(update_id=1, user_id=1, chat_id=1, kind="command", command=NASTY)
    assert incoming.command == "abc"
