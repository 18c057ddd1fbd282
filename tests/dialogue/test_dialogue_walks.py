"""Random walks over every shipped flow: random taps, hostile text, stale taps, timers, triage,
interrupts and restarts. The engine never raises, never errors, and every run reaches its end."""

from __future__ import annotations

import json
import random
from collections import deque
from datetime import timedelta
from pathlib import Path

import pytest
from dialogue_helpers import GOOD, SHIPPED, T0, context
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.dialogue import contracts as c
from bot.dialogue import model as m
from bot.dialogue.engine import advance
from bot.dialogue.loader import FlowLibrary, load_flows

FLOW_FILES = sorted(p for p in SHIPPED.glob("*.yaml") if not p.name.startswith("_"))
FIXTURE_FILES = sorted(GOOD.glob("*.yaml"))
RANDOM_EVENTS = 120  # events of pure chaos, then a client who wants to finish
FINISH_EVENTS = 400  # the bound: a finishing client reaches the end within this many more
HOSTILE = [
    "",
    "   ",
    "7x",
    "-1",
    "11",
    "999999999999",
    "<b>bold</b> & <script>",
    "{client.first_name}",
    "{{",
    "/stop",
    "🙂" * 50,
    "x" * 5000,
    "\x00\u200b\u202e",
    "\x1c7",  # int() does not strip \x1c although regex \s matches it
    "7\x1f",
    "٣",
    "Berlin",
    "done",
    "skip",
]

_LIBRARIES: dict[Path, FlowLibrary] = {}


def library_for(path: Path) -> FlowLibrary:
    """Every flow in the file's directory (calls need their callees), loaded once."""
    folder = path.parent
    if folder not in _LIBRARIES:
        _LIBRARIES[folder] = load_flows([folder], languages=("en",))
    return _LIBRARIES[folder]


_DISTANCES: dict[tuple[str, str], dict[str, int]] = {}


def distances(flow: m.Flow) -> dict[str, int]:
    """Steps to the nearest end step, for a client who wants to finish."""
    key = (flow.file, flow.version)
    if key not in _DISTANCES:
        _DISTANCES[key] = _distances(flow)
    return _DISTANCES[key]


def _distances(flow: m.Flow) -> dict[str, int]:
    back: dict[str, list[str]] = {sid: [] for sid in flow.steps}
    for sid, step in flow.steps.items():
        for target in m.successors(step):
            back.setdefault(target, []).append(sid)
    dist = {sid: 0 for sid, s in flow.steps.items() if isinstance(s, m.EndStep)}
    queue = deque(dist)
    while queue:
        sid = queue.popleft()
        for source in back.get(sid, []):
            if source not in dist:
                dist[source] = dist[sid] + 1
                queue.append(source)
    return dist


def check_effects(effects: list[c.Effect], state: c.RunState) -> None:
    for effect in effects:
        if isinstance(effect, c.Say):
            assert len(effect.text) <= 4096
            for row in effect.buttons:
                for button in row:
                    assert button.data[0].isdigit()
                    assert len(button.data.encode()) <= 64
                    assert button.data.startswith(f"{effect.prompt}:")
        if isinstance(effect, c.Ended):
            assert effect.reason in ("completed", "stopped"), effect
            assert state.status == "ended"


def pick_finishing(
    state: c.RunState, buttons: list[c.Button], library: FlowLibrary, rng: random.Random
) -> c.Event:
    flow = library.get(state.flow_id)
    assert flow is not None
    step = flow.steps[state.step]
    dist = distances(flow)
    if state.status == "waiting":
        return c.TimerFired(state.timer or "")
    if state.status == "awaiting_triage":
        return c.TriageDone(rng.random() < 0.5, rng.random() < 0.2, ("persisting",))
    if isinstance(step, m.ChoiceStep) and step.options:

        def score(button: c.Button) -> int:
            value = button.data.partition(":")[2]
            option = next((o for o in step.options if str(o.value) == value), None)
            target = (option.next if option else None) or step.next
            return dist.get(target or "", 10_000)

        best = min(score(b) for b in buttons)
        return c.Tap(rng.choice([b for b in buttons if score(b) == best]).data)
    if isinstance(step, m.MultiStep):
        done = [b for b in buttons if b.data.endswith(":~done")]
        if len(state.selection) >= step.min_selected and done:
            return c.Tap(done[0].data)
        unticked = [b for b in buttons if not b.label.startswith("✓") and b not in done]
        return c.Tap(rng.choice(unticked or buttons).data)
    if isinstance(step, m.TextStep):
        if step.format == "timezone":
            return c.Text("Berlin")
        if step.format == "number":
            return c.Text(str(rng.randint(0, 30)))
        return c.Text("a few words")
    return c.Tap(rng.choice(buttons).data) if buttons else c.Repeat()


def pick_random(
    state: c.RunState, buttons: list[c.Button], texts: list[str], rng: random.Random
) -> c.Event:
    roll = rng.random()
    if state.status == "waiting" and roll < 0.3:
        return c.TimerFired(state.timer if rng.random() < 0.8 else "stale-token")
    if state.status == "awaiting_triage" and roll < 0.5:
        return c.TriageDone(
            rng.random() < 0.5,
            rng.random() < 0.3,
            tuple(rng.sample(["persisting", "unable_to_function", "crisis"], 2)),
        )
    if buttons and roll < 0.6:
        return c.Tap(rng.choice(buttons).data)
    if roll < 0.65:  # stale prompts, and the current prompt with values that are no option
        prompt = max(state.prompt - rng.randint(0, 3), 0)
        value = rng.choice([*texts, "x", "1", "~done", "~stop", "~skip", "-1", "99"])
        return c.Tap(f"{prompt}:{value}")
    if roll < 0.8:
        pool = texts + HOSTILE + [b.label for b in buttons]
        return c.Text(rng.choice(pool))
    if roll < 0.805:
        return c.Start(state.flow_id, context())  # the client starts the flow again mid-run
    return rng.choice(
        [
            c.Repeat(),
            c.Unsupported("sticker"),
            c.Interrupt(),
            c.Resume(),
            c.TimerFired("nope"),
            c.TriageDone(True, False, ()),
        ]
    )


