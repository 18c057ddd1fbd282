"""The learned layer of crisis screening: a linear classifier over words and word pairs.

The rules (`lexicon_*.py`) know the wording someone wrote a rule for; this layer generalises from
the labelled corpus to wording nobody wrote a rule for. It reads the same canonical text as the
rules (normalised, typos folded, idioms masked), so "wnat", "💊" and "killing it" arrive here as
they arrive at the rules.

The model is a JSON file built from the corpus by `checkin safety train` (`training.py`): one
weight per feature for "is this a crisis", and one weight per feature and category for "which
category". Scoring is a few dictionary look-ups per word in pure Python (no numpy at run time), so
it costs about as much as the rules. A text longer than `WINDOW` words is scored sentence by sentence
(and in pairs of sentences), and the highest counts: a crisis sentence at the end of a long diary entry is not
diluted by the rest of the entry.

If the file is missing or malformed the bot screens with the rules alone and logs one ERROR line.
"""

from __future__ import annotations

import json
import logging
import math
import re
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any, cast, get_args

from bot.safety.context import CLAUSE_WORDS, FILLERS, NEGATORS, OTHER_WORDS, SELF_WORDS
from bot.safety.lexicon import Category
from bot.safety.normalize import CLAUSE_END

log = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).resolve().parent / "model" / "screening.json"
MODEL_FORMAT = 1
WINDOW = 48  # words scored together at most (see `_windows`)
_CATEGORIES: tuple[str, ...] = get_args(Category)
_WORD = re.compile(r"\S+")
# Words that carry no content of their own: the evidence for a verdict is the content word that
# weighed most ("stop" in "i want it all to stop"), so the context check looks at who and when
# around it, not at a pronoun.
_NOT_EVIDENCE = SELF_WORDS | OTHER_WORDS | NEGATORS | FILLERS | CLAUSE_WORDS


def features(tokens: list[str]) -> set[str]:
    """The features of a run of canonical tokens: each content word, and each pair of neighbours.

    A pronoun, filler or negation alone is no feature: trained on a corpus where most messages
    are crises, "he", "all" or "of" alone would learn large weights ("he hits me up to chat" as
    danger); in a pair ("he hit", "not going") they keep their meaning."""
    found = {"w:" + w for w in tokens if w not in _NOT_EVIDENCE}
    found.update(f"b:{a} {b}" for a, b in pairwise(tokens))
    return found


@dataclass(frozen=True)
class LearnedVerdict:
    """The classifier's view of one text: the probability of a crisis, the likeliest category,
    and the word that weighed most toward a crisis (offsets in the canonical text), so the
    context rules can judge it as they judge a rule's match."""

    probability: float
    category: Category
    evidence_start: int
    evidence_end: int


