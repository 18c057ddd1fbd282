"""Context around a matched crisis phrase: is it denied, in the past, about someone else, or part of
a report (news, a training, a film)? English and German.

Each check looks at the canonical text (`normalize.py`) near the match, never further than its own
clause (punctuation and words such as "and", "but", "aber" end a clause), except the look-back for
a past marker, which may reach into a short clause just before ("when I was 15, I ...").

The verdicts, from `judge`:
- PLAIN: first person, present: the match counts as what its rule says (a crisis).
- DENIED: a negation governs it ("I'm not suicidal", "he has never hit me").
- PAST: history ("I used to cut", "I attempted years ago", "2 years clean").
- OTHER: someone else ("my brother attempted suicide", "she took all her pills").
- OTHER_PAST: someone else, in the past ("... last year and he's doing much better now").
- REPORTED: news, training, documentaries, books, classes.
"""

from __future__ import annotations

import re
from typing import Literal

from bot.safety.normalize import CLAUSE_END, canon_word, squeeze
from bot.safety.patterns import compile_phrase

Verdict = Literal["plain", "denied", "past", "other", "other_past", "reported"]


def _canon_set(words: str) -> frozenset[str]:
    return frozenset(t for w in words.split() for t in canon_word(w))


NEGATORS = _canon_set("not never no nor hardly nicht nie niemals kein keine keinen nimmer")
# Words that may stand between a negation and what it negates ("not REALLY suicidal", "never
# EVEN THOUGHT OF hurting myself"). Anything else (e.g. "not ok I want to die") breaks the link.
# "i" is deliberately absent: a new subject starts a new statement ("no I want to die").
# Nor are intensifiers ("so", "this", "more"): "I have never felt so suicidal" is a crisis.
FILLERS = frozenset(
    squeeze(w)
    for w in [
        "am",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "do",
        "does",
        "did",
        "have",
        "had",
        "has",
        "would",
        "will",
        "shall",
        "should",
        "could",
        "can",
        "really",
        "actually",
        "ever",
        "even",
        "feeling",
        "feel",
        "felt",
        "think",
        "thought",
        "going",
        "to",
        "want",
        "wanted",
        "plan",
        "plans",
        "planning",
        "intention",
        "intentions",
        "intend",
        "thoughts",
        "of",
        "about",
        "that",
        "currently",
        "anymore",
        "any",
        "more",
        "at",
        "all",
        "seriously",
        "truly",
        "a",
        "any",
        "the",
        "like",
        "bin",
        "ist",
        "war",
        "habe",
        "hab",
        "hatte",
        "wirklich",
        "gar",
        "ganz",
        "echt",
        "eigentlich",
        "mich",
        "mir",
        "ich",
        "will",
        "mochte",
        "mehr",
    ]
)
CLAUSE_WORDS = _canon_set(
    "but though although however yet and so because cause cuz aber und doch sondern obwohl weil"
    " denn also"
) | {CLAUSE_END}
WINDOW_TOKENS = 6

SELF_WORDS = _canon_set("i me my myself mine ich mich mir mein meine meinen meinem meiner")
# Who else a sentence can be about. A possessive ("his", "her") inside the match also says so.
OTHER_WORDS = _canon_set(
    "he she they his her their him them himself herself themselves themself brother sister friend"
    " friends mom mum mother dad father son daughter uncle aunt cousin grandpa grandma grandfather"
    " grandmother nan gran partner husband wife boyfriend girlfriend bf gf colleague coworker"
    " classmate roommate flatmate neighbour neighbor patient patients client clients student"
    " students kid kids child children teenager teen teens man woman guy girl boy people someone"
    " somebody celebrity singer actor actress character ex fiance fiancee niece nephew stepdad"
    " stepmom stepmum bestie bff mate mates er ihr ihm ihn sein seine seiner ihre ihrer bruder"
    " schwester freund freundin mutter vater mama papa sohn tochter kollege kollegin onkel tante"
    " cousine oma opa nachbar nachbarin jemand leute"
)
# Possessives and pronouns that, inside a match, make it about someone else ("all HER pills").
OTHER_IN_MATCH = _canon_set("his her their himself herself themselves themself seine ihre sich")


def _phrases(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(compile_phrase(p).pattern for p in patterns))


