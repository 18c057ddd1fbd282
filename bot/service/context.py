"""What the flows may know about the person: the context handed to the engine at the start of a run."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Config
from bot.safety import CrisisResource, crisis_message, resources_text
from bot.service.regions import region_for_timezone
from bot.storage.models import Client, LogEntry, Therapist

LANGUAGE_NAMES = {
    "en": "English",
    "de": "Deutsch",
    "fr": "Français",
    "es": "Español",
    "it": "Italiano",
    "nl": "Nederlands",
    "pl": "Polski",
    "pt": "Português",
    "tr": "Türkçe",
    "uk": "Українська",
}


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def language_code(name_or_code: str, configured: list[str]) -> str | None:
    """The configured language a button's name (or a code) stands for."""
    for code in configured:
        if name_or_code in (code, language_name(code)):
            return code
    return None


def client_resources(config: Config, client: Client | None) -> tuple[list[CrisisResource], str]:
    """The crisis lines and emergency number for the client's region (from their time zone)."""
    regions = config.crisis.regions
    zone = client.timezone if client else config.clinic.timezone
    region = regions[region_for_timezone(zone, frozenset(regions), config.crisis.default_region)]
    lines = [
        CrisisResource(name=r.name, phone=r.phone, text=r.text, url=r.url) for r in region.resources
    ]
    emergency = "Notruf" if client is not None and client.language == "de" else "Emergency services"
    lines.append(CrisisResource(name=emergency, phone=region.emergency))
    return lines, region.emergency


# What to do outside the therapist's hours: the on-call contact if there is one, and /sos.
OUTSIDE_HOURS = {
    "en": ("Outside these hours: {on_call}.", "If you feel unsafe and cannot reach them: /sos"),
    "de": (
        "Außerhalb dieser Zeiten: {on_call}.",
        "Wenn du dich nicht sicher fühlst und niemanden erreichst: /sos",
    ),
}


def therapist_contact(config: Config, therapist: Therapist, language: str = "en") -> str:
    """How to reach the therapist, from the clinic's template, and what to do outside the hours."""
    text = config.therapist_contact.template.format(
        name=therapist.name,
        contact=therapist.contact or "the way you usually contact them",
        hours=therapist.hours or config.therapist_contact.default_hours,
    )
    on_call_line, sos_line = OUTSIDE_HOURS.get(language, OUTSIDE_HOURS["en"])
    if therapist.on_call:
        text += "\n" + on_call_line.format(on_call=therapist.on_call)
    return text + "\n" + sos_line


def crisis_text(config: Config, client: Client | None, therapist: Therapist | None) -> str:
    resources, _ = client_resources(config, client)
    language = client.language if client else config.clinic.default_language
    contact = therapist_contact(config, therapist, language) if therapist else None
    return crisis_message(
        resources, contact, client.first_name if client else None, language=language
    )


async def flow_context(
    s: AsyncSession, config: Config, client: Client, therapist: Therapist
) -> dict[str, Any]:
    resources, _ = client_resources(config, client)
    future_me = (
        await s.exec(
            select(LogEntry.note)
            .where(LogEntry.client_id == client.id, LogEntry.kind == "future_me")
            .order_by(col(LogEntry.recorded_at).desc())
            .limit(1)
        )
    ).first()
    notes_count = (
        await s.exec(
            select(func.count())
            .select_from(LogEntry)
            .where(LogEntry.client_id == client.id, LogEntry.kind == "session_note")
        )
    ).one()
    return {
        "client": {
            "first_name": client.first_name,
            "language": client.language,
            "timezone": client.timezone,
            "consent_checkins": client.consent_checkins,
            "consent_alerts": client.consent_alerts,
        },
        "therapist": {
            "name": therapist.name,
            "contact": therapist_contact(config, therapist, client.language),
        },
        "clinic": {
            "name": config.clinic.name,
            # Shown as buttons when the client picks a language: names, not codes.
            "languages": [
                {"value": code, "label": language_name(code)} for code in config.clinic.languages
            ],
            "language_count": len(config.clinic.languages),
        },
        "crisis": {"resources": resources_text(resources, client.language)},
        "memory": {"future_me": future_me or "", "notes_count": int(notes_count)},
    }
