"""Rules for risk said without its words (issue 10, round 12), from the held-out set of round 11.

That set was written with no crisis keyword at all (no suicide, die, dead, Selbstmord, sterben,
tot), and the rules of round 11 caught 78 of its 140 crisis messages. What the others had in
common was understatement, euphemism and dialect:

- *acts told as done, in passing*: "took the lot about half hour ago", "taken the tablets I saved",
  "ne ganze packung reingepfiffen mit korn hinterher", "alles genommen von tabletten", "did
  something stupid w ... benadryl"; waiting at the place ("parked up at the cliffs ... working up
  to it", "ganz hinten am gleis ... der nächste zug kommt gleich", "seil hängt. ich sitz drunter",
  the engine running in a closed garage);
- *the euphemisms of each language*: "aus dem Leben gehen", "give the life back to Him", "checked
  out early", "i want out ... out out", "kein bock mehr zu existieren", "für immer weg", "zu
  meinem Gerd gehen";
- *what holds me here, and how thin it is*: "the only thing keeping me here is the kids", "wenn
  mein kleiner nicht wär, wär ich nicht mehr hier", "dont see myself being here by the summer";
- *plans told as knowledge or a decision*: "know the spot", "ich weiß jetzt wann", "wie ich es
  machen würde, und auch wo", "I've decided it'll be after ...", "thought somebody ought to know";
- *preparation, disguised*: "so they dont twig", a scheduled email, "its not if", things given
  away without saying why, "alles gregelt", "zurück komm ich nicht";
- *goodbyes*: nobody will need to worry about me from tomorrow, "the last one you'll get from me",
  "sag meinem kleinen dass mama ihn lieb hatte", "letzter post ... nicht traurig sein";
- *self-harm as routine and wound care*: stitches but not going to A&E, the sharpener "looking
  interesting", "wieder am unterarm angefangen", "arme aufgschnitten", head against the door frame;
- *danger as control and threats*: "er hat wieder zugeschlagen", "er findet mich überall", videos
  posted if I go to the police, he kept going though I said no, a passport kept by the agency;
  and harm to others with a weapon ready ("got the bat by the door", "carrying a ting").

Each family names its everyday twins as exceptions; context (negation, other people, the past,
reports) applies as for every rule.
"""

from __future__ import annotations

from bot.safety.lexicon_de import QUANTITY_DE
from bot.safety.lexicon_en import MEDS
from bot.safety.lexicon_shapes import ACROSS, BREAK, NEAR
from bot.safety.lexicon_voices import ANY_MEDS_DE, STAY_PUT
from bot.safety.rule import Rule, rules

ALCOHOL_DE = "(korn|schnaps|wodka|vodka|alkohol|wein|bier|whisky|rum|likor)"
WOUND_PLACE_DE = (
    "(arme|arm|armen|handgelenk|handgelenke|beine|bein|oberschenkel|unterarm|unterarme)"
)

