"""Who is who: therapists, clients, and single-use invite codes that join a client to a therapist."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.errors import CheckinError, NotFoundError
from bot.service.names import (
    AmbiguousClientError,
    clean_label,
    client_name,
    distinct_name,
    match_clients,
)
from bot.storage.models import AuditLog, Client, Invite, Therapist

INVITE_CODE_BYTES = (
    16  # 128 bits: unguessable; base64url keeps it inside Telegram's 64-char start param
)


class InviteError(CheckinError):
    """An invite code that is unknown, used or expired (the message is safe to show the person)."""


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


async def add_therapist(
    s: AsyncSession,
    *,
    telegram_id: int,
    name: str,
    contact: str | None,
    hours: str | None,
    on_call: str | None = None,
    timezone: str | None = None,
) -> Therapist:
    existing = (await s.exec(select(Therapist).where(Therapist.telegram_id == telegram_id))).first()
    if existing is not None:
        existing.name, existing.contact, existing.hours = name, contact, hours
        existing.on_call = on_call if on_call is not None else existing.on_call
        existing.timezone = timezone if timezone is not None else existing.timezone
        therapist = existing
    else:
        therapist = Therapist(
            telegram_id=telegram_id,
            name=name,
            contact=contact,
            hours=hours,
            on_call=on_call,
            timezone=timezone,
        )
    s.add(therapist)
    s.add(AuditLog(actor="cli", action="therapist.add", target=f"therapist:{telegram_id}"))
    await s.flush()
    return therapist


async def therapist_by_telegram_id(s: AsyncSession, telegram_id: int) -> Therapist | None:
    return (await s.exec(select(Therapist).where(Therapist.telegram_id == telegram_id))).first()


async def require_therapist(s: AsyncSession, telegram_id: int) -> Therapist:
    therapist = await therapist_by_telegram_id(s, telegram_id)
    if therapist is None:
        known = (await s.exec(select(Therapist.telegram_id))).all()
        raise NotFoundError(
            "therapist",
            telegram_id,
            f"Register one with `checkin therapist add`. Known: {sorted(known) or 'none'}.",
        )
    return therapist


async def client_by_telegram_id(s: AsyncSession, telegram_id: int) -> Client | None:
    return (await s.exec(select(Client).where(Client.telegram_id == telegram_id))).first()


async def create_invite(
    s: AsyncSession, therapist: Therapist, now: datetime, ttl: timedelta, label: str | None = None
) -> str:
    """A new single-use code; only its hash is stored. `label` names the client-to-be."""
    code = secrets.token_urlsafe(INVITE_CODE_BYTES)
    assert therapist.id is not None
    s.add(
        Invite(
            code_hash=hash_code(code),
            therapist_id=therapist.id,
            created_at=now,
            expires_at=now + ttl,
            label=clean_label(label) if label else None,
        )
    )
    s.add(AuditLog(at=now, actor=f"therapist:{therapist.telegram_id}", action="invite.create"))
    return code


async def redeem_invite(
    s: AsyncSession,
    code: str,
    *,
    telegram_id: int,
    chat_id: int,
    first_name: str,
    language: str,
    timezone: str,
    now: datetime,
) -> Client:
    """Join the person to the inviting therapist; the code can never be used again.

    The invite is claimed by one conditional UPDATE (unused and unexpired, else no row): when
    several people send the same code at once, the database lets exactly one claim win (on
    PostgreSQL the others wait for the winner's row lock, re-check the condition and find it
    used), so a check-then-set race can never make two clients of one code.
    """
    claim = (
        update(Invite)
        .where(
            col(Invite.code_hash) == hash_code(code),
            col(Invite.used_at).is_(None),
            col(Invite.expires_at) > now,
        )
        .values(used_at=now)
        .returning(col(Invite.id), col(Invite.therapist_id))
        .execution_options(synchronize_session=False)
    )
    won = (await s.exec(claim)).first()
    if won is None:
        raise InviteError(await _why_refused(s, code))
    invite_id, therapist_id = won
    invite = await s.get(Invite, invite_id)
    label = invite.label if invite is not None else None
    client = await client_by_telegram_id(s, telegram_id)
    if client is None:
        client = Client(
            therapist_id=therapist_id,
            telegram_id=telegram_id,
            chat_id=chat_id,
            first_name=first_name,
            language=language,
            timezone=timezone,
            created_at=now,
            label=label,
        )
    else:  # someone who deleted their data or changes therapist starts afresh with this therapist
        client.therapist_id = therapist_id
        client.status = "active"
        client.label = label or client.label
    s.add(client)
    await s.flush()
    await s.exec(
        update(Invite)
        .where(col(Invite.id) == invite_id)
        .values(used_by_client_id=client.id, label=None)  # the label lives on the client now
        .execution_options(synchronize_session=False)
    )
    s.add(AuditLog(at=now, actor="client", action="invite.redeem", client_id=client.id))
    return client


async def _why_refused(s: AsyncSession, code: str) -> str:
    """The reason a code could not be claimed, in words for the person who sent it."""
    invite = (await s.exec(select(Invite).where(Invite.code_hash == hash_code(code)))).first()
    if invite is None:
        return "That invite link is not valid. Please ask your therapist for a new one."
    if invite.used_at is not None:
        return "That invite link was already used. Please ask your therapist for a new one."
    return "That invite link has expired. Please ask your therapist for a new one."


async def clients_of(s: AsyncSession, therapist: Therapist) -> list[Client]:
    rows = await s.exec(select(Client).where(Client.therapist_id == therapist.id))
    # Names are encrypted at rest, so the database cannot sort by them: sort here.
    return sorted(rows.all(), key=lambda c: (client_name(c).casefold(), c.telegram_id))


async def find_client_of(s: AsyncSession, therapist: Therapist, name_or_id: str) -> Client:
    """A therapist's own client by label, Telegram name (any case) or Telegram id; never
    another therapist's. Several matches raise AmbiguousClientError (a list to pick from)."""
    clients = await clients_of(s, therapist)
    matches = match_clients(clients, name_or_id)
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise AmbiguousClientError(name_or_id.strip(), matches)
    names = ", ".join(distinct_name(c, clients) for c in clients) or "none yet"
    raise NotFoundError("client", name_or_id, f"Your clients: {names}.", by="the name or id")
