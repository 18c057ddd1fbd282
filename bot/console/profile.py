"""The therapist's own details in the console: how clients reach them, working hours, on-call
contact and time zone (what `checkin therapist add` and `/timezone` set), validated."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aiohttp import web

from bot.console.web import console_of, render, therapist_of
from bot.service.audit import audit, therapist_actor
from bot.service.work_hours import parse_hours
from bot.storage.models import Therapist

FIELDS = ("contact", "hours", "on_call", "timezone")
MAX_LENGTH = 200


def _problems(values: dict[str, str]) -> list[str]:
    problems = []
    if not values["contact"]:
        problems.append("Contact: how your clients reach you is needed, like +44 20 7946 0000.")
    for name in FIELDS:
        if len(values[name]) > MAX_LENGTH:
            problems.append(
                f"{name.replace('_', ' ').capitalize()}: at most {MAX_LENGTH} characters."
            )
    if values["hours"] and parse_hours(values["hours"]) is None:
        problems.append(
            f"Hours {values['hours']!r} cannot be read; use days and hours like "
            "'Mon-Fri 9-17' or 'Mon-Thu 8:30-18, Sat 10-12'."
        )
    if values["timezone"]:
        try:
            ZoneInfo(values["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(
                f"Time zone {values['timezone']!r} is not one I know; use a name like "
                "Europe/London or Europe/Berlin."
            )
    return problems


async def profile_page(request: web.Request) -> web.StreamResponse:
    console = console_of(request)
    signed = therapist_of(request).therapist
    now = console.now()
    errors: list[str] = []
    saved = False
    async with console.db.session() as s:
        therapist = await s.get(Therapist, signed.id)
        assert therapist is not None
        if request.method == "POST":
            form = await request.post()
            values = {name: str(form.get(name, "")).strip() for name in FIELDS}
            errors = _problems(values)
            if not errors:
                therapist.contact = values["contact"]
                therapist.hours = values["hours"] or None
                therapist.on_call = values["on_call"] or None
                therapist.timezone = values["timezone"] or None
                s.add(therapist)
                audit(s, now, therapist_actor(therapist), "therapist.profile")
                saved = True
        else:
            values = {name: getattr(therapist, name) or "" for name in FIELDS}
            audit(s, now, therapist_actor(therapist), "console.profile.read")
    return render(
        request,
        "profile.html",
        status=400 if errors else 200,
        values=values,
        errors=errors,
        saved=saved,
    )
