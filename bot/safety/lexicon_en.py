"""The English screening rules, organised by what the person is telling us.

Written in the phrase language of `patterns.py` against canonical text (`normalize.py`), so
"don't", "dont" and "do not" are all written "do not" here, and case, accents, repeated letters,
emoji that stand for words, and near-miss typos of the key words never need spelling out.

Detection is not messaging: these rules name methods, means and acts because the most urgent
messages are made of them ("I took all my pills", "I bought a rope today"). What the bot SAYS
never names them (`bot.safety.crisis`). Context (negation, the past, other people, news and
training, idioms) is applied on top, in `context.py`.
"""

from __future__ import annotations

from bot.safety.normalize import squeeze
from bot.safety.rule import Rule, rules

# Shared pieces of phrases.
TO = "(to|2)"
SELF = "(myself|my self|meself)"
KIN = (
    "(boss|mom|mum|mother|dad|father|parents|wife|husband|partner|ex|boyfriend|girlfriend|bf|gf"
    "|kid|kids|child|children|baby|son|daughter|brother|sister|family|friend|friends|neighbour"
    "|neighbor|teacher|coworker|colleague|roommate|flatmate|stepdad|stepmom|stepmum|landlord)"
)
PEOPLE = (
    "(him|her|them|you|someone|somebody|anyone|anybody|people|everyone|everybody|others"
    f"|my {KIN}|the (baby|kids|children|child)|the (next|first) (person|guy|one|man|woman)"
    "|whoever|a stranger|strangers|random people|somebody else|someone else)"
)
# Intent, plans and urges in the first person, present or future.
INTENT = (
    f"(want {TO}|wanted {TO}|going {TO}|will|am gonna|could|might|need {TO}|plan {TO}"
    f"|planning {TO}|thinking about|think about|thought about|thoughts of|thoughts about"
    f"|urge {TO}|urges {TO}|feel like|tempted {TO}|about {TO}|ready {TO}|trying {TO}|try {TO}"
    f"|imagine|imagining|picture|picturing|should|should just|could just|gonna|i will|i would"
    f"|decided {TO}|deciding whether {TO}|intend {TO}|have {TO}|just)"
)
SUBJECT = (
    "(he|she|they|someone|somebody|a man|a guy|this guy|my partner|my husband|my wife"
    "|my boyfriend|my girlfriend|my bf|my gf|my ex|my dad|my father|my mom|my mum|my mother"
    "|my stepdad|my stepfather|my stepmom|my stepmum|my brother|my sister|my uncle|my son"
    "|my fiance|my fiancee|my landlord|my flatmate|my roommate|my carer|my husbands|my exes)"
)
LIVING = (
    "(living|live|life|being alive|be alive|going on|go on|existing|exist|carrying on"
    "|staying alive|stay alive|being here|waking up|me being here|me to be here|me to live"
    "|keep living|keep going|carry on living|go on living|continue|continue living|stay"
    "|me being alive|me living|me existing|me staying|me still being here)"
)
_HAIR = (
    "(my|her|his|your|it|the|hair|them|clothes|shirt|jeans|red|blue|black|green|pink|purple"
    "|blonde|blond|brown|grey|gray|white|silver|eggs|fabric)"
)
DIE = f"(die !(for|of|my hair|laughing|from laughing|with laughter|in|at|than)|dye !{_HAIR})"
END_LIFE = (
    "(be dead|not exist|not be alive|not be here any more|stop existing|stop living|stop breathing"
    f"|not live|{DIE})"
)
MEDS = (
    "(pills|pill|tablets|tablet|meds|med|medication|medications|medicine|medicines"
    "|antidepressants|sleeping pills|sleeping tablets|painkillers|pain killers|paracetamol"
    "|acetaminophen|ibuprofen|tylenol|advil|aspirin|insulin|oxy|oxycodone|oxys|xanax|benzos"
    "|lithium|sertraline|citalopram|fluoxetine|prozac|quetiapine|seroquel|amitriptyline"
    "|diazepam|valium|lorazepam|codeine|co codamol|tramadol|morphine|fentanyl|heroin|opioids"
    "|naproxen|zopiclone|melatonin|antihistamines|benadryl|nytol|capsules|caps)"
)
POISONS = (
    "(bleach|antifreeze|rat poison|poison|weed killer|pesticide|drain cleaner|cyanide|pesticides"
    "|weedkiller|paraquat|lighter fluid|chemicals)"
)
QUANTITY = (
    "(all|all of|all the|all of the|the whole|a whole|whole|the entire|an entire|every|every single"
    "|a massive amount of|a huge amount of|a large amount of|massive amounts of|huge amounts of"
    "|a big handful of|an overdose of|a big pile of"
    "|a bottle of|a bottle|the bottle|a box of|a packet of|a pack of|two packs|packs of|packets of"
    "|a handful of|handfuls of|a handful|loads of|lots of|a lot of|too many|way too many|so many"
    "|a load of|load of|loads|a ton of|tons of|a heap of|a shit ton of|shitloads of|a stack of"
    "|a bunch of|heaps of|the rest of|double|triple|everything|{[1-9][0-9]+ }|twenty|thirty|forty"
    "|fifty|a hundred|hundreds of|a month of|a months worth of|a weeks worth of|a strip of"
    "|strips of|boxes of|bottles of|enough)"
)
# A dose or a medicine taken for an ordinary reason ("for my headache") is not an overdose.
ORDINARY_USE = (
    "!(~3 (for (my|the|a|this)? (headache|head|period|cramps|back|migraine|tooth|toothache|fever"
    "|cold|flu|pain|hangover|allergies|sleep)|as prescribed|with (breakfast|dinner|lunch|food)"
    "|on time|this morning like|like (you|the doctor|my doctor|my gp) said))"
)
HIGH = (
    "(bridge|roof|rooftop|ledge|edge|railing|railings|cliff|parapet|balcony railing|top floor"
    "|car park roof|multi storey|multistorey|tower|overpass|viaduct|window ledge|building|car park"
    "|carpark|parking garage|parking deck|multi storey car park)"
)
TRACKS = "(tracks|train tracks|railway|railway line|rail line|level crossing|platform edge)"
TRAFFIC = "(train|trains|bus|car|truck|lorry|traffic|tram|motorway|highway|oncoming traffic)"
WEAPON = "(gun|pistol|rifle|shotgun|handgun|revolver|knife|blade|razor|machete)"
HANG_GEAR = "(rope|noose|belt|cord|cable|ligature|scarf)"
BODY = (
    "(arm|arms|wrist|wrists|thigh|thighs|leg|legs|skin|stomach|belly|hip|hips|forearm|forearms"
    "|ankles|ankle|chest|hand|hands|face|neck|throat)"
)
SH_VERB = (
    "(cut|cuts|cutting|cutted|slice|slicing|sliced|carve|carving|carved|scratch|scratching"
    "|scratched|burn|burning|burned|burnt|hit|hitting|punch|punching|punched|bang|banging"
    "|banged|bite|biting|stab|stabbing|stabbed|hurt|hurting|harm|harming|harmed|injure|injuring"
    "|injured|punish|punishing|punished|mutilate|mutilating|bruise|bruising|starve|starving)"
)
# An accident or a chore, not self-harm ("cut myself shaving", "burned myself on the stove").
ACCIDENT = (
    "!(~3 (shaving|cooking|chopping|peeling|dicing|grating|by accident|accidentally|playing|lifting|running|skiing|"
    "at the gym|at work|gardening|on (a|the|some|broken|glass|paper|my|an)|with the (iron|kettle"
    "|pan|oven|stove|straighteners|curling)|making|baking|ironing|in the kitchen|opening|slicing"
    "|fixing|while|falling|fell|tripped|laughing|out of|off from|off|free|short))"
)
TIMING = (
    "(tonight|today|tomorrow|this weekend|this week|soon|on (monday|tuesday|wednesday|thursday"
    "|friday|saturday|sunday|my birthday|the anniversary)|at midnight|in the morning|in a few"
    " hours|in an hour|after (everyone|everybody|they|the kids|my family|my parents|my husband"
    "|my wife|my partner|my roommate) ~1 (asleep|sleeping|in bed|gone|goes|go|leave|leaves|left"
    "|out)|once (everyone|everybody|they|the kids) ~1 (asleep|sleeping|in bed|gone|out)"
    "|when (everyone|everybody|they|the kids) ~1 (asleep|sleeping|in bed|gone|out)|by (monday"
    "|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight|the weekend|next week"
    "|morning|christmas|my birthday)|before (they"
    "|anyone|everyone) (wake|wakes|get|gets) (up|home)|next week|this friday|by the end of"
    " (the|this) (week|month))"
)
# Means kept for a routine, not at hand for an act: the week's pill organiser, a trip, a recipe, a climb.
ROUTINE = (
    "!(~4 (for the week|for tomorrow|for the trip|for travel|for my trip|for the holiday|organiser"
    "|organizer|dosette|pill box|like the doctor|as prescribed|for dinner|for cooking|to cook"
    "|for the tent|for climbing|for camping|for the boat|for the garden|for work|just in case lol"
    "|for the morning|for school|for the kids|for the dog|for the cat|to collect|for collection"
    "|for pick up|for pickup|to pick up|at the pharmacy|at the chemist|pharmacy|chemist|so i"
    " remember|to remember|so i do not forget|for the game|in the game|in game|at the range"
    "|for hunting|for the turkey|for carving|from (the|my|our) (toddler|toddlers|kids|children|baby"
    "|dog|cat|puppy|grandkids|nephew|niece)|top shelf|out of reach|locked away|in a locked))"
)
# Something ordinary ends, said within the next few words ("it ends on sunday, the sale i mean"):
# a raw look-ahead, because the comma ends the clause that `!` looks into.
TRIVIAL_END = (
    "{(?!(?:\\S+ )?(?:\\S+ )?(?:\\S+ )?(?:\\S+ )?(?:\\S+ )?(?:sale|ofer|deal|show|season"
    "|series|exhibition|course|contract|lease|term|semester|subscription|trial|festival|holiday"
    "|vacation|tour|discount|promo|competition|game|match|tournament|play|run|exam|exams|party"
    "|wedding|concert|trip|move|meeting|interview|date|launch|deadline|surgery|operation) )}"
)
FINALITY = (
    "(end it|ending it|end it all|go through with it|going through with it|do it for real"
    "|finally do it|it will all be over|it will be over|all be over|it all ends|it ends"
    "|i will be gone|i will not be here|i will not be around|i am gone|be gone for good"
    "|i will be dead|be dead|be gone|kill myself|end my life|take my life|say goodbye"
    # "i'd do it again tomorrow" (a bungee jump): "again" makes it a repeat, not an end.
    "|do it !(again|all again|over again)|doing it !(again|all again|over again)"
    "|i will do it|i am doing it|it is happening)"
)