PAST = _phrases(
    "used to",
    "(years|yrs|months|decades|ages|a year|a while|a long time) ago",
    "last (year|summer|winter|spring|autumn|fall|decade)",
    "(when|while) (i was|i were|we were|he was|she was) ~3",
    "as a (teen|teenager|kid|child|student|young adult|little girl|little boy)",
    "in (my|the|his|her) (teens|twenties|20s|past|school days|teenage years|youth|uni days"
    "|university days|childhood)",
    "back (then|in (the day|school|high school|uni|college|my))",
    "(in|during|at) (high school|secondary school|uni|university|college)",
    "{(?:19|20)[0-9][0-9] }",
    "before (i started therapy|therapy|my diagnosis|i met you|i got help)",
    "(fruher|damals|vergangenheit|letztes jahr|letzten sommer)",
    "vor ~1 (jahren|monaten|jahrzehnten|langer zeit|einem jahr)",
    "als ich ~2 (war|jung|kind|teenager|jugendlich|in der schule)",
    "als (jugendliche|jugendlicher|teenager|teenie|kind|schulerin|schuler|studentin|student"
    "|junges madchen|junge frau|junger mann)",
    "aus (der|jener) zeit (als|wo|in der)",
    "seit ~2 (jahren|monaten|wochen) (clean|frei|nicht mehr|ohne)",
)
# Recovery: the risk is behind the writer, whatever else the clause says ("2 years clean today").
RECOVERY = _phrases(
    "(clean|free|sober|safe) (for|since) ~2",
    "{[0-9]+ }(years|yrs|months|weeks|days|year|month) (clean|free|sober|without)",
    "({[0-9]+ }|one|two|three|four|five|six|seven|eight|nine|ten|a|a few|several|many|over a"
    "|nearly a|almost a)? (years|year|months|month|weeks|week|days|day) (clean|free|sober"
    "|without)",
    "(in recovery|recovered|recovering)",
    "(doing|feeling|is doing|am doing|are doing) (much|so much|a lot|way)? (better|well|good|ok"
    "|okay|fine) (now|these days|since)",
    "(survived|survivor)",
    "(sh|cut|self harm) free",
    "({[0-9]+ }|one|two|three|four|five|six|seven|eight|nine|ten|a|a few|several|many)? (years"
    "|year|months|month|weeks) since i (last|ever)?",
    "seit ~2 (jahren|monaten|wochen|tagen|jahr|monat|woche) (clean|frei|nicht mehr|ohne)",
)
# Relapse: the risk is back, whatever recovery the clause also mentions.
RELAPSE = _phrases(
    "(again|relapsed|relapse|relapsing|slipped|broke|broken|ruined|lost my|reset|wieder"
    "|ruckfall|ruckfallig)",
)
# A memory named as such ("old photos from the time when I cut", "aus der Zeit als ich mich
# geritzt hab"): past even when the clause also says "today" (the day the memory came back).
REMINISCENCE = _phrases(
    "aus (der|jener) zeit (als|wo|in der)",
    "(from|of) (the time|the days|the period|back) when i",
    "from when i (was|used)",
)
# Markers of now; they keep a phrase in the present even if a past marker is near.
PRESENT = _phrases(
    "(now|again|tonight|today|right now|still|these days|lately|currently|this week|at the moment"
    "|rn|atm|yesterday|last night|this morning|earlier|this evening|this afternoon|anymore|any"
    " more|jetzt|wieder|heute|gerade|immer noch|noch immer|gestern|momentan|zurzeit|grad|nun)",
)
# News, training, documentaries, books, classes, research: talking about a subject.
REPORTED = _phrases(
    "(prevention|awareness|first aid|safetalk|asist|qpr|gatekeeper|postvention|safeguarding)"
    " ~1 (training|course|workshop|week|day|month|walk|run|event|talk|seminar|campaign|charity"
    "|class|module|session|program|programme|conference|fundraiser|lecture|webinar|assembly"
    "|poster|posters|ribbon|leaflet|stand|march|bake sale|video)",
    "(a|the|this|that|an) (documentary|doc|podcast|article|news story|news report|report|film"
    "|movie|series|show|tv show|episode|book|novel|play|song|lecture|study|paper|essay|research"
    "|statistics|stats|case study|ted talk|video|youtube video|post|thread|headline|memoir|poem"
    "|exhibition|talk|presentation|webinar|seminar) (about|on|where|in which|called|that|said"
    "|discussing|mentioned|covering|covered)",
    "(on|in|watching|watched|read|reading|saw|heard|listening to|listened to) (the|a|an)? (news"
    "|documentary|podcast|article|paper|newspaper|headlines|radio)",
    "(in|for) (my|a|our|the) (class|course|lecture|essay|thesis|dissertation|exam|module"
    "|assignment|homework|psych class|psychology class|nursing course|seminar|training"
    "|placement|presentation|research|report|book club|project)",
    "(i|we) (volunteer|volunteered|work|worked|trained|train) (at|for|on|with|as) (a|the|an)?"
    " (crisis line|helpline|hotline|samaritans|lifeline|crisis text line|listener|counsellor"
    "|counselor|nurse|paramedic|first responder)",
    "(character|protagonist|villain|main character|narrator) (in|of|who)",
    "(lyrics|song|the chorus) (goes|says|go)",
    "(lyrics|song|songs|poem|book|film|movie|show|episode|story|novel|documentary|article"
    "|podcast|play) (is|are|was|were)? (about|on)",
    "(a|an|the|my|our) (course|class|training|module|workshop|lecture|seminar|webinar|talk"
    "|presentation|essay|paper|dissertation|thesis|assembly|lesson) ~3 (on|about)",
    "(we|they|our teacher|the teacher|our class) (learned|learnt|talked|were taught|discussed"
    "|had a lesson|watched a video) about",
    "(writing about|presentation on|presentation about|a talk about|talked about in class"
    "|statistics on|rates of|(researching|studying|reading about|learning about) ~4 for (my|a|our"
    "|the|work|school|uni|class))",
    "(suicide|suizid|selbstmord|self harm|mental health) (prevention|pravention|awareness)",
    "(in|at|during) (pshe|pshe class|health class|form time|tutor time|assembly|wellbeing class)",
    "(hausarbeit|referat|facharbeit|bachelorarbeit|masterarbeit|studie|vorlesung|unterricht"
    "|aufsatz|doku|dokumentation|dokumentarfilm|artikel|bericht|nachrichten|podcast|roman|vortrag"
    "|schulung|fortbildung|seminar|kurs|workshop|pravention|suizidpravention|film|serie|buch)",
)

