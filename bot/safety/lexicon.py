"""All screening rules, the reasons they report and the crisis category of each reason.

The rules themselves are in `lexicon_en.py` and `lexicon_de.py`; idioms that must never count are
in `idioms.py`; context (negation, the past, other people, news and training) in `context.py`.
docs/safety.md lists every rule, generated from here (`checkin safety report`).
"""

from __future__ import annotations

from typing import Literal

from bot.safety.lexicon_de import RULES_DE
from bot.safety.lexicon_en import RULES_EN
from bot.safety.lexicon_phenomena import RULES_PHENOMENA_DE, RULES_PHENOMENA_EN
from bot.safety.lexicon_shapes import RULES_SHAPES_CONCERN, RULES_SHAPES_DE, RULES_SHAPES_EN
from bot.safety.lexicon_structure import RULES_STRUCTURE_DE, RULES_STRUCTURE_EN
from bot.safety.lexicon_understatement import (
    RULES_UNDERSTATEMENT_DE,
    RULES_UNDERSTATEMENT_EN,
)
from bot.safety.lexicon_voices import (
    RULES_VOICES_DE,
    RULES_VOICES_DE_2,
    RULES_VOICES_DE_3,
    RULES_VOICES_EN,
    RULES_VOICES_EN_2,
    RULES_VOICES_EN_3,
)
from bot.safety.rule import Level, Rule

__all__ = [
    "CONCERN_REASONS",
    "CRISIS_REASONS",
    "LEARNED_REASON",
    "REASON_CATEGORY",
    "REASON_ORDER",
    "RULES",
    "Category",
    "Level",
    "Rule",
]

# What the person is telling us, most urgent first. Responses, alerts and tests use these names.
Category = Literal[
    "act_under_way",  # an act already happening ("I took all my pills"): a medical emergency
    "plan_or_preparation",  # intent, plan, timing, preparation, goodbyes, methods in the future
    "suicidal_thoughts",  # wish to be dead, active suicidal thoughts
    "self_harm",  # urges, acts, relapse
    "danger_from_others",  # someone is hurting, threatening or trapping the person
    "harm_to_others",  # the person may hurt someone else
]

# Every crisis reason belongs to exactly one category (the finer name says which rule family).
REASON_CATEGORY: dict[str, Category] = {
    "act_under_way": "act_under_way",
    "plan": "plan_or_preparation",
    "method_mention": "plan_or_preparation",
    "preparation": "plan_or_preparation",
    "goodbye": "plan_or_preparation",
    "suicidal_ideation": "suicidal_thoughts",
    "passive_death_wish": "suicidal_thoughts",
    "self_harm": "self_harm",
    "in_danger": "danger_from_others",
    "abuse": "danger_from_others",
    "harm_to_others": "harm_to_others",
}
CRISIS_REASONS = tuple(REASON_CATEGORY)
CONCERN_REASONS = (
    "hopelessness",
    "worthlessness",
    "burden",
    "isolation",
    "death_thoughts",
    "third_party_risk",  # someone else at risk, or someone else's suicide (bereavement)
    "unclear_shorthand",  # "kys" and the like aimed at someone else
    "unclear_threat",  # "my husband will kill me when he sees the bill": a joke, or not
    "relapse",  # "relapsed", "3 months sober gone": substance use or self-harm, unclear which
    "past_risk",  # risk in the past: "I used to cut", "I attempted years ago"
    "denied_risk",  # a crisis phrase under a negation: "I'm not suicidal"
    "reported_context",  # news, training, a film, with first-person risk words elsewhere
)
# A crisis that no rule matched but the learned layer (`learned.py`) recognised, in context.
LEARNED_REASON = "learned"
REASON_ORDER = {
    name: i for i, name in enumerate((*CRISIS_REASONS, LEARNED_REASON, *CONCERN_REASONS))
}
RULES: tuple[Rule, ...] = (
    RULES_EN
    + RULES_PHENOMENA_EN
    + RULES_STRUCTURE_EN
    + RULES_SHAPES_EN
    + RULES_VOICES_EN
    + RULES_VOICES_EN_2
    + RULES_VOICES_EN_3
    + RULES_UNDERSTATEMENT_EN
    + RULES_DE
    + RULES_PHENOMENA_DE
    + RULES_STRUCTURE_DE
    + RULES_SHAPES_DE
    + RULES_VOICES_DE
    + RULES_VOICES_DE_2
    + RULES_VOICES_DE_3
    + RULES_UNDERSTATEMENT_DE
    + RULES_SHAPES_CONCERN
)


def _check() -> None:
    known = set(CRISIS_REASONS) | set(CONCERN_REASONS)
    for rule in RULES:
        if rule.reason not in known or (rule.level == "crisis") != (rule.reason in REASON_CATEGORY):
            raise ValueError(
                f"Screening rule {rule.phrase!r} has reason {rule.reason!r} at level "
                f"{rule.level!r}; add the reason to bot/safety/lexicon.py."
            )


_check()