# Not after a word of intent: "thinking about TAKING all my pills" is a plan, not an act.
NOT_INTENDED = (
    "{"
    + "".join(
        f"(?<! {w} )"
        for w in [
            "about",
            "of",
            "to",
            "will",
            "gonna",
            "might",
            "should",
            "could",
            "would",
            "wanna",
        ]
    )
    + "}"
)

# Someone else's suicide ("my brother's suicide", "died by suicide") is bereavement or worry,
# reported as a concern; the plain word stays a crisis. Fixed-width look-behinds, one per word.
_OTHERS_TEXT = (
    "his her their brother sister friend mom mum dad father mother son daughter uncle aunt cousin"
    " grandfather grandmother grandpa grandma partner husband wife boyfriend girlfriend colleague"
    " classmate"
)
_OTHERS = _OTHERS_TEXT.split()
POSSESSOR = "(" + "|".join([*_OTHERS, "died by"]) + ")"
NOT_SOMEONE_ELSES = "{" + "".join(f"(?<! {squeeze(w)} )" for w in [*_OTHERS, "died by"]) + "}"


ACT_UNDER_WAY: list[Rule] = rules(
    "act_under_way",
    "crisis",
    # medicines and poisons already taken
    f"{NOT_INTENDED}(took|taken|swallowed|downed|necked|chugged|had|ate|eaten|popped|drank"
    f"|injected|injecting|shot up"
    f"|drunk|taking|swallowing|popping|overdosed on|od on|oded on) ~2 {QUANTITY} ~3 {MEDS}"
    f" {ORDINARY_USE}",
    f"(took|taken|swallowed|downed|popped|necked) ~2 {MEDS} ~2 ({{[1-9][0-9]+ }}"
    f"|at once|all at once|in one go|with (vodka|alcohol|wine|whiskey|booze|drink))",
    f"(took|taken|swallowed|had|drank|drunk|drinking|swallowing|ate) ~3 {POISONS}",
    f"(took|taken|swallowed|had|downed) ~2 {{[1-9][0-9]* }}(mg|g|grams|milligrams|mcg)"
    f" {ORDINARY_USE}",
    "(i|just|i have|already|i think i|i might have|might have) (overdosed|oded|odd|od)"
    " !(on (coffee|caffeine|sugar|chocolate|netflix|tv|candy|sweets|pizza|cake|love|memes|work"
    "|anime|gaming|tiktok|sun|carbs|ice cream|energy drinks|red bull))",
    "(took|taken|had|did) (an|a) (overdose|od)",
    "(took|taken|swallowed|downed) (everything|all of it|the lot|them all|all of them|all i had"
    "|all i could find) (i had|i could find|i have|in (the|my) (cabinet|cupboard|drawer|house|box"
    "|bathroom|bag|medicine cabinet)|<end>)",
    "(took|taken|swallowed|downed|popped|necked) (the|a|my) (whole|entire|full) (bottle|box|pack"
    "|packet|strip|blister|tub|lot|supply|prescription|jar)",
    f"(overdosed|oded|od) on ~2 {MEDS}",
    f"(the|my|those) {MEDS} (are|is) (kicking in|starting to work|working|taking effect|starting"
    " to kick in|beginning to work|beginning to kick in)",
    f"(can|starting to) feel (the|my) {MEDS} (kicking in|working)",
    "(blood|bleeding) (everywhere|all over|so much|is everywhere|wont stop|will not stop)",
    f"(already|just) (took|taken|swallowed|downed) (the|my|all the|all my|all of my)? ~1 {MEDS}"
    f" {ORDINARY_USE}",
    f"(am|i am) (at|on) the top of (the|a|this|my) ~1 {HIGH}",
    f"{MEDS} {{(?:\\. )?}}(all of it|all of them|everything|the lot|the whole (bottle|box|pack|packet))",
    "(taken|took|swallowed|drank|had) something ~4 (feel|feeling|i feel) (really|so|very)? (weird"
    "|strange|sick|dizzy|funny|drowsy|sleepy|numb|faint)",
    "(wrong|other|outside) side of the (railing|railings|barrier|fence|bridge|rail|balustrade"
    "|parapet)",
    "(swallowed|swallowing|ate|eaten|took) ~3 (razor blades|blades|glass|broken glass|batteries"
    "|needles|nails|pins|screws)",
    "(already|just) (took|taken|swallowed|done|drank) (them|it|the lot|everything|all of them)"
    " !(~3 (back|out|off|home|to|with|for))",
    "(standing|sitting|stood|sat|am|i am) (at|on) the edge of the (platform|tracks|roof|cliff"
    "|bridge|building|balcony|car park|quarry)",
    "(took|taken|swallowed) (too many|way too many|so many|all of them|too much of (it|them|my"
    " meds)) (<end>|of them|tonight|today|i think|just now|earlier)",
    # at a height, on the tracks, in a car with the engine running
    f"((standing|sitting|stood|sat|climbed|climbing) (on|onto|over|on top of|at the edge of)"
    f"|(am|i am) (on|on top of)) (the|a|this|top of the)? ~1 ({HIGH}|{TRACKS}) !(~3 (club|team"
    "|game|party|bar|terrace|fixing|repairing|gutter|garden|with a coffee|with coffee|with my"
    " coffee|smoking|for a smoke|watching|drinking|waiting|meeting|for (my|a|the)|with (my"
    "|friends|a friend)|taking (photos|pictures)|photos|pictures|view|sunset|walk|walking"
    "|jogging|running|bike|cycling|fishing))",
    f"(i am|i have) (on|at) (the|a) (edge of the {HIGH}|edge of {HIGH}|{TRACKS})",
    f"(looking|staring) (down|over) (from|off) (the|this) {HIGH} (right now|now|<end>)",
    "(in|inside) (my|the) (car|garage) with the engine (running|on)",
    # a rope, a weapon, a blade already in place
    f"(the|a|my)? {HANG_GEAR} (is)? (around|round|on) my (neck|throat)",
    f"(holding|have|got|put|pressing|pointing) (a|the|my|dads|my dads)? {WEAPON} (to|against"
    " at|on|in) my (head|throat|wrist|wrists|chest|neck|temple|mouth|skin|arm)",
    "(will not|can not|does not|wont) stop bleeding",
    "(cut|went|sliced|cuts|cutting) (too|way too|really|so) deep",
    f"{NOT_INTENDED}(slit|slashed|sliced|opened|cut) my (wrists|wrist|throat) (open)? ~2 <end>",
    "(it is|it has) already (started|begun|happening) <end>",
    "i (already)? (did it|have done it) (this time|for real)",
)