RULES_UNDERSTATEMENT_EN: tuple[Rule, ...] = tuple(
    rules(
        "act_under_way",
        "crisis",
        f"(took|taken|swallowed|necked|downed|had) the (whole)? lot {ACROSS}(ago|sleepy|drowsy|dizzy"
        "|woozy|heart|feel|feeling|dont send|do not send|ambulance|somebody to know|someone to know"
        "|too late|no going back)",
        f"(took|taken|swallowed|necked|downed|have taken|have swallowed) (the|my|all the|all my)? ~1"
        f" {MEDS} (i|that i) (saved|was saving|had saved|have saved|stockpiled|collected|hoarded"
        "|stashed|kept|had been saving)",
        f"(did|done|have done) (something|a thing) (really|so|very)? (stupid|dumb|bad) {ACROSS}{MEDS}"
        " !(~3 (in (my|the) (exam|test|game)|at work))",
        "(parked|parked up|sitting|sat|sittin|standing|stood) (up)? (at|by|on|near|above) the"
        " (cliffs|cliff|cliff edge|edge|bridge|tracks|viaduct|quarry|lookout|multi storey|car park"
        f" roof|top floor|headland) {ACROSS}(working up to it|building up to it|getting the (nerve"
        "|courage)|waiting for the (nerve|courage)|almost ready|nearly ready|going to do it|gonna do"
        " it|doing it|just wanted (to say|someone to know|somebody to know))",
    )
    + rules(
        "suicidal_ideation",
        "crisis",
        "give (my|the|this) life back (to him|to god|to the lord|to heaven)",
        "(checked out|clocked out|tapped out|punched out|bowed out|opted out) (early|for good) ~6"
        " (do not|dont|does not|doesnt) (seem|look) (so|that)? (crazy|wrong|bad|mad|stupid)",
        f"(want|wanna|need) out {ACROSS}(not out of (the|my|this) ~1|out out|out of (life|everything"
        "|existing|this world|being alive)|for good)",
        "(do not|dont|cannot|can not|cant) (even)? see myself (being|still)? (here|around|alive) (by"
        f"|at|in|for|past|after|until|til|till|next) ~2 !({ACROSS}{STAY_PUT})",
        "(only|the only|one) (thing|reason|person|one) (keeping|that keeps|holding|that is"
        " keeping|left keeping) me (here|alive|around|on this earth) !(~4 (coffee|caffeine|tea"
        "|energy drink|energy drinks|red bull|monster|snacks|chocolate|spite|lol|haha|music|the"
        " weekend|friday|payday|netflix|gym|this job))",
        "(if it was not|if it wasnt|if it werent|if it were not|if not) for (the|my) ~1 ~4 (i would"
        "|id|i d) (not|no longer|never) be (here|around|alive) (anymore|any more|now|today)?",
        "(nobody|no one|naebody|noone) (would|will|wud) (even)? (notice|care|miss me) (if|when) i"
        " (was not|wasnt|was no longer|were not|werent) (here|around|alive) (anymore|any more)?",
        "(mentally|keep|kept|always)? (drafting|draft|writing|write|planning|plan|rehearsing"
        f"|picture|picturing) (my)? own (eulogy|obituary|funeral speech|funeral) {ACROSS}(comforting"
        "|comfort|calm|peaceful|relief|soothing|nice|every day|daily)",
    )
    + rules(
        "plan",
        "crisis",
        "(i know|know|found|picked|chose|chosen|got|scoped out|checked out) the (spot|place|exact"
        f" spot|exact place|bridge|cliff|right place|right spot) {ACROSS}(decided|thats me done"
        "|that is me done|i am done|done|tonight|tomorrow|friday|saturday|sunday|monday|tuesday"
        "|wednesday|thursday|after|when|going to|gonna)",
        "(thats|that is|then thats|then that is) me (done|finished|away) (for good)? <end>",
        "(decided|made up my mind|made my mind up|settled on it|it is decided|its decided) ~2 (it"
        " will|it ll|itll|its going to|it is going to|it is gonna) be (after|before|on|when|once"
        "|the day)",
        f"(decided|made up my mind|made my mind up|picked a|chose a|settled) {ACROSS}(thought|think"
        "|felt) (somebody|someone|you|one person|a person) (ought to|should|needs to|had to|better"
        "|would want to) know",
        "(do not|dont) want (it|this|that) to (spoil|ruin|wreck|overshadow) (their|his|her|the"
        f" kids|the grandkids|christmas|the wedding|his wedding|her wedding) {ACROSS}(decided|it will"
        " be|it ll be|after|before|when)",
        "i know exactly (how|where|when) (i would|id|i d|i will|ill|i ll) do it",
    )
    + rules(
        "preparation",
        "crisis",
        "(different|another|other|second|third|several|multiple|3|three|4|four|2|two) (different)?"
        f" (chemists|pharmacies|pharmacy|chemist|doctors|gps|shops) {ACROSS}so (they|nobody|no one"
        "|the pharmacist|noone|people) (dont|do not|wont|will not|would not|wouldnt|cant|cannot|can"
        " not)? (twig|clock|cotton on|catch on|figure it out|work it out|get suspicious|notice"
        "|ask questions|put it together)",
        f"(email|message|letter|text|note|video) (to|for) (her|him|them|my ~1) {ACROSS}(scheduled send"
        "|schedule send|scheduled for|scheduled to send|set to send|send later|timed to send|will"
        " send (itself|automatically))",
        "(told (him|her|them)|said) (it is|its) (for|just for|only for) (if|in case) (anything"
        f"|something) (happens|happened) {BREAK}? (it is|its) not (an)? if",
        f"(it is|its) not (an)? if {BREAK}? (it is|its)? (a)? when <end>",
        f"(gave|given|giving) ~6 away {ACROSS}(why|asked why|was like why|omg why) {ACROSS}(could not"
        " tell|couldnt tell|did not tell|didnt tell|did not say|didnt say|said nothing|cant tell"
        "|can not tell)",
    )
    + rules(
        "goodbye",
        "crisis",
        "(you|you all|yous|youse|nobody|no one|everyone|y all) (will not|wont|do not|dont|will"
        " never) (have|need|ever have|ever need) to worry about me (again|anymore|any more|ever"
        " again|after (tonight|today|this))",
        "(this is|thats|that is) the last (one|wan|message|text|msg|note) (you will|youll|ye"
        " will|yell|ye ll|you ll|you are going to) (get|receive|hear|have) (from|fae|frae) me",
        "tell (my|the|our) (kids|son|daughter|boy|girl|little one|wee one|baby|boys|girls|wains"
        "|weans) (one day|someday|some day|when (he|she|they) (is|are|gets|get) (older|bigger))?"
        " (that)? (mummy|mommy|mum|mom|mam|daddy|dad|i) (loved|love|was proud|were proud)",
    )
    + rules(
        "self_harm",
        "crisis",
        "(need|needs|needed|should (get|have)|might need|probably need|could do with) (stitches"
        f"|steri strips|stitching|glue) {ACROSS}(not going|aint going|wont go|will not go|do not"
        " want to go|dont want to go|cant go|can not go|not gonna go|refuse to go) (to)? (a e|ae"
        "|a and e|er|the er|hospital|the hospital|the doctor|urgent care|minor injuries)",
        "(sharpener|pencil sharpener|razor|blade|blades|compass) (is|s|are)? (looking|looks|look)"
        " (real|really|so|very|kinda|pretty)? (interesting|tempting|good|inviting|appealing)",
        "(craving|crave|miss|missing) the (sting|burn|pain|blood|release) (again)?",
        f"(relapsed|relapse) {ACROSS}(hide|hiding|cover|covering|retouch|retouched|long sleeves"
        "|concealer|the marks|the cuts|the scars|new marks)",
    )
    + rules(
        "abuse",
        "crisis",
        "(kept going|did not stop|didnt stop|carried on|would not stop|wouldnt stop) ~6 (even"
        " though|when|after|although) i (said no|said stop|told him (no|to stop)|told her (no|to"
        " stop)|was crying|pushed him away|was asleep|was too drunk)",
        "if i (ever)? (go|went|tell|told|call|called|report|reported) ~3 (cops|police|anyone|anybody"
        f"|someone|my (mum|mom|dad|parents|teacher)) {ACROSS}(he|she|they) (will|ll|would|is going"
        " to|said he would|said she would) ~2 (post|share|send|leak|hurt|kill|come for|come after"
        "|find|ruin|show)",
        "(he|she|they) (says|said|told me|threatened|swore) ~3 (will|ll|would|is going to|gonna)"
        " (find|get|track|hunt) (me|us) (anywhere|wherever i go|wherever we go|wherever|no matter"
        " where|everywhere)",
    )
    + rules(
        "harm_to_others",
        "crisis",
        "(i will|ill|i ll|gonna|going to|am going to|swear i will|swear ill) (do|batter|sort out"
        f"|stab|shank|smash|get) (him|her|them|the lot of them) {ACROSS}(bat|knife|blade|machete"
        "|hammer|gun|not joking|i mean it|this time|swear)",
        "(carrying|carry|got|bought|have|keeping) (a)? (ting|blade|shank|strap|piece|knife|nine"
        f"|burner|machete) {ACROSS}(if (they|he|she) ~3 (come|comes|try|tries|step|steps|show"
        " up|shows up)) ~6 (use it|using it|shank|stab|bore|wet|do them|do him)",
    )
)

