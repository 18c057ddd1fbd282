"""Rules by the shape of a message, from the lead's blind round 9 (issue 10, round 10).

The blind set was written by someone who never saw the rules, and 38 of its 98 crisis messages
screened calm. They were not new words but familiar shapes told in another writer's voice:

- *not waking up, not existing, welcome harm*: a wish that sleep or an accident would do it ("kinda
  hope that i just dont wake up", "wouldnt mind if a truck hit me", "disappointed when the car
  braked", "wär mir egal wenn mich n lkw erwischt"), death thoughts that are back;
- *a decided plan told calmly*: a decision, a day, who will be away, "just wanted someone to know";
- *finality*: "the last time ill write", "signing off for good", "tschüss. für immer", future
  appointments not needed, "tell her it's not her fault", "a proper goodbye before i go", "it
  won't hurt anymore where im going", "bis dahin bin ich nicht mehr da";
- *relief for others from a time on*: "everyone's life gets easier after tonight", "a burden ...
  and that ends now", "they'd finally get to breathe if i wasnt around";
- *preparation for after*: who gets what after I'm gone, the dog looked after "wenn ich nicht mehr
  da bin", messages scheduled for the people "who'll need to know why i did it", refills from
  different pharmacies so nobody notices;
- *being at the place*: on the platform waiting for the express "not planning on getting on it",
  a railing low enough to climb, a rope already hanging;
- *danger as watching, threats and hiding*: he knows where I live and I'm scared, "you'll regret
  leaving me", hiding in the bathroom while she throws plates, locked in with the key taken;
- *harm to another with a weapon on me*: "stech ihn ab. messer hab ich dabei".

Each family names its everyday twins as exceptions (a train to Hamburg, a job's last day, a
social-media detox, therapy ending well, hiding from the party guests); context (negation, other
people, the past, reports) applies as for every rule.
"""

from __future__ import annotations

from bot.safety.rule import END_OF_STATEMENT, Rule, rules

END = END_OF_STATEMENT
BREAK = "{(?:\\. )?}"
# Up to ten words, across clause ends (a raw piece: the phrase language's gaps stop at a clause).
ACROSS = "{" + "(?:[a-z0-9.]+ )?" * 10 + "}"
# Up to four words across clause ends: for exceptions just after a match ("..., alter job!").
NEAR = "{" + "(?:[a-z0-9.]+ )?" * 4 + "}"
DAY = (
    "(monday|tuesday|wednesday|thursday|friday|saturday|sunday|tonight|tomorrow|today|this weekend"
    "|the weekend|next week|midnight)( night| morning| evening)?"
)
VEHICLE = "(car|cars|bus|buses|truck|lorry|train|van|tram|driver)"
# Things that make a goodbye or a departure ordinary.
TRIP = (
    "(airport|flight|holiday|vacation|trip|abroad|travel|travelling|traveling|move|moving|new job"
    "|uni|university|semester|exchange|bed|work|shift|gym|shops|store|class|school)"
)
# Things one gets off for good without dying.
MEDIA = (
    "(facebook|twitter|instagram|insta|tiktok|social media|socials|reddit|snapchat|whatsapp"
    "|discord|the group|this group|the chat|this chat|the server|dating apps|tinder|work|my job)"
)
WANT_KNOW_EN = "(just)? (wanted|want|needed|need) (someone|somebody|anyone|one person|you) to know"
PERSON_EN = (
    "(he|she|they|someone|somebody|my ex|my husband|my wife|my partner|my boyfriend|my girlfriend"
    "|my bf|my gf|my dad|my father|my stepdad|my mum|my mom|a (guy|man|woman|car)|the same (guy"
    "|man|car|van))"
)