PLAN_OR_PREPARATION: list[Rule] = (
    rules(
        "plan",
        "crisis",
        f"(have|made|got|making|got myself|worked out|figured out|came up with) (a|the|my) plan"
        f" ~4 (end|die|kill|suicide|do it|it all|how|when|to go|not be|leave this|over|{TIMING})",
        "(i have|i have got|i got|i made|i am making|i have made|i have worked out|worked out"
        "|figured out|came up with|i have figured out) a plan <end>",
        "(picked|chosen|chose|set|decided on|settled on|picking|choosing) (a|the|my) (date|day|time"
        "|night|spot|place|method|way) !(~3 (for|with|to (meet|go|move|see|visit|start|get)|of the"
        " (party|wedding|move|trip|holiday)))",
        f"{FINALITY} ~2 {TIMING} {TRIVIAL_END}",
        f"{TIMING} ~2 (is|will be|i will|i am going to|i am gonna) ~1 {FINALITY} <end>",
        # "tonight is the night i finally clean the fridge" is a chore, not a plan.
        "(tonight|today|tomorrow) is (the|my) (night|day|last (night|day)) <end> !(i (am|will)?"
        " (finally|going to finally|gonna finally))",
        "(this|today|tonight|tomorrow) is (my|the) last (night|day|week|weekend) (alive|on earth"
        "|here|of my life|<end>)",
        "(decided|made up my mind|made my decision|made the decision|have decided) ~4 {(?:\\. )?}"
        " ~4 (end it"
        "|die|kill myself|go through with it|do it|not be here|not wake|it is time|end my life"
        "|not go on|this is it|leave this world)",
        f"(know|worked out|figured out|decided|planned|planning) (exactly)? (how|when|where) (i am"
        f"|i will|i would|to|i am going to|i am gonna|i should) ~2 ({FINALITY}|die|kill myself)",
        "(it is|it will be|this will be|today is) time ~1 (to go|for me to go|to end it|<end>)",
        "(when|where|how) (i will|i am going to|i am gonna|i would|i should) (do it|end it|kill"
        " myself|die)",
        f"(going {TO}|gonna|want {TO}|ready {TO}|plan {TO}|planning {TO}) (leave|exit) this"
        " (world|earth|life)",
        "(ready|prepared|all set) to (die|go through with it|end it|do it|leave this world)",
    )
    + rules(
        "method_mention",
        "crisis",
        # overdose and poison, in the future or as a question of how much
        f"{INTENT} ~2 (overdose|od|overdosing|(take|taking|swallow|swallowing) ~2 {QUANTITY} ~2"
        f" {MEDS}"
        f"|take (all|the rest|everything|them all|all of them|the lot)|drink ~2 {POISONS}"
        f"|swallow ~2 {POISONS}|take ~2 {POISONS}|(take|swallow|down|drink) (the|a) (whole|entire"
        f"|full) (bottle|box|pack|packet|strip|lot|thing|tub))",
        f"(how many|how much) ~3 {MEDS} ~4 (die|kill|fatal|lethal|overdose|od|take to|enough"
        " to|would it take|does it take|to not wake|to never wake|to sleep forever|to end it)",
        f"(how many|how much) ~3 {MEDS} (would it take|does it take|is too many|is too much"
        " is deadly|is fatal|is lethal|would kill|is enough)",
        f"(i know|picked|chosen|chose|found|decided on|settled on|scoped out|picked out) (which|the right"
        f"|the perfect|a good|a high enough|the best) ({HIGH}|{TRACKS}|car park|multistorey|spot"
        "|place|train|tree|way|method|dose) !(~3 (for|to (eat|have|sit|park|meet|live|buy|go)"
        "|christmas|xmas|decorations))",
        "picked out the (tree|spot|bridge|place|rope) !(~3 (for|christmas|xmas|decorations|lights"
        "|picnic))",
        "my plan is (to)? ~3 (take|jump|hang|end|kill|die|overdose|drive|swallow|drown|cut|shoot"
        "|not wake|disappear|go through)",
        "(chosen|chose|picked|picked out|found|settled on) the (bridge|spot|place|tree|building|cliff"
        "|car park|tracks|roof|day|date|night|method|way) !(~3 (for|to (eat|have|sit|park|meet|live"
        "|buy|go|play|swim|fish|take)|christmas|xmas|picnic|wedding|party|holiday))",
        "(worked out|figured out|calculated|counted|know|looked up) how (many|much) (i need|i would"
        " need|it takes|to take|will do it|is enough|would do it)",
        "(looked up|googled|searched|researched|checked|found out) (which|the) ~1 (bridge|building"
        "|cliff|car park|roof|tower|multistorey) ~3 (highest|tallest|high enough|deadliest|highest"
        " one)",
        "(what|which|how many|how high) (floor|floors|storey|storeys|height|metres|meters|feet"
        "|stories) ~6 (jump|fall|survive|die|fatal|kill|to not survive|enough)",
        f"(lethal|fatal|deadly|toxic|overdose) (dose|amount|quantity|levels|limit) ~3 (of)? ~1"
        f" ({MEDS}|{POISONS}|it|<end>)",
        f"{MEDS} ~3 (would|will|could|might|is|are) (kill|be enough|do it|end it|do the job"
        " |stop my heart|finish me)",
        f"enough {MEDS} (to)? ~2 (die|do it|end it|kill|not wake|never wake|sleep forever|be done)",
        f"(keep|keeps|kept|been|am|i am|cannot stop|can not stop) (looking at|staring at|thinking"
        f" about|eyeing) (the|my|those|all the|all my|that|this)? ({MEDS}|{HANG_GEAR}|{WEAPON}"
        f"|{HIGH}|{TRACKS}|{POISONS}|medicine cabinet|blades|razor blades|train|trains)",
        f"(the|that|those|my) ({MEDS}|{HANG_GEAR}|{WEAPON}|{HIGH}|{TRACKS}|blades|train|trains"
        f"|sea|river|water) (is|are|keep|keeps)? (calling|call) ~1 (me|to me|my name)",
        # heights, tracks, traffic, water
        f"{INTENT} ~3 (jump|jumping|throw myself|fall|leap|step|walk|lie down|lay down|lie|lay"
        f"|get) ~2 (off|from|in front of|under|onto|into|on|out of|over) ~3 ({HIGH}|{TRACKS}"
        f"|{TRAFFIC}|window|balcony|sea|river|lake|ocean|canal|water|car park|multi storey)",
        f"(going {TO}|gonna|about {TO}|want {TO}|ready {TO}|will|just going {TO}) jump (<end>|tonight"
        "|now|right now|soon|off|from)",
        f"(my|the) ({MEDS}|{HANG_GEAR}|{WEAPON}|blades|charcoal) (are|is) (ready|laid out|set out"
        f"|lined up|counted out|counted|waiting|in my bag|next to me|here with me) {ROUTINE}",
        f"(counted|counting|lined up|lining up|laid out|laying out) (out)? (all)? (my|the) {MEDS}",
        f"(jump|jumping|throw myself|step|stepping|walk|walking) (off|from|in front of|under"
        f"|into|onto) ~2 ({HIGH}|{TRACKS}|{TRAFFIC}) !(~3 (into the (lake|water|river|sea|pool)"
        "|for fun|with my friends|in summer|as kids|as a kid))",
        f"{INTENT} ~2 (drive|crash|steer|swerve|wrap) ~3 (into|off|in front of) ~3 (tree|wall"
        f"|bridge|cliff|oncoming|traffic|truck|lorry|river|barrier|pillar|road|{TRAFFIC})",
        f"{INTENT} ~2 (drown|drowning) (myself)?",
        f"{INTENT} ~2 (walk|swim|go) ~2 (into|out into|out to) the (sea|river|lake|ocean|water"
        ") (and|until|<end>|never|not)",
        f"(hang|hanging|hung) {SELF}",
        f"{INTENT} ~2 (hang|shoot|stab|strangle|suffocate|poison|gas|electrocute|starve|drown)"
        f" {SELF}",
        "(hang|hanging) (from|off) (the|a|my) (ceiling|beam|door|doorframe|tree|banister|rafters)",
        "(tie|tied|tying|make|made|making|test|tested|testing) ~2 (a|the)? (noose|knot|ligature)",
        f"{INTENT} ~2 (slit|slice|slash|open|cut) my (wrists|wrist|throat|veins)",
        "(slit|slice|slash|slashing|slitting) my (wrists|wrist|throat)",
        f"{INTENT} ~3 (use|get|take|load) ~2 (a|the|my|dads|my dads|his)? (gun|pistol|rifle"
        "|shotgun|handgun)",
        "(gun|pistol|rifle|shotgun|handgun) ~4 (to my head|in my mouth|against my head|on"
        f" myself|use it on myself|end it|kill myself|loaded) {ROUTINE}",
        "(charcoal|barbecue|bbq|disposable grill|exhaust|hose|helium|gas) ~4 (in|inside|into)"
        " (my|the) (room|car|tent|bedroom|garage|bag) ~3 (and|to|<end>|so|sleep|die|never)",
        f"(googled|googling|searched|searching|researching|researched|looked up|looking up|read"
        f" up on|reading up on) ~2 (how to (die|kill myself|tie|end it|hang|overdose|od|do it"
        f" painlessly)|painless ways|ways to die|how many {MEDS}|lethal dose|fatal dose|how long"
        f" it takes to die|suicide methods|methods|the easiest way to die|how high|what dose|how long"
        f" (it takes|does it take) to (die|bleed out|drown|suffocate|lose consciousness)|how to bleed"
        f" out)",
        # emoji and shorthand in context ("💊💊💊 bye", "🔪 tonight")
        # (the emoji become "pills", so the repeated word is the pill emoji: two medicine names
        # at a clause end are a pharmacist's shift, "mostly sertraline and co-codamol.")
        "(pills|pill|knife) ~2 (pills|pill|knife) ~3 (bye|goodbye|tonight|enough|now|for good|forever"
        "|<end>)"
        " !(~3 (daily|morning|evening|day|routine|reminder))",
        "(knife|blade|razor) ~1 (tonight|right now|now|rn) !(~3 (in the kitchen|block|set"
        "|sharpener|drawer|for|cooking|dinner))",
        f"({WEAPON}|{MEDS}|{HANG_GEAR}) ~6 (thinking about|think about|thought about|tempted to"
        "|want to|going to) (using|use|taking|take) (it|them) (on myself|<end>|tonight|now)",
        "(charcoal|barbecue|bbq|disposable grill) ~3 (for|in|into) (the|my) (car|room|bedroom"
        "|tent|garage)",
        f"(would|will|is|are|could) ~2 {MEDS} (be enough|kill me|do it|do the job|be fatal"
        "|be lethal|end it)",
    )
    + rules(
        "preparation",
        "crisis",
        f"(saving|saved|stockpiling|stockpiled|hoarding|hoarded|collecting|collected|stashing"
        f"|stashed|been saving|keeping|kept|hiding|hid|hidden|storing|stored|squirrelling"
        f"|squirreling) (up)? ~2 {MEDS} !(~3 (for (the|my) (trip|holiday|journey)|in case i"
        " (get|need)|for emergencies|for when i need|in the first aid|from (the|my|our) (toddler"
        "|toddlers|kids|children|baby|dog|cat|puppy|grandkids)|out of reach|on the top shelf|top"
        " shelf|locked away))",
        "(bought|buying|buy|got|ordered|order|ordering|picked up|purchased|found|have|own|got"
        " myself|stole|taken) (a|some|the|myself a|new|a new|a long|a strong)? (rope|noose"
        "|ropes|charcoal|gun|pistol|rifle|shotgun|handgun|bullets|ammo|ammunition|rat poison"
        "|antifreeze|helium|cyanide|weed killer|razor blades|blades|a ladder and rope)"
        " !(~3 (for|to (fix|make|build|tie|climb|shave|hang the|hold|secure|tow|pull|train|go"
        " (climbing|camping|hunting|sailing))|from the (hardware|diy)|climbing|camping|swing"
        "|hammock|tent|tow|dog|washing|laundry|boat|pull up|skipping|gym|range|club|hunting))",
        f"(bought|buying|got|ordered|picked up|purchased) ~2 (lots of|loads of|extra|enough|a few"
        f" (boxes|packs|packets|bottles)|{{[2-9]+ }}(boxes|packs|packets|bottles)|several (boxes"
        f"|packs|packets|bottles)|boxes of|packs of|packets of|bottles of) ~2 {MEDS}",
        "(gave|giving|give|given|rehomed|rehoming|rehome|found a (new)? home for|finding a (new)?"
        " home for|found new homes for|finding homes for) (away)? (my|all my|all of my|the|our)"
        " ~1 (cat|cats|dog|dogs|pets|pet|rabbit|hamster|things|stuff|belongings|possessions"
        "|everything|clothes|books|plants|guitar|jewellery|jewelry|games|records|stuff away)"
        " !(~4 (charity|to make room|make space|before the move|moving|donation|donate|declutter"
        "|decluttering|because we are moving|since we are moving|to the shop|to goodwill|charity"
        " shop|the landlord|allergic|allergy|allergies|new flat|new job|the baby|he will use"
        "|she will use|they will use|more than me|he will love|she will love|outgrown|outgrew|grew"
        " out|for the (week|weekend|holiday|holidays|summer|fortnight|month)|while i am|while im"
        "|when i am away|while away|while we are|looking after|to look after|to mind|to babysit|grew"
        " out|too small|loft|attic|garage|clear out|clearing out|youngest|eldest|oldest))",
        "(wrote|written|writing|finished|left|leaving|wrote out|typed|typing|drafted|drafting)"
        " ~2 (letters|a letter|notes|a note|goodbye letters|my letters|my notes|goodbye notes"
        "|goodbye note|a goodbye !(card|present|gift|party|lunch|drink)|goodbyes|last letters|last letter) ~4 (to|for) ~2 (my|everyone"
        "|everybody|each of|all of|the kids|the children|family|mum|mom|husband|wife|parents"
        "|children|kids|people i love) !(~6 (birthday|christmas|thank you|school|teacher|holiday"
        "|card|cover|job|application|work|complain|complaint|council|landlord|penpal|pen pal"
        "|grandma for|newsletter|reference|assignment|therapist asked|therapy homework|exercise"
        "|homework|as an exercise|my therapist))",
        "(wrote|written|writing|left|leaving|finished|drafted|drafting|typed) (a|my|the)?"
        " (suicide|goodbye|farewell|last) (note|letter|letters|message|messages|video|notes)",
        "(notes|letters|note|letter) (for|to) (everyone|everybody|my family|my kids|the kids|my"
        " parents|each of|all of you|my husband|my wife|my partner|my mum|my mom) ~3 (written"
        "|done|ready|finished|left|on the|in the|<end>)",
        "my (will|letters|notes|note|letter|goodbyes|affairs) (is|are) (done|written|ready|finished"
        "|sorted|signed|in order)",
        f"(enough|plenty of|a lot of|loads of|lots of|a stash of|a pile of) {MEDS} (saved|stored"
        "|stashed|hidden|put away|collected|now|to (do it|end it|die)|ready|for when)",
        "(letters|notes) (are)? ~2 (in|on|under) (the|my) (drawer|desk|table|pillow|bed"
        "|cupboard) ~4 (for|to|when|after|so|<end>)",
        "(sorted|sorting|sort|put|putting|getting|got|get) ~2 (my|all my) affairs (in order"
        "|sorted|<end>) !(~4 (at (the office|work|my desk)|before (my|the|our)? ~1 (leave|maternity"
        "|paternity|surgery|operation|op|move|trip|holiday|sabbatical|retirement|emigrating)|for"
        " (work|the move|my leave|the trip)|handing over|handover|hand over))",
        "(sorted|sorting|wrote|writing|made|making|updated|updating|finished|finalised|finalized"
        "|signed|drawn up|drew up) (out)? my (will|last will|funeral plans|funeral wishes|life"
        " insurance) !(~6 (lawyer|solicitor|baby|married|wedding|mortgage|bought|house|advice"
        "|advised|recommended|estate))",
        "(planned|planning|arranged|arranging|picked|picking|chose|chosen) (my|my own)"
        " (funeral|grave|burial|headstone)",
        "(so|where|and) (no one|nobody|they|my family) (will|would|can|could)? (not)? (finds|find"
        "|will find) me (until|before|in time|<end>|for)",
        "(deleted|deleting|wiped|wiping) (all)? (my)? (accounts|social media|photos|messages"
        "|phone) ~3 (so|before|for when|because i will not|after i am gone|no one|nobody)",
        "(tying|tie|tied) up (all)? (my)? loose ends ~3 (before i|so|for when|in case|<end>)",
        f"(said|saying|say) (my)? (goodbyes|goodbye) to (everyone|everybody|them|all|my {KIN}|my"
        " (loved ones|pets|cat|dog|cats|dogs|family|friends)|the (kids|children|family|world|cat"
        "|dog|people i love))",
        "(paid|paying|pay) (off|back) (all)? my (debts|debt|loans) ~3 (so|before|no one|nobody"
        "|will not have to)",
        "(cancelled|canceled|cancelling|canceling|cancel) (all|all of)? my (appointments|plans"
        "|sessions|subscriptions|therapy) ~3 (because|since|as) i (will not|wont|am not going)",
        "(visited|visiting|visit|seeing|saw) (everyone|everybody|my family|them all|all my"
        " friends) (one last time|for the last time|a last time)",
    )
    + rules(
        "goodbye",
        "crisis",
        "(this is|this will be|this is going to be|it is|its|here is) (my)? (last|final)"
        " (message|text|msg|check in|checkin|time (i|you|we)|goodbye|words|note|entry|post)"
        " !(~3 (before|for today|of the day|for tonight|till|until|for a while|for the week"
        "|for now|on this|in this chat|about))",
        # Not a chat's ordinary close ("thanks for everything today, see you next week").
        "(thank you|thanks|thank u|thx|ty) (so much)? for everything !(today|tonight|this week"
        "|this session|so far) ~3 (goodbye|bye|farewell"
        "|i am sorry|sorry|i love|forgive|i will miss|take care of|{\\. }(goodbye|bye|farewell"
        "))",
        "(goodbye|bye|farewell) (forever|everyone|everybody|world|cruel world|for good|for the"
        " last time|for ever|all|friends|my friends|my loves|my love) !({(?:\\. )?}~1 (old|new"
        "|twitter|facebook|instagram|insta|tiktok|social media|smoking|cigarettes|diet|debt))",
        "(goodbye|bye) (forever|for good) !({(?:\\. )?}~1 (old|new|twitter|facebook|instagram"
        "|insta|tiktok|social media|smoking|cigarettes|diet|debt))",
        f"(tell|give|let) my {KIN} (know)? (that)? ~1 i (loved|love|am sorry|was sorry|never"
        " meant|did not mean|did my best|tried|really tried)",
        f"(make sure|let|tell|promise) my {KIN} (will)? (know|knows) (that)? i (loved|love|am sorry"
        "|was sorry|tried|never meant)",
        "(tell|give) (everyone|everybody|them|my family|the kids|my kids) (that)? ~1 i (loved"
        "|love|am sorry|was sorry|never meant|tried)",
        "(will not|wont|do not|am not going to) (need|be needing|be getting|require|get) ~2"
        " (check ins|checkins|checkin|check in|messages|reminders|sessions|appointments"
        "|therapy|your help|help|these|you|them|any of this|my meds|my pills) ~3 (after"
        " (tonight|today|this|tomorrow|the weekend|friday|sunday)|much longer|for much longer"
        "|for long|soon|where i am going|where i am off to|after i am gone)",
        "(you|u|anyone|anybody|nobody|no one) (will not|wont|will never|are not going to) (hear"
        " from|see|be hearing from|be seeing|have to deal with|have to worry about) me"
        " (again|any more|ever again|after (tonight|today|this))",
        "(i am|im) (so)? sorry for everything ~3 (goodbye|bye|i love|forgive|please|take care"
        "|<end>)",
        "(please)? forgive me ~3 (goodbye|bye|for what i am about|for what i am going|for this"
        "|i love)",
        "(when|by the time) (you|u|someone|they|anyone|my family|my mum|my mom) (read|reads|see"
        "|sees|get|gets|find|finds) (this|these|it|me) ~3 (i will|i would|i am|i will already)"
        " ~1 (be gone|be dead|not be here|be at peace|be in a better place|have gone|be free"
        "|already be)",
        "(see you|see ya|meet you|goodbye) (on the other side|in the next life|in another life"
        "|in heaven|in a better place)",
        "(will not|wont|am not going to) (be)? (coming back|come back|be back|returning|making it"
        " back) (ever|again|<end>|tonight|from (this|there)|after tonight|this time)"
        " !(~3 (to (work|the|this|my|school|uni)|after (my|the) (leave|holiday|break)))",
        "(goodbye|farewell|bye) {(?:\\. )?}(thank you|thanks|thank u) (so much)? for (being|everything"
        "|all|listening|trying|always)",
        "(this is|it is|its) (goodbye|farewell|the end) !(~2 (for now|for today|until|till|of"
        " the|for this|of my|of an|of our))",
        "(take care of|look after|feed|love) my (cat|dog|kids|children|plants|pets|babies|boy"
        "|girl|family|mum|mom) (for me)? ~3 (when i am gone|after i am gone|once i am gone|i"
        " will not be|i am not|now that|after tonight|after today|when i am not here)",
        "(it was|it has been|its been) (nice|good|lovely|an honour|a pleasure) knowing (you"
        "|everyone|u|all of you)",
        "(i am|im) (at|finally at) peace (with|now) ~3 (my decision|what i am|going|leaving|<end>)",
        "(last|final) (check in|checkin|message|msg|text|session) (for me|from me|ever|i will"
        " send|you will get|you will ever|<end>) !(~4 (was|got|to my|i sent|went|before|about|of"
        " the (day|week|year)|in the|on the|from you|oops|lol|haha))",
        "(last|final) time (you|u|anyone|anybody|you will|you are going to|you ever) ~1 (hear"
        "|hears|see|sees|talk|talks) (from|to)? me",
        "(want|wanted|wanna|need|needed|have|just|came) to say goodbye !(~4 (before (my|the|our"
        "|i go on|we)|for now|for today|for the|until|till|see you|to (my|the|our|this) (old"
        "|flat|house|job|colleagues|class|team|school|city|dog|cat|friends|group)))",
        "(one|a) last (goodbye|message|time (saying|to say)|thank you) !(~2 (before|after) i (go"
        "|leave|fly|head) (to|on|for|home|abroad|away|back|out|off|into|up|down|shopping)) ~3"
        " (before i (go|leave|end)|<end>)",
        "(i love|love) (you|u) (all|guys|everyone) ~3 (goodbye|bye|forever|for the last)",
        "(i will|i am going to|gonna) (miss|remember) (you|u|everyone|all of you) ~2 (goodbye"
        "|bye|forever|wherever)",
    )
)

