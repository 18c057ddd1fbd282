"""Rules from the lead's blind round 11 (issue 10): familiar risks in voices the rules had not heard.

Two writers who never saw the rules wrote 272 crisis messages; about a third screened calm. What
they had in common was not new words but the same risks told sideways:

- *a wish told as a preference or a prayer*: "id rather be gone", "want to not wake up", "asking
  Him to take me in my sleep", "how easy it would be to not exist", a head that keeps saying "end
  it"; German "wozu leb ich noch", "dass Gott mich zu sich holt", "nicht mehr aufzuwachen";
- *the means already gathered, told object first*: "got the pills saved up", "tabletten zur seite
  gelegt", a brand name ("tavor") taken in full;
- *the last arrangements*: pets rehomed so "nothing is holding me here", papers sorted "so nobody
  has to dig through it after", who gets what, the policy "she'll need soon";
- *a goodbye for whoever finds it*: "when they find this", a last hug the other does not know is
  the last, "wenn jemand das liest";
- *a method named by its setting*: an engine running in a closed garage, a belt tied to a rail "to
  see if it holds", driving into a tree or a bridge pier, "make it look like an accident";
- *self-harm as a body or a streak*: arms covered in fresh cuts, "78 days clean and i threw it away
  tonight", knuckles split on purpose, wounds that will not stop bleeding, "kratz mir die haut auf
  bis es blutet", "ich verletze mich wieder selbst";
- *danger as a threat, a drink, a door*: a glass thrown with "next time she won't miss", photos of
  my house from new accounts, "when he drinks he gets rough", "lässt mich nicht aus der Wohnung",
  hiding locked in the bathroom while he shouts.

Each family names its everyday twins as exceptions (a hammock, a new flat, "rather be gone than
stuck here", a prescribed dose, a hobby); context (negation, other people, the past, reports)
applies as for every rule.
"""

from __future__ import annotations

from bot.safety.lexicon_de import MEDS_DE
from bot.safety.lexicon_en import HANG_GEAR, MEDS, POISONS
from bot.safety.lexicon_shapes import ACROSS, BREAK, NEAR
from bot.safety.rule import Rule, rules

# Medicines by the names German clients use (brands and short forms), beside the generic list.
MEDS_DE_MORE = (
    "(tavor|tavor expidet|lorazepam|zopiclon|zolpidem|mirtazapin|quetiapin|seroquel|amitriptylin"
    "|opipramol|promethazin|truxal|rivotril|tilidin|oxycodon|pregabalin|lyrica|venlafaxin"
    "|citalopram|sertralin|diazepam|valium|ibu|ibus|paracetamol|schlafmittel|beruhigungsmittel"
    "|benzos|novaminsulfon|metamizol|doxepin|trimipramin|lithium)"
)
ANY_MEDS_DE = f"({MEDS_DE}|{MEDS_DE_MORE})"
PET = (
    "(dog|dogs|cat|cats|rabbit|rabbits|bunny|bunnies|hamster|hamsters|guinea pig|guinea pigs|bird"
    "|birds|parrot|fish|pets|pet|kitten|puppy|horse|snake|budgie|budgies|ferret|ferrets)"
)
PET_DE = (
    "(hund|hunde|katze|katzen|kater|kaninchen|hase|hasen|hamster|meerschweinchen|vogel|vogel"
    "|wellensittich|wellensittiche|haustier|haustiere|fische|pferd)"
)
STAY_PUT = (
    "(move|moving|moved|city|town|country|job|uni|university|abroad|flat|house|place|relocate"
    "|relocating|new start|fresh start|travel|travelling|traveling|leave for|emigrate|emigrating)"
)
HIDE_ROOM_DE = "(bad|badezimmer|klo|zimmer|schlafzimmer|kinderzimmer|keller|auto)"

