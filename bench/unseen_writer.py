"""How the learned layer does on a writer it never saw: train without some corpus files, test on them.

    python bench/unseen_writer.py [--hold-out en_lead9.yaml de_lead9.yaml] [--letters 3-5]

Builds a model exactly as `checkin safety train` does (same folds, C and threshold choice) but
with the held-out files taken out of the training files and put with the held-out slices, then
screens those files with that model: the learned layer alone, and combined with the current
rules. Nothing is written; the shipped model is untouched. docs/safety.md (round 10) records the
figures for the lead's blind round 9. Needs scikit-learn (`.[dev]`). Never prints message text.
"""

from __future__ import annotations

import argparse
import json

from bot.cli.safety import DEFAULT_CORPUS
from bot.safety import screening, training
from bot.safety.learned import LearnedModel
from bot.safety.report import load_corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--hold-out", nargs="+", default=["en_lead9.yaml", "de_lead9.yaml"])
    parser.add_argument("--letters", default=None, help="letter sequences, e.g. 3-5 (default off)")
    args = parser.parse_args()
    held = tuple(args.hold_out)
    training.TRAIN_FILES = tuple(f for f in training.TRAIN_FILES if f not in held)
    training.HELDOUT_FILES = (*training.HELDOUT_FILES, *held)
    if args.letters:
        low, high = (int(x) for x in args.letters.split("-"))
        training.CHAR_NGRAMS = (low, high)
    built = training.train(DEFAULT_CORPUS)
    model = LearnedModel.from_json(json.loads(json.dumps(built)))
    screening.default_model = lambda: model  # type: ignore[assignment]
    print(
        f"features: {'letters ' + args.letters if args.letters else 'words'}; C={built['c']}, "
        f"threshold {built['threshold']}, grouped out-of-fold recall "
        f"{built['out_of_fold_recall']:.1%} on {built['examples']} training messages"
    )
    for name in held:
        examples = load_corpus(DEFAULT_CORPUS / name)
        crisis = [e.text for e in examples if e.label == "crisis"]
        benign = [e.text for e in examples if e.label == "none"]
        alone = sum(bool(screening.learned_alone(t)) for t in crisis)
        alone_fa = sum(bool(screening.learned_alone(t)) for t in benign)
        combined = sum(screening.screen_text(t).level == "crisis" for t in crisis)
        combined_fa = sum(screening.screen_text(t).level == "crisis" for t in benign)
        print(
            f"{name}: learned layer alone {alone} of {len(crisis)} crisis, {alone_fa} of "
            f"{len(benign)} benign raised; combined with the current rules {combined} of "
            f"{len(crisis)}, {combined_fa} of {len(benign)} benign raised"
        )


if __name__ == "__main__":
    main()