# Joking tone around a threat ("my wife will kill me when she sees the bill lol").
JOKING = _phrases(
    "(lol|lmao|haha|hahaha|rofl|jk|just kidding|kidding|jokingly|lolol|xd)",
    "(if|when|once) (he|she|they|mum|mom|dad|my (wife|husband|mum|mom|dad|parents|partner"
    "|girlfriend|boyfriend)) ~1 (sees|see|hears|hear|notices|notice|gets home"
    " and sees|realises|realizes)",
    "(for|because) (being|i am|forgetting|breaking|losing|spending|missing|getting|eating"
    "|using|taking|crashing|denting|scratching|staying)",
    "(i am|im|i will be|running) late",
    # An annoyance that would have to happen once more: "if he leaves his dishes out one more time".
    "(if|when) (he|she|they|my ~1|anyone|someone|that) ~8 (one more time|ever again|once more)",
    "i (just)? (broke|forgot|lost|crashed|spent|missed|dented|ruined|burnt|burned|spilled|ate"
    "|smashed|scratched|failed|deleted)",
)


_CLAUSE_BREAK = re.compile(" (?:" + "|".join(re.escape(w) for w in sorted(CLAUSE_WORDS)) + ")(?= )")
_REACH = 240  # characters looked at on either side of a match: plenty for one clause


def clause_bounds(canon: str, start: int, end: int) -> tuple[int, int]:
    """Start and end (character offsets) of the clause holding canon[start:end]."""
    left = max(0, start - _REACH)
    for found in _CLAUSE_BREAK.finditer(canon, left, start):
        left = found.end()
    after = _CLAUSE_BREAK.search(canon, end - 1, end + _REACH)
    right = after.start() + 1 if after is not None else min(len(canon), end + _REACH)
    return left, right


def qualifier(canon: str, start: int) -> Verdict | None:
    """DENIED or PAST if a negation or "used to" stands just before `start` in the same clause,
    with only filler words in between."""
    before = canon[max(0, start - 80) : start].split()
    if start > 80 and before:
        before = before[1:]  # the first word may be cut in half
    following = canon[start:].split(" ", 1)[0]
    for word in reversed(before[-WINDOW_TOKENS:]):
        if word in NEGATORS:
            return "denied"
        if word == "fruher" or (word == "used" and following == "to"):
            return "past"
        following = word
        if word in CLAUSE_WORDS or word not in FILLERS:
            return None
    return None


_AND = frozenset({"and", "und"})


def _joined_clause(canon: str, clause_start: int) -> str:
    """The clause before this one when this one is joined to it by "and" and has no subject of
    its own ("my brother had depression and an attempt"): it shares that clause's subject and
    time. Empty otherwise."""
    before = canon[max(0, clause_start - _REACH) : clause_start].split()
    if not before or before[-1] not in _AND:
        return ""
    words: list[str] = []
    for word in reversed(before[:-1]):
        if word in CLAUSE_WORDS:
            break
        words.append(word)
    return " ".join(reversed(words))


def _nearest_subject(words: list[str]) -> bool | None:
    """Whether the last subject word among the last eight `words` is someone else (None: none)."""
    for word in reversed(words[-8:]):
        if word in SELF_WORDS:
            return False
        if word in OTHER_WORDS:
            return True
    return None