SUICIDAL_THOUGHTS: list[Rule] = rules(
    "suicidal_ideation",
    "crisis",
    f"{NOT_SOMEONE_ELSES}(suicide|suicidal|suicidality|suicidally) !(squad|mission|doors"
    "|door|sprints|sprint|drills|drill|run|runs|lane|lanes|king|bomber|bombers|bombing"
    "|attack|attacks|bomb|note|notes|forest|pact|season|boys)",
    "(suicide|suicidal) (note|notes|pact)",
    "(kill|killing|killed|kills|kil) (myself|my self|meself|mysel|myslf) !(laughing|with"
    " laughter|at the gym|working|to get|trying to)",
    "(end|ending|ended|take|taking|took|finish|finishing) my (own)? life",
    "(end|ending) (it|it all|everything) !(with|between|for|off|on|there|here|early|at)",
    "(unalive|unaliving|unalived|un alive|unalive myself|self delete|self deleting|self"
    " unalive|sewerslide|sudoku|neck myself|rope myself|catch the bus|become a ghost)"
    " !(puzzle|puzzles|book|app|game|grid|grids|every|is|daily|level|levels|solver|solving)",
    f"(going {TO}|want {TO}|will|might|gonna|about {TO}|plan {TO}|ready {TO}|i am going to) ctb",
    "ctb (soon|tonight|today|tomorrow|this week|now|rn|plan|method|<end>)",
    "{(?<![0-9] )}kms !(away|from|to|per|an hour|a day|today|yesterday|long|of)",
    f"(i|me) ~2 (will|want {TO}|going {TO}|should|might|could|need {TO}|about {TO}|wish i"
    f" could|am gonna|gonna|ready {TO}|just) kys",
    f"(want {TO}|wanted {TO}|wanting {TO}|wish {TO}|wish i could|should just|should"
    f"|deserve {TO}|ready {TO}|would like {TO}|long {TO}|longing {TO}|need {TO}|needing {TO}"
    f"|may as well|might as well|better {TO}|plan {TO}|just want {TO}|wanna|rather|going"
    f"|wants {TO}|wanting {TO}|wished {TO}|needs {TO}"
    f" {TO} just|prefer {TO}|i could just|i should) {END_LIFE}",
    "(goodbye|bye) (forever|cruel world)",
    "(end|ending|ended) myself",
    f"(want {TO}|going {TO}|gonna|should|will|could|might|about {TO}) (of|ofing) myself",
    "(end|ending) things <end>",
    "(end|ending) things (now|tonight|today|for good|forever|once and for all)",
    "(scared|afraid|terrified|frightened) (of)? what i (might|will|could|am going to|would) do"
    " (to myself|tonight|<end>|if)",
    "(do not|can not|no longer) trust myself ~3 (tonight|right now|to be safe|alone|around (the|my|pills|knives|blades)|not to"
    "|any more|<end>)",
    f"(going {TO}|gonna|might|about {TO}|want {TO}|could|will|feel like|scared i will|afraid"
    " i will|i will) (do|doing) (something|anything) (stupid|drastic|i can not take back"
    "|permanent|final)",
    "(thinking|think|thought|thoughts|ideas|ideation) (about|of) (ending it|ending my life"
    "|ending things|killing myself|taking my life|not being alive|ending it all|not"
    " existing|dying|death by)",
    "(did|have done|done|made) (an|a|another) (attempt|attempt on my life)",
    "i (attempted|tried) (before|once|twice|last year|<end>|when|as a|in|at|years ago|again)",
    f"(tried|trying|try|attempted|attempting|attempt) {TO} (end it|take my life|kill myself"
    f"|die|end my life|end things|unalive)",
    "(i am|i feel|feeling|feel) (so)? (done|finished) with (life|living|everything|it all"
    "|existing|being alive|this world)",
) + rules(
    "passive_death_wish",
    "crisis",
    "better off (dead|gone|without me|not existing|not here|if i (was|were) (gone|dead))",
    "(better|easier|happier|fine) ~3 without me",
    "(wish|wished|hope|hoping) i (was|were|could be|would be|had been) dead",
    "(wish|wished) i (was|were|had|would|had never been|was never) never (born|been born)",
    "(wish|wished) i (had|was) never (born|been born)",
    "(wish|wished) i ~1 (did not|could not|would not|did no longer) exist",
    "(wish|wished|hope|hoping|pray|praying) i (just|simply)? (die|would die|could die|never wake up"
    "|do not wake up|will not wake up|would not wake up|died|get hit|got hit|get cancer"
    "|crash|would crash|just die|just stop existing|stop existing|would just die)"
    # Round 10: "hope i dont wake up late tomorrow" is about an alarm.
    " !(~2 (late|early|on time|in time|before|hungover|too|with|at))",
    "(wish|hope|hoping|pray|praying) (that)? (a|the|some) (car|bus|truck|train|lorry) (would"
    "|will|hits|hit) (hit|run) ?me",
    "rather (be dead|not be alive|not exist|not be here|die !than)",
    "rather (die|be dead) than (keep|go on|carry on|continue|live|living|be|wake|feel|spend|face"
    "|suffer)",
    f"(not|never|no longer) want {TO} (live|be alive|exist|carry on|go on (any more|<end>"
    f"|like this|living)|be here (any more|<end>|at all|on this earth)|be (any more|<end>)"
    "|keep going|keep living|be on this earth|be in this world)",
    f"(not|never|no longer) want {TO} wake up !(early|at|for|so|before|in time|on time|when)",
    "(sleep|asleep) ~3 (never|not) wake up",
    "{(?<! could )(?<! i could )}(sleep|asleep) forever !(~4 (after|shift|lol|haha|honestly so"
    " tired|this weekend|on sunday))",
    "never wake up (again|<end>)",
    "(what if|if only) i ~1 (did not|never|do not) wake up",
    "can not live (like this|with myself|this way)",
    "can not live any more",
    "(no way|not see how|can not see how|do not see how) i can (go on|keep going|carry on|keep"
    " living|survive|do this any more|live like this)",
    "(not think|not know if|not sure|do not know how|can not see how) i can (keep going|go on|hold"
    " on|carry on|keep living|survive|last|keep doing this|do this) (much longer|any longer"
    "|another day|another week|another night|<end>)",
    "(i|i used to|used to) (overdose|od|overdosed) (when|whenever|every time|again|to cope|on"
    " purpose)",
    "can not (go on|keep|carry on) (living|going) (like this|this way|any more|<end>)",
    f"(no|not see ~1|what is ~1|lost ~1|without ~1|not have ~1|not find ~1|not know ~1"
    f"|can not see ~1|can not find ~1) (point|reason|purpose|will) (in|of|to|for)? {LIVING}"
    " !(in|with|at|near|on|there|here|like|under|together|abroad)",
    f"(no|not any|not a single|not one) (reason|point) (for me)? {TO} (be here|exist|live"
    "|stay|keep going|go on|be alive|carry on|wake up|keep living)"
    " !(in|with|at|near|on|there|here|like|under|together|abroad)",
    "(no|not any) (point|reason) (in|for) (me|my) (being here|existing|living|being alive"
    "|staying|life)",
    "(nothing|no one|nobody|not have anything|not have anyone) ~1 (to live|worth living) for",
    "not worth living",
    "(life|living|my life) ~2 (pointless|meaningless|not worth it|not worth living)",
    "(disappear|disappearing|vanish|vanishing) (forever|for good|permanently|and never come back)",
    f"want {TO} (disappear|vanish) <end>",
    "(stop|stopped|cease) (existing|to exist)",
    "(tired|sick|exhausted|weary) of (living|being alive|life|existing|being here|waking up"
    "|being me|being in this world|this life|my life|breathing)"
    " !(in|with|at|on|here|there|like a|like an|under|near|out|off|from|together|is|paycheck"
    "|pay check|in a|alone)",
    "can not go on (any more|like this|living)? <end>",
    "(care|notice|miss me|matter|be happier|be relieved|be better|be easier|be fine) ~3 (if"
    "|when) i (just|simply)? (died|die|was gone|were gone|was dead|were dead|disappeared|was not here"
    "|were not here|was not around|were not around|am gone|am dead|killed myself)",
    f"(not|do not|no longer) deserve {TO} (live|be alive|exist|be here)",
    f"(not know|not sure|not think) (if|whether|that)? i want {TO}"
    " (live|be alive|be here|go on|exist)",
    "not care (if|whether) i (live|die|wake up)",
    "(thinking|think|thought|thoughts) (about|of) (dying|being dead|not being here|not existing)",
    "(given|give|giving) up on (life|living)",
    "done (with|w) (life|living|being alive|existing|this life|it all|this world|everything"
    " fr|life fr)",
    "(no one|nobody) (would|will) (even)? miss me",
    "(everyone|everybody|they|people|the world|my family|my kids|my wife|my husband"
    "|my partner) (would|will) be better off <end>",
    "why (am i|do i|should i) (even|still)? (alive|live|exist|bother living|here|still here"
    "|still alive|bother)",
    "point of me <end>",
    "should not (be alive|exist|be here any more|be here <end>|have been born|be born)",
    "hate (being alive|living|existing|my existence)"
    " !(in|with|at|on|here|there|like|under|near|out|off|from|together)",
    "feel like dying !(my|of|laughing|inside|from)",
    f"want {TO} be with my (dead|late)",
    f"want (it|everything|life|it all|all of it|everything all) {TO} (end|be over) (forever|<end>)",
    f"want (my life|life) {TO} (end|be over)",
    "(will not|wont|am not going to) be (a problem|a burden|around|here|alive|bothering"
    " you|in your way|your problem|anyones problem|trouble|a bother|on this earth) ~2 (much"
    "|for)? (longer|long|any more|after tonight|after today|soon|for much longer|by"
    " (tomorrow|monday|next week)|next week)"
    # Round 10: "..., off to my new job in munich" is a move.
    " !({(?:[a-z0-9.]+ )?(?:[a-z0-9.]+ )?(?:[a-z0-9.]+ )?}(off to|moving|new job|holiday"
    "|vacation|abroad|trip|uni|travelling|traveling|flying|emigrating))",
    "(will not|wont) be (alive|around|here) (for|to see|by|until|till|at) (my|christmas"
    "|the|next|new)",
    "(why|what) (is|am) (the point of)? (me|i) (still)? (here|alive|breathing) <end>",
    "(i|i am|im) (a)? (waste of|wasting) (air|oxygen|space|life)",
    "(do not|not) (want|wanna) ~1 (be|exist) (any more|<end>|alive|on this earth|in this world)",
    "(would|could) (just)? (die|go to sleep forever|not wake up) (right now|now|tonight|and"
    " no one|and nobody|and it would)",
    "(ready|want|wanna|want to) (to)? (be with god|see grandma again|join my)"
    " ~2 (forever|for good|<end>|in heaven)",
    # "Going home" is a death wish only with finality or heaven: "i want to go home" at the end of
    # a clause is, nearly always, a tired person at work or at a party.
    "(ready|want|wanna|want to) (to)? go home ~2 (forever|for good|in heaven|to (god|jesus"
    "|heaven|the lord))",
    "(no|not) (longer|any more)? (afraid|scared) (of|to) (die|dying|death)",
    "(death|dying|being dead|not existing) (sounds|seems|would be|feels like|must be|is)"
    " (so|such|like)? ~1 (peaceful|nice|relief|release|escape|better|easier|good|rest|welcome"
    "|the answer|the only way|mercy|freedom)",
    "(the|my) (only|one) (way out|option|solution|answer) (is|would be|left is) ~2 (die"
    "|death|dying|to end|ending|suicide|not being here|to go|to disappear)",
    # Entrapment with the one exit left unnamed: "no way out of this except one".
    "no (way out|escape|other way) ~3 (except|but|other than|apart from) (one|the one|death"
    "|dying|to die|the final one|the bridge|the tracks|the train|the roof|the river|the rope"
    "|the pills|the tablets|a rope|pills|tablets|jumping)",
    "(everyone|everybody|the world|my family|they) (would|will) be (better|happier|fine"
    "|better off) (if i|when i|once i|after i) ~2 (gone|dead|die|died|disappear|not here"
    "|not around)",
    "life is (too)? ~1 (hard|painful|much) (to|for me to) (live|go on|keep going|bear|carry"
    " on) <end>",
    "(i|i am|im) (so)? (tired|exhausted|done) ~1 (i|i just)? (want|wanna) (it|everything"
    "|this|the pain|life)? (to)? (stop|end) (forever|for good|permanently|<end>)",
)