RULES_VOICES_EN: tuple[Rule, ...] = tuple(
    rules(
        "passive_death_wish",
        "crisis",
        # A wish in its -ing and past forms: "back to wishing i was dead".
        "(wishing|wishin|hoping|praying|prayed|hoped) (that)? i (was|were|would be|could be|had"
        " been|d be) (dead|gone for good|never born)",
        # A preference: "id rather be gone", not "rather be gone than stuck in this job".
        "(i would|id|i d|honestly i would|i would honestly) (much)? rather (be|just be) (dead|gone"
        "|not here|not alive|not around|six feet under|in the ground|in a box|with (grandma|grandad"
        "|nan|my (mum|mom|dad|brother|sister|grandma|grandad|nan))) !(~6 (than|then|for (the|a|this"
        "|that|tonight|today|now|an hour|a while|a bit|the day|the weekend)|on (holiday|vacation"
        "|a beach)|at (home|the beach|work|the party)|in (bed|spain|italy|the sun|a cabin)|somewhere"
        "|anywhere|asleep|sleeping))",
        # Wanting not to wake up, in the infinitive: "i just want to not wake up tomorrow".
        "(want|wanna|wanted|need|would like) (to)? (just)? not (wake|waking) up (again|tomorrow"
        "|anymore|any more|ever)? !(~3 (early|late|before|at|for|til|till|until|with|on))",
        # A prayer to be taken: "asking Him to just take me in my sleep".
        "(god|lord|jesus|him|he|the universe|heaven|someone up there|the angels) ~4 (to)? (just)?"
        " (take|takes|took|call|calls|bring|brings) me (home|away|now|tonight)? (in my sleep|while"
        " i sleep|while i am asleep|from this world|out of this world|to (him|heaven|be with (him"
        "|them|her|my ~1))|home tonight|tonight|now|soon)",
        # How easy not existing would be, told calmly.
        "(how|so) (easy|simple|quick|easily) (it would be|it is|it would|itd be|it d be) (to)?"
        " (just)? (not exist|stop existing|disappear|be gone|end it|end it all|let go|swerve|not be"
        " here|not be alive|die|crash|drive off|jump|step off|step in front|let the car)",
        # A head that keeps telling me to end it.
        "(brain|head|mind|voice|voices|thoughts|inner voice) ~3 (keeps|keep|is|are|just|wont stop"
        "|will not stop) ~1 (going|saying|telling me|screaming|whispering|repeating|chanting|shouting)"
        " ~2 (end it|kill yourself|kys|die|you should die|just do it|do it|jump|you should not be"
        " here|nobody wants you)",
        "(end it|do it|jump) ~1 (end it|do it|jump) ~1 (end it|do it|jump)",
        # Nothing to exist for: "whats even the point of me".
        "(the|what is the|whats the|what is even the|whats even the|no) point (of|in) me"
        " (existing|being here|being alive|living|even existing|still being here|at all)?"
        " !(~3 (going|coming|doing|trying|asking|saying|telling|being there|bothering|getting"
        "|making|applying|staying|joining|buying|paying|cooking|cleaning|working|studying"
        "|learning|writing|calling|texting|waiting|sitting|taking|bringing|reading))",
    )
    + rules(
        "plan",
        "crisis",
        # "and then im done. for good": the end set after an event or a time.
        f"(and then|then|after that|after (this|that|today|tonight|thursday|friday|the weekend|the"
        f" funeral|christmas|my birthday)) i (am|m|will be|ll be) done {BREAK}? (for good|forever"
        "|for ever|permanently|with (it all|everything|life|living|this life|this world|all of it))"
        " !(~4 (with (school|uni|work|exams|the|this|that|my (job|degree|course|exams))|studying"
        "|drinking|smoking|dating|social media|gambling|men|women|him|her))",
        # "thinking of driving into a tree ... would look like an accident".
        "(make it|would|will|could|so it|it would|it will|it could|so that it|to make it) (look"
        " like|seem like|look as if|be seen as|count as|pass as) (an|a|just an|a total|a car|a"
        " freak|a tragic) ~1 accident !(~4 (game|story|book|film|novel|episode|murder|mystery"
        "|character|plot|insurance claim|the paint|the stain|the dent|the scratch))",
        "(thinking|thought|think|planning|plan|going|gonna|want|wanna|tempted|urge|might|could"
        "|will|should) (of|about|to)? (just)? (drive|driving|crash|crashing|steer|steering|swerve"
        "|swerving|veer|veering|plough|ploughing|plow|plowing) (my car|the car|off the road)? (into"
        "|off|in front of|under) (a|the|an|that|this|some)? ~1 (tree|wall|bridge|pillar|lorry|truck"
        "|oncoming|barrier|ditch|cliff|river|lake|embankment|pylon|lamppost|lamp post|bus|central"
        "|reservation|pier|concrete|motorway|highway|overpass|quarry|sea|canal)",
    )
    + rules(
        "preparation",
        "crisis",
        # The means gathered, told object first: "got the pills saved up", "meds are stashed".
        f"({MEDS}|{POISONS}|{HANG_GEAR}|blades|razor blades) (are|is|all)? (now)? (saved|stashed"
        "|hidden|hid|stockpiled|hoarded|collected|gathered|put aside|put away|set aside|tucked"
        " away|squirrelled|squirreled|saved up|stored|kept back|held back|piled up|lined up)"
        " (up|away|aside)? !(~4 (for the week|for (the|my|a) (trip|holiday|journey|flight|move)"
        "|in (the|a|my) (organiser|organizer|dosette|pill box|first aid|medicine cabinet|cabinet"
        "|bathroom cabinet|fridge|car|bag|backpack|locker|safe|lockbox|lock box)|out of reach"
        "|from the (kids|children|dog|cat|puppy|toddler)|away from the (kids|children|dog|cat)"
        "|safely|safe|locked|for emergencies|in case|for when|as prescribed|by my (partner|wife"
        "|husband|mum|mom|dad|carer|nurse)|by the pharmacy|at the pharmacy))",
        f"(got|have|there are|there is|finally have|now have) (enough|plenty of|more than enough)"
        f" ({MEDS}|{POISONS}) (now|saved|saved up|stashed|put aside|to do it|for it|to make sure"
        "|this time|to not wake up|to end it)",
        # Pets rehomed, and nothing holds me here.
        f"(found|finding|got|have) (someone|somebody|a home|homes|a new home|new homes|a family|people)"
        f" ~3 (for|to take|to have|to look after|to adopt|to keep) ~2 {PET}"
        f" {ACROSS}(nothing|no one|nobody|noone) ~1 (holding|keeping|to keep|left to keep|left"
        " holding) me (here|around|alive|going)",
        "(nothing|no one|nobody|noone|nothing left) (is|s)? (holding|keeping) me (here|alive|around)"
        f" (anymore|any more|now)? !({ACROSS}{STAY_PUT})",
        # Things left in order for after: "so nobody has to dig through it after".
        "so (nobody|no one|noone|they|my (family|mum|mom|dad|parents|wife|husband|partner|kids))"
        " (has|have|will|would|wont|will not|does not|doesnt|do not|dont)? (not|never)? (to|need"
        " to|have to|has to)? (dig|go|sort|search|clean|clear|deal|look) (through|out|up|with)"
        " ~3 (after|afterwards|after i am gone|when i am gone|once i am gone|later on|when i am not"
        " here|when it happens|when they find me)",
        # Written down who gets what.
        "(wrote|written|writing|made|making|decided|deciding|sorted|sorting|listed|noted) (down|out"
        "|up|a list of|a note of)? who (gets|will get|should get|can have|gets to have|is getting"
        "|will have|inherits) (what|which|my ~2) !(~4 (for (christmas|the party|secret santa"
        "|birthdays|the move|the holiday|the trip|the kids)|chores|presents|gifts|rooms|the room"
        "|room|bedroom|bedrooms|present|gift|flat|house|tasks|jobs|shifts|at (work|the party"
        "|christmas)|when (we|they|i) (move|leave|go)"
        "|move out|moving out|moving|divorce|the divorce))",
        # The policy or the passwords they will need soon.
        "(life insurance|insurance policy|the policy|my will|passwords|bank details|pin numbers"
        f"|pins|the pins|account details|funeral plan|funeral money) {ACROSS}(she|he|they|you|my"
        " ~1) (will|ll|is going to|are going to|gonna) need (it|them|those|that|this|all that)?"
        " (soon|very soon|shortly|before long|after (tonight|this week|this weekend))",
        # Several pharmacies so that nobody would notice how much.
        "(different|another|other|second|third|3rd|2nd|multiple|several|separate|3|three|4|four"
        "|5|five) (different)? (pharmacy|pharmacies|chemist|chemists|shops|stores|supermarkets)"
        f" {ACROSS}so (nobody|no one|noone|they|the pharmacist|the pharmacy|nobody there) (would"
        "|will|could|can|might|did)? (not)? (notice|see|ask|realise|realize|suspect|clock|know"
        "|get suspicious|question|wonder)",
        # A playlist or readings for my own funeral.
        "(playlist|songs|music|readings|hymns|outfit|eulogy|speech|poem) (for|at) my (own)? funeral"
        " !(~4 (when i am (old|90|100|eighty|ninety)|one day|someday|some day|in (50|fifty|60"
        "|sixty|40|forty) years|jokingly|as a joke|haha|lol))",
    )
    + rules(
        "goodbye",
        "crisis",
        # Whoever finds this: "when they find this pls tell my little brother ...".
        "(when|once|after|by the time) (they|someone|somebody|people|my (mum|mom|dad|family|wife"
        "|husband|parents|partner|roommate|flatmate|sister|brother)|the police|anyone) (find"
        "|finds|found|read|reads) (this|me|my (note|letter|body|messages|phone)|these|the note"
        "|the letter) !(~2 (funny|useful|helpful|interesting|hilarious|weird|out|boring|cute"
        "|annoying|later|on (the|my)|in (the|my)|at|cringe|embarrassing|amusing|odd|strange))",
        # The last hug that the other does not know is the last.
        "(hugged|kissed|saw|seen|held|hug|kiss|see|hold|visited|called|talked to|spoke to|said"
        " goodnight to|said bye to|tucked in|cuddled) ~4 for the last time"
        f" {ACROSS}(he|she|they|nobody|no one|noone|none of them) (does not|doesnt|did not|didnt|do"
        " not|dont|has no|have no|had no|will not|wont) (even)? (know|realise|realize|notice|suspect"
        "|idea|have a clue|see it)",
        # "please tell her it wasnt her fault", behind an "if ... ever reads this".
        "(tell|please tell|pls tell|plz tell|let|make sure) (her|him|them|my ~1|everyone) ~2 (it"
        " was|it is|its|it wasnt|it isnt) (not|never) (her|his|their|your|anyones|anybodys) fault"
        f" !({NEAR}(messed up|my mistake|schedule|shift|rota|deadline|project|report|order|booking"
        "|email|meeting|error|the dog|the cat|the car|the vase|the mess|the bill|the delay|broke"
        "|spilled|spilt|lost|late))",
    )
    + rules(
        "method_mention",
        "crisis",
        # Exhaust in a closed space, told as a place.
        "(car|engine|motor) ~6 (closed|shut|locked|sealed|in the) garage ~6 (running|on|started"
        "|ticking over)",
        "(closed|shut|locked|sealed|in the) garage ~6 (engine|motor|car) (is|s)? (running|on"
        "|started|ticking over)",
        "(engine|motor) (running|on) ~4 (garage door|garage) (closed|shut|down|locked)",
        "(hose|hosepipe|tube|pipe) ~3 (exhaust|tailpipe|exhaust pipe)",
        # A ligature tied and tested.
        f"(tied|tie|tying|hung|hang|hanging|fixed|fix|attached|attach|looped|knotted) (the|a|my)?"
        f" ~1 {HANG_GEAR} ~1 (to|on|onto|around|round|from|over) (the|a|my)? ~1 (closet|wardrobe|door"
        "|doorknob|door handle|rail|railing|beam|banister|bannister|hook|pipe|ceiling|bed frame"
        "|bunk|loft hatch|curtain rail|shower rail|light fitting|stair|stairs|attic)"
        " !(~4 (coat|coats|clothes|dressing gown|robe|towel|towels|washing|laundry|plant|plants"
        "|decoration|decorations|lights|fairy lights|christmas|bag|bags|swing|hammock|punch bag"
        "|punching bag|pull up|pullup|yoga|stretch|stretching|resistance|costume|halloween))",
        f"({HANG_GEAR}|beam|rail|railing|hook|pipe|banister|bannister|loft hatch|closet rail|knot"
        f"|noose) {ACROSS}(see|test|check|testing|checking|seeing|tested|checked) (if|whether"
        "|that)? it (holds"
        "|would hold|will hold|can hold|could hold|takes my weight|would take my weight|could take"
        " my weight|can take my weight|held|is strong enough|was strong enough) !(~4 (shelf"
        "|shelves|tv|mirror|picture|frame|hammock|swing|bike|boat|tent|plant|curtain|curtains"
        "|tow|trailer|load|cargo|bookcase|painting|ladder|the tire|tyre))",
    )
    + rules(
        "act_under_way",
        "crisis",
        # Wounds that will not stop bleeding.
        "(cuts|cut|wound|wounds|arm|arms|wrist|wrists|leg|legs|thigh|thighs|it|they) ~3 (will not"
        "|wont|does not|doesnt|do not|dont|cannot|can not|cant|is not|isnt|are not|arent) ~1"
        " (stop|stopping) (bleeding) !(~4 (nose|nosebleed|gums|gum|tooth|period|shaving|cooking"
        "|kitchen|paper|finger|from the (dentist|surgery|operation)|after (surgery|the operation"
        "|the dentist|shaving)))",
    )
    + rules(
        "self_harm",
        "crisis",
        # The body covered in fresh cuts.
        "(my)? (arms|arm|wrists|wrist|thighs|thigh|legs|leg|skin|stomach|hips|hip|body|forearms"
        "|forearm|ankles|chest) (are|is)? ~2 (covered in|covered with|full of|all) (fresh|new"
        "|deep|open)? (cuts|scratches|burns|slashes|wounds|marks) !(~4 (from|bramble|brambles"
        "|thorns|thorn|the cat|cat|cats|kitten|puppy|gardening|climbing|roses|rose|hike|hiking"
        "|fall|fell|bike|biking|crash|paper|work|job|rugby|football|hockey|training|the bushes"
        "|bushes|surgery|eczema|rash|mosquito|mosquitos|mosquitoes|bites|chickenpox|allergy))",
        "(fresh|new|deep|open) (cuts|slashes|burns|wounds) (on|all over|across|up) (my)? ~1"
        " (arms|arm|wrists|wrist|thighs|thigh|legs|leg|skin|stomach|hips|hip|body|forearms"
        "|forearm|ankles|chest) !(~4 (from|bramble|brambles|thorns|the cat|cat|cats|kitten"
        "|gardening|climbing|roses|hike|fall|bike|paper|work|rugby|football|training|surgery))",
        # A streak thrown away: "78 days clean and i threw it away tonight".
        "(days|day|weeks|week|months|month|years|year) (clean|free|sh free|cut free|without cutting"
        "|without hurting myself|strong|streak) ~6 (and|but|then)? (i)? (just)? (threw it away"
        "|threw it all away|blew it|broke it|ruined it|lost it|relapsed|down the drain|gone|messed"
        " it up|slipped|broke my streak|did it again|cut again|did it|caved|gave in)"
        " !(~4 (drink|drank|drinking|alcohol|beer|wine|vodka|booze|sober|smoke|smoked|smoking"
        "|cigarette|cigarettes|vape|vaping|weed|joint|gambling|gambled|bet|porn|sugar|chocolate"
        "|diet|gym|caffeine|coffee|soda|junk food|nail biting|biting my nails|nails|scrolling"
        "|social media|tiktok|gaming))",
        f"(relapsed|relapse) {BREAK}? ~1 (days|weeks|months|years|{{[0-9]+ }}(days|weeks|months)) (down"
        f" the drain|gone|wasted|for nothing|thrown away) {BREAK}? ~2 (i hate myself|i deserve"
        " it|i am disgusting|i am pathetic|i am such a failure|i feel disgusting|hate myself)",
        # On purpose, until it bled or split.
        "(punched|hit|smashed|banged|burned|burnt|cut|scratched|bit|slammed|punch|hit|bang|burn"
        "|scratch|bite|slam) ~6 (on purpose|deliberately|intentionally|to feel something|to feel"
        " it|to feel pain|to punish myself|so it would hurt|to make it hurt|until it bled|til it"
        " bled|till it bled|until i bled|till i bled|til i bled|until (my|the) ~2 (bled|split|broke"
        "|cracked|bruised)|til (my|the) ~2 (bled|split|broke|cracked)|till (my|the) ~2 (bled|split"
        "|broke|cracked)) !(~3 (by accident|accidentally|the ball|the punch bag|the bag|at the gym"
        "|in training|boxing))",
    )
    + rules(
        "in_danger",
        "crisis",
        # Something thrown at me, and the threat that next time it will not miss.
        "(threw|thrown|throws|throwing|hurled|chucked|smashed) (a|the|his|her|their|my)? ~1 (glass"
        "|plate|plates|bottle|chair|knife|mug|phone|shoe|cup|pan|lamp|remote|ashtray|vase|bowl"
        "|glasses|brick|stone|rock) (at|towards|toward) (me|my (head|face|back))",
        "next time (he|she|they|it) (will not|wont|is not going to|isnt going to|wont be|will)"
        " (miss|be so nice|stop|hold back|be a warning|just be words)",
        # Watched from new accounts, photos of my home.
        "(sending|sent|sends|send|posting|posted|posts|got|getting|received|receiving|keeps"
        " sending|keep sending) (me)? (pics|pictures|photos|photo|picture|videos|video) of (my|our)"
        " (house|flat|apartment|home|car|door|front door|street|window|windows|workplace|office"
        "|kids|children)",
        "(new|fake|different|burner|anonymous) accounts ~8 (know where i (live|work|am|sleep)|threat"
        "|threats|threatening|threaten|kill me|hurt me|find me|watching me|coming for me)",
        # Drink makes him rough; and what I "deserve" when we get home.
        "(when|if|once|after) (he|she|my (husband|wife|partner|boyfriend|girlfriend|bf|gf|dad"
        "|father|stepdad|mum|mom|mother|ex)) (drinks|has been drinking|is drunk|gets drunk|is"
        " high|gets high|is wasted|gets wasted|has a drink|drinks too much) ~3 (he|she)? (gets"
        "|becomes|turns|is|can get|goes) (really|so|very)? (rough|violent|aggressive|scary|physical"
        "|handsy|nasty|mean|dangerous|angry|abusive)",
        "(said|says|told me|texted|threatened|whispered|hissed|yelled|screamed) ~6 (when we get home"
        "|wait till we get home|wait until we get home|get what (i|you) deserve|you will pay|you"
        " will regret|you are dead|teach (me|you) a lesson|you will be sorry|wait and see what"
        " happens)",
        "(scared|afraid|terrified|frightened|too scared|too afraid) (to|of what will happen"
        " when i|of what happens when i) (get out of the car|go inside|go in|go home|get home|go"
        " back|leave the car|open the door|be alone with (him|her|them)|go back in|get back)"
        " !(~4 (dark|spider|spiders|ghost|ghosts|mess|exam|results|bill|dog|alone at night|in the"
        " dark|after the film|after the movie|horror))",
    )
    + rules(
        "harm_to_others",
        "crisis",
        "(make it|would|will|so it) (look like|seem like) (an|a) accident ~4 (when|if|after) i"
        " (kill|hurt|push|poison|get rid of) (him|her|them)",
    )
)

