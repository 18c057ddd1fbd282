"""What the flows may know about the person: the context handed to the engine at the start of a run."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.orm import aliased
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Config
from bot.config.models import CrisisRegionConfig, CrisisResourceConfig
from bot.dialogue.countries import country_name
from bot.safety import ResponseKind
from bot.safety.crisis import CrisisLines, CrisisResource, crisis_response, lines_text
from bot.storage.db import run_core
from bot.storage.models import Client, LogEntry, Therapist

OTHER_COUNTRY = {"en": "Another country", "de": "Ein anderes Land"}

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


def _resource(line: CrisisResourceConfig) -> CrisisResource:
    phone = " / ".join(line.phones) or None
    return CrisisResource(line.name, phone, line.text, line.url, line.keyword)


def lines_for_country(config: Config, country: str | None) -> CrisisLines:
    """The crisis lines of `country`; without an entry (or a country) the international fallback.

    Never another country's numbers: a client in a country we have no entry for gets 112 (which
    works across the EU and from most mobile phones) and a directory of helplines everywhere.
    """
    region: CrisisRegionConfig | None = config.crisis.table().get(country) if country else None
    if region is None:
        return CrisisLines(
            emergency=config.crisis.fallback_emergency,
            country_known=False,
            directory_url=config.crisis.directory_url,
        )
    return CrisisLines(
        emergency=region.emergency,
        police=region.police,
        resources=tuple(_resource(r) for r in region.resources),
        violence=tuple(_resource(r) for r in region.violence),
    )


def client_country(config: Config, client: Client | None) -> str | None:
    """The client's own country; for one who has not told us yet, the clinic's default_region."""
    if client is not None and client.country:
        return client.country
    return config.crisis.default_region if client is not None else None


def client_lines(config: Config, client: Client | None) -> CrisisLines:
    return lines_for_country(config, client_country(config, client))


# What to do outside the therapist's hours: the on-call contact if there is one, and /sos.
OUTSIDE_HOURS = {
    "en": ("Outside these hours: {on_call}.", "If you feel unsafe and cannot reach them: /sos"),
    "de": (
        "Außerhalb dieser Zeiten: {on_call}.",
        "Wenn du dich nicht sicher fühlst und niemanden erreichst: /sos",
    ),
}


def therapist_contact(
    config: Config, therapist: Therapist, language: str = "en", *, with_sos: bool = True
) -> str:
    """How to reach the therapist, from the clinic's template, and what to do outside the hours.

    `with_sos=False` leaves out "... cannot reach them: /sos" where the crisis lines are already
    on the screen (a crisis response, /sos itself): there it only pointed to itself."""
    text = config.therapist_contact.template.format(
        name=therapist.name,
        contact=therapist.contact or "the way you usually contact them",
        hours=therapist.hours or config.therapist_contact.default_hours,
    )
    on_call_line, sos_line = OUTSIDE_HOURS.get(language, OUTSIDE_HOURS["en"])
    if therapist.on_call:
        text += "\n" + on_call_line.format(on_call=therapist.on_call)
    return text + "\n" + sos_line if with_sos else text


COUNTRY_LINES = {
    "en": {
        "known": "<b>If you ever need help fast in {country}:</b>",
        "unknown": (
            "<b>I don't have the crisis lines of {country} yet.</b> If you ever need help fast, "
            "wherever you are:"
        ),
        "nowhere": "<b>If you ever need help fast, wherever you are:</b>",
    },
    "de": {
        "known": "<b>Wenn du in {country} einmal schnell Hilfe brauchst:</b>",
        "unknown": (
            "<b>Die Krisentelefone von {country} kenne ich noch nicht.</b> Wenn du einmal schnell "
            "Hilfe brauchst, wo auch immer du bist:"
        ),
        "nowhere": "<b>Wenn du einmal schnell Hilfe brauchst, wo auch immer du bist:</b>",
    },
}


def country_lines_text(config: Config, client: Client) -> str:
    """The client's crisis lines with the country they are for (after /country, in onboarding)."""
    words = COUNTRY_LINES.get(client.language, COUNTRY_LINES["en"])
    country = client_country(config, client)
    lines = lines_for_country(config, country)
    if country is None:
        head = words["nowhere"]
    else:
        name = html.escape(country_name(country, client.language))
        head = words["known" if lines.country_known else "unknown"].format(country=name)
    return head + "\n" + lines_text(lines, client.language)


def crisis_text(
    config: Config,
    client: Client | None,
    therapist: Therapist | None,
    kind: ResponseKind = "suicidal",
    *,
    opened_by_client: bool = False,
    country: str | None = None,
    language: str | None = None,
) -> str:
    """The crisis response for `kind` with the client's lines, in their language.

    Without a client (the database is unavailable) `country` and `language` may come from memory;
    with neither, the international fallback in the clinic's language.
    """
    lines = client_lines(config, client) if client else lines_for_country(config, country)
    if client is not None:
        language = client.language
    language = language or config.clinic.default_language
    contact = therapist_contact(config, therapist, language, with_sos=False) if therapist else None
    return crisis_response(
        kind,
        lines,
        therapist_contact=contact,
        first_name=client.first_name if client else None,
        language=language,
        opened_by_client=opened_by_client,
    )


def offered_countries(config: Config) -> list[dict[str, Any]]:
    """The countries onboarding offers as buttons (names in each language), then 'another'."""
    languages = config.clinic.languages
    return [
        {"value": code, "label": {lang: country_name(code, lang) for lang in languages}}
        for code in config.crisis.countries_offered
    ] + [
        {
            "value": "other",
            "label": {lang: OTHER_COUNTRY.get(lang, OTHER_COUNTRY["en"]) for lang in languages},
        }
    ]


# Read whenever a flow starts, in one statement from the client's row: their latest note to
# their future self (if any) and how many session notes they have. Built once.
def _latest_future_me() -> Any:
    notes = aliased(LogEntry)
    return (
        select(notes.id)
        .where(notes.client_id == Client.id, notes.kind == "future_me")
        .order_by(col(notes.recorded_at).desc())
        .limit(1)
        .correlate(Client)
        .scalar_subquery()
    )


def _session_notes_count() -> Any:
    notes = aliased(LogEntry)
    return (
        select(func.count())
        .select_from(notes)
        .where(notes.client_id == Client.id, notes.kind == "session_note")
        .correlate(Client)
        .scalar_subquery()
    )


_MEMORY = (
    select(LogEntry.note, _session_notes_count())
    .select_from(Client)
    .outerjoin(LogEntry, col(LogEntry.id) == _latest_future_me())
    .where(Client.id == bindparam("client_id"))
)


async def flow_context(
    s: AsyncSession, config: Config, client: Client, therapist: Therapist
) -> dict[str, Any]:
    memory: Sequence[Any] = (await run_core(s, _MEMORY, {"client_id": client.id})).one()
    future_me, notes_count = memory
    return {
        "client": {
            "first_name": client.first_name,
            "language": client.language,
            "timezone": client.timezone,
            "country": client.country or "",
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
            "countries": offered_countries(config),
        },
        "crisis": {"resources": lines_text(client_lines(config, client), client.language)},
        "memory": {"future_me": future_me or "", "notes_count": int(notes_count)},
    }