RULES_SHAPES_EN: tuple[Rule, ...] = tuple(
    rules(
        "passive_death_wish",
        "crisis",
        # Hoping not to wake up, across a clause end ("kinda hope thats it, that i just dont
        # wake up"); not a lie-in, an alarm or a hangover.
        f"(hope|hoping|hopes|hoped|wish|wishing|wishes|wished|pray|praying|prays|prayed) {ACROSS}(i"
        " |that i) (would|could|d)? (just|simply)? (do not|did"
        " not|would not|will not|never|wont|dont|didnt|not) (wake|woke|waking) up !(~4 (early|on time"
        "|late|before|til|till|until|in time|at|with|hungover|tired|sick|for|every|when|again and))",
        "if i (just|simply)? (did not|do not|would not|never|didnt|dont) (wake|woke) up ~4 (i would"
        "|i d|id|would|it would)? (be)? ~1 (relieved|fine|ok|okay|happy|glad|grateful|at peace"
        "|a relief|not mind|not care|better)",
        "(relieved|glad|grateful|at peace|a relief|so nice|peaceful|happy) (if|when) i (just|simply)?"
        " (did not|do not|would not|never|didnt|dont) (wake|woke) up !(~3 (early|late|on time|for"
        "|at|before|in time))",
        "(would not|wouldnt|would not really|do not|dont) (mind|care) (if i)? (never|not|did not"
        "|didnt)? (waking|wake|woke) up (again|ever again|tomorrow|anymore|any more)?",
        # Not existing, told as peace ("how peaceful it would be to just... not exist").
        "(peaceful|nice|easier|better|a relief|restful|calm|quiet|lovely) (it would be|would it be"
        "|to be)? (to)? (just)? {(?:\\. )?}(not|no longer|stop) (exist|existing|be alive|being"
        " alive|be here|being here|be around) !(~3 (on|online|in|at|for a|for the|for like|for"
        " once))",
        "(stop|quit|cease) existing !(~3 (as|in|online|on))",
        # Welcome harm: a vehicle, a disappointment at surviving or at good news.
        f"(would not|wouldnt|do not|dont|would not even) (mind|care) (if|when) ~3 {VEHICLE} ~3"
        " (hit|hits|ran|runs|run|took|takes|knocked|knocks|flattened|got|gets) (me|into me)",
        f"(disappointed|gutted|bummed|annoyed|sad|upset) (when|that) ~2 {VEHICLE} ~2 (braked"
        "|stopped|swerved|missed me|did not hit me|didnt hit me|slowed)",
        f"{VEHICLE} (braked|stopped|swerved|missed me) {ACROSS}(disappointed|gutted|bummed|wish it had"
        "|wish it did not)",
        "(biopsy|scan|tests|test results|results|bloods|mri|lump) ~3 (came back|was|were) (clean"
        "|clear|benign|negative|fine|ok) ~6 (disappointed|gutted|bummed|let down) !(~4 (baby"
        "|pregnant|pregnancy|ivf|covid))",
        "(easier|easy|quicker|cleaner|simpler|better) way (out|to go) (than|then) (doing it|do"
        " it|killing myself|having to do it) (myself|my self)?",
        # Death thoughts that are back or growing.
        "(death thoughts|thoughts of death|thoughts of dying|thoughts about dying|thoughts about"
        " death|thoughts about not being (alive|here)|thoughts of not being (alive|here)|thoughts"
        " about ending it|dark thoughts about dying) (are|have)? ~1 (back|again|returned|louder"
        "|worse|stronger|every day|all the time|constant|not stopping|taking over)",
        # Others breathe again if I am gone.
        "(would|will|could|might) (finally)? (get to)? (breathe|be free|be happy|be happier|relax"
        "|rest|move on|have peace|live (their|his|her) (life|lives)) (again|properly)? (if|when"
        "|once) i (was|were|am|wasnt|werent)? (not|no longer|gone|dead|never)"
        " (around|here|alive|born)? !(~2 (so much|as much|much more|all the time|at home|this weekend"
        "|for (a|the|this|next) ~1|tonight|today))",
    )
    + rules(
        "plan",
        "crisis",
        # A decision without an object, a day, and who will be away ("ok i decided. saturday
        # when my roommate goes to her parents"); a party or a project after it makes it ordinary.
        "(decided|made my mind up|made up my mind|mind is made up|decision is made|decision made)"
        f" {BREAK} {DAY} ~1 (when|while|once|after|as soon as) ~4 (goes|go|leaves|leave|is away"
        "|are away|is out|are out|is asleep|are asleep|falls asleep|fall asleep|is at|are at|is"
        f" gone|are gone|visits|is on|are on|travels|asleep|in bed|out|gone|away) !({ACROSS}(party|people over|friends over|the"
        " girls|the boys|movie|film|clean|paint|bake|cook|practice|practise|invite|celebrate"
        "|gaming|surprise|decorate|redecorate|work on|study|revise|date|tell (her|him|them)"
        "|painting|cleaning|baking|cooking|studying|decorating|throwing|having|inviting|working"
        "|tidying|sorting|fixing|building|practising|practicing|watching|playing|hosting"
        "|making|planning|surprising|redoing|repainting|renovating|fixing|deep cleaning|clearing"
        "|gardening|decorating|rewiring|tiling|sanding|clean|paint|fix|redo|tidy))",
        # Doing it at a time, then telling someone just so they know.
        f"(do it|doing it|doing this|do this|it happens|it is happening|going through with it"
        f"|end it|ending it) ~2 {DAY} {ACROSS}{WANT_KNOW_EN}",
        "(decided|made my mind up|made up my mind|mind is made up|picked a date|picked the day)"
        f" {ACROSS}{WANT_KNOW_EN} !(~3 (about|that|what|how|in case))",
        # By then I will not be here.
        "(by then|by that time|by the time (it|that|they|you) ~2|by (monday|tuesday|wednesday"
        "|thursday|friday|saturday|sunday|next week|the weekend)) ~1 i (will not|wont|will no"
        " longer) (be here|be around|be alive|exist|be living) (anymore|any more)?"
        f" !({ACROSS}(moved|moving|move|holiday|vacation|abroad|leave|travelling|traveling|away|uni"
        "|trip|flight|country|city|town|there|at (work|home)|on (leave|holiday)|new job|job))",
    )
    + rules(
        "preparation",
        "crisis",
        # Stockpiling out of sight: several pharmacies so nobody notices; a full stash, enough.
        "(different|another|other|second|third|3rd|2nd|multiple|several|separate) (pharmacy"
        f"|pharmacies|chemist|chemists|doctor|doctors|gp|gps|shop|shops|store|stores) {ACROSS}(so"
        " (they|nobody|no one|the pharmacist|the pharmacy|it) (will not|wont|do not|does not"
        "|cannot|can not|would not) (flag|notice|ask|suspect|get suspicious|realise|realize|see"
        "|add up|raise)|so (nobody|no one|they|noone) (notices|sees|asks|flags|knows|suspects"
        "|realises|realizes|clocks)|without (anyone|them|anybody) (noticing|knowing|asking))",
        "(drawer|box|tin|jar|stash|bag|pile|collection|shoebox) (is|s)? ~2 (full|fuller|big enough"
        f"|big) (now)? {BREAK}? ~2 (enough|should be enough|plenty|that should do it)",
        # Messages timed for after, to the people who will need to know why.
        "(scheduled|timed|queued|set up|wrote|written|writing|drafted) ~3 (emails|email|messages"
        f"|texts|posts|letters|notes|a note|a letter|an email) {ACROSS}(why i did it|after i am gone"
        "|when i am gone|once i am gone|for after|after i die|when they find me|explain why i)",
        "(will|would|going to|gonna|are going to) (need|want|have) to know why i did (it|this)"
        " !(~2 (that way|like that|this way|wrong|so|in))",
        # Who gets what, and who looks after what, after I am gone.
        "(who gets|who will get|who should get|who has|goes to|go to|gets|get|look after|take"
        " care of|have|keep|inherit|inherits) ~6 (after|when|once|for when) i (am|m)? (gone|dead"
        "|not here|not around|no longer here) !(~3 (for|on|to|at|away|this|next|over|shopping"
        "|travelling|traveling|abroad))",
        # Not needed where I am going.
        "(not|never|wont|will not|do not|dont) (going to|gonna)? ~1 (be needing|need|needing)"
        " (it|them|that|this|any of (it|this|them)|money|the money|anything|my (stuff|things|money"
        "|car|phone|savings|guitar|clothes)|any of my (stuff|things)) (anymore|any more)? where i"
        " am going",
    )
    + rules(
        "goodbye",
        "crisis",
        # The last time I will write; signing off for good.
        "this is (the|my) last time (i will|i am going to|i am gonna|i|il|ill)? (write|message"
        "|text|talk|check in|reach out|be here|use this|say anything|talk to you|write to you"
        "|writing|messaging|texting|talking|checking in|writing to you|talking to you)"
        # A time right after ("the last time ill write today") makes it ordinary; after a clause
        # end ("..., tonight when everyone is asleep") it is when it will happen.
        " !(~2 (today|tonight|this (week|month|evening)))"
        f" !({NEAR}(before|until|till|for (a|the|now|today"
        "|tonight|this|a while)|about|in english|on this topic|from (work|the office)|promise"
        "|back to|new job|then))",
        "(signing|logging|checking|clocking) (off|out) (for good|forever|for ever|permanently|for"
        f" the last time|one last time) !(~3 (from|of|on)? ~1 {MEDIA})",
        # The appointments that will not be needed, this one and every one after.
        "(will not|wont|do not|dont|no longer) need (my|the|our|tuesdays|mondays|wednesdays"
        "|thursdays|fridays|next|this weeks|next weeks)? ~2 (appointment|appointments|session"
        "|sessions|check ins|checkin|checkins|check in|therapy) (or any|any more|anymore|after"
        f" (that|this|tonight|today)|ever again|again) !({ACROSS}(better|graduated|graduating|graduate|finished"
        "|discharged|moving|new therapist|doing well|doing great|going well|insurance|proud"
        "|thanks to you|move|abroad|goal|goals))",
        "(cancel|cancelled|canceled|cancelling|canceling|delete|deleted) (all|every|each) (of)?"
        " (my|our)? (future|upcoming|remaining|other|next)? (appointments|appointment|sessions"
        f"|session|check ins|bookings) !({ACROSS}(moving|move|new therapist|insurance|holiday"
        "|vacation|trip|travel|away|surgery|operation|hospital|sick|ill|flu|covid|job|work|exam"
        "|exams|busy|reschedule|rescheduled|rescheduling|until|till|for (the|this|next|a)))",
        # Absolving someone: "tell her it's not her fault", "its not on her".
        "(tell|please tell|make sure|let) ~4 (it is|it was|its|it isnt|it wasnt|that it is|that"
        " it was|that its) (not|never) (on)? (her|him|them|you|anyone|anybody) (fault)?"
        " !(~2 (that|the|for|with|about|we|i|they|if|when))"
        f" !({NEAR}(messed up|my mistake|my fault|my bad|schedule|shift|rota|deadline|project"
        "|report|order|booking|email|meeting|error|it was (me|the|my)|i (ate|broke|did|took|forgot"
        "|lost|spilled|spilt|used|borrowed|made|finished|deleted)))",
        "(she|he|they|you) (really|truly|honestly)? (tried|did everything|did her best|did his"
        f" best|did their best) ~3 (with|for) me {BREAK} ~2 (it is|its|it was) not (on|her|his"
        "|their|your)",
        # A goodbye before I go, and it will not hurt where I am going.
        "(say|said|saying) (a|my)? (proper|final|last|real|little)? (goodbye|goodbyes|bye) ~4"
        " (before i (go|leave|die|am gone|do it|cannot|can not|stop)|while i (still)? can)"
        " !(~1 (to|on|for|home|abroad|away|back|out|off|in|into|up|down|shopping|travelling))",
        "(it|nothing|that) (will not|wont|cannot|can not|is not going to) (hurt|hurts|be hard"
        "|matter) (any more|anymore|again)? (where i am going|after (this|tonight|today))",
        "(do not|dont) worry about me (after this|after tonight|anymore|any more|ever again"
        "|where i am going|once i am gone|when i am gone)",
        f"(bye|goodbye|so long) {BREAK}? (for good|forever|for ever|for real this time|this time"
        f" for good|for the last time) !({NEAR}(old|new|{MEDIA[1:-1]}))",
        # Relief for others from a time on; a burden that ends now.
        "(everyone|everybody|everyones|everyone s|their|your|my (family|familys|family s|parents"
        "|kids|wife|wifes|husband|husbands|partner|partners|mum|mom|dad|mums|moms|dads)) ~1"
        " (life|lives) (gets|get|will get|will be|is going to be|are going to"
        " be|become|becomes|gets so much) (easier|better|lighter|simpler|calmer) (after|from"
        f"|once|when) ({DAY}|this|i am gone|i go|i am not here) !({NEAR}(meeting|update|launch"
        "|release|system|rollout|exam|game|match|party|deadline|show|move|s|shift|is live))",
        "(burden|dead weight|weight|drain|waste of space|nuisance) (to|for|on)? (all of|al of)?"
        " (them|everyone|everybody|my family|my parents|you all|you|the people i love|my kids)?"
        f" {ACROSS}(that|this|it) (ends|stops|will end|is ending|is over) (now|tonight|today"
        f"|here|for good|soon) {END}",
    )
    + rules(
        "act_under_way",
        "crisis",
        # On the platform for a train that will not be boarded.
        f"(platform|station|tracks|track|train|express|freight) {ACROSS}not (planning|going"
        "|gonna|intending|meaning) (on|to)? ~1 (get|getting|board|boarding) (on)? (it|the train"
        f"|that train|that one|this one) !({ACROSS}(bus|taxi|uber|lift|drive|full|busy|crowded"
        "|packed|late|delayed|next one|cancelled|canceled|wrong|ticket|walk|walking|cycle"
        "|cycling))",
        "(waiting|wait) (for)? (the)? (express|fast train|fast one|freight|freight train|through"
        " train|non stop|train that does not stop|one that does not stop) !(~4 (to|into|home|back"
        "|from|service|with (my|the|a)))",
        # A railing low enough to climb.
        "(railing|railings|fence|barrier|ledge|wall) (is|s)? (not|isnt) (high|that high|very high"
        f"|tall) {ACROSS}(i|could|can) ~2 (get|climb|step|go|be) over",
    )
    + rules(
        "preparation",
        "crisis",
        # A rope or belt already up: ready, not yet an act (the corpus's convention).
        "(rope|noose) (is|s) (already)? (up|hanging|tied|ready|set up|in place|attached|secured)"
        f" !({ACROSS}(swing|tent|washing|laundry|climb|climbing|gym|boat|treehouse|tree house"
        "|hammock|tarp|camping|tug|dog|sailing|line|wall|course|lesson|class))",
        "(belt|cord|cable|scarf) (is|s) already (up|hanging|tied (to|round|around)|attached to)"
        " (the)? (door|handle|door handle|beam|hook|banister|rail|ceiling|wardrobe|bunk)",
    )
    + rules(
        "in_danger",
        "crisis",
        # Watched and threatened: he knows where I live, and I am afraid; "you'll regret it".
        "(knows|found out|has found out|worked out|figured out|found) where i (live|work|am|sleep"
        f"|study|go to school) {ACROSS}(scared|afraid|terrified|frightened|regret|threat"
        "|threatening|pic|photo|photos|following|followed|watching|outside)",
        f"(scared|afraid|terrified|frightened) {ACROSS}(knows|found out|has found out|worked out"
        "|has worked out|figured out|found) where i"
        " (live|work|am|sleep)",
        f"{PERSON_EN} ~4 (says|said|saying|texting|texted|keeps saying|keeps texting|told me"
        "|messaged|threatened|threatening|wrote|writes) (that)? ~6 (i will|il|ill|i am going to"
        "|i would|you will|youll) regret (it|this|leaving|breaking|dumping|going|telling"
        "|reporting|ever|calling)",
        f"({PERSON_EN}|same (guy|man|car|van|person)) ~3 (outside|in front of|parked outside|waiting outside|watching|sitting"
        " outside) (my|the)? (building|flat|house|place|door|window|work|office|school) ~2"
        f" (again|every (night|day)|all night|for (an hour|hours|ages)) !({ACROSS}(delivery"
        "|postman|courier|parcel|amazon|neighbour|neighbor|cat|fox|lol|haha|uber|taxi|pizza))",
        # Hiding from someone raging.
        "(screaming|shouting|yelling|throwing|smashing|banging|punching|drunk|raging|furious"
        f"|kicking) {ACROSS}(i am|im|we are|were|am|me and the kids) hiding (in|under|behind"
        "|from)",
        "(i am|im|we are|were|am) hiding (in|under|behind) ~3 (bathroom|bedroom|toilet|closet"
        f"|wardrobe|cupboard|room|basement|attic|garage|car) {ACROSS}(he|she|they) (is|are|keeps)"
        " ~1 (screaming|shouting|yelling|throwing|smashing|banging|drunk|raging|angry|furious"
        "|kicking)",
        # Locked in, the key taken.
        f"{PERSON_EN} (locked|has locked|locks|locking) (the|my)? (door|doors|me in|us in|front"
        " door|bedroom door) ~4 (and)? (took|taken|has|kept|hid|has taken) ~1 (the|my)? (key|keys"
        "|my phone|phone)",
    )
    + rules(
        "harm_to_others",
        "crisis",
        "(going|gonna|will|i will|i am going to) (go|drive|head|walk)? (over|round|to his|to her"
        "|there) ~3 (and)? (stab|shoot|kill|hurt|beat up|smash|batter) (him|her|them)",
    )
)

