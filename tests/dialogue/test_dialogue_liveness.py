"""A stored run keeps only the answers a later step reads, and that never changes what it does."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import pytest
from dialogue_helpers import SHIPPED, T0, context
from test_dialogue_walks import FIXTURE_FILES, FLOW_FILES, library_for, pick_finishing, pick_random

from bot.dialogue import contracts as c
from bot.dialogue import model as m
from bot.dialogue.engine import advance
from bot.dialogue.liveness import reads, trim
from bot.dialogue.loader import load_flows

WALKS = 150
EVENTS = 200


def _walk(path: Path, seed: int, trimmed: bool) -> tuple[list[c.Effect], list[int]]:
    """One random walk; with `trimmed`, the state is trimmed after every event, as stored."""
    library = library_for(path)
    rng = random.Random(seed)
    now = T0
    state, effects = advance(library, None, c.Start(path.stem, context()), now)
    seen, kept = list(effects), []
    buttons: list[c.Button] = []
    for count in range(EVENTS):
        if trimmed:
            state = trim(library, state)
            kept.append(len(state.answers))
        for effect in effects:
            if (isinstance(effect, c.Say) and effect.buttons) or isinstance(
                effect, c.UpdateButtons
            ):
                buttons = [b for row in effect.buttons for b in row]
        if state.status == "ended":
            break
        if state.status == "interrupted":
            event: c.Event = c.Resume()
        elif count < EVENTS // 2:
            event = pick_random(state, buttons, ["a few words"], rng)
        else:
            event = pick_finishing(state, buttons, library, rng)
        now += timedelta(seconds=rng.choice([0, 20, 3600]))
        state, effects = advance(library, state, event, now)
        seen.extend(effects)
    return seen, kept


@pytest.mark.parametrize(
    "path", FLOW_FILES + FIXTURE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_a_trimmed_run_says_and_records_exactly_what_a_full_one_does(path: Path) -> None:
    """Random walks twice, once storing only the answers still needed: the same effects
    (messages, records, settings, timers, triage), event for event."""
    for seed in range(WALKS):
        full, _ = _walk(path, seed, trimmed=False)
        trimmed, _ = _walk(path, seed, trimmed=True)
        assert trimmed == full, f"{path.name}, seed {seed}"


def test_the_log_flow_forgets_what_it_recorded_once_nothing_reads_it() -> None:
    """At the question after the log is recorded, the run holds only `unable` (read after it)."""
    library = load_flows([SHIPPED], languages=("en",))
    flow = library.require("log")
    assert flow.answers_needed["check_later"] <= {"unable"}
    assert {"note", "feelings_other", "feelings"} <= flow.answers_needed["note"] | {"note"}
    assert "note" in flow.answers_needed["save"]


def test_reads_finds_answers_in_texts_conditions_fields_options_and_wait_times() -> None:
    """Every place a step can read an answer counts, `{{` escapes and client fields do not."""
    say = m.SayStep("s", 1, None, m.Phrase({"en": "{answers.mood} {{answers.not}} {client.x}"}))
    branch = m.BranchStep(
        "b",
        2,
        None,
        (m.Case(m.Combine("not", (m.Compare("is_set", m.Ref("answers", "a")),)), "s"),),
        None,
    )
    record = m.RecordStep("r", 3, None, "log", {"n": m.Ref("answers", "stay", "seconds")})
    choice = m.ChoiceStep(
        "c", 4, None, m.Phrase({"en": "{triage.contact}"}), "pick", (), m.Ref("answers", "list")
    )
    wait = m.WaitStep(
        "w", 5, None, (), "breathe", m.Phrase({"en": "Stop"}), None, m.Ref("answers", "minutes")
    )
    score = m.ScoreStep("p", 6, None, "phq9", "phq9", ("q1", "q2"), (), (), ("q10",))
    assert reads(score) == {"q1", "q2", "q10"}  # items and extras are answer keys
    assert reads(say) == {"mood"}
    assert reads(branch) == {"a"}
    assert reads(record) == {"stay"}
    assert reads(choice) == {"triage", "list"}
    assert reads(wait) == {"minutes"}