RULES_UNDERSTATEMENT_DE: tuple[Rule, ...] = tuple(
    rules(
        "act_under_way",
        "crisis",
        # A whole pack, named by nothing but its box, then drink or how it feels.
        "(packung|packungen|schachtel|dose|streifen) (reingepfiffen|reingehauen|reingeworfen"
        f"|eingeworfen|geschluckt|gefressen|runtergespult|genommen|reingezogen) {ACROSS}(mit ~1"
        f" {ALCOHOL_DE}|zu spat|schlecht|schwindelig|schlafrig|mude|muede|ubel|herz|isses|ist es)",
        f"(alles|alle|den ganzen rest) (genommen|geschluckt|eingeworfen) ~2 (von)? (den|meinen)?"
        f" {ANY_MEDS_DE}",
        f"{QUANTITY_DE} ~1 {ANY_MEDS_DE} ~3 (reingepfiffen|reingehauen|reingeworfen|eingeworfen"
        f"|geschluckt|genommen) ~2 (mit|und) ~1 {ALCOHOL_DE}",
        "(garage|verschlossenen garage|geschlossenen garage|garage zu) ~6 (motor lauft|motor an"
        "|laufendem motor|motor laufen)",
        "(motor lauft|laufendem motor|motor laufen lassen) ~6 garage",
        "(am|auf dem|an den|an die) (gleis|gleisen|bahnsteig|bahngleis|schienen) ~6 (wo keiner|wo"
        f" niemand|ganz hinten|ganz am ende|am ende) {ACROSS}(zug|zuge) (kommt|kommen|fahrt)"
        " (gleich|bald|jetzt|in)",
        f"(seil|strick|schlinge) (hangt|ist fest|ist befestigt|hangt schon) {ACROSS}(sitz|sitze|steh"
        "|stehe) (drunter|darunter|davor)",
    )
    + rules(
        "suicidal_ideation",
        "crisis",
        "aus dem leben (gehen|scheiden|zu scheiden|zu gehen|treten|zu treten|gegangen|geschieden)",
        "(ware|war) ich (schon)? (lange|langst|langst schon)? nicht mehr (hier|da|am leben)",
        "(kein|keinen) (bock|bok|lust|kraft|nerv) (mehr)? ~3 (zu existieren|zu leben|auf (das)?"
        " leben|am leben|aufs leben|mehr zu leben)",
        "(will|mochte|wurde gern|wunsche mir|wunsch) ~4 (fur immer weg|fur immer"
        " verschwinden|weg fur immer)",
        "(niemand|keiner) (wurde|wurd|wurds|wird) mich (vermissen|merken)",
        "(ware|war|wars) ~2 (einfacher|leichter|besser|ringer) ohne mich",
    )
    + rules(
        "plan",
        "crisis",
        "(weiss|weis|wei) (jetzt|nun|endlich|schon) (wann|wie|wo) <end>",
        "(im kopf|genau|schon|ziemlich genau) ~4 wie ich es (machen wurde|machen werde|tun wurde"
        "|mache|mach|machen wurd) ~4 (und)? (auch)? (wo|wann)",
        f"(uberlegt|entschieden|geplant|beschlossen) {ACROSS}(wollt|wollte|will) (nur|bloss|einfach)?"
        " (dass|das) (das|es)? (einer|jemand|wer) (weiss|weis|wei)",
        f"(entschieden|keine angst mehr|beschlossen) {ACROSS}(gehe|geh) (ich)? (zum|zu den|an die"
        "|auf die) (gleis|gleisen|schienen|bahngleis|bahngleisen)",
        "(zuruck|wieder) (komm|komme) ich (nicht|nie) (mehr)? !(~3 (heute|heut|bis|vor|erst|morgen"
        "|bei|zum|zur|ins|in die))",
        f"(werd|werde) ~3 nicht mehr da sein {BREAK}? ~2 (auch)? (sonst|woanders)? (nirgends"
        "|nirgendwo|auch sonst nirgends)",
    )
    + rules(
        "preparation",
        "crisis",
        f"(testament|brief|briefe|abschiedsbrief) {ACROSS}(alles|alls) (ist)? (jetzt)? (geregelt"
        "|gregelt|erledigt|geordnet|in ordnung)",
        f"(ampullen|spritzen|insulin|morphin|kalium|{ANY_MEDS_DE}) ~4 (von der station|aus der"
        " apotheke|von der arbeit|vom dienst|aus dem krankenhaus|aus der klinik) ~2 (mitgenommen"
        "|geklaut|eingesteckt|mitgehen lassen)",
        f"(verschenkt|weggegeben|hergegeben) {ACROSS}(warum|wieso|deppat|verruckt) {ACROSS}(nix"
        " gsagt|nichts gesagt|nicht gesagt|nix gesagt|einfach so)",
    )
    + rules(
        "goodbye",
        "crisis",
        "(musst|musst ihr|muss|braucht|brauchst|mussen|braucht ihr) (euch|dich|ihr|du|sie)? ~3"
        " (keine sorgen mehr|nie mehr sorgen|nicht mehr sorgen|nie wieder sorgen) (machen)?",
        "(sag|sagt|sagen sie|richte|richtet) (meinem|meiner|meinen) ~3 (irgendwann|spater|eines"
        " tages)? (dass|das) (mama|papa|ich|die mama|der papa|mami|papi) ~2 (lieb hatte|lieb hat"
        "|geliebt hat|geliebt hatte|lieb gehabt)",
        "(letzter|letzte|letztes) (post|nachricht|eintrag|beitrag|mal) (sozusagen|von mir)?"
        f" {ACROSS}(nicht traurig sein|sorry fur alles|verzeiht|lebt wohl|hab euch lieb)",
        f"(danke|danke fur alles|danke for alles) {ACROSS}ich mach (jetzt)? schluss <end>",
    )
    + rules(
        "self_harm",
        "crisis",
        f"{WOUND_PLACE_DE} ~3 (aufgeschnitten|aufgschnitten|aufgeritzt|aufgekratzt|aufgeschlitzt)",
        "(schlag|schlage|hau|haue|knall|knalle) (meinen|mein|den) kopf (gegen|an) (die|den|das)"
        " ~1 (wand|turrahmen|tur|schrank|boden|tisch|heizung)",
        "(druck|drang|bedurfnis) (mir|mich)? ~2 (wehzutun|weh zu tun|zu verletzen|zu schneiden"
        "|zu ritzen)",
        "(mi|mich) ~2 (brennt|gebrannt|verbrannt) ~4 (feuerzeug|fuurzug|zigarette|kippe|kerze"
        "|bugeleisen)",
        "(wieder|erneut) (am|an den|an meinem|an meinen) (unterarm|arm|armen|oberschenkel"
        "|handgelenk|bein|beinen) angefangen",
        f"(ruckfall|ruckfallig) {ACROSS}(retuschieren|wegretuschieren|verstecken|abdecken"
        "|uberschminken|lange armel|narben|wunden|schnitte)",
    )
    + rules(
        "abuse",
        "crisis",
        "(er|sie|mein ~1|meine ~1) hat (heute|gestern|wieder|schon wieder|erneut|mal wieder|heute"
        " wieder|gestern wieder) ~1 zugeschlagen",
        "(er|sie) (sagt|hat gesagt|droht|meint) ~3 (findet|finde|kriegt|erwischt) mich (uberall"
        "|immer|uberall wo|egal wo)",
        "(bringt|bringe|bring) (er|sie)? (mi|mich) ~1 um (wenn|falls) (i|ich) ~3 (geh|gehe|gehen"
        "|verlasse|verlass|abhaue|anzeige|zur polizei)",
        "(weitergemacht|nicht aufgehort|einfach gemacht|einfach weiter) ~4 (obwohl|obwohl ich|als"
        " ich) ~3 (nein|stop|aufhoren|weinte|geweint) (gesagt|gesagt hab|gesagt habe|hab|habe)?",
        "(kommt|kam|schleicht) (jede nacht|nachts|immer nachts|jeden abend) (in mein|in mein"
        " zimmer|zu mir ins bett|in mein bett|zu mir)",
        "(pass|ausweis|papiere|reisepass) (ist|sind|hat|liegt|liegen) (bei|die) (der)? (agentur"
        f"|ihm|ihr|chef|chefin|arbeitgeber|familie) {ACROSS}?(kann|darf) (nicht|nie) (weg|gehen"
        "|raus)?",
        f"(vater|bruder|bruder|familie|onkel|cousin|cousins|eltern|mann) {ACROSS}dann passiert (was"
        f"|etwas) {NEAR}(ernst|angst|meinen das ernst|meint das ernst)",
    )
)
