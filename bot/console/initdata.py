"""Telegram Mini App `initData`: verify Telegram's signature and freshness, read the user.

Telegram signs the data it hands a Mini App with a key only it and the bot know:
    secret = HMAC-SHA256(key="WebAppData", msg=bot_token)
    hash   = hex(HMAC-SHA256(key=secret, msg=data_check_string))
where data_check_string is every received field except `hash`, as `key=value`, sorted by key and
joined with newlines. A fresh `auth_date` keeps a copied string from working for long.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode

from bot.errors import CheckinError


class InitDataError(CheckinError):
    """initData that is missing, unsigned, forged or too old (the reason never quotes it)."""


@dataclass(frozen=True)
class WebAppUser:
    telegram_id: int
    auth_date: datetime


def _secret(bot_token: str) -> bytes:
    return hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()


def _check_string(fields: dict[str, str]) -> str:
    return "\n".join(f"{k}={fields[k]}" for k in sorted(fields) if k != "hash")


def sign_init_data(fields: dict[str, str], bot_token: str) -> str:
    """The query string Telegram would hand the Mini App for `fields` (for tests and the demo)."""
    digest = hmac.new(_secret(bot_token), _check_string(fields).encode(), hashlib.sha256)
    return urlencode({**fields, "hash": digest.hexdigest()})


def make_init_data(telegram_id: int, bot_token: str, auth_date: datetime) -> str:
    """Signed initData for a user, as Telegram makes it (tests, the demo)."""
    user = json.dumps({"id": telegram_id, "first_name": "T"}, separators=(",", ":"))
    return sign_init_data(
        {"auth_date": str(int(auth_date.timestamp())), "query_id": "q", "user": user}, bot_token
    )


def verify_init_data(raw: str, bot_token: str, now: datetime, max_age: timedelta) -> WebAppUser:
    """The Telegram user `raw` was signed for, or InitDataError."""
    if not raw or len(raw) > 8192:
        raise InitDataError("no initData")
    try:
        pairs = parse_qsl(raw, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise InitDataError("initData is not a query string") from None
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise InitDataError("initData repeats a field")
    given = fields.get("hash", "")
    expected = hmac.new(_secret(bot_token), _check_string(fields).encode(), hashlib.sha256)
    if not hmac.compare_digest(given.encode(), expected.hexdigest().encode()):
        raise InitDataError("initData signature does not match")
    try:
        signed_at = datetime.fromtimestamp(int(fields["auth_date"]), UTC)
        user = json.loads(fields["user"])
        telegram_id = int(user["id"])
    except (KeyError, ValueError, TypeError, OverflowError):
        raise InitDataError("initData lacks auth_date or user") from None
    if signed_at > now + timedelta(minutes=5):  # a little clock skew, no more
        raise InitDataError("initData is signed in the future")
    if now - signed_at > max_age:
        raise InitDataError("initData has expired")
    return WebAppUser(telegram_id, signed_at)