SELF_HARM: list[Rule] = rules(
    "self_harm",
    "crisis",
    "(have not|not|never) stopped (cutting|self harming|sh|burning myself|hurting myself|harming"
    " myself|scratching)",
    f"{SH_VERB} {SELF} {ACCIDENT}",
    "({(?<= used to )}|started|keep|kept|been|am|i am|still) (cut|cutting|burn|burning|self"
    " harming|sh) (myself|again|<end>|my|every|when|at night|to cope)",
    f"(cut|cutting|cuts|carve|carving|carved|burn|burning|burned|burnt|scratch|scratching"
    f"|scratched|slice|slicing|sliced|stab|stabbing) (my|into my|up my|the skin on my|on my) {BODY}"
    f" {ACCIDENT}",
    f"{SH_VERB} ~6 (on purpose|deliberately|intentionally|to feel (something|pain|better|real"
    "|anything|in control|alive|numb)|to punish myself|to cope|to calm down|so i could feel)",
    "(craving|crave|miss|missing|need|want|long for|longing for|thinking about) (the|my) (blade"
    "|blades|razor|razors|cutting|cuts|sharpener|lighter)",
    "self (harm|harming|harmed|harmer|injury|injure|injuring|injured|hurt|hurting|mutilation"
    "|mutilate|mutilating|destruct|destructive)",
    "(sh|svv|si|nssi) (again|urges|urge|relapse|scars|tonight|today|last night|yesterday"
    "|so bad|really bad|is|was|thoughts|is back|wounds|cuts)",
    f"(want {TO}|going {TO}|urge {TO}|urges {TO}|need {TO}|tempted {TO}|i did|relapsed"
    " (on|with|into)?|thinking about|think about|started|stopped|stop|wanna|gonna|craving"
    "|cravings|did|do|been) (sh|svv|nssi) (<end>|again|tonight|today|last night|yesterday)",
    "{(?<! got )(?<! get )(?<! gets )(?<! was )(?<! were )(?<! been )(?<! be )(?<! is )(?<! are"
    " )(?<! power )(?<! hours )(?<! hair )(?<! funding )(?<! wifi )(?<! pay )}"
    "(cut|cutting|cuts|burned|burning|burnt|scratched|scratching|carved|carving) (again"
    "|tonight|last night|this morning|yesterday|today|earlier|deeper|deep|after|for the"
    " first time|more|worse|until|till|so deep|on purpose|because|so bad) !(~2 (my hair|hair"
    "|class|the lawn|the grass|the cake|the bread|the power|hours|fringe|bangs|classes|school"
    "|the wifi|my nails|short|off|out|back|down|it short|the onions|costs|corners|carbs|sugar"
    "|contact|ties|from|through))",
    f"(urge|urges|need|want|craving|cravings|itch|pull|desire) {TO} (cut|burn|sh|self harm"
    f"|scratch|carve|bleed|hurt myself|hit myself|feel the (blade|razor|knife|pain)|use the"
    f" (blade|razor|knife))"
    " !(my hair|hair|class|the|it|down|back|carbs|sugar|ties|costs|out|off|in|some|a|my)",
    f"(want|wanna|need|going|gonna|urge|tempted|have) ({TO})? (cut|bleed|carve) (<end>|so bad"
    "|so badly|again|tonight|deeper|deep|really bad|myself|my|right now|rn|now|it out)",
    "(relapsed|relapse|relapsing|slipped|slip up|slipped up|fell off the wagon|broke|broken"
    "|lost|ruined|reset) ~3 (cut|cutting|sh|self harm|burning|scratching|clean streak|days"
    " clean|months clean|weeks clean|my streak|the streak|sh free|cut free)",
    "(fresh|new|deep|open|bleeding|infected) (cuts|cut|wounds|wound|burns|burn|scratches"
    "|gashes|marks) (on|in|all over|across) my",
    f"(blade|blades|razor|razors|sharpener|knife|glass|lighter|scissors|compass) ~5 (on|into"
    f"|against|across|to) my {BODY}",
    "(hid|hide|hiding|cover|covering|covered|hidden) (my|the) (cuts|fresh cuts|new cuts|burns"
    "|wounds|blood)",
    "(make|made|making|watch|watched|watching) (myself|me|it) bleed",
    "(hit|hitting|punch|punching|bang|banging|banged) my head (against|on|into) (the|a) (wall"
    "|floor|door|desk) (until|till|so|again|hard|<end>) !(~2 (with|over|about|trying))",
    "(pulling|pulled|pull) (out)? my (hair|eyelashes|skin) (out)? (until|till|again|so|<end>)",
    "(bite|biting|bit|pinch|pinching|pinched) (myself|my (arm|arms|hand|hands|skin)) (until"
    "|till|hard|so|again|<end>)",
    "(deserve|deserved) (to)? (the|these|my)? (pain|cuts|scars|to bleed|to hurt)",
    "(clean|free) (for|since) ~3 (and|but) (i|i have|i just) (cut|relapsed|slipped|broke|burned)",
)

