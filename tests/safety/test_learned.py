"""The learned layer beside the rules: what it adds, what context still stops, how it fails."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from bot.cli.safety import DEFAULT_CORPUS
from bot.safety import learned as learned_module
from bot.safety import screening
from bot.safety.learned import MODEL_PATH, WINDOW, LearnedModel, default_model, load_model
from bot.safety.report import load_corpus
from bot.safety.screening import LEARNED_RULE, learned_alone, screen_text
from bot.safety.training import (
    HELDOUT_FILES,
    corpus_digest,
    own_heldout,
    train,
    training_examples,
)

# Crisis wording no rule reads, that the shipped model recognises (checked below, so these tests
# fail rather than pass vacuously if a retrained model stops recognising them): two slips in
# "took" and "pills" are beyond the rules' typo tolerance, and a means with a place is no rule.
LEARNED_ONLY = "i tkoe all my plils"
LEARNED_ONLY_PLAN = "theres a rope in my car and i know where to go"


@pytest.fixture
def rules_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(screening, "default_model", lambda: None)


def test_the_shipped_model_loads() -> None:
    model = default_model()
    assert model is not None
    assert 0.5 <= model.threshold < 1.0


def test_the_shipped_model_was_built_from_the_current_corpus() -> None:
    """The corpus changed but the model was not rebuilt: run `checkin safety train`."""
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    examples = training_examples(DEFAULT_CORPUS)
    assert data["examples"] == len(examples)
    assert data["corpus_digest"] == corpus_digest(examples), "run `checkin safety train`"


def test_the_model_is_rebuilt_the_same_from_the_corpus() -> None:
    """`checkin safety train` is reproducible: a fresh build scores the corpus as the shipped one."""
    fresh = LearnedModel.from_json(train(DEFAULT_CORPUS))
    shipped = default_model()
    assert shipped is not None
    assert fresh.threshold == pytest.approx(shipped.threshold, abs=0.02)
    examples = training_examples(DEFAULT_CORPUS)
    disagree = 0
    for e in examples:
        canon = f" {' '.join(e.text.lower().split())} "
        a, b = fresh.score(canon), shipped.score(canon)
        assert a is not None
        assert b is not None
        disagree += (a.probability >= fresh.threshold) != (b.probability >= shipped.threshold)
    assert disagree <= len(examples) // 100


def test_training_never_sees_the_held_out_messages() -> None:
    texts = {e.text for e in training_examples(DEFAULT_CORPUS)}
    assert not any(own_heldout(t) for t in texts)
    for name in HELDOUT_FILES:
        assert not texts & {e.text for e in load_corpus(DEFAULT_CORPUS / name)}, name


@pytest.mark.parametrize(
    ("text", "category"),
    [(LEARNED_ONLY, "act_under_way"), (LEARNED_ONLY_PLAN, "plan_or_preparation")],
)
def test_the_layer_raises_wording_no_rule_has(text: str, category: str) -> None:
    assert screen_text(text, learned=False).level == "none"
    assert learned_alone(text) is True
    result = screen_text(text)
    assert result.level == "crisis"
    assert result.reasons == ("learned",)
    assert result.category == category
    assert result.response_kind is not None
    assert result.rule is not None
    assert result.rule.startswith(LEARNED_RULE)


@pytest.mark.parametrize(
    "text",
    [
        "i never tkoe all my plils",  # negation
        # negation ("...in my car..." is no longer raised by the layer alone since the everyday
        # round of issue 10, so it would not test the context check)
        "theres no rope in the car and i dont know where to go",
    ],
)
def test_context_stops_what_the_layer_alone_would_raise(text: str) -> None:
    """The layer alone calls these a crisis; the rules' context check on its evidence does not."""
    assert learned_alone(text) is True
    assert screen_text(text).level != "crisis"


@pytest.mark.parametrize(
    "text",
    [
        "years ago i tkoe all my plils",  # the past
        "my sister tkoe all her plils",  # someone else
        "in the film she tkoe all her plils",  # a report
        "my brother says theres a rope in his car and he knows where to go",
        "i used to think theres a rope in my car and i know where to go",
    ],
)
def test_context_keeps_the_combined_screener_calm(text: str) -> None:
    assert screen_text(text).level != "crisis"


def test_a_concern_the_rules_read_is_not_overruled() -> None:
    """ "my life is over" is hopelessness (a concern) for the rules; the layer, which would call it
    a crisis on its own, does not overrule words the rules have read."""
    assert learned_alone("my life is over") is True
    assert screen_text("my life is over").level == "concern"


def test_the_rules_context_stops_the_layer_where_the_rules_matched() -> None:
    """A crisis phrase that the rules lowered (someone else's) is not raised again."""
    text = "my brother attempted suicide last year and he is doing much better now"
    assert screen_text(text).level == screen_text(text, learned=False).level != "crisis"


def test_a_long_text_is_scored_in_windows() -> None:
    """A crisis sentence at the end of a long, calm diary entry is not diluted by the rest."""
    diary = "today was long and i went for a walk in the park after work . " * 60
    assert len(diary.split()) > 4 * WINDOW
    assert screen_text(diary).level == "none"
    assert screen_text(diary + LEARNED_ONLY).level == "crisis"


def test_without_the_model_the_rules_alone_screen(rules_only: None) -> None:
    assert screen_text(LEARNED_ONLY).level == "none"
    assert screen_text(LEARNED_ONLY_PLAN).level == "none"
    assert screen_text("I took all my pills").level == "crisis"
    assert learned_alone(LEARNED_ONLY) is None


@pytest.mark.parametrize(
    "content",
    ["", "{", "[]", '{"format": 99}', '{"format": 1, "threshold": 2}'],
)
def test_a_broken_model_file_gives_one_error_line_and_no_model(
    tmp_path: Path, content: str, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "screening.json"
    path.write_text(content, encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger=learned_module.__name__):
        assert load_model(path) is None
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert "rules alone" in errors[0].getMessage()


def test_a_missing_model_file_gives_no_model(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger=learned_module.__name__):
        assert load_model(tmp_path / "absent.json") is None
    assert len(caplog.records) == 1


def test_a_failing_layer_leaves_the_rules_verdict(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A bug in the layer must never cost a crisis verdict, nor raise."""

    class Broken:
        threshold = 0.5

        def score(self, canon: str) -> None:
            raise RuntimeError("boom")

    monkeypatch.setattr(screening, "default_model", lambda: Broken())
    with caplog.at_level(logging.ERROR):
        assert screen_text(LEARNED_ONLY).level == "none"
        assert screen_text("my life is over").level == "concern"
    assert screen_text("I took all my pills").level == "crisis"
    assert any("rules' verdict stands" in r.getMessage() for r in caplog.records)