RULES_VOICES_DE: tuple[Rule, ...] = tuple(
    rules(
        "passive_death_wish",
        "crisis",
        # Not waking up, wished in many forms.
        "(hatte nichts dagegen|hatt nichts dagegen|ware froh|war froh|ware mir recht|wunsche mir"
        "|wunsch mir|hoffe|hoff|will|mochte|mocht|wurde gern|wurde gerne|bete) ~6 nicht mehr"
        " (aufzuwachen|aufwachen|aufwache|aufwach|aufzustehen)",
        # A prayer to be taken.
        "(gott|herr|jesus|der herrgott|der liebe gott|das universum) ~4 mich (zu sich|heim|nach"
        " hause|zu ihm|endlich|einfach|bald|heute nacht)? (holt|holen|hole|nimmt|nehmen|nehme"
        "|ruft|rufen|abberuft|abholt|abholen|erlost|erlosen)",
        "(zu sich holt|zu sich holen|zu sich nimmt|zu sich nehmen) !(~3 (die|den|das) (hunde"
        "|katze|kinder|pakete|post))",
    )
    + rules(
        "suicidal_ideation",
        "crisis",
        # What am I still living for.
        "(wozu|wofur|warum|weshalb|fur was) (leb|lebe|lebt man|soll ich) (ich)? (eigentlich"
        "|uberhaupt|denn|uberhaupt noch|uberhaupt)? (noch|weiter|noch weiter) (leben)?",
        # Ending with myself: "mach ich ein ende mit mir".
        "(ein|einen|das) ende mit mir (machen|mach|mache|setzen)?",
        "(mach|mache|machen|setz|setze) (ich|mir)? (ein|einen|dem ganzen ein)? ende (mit mir|mit"
        " meinem leben)",
    )
    + rules(
        "plan",
        "crisis",
        # The day chosen, the how and when known.
        "(den|der) tag (hab|habe|ist|steht) (ich)? (mir)? (schon|jetzt|bereits)? (ausgesucht"
        "|gewahlt|festgelegt|fest|entschieden)",
        "(weiss|weis|wei) (jetzt|nun|schon|genau|endlich)? ~1 (wie und wann|wann und wie|wo und"
        " wann|wann und wo) !(~3 (ich (hinfahre|hinfahr|fahre|anrufe|kundige|kommen|hingehe|es"
        " ihm sage|es ihr sage|es sage)|der termin|die party|das treffen))",
        # Driving into a tree or a pier.
        "(fahr|fahre|fahren|rase|rasen|lenk|lenke|lenken|steuer|steuere|knall|knalle|setz|setze)"
        " ~6 (gegen|in) (den|die|das|einen|eine|ein)? (nachsten|nachstbesten|erstbesten|nachste)?"
        " (baum|bruckenpfeiler|pfeiler|wand|mauer|lkw|gegenverkehr|betonpfeiler|leitplanke"
        "|betonwand|brucke|laster|abgrund|see|fluss)",
        "(schlauch|rohr) ~3 (auspuff|auspuffrohr)",
        "(auspuff) ~4 (schlauch|ins auto|in den wagen|ins fenster)",
        # Ordered something to make dying faster.
        "(bestellt|gekauft|besorgt|geholt|organisiert) ~8 (damit|um|das|dass) ~4 (schneller"
        " geht|sicher geht|klappt) ~3 (mit dem sterben|zu sterben|sterben)",
    )
    + rules(
        "preparation",
        "crisis",
        # Tablets put aside, in either order.
        f"{ANY_MEDS_DE} ~3 (zur seite|beiseite|auf die seite|zuruck) (gelegt|gepackt|getan|geschafft)",
        f"{ANY_MEDS_DE} ~3 (gesammelt|gehortet|gebunkert|aufgespart|aufgehoben|zuruckgehalten"
        "|versteckt|angespart|gespart) !(~4 (fur (die|den) (reise|urlaub|woche)|im (urlaub"
        "|notfall)|fur den notfall|vor den kindern|vorm hund|vor dem hund|wie verschrieben))",
        f"(sammle|sammel|horte|bunkere|spare|hebe) ~3 {ANY_MEDS_DE} (auf|an)?"
        " !(~4 (fur (die|den) (reise|urlaub|woche)|im (urlaub|notfall)|fur den notfall))",
        f"(sind|ist|hab|habe|hab ich) (jetzt|nun|endlich)? (genug|ausreichend) {ANY_MEDS_DE}?"
        f" {ACROSS}(tabletten|pillen|medikamente|zusammen|beisammen)",
        f"{ANY_MEDS_DE} {ACROSS}(sind|ist|hab|habe|hab ich) (jetzt|nun|endlich)? (genug|ausreichend)",
        # A pet taken to my parents "for the weekend", and I will not fetch it again.
        f"{PET_DE} {ACROSS}(hol|hole|holen|abholen) (ihn|sie|es|den|die|das)? (dann)? (nie|nicht)"
        " (mehr|wieder) (ab)?",
    )
    + rules(
        "goodbye",
        "crisis",
        # Whoever reads this.
        "wenn (jemand|ihr|du|man|ihr das|irgendwer) (das|dies|diese nachricht|den brief|diesen"
        f" brief|das hier)? (liest|lest|findet|findest|liesst|lesen) {ACROSS}(nicht mehr"
        " (ausgehalten|ertragen|konnte|kann|da)|bin ich (schon)? (weg|tot|nicht mehr)|lebe ich"
        " nicht mehr|passt auf ~3 auf|es tut mir leid|verzeiht mir)",
        # Only wanted to say goodbye, for good.
        "(wollte|will|mochte|muss) mich (nur|nur noch|noch|jetzt|hiermit)? (kurz)? (verabschieden"
        f"|bedanken und verabschieden) {ACROSS}(fur immer|es reicht|nicht mehr|ein ende|lebt wohl"
        "|macht es gut|machts gut)",
        "es reicht (jetzt)? (fur immer|endgultig|ein fur alle mal)",
    )
    + rules(
        "self_harm",
        "crisis",
        # The verb before "mich", with "selbst" or "wieder".
        "(verletze|verletz|schneide|schneid|ritze|ritz|kratze|kratz|verbrenne|verbrenn|schlage"
        "|schlag|beisse|beis) mich ~4 (selbst|wieder|absichtlich|extra|mit absicht|jeden tag"
        "|jede nacht|taglich) !(~3 (beim|bei der|aus versehen|versehentlich|durch|an der|am herd))",
        # Scratching or cutting until it bleeds.
        "(kratz|kratze|kratzen|ritz|ritze|schneid|schneide|beiss|beisse|beis|reiss|reisse) ~6"
        " bis (es|sie|ich|das blut) (blutet|bluten|blute|geblutet|kommt)",
        "(haut|arme|arm|beine|handgelenk|handgelenke) ~4 (auf|kaputt|blutig) ~3 (gekratzt|kratz"
        "|kratze|geritzt|geschnitten|gebissen) (bis es blutet)?",
    )
    + rules(
        "in_danger",
        "crisis",
        # Not allowed out, the phone taken.
        "(er|sie|mann|freund|freundin|vater|mutter|partner|partnerin|ex|stiefvater|eltern|papa"
        f"|mama) ~2 (lasst|last|lass|lassen) mich nicht (mehr)? (aus|raus|aus der wohnung|aus dem haus|weg"
        f"|gehen|alleine raus|allein raus|vor die tur) !({NEAR}(im (spiel|game)|beim (spiel|game)"
        "|regen|gewitter|krank|fieber|erkaltet|krankgeschrieben|corona|quarantane))",
        "(handy|telefon|schlussel|ausweis|pass|geld|portemonnaie|geldbeutel) ~3 (weggenommen"
        f"|abgenommen|versteckt|eingesperrt|zerstort|kaputt gemacht) {ACROSS}(lasst|last|lass"
        "|darf|kann) (mich|ich) ~3 (nicht|nie) (raus|weg|gehen|anrufen|telefonieren|aus)",
        # Locked in a room to hide from him.
        f"(im|ins|in der|im) {HIDE_ROOM_DE} (eingeschlossen|eingesperrt|verbarrikadiert|versteckt"
        f"|abgeschlossen|verschanzt) {ACROSS}(er|sie|mein ~1|meine ~1) ~3 (betrunken|besoffen"
        "|schreit|tobt|brullt|bruellt|schlagt|droht|hammert|tritt|randaliert|ausrastet|rastet aus"
        "|sturmt|wutend)",
        f"(mitbewohner|mitbewohnerin|mann|freund|freundin|vater|mutter|stiefvater|er|sie|ex|partner"
        f"|partnerin) ~4 (hat|hatte) mich ~3 (eingesperrt|eingeschlossen|weggesperrt)"
        f" !({NEAR}(versehentlich|aus versehen|ausversehen|ausgesperrt|spass|witz|aus spass))",
    )
)

