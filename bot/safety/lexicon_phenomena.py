"""Rules written per phenomenon rather than per sentence (issue 10, the private red-team set).

Each family below is structural: a means word next to a readiness cue, a decision next to a
time, a wish for everything to stop next to a word of permanence, a clean counter next to a
word of loss. They are kept apart from `lexicon_en.py` / `lexicon_de.py` so that the structure
is visible in one place; context (negation, other people, the past) applies as for every rule.
"""

from __future__ import annotations

from bot.safety.lexicon_de import MEDS_DE, POISONS_DE
from bot.safety.lexicon_en import BODY, MEDS, POISONS, ROUTINE, TIMING, TRIVIAL_END
from bot.safety.rule import Rule, rules

# A boundary token may sit between the two halves of an elliptic message ("i've decided. sunday").
BREAK = "{(?:\\. )?}"
# Means in English: medicines, poisons, blades, ropes, weapons (not belts or scarves: too common).
MEANS = (
    f"({MEDS}|{POISONS}|prescriptions|prescription|scripts|blade|blades|razor|razors"
    "|razor blade|razor blades|knife|knives|rope|noose|gun|pistol|rifle|shotgun|handgun|weapon"
    "|bullets|ammo)"
)
# Ready, laid out, counted, in the hand, loaded: the means is at hand now.
READY = (
    "(ready|all ready|lined up|laid out|set out|counted out|counted|sorted out|in my hand"
    "|in my hands|in my pocket|next to me|beside me|by my side|next to my bed|by my bed"
    "|on my bed|on my lap|in front of me|loaded|waiting for me|within reach|on the desk|hidden"
    " in my room|hidden under my bed)"
)
DAY = (
    "(monday|tuesday|wednesday|thursday|friday|saturday|sunday|tonight|tomorrow|today"
    "|this weekend|the weekend|midnight|new year|my birthday)( night| morning| evening)?"
)
# Substances: "relapsed on drinking" is a concern about use, not self-harm.
SUBSTANCE = (
    "(drink|drinking|alcohol|booze|weed|drugs|coke|cocaine|smoking|cigarettes|vaping|vape"
    "|gambling|sugar|porn|heroin|meth|pills|xanax|benzos|opiates|the bottle|junk food|food"
    "|binging|bingeing|purging|sober|sobriety)"
)

MEANS_AT_HAND = rules(
    "preparation",
    "crisis",
    f"{MEANS} !(for|to) ~3 (are|is|all|now|already)? ~1 {READY} {ROUTINE}",
    f"(have|got|i have|i have got|keep|kept) (the|my|a|some|all|all my|all the)? ~2 {MEANS}"
    f" ~2 {READY} {ROUTINE}",
    f"(saved|saving|stockpiled|stockpiling|stockpile|hoarded|hoarding|hoard|collected|collecting"
    f"|stashed|stashing|stash|gathered|gathering|squirreled|squirrelled|kept back|keeping back"
    f"|putting aside|put aside|setting aside|set aside|putting away|holding back|held back"
    f"|hiding|hidden|hid) (up|away)? ~4 {MEANS} {ROUTINE}",
    f"{MEANS} ~2 (i have been|i have|i am|been) (saving|stockpiling|hoarding|collecting|stashing"
    "|keeping|hiding|gathering)",
    f"(have|got|bought|now have|finally have|finally got) enough {MEANS} {ROUTINE}",
    f"enough {MEANS} (now|saved|saved up|at last|finally|to do it|to (die|end it|not wake up))",
    f"(bought|buying|got|ordered|picked up) ~2 (packs|packets|boxes|bottles|{{[2-9] }}(packs"
    f"|packets|boxes|bottles)) of ~1 {MEANS} (from|at|in) (different|several|two|three|multiple)",
    f"{MEANS} ~4 {BREAK} (it is|its|everything is|all is|i am) (ready|set|sorted) <end>",
    f"{MEANS} ~4 {BREAK}? (for later|for tonight|for when the time comes|for when i am ready"
    "|for the end|just in case things get worse) <end>",
    "(rope|noose|belt|cord|cable|scarf|ligature|sheet) ~3 (tied|attached|hung|fixed|secured"
    "|knotted) (to|on|around|from|over) (the|a|my) (door|doorframe|door handle|beam|banister"
    "|ceiling|rail|hook|tree|rafters|railing|wardrobe|bunk|bed frame|pipe) !(~4 (swing|hammock"
    "|boat|tent|dog|washing|laundry|clothes|bike|car|trailer))",
    "(have|got|found|bought|i have|i have got) ~3 (gun|shotgun|rifle|pistol|handgun|revolver)"
    f" (and|with) ~2 (shells|bullets|ammo|ammunition|rounds|cartridges) {ROUTINE}",
)