@dataclass(frozen=True)
class LearnedModel:
    threshold: float
    intercept: float
    weights: dict[str, float]
    category_intercepts: tuple[float, ...]
    category_weights: dict[str, tuple[float, ...]]
    categories: tuple[Category, ...]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LearnedModel:
        if data.get("format") != MODEL_FORMAT:
            raise ValueError(f"model format {data.get('format')!r}, expected {MODEL_FORMAT}")
        categories = tuple(data["categories"])
        if not categories or not set(categories) <= set(_CATEGORIES):
            raise ValueError(f"unknown categories {categories!r}")
        intercepts = tuple(float(x) for x in data["category_intercepts"])
        by_category = {
            str(k): tuple(float(x) for x in v) for k, v in data["category_weights"].items()
        }
        if len(intercepts) != len(categories) or any(
            len(v) != len(categories) for v in by_category.values()
        ):
            raise ValueError("category weights do not match the categories")
        threshold = float(data["threshold"])
        if not 0.0 < threshold < 1.0:
            raise ValueError(f"threshold {threshold} is not a probability")
        return cls(
            threshold=threshold,
            intercept=float(data["intercept"]),
            weights={str(k): float(v) for k, v in data["weights"].items()},
            category_intercepts=intercepts,
            category_weights=by_category,
            categories=cast(tuple[Category, ...], categories),
        )

    def score(self, canon: str) -> LearnedVerdict | None:
        """The verdict of the highest-scoring window of `canon`, or None for an empty text."""
        spans = [(m.start(), m.end()) for m in _WORD.finditer(canon)]
        if not spans:
            return None
        tokens = [canon[s:e] for s, e in spans]
        best: tuple[float, int, int] | None = None  # logit, first, end
        for first, end in _windows(tokens):
            logit = self._crisis_logit(tokens[first:end])
            if best is None or logit > best[0]:
                best = (logit, first, end)
        assert best is not None
        logit, first, end = best
        top = first + self._evidence(tokens[first:end])
        return LearnedVerdict(
            probability=_sigmoid(logit),
            category=self._category(tokens[first:end]),
            evidence_start=spans[top][0],
            evidence_end=spans[top][1] + 1,  # with the following space, like a rule's match
        )

    def _crisis_logit(self, tokens: list[str]) -> float:
        found = features(tokens)
        scale = 1.0 / math.sqrt(max(1, len(found)))
        return self.intercept + scale * sum(self.weights.get(f, 0.0) for f in found)

    def _evidence(self, tokens: list[str]) -> int:
        """The index of the content word that weighed most toward a crisis."""
        per_word = [self.weights.get("w:" + w, 0.0) for w in tokens]
        for i in range(len(tokens) - 1):
            pair = self.weights.get(f"b:{tokens[i]} {tokens[i + 1]}", 0.0) / 2
            per_word[i] += pair
            per_word[i + 1] += pair
        content = [i for i, w in enumerate(tokens) if w not in _NOT_EVIDENCE] or list(
            range(len(tokens))
        )
        return max(content, key=per_word.__getitem__)

    def _category(self, tokens: list[str]) -> Category:
        found = features(tokens)
        scale = 1.0 / math.sqrt(max(1, len(found)))
        totals = list(self.category_intercepts)
        for f in found:
            row = self.category_weights.get(f)
            if row is not None:
                for i, w in enumerate(row):
                    totals[i] += scale * w
        return self.categories[max(range(len(totals)), key=totals.__getitem__)]


def _windows(tokens: list[str]) -> list[tuple[int, int]]:
    """The stretches of `tokens` scored on their own: the whole text when it is short (the
    corpus messages it learned from are); otherwise each sentence and each pair of neighbouring
    sentences up to `WINDOW` words, and a sentence longer than that in windows overlapping by
    half. Linear in the length of the text."""
    if len(tokens) <= WINDOW:
        return [(0, len(tokens))]
    units: list[tuple[int, int]] = []
    start = 0
    for i, token in enumerate(tokens):
        if token == CLAUSE_END or i == len(tokens) - 1:
            end = i + 1
            step = WINDOW // 2
            for first in range(start, max(start + 1, end - step), step):
                units.append((first, min(end, first + WINDOW)))
            start = end
    windows = list(units)
    for (a, _), (_, b) in pairwise(units):
        if b - a <= WINDOW:
            windows.append((a, b))
    return windows


def _sigmoid(x: float) -> float:
    if x < -60:
        return 0.0
    return 1.0 / (1.0 + math.exp(-x))


def load_model(path: Path) -> LearnedModel | None:
    """The model at `path`, or None (with one ERROR line) if it cannot be read: screening then
    falls back to the rules alone, which is safe but misses wording nobody wrote a rule for."""
    try:
        return LearnedModel.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        log.error(
            "Learned crisis screening is off, screening with the rules alone: cannot load %s (%s). "
            "Rebuild it with `checkin safety train`.",
            path,
            type(error).__name__,
        )
        return None


@cache
def default_model() -> LearnedModel | None:
    """The shipped model, loaded once per process."""
    return load_model(MODEL_PATH)