# The second writer's set (round 11, second half): the same families, more sideways still.
HIDE_WEAR = (
    "(long sleeves|long sleeve|longsleeves|hoodie|hoodies|jumper|jumpers|sweater|sweaters|cardigan"
    "|bracelets|wristbands|plasters|bandages|band aids|bandaids|makeup|make up|concealer|jeans"
    "|leggings|tights)"
)
SKIN = "(arms|arm|wrists|wrist|thighs|thigh|legs|leg|stomach|hips|forearms|forearm|ankles|chest)"
MARKS = "(marks|cuts|scars|burns|wounds|slashes|scratches|bruises)"
PLACE_HIGH = (
    "(floor|storey|story|window|ledge|bridge|roof|rooftop|balcony|platform|edge|tracks|railing"
    "|cliff|car park|parking garage|tower|overpass)"
)
DAY_WORDS_EN = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|tonight|tomorrow|payday"
    "|the weekend|next week|this weekend"
)
PLACE_HIGH_DE = (
    "(stock|stockwerk|etage|dach|brucke|fenster|fensterbrett|balkon|gleis|gleisen|bahnsteig|klippe"
    "|gelander|hochhaus|parkhaus|turm|kante)"
)
FAREWELL_DE = "(machts gut|macht es gut|mach es gut|mach's gut|lebt wohl|lebe wohl|adieu|pfiat eich|pfiat di|ade)"

