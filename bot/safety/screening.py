"""Crisis screening of any client text: `screen_text(text) -> ScreenResult`.

Pure and fast: one normalisation pass, then each rule scans the canonical text once. A match is
ignored when a negation ("not", "never", "no") stands just before it in the same clause with only
filler words in between ("I'm not suicidal", "I would never hurt myself"). A negated crisis
phrase still counts as a concern (`denied_risk`), as does one after "used to" (`past_risk`); a
negation never reaches past the end of its clause, so "I'm not suicidal but I don't see the point
of living" is a crisis.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.safety.lexicon import REASON_ORDER, RULES, Level, Rule
from bot.safety.normalize import CLAUSE_END, canonical_text, squeeze

_NEGATORS = frozenset({"not", "never", "no", "nor", "hardly"})
# Words that may stand between a negation and what it negates ("not REALLY suicidal", "never
# EVEN THOUGHT OF hurting myself"). Anything else (e.g. "not ok I want to die") breaks the link.
# "i" is deliberately absent: a new subject starts a new statement ("no I want to die"), and
# ambivalence such as "I don't think I want to live" should count rather than be cancelled.
# Nor are intensifiers ("so", "this", "more"): "I have never felt so suicidal" is a crisis.
_FILLER_WORDS = (
    "am is are was were be been being do does did have had has would will shall should "
    "could can really actually ever even feeling feel felt think thought going to want "
    "wanted plan plans planning intention intentions intend thoughts of about that "
    "currently anymore any more at all seriously truly a any the like"
)
_FILLERS = frozenset(squeeze(w) for w in _FILLER_WORDS.split())
_CLAUSE_WORDS = frozenset({CLAUSE_END, "but", "though", "although", "however", "yet", "and"})
_WINDOW_TOKENS = 6
_WINDOW_CHARS = 80  # enough for _WINDOW_TOKENS squeezed words; keeps the look-back O(1)
_LEVELS: dict[Level, int] = {"none": 0, "concern": 1, "crisis": 2}
DENIED_RISK = "denied_risk"
PAST_RISK = "past_risk"  # "I used to self-harm": history worth knowing, not a crisis now


# What the person is telling us, most urgent first. Responses, alerts and tests use these names.
Category = Literal[
    "act_under_way",  # an act already happening ("I took all my pills"): a medical emergency
    "plan_or_preparation",  # intent, plan, timing, preparation, goodbyes, methods in the future
    "suicidal_thoughts",  # wish to be dead, active suicidal thoughts
    "self_harm",  # urges, acts, relapse
    "danger_from_others",  # someone is hurting, threatening or trapping the person
    "harm_to_others",  # the person may hurt someone else
]
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
# The reasons of the first lexicon, mapped to the categories above.
_REASON_CATEGORY: dict[str, Category] = {
    "suicidal_ideation": "suicidal_thoughts",
    "passive_death_wish": "suicidal_thoughts",
    "self_harm": "self_harm",
    "harm_to_others": "harm_to_others",
    "in_danger": "danger_from_others",
    "abuse": "danger_from_others",
}


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


def _qualifier(canon: str, start: int) -> str | None:
    """DENIED_RISK or PAST_RISK if a negation or "used to" governs the phrase at `start`.

    It must stand in the same clause, with only filler words in between.
    """
    before = canon[max(0, start - _WINDOW_CHARS) : start].split()
    if start > _WINDOW_CHARS and before:
        before = before[1:]  # the first word may be cut in half
    for word in reversed(before[-_WINDOW_TOKENS:]):
        if word in _NEGATORS:
            return DENIED_RISK
        if word == "used":
            return PAST_RISK
        if word in _CLAUSE_WORDS or word not in _FILLERS:
            return None
    return None


def _first_match(rule: Rule, canon: str) -> tuple[bool, str | None]:
    """(a plain match, else the qualifier of the first qualified match, if any)."""
    qualified: str | None = None
    match = rule.regex.search(canon)
    while match is not None:
        qualifier = _qualifier(canon, match.start() + 1)
        if qualifier is None:
            return True, None
        qualified = qualified or qualifier
        match = rule.regex.search(canon, match.start() + 1)
    return False, qualified


def screen_text(text: str) -> ScreenResult:
    """Screen one piece of client text for crisis or concern; see docs/safety.md for the rules."""
    canon = canonical_text(text)
    reasons: set[str] = set()
    level: Level = "none"
    crisis_rules: dict[Category, str] = {}
    for rule in RULES:
        if rule.reason in reasons:
            continue
        hit, qualifier = _first_match(rule, canon)
        if hit:
            reasons.add(rule.reason)
            level = max(level, rule.level, key=_LEVELS.__getitem__)
            category = _REASON_CATEGORY.get(rule.reason)
            if rule.level == "crisis" and category is not None:
                crisis_rules.setdefault(category, rule.phrase)
        elif qualifier is not None and rule.level == "crisis":
            reasons.add(qualifier)
            level = max(level, "concern", key=_LEVELS.__getitem__)
    ordered = tuple(sorted(reasons, key=REASON_ORDER.__getitem__))
    top = next((c for c in CATEGORY_ORDER if c in crisis_rules), None)
    return ScreenResult(level, ordered, top, None if top is None else crisis_rules[top])
