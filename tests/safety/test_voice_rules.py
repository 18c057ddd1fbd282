"""Round 11 (`lexicon_voices.py`, from the lead's blind round 11): each family catches its risk in
words no corpus message uses, in English and German, and leaves alone its everyday twin. Rules
alone (`learned=False`), so a retrained model cannot hide a broken rule. Then the context added in
the round: a joke taken back, a clause joined by "and", recovery counted in years since, and the
dialect words the normaliser now reads."""

from __future__ import annotations

import pytest
from families import assert_family

from bot.safety import screen_text
from bot.safety.normalize import canonical_text

# (family, crisis message, its category, everyday twin sharing its words)
FAMILIES = [
    (
        "wish, -ing form",
        "back to wishing i were dead most nights",
        "suicidal_thoughts",
        "wishing i were at the beach instead of this meeting",
    ),
    (
        "rather be gone",
        "honestly i would rather be dead at this point",
        "suicidal_thoughts",
        "i would rather be dead than wear that jumper lol, its hideous",
    ),
    (
        "prayer to be taken",
        "every night i ask god to take me in my sleep",
        "suicidal_thoughts",
        "asked my mum to take me to the station in the morning",
    ),
    (
        "the permanent way out",
        "starting to think the only way out is the permanent one",
        "suicidal_thoughts",
        "the landlord says the permanent solution to the damp is a new roof",
    ),
    (
        "means gathered, object first",
        "have the tablets stashed away now, enough of them",
        "plan_or_preparation",
        "have the tablets stashed away from the toddler on the top shelf",
    ),
    (
        "pets rehomed, nothing holds me",
        "found a home for the dog, nothing is keeping me here now",
        "plan_or_preparation",
        "nothing is keeping me here anymore, so im moving to leeds in may",
    ),
    (
        "tidy for whoever finds me",
        "cleaned the whole place so whoever finds me doesnt have to deal with a mess",
        "plan_or_preparation",
        "cleaned the whole place before the inspection, the landlord was happy",
    ),
    (
        "who gets what",
        "spent the evening writing down who gets what",
        "plan_or_preparation",
        "spent the evening writing down who gets what for secret santa",
    ),
    (
        "research then history wiped",
        "looked up which car parks have no barriers on the top floor then cleared my history",
        "plan_or_preparation",
        "looked up which car parks have no height barrier for the van",
    ),
    (
        "exhaust in a closed garage",
        "sat in the car in the garage with the door shut and the engine running",
        "plan_or_preparation",
        "warmed the car up on the drive with the engine running, so cold today",
    ),
    (
        "ligature tested",
        "tied the cord to the banister to check it takes my weight",
        "plan_or_preparation",
        "put up the new shelf and tested to see if it holds the books",
    ),
    (
        "look like an accident",
        "thinking of swerving into a wall on the way home so it would look like an accident",
        "plan_or_preparation",
        "nearly swerved into a wall on the ice this morning, scary",
    ),
    (
        "whoever finds this",
        "when someone finds this please tell my sister i love her",
        "plan_or_preparation",
        "when you find this funny meme send it to the group",
    ),
    (
        "last hug, unknown to them",
        "hugged my mum for the last time today and she doesnt even know it",
        "plan_or_preparation",
        "hugged my mum for the last time before her flight, see her at christmas",
    ),
    (
        "a streak thrown away",
        "60 days clean and i threw it away tonight",
        "self_harm",
        "60 days sober and i threw it away tonight, had three beers",
    ),
    (
        "hiding the marks",
        "wearing a hoodie in this heat so nobody sees my arms",
        "self_harm",
        "wearing a hoodie in this heat, forgot to check the forecast",
    ),
    (
        "on purpose until it bled",
        "scratched my leg until it bled on purpose",
        "self_harm",
        "scratched my leg on a bramble and it bled a bit",
    ),
    (
        "thrown at me, next time",
        "he threw a mug at my head and said next time he wont miss",
        "danger_from_others",
        "my son threw a ball at my head, we laughed for ages",
    ),
    (
        "drink makes him rough",
        "when my husband drinks he gets violent and its payday",
        "danger_from_others",
        "when my husband drinks he gets sleepy and snores",
    ),
    (
        "meant seriously",
        "i could stab him and i mean it",
        "harm_to_others",
        "i could stab him with a fork for finishing the cake lol",
    ),
    (
        "verb first (de)",
        "wenn sie mich verlässt, bring ich mich um",
        "suicidal_thoughts",
        "wenn sie das sieht, bringt sie mich um haha",
    ),
    (
        "not waking up (de)",
        "wär mir recht wenn ich morgen nicht mehr aufwache",
        "suicidal_thoughts",
        "wär mir recht wenn ich morgen nicht so früh aufwache",
    ),
    (
        "tablets put aside (de)",
        "hab wochenlang schlaftabletten zur seite gelegt",
        "plan_or_preparation",
        "hab die schlaftabletten für die reise eingepackt",
    ),
    (
        "day chosen (de)",
        "den tag hab ich mir schon ausgesucht",
        "plan_or_preparation",
        "den termin hab ich mir schon ausgesucht, freitag beim friseur",
    ),
    (
        "gas and windows (de)",
        "hab den gashahn aufgedreht und die fenster zugemacht",
        "plan_or_preparation",
        "hab den herd angemacht und die fenster aufgemacht, es riecht nach zwiebeln",
    ),
    (
        "wrist arteries (de)",
        "hab mir die pulsadern aufgeschnitten",
        "act_under_way",
        "hab mir beim kochen in den finger geschnitten",
    ),
    (
        "hitting myself (de)",
        "ich hau mir selber ins gesicht wenn ich wütend bin",
        "self_harm",
        "ich hau mich aufs sofa wenn ich müde bin",
    ),
    (
        "not let out (de)",
        "er lässt mich nicht aus der wohnung und hat mein handy",
        "danger_from_others",
        "der regen lässt mich nicht raus, also bleib ich heute drin",
    ),
    (
        "goodbye for whoever reads it (de)",
        "wenn ihr das lest bin ich schon weg",
        "plan_or_preparation",
        "wenn ihr das lest bin ich schon im flieger nach mallorca",
    ),
]