RULES_VOICES_EN_2: tuple[Rule, ...] = tuple(
    rules(
        "passive_death_wish",
        "crisis",
        "(hope|hoping|wish|wishing|pray|praying) (that)? my (heart|breathing|lungs|body) (just)?"
        " (would|will)? (stops|stop|gives out|give out|gives up|give up|fails|fail|packs in)"
        " !(~4 (racing|pounding|hurting|aching|beating so fast|skipping))",
        # Picturing my own funeral, calmly.
        "(fantasise|fantasize|fantasising|fantasizing|fantasised|fantasized|daydream|daydreaming"
        "|daydreamed|dream|dreaming|imagine|imagining|picture|picturing|think|thinking) (about|of)?"
        " my (own)? (funeral|death|dying|grave|wake|memorial) !(~4 (when i am (old|90|100|eighty"
        "|ninety)|in (50|fifty|60|sixty|40|forty) years|planning|plan|insurance|pre paid|prepaid"
        f"|will)) {ACROSS}(calm|calmer|peace|peaceful|relief|relieved|comforting|comfort|looking"
        " forward|cannot wait|cant wait|want it|wish|longing|soothing|happy about)",
        # The permanent way out.
        "(exit|way out|solution|escape|option|answer|fix|door) ~4 (is|being|left is|i see is)? (the)?"
        " (permanent|final|forever) (one|exit|way out|solution|escape|option)? !(~3 (marker|makeup"
        "|tattoo|ink|hair|residence|contract|job|position|visa|staff|role|fix for (the|my) ~1"
        "|address))",
        "(permanent|final) (solution|way out|exit|escape|sleep) !(~3 (to (the|a|my|our) (problem"
        "|leak|damp|mould|mold|issue|clutter|storage|parking)|for (the|a|my|our) (leak|damp|mould"
        "|mold|clutter|storage|parking|hair|nails)))",
    )
    + rules(
        "plan",
        "crisis",
        # A decision, and the day it will be on.
        f"(made up my mind|made my mind up|mind is made up|made my decision|my decision is made"
        f"|decision is made|i decided|i have decided|decided) {ACROSS}(it is|its|it will be|it"
        " ll be|it is going to be|its gonna be|it is gonna be|gonna be|going to be|it happens"
        "|happening) (on|at|this|next|before|after) ~2 (birthday|anniversary|night|weekend|monday"
        "|tuesday|wednesday|thursday|friday|saturday|sunday|christmas|new year|day|date|the 1st"
        f"|{{[0-9]+(?:th|st|nd|rd) }}) !({ACROSS}(party|cake|dinner|drinks|celebrate"
        "|celebration|wedding|trip|holiday|surprise|present|gift|interview|exam|move|moving|flight"
        "|concert|tattoo|haircut|proposal|propose))",
        f"(made up my mind|made my mind up|made my decision|decided|decision is made|decision made)"
        f" {ACROSS}(saturday|sunday|friday|monday|tuesday|wednesday|thursday|tonight|tomorrow)"
        " (night|evening|morning)? ~4 (when|while|once|after) ~3 (is at|are at|is away|are away"
        "|is out|are out|goes|go|leaves|is asleep|are asleep|visits|is on|are on|has|works|is"
        f" working|travels) !({ACROSS}(party|people over|friends over|movie|film|bake|cook|invite"
        "|celebrate|gaming|surprise|decorate|date|painting|cleaning|baking|cooking|studying"
        "|hosting|watching|playing|making|clean|deep clean|redo|redoing|repaint|repainting|fix"
        "|fixing|tidy|tidying|sort out|build|building|paint|garden|gardening|work on|finish"
        "|finishing|practise|practice|revise|revising))",
        # I know how and when.
        "i know (how|when|where) (and|and i know|i know) ~2 (how|when|where) !(to|i will|i am going)"
        " !(~4 (to (get|find"
        "|make|cook|do|fix|use|reach|go)|the (bus|train|meeting|party|exam|appointment)|i will"
        " (tell|ask|see|call)|to tell))",
        # Holding on only until an event, and then done.
        f"(done|gone|over|the end|finished|not be here|be gone) {ACROSS}(hold it together|hold"
        " on|hang on|keep it together|keep going|stick it out|get through it|make it|hold out"
        "|be strong|pretend|keep smiling) (till|until|til|up to|up until) (then|that day|after"
        f" it|after that) !({ACROSS}(holiday|vacation|summer|break|retire|retirement|new job"
        "|graduate|graduation|payday|pay day|weekend off|time off|leave))",
        # Ending things before a day, not with a partner.
        "(plan|planning|going|gonna|want|wanna|decided|ready|need|intend|intending) (to)? end"
        " things !(with|between|off|at work|at the|for (the|my) (club|team|group|band))",
        # A plan that calms.
        "(i have|i ve got|i got|i have got|i made|i have made|i finally have|now i have) a plan"
        " !(for|to|with|about|b|in place for) (now)? ~6 (calm|calmer|peace|peaceful|relief|relieved|ready|lighter|settled|weirdly"
        f"|strangely|oddly) !({ACROSS}(for (the|my|this|next) ~2|budget|revision|study|debt|money"
        "|diet|workout|training|job|career|therapy|treatment|recovery|sleep|the week|the month"
        "|school|uni|exams|move|moving|wedding))",
        # Joining the one who died, on his day.
        "(death|died|passed|grave|funeral|heaven|anniversary|lost him|lost her|since he went|since"
        f" she went) {ACROSS}(going to|gonna|will|want to|wanna|ready to|time to|i ll|day i|day"
        " i am going to|can finally) (finally)? (join|be with|go to) (him|her|them|my ~1|mum|mom"
        "|dad) (again)? !(~3 (for|at|in the (pub|park|garden|kitchen)|on (holiday|the trip)"
        "|tomorrow for|to the|at the|in spirit))",
        # A room with no way back booked, and nobody knows where.
        "(did not|didnt|not|no need to|never) (book|buy|get|bother with|booking) (a|the)? (way back"
        f"|return ticket|return|ticket back|ticket home|way home|return trip) {ACROSS}(nobody|no"
        " one|noone|none of them) (knows|will know|know|would know) (where|about)",
        # Walking into the water, cold or deep enough.
        "(walk|walking|wade|wading|swim|swimming|go|going|head|heading) (out)? (into|in|to) (the)?"
        f" (sea|ocean|river|lake|water|waves|loch|canal) {ACROSS}(cold enough|deep enough|and not"
        " come back|not coming back|keep walking|keep going|until i (cant|cannot|can not|am gone"
        "|disappear)|till i (cant|cannot|can not)|stones|rocks|weights|never come back|will not"
        " come back|wont come back|not come out|not swim back|too far out)",
        # A high place where it would be so easy.
        f"{PLACE_HIGH} {ACROSS}(it would be|itd be|it d be|would be|it is|its) (so)? (easy|simple"
        "|quick|tempting) (to)? (just)? (jump|step|lean|let go|fall|go over|climb over|climb"
        "|end it|do it|<end>) !(~4 (to (order|book|buy|get|grab|call|pop|text|message)|for (a|the)"
        " (photo|picture|selfie)))",
        # Hose and tape, for the car.
        "(hose|hosepipe|tubing|tube) ~6 (duct tape|gaffer tape|tape) ~8 (car|trunk|boot|exhaust"
        f"|garage) !({ACROSS}(garden|leak|sprinkler|plants|wash|washing|pool|pond|fix|fixing|repair"
        "|aquarium|fish tank|hobby|project))",
        "(duct tape|gaffer tape|tape) ~4 (hose|hosepipe|tubing) ~8 (car|trunk|boot|exhaust|garage)"
        f" !({ACROSS}(garden|leak|sprinkler|plants|wash|washing|pool|pond|fix|fixing|repair"
        "|aquarium|fish tank|hobby|project))",
        "(turned|turn|turning|left|leave|switched|switch) (on)? (the)? (gas|oven gas|gas oven|gas"
        f" hob|gas stove|gas cooker) (on)? {ACROSS}(windows|window|doors|door|vents|gaps) ~2 (shut"
        "|closed|sealed|taped|blocked|stuffed)",
    )
    + rules(
        "preparation",
        "crisis",
        f"(printed|wrote|written|left|put|gave|giving|writing|listed|saved) ~4 (all)? my (passwords"
        "|pins|pin numbers|bank details|logins|login details|account details|phone pin|phone code)"
        f" {ACROSS}(envelope|for my|for him|for her|to my|with (his|her) name) !({ACROSS}(holiday"
        "|trip|surgery|operation|hospital stay|in case i forget|forget|forgetful|password manager"
        "|so (he|she) can help|help me|while i am away|while away))",
        "so (nobody|no one|noone|they|my ~1) (gets|get|is|are|will be|would be|will not be|wont"
        " be|is not|isnt) (not)? (stuck|left|lumbered|burdened|saddled) with (it|them|anything"
        "|the (bills|debt|debts|mess|costs|bill)|my (debt|debts|bills|mess)) ~3 (after|afterwards"
        "|when i am gone|once i am gone|after i am gone|later on)",
        "(reading|read|researching|researched|googling|googled|looking up|looked up|searching"
        "|searched|looking into|looked into|watching videos|read up) ~4 (which|what|the|about"
        "|on|how)? ~2 (ways|way|methods|method) (are|is|would be|that are|that is)? (painless|quick"
        "|quickest|fastest|surest|least painful|most painless|most reliable|certain|foolproof)"
        " !(~4 (to (learn|cook|lose|study|get|make|quit|remove|clean|fix|travel|save|pay|sleep"
        "|fall asleep|wake|train|stretch)|for (kids|dogs|cats|babies|the baby)|of (payment|travel"
        "|getting|saving)|tattoo|piercing|wax|waxing|epilation|hair removal|injection|injections"
        "|vaccine|vaccines|blood test|blood tests|dentist|dental|birth|labour|labor))",
        "(want|need|wanted) (it|everything|the flat|the house|my room|the place) (to be)? (tidy|clean"
        "|sorted|neat|in order|nice) (for)? (whoever|whomever|the person who|the one who|the people"
        " who) (finds|find|will find|is going to find|comes in)",
        "(whoever|whomever) (finds|will find|is going to find|will come and find|has to find) (me"
        "|my body|this|my note|the note)",
        "(make sure|please make sure|ensure|see that|see to it that|promise) ~4 (gets|get|has|have"
        "|keeps|keep|receives|receive|takes|take) my ~3 (after|afterwards|when i am gone|once i am"
        " gone|after i am gone|after i die|after everything) (<end>|{(?:\\. )?})",
    )
    + rules(
        "goodbye",
        "crisis",
        "(if|when|once) (anyone|anybody|someone|somebody|you all|people|they|whoever) (reads|read"
        f"|finds|find|sees|see) this {ACROSS}(tell ~3 (i|that i)|bye|goodbye|sorry|forgive|love you"
        "|take care of|look after|it was not|it wasnt|do not blame|dont blame|i am sorry|farewell)",
        "(tell|please tell|pls tell) ~2 (that)? i (forgave|forgive|loved|love|am sorry|was sorry"
        "|never meant|did my best|tried|really tried|never blamed) (him|her|them|you|everyone)?"
        f" {ACROSS}(bye|goodbye|farewell|forever|for ever|<end>|the end|last)",
        "farewell (everyone|all|friends|world|cruel world|my friends|my loves|to all)? (<end>"
        "|{(?:\\. )?}) !(~4 (party|tour|concert|speech|card|dinner|drinks|gift|lunch|do|bash"
        "|present|email|message to|address|match|game|show|season|colleagues|team|job|see you"
        "|until|till|for now|for the summer|for a while|for now))",
        "(delete|close|shut down|deactivate|cancel|wipe) (my|this) (account|accounts|profile|phone"
        "|socials|data|chats|messages|history) (when|after|once|if) (it is|its|it s|i am|im|it"
        " has|everything is|it all is) (done|over|gone|dead|finished|happened)",
    )
    + rules(
        "self_harm",
        "crisis",
        # Hiding the marks.
        f"{HIDE_WEAR} {ACROSS}so (nobody|no one|noone|they|people|my ~1|he|she|mum|mom|dad) (can"
        f"|will|would|does|do|can not|cant|wont|will not)? (not)? (see|sees|notice|notices|ask"
        f"|asks|spot|spots) ~2 (my)? ({SKIN}|{MARKS})",
        f"(explain|hide|cover|cover up|covering|hiding|hid|covered|conceal|concealing) (the|my|these"
        f"|those|all the)? (new|fresh)? {MARKS} (on|across|up) my {SKIN} !(~4 (from (the|a|my)"
        " ~2|cat|kitten|dog|puppy|surgery|operation|accident|fall|bike|eczema|rash|bites|gardening"
        "|climbing|work|rugby|football|birth|c section|caesarean|tattoo|tattoos))",
        # Hitting myself.
        "(punching|hitting|banging|slapping|smacking|punch|hit|bang|slap|smack|punched|banged"
        "|slapped|smacked) (the wall and)? (my own|myself in the|myself on the|my) (head|face"
        "|legs|thighs|stomach|arms) !(~3 (on|against|off|into) (the|a|my) ~1 (cupboard|door|shelf"
        "|car|wall by|desk|table|ceiling|beam|doorframe|window|sink)) !(~4 (by accident"
        "|accidentally|when i (fell|slipped|tripped|stood up)|on the (cupboard|door|shelf)))",
        f"(knuckles|knuckle|fists|fist|hands|hand) (are|is)? (split|bleeding|bloody|raw|cracked)"
        f" (open)? {ACROSS}(on purpose|again|when i get like this|punching|punched|hit the wall"
        "|hitting)",
    )
    + rules(
        "abuse",
        "crisis",
        "(stepdad|step dad|stepfather|dad|father|uncle|stepbrother|brother|grandad|grandpa|coach"
        "|teacher|mums boyfriend|moms boyfriend|mum s boyfriend|mom s boyfriend|he|cousin|step"
        " brother|my mums partner|my moms partner) (comes|came|keeps coming|sneaks|creeps|snuck"
        "|crept|gets|got) (into|in|in to) my (room|bed|bedroom) (at night|when|while|every|again"
        "|late)",
        "(touches|touched|touching|keeps touching|grabs|grabbed) me ~4 (and i (do not|dont|didnt"
        "|did not) (want|like)|when (nobody|no one|mum|mom) (is|was) (home|around|there)|at night"
        "|where i do not|where i dont|without asking|even when i say no|when i said no)",
    )
    + rules(
        "harm_to_others",
        "crisis",
        "(could|want to|wanna|gonna|going to|will|am going to) (kill|stab|hurt|strangle|murder"
        f"|shoot|beat) (him|her|them|my ~1) {ACROSS}(i mean it|i mean that|not joking|not kidding"
        "|i am serious|im serious|dead serious|i am not joking|no joke|for real this time|i am"
        " not even joking|seriously this time)",
    )
)

