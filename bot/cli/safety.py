"""`checkin safety report`: how well crisis screening does on the labelled corpus.

Prints recall per crisis category, concern coverage and false alarms for the English and German
corpus and for the held-out slices (written after the rules, never tuned on), and with `--write`
puts the same tables, and the generated rule list, into docs/safety.md between their markers.
`--misses` prints the wrongly screened messages (corpus text only, for the developer at a
terminal). Exit 1 when a target of issue 10 is missed on the main corpus.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.common import console, fail
from bot.safety.learned import MODEL_PATH
from bot.safety.report import (
    FALSE_ALARM_TARGET,
    RECALL_TARGET,
    REPORT_END,
    REPORT_START,
    RULES_END,
    RULES_START,
    CorpusError,
    Example,
    Report,
    as_dict,
    build_report,
    load_corpora,
    misses_text,
    replace_between,
    report_markdown,
    rules_markdown,
)
from bot.safety.screening import CATEGORY_ORDER
from bot.safety.training import own_heldout

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CORPUS = ROOT / "tests" / "safety" / "corpus"
DEFAULT_DOC = ROOT / "docs" / "safety.md"
# Column name -> corpus files, in the order of the table.
SLICES = {
    "English": (
        "en.yaml",
        *(f"en_round{n}.yaml" for n in range(1, 7)),
        "en_everyday.yaml",
        "en_everyday2.yaml",
        "en_round9.yaml",
        "en_round10.yaml",
        "en_lead9.yaml",
        "en_round11.yaml",
    ),
    "German": (
        "de.yaml",
        *(f"de_round{n}.yaml" for n in range(1, 7)),
        "de_everyday.yaml",
        "de_everyday2.yaml",
        "de_round9.yaml",
        "de_round10.yaml",
        "de_lead9.yaml",
        "de_round11.yaml",
    ),
    "English, held out (round 5)": ("en_heldout.yaml",),
    "German, held out (round 5)": ("de_heldout.yaml",),
    # Written after the last widening (issue 10 follow-up) and not used to change the rules.
    "English, held out (round 7)": ("en_heldout7.yaml",),
    "German, held out (round 7)": ("de_heldout7.yaml",),
    # Ordinary messages written after the learned layer was frozen: false alarms in daily traffic.
    "English, everyday held out": ("en_everyday_heldout.yaml",),
    "German, everyday held out": ("de_everyday_heldout.yaml",),
    # A second, larger everyday set (plans, work and exams, sleep, everyday pills and knives),
    # written before the false-alarm fixes of issue 10 and never trained on or tuned against.
    "English, everyday held out 2": ("en_everyday2_heldout.yaml",),
    "German, everyday held out 2": ("de_everyday2_heldout.yaml",),
    # Round 9 (generalisation): plans told as logistics, acts in everyday words, indirect
    # goodbyes and burden, fear of a named person, and hard negatives sharing their words;
    # written before the round-9 rules and features, never trained on or tuned against.
    "English, held out (round 9)": ("en_heldout9.yaml",),
    "German, held out (round 9)": ("de_heldout9.yaml",),
    # The lead's blind round 9, written by someone who never saw the rules: 60 of 98 crisis
    # messages caught when it was screened blind; released, and since then training messages
    # (part of the main slices too), so these columns show only that they are learned.
    "English, lead's blind round 9 (now trained on)": ("en_lead9.yaml",),
    "German, lead's blind round 9 (now trained on)": ("de_lead9.yaml",),
    # The lead's blind round 11: three sets by writers who never saw the rules, each screened
    # blind first (C 91/137, D 80/135, E 77/140 crisis messages caught EN+DE), then the rules of
    # `lexicon_voices.py` were written from them and the learned layer trained on them. Not in the
    # main slices: the 98% target is for the corpus the rules were written against from the start.
    "English, lead's blind round 11 (now trained on)": ("en_lead11.yaml",),
    "German, lead's blind round 11 (now trained on)": ("de_lead11.yaml",),
    # Round 11's fourth set, written with no crisis keyword at all: held out in round 11 (78 of
    # 140 crisis messages caught), then released and the rules of round 12 written from it. Not
    # trained on: trained on, the layer gained 3 of 140 on the next held-out set and raised
    # everyday twins ("ne ganze packung chips reingepfiffen") as crises.
    "English, lead's blind round 12 (rules written from it)": ("en_lead12.yaml",),
    "German, lead's blind round 12 (rules written from it)": ("de_lead12.yaml",),
    # Round 12's held-out set, by a writer who never saw the rules or any other set: never used
    # for a rule or for training, the honest measure of wording nobody has shown the screener.
    "English, held out (round 12)": ("en_heldout12.yaml",),
    "German, held out (round 12)": ("de_heldout12.yaml",),
}
# The fifth of the main slices that the learned layer never trains on (`training.own_heldout`).
# The rules were written against these messages too, so for the rules they are not held out.
OWN_HELDOUT = {"English, own held-out fifth": "English", "German, own held-out fifth": "German"}
MAIN_SLICES = ("English", "German")

safety_app = typer.Typer(help="Crisis screening: the corpus report.", no_args_is_help=True)


@safety_app.callback()
def _group() -> None:
    """Crisis screening: the corpus report."""


def build_reports(corpus: Path, *, learned: bool = True) -> list[Report]:
    """One report per slice whose files exist in `corpus`, screened with the learned layer (or,
    with `learned=False`, by the rules alone)."""
    examples: dict[str, list[Example]] = {}
    for name, files in SLICES.items():
        paths = [corpus / f for f in files if (corpus / f).exists()]
        if paths:
            examples[name] = load_corpora(paths)
    for name, whole in OWN_HELDOUT.items():
        if whole in examples:
            examples[name] = [e for e in examples[whole] if own_heldout(e.text)]
    return [build_report(name, found, learned=learned) for name, found in examples.items()]


def shortfalls(reports: list[Report]) -> list[str]:
    """The targets missed on the main (not held-out) slices, in words."""
    problems = []
    for report in reports:
        if report.name not in MAIN_SLICES:
            continue
        for category in CATEGORY_ORDER:
            recall = report.crisis_recall(category)
            if recall is not None and recall < RECALL_TARGET:
                problems.append(
                    f"{report.name}: {category} recall {recall:.1%} < {RECALL_TARGET:.0%}"
                )
        if report.false_alarm_rate >= FALSE_ALARM_TARGET:
            problems.append(
                f"{report.name}: false alarms {report.false_alarm_rate:.1%} >= {FALSE_ALARM_TARGET:.0%}"
            )
    return problems


def render_doc(text: str, reports: list[Report], rules_alone: list[Report]) -> str:
    """docs/safety.md with its generated sections brought up to date."""
    body = report_markdown(reports, rules_alone)
    text = replace_between(text, REPORT_START, REPORT_END, body)
    return replace_between(text, RULES_START, RULES_END, rules_markdown())


@safety_app.command("report")
def report(
    corpus: Annotated[
        Path, typer.Option(help="Folder with en.yaml, de.yaml and the *_heldout.yaml slices.")
    ] = DEFAULT_CORPUS,
    write: Annotated[
        bool, typer.Option("--write", help="Update the tables and rule list in docs/safety.md.")
    ] = False,
    doc: Annotated[Path, typer.Option(help="The document to update.")] = DEFAULT_DOC,
    misses: Annotated[
        bool, typer.Option("--misses", help="Also print every wrongly screened corpus message.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Counts as JSON.")] = False,
) -> None:
    """Recall per crisis category and the false-alarm rate on the labelled corpus."""
    try:
        reports = build_reports(corpus)
        rules_alone = build_reports(corpus, learned=False)
    except CorpusError as error:
        fail(str(error))
    if not reports:
        fail(f"No corpus files in {corpus} (expected {', '.join(SLICES['English'])} and others)")
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "combined": {r.name: as_dict(r) for r in reports},
                    "rules_alone": {r.name: as_dict(r) for r in rules_alone},
                },
                indent=2,
            )
        )
    else:
        console.print(report_markdown(reports, rules_alone), markup=False, highlight=False)
    if misses:
        typer.echo(misses_text(reports))
    if write:
        try:
            doc.write_text(
                render_doc(doc.read_text(encoding="utf-8"), reports, rules_alone), encoding="utf-8"
            )
        except CorpusError as error:
            fail(f"{doc}: {error}")
        typer.echo(f"Updated {doc}.")
    problems = shortfalls(reports)
    for problem in problems:
        typer.echo(f"target missed: {problem}", err=True)
    if problems:
        raise typer.Exit(1)


@safety_app.command("train")
def train_command(
    corpus: Annotated[Path, typer.Option(help="Folder with the corpus files.")] = DEFAULT_CORPUS,
    out: Annotated[Path, typer.Option(help="Where to write the model.")] = MODEL_PATH,
) -> None:
    """Build the learned layer's model from the corpus (needs scikit-learn: `pip install .[dev]`)."""
    try:
        from bot.safety.training import train, write_model
    except ImportError as error:
        fail(
            f"Training needs scikit-learn ({error}); install the dev extras: pip install -e '.[dev]'"
        )
    try:
        model = train(corpus)
    except (CorpusError, OSError) as error:
        fail(str(error))
    write_model(model, out)
    typer.echo(
        f"Wrote {out}: {len(model['weights'])} features from {model['examples']} messages, "
        f"threshold {model['threshold']}, C {model['c']:g} (of {', '.join(model['c_scores'])}), "
        f"out-of-fold crisis recall {model['out_of_fold_recall']:.1%} "
        f"({model['template_groups']} template groups)."
    )


def register(app: typer.Typer) -> None:
    app.add_typer(safety_app, name="safety")