@pytest.mark.parametrize(
    ("family", "text", "category", "twin"), FAMILIES, ids=[f[0] for f in FAMILIES]
)
def test_each_family_catches_its_risk_and_not_its_twin(
    family: str, text: str, category: str, twin: str
) -> None:
    assert_family(family, text, category, twin)


@pytest.mark.parametrize(
    "text",
    [
        "im going to jump off a bridge if one more person asks lmao (not really)",
        "i want to die lol jk",
        "gonna kms if i see another spreadsheet 😂 jk im fine",
    ],
)
def test_a_joke_taken_back_is_a_concern_never_nothing(text: str) -> None:
    result = screen_text(text)
    assert result.level == "concern"
    assert "denied_risk" in result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "i took all my pills jk",  # an act is never taken back by a joke marker
        "i want to die. jk. or am i",  # the retraction taken back
        "i want to die. not really sure why i feel like this",  # "not really" + more words
    ],
)
def test_what_is_not_taken_back(text: str) -> None:
    assert screen_text(text).level == "crisis"


@pytest.mark.parametrize(
    "text",
    [
        # someone else's attempt, joined by "and" to the clause that names them and the time
        "mein bruder hatte vor zehn jahren eine depression und einen suizidversuch",
        "my cousin had a breakdown years ago and an overdose, shes thriving now",
        # recovery counted in years since
        "3 years since i last self harmed today, proud of myself",
        # a lesson, and a retired goodbye
        "we did a thing in pshe about suicide prevention today",
        "final goodbye to my childhood home today, parents sold it",
    ],
)
def test_context_round_11(text: str) -> None:
    assert screen_text(text).level != "crisis"


def test_the_writers_own_risk_in_a_joined_clause_stays_a_crisis() -> None:
    assert screen_text("my brother is fine and i want to kill myself").level == "crisis"


@pytest.mark.parametrize(
    ("dialect", "standard"),
    [("i wui nimma lebn", "i will nicht mehr leben"), ("des is scho gnueg", "des is schon genug")],
)
def test_dialect_words_read_as_standard_german(dialect: str, standard: str) -> None:
    assert canonical_text(dialect) == canonical_text(standard)


def test_a_dialect_wish_to_die_is_a_crisis() -> None:
    assert screen_text("i mag nimmer. i wui nimma lebn").level == "crisis"


def test_a_laughing_skull_is_laughter() -> None:
    assert screen_text("im dead 💀 my cat just fell off the sofa").level == "none"
    assert screen_text("i want to be dead").level == "crisis"