RULES_VOICES_DE_2: tuple[Rule, ...] = tuple(
    rules(
        "passive_death_wish",
        "crisis",
        "(ware|wars|war|wurs|war es) (mir)? (grad|gerade|ganz|echt|eigentlich)? (recht|lieber|egal)"
        " (wenn|wenns) ~4 (aufhort|aufhoren|vorbei ist|vorbei war|zu ende ist|zu ende war|weg bin"
        "|nicht mehr da bin|nicht mehr aufwache|aus ist|aufhorn|aufhoat)",
        "(gott|herr|jesus|himmel|herrgott) ~6 (hol|nimm|ruf|nehm|hole) mich ~2 (zu dir|zu sich|heim"
        "|zu euch|endlich)",
    )
    + rules(
        "suicidal_ideation",
        "crisis",
        # Dialect: "i wui nimma lebn", "mag nimmer leben".
        "(wui|wuil|will|mag|mog|mocht|mochte|mecht|kann) (nimma|nimmer|nimmermehr|nicht mehr|numme"
        "|nume|nimme) (lebn|leben|lebe|da sein|do sei|da sei|existieren)",
    )
    + rules(
        "plan",
        "crisis",
        # Decided, a day, and who will be away.
        "(hab mich entschieden|habe mich entschieden|ich hab mich entschieden|ich habe mich"
        f" entschieden|entscheidung steht|entschluss steht|steht fest|entschieden) {ACROSS}(am"
        " (montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|wochenende)|heute nacht"
        "|heute abend|morgen|diesen (montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag))"
        " ~2 (wenn|sobald|wahrend|weil) ~4 (weg|im urlaub|unterwegs|nicht da|schlafen|verreist"
        f"|arbeiten|auser haus|aus dem haus|bei (ihrer|seiner|ihren|seinen)) !({ACROSS}(party|feier"
        "|feiern|kochen|backen|uberraschung|freunde|einladen|putzen|streichen|zocken|lernen))",
        # Holding on until then.
        f"schluss {ACROSS}(bis dahin|solange|so lange) (halt|halte|muss|schaff|schaffe|halt ich"
        "|halte ich) (ich)? (noch)? (durch|aus|es|irgendwie)",
        f"ist (endgultig|dann)? schluss !(mit) {ACROSS}(hab ich mir geschworen|habe ich mir"
        " geschworen|geschworen|ich hab mich entschieden|fur immer|endgultig)",
        # I know how, and I will go through with it.
        f"(weiss|weis|wei) (jetzt|nun|schon|genau)? (wie|wann|wo) {BREAK}? (und)? (ich)? (zieh|ziehe"
        "|mach|mache|tu|tue) (das|es|ichs) (jetzt|heute|heut|morgen)? (durch|heute|heut nacht|heute"
        " nacht)",
        # Gas on, windows shut.
        "(gas|gasherd|gashahn|gasofen|gasheizung|herd) ~3 (aufgedreht|aufdrehen|angemacht|an"
        f"|auf|offen|lauft|aufgemacht) {ACROSS}(fenster|tur|turen|ritzen|lucken) ~3 (zu|zugemacht"
        "|geschlossen|abgedichtet|verklebt|zugeklebt|dicht)",
        # A high place where it would be so easy.
        f"{PLACE_HIGH_DE} {ACROSS}(es ware|es war|wars|ware|war) (so|ganz|echt|einfach)?"
        " (einfach|leicht|schnell vorbei|schnell)",
        # A rope with the knot already made.
        f"(seil|strick|gurtel|kabel) {ACROSS}(knoten|schlinge) (schon)? ~2 (reingemacht|gemacht"
        f"|geknupft|gebunden|fertig|vorbereitet) !({ACROSS}(boot|segeln|klettern|pfadfinder"
        "|schaukel|hangematte|zelt|wasche|kurs|ubung|uben|geubt))",
    )
    + rules(
        "preparation",
        "crisis",
        "(gegoogelt|gegooglet|gegoogled|gesucht|recherchiert|nachgelesen|nachgeschaut|geschaut"
        "|gelesen|informiert) ~4 (wie viel|wieviel|wie viele|wieviele|welche menge|welche dosis|ab"
        f" wann|wie lange|welche) {ACROSS}(braucht|todlich|sicher klappt|damit es klappt|reicht"
        "|sterben|tot)",
        f"(wieder|noch|schon wieder) (eine|ne|n|nen|einen) (packung|schachtel|dose|streifen)"
        f" {ANY_MEDS_DE} {ACROSS}(ist|sind|das ist) (jetzt|nun|schon)? (die|der|das)? ({{[0-9]+ }}"
        "|sechste|funfte|siebte|achte|vierte|dritte|zehnte)",
    )
    + rules(
        "goodbye",
        "crisis",
        f"(danke|vielen dank|merci|dankeschon) ~8 (zugehort|zuhoren|zuelose|da gewesen|da warst"
        f"|da wart|geholfen|alles) {ACROSS}{FAREWELL_DE} !({NEAR}(bis|nachste woche|nachstes"
        " mal|morgen|dann))",
        "(mald|meld|melde|mel) (mi|mich|mir) (nume|numme|nimmer|nimma|nimmermehr|nicht mehr"
        "|nie mehr|nie wieder) !(~4 (bis|wegen|am|nach|vor|beim|diese woche|nachste|dort|bei dem"
        "|bei der|in der gruppe|im chat))",
        "(richte|richtet|sag|sagt|sagen sie|sagt bitte|sag bitte) (meiner|meinem|meinen) ~2 (aus)?"
        " (dass|das) ich (sie|ihn|euch|dich|sie alle) (lieb hab|lieb habe|liebe|geliebt habe"
        "|vermisse|nie vergessen)",
        "(mei|meine|mine|des is mei|das ist meine) letzte (nachricht|message|nachrichten)"
        " !(~4 (heute|fur heute|vor dem|bevor|fur diese woche|im urlaub|fur eine weile|fur ein"
        " paar))",
    )
    + rules(
        "self_harm",
        "crisis",
        "(hau|haue|schlag|schlage|boxe|box) mir (selbst|selber)? ~2 (ins gesicht|auf den kopf"
        "|gegen den kopf|in den bauch|auf die beine|auf die arme|an den kopf) !(~3 (aus versehen"
        "|versehentlich|beim))",
        f"(lange armel|langarm|langarmlig|pulli|pullover|armbander|pflaster) {ACROSS}(wegen|damit"
        "|weil) ~4 (narben|schnitte|wunden|kratzer|die neuen|frisch|frischen|keiner sieht|niemand"
        " sieht)",
    )
    + rules(
        "harm_to_others",
        "crisis",
        "(konnt|konnte|wurde|will|mocht|mochte) (ihn|sie|den|die|meinen ~1|meine ~1) (abstechen"
        f"|umbringen|erwurgen|erschiesen|erschiessen|erstechen|kaltmachen|totschlagen) {ACROSS}(ich"
        " mein das ernst|ich meine das ernst|ernst gemeint|kein witz|kein scherz|im ernst|echt"
        " jetzt|wirklich)",
    )
)

# The third writer's set (round 11, last part): one clause of risk inside an ordinary day, and the
# German word order that puts the verb first ("dann bring ich mich um").
RESEARCH = (
    "(looked up|look up|looking up|googled|googling|searched|searching|researched|researching"
    "|read up on|reading up on|checked|checking|read about|reading about|watched videos about)"
)
RESEARCH_DE = (
    "(gegoogelt|gegooglet|gegoogled|gesucht|recherchiert|nachgelesen|nachgeschaut|geschaut"
    "|gelesen|informiert|angeschaut)"
)

