"""`checkin triage check SCENARIO.yaml [--json]`: dry-run the configured triage rules on a history.

The base rules come from the configuration (`triage:`), the scenario may override them. The
readable output says which rule fired on which check-ins; check-in text is never printed, only
what screening made of it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer
from rich.table import Table

from bot.cli.common import EXIT_INVALID, console, fail, state
from bot.config import Config
from bot.safety.scenario import Scenario, ScenarioError, describe_window, load_scenario
from bot.safety.screening import screen_text
from bot.safety.triage import TriageInputError, TriageResult, TriageRules, evaluate_triage

triage_app = typer.Typer(help="Dry-run the contact-your-therapist rules.", no_args_is_help=True)


@triage_app.callback()
def _group() -> None:
    """Dry-run the contact-your-therapist rules."""


def _zone(name: str) -> tzinfo:
    if name.upper() == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        fail(
            f"--tz {name!r} is not a known time zone; use an IANA name such as Europe/Berlin",
            EXIT_INVALID,
        )


def _base_rules(config: Config) -> TriageRules:
    return TriageRules(**config.triage.model_dump())


@triage_app.command("check")
def check(
    ctx: typer.Context,
    scenario_path: Annotated[
        Path,
        typer.Argument(metavar="SCENARIO.yaml", exists=True, dir_okay=False, help="The history."),
    ],
    as_json: Annotated[
        bool,
        typer.Option(
            "--json", help='Print {"contact_therapist", "crisis", "reasons", "rules", ...}.'
        ),
    ] = False,
    tz: Annotated[str, typer.Option("--tz", help="Time zone for day boundaries.")] = "UTC",
) -> None:
    """Run the triage rules on SCENARIO.yaml and say whether to advise contacting the therapist."""
    zone = _zone(tz)
    try:
        config = state(ctx).config()
        scenario = load_scenario(scenario_path, config.yaml_max_file_size)
        rules = scenario.rules.apply(_base_rules(config))
        result = evaluate_triage(
            scenario.checkin_list(),
            scenario.session_ended_at,
            scenario.now,
            rules,
            tz=zone,
            crisis_signals=scenario.crisis_signals(),
            acknowledged_at=scenario.acknowledged_at,
        )
    except (ScenarioError, TriageInputError) as exc:
        fail(str(exc), EXIT_INVALID)
    if as_json:
        typer.echo(json.dumps(result_json(result)))
        return
    _print_account(scenario_path, scenario, rules, result, zone)


def result_json(result: TriageResult) -> dict[str, object]:
    """The --json answer: the original three keys, then the exact rule behind each reason."""
    return {
        "contact_therapist": result.contact_therapist,
        "crisis": result.crisis,
        "reasons": list(result.reasons),
        "rules": {f.reason: f.rule for f in result.details},
        "urgency": result.urgency,
        "alert_therapist": result.alert_therapist,
        "details": [
            {
                "reason": f.reason,
                "rule": f.rule,
                "urgency": f.urgency,
                "category": f.category,
                "checkins": [i + 1 for i in f.checkins],
                "summary": f.summary,
            }
            for f in result.details
        ],
    }


_SELF_CARE = {"none": "", "tried_helped": "helped", "tried_not_helped": "not helped"}


def _when(moment: datetime, zone: tzinfo, zone_name: bool = True) -> str:
    return moment.astimezone(zone).strftime("%a %d %b %H:%M" + (" %Z" if zone_name else ""))


def _print_account(
    path: Path, scenario: Scenario, rules: TriageRules, result: TriageResult, zone: tzinfo
) -> None:
    counted, before, after = describe_window(scenario)
    console.print(f"[bold]Triage dry run[/bold] of {path.name}", highlight=False)
    console.print(
        "Rules: " + ", ".join(f"{name}={getattr(rules, name)}" for name in TriageRules.names()),
        highlight=False,
    )
    since = _when(scenario.session_ended_at, zone) if scenario.session_ended_at else "the start"
    console.print(
        f"Window: {since} to {_when(scenario.now, zone)}: {counted} check-in(s) count,"
        f" {before} before the session ended, {after} after now.",
        highlight=False,
    )
    console.print(_checkin_table(scenario, result, zone))
    if not result.alert_therapist:
        console.print("[green]No rule fired: no need to advise contacting the therapist.[/green]")
        return
    verdict = "[bold red]CRISIS[/bold red]: " if result.crisis else ""
    if result.contact_therapist:
        when = "now" if result.urgency == "now" else "soon"
        headline = f"[bold]Advise contacting the therapist {when}[/bold]"
    else:
        headline = "[bold]Alert the therapist[/bold] (nothing to tell the client)"
    console.print(f"{verdict}{headline}. Rules that fired:")
    for finding in result.details:
        numbers = ", ".join(f"#{i + 1}" for i in finding.checkins) or "messages"
        console.print(
            f"  • [bold]{finding.reason}[/bold] ({finding.rule}) on check-in(s) {numbers}:"
            f" {finding.summary}",
            highlight=False,
        )


def _checkin_table(scenario: Scenario, result: TriageResult, zone: tzinfo) -> Table:
    fired: dict[int, list[str]] = {}
    for finding in result.details:
        for index in finding.checkins:
            if finding.reason not in fired.setdefault(index, []):
                fired[index].append(finding.reason)
    table = Table(
        "#",
        "at",
        "distress",
        "self-care",
        "unable",
        "text screened",
        "rules fired",
        title=f"Check-ins (times in {zone}; text is never shown)",
    )
    for index, entry in enumerate(scenario.checkins):
        counted = entry.at <= scenario.now and (
            scenario.session_ended_at is None or entry.at >= scenario.session_ended_at
        )
        screened = screen_text(entry.text) if entry.text is not None else None
        table.add_row(
            str(index + 1),
            _when(entry.at, zone, zone_name=False) + ("" if counted else " ignored"),
            "-" if entry.distress is None else str(entry.distress),
            _SELF_CARE[entry.self_care],
            {True: "yes", False: "", "partly": "partly"}[entry.unable_to_function],
            "" if screened is None else " ".join([screened.level, *screened.reasons]),
            ", ".join(fired.get(index, [])),
        )
    return table


def register(app: typer.Typer) -> None:
    app.add_typer(triage_app, name="triage")
