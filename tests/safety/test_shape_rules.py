"""Rules by the shape of a message (`lexicon_shapes.py`, round 10, from the lead's blind round 9):
each family catches its shape in words no corpus message uses, in English and German, and
leaves alone its everyday twin. Rules alone (`learned=False`), so a retrained model cannot hide
a broken rule."""

from __future__ import annotations

import pytest

from bot.safety import screen_text
from bot.safety.lexicon_shapes import RULES_SHAPES_CONCERN, RULES_SHAPES_DE, RULES_SHAPES_EN

# (family, crisis message, its category, everyday twin sharing its words)
FAMILIES = [
    # passive death wish: not waking up, welcome harm, death thoughts back
    (
        "not waking up",
        "tbh i hope thats it, that i simply dont wake up",
        "suicidal_thoughts",
        "hope i dont wake up late again, third time this week",
    ),
    (
        "not waking up, relief",
        "honestly id be glad if i didnt wake up",
        "suicidal_thoughts",
        "id be glad if i didnt wake up at 6 on a sunday for once",
    ),
    (
        "welcome vehicle",
        "i wouldnt care if a truck took me out on the way home",
        "suicidal_thoughts",
        "i wouldnt care if the bus was late, i have a book",
    ),
    (
        "disappointed to survive",
        "the car braked in time and honestly i was gutted",
        "suicidal_thoughts",
        "the car braked in time and i was so shaken, what a driver",
    ),
    (
        "death thoughts back",
        "thoughts about dying are back again, worse at night",
        "suicidal_thoughts",
        "read a great essay about thoughts of death in old poetry",
    ),
    (
        "others breathe without me",
        "mum and dad could finally relax if i was gone",
        "suicidal_thoughts",
        "mum and dad could finally relax if i was gone for the weekend",
    ),
    (
        "wish to be dead (de)",
        "ich hoffe echt dass ich morgen einfach tot bin",
        "suicidal_thoughts",
        "ich hoffe echt dass ich morgen nicht so müde bin",
    ),
    (
        "welcome vehicle (de)",
        "wäre mir echt recht wenn mich heute auf dem heimweg ein laster erfasst",
        "suicidal_thoughts",
        "wäre mir echt recht wenn mich heute jemand abholt",
    ),
    (
        "no will to live (de)",
        "hab echt keine lust mehr zu leben",
        "suicidal_thoughts",
        "hab echt keine lust mehr auf das wetter",
    ),
    # a decided plan, a day, who is away; doing it, just so someone knows
    (
        "decided, a day, someone away",
        "made up my mind. thursday when my husband is at work",
        "plan_or_preparation",
        "made up my mind. thursday when my husband is at work im painting the hallway",
    ),
    (
        "just so someone knows",
        "doing it this weekend. just needed someone to know",
        "plan_or_preparation",
        "doing it this weekend, im finally asking for a raise. just needed someone to know",
    ),
    (
        "by then not here",
        "by friday i wont be around anymore",
        "plan_or_preparation",
        "by friday i wont be around anymore, off to my new job in munich",
    ),
    (
        "schluss mit allem (de)",
        "morgen mach ich schluss mit meinem leben",
        "plan_or_preparation",
        "morgen mach ich schluss mit dem rauchen",
    ),
    (
        "bis dahin nicht mehr da (de)",
        "die sitzung kannst du absagen, bis dahin bin ich nicht mehr am leben",
        "plan_or_preparation",
        "die sitzung kannst du absagen, bis dahin bin ich im urlaub",
    ),
    # preparation for after
    (
        "stockpiling unseen",
        "going to two other pharmacies so no one clocks how much im buying",
        "plan_or_preparation",
        "going to two other pharmacies to find the cheaper one",
    ),
    (
        "who gets what after",
        "my nephew gets the car after im gone, its in the envelope",
        "plan_or_preparation",
        "my nephew gets the car after im gone for the summer",
    ),
    (
        "not needed where i go",
        "gave away my savings, i wont need any of it where im going",
        "plan_or_preparation",
        "gave away my gloves, i wont need them, its summer in australia",
    ),
    (
        "care after me (de)",
        "mein nachbar soll die katze nehmen wenn ich nicht mehr da bin",
        "plan_or_preparation",
        "mein nachbar soll die katze nehmen wenn ich im urlaub bin",
    ),
    # finality
    (
        "last time writing",
        "this is the last time i will talk to you. thanks for everything",
        "plan_or_preparation",
        "this is the last time i will talk to you about my ex, promise",
    ),
    (
        "signing off for good",
        "checking out for good now, take care",
        "plan_or_preparation",
        "checking out for good from twitter, too toxic",
    ),
    (
        "no future appointments",
        "i dont need next weeks session or any after that",
        "plan_or_preparation",
        "i dont need next weeks session or any after that, im finished and doing great",
    ),
    (
        "absolving someone",
        "please make sure my dad knows it wasnt him",
        "plan_or_preparation",
        "please make sure my dad knows it wasnt him that broke the vase",
    ),
    (
        "goodbye before i go",
        "i wanted to say a last goodbye before i go",
        "plan_or_preparation",
        "i wanted to say a last goodbye before i go to the airport",
    ),
    (
        "relief from tonight",
        "my familys life will be easier once im gone",
        "plan_or_preparation",
        "my familys life will be easier once this update is live",
    ),
    (
        "für immer (de)",
        "ciao. diesmal endgültig",
        "plan_or_preparation",
        "ciao endgültig, alter job!",
    ),
    (
        "nicht an ihr (de)",
        "sagt meiner schwester dass es nicht ihre schuld war",
        "plan_or_preparation",
        "sagt meiner schwester dass es nicht ihre schuld war, dass das auto kaputt ist",
    ),
    # at the place
    (
        "not boarding",
        "im at the station, the freight one comes soon. not planning to get on it",
        "act_under_way",
        "im at the station, the train is packed. not planning to get on it, ill walk",
    ),
    (
        "low railing",
        "the fence isnt that high, i could easily step over",
        "act_under_way",
        "the fence isnt that high, the dog keeps getting over",
    ),
    (
        "passing train (de)",
        "ich warte hier auf den nächsten güterzug",
        "act_under_way",
        "ich warte hier auf den nächsten zug nach hause",
    ),
    (
        "rope ready",
        "the rope is already up in the loft",
        "plan_or_preparation",
        "the rope is already up for the kids swing",
    ),
    (
        "rope ready (de)",
        "die schlinge hängt schon am haken",
        "plan_or_preparation",
        "die lichterkette hängt schon am haken",
    ),
    # danger: watched, threatened, hiding, locked in
    (
        "knows where i live",
        "im frightened, he worked out where i live",
        "danger_from_others",
        "she worked out where i live and brought soup, so kind",
    ),
    (
        "you'll regret it",
        "my boyfriend keeps saying ill regret it if i leave",
        "danger_from_others",
        "my boyfriend keeps saying ill regret not trying the cake",
    ),
    (
        "hiding from rage",
        "hes smashing the kitchen up. im hiding under the bed",
        "danger_from_others",
        "we played hide and seek, im hiding under the bed lol",
    ),
    (
        "locked in (de)",
        "er hat die wohnungstür abgeschlossen und das handy weggenommen",
        "danger_from_others",
        "hab die wohnungstür abgeschlossen, handy liegt drinnen",
    ),
    # harm to another with a weapon
    (
        "weapon against someone (de)",
        "ich geh zu ihm und stech ihn ab",
        "harm_to_others",
        "ich geh zu ihm und spiel karten",
    ),
    (
        "weapon against someone",
        "im going to go round there and stab him",
        "harm_to_others",
        "im going to go round there and fix his bike",
    ),
]