RULES_VOICES_EN_3: tuple[Rule, ...] = tuple(
    rules(
        "passive_death_wish",
        "crisis",
        "(think|thinking|thought|feel|feeling|maybe|sometimes) (it is|is|it would be|would be|its)"
        " better (if|that|when)? i (am|was|were|m|would be) (not|no longer|never) (living|alive"
        "|here|around|existing|born) (anymore|any more)? !(~3 (at (work|home|school|the party"
        "|this job)|in (this|the|that) (job|team|house|flat|city|relationship|class|group)|for"
        " (the|this|a) ~2|on (the|this) (team|project)))",
        "(do not|dont|did not|didnt) want to be (around|here|alive) (for|at|by|on) (christmas"
        "|new year|my birthday|the holidays|summer|next year|the weekend|tomorrow|much longer"
        "|long|the new year) !(~4 (because|cos|as|if|when|the (party|dinner|family) ~2|at (the"
        "|my|their|his|her) (party|parents|mums|moms|dads|in laws|house)))",
        "(cannot|can not|cant|could not|couldnt|do not|dont) (even)? (picture|imagine|see) myself"
        " (at|by|in|for|on) ~2 (christmas|new year|my birthday|summer|next year|next month"
        f"|next week|spring|the future|a year|30|40|50|old) {ACROSS}(glad|relieved|relief|good"
        "|happy|ok with|fine with|part of me|peace|calm)",
        # Thoughts of suicide that are back, told as a note for the therapist.
        "(suicidal|suicide|dark|death) (thoughts|feelings|urges|ideation) (are|have been|have"
        " come|came|is)? ~1 (back|again|returning|worse|stronger|more often|every day|daily"
        "|constant)",
        "(get|got|have|would get|would have|would) (the)? (life insurance|insurance|payout|pay out"
        f"|insurance money) {ACROSS}(free of me|rid of me|better off|without me|be free|move on)",
        "(how easy|so easy|easy) (it would be|itd be|it d be|it is) (to)? (just)? (not make the"
        " bend|not turn|not brake|miss the (bend|turn|corner)|keep (going|driving) straight|drive"
        " off|let go of the wheel|not stop)",
    )
    + rules(
        "plan",
        "crisis",
        # Time and intent, with "the night" or "doing it".
        "(tonight is|tonights|tonight s|today is|todays|tomorrow is|this is) the (night|day)"
        f" {BREAK}? ~4 (genuinely|for real|seriously|honestly|not a cry for help|it is happening"
        "|i mean it|no going back|i am ready|this is it)",
        "not a cry for help",
        "(settled on|decided on|picked|chose|chosen|going with|fixed on) (doing it|the day|a day"
        "|the date|a date|when|the time|the week) !(~4 (for the (party|wedding|move|trip|holiday"
        "|meeting|dinner)|to (move|meet|go|travel|celebrate|tell|propose|ask)))",
        "(deciding|decided|decide|working out|worked out|figured out|figuring out) (when|where|how)"
        f" {BREAK}? ~3 (i think|probably|maybe|it will be|its)? ({DAY_WORDS_EN})",
        "(worked it all out|worked it out|figured it all out|figured it out|got it all planned"
        f"|planned it all|all planned out|it is all planned) {BREAK}? ~3 (the)? ({PLACE_HIGH}|cliffs"
        f"|cliff|woods|forest|lake|river|sea|quarry|bridge|tracks|railway|motorway) !({ACROSS}(trip"
        "|walk|hike|picnic|holiday|route|drive|visit|camping|run|ride|swim|party))",
        "(not|will not|wont|not going to|not gonna) (be here|be around|be alive|make it) (for|by"
        " the time of|to) (the|our|my)? (next|thursdays|tuesdays|mondays|wednesdays|fridays|next"
        f" weeks)? (session|appointment|check in|checkin) {ACROSS}(made my mind up|made up my mind"
        "|decided|not changing|it is decided|for good|my mind is made up|final|sorry)",
        "(there will not|there wont|there is not going to|there isnt going to) be (one|another"
        f"|a next one|a next session|another session) !({ACROSS}(moving|move|insurance|holiday"
        "|vacation|discharged|finished|better|ended|ending|new therapist|cost|money|afford))",
        "(out past|out beyond|out to|past) (the)? ~2 (heads|reef|breakers|buoys|headland) ~6 (not"
        " coming back|and not come back|never coming back|wont come back|will not come back)",
        "(not coming back|will not come back|wont come back|never coming back) (in|out|up|down"
        "|home)? !(~4 (to (this|that|the) ~2|here|there|again|for|until|till|after|because|cos"
        "|unless|from (holiday|vacation|the trip)|to work|to the office))",
    )
    + rules(
        "preparation",
        "crisis",
        # Research on means, then the history wiped.
        f"{RESEARCH} ~6 (which|what|the) ~2 ({PLACE_HIGH}|bridges|buildings|car parks|cliffs|roofs"
        "|stations|crossings|trains) ~4 (have no|without|with no|no|lowest|highest|least) (barriers"
        "|barrier|fence|fences|fencing|railings|nets|net|cameras|security|staff|high enough)",
        f"{RESEARCH} {ACROSS}(cleared|deleted|wiped|erased) (my|the)? (search|browser|browsing)?"
        " history",
        f"{RESEARCH} ~4 (how long|how quick|how quickly|how fast|how much it hurts|how painful|which"
        " is|what is|the) ~4 (different|the|each|various)? (ways|methods|way|method|options) (take"
        "|takes|would take|hurt|hurts|work|works|feel)",
        # Care arranged for when something happens.
        f"(take|have|look after|feed|care for|keep|mind) (the|my|our)? {PET} ~6 (if|in case|when)"
        " (anything|something|smth) (happens|happened|happen|were to happen|was to happen|goes"
        " wrong|ever happens) !(~4 (at work|while i am|while im|on holiday|when i am away|during"
        "|in hospital|surgery|operation|trip|travel))",
        "(recorded|wrote|made|filmed|written|recording|writing|making) ~4 (video|videos|letter"
        "|letters|message|messages|cards|voice notes|voice messages) (for|to) (each of)? (the|my)"
        f" ~1 (kids|children|son|daughter|family|boys|girls|grandkids) {ACROSS}(birthdays|future"
        "|when they are older|when they grow up|in case|for later|after|to open (later|when))"
        f" !({ACROSS}(christmas card|school|homework|project|party|invitation|invitations))",
        "(wrote down|written down|writing down|made a list of|listed) (where|what) (everything"
        "|all the (papers|documents|accounts)|the (papers|documents|accounts|passwords)) (is|are)"
        " (for|so) ~3",
        "(gave|giving|give|given) (him|her|them|my ~1) (dads|mums|moms|my|grandads|grandmas|our)"
        f" ~1 (watch|ring|necklace|guitar|medals|car|records|camera|jewellery|jewelry) {ACROSS}(calm"
        "|lighter|peace|sorted|tidy|done|ready|finally)",
    )
    + rules(
        "goodbye",
        "crisis",
        "(if|when|once|in case) (anyone|anybody|someone|somebody|whoever) (reads|finds|sees) this"
        " ~6 (key|keys|spare key|password|passwords|pin|the cat|the dog|needs feeding|feed|will"
        "|insurance|letter|letters|note)",
        "(none of this|it) (is|was) (not)? (on|her fault|his fault|their fault) (her|him|them|my"
        f" ~1)? {ACROSS}(make sure|tell|let) ~3 (tells|knows|know|tell)",
        "(take care of|look after) (the next person|everyone else|the others|them for me|my ~1 for"
        " me) !(~3 (at|in|while|until|till|tomorrow|today))",
        f"(bye|goodbye|farewell) (bot|checkin|everyone|all|world) {BREAK}? ~6 (it was|was) (nice|good"
        "|lovely|great) (talking|knowing|chatting)",
        "(properly|really|truly|final|last) (goodnight|good night|goodbye|bye) (this time|for"
        " real|forever|for good|for ever|<end>)",
        "(going to|gonna|will|about to|finally going to|finally gonna) (finally)? stop being"
        " (everyones|everybodys|your|their|a|the) (problem|burden|worry|headache|trouble)",
        "(delete|close|deactivate|wipe) (my|this) (account|profile|data|chats) (after|afterwards)"
        " <end>",
        "(do not|dont|tell (him|her|them|my ~1) not to) (go|come) (in|into) my (room|flat|bedroom"
        "|house) ~6 (call|ring|phone) (someone|somebody|the police|999|911|112|an ambulance)",
    )
    + rules(
        "method_mention",
        "crisis",
        "(ran|run|running|started|left|sat with|sitting with|had) (the)? (car|engine|motor) (running"
        "|on)? (in|inside) (the)? (garage|closed garage|shut garage) ~6 (door|doors) (shut|closed"
        "|down|locked)",
        "(walked|waded|went|swam) (into|in|out into) (the)? (sea|ocean|river|lake|water|loch) (up"
        " to|until|till) (my)? (chest|neck|chin|shoulders) !(~4 (swim|swimming|paddle|paddling"
        "|with (the kids|friends|my)|for a (swim|dip)|holiday|beach day|wild swimming|cold water"
        " swimming|dip|float))",
    )
    + rules(
        "self_harm",
        "crisis",
        # Starving as punishment.
        "(not eaten|have not eaten|havent eaten|did not eat|didnt eat|not eating|stopped eating"
        f"|starving myself|wont eat|will not eat) {ACROSS}(do not deserve|dont deserve|punishment"
        "|punish myself|punishing myself|as a punishment|deserve to starve|deserve it)",
        "(pulled|pulling|pull|ripped|tore|tearing) (out)? (a|big|my|another)? ~2 (chunk|chunks"
        f"|clump|clumps|handful) (of)? (my)? hair (out)? {ACROSS}(again|bald patch|bald spot|hide"
        "|cant stop|can not stop)",
        "(wound|wounds|cut|cuts|burn|burns) (i|that i) (made|did|gave) (myself|to myself|on"
        " myself)",
        f"(saw|seen|noticed|found|asked about) the {MARKS} on my {SKIN} {ACROSS}(said|told (him"
        "|her|them)|lied|lying|pretended) ~4 (cat|dog|accident|fell|the gym|brambles|it was"
        " nothing|nothing)",
    )
    + rules(
        "abuse",
        "crisis",
        "(did|does|doing|done) (stuff|things|something|sexual things|stuff he|things he) (to|with)"
        " me ~6 (too drunk|asleep|passed out|could not say no|couldnt say no|i said no|i did not"
        " want|i didnt want|without asking|against my will|did not consent|didnt consent|out of"
        " it)",
        "(took|takes|has|kept|keeps|hid|hides|hidden) (my)? (passport|visa|papers|documents|id|bank"
        " card|phone|wages|money) ~8 (not going|not allowed|will not let|wont let|if i try|if i"
        " leave|call immigration|deport|report me)",
        "(if i try|if i leave|if i go) ~3 (he|she|they) (will|ll|would) (call immigration|report me"
        "|deport me|take the kids|hurt|kill|find me|make me pay|ruin me)",
    )
)

