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
from bot.safety.learned import MODEL_FORMAT, features
from bot.safety.normalize import canonical_text
from bot.safety.report import Example, load_corpora
from bot.safety.screening import CATEGORY_ORDER, screen_text

TRAIN_FILES: tuple[str, ...] = (
    "en.yaml",
    *(f"en_round{n}.yaml" for n in range(1, 7)),
    "en_everyday.yaml",
    "en_everyday2.yaml",
    "de.yaml",
    *(f"de_round{n}.yaml" for n in range(1, 7)),
    "de_everyday.yaml",
    "de_everyday2.yaml",
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
)
FALSE_ALARM_BUDGET = 0.02
# Inverse regularisation. A grid of 4, 16 and 64 chosen by out-of-fold recall flipped between its
# values on a 0.2-point difference once the everyday files were added, and 4 gave a loose model
# (threshold 0.73) that raised idioms; 16 is what the shipped model had used before.
C_GRID = (16.0,)
FOLDS = 5
# Out-of-fold probabilities are averaged over this many shuffles: one shuffle moves the chosen
# threshold by several points, which on a corpus this small is noise, not signal.
REPEATS = 3


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


def _features(text: str) -> dict[str, float]:
    canon = canonical_text(text)
    canon = mask_idioms(canon, frozenset(canon.split()))
    found = features(canon.split())
    scale = 1.0 / math.sqrt(max(1, len(found)))
    return dict.fromkeys(found, scale)


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
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    examples = training_examples(corpus)
    vectors = [_features(e.text) for e in examples]
    # Features seen in one message only are noise, and would make the file large.
    seen: dict[str, int] = {}
    for v in vectors:
        for f in v:
            seen[f] = seen.get(f, 0) + 1
    vocabulary = sorted(f for f, n in seen.items() if n >= 2)
    vectorizer = DictVectorizer(sort=True)
    vectorizer.fit([dict.fromkeys(vocabulary, 1.0)])
    x = vectorizer.transform(vectors)
    y = np.array([int(e.label == "crisis") for e in examples])

    def model(c: float) -> Any:
        return LogisticRegression(C=c, max_iter=5000, class_weight="balanced")

    calm = [
        e.label == "none" and screen_text(e.text, learned=False).level == "none" for e in examples
    ]
    benign = sum(e.label == "none" for e in examples)
    best: tuple[float, float, float] | None = None  # recall, C, threshold
    for c in C_GRID:
        oof = np.mean(
            [
                cross_val_predict(
                    model(c),
                    x,
                    y,
                    cv=StratifiedKFold(FOLDS, shuffle=True, random_state=seed),
                    method="predict_proba",
                )[:, 1]
                for seed in range(REPEATS)
            ],
            axis=0,
        )
        threshold = _choose_threshold(list(oof), calm, benign)
        recall = float(np.mean(oof[y == 1] >= threshold))
        if best is None or recall > best[0]:
            best = (recall, c, threshold)
    assert best is not None
    recall, c, threshold = best
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
        "corpus_digest": corpus_digest(examples),
        "c": c,
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
