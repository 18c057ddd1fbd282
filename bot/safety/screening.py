"""Crisis screening of any client text: `screen_text(text) -> ScreenResult`.

Pure and fast. The text is normalised once (`normalize.py`), idioms are masked (`idioms.py`), and
each rule (`lexicon_en.py`, `lexicon_de.py`) whose trigger words occur is matched. A crisis match
then goes through context (`context.py`): a negation, the past, someone else, or a report (news,
training, a film) lowers it to a concern, or for someone else's past and for reports to nothing,
unless the message also speaks of the writer and a risk word elsewhere (then a concern). A
negation never reaches past the end of its clause, so "I'm not suicidal but I don't see the point
of living" is a crisis.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Literal

from bot.safety.context import (
    NEGATORS,
    clause_bounds,
    first_person_risk,
    joking,
    judge,
    qualifier,
    retracted,
)
from bot.safety.idioms import mask_idioms
from bot.safety.learned import LearnedModel, default_model
from bot.safety.lexicon import (
    LEARNED_REASON,
    REASON_CATEGORY,
    REASON_ORDER,
    RULES,
    Category,
    Level,
    Rule,
)
from bot.safety.normalize import canonical_text
from bot.safety.patterns import can_match

__all__ = [
    "CATEGORY_ORDER",
    "RESPONSE_KIND",
    "Category",
    "ResponseKind",
    "ScreenResult",
    "screen_text",
]

log = logging.getLogger(__name__)

_LEVELS: dict[Level, int] = {"none": 0, "concern": 1, "crisis": 2}
DENIED_RISK = "denied_risk"
PAST_RISK = "past_risk"
LEARNED_RULE = "learned classifier"  # the `rule` of a crisis only the classifier saw

CATEGORY_ORDER: tuple[Category, ...] = (
    "act_under_way",
    "plan_or_preparation",
    "suicidal_thoughts",
    "self_harm",
    "danger_from_others",
    "harm_to_others",
)
# Which response text each category gets (bot.safety.crisis): an act under way is an emergency
# first; danger from another person gets safety-aware wording without suicide framing.
ResponseKind = Literal["emergency", "suicidal", "self_harm", "danger", "harm_to_others"]
RESPONSE_KIND: dict[Category, ResponseKind] = {
    "act_under_way": "emergency",
    "plan_or_preparation": "suicidal",
    "suicidal_thoughts": "suicidal",
    "self_harm": "self_harm",
    "danger_from_others": "danger",
    "harm_to_others": "harm_to_others",
}
# Lowered verdicts and the concern they become ("other_past" and "reported" only when the writer
# also speaks of themselves and a risk word; otherwise nothing).
_CONCERN_FOR = {
    "denied": DENIED_RISK,
    "past": PAST_RISK,
    "other": "third_party_risk",
    "other_past": "third_party_risk",
    "reported": "reported_context",
}
_PHRASE_WORD = re.compile(r"[a-z]+")
_THREAT_WORDS = frozenset({"kil", "murder", "kiling", "kils"})


@dataclass(frozen=True)
class ScreenResult:
    """The verdict on one text: a level, the names of the reasons that matched, and for a crisis
    the most urgent category with the rule (its phrase) that put it there."""

    level: Level
    reasons: tuple[str, ...] = ()
    category: Category | None = None
    rule: str | None = None

    @property
    def response_kind(self) -> ResponseKind | None:
        return None if self.category is None else RESPONSE_KIND[self.category]

    @property
    def is_crisis(self) -> bool:
        return self.level == "crisis"


@dataclass(frozen=True)
class _Prepared:
    rule: Rule
    category: Category | None
    negatable: bool  # the phrase has no negation of its own
    about_self_only: bool  # someone else in the subject makes it not the writer's risk


def _prepare(rule: Rule) -> _Prepared:
    category = REASON_CATEGORY.get(rule.reason)
    own_negation = any(w in NEGATORS for w in _PHRASE_WORD.findall(rule.phrase))
    return _Prepared(
        rule,
        category,
        negatable=not own_negation,
        about_self_only=category not in ("danger_from_others", "harm_to_others"),
    )


_PREPARED: tuple[_Prepared, ...] = tuple(_prepare(rule) for rule in RULES)


def _index() -> tuple[tuple[int, ...], dict[str, tuple[int, ...]]]:
    """Rules without triggers, and for each word the rules whose rarest trigger set holds it: a
    text's words then name the few rules worth checking, instead of checking all of them."""
    always: list[int] = []
    by_word: dict[str, list[int]] = {}
    for i, p in enumerate(_PREPARED):
        if not p.rule.trigger:
            always.append(i)
            continue
        for word in min(p.rule.trigger, key=len):
            by_word.setdefault(word, []).append(i)
    return tuple(always), {w: tuple(rules) for w, rules in by_word.items()}


_ALWAYS, _BY_WORD = _index()


def _candidates(words: frozenset[str]) -> list[int]:
    found = set(_ALWAYS)
    for word in words:
        found.update(_BY_WORD.get(word, ()))
    return sorted(found)


class _Verdicts:
    """What the rules found in one text, gathered before the final level is decided."""

    def __init__(self) -> None:
        self.reasons: set[str] = set()
        self.crisis: dict[Category, str] = {}
        self.lowered: dict[str, bool] = {}  # concern reason -> needs first-person risk words
        self.lowered_spans: list[tuple[int, int]] = []
        self.concern_spans: list[tuple[int, int]] = []  # where concern rules matched