RULES_VOICES_DE_3: tuple[Rule, ...] = tuple(
    rules(
        "suicidal_ideation",
        "crisis",
        # The verb first: "wenn ..., bring ich mich um".
        "(bringe|bring) ich mich ~3 um !(den|die|das|meinen|meine|meinem|vor|fast)",
        "(mach|mache|machs|mach ich|mache ich) (ichs|ich es|ich's|es)? ~2 (heut nacht|heute nacht"
        f"|heute|morgen|jetzt|am wochenende) {BREAK}? ~4 (keine angst mehr|keine angst|hab keine"
        " angst|ist es vorbei|ist schluss|endgultig)",
        f"(heut nacht|heute nacht|heute|morgen) (mach|mache) (ichs|ich es|ich s|ich's) !({NEAR}(fertig"
        "|sauber|die (wasche|steuer|hausaufgaben|prasentation)|den (abwasch|termin)|endlich (fertig"
        "|los)))",
    )
    + rules(
        "passive_death_wish",
        "crisis",
        "(wunsch|wunsche|wunschte) (ich)? (mir)? ~2 (einfach)? ~1 nicht mehr (aufzuwachen|aufwachen)",
        "(wenn|falls) (ich|i) (morgen|einfach|plotzlich)? (nicht mehr|nimmer) (da|do|hier) (ware"
        f"|war|waa|bin) {ACROSS}(egal|wurscht|wurst|merkt|vermisst|besser|leichter)",
        "(will|wet|wett|mocht|mochte|wollte) (einfach|eifach)? (nicht mehr|nimmer) (da|do|hier)"
        " (sein|si|sei)",
    )
    + rules(
        "plan",
        "crisis",
        "(hab mich entschieden|habe mich entschieden|ich hab mich entschieden|ich habe mich"
        f" entschieden|entscheidung steht|entschluss steht) {BREAK}? (nachsten|nachster|diesen"
        "|am|kommenden)? (montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|wochenende)"
        " ~1 (wenn|sobald|wahrend) ~6 (bei|weg|im urlaub|unterwegs|nicht da|schlafen|verreist"
        f"|arbeiten) !({ACROSS}(party|feier|feiern|kochen|backen|uberraschung|freunde|einladen"
        "|putzen|streichen|zocken|lernen|renovieren|aufraumen|machen wir|bauen))",
        "(weiss|weis|wei|woas|woass) (schon|scho|jetzt|genau)? (wo und wann|wann und wo|wie und"
        " wann|wann und wie) !(~3 (ich (es|ihr|ihm|euch|dir) ~2 (sage|sag|erzahle|zeige|frage"
        "|gebe)|ich (hinfahre|hinfahr|fahre|anrufe|kundige|hingehe|frage)|der termin|die party|das"
        " treffen|wir uns treffen|es losgeht))",
        "(auto|wagen) ~3 gegen (den|die|das|einen|eine|ein|nen|n|ne)? (nachsten|nachstbesten)?"
        f" (baum|bruckenpfeiler|pfeiler|wand|mauer|lkw|brucke|betonwand|laster) {ACROSS}?(ohne gurt"
        "|wenn ichs mach|wenn ich es mache|dann|mit vollgas|ungebremst)",
    )
    + rules(
        "preparation",
        "crisis",
        f"{RESEARCH_DE} ~4 (welche|welches|wie viele|wieviel|wie viel) ~2 (medikamente|tabletten"
        "|mittel|pillen|brucke|brucken|gebaude|stelle|methode|methoden|dosis) !(~2 (bei|gegen|fur"
        "|zum|zur)) ~4 (am schnellsten"
        "|am sichersten|schnell|todlich|sicher|keine (absperrung|gelander|netz|zaun)|ohne"
        " (absperrung|gelander|netz|zaun)|schnellsten|wirken|reicht|reichen)",
        f"{RESEARCH_DE} {ACROSS}(den|meinen|die) ~1 (verlauf|suchverlauf|browserverlauf|historie)"
        " ~1 (geloscht|geleert|loschen)",
        f"{PET_DE} ~3 (kommt|geht|bleibt) (zu|bei) (meinem|meiner|meinen) ~1 {ACROSS}(denkt|glaubt"
        "|meint|weiss nicht|weis nicht|ahnt nicht) ~3 (ich|dass ich|das ich) ~4 (nur|reha|urlaub"
        "|kur|verreise|weg bin)",
        f"(seil|strick) (gekauft|kauft|besorgt|bestellt) {ACROSS}(keller|dachboden|garage|versteckt"
        "|wann|noch nicht wann|no ned wann)",
    )
    + rules(
        "goodbye",
        "crisis",
        "(ich verabschiede mich|verabschiede mich|ich mochte mich verabschieden|ich will mich"
        f" verabschieden) {ACROSS}(nicht traurig|besser so|fur immer|lebt wohl|machts gut|es tut"
        " mir leid|verzeiht|tschuss)",
        "(falls|wenn) (jemand|irgendwer|ihr|einer) (das|dies|den text)? (liest|lest|findet) ~8"
        " (schlussel|passwort|passworter|katze|hund|futter|testament|versicherung|pin)",
        "(sagen sie|sag|sagt|sagts|richten sie|richtet) (ihm|ihr|ihnen|meinem ~1|meiner ~1|da|der"
        "|dem) ~2 (bitte)? (dass|das) ich (stolz auf|lieb|gern) ~3 (war|hatte|hab|habe|ghobt|gehabt)",
        "(mir|wir) (gsehnd|sehen) (uns|us) (nicht mehr|nie mehr|nie wieder)",
        f"(danke|merci|vielen dank) (fur alles|fur's|furs zuhoren|dass sie mir zugehort) {ACROSS}(gute"
        f" nacht|lebt wohl|machts gut|pfiat|ade|tschuss) !({NEAR}(bis|nachste woche|morgen))",
    )
    + rules(
        "act_under_way",
        "crisis",
        "(pulsadern|pulsader|handgelenke|handgelenk) ~3 (aufgeschnitten|aufgeschlitzt|aufschneiden"
        "|aufschlitzen|geritzt|geschnitten|offen)",
        "(hort|hoert|will) nicht (auf|mehr auf) (zu bluten|zu bluten auf)",
        f"{{[1-9][0-9]* }}(stuck|tabletten)? (von meinem|von meinen|meiner|meine)? {ANY_MEDS_DE}"
        f" {ACROSS}(genommen|geschluckt|eingeworfen|eingenommen|runtergeschluckt)",
    )
    + rules(
        "self_harm",
        "crisis",
        "(hab|habe|ich hab) mich (mit der|mit einer|mit ner) (zigarette|kippe|feuerzeug|kerze)",
        f"(nichts|nix|kaum was) (gegessen|essen) {ACROSS}(zur strafe|strafe|nicht verdient|verdien"
        "|hab es nicht verdient|habs nicht verdient)",
        f"(hau|haue|schlag|schlage) (mi|mich) (selber|selbst) {ACROSS}(blaue flecke|blaue fleck|blau"
        "|strafe|strof|verdien)",
    )
    + rules(
        "in_danger",
        "crisis",
        f"(bringt|bringe|bring) (er|sie|der|mein ~1|meine ~1) mich (und sich)? ~2 um {ACROSS}(glaub"
        "|glaube|ernst|angst|wirklich|meint es ernst|tut er|tut sie)",
        f"(rausgeworfen|rausgeschmissen|vor die tur gesetzt|rausgeschmisen) {ACROSS}(nachts|in der"
        " nacht|weis nicht wohin|weiss nicht wohin|kein ort|auf der strase|am bahnhof)",
        "(hat|hatte) mich (angefasst|begrapscht|befummelt|missbraucht|vergewaltigt|gegen meinen"
        f" willen) {ACROSS}?(droht|erzahlt|sagen|glauben|niemand|keiner|nicht wollte)?",
    )
    + rules(
        "harm_to_others",
        "crisis",
        "(will|wui|wu|mocht|mochte) (ihm|ihr|eam|ihnen) (wehtun|weh tun|was antun|eine reinhauen)"
        f" {ACROSS}(messer|waffe|eingesteckt|dabei|richtig|ernst)",
    )
)