DANGER_FROM_OTHERS: list[Rule] = rules(
    "in_danger",
    "crisis",
    "i (am|feel|am feeling) (unsafe|in danger|not safe) !(to drive|driving|on the roads"
    "|in this weather|on the ice)",
    "i (do|can) not feel safe",
    "(not safe|unsafe) (at home|here|with him|with her|with them|around him|around her"
    "|in my (home|house|flat|own home))",
    "(fear|fearing|scared|afraid|terrified) for my (life|safety|kids|children)",
    f"(threatened|threatening|threatens|threaten|tried|trying|try|wants|wanted|going|will"
    f"|swore|promised|says|said|keeps saying) {TO}"
    " (kill|hurt|harm|attack|stab|shoot|beat|strangle|burn) me",
    f"{SUBJECT} ~2 (will|would|is going {TO}|wants {TO}|is gonna|could|might|said (he|she"
    f"|they) would|said (he|she|they) will|swore (he|she|they) would) (kill|hurt|harm|stab"
    "|shoot|beat|strangle|find) me",
    "(scared|afraid|terrified|frightened) (he|she|they|my ex|my partner|my husband|my wife)"
    " (will|is going to|might|could|is gonna|would) (kill|hurt|find|hit|beat|come back|do"
    " it again) (me)?",
    "(following|stalking|stalks|stalked|follows|followed|tracking|tracks|tracked) me"
    " !(on|back|around the (house|kitchen|flat)|everywhere i go in the house|like a puppy"
    "|for a while on)",
    f"{SUBJECT} ~2 (following|stalking|tracking) me !(on|back|around|everywhere i go in the)",
    "(scared|afraid|terrified|frightened) (to go|of going|to get) (back)? home",
    "(being|been|getting|get|got) (followed|stalked)",
    f"{SUBJECT} (is|keeps|kept|has been|was)? ~1 (showing up|turning up|waiting|standing"
    " |sitting|parked|lurking|banging|hammering|watching me) ~2 (at|outside|on) my"
    " (house|flat|work|door|home|school|apartment|place|job|window|car|street)",
    f"{SUBJECT} (is|has)? ~1 (outside|at) my (door|house|flat|window|home|work) (right now"
    "|now|again|and|<end>|screaming|shouting|banging)",
    f"(afraid|scared|terrified|frightened) of (him|her|them|{SUBJECT}) !(~2 (finding out"
    "|being|getting|leaving))",
    f"{SUBJECT} (has|had|got|is holding|has got|pulled|took out|grabbed) (a|the|his|her|my)"
    f" {WEAPON}",
    "(will not|wont|does not|do not|would not) let me (leave|go out|out|see my|have my"
    " phone|call|go home|sleep|eat|see anyone|go anywhere|talk to anyone|have money|out of)",
    f"{SUBJECT} (controls|checks|monitors|tracks|reads|takes|took|keeps) (all)? my (money|phone"
    "|messages|bank|location|texts|emails|bank card|wages|passport)",
    f"{SUBJECT} (took|takes|has taken|smashed|broke|hid) my (phone|keys|passport|money"
    "|bank card|car keys) ~3 (so|and|can not|will not|won't)",
    "(locked|locks|lock|locking|trapped|keeps) me (in|inside|out|up|in the house|in my room)",
    "(i am|im|i have been|been|got) (locked|trapped|shut) (in|inside|up in) (the|my|a)"
    " ~1 (room|house|flat|bathroom|car|basement|cellar|bedroom|attic) ~4 (he|she|they|can not"
    "|will not|wont|help|<end>)",
    "(i|we) (had|have) to (hide|lock myself|barricade) ~3 (from him|from her|from them"
    "|bathroom|bedroom|room)",
    f"(hiding|hid) (from|in the (bathroom|bedroom|closet|cupboard) from) (him|her|them|{SUBJECT})",
    "(he|she|they) (is|are) (coming|on his way|on her way|on their way) (back|here|for me"
    "|to get me|to find me)? ~2 (help|scared|afraid|terrified|<end>|and i)",
    "(kicked|threw|thrown) (me|us) out (of the house|of the flat|on the street|and)?"
    " ~3 (nowhere|scared|with the kids|at night|<end>)",
) + rules(
    "abuse",
    "crisis",
    f"{SUBJECT} (keeps|kept|has|had|started|again|always|just|still|is|has been|was|were"
    " |have been|are)? ~2 (hits|hit|hitting|beats|beat|beating|abuses|abused|abusing|rapes"
    "|raped|raping|molests|molested|molesting|assaulted|assaults|hurts|hurt|hurting|slaps"
    "|slapped|slapping|kicks|kicked|kicking|punches|punched|punching|chokes|choked|choking"
    "|strangles|strangled|strangling|throttled|throttles|pushed|shoved|shoves|pushes"
    "|threw|throws|smacks|smacked|smacking|bit|bites|burned|burns|spat|dragged|drags"
    "|grabbed|grabs|pinned|pins|threatens|threatened|threatening|controls|forced|forces"
    "|raped|touched|touches|touching|stalks|stalked) me"
    " !(up|back|out|at|in chess|with the|with a (question|great|good)|off|to (it|apply|go"
    "|try|do|the finish)|a (coffee|drink|sandwich|cup)|some|on the shoulder|on the back"
    "|down memory|lol|haha|as a joke|playing)",
    "(hitting|beating|choking|strangling|kicking|slapping|punching|raping|hurting"
    "|threatening) me (again|every|when|if|<end>|and|until|till|so|in front)",
    "(being|been|was|am|got|getting|were|is|get|keep getting) (abused|raped|molested"
    "|assaulted|sexually assaulted|beaten up|beaten|strangled|choked|hit|attacked|threatened"
    "|battered|groomed|trafficked|stabbed) !(~3 (by (a|the) (car|ball|bus|bike|truck|wave"
    "|door|virus|bug|flu|storm|traffic|heat|rain)|at (chess|cards|football|tennis|the game"
    "|work|sports)|in (the|a) (match|game|final)|with (a|the) bill|up on|on the head by a"
    "|the flu))",
    "(domestic|sexual|child|physical|emotional) (violence|abuse|assault)",
    "sexually (abused|assaulted|harassed)",
    "abusive (relationship|partner|husband|wife|boyfriend|girlfriend|parent|parents|home"
    "|father|mother|dad|mom|mum|ex|family|stepdad|stepfather)",
    "(touches|touched|touching) me (when|without|and i|even though|against|there|down"
    " there|at night|in my sleep|while i)",
    "(forces|forced|makes|made|pressured|pressures) me (to)? (have sex|do sexual|sleep with"
    "|do things i do not|give him|touch him|send (nudes|pictures))",
    "(hit|hits|beat|beats|punched|kicked|slapped|choked|strangled|grabbed) me (so hard"
    "|until|till|in the (face|stomach|head|ribs)|by the (throat|neck|hair|arm)|against the"
    " wall|and i|again)",
    "(bruises|bruised|black eye|marks|split lip) ~4 (from him|from her|from them|he did"
    "|she did|they did|where he|where she|he gave me|she gave me)",
    "(pushed|shoved|threw|thrown) (me)? (down the stairs|against the wall|into the wall"
    "|to the ground|to the floor|out of the car)",
    "hands (around|round|on) my (throat|neck)",
    "(beat|beats|beating|beaten) me up",
)

