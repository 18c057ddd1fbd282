"""Build the learned layer's model file from the corpus: `checkin safety train`.

Reproducible: the same corpus files give the same model (fixed folds, a deterministic solver,
weights rounded to 4 decimals). scikit-learn is needed only here, at build time (`.[dev]`); the
bot reads the JSON with `learned.py` and no numpy.

What it trains on, and what it never sees:
- `TRAIN_FILES`: the main corpus and the rounds that became training data;
- minus our own held-out split (`own_heldout`: a fixed fifth of those messages, chosen by a hash of
  the text before any training), reported as its own column;
- and minus any message that is also in a held-out slice (`HELDOUT_FILES`: a few German ones of
  round 5 are in de.yaml too); those files are read only for that.

The crisis threshold is chosen on out-of-fold predictions of the training messages alone: the
lowest probability at which the messages the rules leave calm (benign ones, screened `none`)
would be raised to a crisis no more often than `FALSE_ALARM_BUDGET`. The rules already raise
some, and the sum must stay under the 5% target.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.safety.idioms import mask_idioms
from bot.safety.learned import MODEL_FORMAT, content_words, feature_scale, features
from bot.safety.normalize import canonical_text
from bot.safety.report import Example, load_corpora
from bot.safety.screening import CATEGORY_ORDER, screen_text

TRAIN_FILES: tuple[str, ...] = (
    "en.yaml",
    *(f"en_round{n}.yaml" for n in range(1, 7)),
    "en_everyday.yaml",
    "en_everyday2.yaml",
    "en_round9.yaml",
    "en_round10.yaml",
    "en_lead9.yaml",
    "en_lead11.yaml",
    "en_round11.yaml",
    "de.yaml",
    *(f"de_round{n}.yaml" for n in range(1, 7)),
    "de_everyday.yaml",
    "de_everyday2.yaml",
    "de_round9.yaml",
    "de_round10.yaml",
    "de_lead9.yaml",
    "de_lead11.yaml",
    "de_round11.yaml",
)
HELDOUT_FILES = (
    "en_heldout.yaml",
    "de_heldout.yaml",
    "en_heldout7.yaml",
    "de_heldout7.yaml",
    "en_everyday_heldout.yaml",
    "de_everyday_heldout.yaml",
    "en_everyday2_heldout.yaml",
    "de_everyday2_heldout.yaml",
    "en_heldout9.yaml",
    "de_heldout9.yaml",
    "en_heldout12.yaml",
    "de_heldout12.yaml",
)
FALSE_ALARM_BUDGET = 0.02
# Inverse regularisation, chosen by `choose_c`: the grid once flipped between 4, 16 and 64 from run
# to run on a 0.2-point difference in out-of-fold recall. Now the folds keep near-duplicates
# together (`template_groups`), every shuffle is seeded, and the choice takes the strongest
# regularisation within one standard error of the best, so noise cannot move it.
C_GRID = (4.0, 16.0, 64.0)
FOLDS = 5
# Out-of-fold probabilities are averaged over these seeded shuffles: one shuffle moves the chosen
# threshold by several points, which on a corpus this small is noise, not signal.
SEEDS = (0, 1, 2, 3, 4)
# The out-of-fold score of a C: ROC area up to this share of false alarms (see `train`).
SCORE_MAX_FALSE_ALARMS = 0.05
# Letter sequences of 3 to 5 letters per content word (`learned.char_ngrams`), beside the words.
CHAR_NGRAMS: tuple[int, int] | None = None
# Two messages whose content words overlap this much (Jaccard) are variants of one template and
# stay in one fold, so a near-duplicate in the training folds cannot answer for its twin.
SAME_TEMPLATE = 0.5
# A feature must occur in this many messages to get a weight: rarer ones are noise (and size).
MIN_MESSAGES = 2


def own_heldout(text: str) -> bool:
    """One message in five, fixed by its text: our own held-out split, never trained on."""
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16) % 5 == 0


def training_examples(corpus: Path) -> list[Example]:
    paths = [corpus / f for f in HELDOUT_FILES if (corpus / f).exists()]
    held = {e.text for e in load_corpora(paths)}
    return [
        e
        for e in load_corpora(corpus / f for f in TRAIN_FILES)
        if not own_heldout(e.text) and e.text not in held
    ]


def heldout_examples(corpus: Path) -> list[Example]:
    return [e for e in load_corpora(corpus / f for f in TRAIN_FILES) if own_heldout(e.text)]


def corpus_digest(examples: Sequence[Example]) -> str:
    """A fingerprint of the training messages: the shipped model records it, and a test fails
    when the corpus changed but the model was not rebuilt."""
    digest = hashlib.sha256()
    for e in sorted(examples, key=lambda e: (e.source, e.label, e.group, e.text)):
        digest.update(f"{e.source}\t{e.label}\t{e.group}\t{e.text}\n".encode())
    return digest.hexdigest()


def _tokens(text: str) -> list[str]:
    canon = canonical_text(text)
    return mask_idioms(canon, frozenset(canon.split())).split()


def _features(tokens: list[str], sizes: tuple[int, int] | None) -> dict[str, float]:
    found = features(tokens, sizes)
    scale = feature_scale(found)
    return {f: v * scale for f, v in found.items()}


def template_groups(token_lists: Sequence[list[str]]) -> list[int]:
    """A group number per message: messages whose content words overlap by `SAME_TEMPLATE` or
    more are joined (transitively), so variants of one sentence fall in one fold."""
    words = [content_words(t) for t in token_lists]
    parent = list(range(len(words)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_word: dict[str, list[int]] = {}
    for i, ws in enumerate(words):
        for w in ws:
            by_word.setdefault(w, []).append(i)
    for i, ws in enumerate(words):
        if not ws:
            continue
        near = {j for w in ws for j in by_word[w] if j > i}
        for j in near:
            shared = len(ws & words[j])
            if shared / (len(ws) + len(words[j]) - shared) >= SAME_TEMPLATE:
                parent[root(j)] = root(i)
    return [root(i) for i in range(len(words))]


def choose_c(scores: dict[float, list[float]]) -> float:
    """The smallest C (strongest regularisation) whose mean score is within one standard error
    of the best mean: deterministic, and a difference smaller than the noise cannot flip it."""
    means = {c: sum(v) / len(v) for c, v in scores.items()}
    best = max(scores, key=lambda c: (means[c], -c))
    values = scores[best]
    spread = (
        math.sqrt(sum((x - means[best]) ** 2 for x in values) / (len(values) - 1))
        if len(values) > 1
        else 0.0
    )
    error = spread / math.sqrt(len(values))
    return min(c for c in scores if means[c] >= means[best] - error)


def _choose_threshold(probabilities: Sequence[float], calm: Sequence[bool], benign: int) -> float:
    """`calm`: the message is benign and the rules alone screen it `none`."""
    calm_benign = [p for p, c in zip(probabilities, calm, strict=True) if c]
    allowed = math.floor(FALSE_ALARM_BUDGET * benign)
    ranked = sorted(calm_benign, reverse=True)
    # Just above the (allowed+1)-th highest benign probability: at most `allowed` are raised.
    cut = ranked[allowed] if allowed < len(ranked) else 0.5
    return round(min(0.99, max(0.5, cut + 1e-4)), 4)


def train(corpus: Path) -> dict[str, Any]:
    """The model, as the JSON-ready dict `learned.LearnedModel.from_json` reads."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedGroupKFold

    examples = training_examples(corpus)
    tokens = [_tokens(e.text) for e in examples]
    vectors = [_features(t, CHAR_NGRAMS) for t in tokens]
    # Features seen in fewer messages are noise, and would make the file large.
    seen: dict[str, int] = {}
    for v in vectors:
        for f in v:
            seen[f] = seen.get(f, 0) + 1
    vocabulary = sorted(f for f, n in seen.items() if n >= MIN_MESSAGES)
    vectorizer = DictVectorizer(sort=True)
    vectorizer.fit([dict.fromkeys(vocabulary, 1.0)])
    x = vectorizer.transform(vectors)
    y = np.array([int(e.label == "crisis") for e in examples])
    groups = np.array(template_groups(tokens))

    # At run time a message is scored as the best of its windows (the whole text and each
    # sentence, `learned._windows`). The threshold is still chosen on whole messages: chosen on
    # the best window out of fold, it rose from 0.84 to 0.87 and the held-out round-11 set lost 11
    # of 140 crises for 2 fewer false alarms on the corpus (issue 10, round 11).
    def model(c: float) -> Any:
        return LogisticRegression(C=c, max_iter=5000, class_weight="balanced")

    calm = [
        e.label == "none" and screen_text(e.text, learned=False).level == "none" for e in examples
    ]
    benign = sum(e.label == "none" for e in examples)
    # Out-of-fold probabilities per C and seeded shuffle of the grouped folds.
    oof: dict[float, list[Any]] = {c: [] for c in C_GRID}
    for seed in SEEDS:
        folds = list(
            StratifiedGroupKFold(FOLDS, shuffle=True, random_state=seed).split(x, y, groups)
        )
        for c in C_GRID:
            p = np.zeros(len(y))
            for fit_rows, test_rows in folds:
                p[test_rows] = (
                    model(c).fit(x[fit_rows], y[fit_rows]).predict_proba(x[test_rows])[:, 1]
                )
            oof[c].append(p)
    # Each shuffle gives one sample of the score of C: the area under the ROC curve up to
    # `SCORE_MAX_FALSE_ALARMS` (crisis against the benign messages the rules leave calm), which
    # reads the whole low-false-alarm region, where recall at one threshold jumps with a message.
    judged = np.array([yi == 1 or c for yi, c in zip(y, calm, strict=True)])
    scores = {
        c: [
            float(roc_auc_score(y[judged], p[judged], max_fpr=SCORE_MAX_FALSE_ALARMS))
            for p in oof[c]
        ]
        for c in C_GRID
    }
    c = choose_c(scores)
    averaged = np.mean(oof[c], axis=0)
    threshold = _choose_threshold(list(averaged), calm, benign)
    recall = float(np.mean(averaged[y == 1] >= threshold))
    crisis = model(c).fit(x, y)

    crisis_rows = [i for i, e in enumerate(examples) if e.label == "crisis"]
    labels = [examples[i].group for i in crisis_rows]
    categories = [cat for cat in CATEGORY_ORDER if cat in set(labels)]
    which = LogisticRegression(C=16.0, max_iter=5000, class_weight="balanced")
    which.fit(x[crisis_rows], labels)
    order = [list(which.classes_).index(cat) for cat in categories]

    names = vectorizer.get_feature_names_out()
    weights = {
        str(n): round(float(w), 4)
        for n, w in zip(names, crisis.coef_[0], strict=True)
        if abs(w) >= 1e-4
    }
    by_category = {}
    for j, n in enumerate(names):
        row = [round(float(which.coef_[k, j]), 4) for k in order]
        if any(abs(w) >= 1e-4 for w in row):
            by_category[str(n)] = row
    return {
        "format": MODEL_FORMAT,
        "about": (
            "Built by `checkin safety train` from tests/safety/corpus "
            f"({', '.join(TRAIN_FILES)}) minus the own held-out fifth. Do not edit."
        ),
        "examples": len(examples),
        "template_groups": len(set(groups.tolist())),
        "corpus_digest": corpus_digest(examples),
        "c": c,
        "c_scores": {str(k): [round(v, 4) for v in vs] for k, vs in scores.items()},
        "char_ngrams": None if CHAR_NGRAMS is None else list(CHAR_NGRAMS),
        "out_of_fold_recall": round(recall, 4),
        "threshold": threshold,
        "intercept": round(float(crisis.intercept_[0]), 4),
        "weights": weights,
        "categories": categories,
        "category_intercepts": [round(float(which.intercept_[k]), 4) for k in order],
        "category_weights": by_category,
    }


def write_model(model: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model, sort_keys=True, separators=(",", ":")) + "\n", "utf-8")