RULES_SHAPES_DE: tuple[Rule, ...] = tuple(
    rules(
        "passive_death_wish",
        "crisis",
        # "wünsch ich mir dass ich einfach umkipp und tot bin"
        f"(wunsch|wunsche|wunscht|wunschte|hoff|hoffe|hoffentlich) {ACROSS}ich ~2 (tot bin|tot"
        " ware|tot war|nicht mehr lebe|nicht mehr da bin|nicht mehr aufwache|umkipp|umkippe)",
        # "wär mir egal wenn mich n lkw erwischt"
        "(egal|recht|lieber|nicht schlimm|nicht so schlimm) ~3 (wenn|wen|falls) (mich|mir) ~8"
        " (lkw|auto|bus|zug|laster|wagen|transporter|tram|strassenbahn) ~3 (erwischt|uberfahrt"
        "|umfahrt|trifft|mitnimmt|erfasst|rammt|uberrollt)",
        "(wenn|wen|falls) (mich|mir) ~8 (lkw|auto|bus|zug|laster|wagen|transporter) ~3 (erwischt"
        "|uberfahrt|umfahrt|trifft|mitnimmt|erfasst) ~4 (egal|recht|lieber|nicht schlimm)",
        # Death thoughts, in the first person by context.
        "(todesgedanken|todesgedanke|suizidgedanken|selbstmordgedanken|suizidale gedanken"
        "|sterbegedanken|todeswunsch|todeswunsche)",
        "(nicht mehr|nie mehr) (existieren|da sein|am leben sein) (ware|war|wurde) ~2 (schon"
        "|so)? ~1 (schon|friedlich|ruhig|einfacher|besser|erleichterung)",
        "(keinen|kein|keine|null) (bock|lust|kraft|nerv|nerven|energie) mehr (zu leben|aufs leben|auf das"
        " leben|auf mein leben|zum leben|auf leben|am leben zu sein|weiterzuleben|auf dieses leben)",
        "(wurden|wurde|konnten|konnte) ~3 (endlich)? (aufatmen|durchatmen|frei sein|ruhe haben)"
        " (wenn|wen) ich nicht mehr (da|hier|am leben) (bin|ware|war)",
    )
    + rules(
        "plan",
        "crisis",
        "(mach|mache|machen|macht) ~2 (schluss|schlus) mit (allem|alles|dem leben|meinem leben"
        "|mir) !(~3 (was|dem (stress|rauchen|trinken|zucker)|der (arbeit|ausrede)))",
        # A time, then telling someone just so they know.
        "(mach|mache|tu|tue|zieh|ziehe) (es|das|ichs|ich es|ich das) ~2 (heute nacht|heute abend"
        f"|morgen|am wochenende|gleich|jetzt|nachher|sonntag|samstag|freitag|montag) {ACROSS}(wollte"
        "|will|wollt|wollte nur) ~2 (das|dass) (es)? (irgendwer|jemand|irgendjemand|einer|wer)"
        " (weiss|weis|erfahrt)",
        f"(zieh|ziehe) (ichs|ich es|ich das) durch {ACROSS}(plan|dann bin ich (weg|tot|nicht mehr"
        " da))",
        # By then I will not be here.
        "(bis dahin|bis dann|bis (montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag"
        "|nachste woche|zum termin)|ab (morgen|dann|sonntag)|danach) bin ich (nicht mehr da|nicht"
        " mehr hier|nicht mehr am leben|tot)",
        "(termin|termine|sitzung|sitzungen|check ins) ~4 (kannst du|konnen sie|konnt ihr|kannst"
        f"|kann man|darfst du)? ~1 (streichen|absagen|loschen|stornieren|vergessen) {ACROSS}(nicht"
        " mehr da|nicht mehr hier|brauch ich nicht mehr|nicht mehr brauchen|tot|durchgeplant)",
        f"(hab|habe|ist) (alles|es|das) (durchgeplant|durchgedacht|vorbereitet|geplant) {END}",
    )
    + rules(
        "preparation",
        "crisis",
        "(kummern|kummert|aufpassen|nehmen|versorgen|gehoren|gehort|bekommen|bekommt|kriegt"
        "|kriegen|haben|erben|erbt) ~6 (wenn|wen|sobald|falls) ich (mal)? nicht mehr (da|hier|am"
        " leben) (bin|ware|war|lebe|leben)",
        "(kummern|kummert|aufpassen|nehmen|versorgen|gehoren|gehort|bekommen|bekommt|kriegt"
        "|kriegen|haben|erben|erbt) ~6 (wenn|wen|sobald|falls) ich nicht mehr (lebe|existiere)",
        "(verschiedenen|mehreren|anderen|unterschiedlichen|zwei|drei) (apotheken|arzten|apotheke)"
        f" {ACROSS}(damit|das|dass|so) (es)? (keiner|niemand|die|sie|keinem) ~2 (merkt|auffallt"
        "|fragt|auffallen)",
    )
    + rules(
        "goodbye",
        "crisis",
        f"(tschus|tschuss|ciao|bye|adieu|lebwohl|lebewohl|machs gut|auf wiedersehen) {BREAK}? ~3"
        f" (fur immer|fur ewig|endgultig|ein letztes mal|zum letzten mal) !({NEAR}(buro|job|arbeit"
        "|firma|schule|wohnung|handy|facebook|insta|instagram|tiktok|whatsapp|gruppe|team|alter"
        "|altes|alte|rauchen|zigaretten))",
        "(sag|sagt|sagen sie|richte|richten sie|sagst) ~4 (das|dass) es nicht (an|wegen) (ihr|ihm"
        "|dir|euch|ihnen|meiner|meinem) ~1 (lag|liegt|gelegen hat)"
        f" !({NEAR}(das|dass|mit|beim|bei|wenn !(alle|alles|ich (weg|tot|nicht mehr))))",
        "(sag|sagt|sagen sie|richte|richten sie|sagst) ~4 (das|dass) es nicht (ihre|seine|deine"
        f"|eure) schuld (war|ist) !({NEAR}(das|dass|mit|beim|bei|wenn !(alle|alles|ich (weg|tot"
        "|nicht mehr))))",
        "(verabschieden|tschuss sagen|lebewohl sagen|goodbye sagen) ~4 (bevor|solange) (ich|ichs"
        "|ich es) ~2 (nicht mehr kan|nicht mehr kann|noch kann|gehe|weg bin|nicht mehr da bin"
        "|tot bin|es tue|es mache)",
        "(last|belastung|klotz am bein) ~3 (fur alle|fur euch|fur meine familie|fur jeden)?"
        f" {ACROSS}(das|es) hort ~1 (jetzt|heute|bald)? auf {END}",
        "(dort|da) wo ich hingehe ~3 (tut|wird) ~2 (nichts|es nicht) ~1 (mehr)? weh",
    )
    + rules(
        "act_under_way",
        "crisis",
        "(warte|wart|warten|wartet) ~4 (durchfahrenden|durchfahrende|guterzug|schnellzug"
        "|durchfahrt|der nicht halt|der nicht halt)",
        "(sitz|sitze|lieg|liege|hock|hocke) ~2 (auf den|auf die|auf der|in den|zwischen den)"
        " (gleisen|schienen|gleis)",
        "(bin|steh|stehe|sitz|sitze|hock|hocke) (grad|gerade|jetzt|hier)? (aufm|auf dem|auf nem"
        f"|oben auf dem|oben aufm) (dach|parkhaus|hochhaus) !({ACROSS}(party|feier|grillen"
        "|fotos|mit|arbeit|arbeite|repariere|reparieren|reparier|antenne|regenrinne|ziegel|solar"
        "|dachdecker|terrasse|aussicht|sonnenuntergang|handwerker|katze|parkplatz|auto|parke))",
        f"(gelander|brustung|zaun|absperrung|mauer) ~3 (nicht hoch|niedrig|nicht so hoch)"
        f" {ACROSS}(druber|ruber|daruber) !({NEAR}(kinder|kind|hund|katze|baby|gefahrlich"
        "|sicher|bauamt|vermieter))",
    )
    + rules(
        "preparation",
        "crisis",
        "(seil|strick|schlinge|gurtel) (hangt schon|hangt bereits|ist schon fest|ist schon"
        " festgemacht|ist schon befestigt|ist schon aufgehangt|ist festgemacht|hangt (am|an der|an"
        " dem|vom) (balken|haken|tur|turrahmen|dachboden|ast|baum|gelander))"
        f" !({ACROSS}(garten|klettern|klettergarten|wasche|schaukel|halle|zelt|boot|segeln"
        "|hangematte|tauziehen|hund|deko|lichterkette))",
    )
    + rules(
        "in_danger",
        "crisis",
        f"(abgeschlossen|eingeschlossen|eingesperrt|zugesperrt) {ACROSS}(komm|kom|komme|kann) ~2"
        " (hier)? nicht (mehr)? raus",
        "(er|sie|mein ~1 (vater|mann|freund|ex|stiefvater|bruder|partner)|meine ~1 (mutter|frau"
        "|freundin)) (hat|hatte) ~3 (abgeschlossen|eingeschlossen|eingesperrt|zugesperrt)"
        f" {NEAR}(und)? ~2 (schlussel|handy) ~1 (mitgenommen|weggenommen|abgenommen|versteckt)",
    )
    + rules(
        "harm_to_others",
        "crisis",
        "(stech|steche|stich) (ihn|sie|den|die|ihm) ~2 (ab|nieder|tot)",
        "(fahr|fahre|geh|gehe) ~2 zu (ihm|ihr|denen) ~3 (und)? (stech|steche|bring|bringe|schlag"
        "|schlage|erschiess|erschiesse) (ihn|sie)",
    )
)