def walk(path: Path, seed: int, texts: list[str]) -> int:
    """One walk; returns how many events it took to reach the end."""
    library = library_for(path)
    rng = random.Random(seed)
    now = T0
    ctx = context(
        first_name=rng.choice(["Sam", "<Sam & Co>", "{answers.x}", ""]),
        language=rng.choice(["en", "de", "xx"]),
    )
    state, effects = advance(library, None, c.Start(path.stem, ctx), now)
    buttons: list[c.Button] = []
    for count in range(RANDOM_EVENTS + FINISH_EVENTS):
        check_effects(effects, state)
        for effect in effects:
            if (isinstance(effect, c.Say) and effect.buttons) or isinstance(
                effect, c.UpdateButtons
            ):
                buttons = [b for row in effect.buttons for b in row]
        if state.status == "ended":
            return count
        if rng.random() < 0.05:  # a restart in between: the stored JSON gives the same run
            restored = c.RunState.from_json(json.loads(json.dumps(state.to_json())))
            assert restored == state
            state = restored
        if state.status == "interrupted":
            event: c.Event = c.Resume()
        elif count < RANDOM_EVENTS:
            event = pick_random(state, buttons, texts, rng)
        else:
            event = pick_finishing(state, buttons, library, rng)
        now += timedelta(seconds=rng.choice([0, 1, 20, 3600]))
        state, effects = advance(library, state, event, now)
    raise AssertionError(
        f"{path.name}: no end after {RANDOM_EVENTS + FINISH_EVENTS} events (seed {seed})"
    )


EXAMPLES = 200  # hypothesis examples per flow ...
WALKS_PER_EXAMPLE = 10  # ... each driving ten walks: 2,000 walks per flow, cheap enough for CI


@pytest.mark.parametrize(
    "path", FLOW_FILES + FIXTURE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_random_walks_always_end_without_errors(path: Path) -> None:
    """2,000 walks per flow: no exception, no Ended('error'), valid effects, and always an end."""
    walks = 0

    @settings(
        max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(seed=st.integers(0, 2**32 - 1), texts=st.lists(st.text(max_size=30), max_size=3))
    def run(seed: int, texts: list[str]) -> None:
        nonlocal walks
        for offset in range(WALKS_PER_EXAMPLE):
            walk(path, seed * WALKS_PER_EXAMPLE + offset, texts)
            walks += 1

    run()
    assert walks >= 2000


def test_there_are_shipped_flows_to_walk() -> None:
    """The walks cover flows/*.yaml; an empty directory would make them pass vacuously."""
    assert len(FLOW_FILES) >= 1


def question_states() -> list[tuple[str, c.RunState]]:
    """A run waiting at each kind of question of the good fixtures (scale, multi, text, choice...)."""
    library = library_for(FIXTURE_FILES[0])
    found: dict[tuple[str, str], c.RunState] = {}
    for flow_id in ("checkin", "kinds"):
        for seed in range(40):
            rng = random.Random(seed)
            state, effects = advance(library, None, c.Start(flow_id, context()), T0)
            buttons: list[c.Button] = []
            for _ in range(40):
                if state.status == "ended":
                    break
                found.setdefault((state.flow_id, state.step), state)
                for effect in effects:
                    if (isinstance(effect, c.Say) and effect.buttons) or isinstance(
                        effect, c.UpdateButtons
                    ):
                        buttons = [b for row in effect.buttons for b in row]
                state, effects = advance(
                    library, state, pick_finishing(state, buttons, library, rng), T0
                )
    return [(f"{flow}.{step}", state) for (flow, step), state in sorted(found.items())]


QUESTIONS = question_states()


@settings(max_examples=1500, deadline=None, database=None)
@given(
    at=st.sampled_from(QUESTIONS),
    text=st.text(max_size=40),
    as_tap=st.booleans(),
)
def test_any_text_or_tap_value_at_any_question_never_errors(
    at: tuple[str, c.RunState], text: str, as_tap: bool
) -> None:
    """Whatever arrives (any Unicode, typed or as the value of a current tap), no error, valid effects."""
    _, state = at
    event: c.Event = c.Tap(f"{state.prompt}:{text}") if as_tap else c.Text(text)
    new_state, effects = advance(
        library_for(FIXTURE_FILES[0]), state, event, T0 + timedelta(seconds=5)
    )
    assert c.Ended("error") not in effects
    check_effects(effects, new_state)
    assert c.RunState.from_json(json.loads(json.dumps(new_state.to_json()))) == new_state


def test_question_states_cover_every_question_kind() -> None:
    """The states above include each kind of question the engine asks."""
    library = library_for(FIXTURE_FILES[0])
    kinds = {type(library.flows[s.flow_id].steps[s.step]).__name__ for _, s in QUESTIONS}
    assert {"ScaleStep", "MultiStep", "TextStep", "ChoiceStep", "WaitStep", "TriageStep"} <= kinds