ELLIPTIC_DECISION = rules(
    "plan",
    "crisis",
    f"(i have decided|i decided|i have made my decision|i made my decision|it is decided|its"
    f" decided|decision is made|decision made|my mind is made up|i have made up my mind"
    f"|made my mind up|made up my mind|mind made up|i have made my mind up) {BREAK}"
    f" {DAY} <end>",
    f"{DAY} {BREAK} (it is|its) (done|decided|settled|happening|over|time) <end>",
    f"{DAY} {BREAK} (that is|thats|that s) (when|the day|the night|it) <end>",
    f"(made|making) (my)? peace with (it|dying|going|leaving|the decision) ~4 {TIMING}",
    f"{TIMING} ~2 {BREAK} ~3 (made|making) (my)? peace with (it|dying|going|leaving|the decision)",
    f"(this is it|that is it|thats it) {BREAK} (tonight|today|tomorrow|{DAY}) <end>",
    f"(tonight|today|tomorrow|{DAY}) {BREAK} (this is it|it ends|it is the end|the end) <end>",
    f"(everything|it all|all of it|my life) (ends|will end|is ending|is over|will be over) ~2"
    f" {TIMING}",
    f"it ends (on|by)? {DAY} {TRIVIAL_END}",
)

STOP_FOR_GOOD = rules(
    "passive_death_wish",
    "crisis",
    "(want|wanna|wish|need|just want|i want|pray for) (it|it all|everything|all of it|all this"
    "|all of this|the pain|this pain|my pain|the hurt|the hurting|the suffering|my life|this"
    "|everything|life) (to)? (stop|end|be over|go away|finish) ~1 (forever|for good|permanently"
    "|for ever|once and for all|for always|for real)",
    "(want|wanna|wish|need|just want) ~1 (it|it all|everything|all of it|all this|all of this"
    "|the pain|this pain|my pain|the hurt|the suffering|my life|life) (gone|over|ended|finished"
    "|done|to go away) ~1 (forever|for good|permanently|for ever|once and for all)",
    f"(want|wanna|wish|need) to (stop|end) (it|it all|everything|all of it|all this) {BREAK}"
    " (forever|for good|permanently|once and for all)",
    "(hope|wish|want|pray|praying|wanna|would like|let me|i could) ~3 (die|pass away|go) in my"
    " sleep",
    "(sleep|fall asleep|go to sleep|close my eyes) and (never|not|no longer) ~1 (wake|wake up"
    "|open them|open my eyes)",
)

RELAPSE_SELF_HARM = rules(
    "self_harm",
    "crisis",
    f"{{(?<! sober )}}{{[1-9][0-9]* }}(day|days|week|weeks|month|months|year|years) (clean|sh free"
    f"|self harm free|cut free|harm free) (gone|down the drain|wasted|ruined|lost|over|reset"
    f"|thrown away|for nothing) !(~3 (off|from) ~1 {SUBSTANCE})",
    "(day|days|week|weeks|month|months|year|years) (clean|sh free|cut free) !(from|off|of|for|since|today|now) (and|but)? ~8 (blade|razor"
    "|knife|cut|cutting|cuts|burned|burnt|scratched|hurt myself)",
    "{(?<! sober )}(day|days|week|weeks|month|months|year|years) (without|with no|free of|free"
    " from) (cutting|sh|self harm|self harming|hurting myself|harming myself|burning|a blade)"
    " (and|but)? ~6 (ruined|broke|blew|threw|lost|cut|relapsed|did it|gone|over|messed up"
    "|screwed up)",
    "(slipped up|slipped|messed up|relapsed) (and)? ~2 (hurt|cut|burned|burnt|scratched)"
    " (myself|my)",
    "relapsed (with|using) ~2 (the|a|my)? (blade|razor|razors|knife|lighter|scissors|glass"
    "|sharpener)",
    "(i am|am|i m|im|i have gone|i went|i have been|been|going) back to (hurting|cutting|harming"
    "|burning|sh|self harming|scratching|hitting) (myself|again|<end>|my|every)",
    "back to (cutting|self harming|self harm|sh) !(~2 (the|my|your|his|her|our|class|hair|grass"
    "|lawn|bread|wood|fabric|paper|vegetables))",
)

RELAPSE_UNCLEAR = rules(
    "relapse",
    "concern",
    "(relapsed|relapse|relapsing|slipped up|fell off the wagon)",
    "(sober|clean) ~2 (gone|down the drain|wasted|ruined|lost|over|reset|thrown away)",
)

