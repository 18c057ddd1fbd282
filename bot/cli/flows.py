"""Flow commands: `checkin flows check`, `checkin flows graph FLOW`, `checkin chat FLOW`."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from bot.cli.common import state
from bot.dialogue.graph import to_mermaid
from bot.dialogue.loader import REQUIRED_FLOWS, FlowLibrary, flow_files, load_flows
from bot.dialogue.problems import FlowValidationError
from bot.dialogue.terminal import TerminalChat, is_terminal, sample_context, stdin_reader
from bot.yamlguard import DEFAULT_MAX_BYTES

EXIT_INVALID = 2
DEFAULT_FLOWS = Path("flows")

flows_app = typer.Typer(help="Check and draw the dialogue flows.", no_args_is_help=True)

LanguagesOption = Annotated[
    list[str] | None,
    typer.Option(
        "--language",
        "-l",
        metavar="CODE",
        help="A language every text must have, like de (repeatable).",
    ),
]


def _settings(ctx: typer.Context) -> tuple[Path, list[str], str, int]:
    """Flows directory, languages and the YAML size cap: from --config (or $CHECKIN_CONFIG) when
    given, else defaults."""
    cli = state(ctx)
    if cli.config_path is None:
        return DEFAULT_FLOWS, ["en"], "en", DEFAULT_MAX_BYTES
    config = cli.config()
    return (
        config.flows_dir,
        list(config.clinic.languages),
        config.clinic.default_language,
        config.yaml_max_file_size,
    )


def _load(
    ctx: typer.Context,
    paths: list[Path],
    languages: list[str] | None,
    required: Sequence[str] = (),
    show_warnings: bool = False,
) -> FlowLibrary:
    """The flows in `paths`, or every problem (and warning) printed, sorted by file and line,
    and exit 2."""
    _, configured, default, max_bytes = _settings(ctx)
    langs = languages or configured
    if default not in langs:
        default = langs[0]
    out = Console(stderr=True, soft_wrap=True)
    try:
        library = load_flows(
            paths,
            languages=langs,
            default_language=default,
            max_bytes=max_bytes,
            required=required,
        )
    except FlowValidationError as error:
        listed = error.problems + (error.warnings if show_warnings else [])
        for problem in sorted(listed, key=lambda p: (p.file, p.line)):
            out.print(str(problem), markup=False, highlight=False)
        out.print(f"{len(error.problems)} problem(s) found.", markup=False)
        raise typer.Exit(EXIT_INVALID) from None
    if show_warnings:
        for warning in library.warnings:
            out.print(str(warning), markup=False, highlight=False)
    return library


@flows_app.command("check")
def check(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(metavar="PATH", help="Flow files or folders (default: flows/)."),
    ] = None,
    language: LanguagesOption = None,
    partial: Annotated[
        bool,
        typer.Option(
            "--partial",
            help="Check these flows on their own: a folder need not have the flows the bot "
            f"starts by itself ({', '.join(REQUIRED_FLOWS)}).",
        ),
    ] = False,
) -> None:
    """Validate flow files: print every problem (and warning), sorted by file and line, and exit
    2; or a one-line summary and exit 0. A folder must hold onboarding and after_session."""
    chosen = paths or [_settings(ctx)[0]]
    missing = [p for p in chosen if not p.exists()]
    if missing:
        typer.echo(
            f"{missing[0]}: no such file or directory. Pass a flow file or the flows directory.",
            err=True,
        )
        raise typer.Exit(EXIT_INVALID)
    # A folder is a bot's flows: it must have the flows the bot starts by itself.
    required = REQUIRED_FLOWS if any(p.is_dir() for p in chosen) and not partial else ()
    library = _load(ctx, chosen, language, required, show_warnings=True)
    steps = sum(len(flow.steps) for flow in library.flows.values())
    files = len(flow_files(chosen))
    warned = f" ({len(library.warnings)} warning(s) above)" if library.warnings else ""
    typer.echo(
        f"{len(library.flows)} flow(s), {steps} steps in {files} file(s): all valid{warned}."
    )


@flows_app.command("graph")
def graph(
    ctx: typer.Context,
    flow: Annotated[str, typer.Argument(help="The flow id to draw.")],
    flows_dir: Annotated[
        Path | None, typer.Option("--flows-dir", help="Where the flows are (default: flows/).")
    ] = None,
    language: Annotated[
        str, typer.Option("--language", "-l", help="Language of the labels.")
    ] = "en",
) -> None:
    """Print a Mermaid flowchart of FLOW on stdout."""
    library = _load(ctx, [flows_dir or _settings(ctx)[0]], None)
    found = library.get(flow)
    if found is None:
        typer.echo(
            f"No flow with the id {flow!r}. Known flows: {', '.join(sorted(library.flows))}",
            err=True,
        )
        raise typer.Exit(EXIT_INVALID)
    typer.echo(to_mermaid(found, language), nl=False)


def chat(
    ctx: typer.Context,
    flow: Annotated[str, typer.Argument(help="The flow id to try.")],
    fast: Annotated[bool, typer.Option("--fast", help="Run waits 20 times faster.")] = False,
    flows_dir: Annotated[
        Path | None, typer.Option("--flows-dir", help="Where the flows are (default: flows/).")
    ] = None,
    language: Annotated[
        str, typer.Option("--language", "-l", help="The client's language.")
    ] = "en",
    name: Annotated[str, typer.Option("--name", help="The client's first name.")] = "Sam",
) -> None:
    """Try FLOW in the terminal: buttons are numbered; type a number or the text; /stop ends."""
    library = _load(ctx, [flows_dir or _settings(ctx)[0]], None)
    if library.get(flow) is None:
        typer.echo(
            f"No flow with the id {flow!r}. Known flows: {', '.join(sorted(library.flows))}",
            err=True,
        )
        raise typer.Exit(EXIT_INVALID)
    console = Console(soft_wrap=True, highlight=False)
    session = TerminalChat(
        library, console, stdin_reader(sys.stdin), interactive=is_terminal(), fast=fast
    )
    reason = session.run(flow, sample_context(name, language))
    if reason == "eof":
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add `flows check|graph` and `chat` to the main app."""
    app.add_typer(flows_app, name="flows")
    app.command("chat")(chat)