HARM_TO_OTHERS: list[Rule] = rules(
    "harm_to_others",
    "crisis",
    f"{INTENT} ~1 (kill|hurt|harm|attack|murder|killing|hurting|harming|attacking|murdering|stab"
    f"|stabbing|shoot|shooting|strangle|strangling|smother|smothering|shake|shaking|poison"
    f"|poisoning|beat|beating|run over|punch|punching|hit|smack|slap|kick|throw|drop|choke"
    f"|choking|suffocate) {PEOPLE}"
    " !(~3 (for (eating|taking|using|breaking|forgetting|leaving|being|not|making|drinking"
    "|borrowing|losing|telling|finishing|stealing|spoiling|that|this|it|the)|in (a|the) game"
    "|at (chess|cards|fifa|tennis|the game)|with (kindness|love|hugs)))",
    "(killed|hurt|attacked|murdered|stabbed|shot|strangled) (someone|somebody|a person|a man"
    "|a woman|a guy|a girl|him|her) (and|<end>|last night|today|tonight|i think|by accident)",
    f"(scared|afraid|terrified|worried) (that)? i (will|might|could|am going {TO}|would)"
    f" (hurt|harm|kill|shake|smother|drop) (the|my) (baby|kids|child|children|son|daughter"
    "|partner|wife|husband|mum|mom)",
    f"(thoughts|images|urges|fantasies|fantasizing|fantasising|dreaming) (of|about) (killing"
    f"|hurting|harming|stabbing|shooting|strangling|attacking) {PEOPLE}",
    "(buy|bought|get|got|getting) (a|the) (gun|knife|weapon) ~3 (for him|for her|to use on"
    f"|to kill|to hurt|and go to|for my {KIN})",
    "(going to|gonna|will|want to) (shoot up|blow up|bomb|attack) (the|my) (school|office"
    "|work|workplace|church|mosque|synagogue|mall|class)",
    f"({INTENT}|i will|i am going to) ~1 make {PEOPLE} (pay|suffer|bleed|hurt)",
)