def test_the_families_exist_in_both_languages() -> None:
    assert len(RULES_SHAPES_EN) >= 40
    assert len(RULES_SHAPES_DE) >= 25
    assert len(RULES_SHAPES_CONCERN) >= 6


@pytest.mark.parametrize(
    ("family", "text", "category"), [(f, t, c) for f, t, c, _ in FAMILIES], ids=lambda v: v
)
def test_the_shape_is_a_crisis_of_its_category(family: str, text: str, category: str) -> None:
    result = screen_text(text, learned=False)
    assert result.level == "crisis", (family, result)
    assert result.category == category, (family, result)


@pytest.mark.parametrize(("family", "twin"), [(f, b) for f, _, _, b in FAMILIES], ids=lambda v: v)
def test_the_everyday_twin_is_no_crisis(family: str, twin: str) -> None:
    assert screen_text(twin, learned=False).level != "crisis", family
    assert screen_text(twin).level != "crisis", family


@pytest.mark.parametrize(
    "text",
    [
        # The three false alarms of the lead's blind round 9, and their kind.
        "gonna end it with jake tonight. the relationship i mean lol, weve been drifting for months",
        "ending things with my gf tomorrow, its been coming for ages",
        "last day at the old job today. said goodbye to everyone, kinda emotional",
        "leaving do was great, said goodbye to everybody",
        "bought a new razor bc the old one gave me razor burn on my legs",
        "carpet burn on my knees from wrestling with my nephew",
    ],
)
def test_the_released_false_alarms_and_their_kind_are_calm(text: str) -> None:
    assert screen_text(text).level != "crisis"


@pytest.mark.parametrize(
    "text",
    [
        "my brother hopes he just doesnt wake up, im worried about him",  # someone else
        "i dont hope i dont wake up, i love my mornings",  # negation
        "i used to hope i wouldnt wake up, thats behind me now",  # the past
        "hab heute fotos gesehen aus der zeit als ich mich geritzt hab",  # a memory
    ],
)
def test_context_applies_to_the_shape_rules(text: str) -> None:
    assert screen_text(text, learned=False).level != "crisis"


@pytest.mark.parametrize(
    "text",
    [
        "dont really see things getting better, not gonna do anything tho",
        "i cant picture a future where im ok",
        "nothing matters anymore, i just go through the motions",
        "alles fühlt sich so sinnlos an grad",
        "die einsamkeit macht mich fertig",
    ],
)
def test_despair_short_of_a_crisis_reaches_the_therapist_as_concern(text: str) -> None:
    assert screen_text(text).level == "concern"