def _subject_is_other(canon: str, clause_start: int, start: int) -> bool:
    """The nearest subject before the match, in its clause (or in the clause it is joined to by
    "and" when it has none), is someone else."""
    found = _nearest_subject(canon[clause_start:start].split())
    if found is None:
        found = _nearest_subject(_joined_clause(canon, clause_start).split())
    return bool(found)


def judge(canon: str, start: int, end: int, *, negatable: bool, about_self_only: bool) -> Verdict:
    """The context verdict for the match canon[start:end] of a crisis rule.

    `negatable`: the rule has no negation of its own, so one inside the match denies it ("he has
    never hit me"). `about_self_only`: the rule is about the writer (not danger from others or
    harm to others), so a match about someone else is not theirs.
    """
    early = qualifier(canon, start)
    if early == "denied":
        return "denied"
    match_words = canon[start:end].split()
    if negatable and any(w in NEGATORS for w in match_words):
        return "denied"
    clause_start, clause_end = clause_bounds(canon, start, end)
    clause = canon[clause_start:clause_end]
    if REPORTED.search(clause) is not None:
        return "reported"
    other = False
    if about_self_only and not any(w in SELF_WORDS for w in match_words):
        other = any(w in OTHER_IN_MATCH for w in match_words) or _subject_is_other(
            canon, clause_start, start
        )
    outside = canon[clause_start:start] + " " + canon[end - 1 : clause_end]
    past = early == "past" or _in_the_past(canon, clause_start, clause, outside)
    if other:
        return "other_past" if past else "other"
    return "past" if past else "plain"


def _in_the_past(canon: str, clause_start: int, clause: str, outside: str) -> bool:
    """Recovery in the clause (outside the match) without a relapse; else a past marker in the
    clause, or in the few words just before it, and no present one."""
    if RELAPSE.search(clause) is not None:
        return False
    if RECOVERY.search(outside) is not None:
        return True
    if REMINISCENCE.search(clause) is not None:
        return True
    if PRESENT.search(clause) is not None:
        return False
    if PAST.search(clause) is not None:
        return True
    joined = _joined_clause(canon, clause_start)
    if joined and PRESENT.search(joined) is None and PAST.search(joined) is not None:
        return True
    # A clause just before that is itself a time ("when I was 15, I ...", "years ago, I ...").
    before = canon[max(0, clause_start - _REACH) : clause_start + 1]
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(before)]
    if not breaks:
        return False
    previous_start = breaks[-2] if len(breaks) > 1 else 0
    return PAST.match(before, previous_start) is not None


# Taking it back right after saying it ("... jump off a bridge lmao (not really, calm down bot)"):
# hyperbole, but the words were said, so a concern, never nothing (see `retracted`).
_RETRACTIONS = (
    "jk|j k|just kidding|only joking|just joking|i am joking|i am kidding|kidding|not really"
    "|obviously not|not seriously|not literally|calm down bot|relax bot"
)
RETRACTION = re.compile(
    r"^(?: [a-z0-9]+){0,8}?(?: (?:lol|lmao|haha|hahaha|xd|rofl|\.))* (?:"
    + "|".join(" ".join(squeeze(w) for w in phrase.split()) for phrase in _RETRACTIONS.split("|"))
    + r")(?= \.| lol| lmao| haha| calm| obviously| i am (?:fine|ok|okay|grand|good|alright|al right)| $)(?! \. or (?:am|not|is))"
)
_RETRACTION_REACH = 60  # characters after a match where a retraction may follow


def retracted(canon: str, end: int) -> bool:
    """A joke marker or "not really" within a few words after the match takes it back, unless
    the writer takes the retraction back too ("jk. or am i"). Not applied to an act under way."""
    return RETRACTION.match(canon[end - 1 : end - 1 + _RETRACTION_REACH]) is not None


def joking(canon: str, start: int, end: int) -> bool:
    """A joking tone in the clause of the match ("... when she sees the bill lol")."""
    clause_start, clause_end = clause_bounds(canon, start, end)
    tail = canon[clause_start : min(len(canon), clause_end + 60)]
    return JOKING.search(tail) is not None


RISK_WORDS = _canon_set(
    "die dying dead death suicide suicidal kill killing hurt harm cut cutting pills overdose od"
    " blade blades rope bridge jump hang bleed bleeding end alive live living sterben tot"
    " umbringen ritzen geritzt suizid selbstmord leben"
)


def first_person_risk(canon: str) -> bool:
    """Some clause speaks of the writer (I, me, my) and a risk word at once."""
    for clause in _CLAUSE_BREAK.split(canon):
        words = set(clause.split())
        if words & SELF_WORDS and words & RISK_WORDS:
            return True
    return False
