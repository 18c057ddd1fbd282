"""`checkin measures show|set`: which standard measures (PHQ-9, GAD-7) a therapist gives, how often."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from bot.cli.common import EXIT_INVALID, console, fail, run_async, state
from bot.cli.people import (
    CLIENT_HELP,
    TherapistRef,
    client_ref,
    resolve_client,
    resolve_therapist,
)
from bot.config import Config
from bot.dialogue.loader import load_flows
from bot.dialogue.scoring import measure_flows
from bot.measures.schedule import ANCHORS
from bot.scheduling.measures import MAX_EVERY_WEEKS, therapist_default
from bot.scheduling.sessions import SessionService
from bot.storage import Database
from bot.storage.data_keys import prepare_database
from bot.storage.models import Therapist

measures_app = typer.Typer(
    help="Standard measures (PHQ-9, GAD-7) per therapist and per client.", no_args_is_help=True
)
TherapistOpt = TherapistRef
ClientOpt = Annotated[
    str | None,
    typer.Option(
        "--client",
        metavar="CLIENT",
        callback=client_ref,
        help="One client (without it, the therapist's default). " + CLIENT_HELP,
    ),
]


async def _client_id(db: Database, ref: str | None, therapist_id: int) -> int | None:
    """The internal id of the client `--client` names (a Telegram id or name), if given."""
    if ref is None:
        return None
    async with db.session() as s:
        therapist = await s.get(Therapist, therapist_id)
        return (await resolve_client(s, ref, therapist)).id


def _known(config: Config) -> list[str]:
    library = load_flows([config.flows_dir], list(config.clinic.languages))
    return measure_flows(library.flows)


async def _therapist_id(db: Database, telegram_id: int) -> int:
    async with db.session() as s:
        therapist = await resolve_therapist(s, telegram_id)
    assert therapist.id is not None
    return therapist.id


@measures_app.command("show")
def measures_show(ctx: typer.Context, therapist: TherapistOpt, client: ClientOpt = None) -> None:
    """Show the measures in force for one client, or a therapist's default."""
    config: Config = state(ctx).config()

    async def go() -> str:
        db = Database(config.database_url)
        try:
            await prepare_database(db)
            service = SessionService(db, config.followups)
            client_id = await _client_id(db, client, await _therapist_id(db, therapist))
            if client_id is not None:
                plan, source = await service.measures_for_client(client_id)
                where = f"client {client} ({'their own' if source == 'client' else source})"
            else:
                async with db.session() as s:
                    plan = await therapist_default(s, await _therapist_id(db, therapist))
                where = f"therapist {therapist} (default)"
            shown = plan.describe() if plan and plan.measures else "none"
            return f"{where}: {shown}"
        finally:
            await db.dispose()

    console.print(run_async(go()), highlight=False)


@measures_app.command("set")
def measures_set(
    ctx: typer.Context,
    therapist: TherapistOpt,
    measures: Annotated[
        str, typer.Option(help="Comma separated flow ids, like phq9,gad7; or off.")
    ],
    client: ClientOpt = None,
    every_weeks: Annotated[int, typer.Option(help="Every N weeks, 1-26.")] = 2,
    anchor: Annotated[
        str,
        typer.Option(help=f"When in a measure week: {' or '.join(ANCHORS)}."),
    ] = "day_before_session",
) -> None:
    """Give measures every N weeks, the day before the session (or on a fixed weekday)."""
    config: Config = state(ctx).config()
    known = _known(config)
    wanted = (
        []
        if measures.strip().lower() == "off"
        else [m.strip().lower().replace("-", "") for m in measures.split(",") if m.strip()]
    )

    unknown = [m for m in wanted if m not in known]
    if unknown:
        fail(
            f"unknown measure {', '.join(repr(u) for u in unknown)}; use one or more of: "
            f"{', '.join(known)}, or off",
            EXIT_INVALID,
        )
    if anchor not in ANCHORS or not 1 <= every_weeks <= MAX_EVERY_WEEKS:
        fail(
            f"use --every-weeks 1 to {MAX_EVERY_WEEKS} and --anchor {' or '.join(ANCHORS)}",
            EXIT_INVALID,
        )

    async def go() -> str:
        db = Database(config.database_url)
        try:
            await prepare_database(db)
            service = SessionService(db, config.followups)
            therapist_id = await _therapist_id(db, therapist)
            plan = await service.set_measures(
                therapist_id,
                wanted,
                known,
                datetime.now(UTC),
                client_id=await _client_id(db, client, therapist_id),
                every_weeks=every_weeks,
                anchor=anchor,
            )
            return plan.describe() if plan.measures else "measures off"
        finally:
            await db.dispose()

    console.print(run_async(go()), highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(measures_app, name="measures")