BLEEDING = rules(
    "act_under_way",
    "crisis",
    f"(bleeding|bleed|blood) ~3 (from|on|out of) my {BODY} !(~4 (after|fell|fall|bike|shaving"
    "|cooking|paper|accident|accidentally|glass in the|gym|playing))",
    "(i am|im|my (arm|arms|wrist|wrists|thigh|thighs|leg|legs|neck|throat|cuts|cut) (is|are)"
    "|it is|its|they are|theyre|the cut is|the cuts are|the wound is)"
    " bleeding (a lot|really bad|really badly|so bad|so badly|badly|heavily|so much|loads"
    "|like crazy|and (it|they) (will not|won t|wont|does not|do not) stop)",
)

SEXUAL_VIOLENCE = rules(
    "abuse",
    "crisis",
    "(forced|forcing|forces|pushed|pushing) (himself|herself|themselves|themself) (on|onto"
    " |upon) me",
    "(made|makes|forced|forces|pressured) me (to)? (have sex|sleep with|do (it|things|stuff))"
    " ~3 (when|after|even though|although) (i|i had) (said|say|told|begged|cried) (no|stop|him"
    "|her|them)",
    "(he|she|they|my (husband|wife|partner|boyfriend|girlfriend|bf|gf|ex)) (said|says|told me"
    "|swore|threatened) (he|she|they|hed|shed|hell|shell|theyd)? (would|will|d|ll|is going to"
    "|was going to|is gonna)? (kill|hurt) me (if|when|once|because)",
)

RULES_PHENOMENA_EN: tuple[Rule, ...] = tuple(
    MEANS_AT_HAND
    + ELLIPTIC_DECISION
    + STOP_FOR_GOOD
    + RELAPSE_SELF_HARM
    + RELAPSE_UNCLEAR
    + BLEEDING
    + SEXUAL_VIOLENCE
)

# German.
MEANS_DE = (
    f"({MEDS_DE}|{POISONS_DE}|rezepte|klinge|klingen|rasierklinge|rasierklingen|messer|strick|seil"
    "|schlinge|waffe|pistole|gewehr|revolver)"
)
ROUTINE_AHEAD_DE = (
    "{(?!(?:\\S+ )?(?:\\S+ )?(?:\\S+ )?(?:\\S+ )?(?:wocheneinteiler|dosette|tablettenbox"
    "|pilendose|tablettendose|medikamentenbox) )}"
)
READY_DE = (
    "(bereit|bereitgelegt|bereitgestellt|abgezahlt|gezahlt|aufgereiht|in der hand|in meiner hand"
    "|neben mir|neben meinem bett|vor mir|geladen|griffbereit|parat|liegen bereit|liegt bereit)"
)
ROUTINE_DE = (
    "!(~4 (fur die woche|fur morgen|wie besprochen|wie verordnet|dosette|tablettenbox|wocheneinteiler"
    "|zum kochen|fur die reise|fur den urlaub|wascheleine|zelt|klettern|camping|garten))"
)
DAY_DE = (
    "(montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|heute|morgen|heute nacht"
    "|heute abend|am wochenende|silvester|an meinem geburtstag) (nacht|abend|morgen|fruh)?"
)