def _crisis_match(p: _Prepared, canon: str, found: _Verdicts) -> None:
    match = p.rule.regex.search(canon)
    while match is not None:
        start, end = match.start() + 1, match.end()
        verdict = judge(canon, start, end, negatable=p.negatable, about_self_only=p.about_self_only)
        if verdict == "plain":
            if p.category in ("danger_from_others", "harm_to_others") and _is_joke(
                p, canon, start, end
            ):
                found.lowered.setdefault("unclear_threat", False)
            elif p.category != "act_under_way" and retracted(canon, end):
                found.lowered.setdefault(DENIED_RISK, False)
            else:
                assert p.category is not None
                found.reasons.add(p.rule.reason)
                found.crisis.setdefault(p.category, p.rule.phrase)
                return
        else:
            conditional = verdict in ("other_past", "reported")
            reason = _CONCERN_FOR[verdict]
            found.lowered[reason] = found.lowered.get(reason, True) and conditional
            if conditional:
                found.lowered_spans.append(clause_bounds(canon, start, end))
        match = p.rule.regex.search(canon, match.start() + 1)


def _is_joke(p: _Prepared, canon: str, start: int, end: int) -> bool:
    words = set(canon[start:end].split())
    if p.category == "danger_from_others" and not words & _THREAT_WORDS:
        return False
    return joking(canon, start, end)


def _concern_match(p: _Prepared, canon: str, found: _Verdicts) -> None:
    match = p.rule.regex.search(canon)
    while match is not None:
        if qualifier(canon, match.start() + 1) is None:
            found.reasons.add(p.rule.reason)
            found.concern_spans.append((match.start() + 1, match.end()))
            return
        match = p.rule.regex.search(canon, match.start() + 1)


def _blank(canon: str, spans: list[tuple[int, int]]) -> str:
    chars = list(canon)
    for start, end in spans:
        chars[start:end] = " " * len(chars[start:end])
    return "".join(chars)


def screen_text(text: str, *, learned: bool = True) -> ScreenResult:
    """Screen one piece of client text for crisis or concern; see docs/safety.md for the rules.

    `learned=False` screens with the rules alone (the report shows both side by side)."""
    canon = canonical_text(text)
    words = frozenset(canon.split())
    canon = mask_idioms(canon, words)
    words = frozenset(canon.split())
    found = _Verdicts()
    for i in _candidates(words):
        p = _PREPARED[i]
        if p.rule.reason in found.reasons or not can_match(p.rule.trigger, words):
            continue
        if p.rule.level == "crisis":
            _crisis_match(p, canon, found)
        else:
            _concern_match(p, canon, found)
    level: Level = "crisis" if found.crisis else "none"
    if found.reasons - set(REASON_CATEGORY):
        level = max(level, "concern", key=_LEVELS.__getitem__)
    elsewhere: bool | None = None
    for reason, conditional in found.lowered.items():
        if conditional:
            if elsewhere is None:
                elsewhere = first_person_risk(_blank(canon, found.lowered_spans))
            if not elsewhere:
                continue
        found.reasons.add(reason)
        level = max(level, "concern", key=_LEVELS.__getitem__)
    if learned and level != "crisis" and not found.lowered:
        model = default_model()
        if model is not None:
            return _with_learned(model, canon, found, level)
    return _result(found, level)


def learned_alone(text: str) -> bool | None:
    """Whether the learned layer by itself, without rules or context, calls `text` a crisis
    (None when the model is not loaded). For the report: how far the layer generalises."""
    model = default_model()
    if model is None:
        return None
    canon = canonical_text(text)
    verdict = model.score(mask_idioms(canon, frozenset(canon.split())))
    return verdict is not None and verdict.probability >= model.threshold


def _result(found: _Verdicts, level: Level) -> ScreenResult:
    ordered = tuple(sorted(found.reasons, key=REASON_ORDER.__getitem__))
    top = next((c for c in CATEGORY_ORDER if c in found.crisis), None)
    return ScreenResult(level, ordered, top, None if top is None else found.crisis[top])


def _with_learned(model: LearnedModel, canon: str, found: _Verdicts, level: Level) -> ScreenResult:
    """The rules found no crisis and no context that lowered one: the classifier may raise the
    text to a crisis, but its strongest word goes through the same context check as a rule's
    match, so "my brother wants to die" or "I am not going to do it tonight" stays calm here too.
    Where a concern rule read that word ("my life is over": hopelessness), its verdict stands: the
    layer adds what the rules did not read, it does not overrule what they did.
    """
    try:
        verdict = model.score(canon)
    except Exception as error:  # a bug here must never cost the rules' verdict
        log.error(
            "Learned crisis screening failed (%s); the rules' verdict stands.", type(error).__name__
        )
        return _result(found, level)
    if verdict is None or verdict.probability < model.threshold:
        return _result(found, level)
    if any(a <= verdict.evidence_start < b for a, b in found.concern_spans):
        return _result(found, level)  # the rules read these words already, and chose concern
    about_self_only = verdict.category not in ("danger_from_others", "harm_to_others")
    context = judge(
        canon,
        verdict.evidence_start,
        verdict.evidence_end,
        negatable=True,
        about_self_only=about_self_only,
    )
    if context != "plain":
        return _result(found, level)
    if not about_self_only and joking(
        canon, verdict.evidence_start, min(len(canon), verdict.evidence_end)
    ):
        # "meine mutter bringt mich um wenn sie das sieht haha": a joking threat, as for a rule.
        found.reasons.add("unclear_threat")
        return _result(found, max(level, "concern", key=_LEVELS.__getitem__))
    found.reasons.add(LEARNED_REASON)
    found.crisis[verdict.category] = f"{LEARNED_RULE} (p={verdict.probability:.2f})"
    return _result(found, "crisis")