HOPELESSNESS_AND_OTHER_CONCERNS: list[Rule] = (
    rules(
        "hopelessness",
        "concern",
        "(hopeless|hopelessness)",
        "(no|lost|lost all|without|not have any) hope",
        "no future",
        "(nothing|it) will never (get|be) better",
        "never (going to|gonna) (get|be) better",
        "nothing will ever (get|be) better",
        "(nothing|things|it|life) (is|are|will)? ~1 (never|not ever) (going to|gonna)? (get|be"
        "|feel) better",
        "nothing (is|will) (ever)? (going to|gonna)? (get|be|feel) better",
        "what is (even)? the point <end>",
        "i give up <end>",
        "no way out",
        # Entrapment (a risk factor on its own), said as not seeing the exit or as no escape.
        "(i|i just|i really|i honestly|i still|i simply) (can not|do not|can never|could not)"
        " (see|find) (a|any) (way out|escape)",
        # The same with the "I" left out, at the start of a clause ("cant see a way out").
        "{(?:(?<=^ )|(?<=\\. ))}(honestly|tbh|just|really|literally|seriously|still)? (can not"
        "|do not|can never|could not) (see|find) (a|any) (way out|escape)",
        "no escape (from (this|it|my life|the pain|my head|myself)|any more|<end>)",
        "my life is over",
        "(nothing|no one|nobody) (left|here) for me",
        "no point (in|to)? (trying|anything|any of this)",
        "(i feel|i am|feeling) (so|really|completely|totally|just)? trapped",
        "can not (take|do|handle|cope with|bear) (it|this|this life|any of this|life) any more",
        "can not cope",
        "(can not|could not) keep (doing this|going|this up) (any more|<end>)",
        f"want (it|this|everything|the pain|this pain) {TO} (stop|end|go away)",
        "tired of fighting",
        "(everything|life) (is|feels) (so)? (pointless|meaningless|empty)",
        "(so|really|completely) (done|exhausted|broken) <end>",
    )
    + rules(
        "worthlessness",
        "concern",
        "worthless",
        "i am (useless|a failure|nothing|a waste of space|a waste|a disappointment|pathetic)",
        "i hate (myself|my self|my life|who i am)",
        f"deserve {TO} (suffer|be hurt|feel pain|be punished)",
    )
    + rules(
        "burden",
        "concern",
        "i am (a|such a|just a|only a) burden",
        "burden (to|on) (everyone|everybody|my family|them|people|others)",
    )
    + rules(
        "isolation",
        "concern",
        "(no one|nobody) (cares|loves me|likes me|would notice|understands)",
        "(all|completely|totally|so) alone",
        "(no one|nobody) to talk to",
        "(no one|nobody) (would|will|ever|even)? ~1 (notices|notice|sees|see|hears|hear) me",
        "everyone hates me",
    )
    + rules(
        "death_thoughts",
        "concern",
        "(thinking|think|thought|thoughts) (about|of) death",
        "my (own)? funeral",
    )
    + rules(
        "third_party_risk",
        "concern",
        f"{POSSESSOR} (suicide|suicidal)",
        "(kill|killing|killed|hurt|hurting|harm|harming|cut|cutting|cuts|overdosed|starving|hang"
        "|hanged|hung|hanging|drown|drowned|shoot|shot|burn|burned|burning|poison|poisoned|end"
        "|ended|unalive|unalived) (himself|herself|themself|themselves)",
        "(he|she|they) (tried|attempted|wants|wanted|is going|was going|threatened) to (kill|hang"
        "|end|shoot|drown|hurt|harm) (himself|herself|themselves|his life|her life|their life)",
    )
    + rules(
        "unclear_shorthand",
        "concern",
        "kys",
        "(kill|killing) yourself",
        "(go|just) die <end>",
    )
)

RULES_EN: tuple[Rule, ...] = tuple(
    ACT_UNDER_WAY
    + PLAN_OR_PREPARATION
    + SUICIDAL_THOUGHTS
    + SELF_HARM
    + DANGER_FROM_OTHERS
    + HARM_TO_OTHERS
    + HOPELESSNESS_AND_OTHER_CONCERNS
)
