"""The learned layer of crisis screening: a linear classifier over words, word pairs and the
letter sequences inside words.

The rules (`lexicon_*.py`) know the wording someone wrote a rule for; this layer generalises from
the labelled corpus to wording nobody wrote a rule for. It reads the same canonical text as the
rules (normalised, typos folded, idioms masked), so "wnat", "💊" and "killing it" arrive here as
they arrive at the rules.

Letter sequences (3 to 5 letters of each content word, `char_ngrams`) let the layer read a word
it never saw through the parts it did: "blister" and "blisters", "runtergespült" and
"runtergeschluckt", "amitriptyline" beside "quetiapine" share pieces that a word feature cannot.

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
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any, cast, get_args

from bot.safety.context import CLAUSE_WORDS, FILLERS, NEGATORS, OTHER_WORDS, SELF_WORDS
from bot.safety.lexicon import Category
from bot.safety.normalize import CLAUSE_END

log = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).resolve().parent / "model" / "screening.json"
MODEL_FORMAT = 2
WINDOW = 48  # words scored together at most (see `_windows`)
# An opening shorter than this is not scored on its own: a few words say too little to raise a
# crisis that the whole text does not.
MIN_OPENING = 4
_CATEGORIES: tuple[str, ...] = get_args(Category)
_WORD = re.compile(r"\S+")
# Words that carry no content of their own: the evidence for a verdict is the content word that
# weighed most ("stop" in "i want it all to stop"), so the context check looks at who and when
# around it, not at a pronoun.
_NOT_EVIDENCE = SELF_WORDS | OTHER_WORDS | NEGATORS | FILLERS | CLAUSE_WORDS


_TOKEN_CACHE_LIMIT = 50_000  # distinct words whose letter-sequence score is kept per model


def word_features(tokens: list[str]) -> set[str]:
    """Each content word, and each pair of neighbours.

    A pronoun, filler or negation alone is no feature: trained on a corpus where most messages
    are crises, "he", "all" or "of" alone would learn large weights ("he hits me up to chat" as
    danger); in a pair ("he hit", "not going") they keep their meaning."""
    found = {"w:" + w for w in tokens if w not in _NOT_EVIDENCE}
    found.update(f"b:{a} {b}" for a, b in pairwise(tokens))
    return found


def char_ngrams(token: str, sizes: tuple[int, int]) -> list[str]:
    """The letter sequences of one word, `<` and `>` marking its ends ("<pil", "ills>")."""
    low, high = sizes
    padded = f"<{token}>"
    return [
        f"c:{padded[i : i + n]}" for n in range(low, high + 1) for i in range(len(padded) - n + 1)
    ]


def content_words(tokens: list[str]) -> set[str]:
    """The distinct words whose letter sequences count: no pronoun, filler or boundary token."""
    return {w for w in tokens if w not in _NOT_EVIDENCE and w != CLAUSE_END}


def features(tokens: list[str], sizes: tuple[int, int] | None) -> dict[str, float]:
    """The features of a run of canonical tokens and their values, as trained and as scored: each
    word feature once, and each letter sequence as often as it occurs in the distinct content
    words (so a word's sequences can be summed once per word and cached, see `_token_score`)."""
    found = dict.fromkeys(word_features(tokens), 1.0)
    if sizes is not None:
        for word in content_words(tokens):
            for gram in char_ngrams(word, sizes):
                found[gram] = found.get(gram, 0.0) + 1.0
    return found


def feature_scale(found: dict[str, float]) -> float:
    """One over the square root of the feature mass: long and short texts weigh alike."""
    return 1.0 / math.sqrt(max(1.0, sum(found.values())))


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
    char_sizes: tuple[int, int] | None = None  # letter sequences read, e.g. (3, 5); None: none
    # word -> (crisis weight of its letter sequences, how many) — a cache, not part of the model
    _token_scores: dict[str, tuple[float, int]] = field(
        default_factory=dict, compare=False, repr=False
    )

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
        sizes = data.get("char_ngrams")
        char_sizes = None if sizes is None else (int(sizes[0]), int(sizes[1]))
        if char_sizes is not None and not 1 <= char_sizes[0] <= char_sizes[1] <= 8:
            raise ValueError(f"letter sequence sizes {sizes!r}")
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
            char_sizes=char_sizes,
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

    def _token_score(self, word: str) -> tuple[float, int]:
        """The summed crisis weight of one word's letter sequences, and their number; cached,
        since the same few thousand words make up most messages."""
        cached = self._token_scores.get(word)
        if cached is None:
            if self.char_sizes is None:
                return (0.0, 0)
            grams = char_ngrams(word, self.char_sizes)
            cached = (sum(self.weights.get(g, 0.0) for g in grams), len(grams))
            if len(self._token_scores) >= _TOKEN_CACHE_LIMIT:
                self._token_scores.clear()
            self._token_scores[word] = cached
        return cached

    def _crisis_logit(self, tokens: list[str]) -> float:
        found = word_features(tokens)
        total = sum(self.weights.get(f, 0.0) for f in found)
        mass = len(found)
        if self.char_sizes is not None:
            for word in content_words(tokens):
                weight, count = self._token_score(word)
                total += weight
                mass += count
        return self.intercept + total / math.sqrt(max(1, mass))

    def _evidence(self, tokens: list[str]) -> int:
        """The index of the content word that weighed most toward a crisis."""
        per_word = [self.weights.get("w:" + w, 0.0) + self._token_score(w)[0] for w in tokens]
        for i in range(len(tokens) - 1):
            pair = self.weights.get(f"b:{tokens[i]} {tokens[i + 1]}", 0.0) / 2
            per_word[i] += pair
            per_word[i + 1] += pair
        content = [i for i, w in enumerate(tokens) if w not in _NOT_EVIDENCE] or list(
            range(len(tokens))
        )
        return max(content, key=per_word.__getitem__)

    def _category(self, tokens: list[str]) -> Category:
        found = features(tokens, self.char_sizes)
        scale = feature_scale(found)
        totals = list(self.category_intercepts)
        for f, value in found.items():
            row = self.category_weights.get(f)
            if row is not None:
                for i, w in enumerate(row):
                    totals[i] += scale * value * w
        return self.categories[max(range(len(totals)), key=totals.__getitem__)]


def _windows(tokens: list[str]) -> list[tuple[int, int]]:
    """The stretches of `tokens` scored on their own: the whole text when it is short (the
    corpus messages it learned from are); otherwise each sentence and each pair of neighbouring
    sentences up to `WINDOW` words, and a sentence longer than that in windows overlapping by
    half. Linear in the length of the text."""
    if len(tokens) <= WINDOW:
        # The whole text, and each opening of it up to a clause end: a crisis stays one when
        # more is said after it ("got the pills saved up, tonight when ..."), which the whole
        # text alone, its weight spread over more words, would not promise.
        return [(0, len(tokens)), *_openings(tokens)]
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


def _openings(tokens: list[str]) -> list[tuple[int, int]]:
    """The text up to each clause end before the last: what was said before more was added."""
    return [
        (0, i)
        for i, token in enumerate(tokens)
        if token == CLAUSE_END and MIN_OPENING <= i < len(tokens) - 1
    ]


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
