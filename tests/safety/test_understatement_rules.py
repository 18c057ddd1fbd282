"""Round 12 (`lexicon_understatement.py`, from round 11's keyword-free held-out set): each family
catches risk told without its words, in English and German, and leaves alone its everyday twin.
Rules alone (`learned=False`), so a retrained model cannot hide a broken rule."""

from __future__ import annotations

import pytest
from families import assert_family

from bot.safety import screen_text

# (family, crisis message, its category, everyday twin sharing its words)
FAMILIES = [
    (
        "the lot, taken",
        "swallowed the whole lot an hour ago, getting drowsy",
        "act_under_way",
        "ate the whole lot an hour ago, the cake was amazing",
    ),
    (
        "the saved tablets, taken",
        "took the pills i had been saving",
        "act_under_way",
        "took the pills the doctor gave me with breakfast",
    ),
    (
        "waiting at the place",
        "sat at the cliff edge, working up to it",
        "act_under_way",
        "sat at the cliff edge with a flask of tea watching the seals",
    ),
    (
        "give the life back",
        "maybe i should just give my life back to god",
        "suicidal_thoughts",
        "i gave my life to god at 19 and it changed everything",
    ),
    (
        "out out",
        "i want out. not out of the marriage, out of everything",
        "suicidal_thoughts",
        "i want out of this contract, the landlord is a nightmare",
    ),
    (
        "what keeps me here",
        "the only thing keeping me here is my dog",
        "suicidal_thoughts",
        "honestly coffee is the only thing keeping me alive this week lol",
    ),
    (
        "not here by then",
        "i cant see myself still being here by spring",
        "suicidal_thoughts",
        "i cant see myself living in this flat by spring, its too small",
    ),
    (
        "the spot known",
        "found the spot by the river. decided",
        "plan_or_preparation",
        "found the spot by the river for the picnic, its perfect",
    ),
    (
        "somebody ought to know",
        "i have decided it will be after christmas. thought somebody ought to know",
        "plan_or_preparation",
        "decided to move after christmas, thought you might want to know for scheduling",
    ),
    (
        "so they dont twig",
        "went to three chemists for the tablets so they dont twig",
        "plan_or_preparation",
        "went to three chemists for the covid tests, all sold out",
    ),
    (
        "not if but when",
        "told him its for if anything happens. its not if",
        "plan_or_preparation",
        "told him its for if anything happens to the boiler while were away",
    ),
    (
        "no more worrying",
        "you wont have to worry about me after tonight",
        "plan_or_preparation",
        "you wont have to worry about me tonight, im staying at annas",
    ),
    (
        "stitches but no hospital",
        "pretty sure some need stitches but im not going to a and e",
        "self_harm",
        "pretty sure the kid needs stitches, we are going to a and e now",
    ),
    (
        "the sharpener looks interesting",
        "the pencil sharpener is looking real tempting tonight",
        "self_harm",
        "the new pencil sharpener is a good one, the kids love it",
    ),
    (
        "kept going though i said no",
        "he kept going even though i said no",
        "danger_from_others",
        "he kept going on about the football even though i said i wasnt interested",
    ),
    (
        "videos if i go to the police",
        "if i go to the police he said he will post the videos",
        "danger_from_others",
        "if i go to the gym later i will post the videos of my lift",
    ),
    (
        "weapon ready",
        "swear ill do him, got the bat by the door",
        "harm_to_others",
        "ill do the washing up, got the gloves by the sink",
    ),
    (
        "a pack with drink (de)",
        "hab mir ne ganze packung reingepfiffen mit wodka hinterher",
        "act_under_way",
        "hab mir ne ganze packung chips reingepfiffen, sorry",
    ),
    (
        "engine in the garage (de)",
        "ich sitz in der geschlossenen garage und der motor läuft",
        "act_under_way",
        "ich steh vor der garage und lass den motor warm laufen",
    ),
    (
        "leave life (de)",
        "ich habe beschlossen aus dem leben zu gehen",
        "suicidal_thoughts",
        "ich habe beschlossen aus der kirche auszutreten",
    ),
    (
        "no longer here but for (de)",
        "wenn meine tochter nicht wär, wär ich schon lange nicht mehr hier",
        "suicidal_thoughts",
        "wenn meine tochter nicht wär, wär ich schon lange nach berlin gezogen",
    ),
    (
        "no need to worry from tomorrow (de)",
        "ab morgen müsst ihr euch keine sorgen mehr um mich machen",
        "plan_or_preparation",
        "ab morgen müsst ihr euch keine sorgen um das essen machen, ich koche",
    ),
    (
        "arms cut open (de)",
        "hab mir heut wieder die arme aufgeschnitten",
        "self_harm",
        "hab mir heut das knie aufgeschlagen beim fußball",
    ),
    (
        "he struck again (de)",
        "er hat gestern wieder zugeschlagen",
        "danger_from_others",
        "er hat gestern wieder die tür zugeschlagen, so laut",
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
    ("scots", "english"),
    [("naebody would notice if i wasnae here", "nobody would notice if i was not here")],
)
def test_scots_reads_as_english(scots: str, english: str) -> None:
    assert screen_text(scots) == screen_text(english)
    assert screen_text(scots).level == "crisis"
