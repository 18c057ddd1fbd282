"""One-time login links and console sessions, stored as hashes (a leaked table opens nothing).

A login link works once, for `login_link_ttl`, for the therapist it was made for. Redeeming it
starts a session; a session ends at logout, after `idle_timeout` without a request, or after
`session_max_age`. The CSRF token of a session is derived from its secret, so it needs no row.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import ConsoleConfig
from bot.service.audit import audit, therapist_actor
from bot.storage.models import ConsoleLogin, ConsoleSession, Therapist

TOKEN_BYTES = 32
# A session seen again within this long is not written again (a page load is one read).
TOUCH_EVERY_SECONDS = 60


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token(session_token: str) -> str:
    """The session's CSRF token: knowable only with the cookie, which a forged form lacks."""
    return hmac.new(session_token.encode(), b"checkin-console-csrf", hashlib.sha256).hexdigest()


def csrf_ok(session_token: str, given: str) -> bool:
    return hmac.compare_digest(csrf_token(session_token).encode(), given.encode())


def sign_form(session_token: str, purpose: str, payload: str) -> str:
    """An HMAC of data a page hands back on its next form (a preview to confirm), so the server
    needs no row to remember it; valid only within the session that received it."""
    message = purpose.encode() + b"\0" + payload.encode()
    return hmac.new(session_token.encode(), message, hashlib.sha256).hexdigest()


def signature_ok(session_token: str, purpose: str, payload: str, given: object) -> bool:
    if not isinstance(given, str) or not session_token:
        return False
    return hmac.compare_digest(sign_form(session_token, purpose, payload).encode(), given.encode())


async def create_login_link(
    s: AsyncSession, therapist: Therapist, now: datetime, config: ConsoleConfig
) -> str:
    """A new one-time token for `therapist`; the caller builds the link from it."""
    assert therapist.id is not None
    token = secrets.token_urlsafe(TOKEN_BYTES)
    s.add(
        ConsoleLogin(
            token_hash=_hash(token),
            therapist_id=therapist.id,
            created_at=now,
            expires_at=now + config.login_link_ttl,
        )
    )
    audit(s, now, therapist_actor(therapist), "console.link")
    return token


async def login_link_therapist(s: AsyncSession, token: str, now: datetime) -> Therapist | None:
    """Whose unused, unexpired link this is (reading it does not use it up)."""
    row = (
        await s.exec(select(ConsoleLogin).where(ConsoleLogin.token_hash == _hash(token)))
    ).first()
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    return await s.get(Therapist, row.therapist_id)


async def redeem_login_link(s: AsyncSession, token: str, now: datetime) -> Therapist | None:
    """Use the link up (exactly once, even when two requests race) and return its therapist."""
    claimed = await s.exec(
        update(ConsoleLogin)
        .where(
            col(ConsoleLogin.token_hash) == _hash(token),
            col(ConsoleLogin.used_at).is_(None),
            col(ConsoleLogin.expires_at) > now,
        )
        .values(used_at=now)
        .returning(col(ConsoleLogin.therapist_id))
        .execution_options(synchronize_session=False)
    )
    won = claimed.first()
    if won is None:
        return None
    return await s.get(Therapist, won[0])


async def start_session(s: AsyncSession, therapist: Therapist, now: datetime, via: str) -> str:
    assert therapist.id is not None
    token = secrets.token_urlsafe(TOKEN_BYTES)
    s.add(
        ConsoleSession(
            token_hash=_hash(token),
            therapist_id=therapist.id,
            via=via,
            created_at=now,
            last_seen_at=now,
        )
    )
    audit(s, now, therapist_actor(therapist), f"console.login.{via}")
    return token


@dataclass(frozen=True)
class SignedIn:
    therapist: Therapist
    session_id: int


async def session_therapist(
    s: AsyncSession, token: str, now: datetime, config: ConsoleConfig
) -> SignedIn | None:
    """The therapist of a live session (and the session is marked as used), or None."""
    if not token:
        return None
    row = (
        await s.exec(select(ConsoleSession).where(ConsoleSession.token_hash == _hash(token)))
    ).first()
    if row is None or row.ended_at is not None or row.id is None:
        return None
    if (
        now - row.last_seen_at > config.idle_timeout
        or now - row.created_at > config.session_max_age
    ):
        row.ended_at = now
        s.add(row)
        return None
    if (now - row.last_seen_at).total_seconds() >= TOUCH_EVERY_SECONDS:
        row.last_seen_at = now
        s.add(row)
    therapist = await s.get(Therapist, row.therapist_id)
    return SignedIn(therapist, row.id) if therapist is not None else None


async def end_session(s: AsyncSession, token: str, now: datetime) -> None:
    await s.exec(
        update(ConsoleSession)
        .where(
            col(ConsoleSession.token_hash) == _hash(token), col(ConsoleSession.ended_at).is_(None)
        )
        .values(ended_at=now)
    )
