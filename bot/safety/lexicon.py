"""The screening rules: which phrases mean crisis, which mean concern, and under which name.

Written in the phrase language of `patterns.py` against canonical text (`normalize.py`), so
"don't", "dont" and "do not" are all written "do not" here, and case, accents, repeated letters
and the listed misspellings never need spelling out.

Deliberately absent: any wording that names a means or method of self-harm. Screening works on
intent and feeling ("hurt myself", "want to die"); a message that only names a method, with no
such phrase, is not caught (the main known limit). docs/safety.md lists every rule verbatim
(a test keeps it in step) and explains the limits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from bot.safety.normalize import squeeze
from bot.safety.patterns import compile_phrase

Level = Literal["none", "concern", "crisis"]

# Reasons in the order they are reported: crisis categories first, then concerns.
CRISIS_REASONS = (
    "suicidal_ideation",
    "passive_death_wish",
    "self_harm",
    "harm_to_others",
    "in_danger",
    "abuse",
)
CONCERN_REASONS = (
    "hopelessness",
    "worthlessness",
    "burden",
    "isolation",
    "death_thoughts",
    "farewell_signs",
    "third_party_risk",
    "unclear_shorthand",
    "past_risk",
    "denied_risk",
)
REASON_ORDER = {name: i for i, name in enumerate(CRISIS_REASONS + CONCERN_REASONS)}

# Shared pieces of phrases.
TO = "(to|2)"
SELF = "(myself|my self)"
PEOPLE = (
    "(him|her|them|you|someone|somebody|anyone|anybody|people|everyone|everybody|others"
    "|my (boss|mom|mum|mother|dad|father|parents|wife|husband|partner|ex|boyfriend|girlfriend"
    "|kid|kids|child|children|baby|son|daughter|brother|sister|family|friend|friends|neighbour"
    "|neighbor|teacher|coworker|colleague|roommate|flatmate|stepdad|stepmom))"
)
INTENT = (
    f"(want {TO}|wanted {TO}|going {TO}|will|am gonna|could|might|need {TO}|plan {TO}"
    f"|planning {TO}|thinking about|think about|thought about|thoughts of|thoughts about"
    f"|urge {TO}|urges {TO}|feel like|tempted {TO}|about {TO}|ready {TO}|trying {TO}|try {TO}"
    "|imagine|imagining|picture|picturing)"
)
SUBJECT = "(he|she|they|someone|somebody|my partner|my husband|my wife|my boyfriend|my girlfriend"
SUBJECT += "|my ex|my dad|my father|my mom|my mum|my mother|my stepdad|my brother|my uncle)"
LIVING = (
    "(living|live|life|being alive|be alive|going on|go on|existing|exist|carrying on"
    "|staying alive|stay alive|being here|waking up)"
)
END_LIFE = (
    "(be dead|not exist|not be alive|not be here any more|stop existing"
    "|die !(for|of|my hair|laughing|from laughing))"
)


# Someone else's suicide ("my brother's suicide", "died by suicide") is bereavement, reported as a
# concern below; the plain word stays a crisis. Fixed-width look-behinds, one per word.
_OTHERS_TEXT = (
    "his her their brother sister friend mom mum dad father mother son daughter uncle aunt cousin"
    " grandfather grandmother grandpa grandma partner husband wife boyfriend girlfriend colleague"
    " classmate"
)
_OTHERS = _OTHERS_TEXT.split()
POSSESSOR = "(" + "|".join([*_OTHERS, "died by"]) + ")"
NOT_SOMEONE_ELSES = "{" + "".join(f"(?<! {squeeze(w)} )" for w in [*_OTHERS, "died by"]) + "}"


@dataclass(frozen=True)
class Rule:
    """One phrase that, when it matches and is not negated, adds `reason` at `level`."""

    reason: str
    level: Level
    phrase: str
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "regex", compile_phrase(self.phrase))


def _rules(reason: str, level: Level, *phrases: str) -> list[Rule]:
    return [Rule(reason, level, phrase) for phrase in phrases]


RULES: tuple[Rule, ...] = tuple(
    _rules(
        "suicidal_ideation",
        "crisis",
        f"{NOT_SOMEONE_ELSES}(suicide|suicidal) !squad",
        "(kill|killing|killed|kills) (myself|my self|meself) !laughing",
        "(end|ending|ended|take|taking|took) my (own)? life",
        "(end|ending) it all",
        "(unalive|unaliving|unalived|un alive)",
        f"(going {TO}|want {TO}|will|might|gonna|about {TO}|plan {TO}|ready {TO}) ctb",
        "{(?<![0-9] )}kms",
        f"(i|me) ~2 (will|want {TO}|going {TO}|should|might|could|need {TO}|about {TO}|wish i could"
        f"|am gonna|gonna|ready {TO}|just) kys",
        f"(want {TO}|wanted {TO}|wanting {TO}|wish {TO}|wish i could|should just|should"
        f"|deserve {TO}|ready {TO}|would like {TO}|long {TO}|longing {TO}|need {TO}|needing {TO}"
        f"|may as well|might as well|better {TO}|plan {TO})"
        f" {END_LIFE}",
        "(goodbye|bye) (forever|cruel world)",
        "(end|ending|ended) myself",
        f"(want {TO}|going {TO}|gonna|should|will|could|might|about {TO}) (of|ofing) myself",
        "(end|ending) things <end>",
    )
    + _rules(
        "passive_death_wish",
        "crisis",
        "better off (dead|gone|without me)",
        "(better|easier|happier) ~2 without me",
        "(wish|wished|hope|hoping) i (was|were|could be) dead",
        "(wish|wished) i (was|were|had|would) never (born|been born)",
        "(wish|wished) i ~1 (did not|could not|would not|did no longer) exist",
        "(wish|wished|hope|hoping|pray|praying) i (die|would die|could die|never wake up"
        "|do not wake up|will not wake up|would not wake up)",
        "rather (be dead|not be alive|not exist|not be here|die !than)",
        f"(not|never|no longer) want {TO} (live|be alive|exist|carry on|go on (any more|<end>|like"
        f" this|living)|be here (any more|<end>|at all|on this earth))",
        f"(not|never|no longer) want {TO} wake up !(early|at|for|so|before|in time|on time|when)",
        "(sleep|asleep) ~3 (never|not) wake up",
        "(sleep|asleep) forever",
        "never wake up (again|<end>)",
        "(what if|if only) i ~1 (did not|never|do not) wake up",
        "can not live (like this|with myself)",
        "can not live any more",
        f"(no|not see ~1|what is ~1|lost ~1|without ~1|not have ~1|not find ~1|not know ~1"
        f"|can not see ~1|can not find ~1) (point|reason|purpose|will) (in|of|to|for)? {LIVING}"
        " !(in|with|at|near|on|there|here|like|under|together|abroad)",
        "(nothing|no one|nobody|not have anything|not have anyone) ~1 (to live|worth living) for",
        "not worth living",
        "life ~2 (pointless|meaningless|not worth it)",
        "(disappear|disappearing|vanish|vanishing) (forever|for good|permanently|and never come"
        " back)",
        f"want {TO} (disappear|vanish) <end>",
        "(stop|stopped|cease) (existing|to exist)",
        "(tired|sick) of (living|being alive|life|existing|being here)"
        " !(in|with|at|on|here|there|like|under|near|out|off|from|together|is)",
        "can not go on (any more|like this|living)? <end>",
        "(care|notice|miss me|matter|be happier|be relieved|be better|be easier) ~3 (if|when) i"
        " (died|die"
        "|was gone|were gone|was dead|were dead|disappeared|was not here|were not here"
        "|was not around|were not around|am gone|am dead)",
        f"(not|do not|no longer) deserve {TO} (live|be alive|exist|be here)",
        f"(not know|not sure|not think) (if|whether|that)? i want {TO}"
        " (live|be alive|be here|go on|exist)",
        "not care (if|whether) i (live|die|wake up)",
        "(thinking|think|thought|thoughts) (about|of)"
        " (dying|being dead|not being here|not existing)",
        "(given|give|giving) up on (life|living)",
        "done with (life|living|being alive|existing|this life)",
        "(no one|nobody) (would|will) miss me",
        "(everyone|everybody|they|people|the world|my family) (would|will) be better off <end>",
        "why (am i|do i|should i) (even|still)? (alive|live|exist|bother living)",
        "point of me <end>",
        "should not (be alive|exist|be here any more|be here <end>)",
        "hate (being alive|living|existing|my existence)"
        " !(in|with|at|on|here|there|like|under|near|out|off|from|together)",
        "feel like dying !(my|of|laughing)",
        f"want {TO} be with my (dead|late)",
        f"want (it|everything|life|it all|all of it|everything all) {TO}"
        " (end|be over) (forever|<end>)",
        f"want (my life|life) {TO} (end|be over)",
    )
    + _rules(
        "self_harm",
        "crisis",
        f"(hurt|hurting|hurted|harm|harming|harmed|injure|injuring|injured|punish|punishing) {SELF}"
        " !(playing|lifting|running|skiing|at the gym|by accident)",
        "self (harm|harming|harmed|harmer|injury|injure|injuring|injured|hurt|hurting)",
        "sh (again|urges|urge|relapse|scars|tonight|today)",
        f"(want {TO}|going {TO}|urge {TO}|urges {TO}|need {TO}|tempted {TO}|i did|relapsed"
        " (on|with|into)?|thinking about|think about|started|stopped|stop) sh",
    )
    + _rules(
        "harm_to_others",
        "crisis",
        f"{INTENT} (kill|hurt|harm|attack|murder|killing|hurting|harming|attacking|murdering)"
        f" {PEOPLE}",
        "(killed|hurt|attacked|murdered) (someone|somebody|a person)",
    )
    + _rules(
        "in_danger",
        "crisis",
        "i (am|feel|am feeling) (unsafe|in danger|not safe) !(to drive|driving)",
        "i (do|can) not feel safe",
        "(not safe|unsafe) (at home|here|with him|with her|with them|around him|around her)",
        "(fear|fearing|scared|afraid|terrified) for my life",
        f"(threatened|threatening|threatens|threaten|tried|trying|try|wants|wanted|going|will) {TO}"
        " (kill|hurt|harm|attack) me",
        f"{SUBJECT} (will|would|is going {TO}|wants {TO}|is gonna) (kill|hurt|harm) me",
        "(scared|afraid|terrified) (he|she|they) (will|is going to|might|could) (kill|hurt) me",
        "(following|stalking) me",
        "(scared|afraid|terrified) (to go|of going) home",
        "(being|been) (followed|stalked)",
    )
    + _rules(
        "abuse",
        "crisis",
        f"{SUBJECT} (hits|hit|beats|beat|abuses|abused|rapes|raped|molests|molested|assaulted"
        "|hurts|slaps|slapped|kicks|kicked) me !(up|back|out|at|in|with the|off|to)",
        "(being|been|was|am|got|getting|were|is) (abused|raped|molested|assaulted|sexually"
        " assaulted|beaten up)",
        "(domestic|sexual|child) (violence|abuse)",
        "sexually abused",
        "abusive (relationship|partner|husband|wife|boyfriend|girlfriend|parent|parents|home"
        "|father|mother|dad|mom|mum)",
        "(touches|touched|touching) me (when|without|and i|even though|against)",
        "(forces|forced|makes|made) me (to)? (have sex|do sexual)",
    )
    + _rules(
        "hopelessness",
        "concern",
        "(hopeless|hopelessness)",
        "(no|lost|lost all|without) hope",
        "no future",
        "(nothing|it) will never (get|be) better",
        "never (going to|gonna) (get|be) better",
        "nothing will ever (get|be) better",
        "what is (even)? the point <end>",
        "i give up <end>",
        "no way out",
        "my life is over",
        "(nothing|no one|nobody) (left|here) for me",
        "no point (in|to)? (trying|anything|any of this)",
        "(i feel|i am|feeling) trapped",
        "can not (take|do|handle|cope with) (it|this|this life|any of this) any more",
        "can not cope",
        f"want (it|this|everything|the pain|this pain) {TO} (stop|end|go away)",
    )
    + _rules(
        "worthlessness",
        "concern",
        "worthless",
        "i am (useless|a failure|nothing|a waste of space|a waste)",
        "i hate (myself|my self|my life)",
        f"deserve {TO} (suffer|be hurt|feel pain|be punished)",
    )
    + _rules(
        "burden",
        "concern",
        "i am (a|such a|just a) burden",
        "burden (to|on) (everyone|everybody|my family|them|people|others)",
    )
    + _rules(
        "isolation",
        "concern",
        "(no one|nobody) (cares|loves me|likes me|would notice|understands)",
        "(all|completely|totally|so) alone",
        "(no one|nobody) to talk to",
        "everyone hates me",
    )
    + _rules(
        "death_thoughts",
        "concern",
        "(thinking|think|thought|thoughts) (about|of) death",
        "my (own)? funeral",
    )
    + _rules(
        "farewell_signs",
        "concern",
        "(giving|gave|give|given) away (my|all my) (things|stuff|belongings|possessions)",
        "(wrote|writing|write|written) (a|my) (goodbye|farewell) (note|letter|message)",
    )
    + _rules(
        "third_party_risk",
        "concern",
        f"{POSSESSOR} (suicide|suicidal)",
        "(kill|killing|killed|hurt|hurting|harm|harming) (himself|herself|themself|themselves)",
    )
    + _rules(
        "unclear_shorthand",
        "concern",
        "kys",
        "(kill|killing) yourself",
        "(go|just) die <end>",
    )
    # German, a first set: clients write in the clinic's languages (docs/safety.md, limits).
    + _rules(
        "suicidal_ideation",
        "crisis",
        "(suizid|suizidal|suizidgedanken|selbstmord|selbstmordgedanken)",
        "(mich|mich selbst) (umbringen|toten)",
        "(bringe|bring) mich (selbst)? um",
        "mir das leben (nehmen|zu nehmen)",
        "(will|mochte|wurde gern|wurde gerne) (sterben|tot sein)",
        "(will|mochte|kann) nicht mehr leben",
        "(allem|alles) ein ende (machen|setzen)",
    )
    + _rules(
        "passive_death_wish",
        "crisis",
        "(besser|lieber) tot",
        "nicht mehr aufwachen",
        "(will|mochte) nicht mehr (da sein|hier sein|existieren)",
        "ohne mich ~3 (besser|leichter)",
    )
    + _rules(
        "self_harm",
        "crisis",
        "mir (etwas|was) antun",
        "mich (selbst)? (verletzen|verletze)",
    )
    + _rules(
        "harm_to_others",
        "crisis",
        "(will|werde|mochte) (ihn|sie|jemanden|euch|dich) (umbringen|toten|verletzen)",
    )
    + _rules(
        "hopelessness",
        "concern",
        "(hat|macht) (alles)? keinen sinn mehr",
        "(hoffnungslos|ausweglos)",
    )
)
