"""The learned layer beside the rules: what it adds, what context still stops, how it fails."""

from __future__ import annotations

import json
import logging
import math
from pathlib import Path

import pytest

from bot.cli.safety import DEFAULT_CORPUS
from bot.safety import learned as learned_module
from bot.safety import screening
from bot.safety.learned import (
    MODEL_PATH,
    WINDOW,
    LearnedModel,
    default_model,
    feature_scale,
    features,
    load_model,
)
from bot.safety.report import load_corpus
from bot.safety.screening import LEARNED_RULE, learned_alone, screen_text
from bot.safety.training import (
    HELDOUT_FILES,
    choose_c,
    corpus_digest,
    own_heldout,
    template_groups,
    train,
    training_examples,
)

# Crisis wording no rule reads, that the shipped model recognises (checked below, so these tests
# fail rather than pass vacuously if a retrained model stops recognising them): two slips in
# "took" and "pills" are beyond the rules' typo tolerance, and a means with a place is no rule.
LEARNED_ONLY = "i swalowed all my plils"
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
        "i never swalowed all my plils",  # negation
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
    """ "ich will einfach nicht mehr" is hopelessness (a concern) for the rules; the layer, which
    would call it a crisis on its own, does not overrule words the rules have read."""
    assert learned_alone("ich will einfach nicht mehr") is True
    assert screen_text("ich will einfach nicht mehr").level == "concern"


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


def test_near_duplicates_share_a_fold_group() -> None:
    """Variants of one sentence are one group, so a twin in the training folds cannot answer for
    it; unrelated messages are not joined."""
    texts = [
        "i took all my pills tonight",
        "i took all my pills tonight lol",
        "took all my pills tonight",
        "went for a walk by the river",
    ]
    groups = template_groups([t.split() for t in texts])
    assert groups[0] == groups[1] == groups[2]
    assert groups[3] != groups[0]


def test_the_choice_of_c_is_deterministic_and_ignores_noise() -> None:
    """The strongest regularisation within one standard error of the best mean wins; ties and
    differences smaller than the noise cannot flip it."""
    assert (
        choose_c({4.0: [0.60, 0.62, 0.61], 16.0: [0.61, 0.63, 0.60], 64.0: [0.6, 0.61, 0.62]})
        == 4.0
    )
    assert (
        choose_c({4.0: [0.50, 0.51, 0.50], 16.0: [0.60, 0.61, 0.60], 64.0: [0.60, 0.61, 0.6]})
        == 16.0
    )
    assert choose_c({4.0: [0.5], 16.0: [0.5]}) == 4.0


def test_the_shipped_model_records_how_it_was_chosen() -> None:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert data["c"] in (4.0, 16.0, 64.0)
    assert set(data["c_scores"]) == {"4.0", "16.0", "64.0"}
    assert data["template_groups"] < data["examples"]


def test_letter_sequences_score_as_they_were_trained() -> None:
    """With letter sequences on, the cached per-word scoring equals the plain sum over the
    training features, so the run-time shortcut cannot drift from what was learned."""
    tokens = ["i", "took", "all", "my", "pils", ".", "blister", "packs", "blister"]
    found = features(tokens, (3, 5))
    assert found["c:<bli"] == 1.0  # counted once per distinct word
    weights = {f: (0.01 * (i % 7) - 0.02) for i, f in enumerate(sorted(found))}
    model = LearnedModel(
        threshold=0.5,
        intercept=-0.3,
        weights=weights,
        category_intercepts=(0.0,),
        category_weights={},
        categories=("act_under_way",),
        char_sizes=(3, 5),
    )
    expected = -0.3 + sum(weights[f] * v for f, v in found.items()) * feature_scale(found)
    verdict = model.score(" " + " ".join(tokens) + " ")
    assert verdict is not None
    assert verdict.probability == pytest.approx(1 / (1 + math.exp(-expected)))


def test_a_joking_threat_the_layer_reads_is_a_concern(monkeypatch: pytest.MonkeyPatch) -> None:
    """As for a rule: a threat in a joking tone is `unclear_threat`, not a crisis. A model that
    reads the threat words as danger stands in for the shipped one, whose reading of this
    sentence moves with every retraining (the round-10 model scores it below its threshold)."""
    text = "meine mutter bringt mich um wenn sie das sieht haha"
    reads_threats = LearnedModel(
        threshold=0.5,
        intercept=-1.0,
        weights={"w:bringt": 3.0, "b:bringt mich": 3.0, "b:mich um": 3.0},
        category_intercepts=(0.0,),
        category_weights={},
        categories=("danger_from_others",),
    )
    monkeypatch.setattr(screening, "default_model", lambda: reads_threats)
    result = screen_text(text)
    assert result.level == "concern"
    assert "unclear_threat" in result.reasons