# Despair short of a crisis, as the lead's blind round wrote it: the therapist sees it.
RULES_SHAPES_CONCERN: tuple[Rule, ...] = tuple(
    rules(
        "hopelessness",
        "concern",
        "(do not|dont|cannot|cant|can not) (really)? (see|picture|imagine) (things|it|anything"
        "|life|my life) (getting|get|ever getting) better",
        "(cannot|cant|can not|do not|dont) (picture|see|imagine) a future (where|in which|with) i",
        "nothing (really)? matters (anymore|any more) !(~3 (but|except|apart))",
        "(feel|feeling|felt|i am) (so|really|just|completely)? (empty|hollow|numb) (lately|inside"
        "|all the time|these days|again)",
        "(alles|das leben|mein leben) (fuhlt sich|ist|wirkt) (so|total|einfach|nur noch)? ~1"
        " (sinnlos|leer|egal) (an)?",
        "(glaub|glaube) nicht mehr (das|dass) (die)? (therapie|behandlung) ~2 (was|etwas|noch)"
        " (bringt|hilft)",
    )
    + rules(
        "isolation",
        "concern",
        "(einsamkeit|allein sein|das alleinsein) (macht|zieht) mich (fertig|kaputt|runter|so"
        " fertig)",
        "(have not|havent|did not|didnt) (left|got out of|gotten out of) (my)? bed (in|for) ~1"
        " (days|weeks|day)",
    )
)