RULES_PHENOMENA_DE: tuple[Rule, ...] = tuple(
    rules(
        "preparation",
        "crisis",
        f"{ROUTINE_AHEAD_DE}{MEANS_DE} !(fur|zum|zur) ~3 (liegen|liegt|sind|ist|habe|hab|steht|stehen)? ~2 (schon|jetzt|alle)? ~1"
        f" {READY_DE} {ROUTINE_DE}",
        f"(habe|hab|ich habe) ~4 {MEANS_DE} !(fur|zum|zur) ~3 (gesammelt|gehortet|gebunkert"
        f"|aufgespart|gespart|zuruckgelegt|versteckt|gehamstert|zusammengesammelt) {ROUTINE_DE}",
        f"(sammle|horte|bunkere|spare|hamstere) ~3 {MEANS_DE}",
        f"genug {MEANS_DE} (jetzt|zusammen|gesammelt|beisammen)?",
        "(habe|hab) ~3 (kindern|kinder|eltern|mama|papa|mutter|vater|familie|frau|mann|freundin"
        "|freund|allen|jedem) ~2 (briefe|einen brief|abschiedsbriefe|abschiedsbrief) geschrieben",
    )
    + rules(
        "goodbye",
        "crisis",
        "(das|dies) ist mein abschied !(~4 (buro|firma|job|arbeit|verein|team|stadt|wohnung"
        "|schule|uni|morgen fange|kollegen|aus dem))",
        "(das|dies) ist (ein|mein) (letzter|endgultiger) abschied",
    )
    + rules(
        "plan",
        "crisis",
        f"(ich habe mich entschieden|hab mich entschieden|ich bin entschlossen|es ist entschieden"
        f"|die entscheidung ist gefallen|ich habe entschieden) {BREAK} {DAY_DE} <end>",
        # "heute abend ist es soweit, ich putze endlich den keller" is a chore at last.
        f"{DAY_DE} {BREAK} (ist es|es ist) (vorbei|soweit|aus|zu ende|entschieden) ~1"
        f" {BREAK} ~1 (endgultig|fur immer)? !({BREAK}~4 endlich)",
        f"{DAY_DE} ist (es|alles) (vorbei|aus|zu ende) ~1 {BREAK} (endgultig|fur immer)",
        "(das ist es|das wars) {BREAK} (heute nacht|heute|morgen)",
        f"{DAY_DE} {BREAK} (dann)? (ist|ist es|ist dann) (schluss|vorbei|aus|soweit|zu ende) <end>"
        " !({(?:\\. )?}~4 endlich)",
        f"(es passiert|passiert es|ich mache es|ich mach es|ich tue es|ich tu es|ich ziehe es"
        f" durch|ich zieh es durch) ~2 {DAY_DE}",
    )
    + rules(
        "passive_death_wish",
        "crisis",
        "(will|mochte|wunsche mir|wunschte) ~2 (dass)? (alles|es|der schmerz|das alles|das leben)"
        " ~2 (fur immer|endgultig|fur alle zeit) (aufhort|endet|vorbei ist|aufhoren)",
        "(einschlafen|schlafen) und (nicht|nie) (mehr|wieder)? (aufwachen|aufzuwachen)",
        "(im schlaf) (sterben|zu sterben|einschlafen|gehen)",
    )
    + rules(
        "self_harm",
        "crisis",
        "(ich verletze|verletze|ich verletzte|verletzte) mich (selbst|selber) !(~3 (beim|aus"
        " versehen|versehentlich|sport|kochen))",
        "(ruckfall|ruckfallig) ~6 (geritzt|geschnitten|ritzen|klinge|verletzt|svv)",
        "(monate|wochen|tage|jahre) (clean|svv frei|ritzfrei) ~4 (weg|vorbei|kaputt|futsch|dahin"
        "|geritzt|geschnitten)",
        "(serie|streak|strahne) (gebrochen|gerissen|kaputt) (und)? ~4 (geritzt|geschnitten"
        "|verletzt)",
        "(mich|hab mich|habe mich) (wieder|schon wieder|erneut) (geschnitten|geritzt|verletzt"
        "|verbrannt) !(~3 (beim|aus versehen|versehentlich|am papier|an der))",
        "(wieder|erneut) (angefangen|begonnen) (mich)? (zu)? (ritzen|schneiden|verletzen)",
        "(tu|tue|tat) mir (wieder|selbst|selber|absichtlich|schon wieder) ~1 weh",
        "(tu|tue|tat) mir ~2 weh ~3 (klinge|messer|rasierklinge|schere|feuerzeug|glas)",
    )
    + rules(
        "in_danger",
        "crisis",
        "(bin|ich bin|fuhle mich) (zuhause|zu hause|daheim|bei ihm|hier) (nicht|nicht mehr) (sicher"
        "|in sicherheit)",
        "(mein mann|mein freund|mein partner|meine frau|meine partnerin|er|sie) (bringt|wird) mich"
        " ~1 (umbringen|um) ~1 (wenn|falls|sobald) ~3 (rausfindet|herausfindet|erfahrt|merkt"
        "|gehe|verlasse|trenne|erzahle|anzeige|rausbekommt)",
    )
    + rules(
        "abuse",
        "crisis",
        "(hat|hatte) mich (gezwungen|genotigt) ~4 (sex|schlafen|mit ihm|mit ihr)",
        "(hat|hatte) sich (an mir|mir) (vergangen|aufgezwungen)",
    )
    + rules(
        "act_under_way",
        "crisis",
        "(blute|blutet|blutest) ~3 (stark|sehr|viel|heftig|doll|krass) ~3 (am|an meinem|aus"
        " meinem|an der|am linken|am rechten)? ~1 (handgelenk|arm|armen|bein|hals|oberschenkel)",
        f"{MEANS_DE} ~1 (in der|in meiner) hand",
    )
    + rules(
        "relapse",
        "concern",
        "(ruckfall|ruckfallig)",
    )
)
