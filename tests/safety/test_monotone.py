"""Saying more never makes a crisis calmer: a crisis stays a crisis when the writer adds when they
will do it or that they mean it ("got the pills saved up, tonight when everyone is asleep" once
screened calm while "got the pills saved up" was a crisis).

Property over the whole labelled corpus, for the rules (whose verdicts are meant to hold), and for
the combined screener on a sentence the learned layer alone reads: it is scored on its own too
(`learned._windows`), so what follows it cannot dilute it."""

from __future__ import annotations

from functools import cache

import pytest

from bot.cli.safety import DEFAULT_CORPUS
from bot.safety import screen_text
from bot.safety.report import load_corpus

# Continuations that add a time, a plan or emphasis, in both languages.
MORE = (
    ", tonight when everyone is asleep",
    ". i have a plan",
    ", heute nacht wenn alle schlafen",
    ". and i mean it",
)


@cache
def _rule_crises() -> tuple[str, ...]:
    texts = (
        e.text
        for path in sorted(DEFAULT_CORPUS.glob("*.yaml"))
        for e in load_corpus(path)
        if e.label == "crisis"
    )
    return tuple(t for t in texts if screen_text(t, learned=False).level == "crisis")


@pytest.mark.parametrize("more", MORE)
def test_adding_a_time_or_emphasis_never_lowers_a_rule_crisis(more: str) -> None:
    crises = _rule_crises()
    assert len(crises) > 1500
    lowered = [t for t in crises if screen_text(t + more, learned=False).level != "crisis"]
    assert lowered == []


@pytest.mark.parametrize("more", MORE)
def test_a_sentence_the_layer_reads_stays_a_crisis_whatever_follows(more: str) -> None:
    text = "got the pills saved up finally"
    assert screen_text(text).level == "crisis"
    assert screen_text(text + more).level == "crisis"


def test_the_stockpile_told_object_first_with_a_time() -> None:
    result = screen_text("got the pills saved up, tonight when everyone is asleep")
    assert result.level == "crisis"
    assert result.category == "plan_or_preparation"
