"""Rules by structure, for wording nobody wrote a sentence rule for (issue 10, round 9).

The blind rounds missed messages whose words are everyday words: a plan told as logistics ("got
the car keys, driving out to the cliffs tonight"), an act told as a chore ("emptied both blister
packs, took them with vodka"), a goodbye told as relief for others ("nobody will have to deal
with me after this weekend"), danger told as a forecast ("if he comes back tonight he'll kill
me"). What signals danger there is the shape, not a word:

- *a time when nobody is there, and nothing after it*: "sunday when the flat is empty" ends the
  message; "... im having the girls round" goes on and is a plan of another kind;
- *a lethal place reached on one's own*: driving or walking to cliffs, a bridge, the tracks, a
  multi-storey, with a time, and no company, view or errand;
- *ingestion with alcohol*, or whole packs emptied: a medical emergency in everyday verbs;
- *marks counted on the body* ("did three lines on my thigh", "fresh ones on my hip");
- *others relieved of me*, with a time or "anymore", "me" the object (not "my snoring");
- *things no longer needed*, given away or cancelled, and nothing after it;
- *a named person's violence forecast* with a return or a time ("when he gets in he'll kill me").

Context (negation, other people, the past, reports, a joking tone for threats) applies as for
every rule; each family has exceptions for the hard negatives that share its words.
"""

from __future__ import annotations

from bot.safety.lexicon_de import MEDS_DE
from bot.safety.lexicon_en import BODY, MEDS
from bot.safety.rule import END_OF_STATEMENT, Rule, rules

# The end of the whole message: a structure that ends there has nothing ordinary after it.
END = END_OF_STATEMENT
BREAK = "{(?:\\. )?}"
# Up to ten words, across clause ends (a raw piece: the phrase language's gaps stop at a clause).
ACROSS = "{" + "(?:[a-z0-9.]+ )?" * 10 + "}"
DAY = (
    "(monday|tuesday|wednesday|thursday|friday|saturday|sunday|tonight|tomorrow|today|this weekend"
    "|the weekend|next week|midnight)( night| morning| evening)?"
)
# Nobody there: the house empty, the others asleep or away.
NOBODY_THERE = (
    "(when|while|once|as soon as|after) (the|my|our)? ~1 (flat|house|place|home|apartment|everyone"
    "|everybody|they|mum|mom|dad|parents|flatmate|flatmates|roommate|wife|husband|partner|he|she"
    "|the kids|family) (is|are|goes|go|has gone|have gone)? (all)? (empty|asleep|away|out|gone"
    "|at work|on nights|on holiday|in bed|sleeping)"
)
ALCOHOL = (
    "(vodka|wine|gin|rum|whisky|whiskey|beer|beers|cider|alcohol|booze|spirits|tequila|jager"
    "|a bottle|the bottle|half a bottle)"
)
LETHAL_PLACE = (
    "(cliffs|cliff|bridge|the edge|tracks|railway|train line|car park|carpark|multi storey"
    "|multistorey|the roof|rooftop|top floor|river|the sea|quarry|motorway bridge|viaduct|dam)"
)
TRAVEL = "(walk|walking|go|going|drive|driving|head|heading|get|getting|take|taking)"

RULES_STRUCTURE_EN: tuple[Rule, ...] = tuple(
    rules(
        "plan",
        "crisis",
        # "its all planned, sunday when the flat is empty": a time when nobody is there, then
        # nothing; "... im having the girls round" goes on and is not this.
        f"{NOBODY_THERE} {BREAK}? (that is when|thats when|then i will do it|i will do it|that is"
        f" the day|that is the night) {END}",
        f"(all|its all|it is all|everything is|everything) (planned|planned out|sorted|arranged"
        f"|worked out|set|decided) {BREAK} ~3 {NOBODY_THERE} {END}",
        f"(have|got) (the|this)? (house|flat|place|home) to myself {BREAK} (that is when|thats"
        " when|then) <end>",
        # Driving or walking alone to a lethal place, with a time, and no company or view.
        "(i am|i will|i am going to|im|heading|driving|walking|going) ~3 (out|up|down)? (to|up to)"
        f" (the|a)? {LETHAL_PLACE} ~3 (tonight|after dark|after work|after my shift|tomorrow"
        "|later|when|once|at (midnight|night|dawn)) !(~6 (with|sunset|view|photos|picnic|walk the"
        " dog|swim|friends|mates|the girls|the boys|date|dinner|lunch|fish|fishing))",
        f"(keys|petrol|fuel|tank) ~6 (driving|drive|heading|going) ~2 (out)? (to|up to) (the)?"
        f" {LETHAL_PLACE} !(~6 (with|sunset|view|photos|picnic|friends|mates|the girls|the boys))",
        # Choosing the place, researching a height.
        "(already|i)? (know|picked|chose|found|checked out|scoped out) (which|exactly which)"
        " (cliff|bridge|building|roof|car park|tree) !(~4 (to (meet|park)|picnic|photo|photos|view"
        "|wedding|you mean|u mean|he means|she means|they mean|i mean))",
        "(already|i)? (picked|chose|chosen|scoped out) (the|a) (spot|cliff|bridge|building|roof"
        "|tree) !(~4 (for|to (eat|meet|park|swim|sit)|picnic|photo|photos|view|wedding|tent))",
        "how (high|tall|far down|far the drop) (the|that|it) ~3 (is|goes|would be) !(~4 (project"
        "|school|homework|climb|climbing|fun|trivia))",
        # A hose to the exhaust is preparation whatever the day; so is fuel with a hose.
        "(hose|pipe|tube) ~4 exhaust",
        "(petrol|fuel|gas) and (a)? (hose|pipe|tube)",
        # A time, then the house to myself, and nothing after it.
        f"{DAY} {BREAK} (i will|ill|i am going to)? (have|get) the (place|house|flat|home) to myself"
        f" {END}",
        # Nobody there, then a lethal place.
        f"{NOBODY_THERE} ~3 {TRAVEL} ~2 (down|out|up)? (to|up to|down to) (the)? (top of)? (the)?"
        f" {LETHAL_PLACE}",
        f"(going|heading|walking|driving|go) (up|out|down)? (to) (the)? top of (the)? ~1"
        f" {LETHAL_PLACE} ~3 (tonight|after|tomorrow|later|when|once|at) !(~6 (with|sunset|view"
        "|photos|picnic|friends|mates|the girls|the boys|date|dinner|lunch|the car|park|parking))",
        # Timed to spare others a date ("planned it for after my birthday so mum ...").
        "(planned|planning|timed|timing|saving|leaving) it (for|till|until)? (after|until) (my|her"
        "|his|their|the|mums|dads) ~1 (birthday|christmas|wedding|exams|anniversary|holidays)"
        " !(~6 (trip|holiday|party|move|dinner|surgery|op|operation|visit|flight|meal|concert))",
        # Who gets my things, my savings handed over, my pet looked after for good.
        "(sorted|sorted out|decided|worked out|wrote down|written down|writing down|made a list of)"
        " ~2 who (gets|will get|should get|has|can have|is having) my (stuff|things|belongings"
        f"|money|savings|cat|dog|car|room|clothes|games|books) !(~3 {BREAK}~6 (move|moving|moved|uni"
        "|university|wedding|divorce|holiday|abroad|away))",
        "(transferred|sent|moved|gave|giving|signed over) (all|all of)? my (savings|money|bank"
        " account|account|inheritance) to ~3 (brother|sister|mum|mom|dad|son|daughter|friend|kids"
        "|nephew|niece|cousin|partner) !(~6 (for|deposit|rent|house|flat|safe|keeping|loan|back"
        "|borrow|till|until))",
        "(look after|take care of|keep|have) my ~1 (cat|cats|dog|dogs|pets|kids|children|rabbit"
        "|hamster) (for good|forever|from now on|after i am gone|when i am gone|once i am gone)"
        f" !(~3 {BREAK}~6 (allergic|allergy|allergies|moving|landlord|new flat|baby|abroad))",
    )
    + rules(
        "act_under_way",
        "crisis",
        # Ingestion with alcohol: pills (or "them", "the lot") taken, washed down, chased.
        # An amount is what makes it an act: "took my pills with a glass of wine" is not one.
        "(took|tok|taken|swallowed|downed|necked|popped|chased) ~3 (all|the lot|every|everything"
        "|both|the whole|a handful|handful|loads|the rest|a bunch|{[0-9]+ }) ~4 (with|down with|and"
        f"|and a|plus) ~3 {ALCOHOL}",
        f"chased ~3 {MEDS} (down)? with (half a bottle|a bottle|the bottle|a whole bottle|a litre)",
        # Whole packs emptied, everything in the cabinet taken.
        "(emptied|finished|finished off|went through|took|swallowed) (both|all|all the|the|two"
        "|three|every|my) ~1 (blister packs|blister pack|blisters|strips|packets of pills|pill"
        " bottles|pill bottle|boxes of pills)",
        "(took|swallowed|drank|had) (everything|all|whatever|every (pill|tablet)) (in|from|that was"
        " in) (the|my|our)? (cabinet|medicine cabinet|drawer|cupboard|bathroom cabinet|first aid"
        " box)",
        "(engine|motor|car) (is)? running ~5 (garage|door|doors) ~3 (shut|closed|locked)",
    )
    + rules(
        "self_harm",
        "crisis",
        # Marks counted or fresh on the body.
        f"(did|made|drew|carved|put|got|added) ~2 (lines|cuts|marks|ones|scratches|slashes)"
        f" (on|in|into|across|along) (my|the) ~1 {BODY}",
        f"(fresh|new|more) (ones|cuts|lines|marks|scratches|wounds|slashes) (on|across|along|in)"
        f" (my|the) ~1 {BODY}",
        f"(dug|digging|dig) my (nails|fingernails) (in|into) ~2 {BODY} ~3 (bled|bleed|blood"
        "|bleeding|raw)",
        "(blade|razor) (out of|from) (my|the|a) (pencil sharpener|sharpener|shaver|razor)",
        "(took|take|taking|broke|break|breaking|unscrewed|smashed) ~2 (sharpener|sharpeners|razor"
        "|shaver|pencil sharpener) (apart|open) ~3 (for|to get|to take out) (the)? (blade|blades)",
    )
    + rules(
        "goodbye",
        "crisis",
        # Others relieved of me ("me", not "my snoring"), with a time or "anymore".
        "(nobody|no one|none of you|none of them|you|you all|you lot|they|everyone|everybody|my"
        " family|my parents) (will|will not|do not|wont|would not|need not)? (ever)? (have to"
        "|need to|ever have to) (deal with|worry about|put up with|look after|take care of|bother"
        " with|care for|carry|cope with|pay for|clean up after) me (anymore|any more|again|ever"
        f" again|much longer|for much longer|for long|after (this|the|that)? ~1 {DAY}|soon"
        "|after (this|tonight|today)|<end>)",
        f"(after|from|by) (this|the|next)? ~1 {DAY} ~4 (nobody|no one|none of you|none of them"
        "|you|they) (will|will not|wont|would not)? (ever)? (have to|need to) (deal with|worry"
        " about|put up with|look after|bother with|cope with) me",
        # Things no longer needed, given away or cancelled, and nothing after it.
        "(gave|given|giving|left|leave|handed|dropped|posted) !(~3 (old|spare|extra|broken))"
        f" {ACROSS}(i|told ~3 i)? (will not|do not|am not going to)"
        " (be needing|need|use) (it|them|these|those|that|this|any of (it|them|this)|my (things"
        f"|stuff)) (anymore|any more|again|where i am going|after {DAY})? {END}",
    )
    + rules(
        "passive_death_wish",
        "crisis",
        # Others lighter or free without me; a vehicle wished onto me; no future seen.
        "(they|everyone|everybody|you|you all|my family|my kids|my parents|he|she|the world) (would"
        "|will|d) be (free|freer|happier|lighter|relieved|better) without me !(~4 (for|at|on|this"
        "|tonight|while|around|there|today|tomorrow|next|in the|at the|helping))",
        "(world|everything|life for everyone) (would|will) be (lighter|better|happier|brighter"
        "|easier) without me (in it|around|here)?",
        "(wish|hope|hoping|praying) (a|the|that|some) ~1 (car|bus|truck|lorry|train|plane|van)"
        " (would|will|just)? ~2 (hit me|hits me|run me over|crash|crashes|crashed)",
        "(do not|cannot|can not|dont) (see|picture|imagine) myself (being|still being|still)? (here"
        f"|alive|around) (by|at|for|in|next|this|after) !(~3 {BREAK}~6 (moving|move|moved|abroad|emigrating"
        "|relocating|new job|uni|university|this town|this city|this job|this company))",
        "(want|wish|would like|i would rather) to (just)? not (exist|be here|be alive|be around)"
        " (anymore|any more|at all|again)?",
    )
    + rules(
        "in_danger",
        "crisis",
        "(he|she|they) (says|said|told me|texted|keeps saying|is saying) (that)? (i am|i will be)"
        " (dead|a dead (man|woman|girl)|going to die|finished)",
        # A named person's violence forecast with a return or a time ("when he gets in he'll
        # kill me"); a joking tone makes it `unclear_threat` (screening._is_joke).
        "(if|when|once|after|as soon as) (he|she|my ~1 (husband|boyfriend|bf|ex|dad|father"
        "|stepdad|stepfather|partner|brother|son|girlfriend|gf|wife)) ~4 (comes|gets|is|finds"
        " out|sees me|wakes) ~3 (back|home|in|out|up)? ~6 (he|she|they) (will|is going to|is gonna"
        "|wil) ~2 (kill|hurt|beat|strangle|finish|stab|murder) me",
        "(i think|i know|i am sure|i am scared|i am afraid|i am terrified|im scared) (that)? (he"
        "|she) (will|is going to|is gonna|is actually going to) (actually|really|literally)? (kill"
        "|hurt|strangle|stab|murder) me",
        "(he|she) (is|was|keeps)? (screaming|shouting|yelling|saying|says|said|texting|texted)"
        " (that)? (he|she) (is going to|will|is gonna|wil) (kill|hurt|finish|stab|strangle|murder"
        "|do) me (in|off)?",
        "(find|get|catch) me and (finish|do) me (off|in)",
        "(scared|afraid|terrified) (of)? what (he|she) will do ~6 (drunk|tonight|home|gets back"
        "|comes back|last time)",
        "(he|she) (has|is holding|has got|got|is waving) (the|a|his|her) ~1 (knife|kitchen knife"
        "|gun|bat|hammer) ~6 (scared|hiding|locked|run|help|outside|door)",
        "(hiding|locked myself|i locked) ~4 (he|she) (has|has got|got) (the|a|his|her) ~1 (knife"
        "|kitchen knife|gun|bat|hammer)",
    )
    + rules(
        "harm_to_others",
        "crisis",
        "(make|making) (him|her|them) pay ~6 (bat|knife|gun|hammer|blade)",
        "(i will|i am going to|gonna) (stab|shoot|strangle|smother) (him|her|them|my)",
    )
)

RULES_STRUCTURE_DE: tuple[Rule, ...] = tuple(
    rules(
        "plan",
        "crisis",
        "(geplant|entschieden|steht fest|alles klar) ~2 {(?:\\. )?}~3 (wenn|sobald|wahrend) (die"
        "|meine|mein|alle|keiner|niemand|er|sie) ~2 (wohnung|haus|eltern|mitbewohner|freund|mann"
        f"|frau)? ~2 (leer|weg|schlafen|schlaft|auf arbeit|auf montage|unterwegs|nicht da) (ist"
        f"|sind)? {END}",
        "(sind|ist) (meine|mein) ~1 (eltern|mann|freund|frau|mitbewohner|mitbewohnerin) ~3 (weg"
        "|unterwegs|nicht da|auf montage) ~2 {(?:\\. )?}(dann) (mach ichs|mache ich es|tu ichs|ist"
        " es soweit|mach ich es)",
        "(fahr|fahre|geh|gehe|lauf) ~4 (zu den|zur|zum|an die|auf die) (klippen|klippe|brucke"
        "|gleisen|schienen|parkhaus|dach|fluss|steilkuste) ~3 (heute nacht|heute abend|morgen|wenn"
        " alle schlafen|nachher) !(~6 (mit|fotos|sonnenuntergang|picknick|schwimmen))",
        "(fahr|fahre|geh|gehe|lauf) !(~5 (mit|zum baden|zum fotografieren|zum picknick)) ~2"
        " (heute nacht|heute abend|morgen|nachher|gleich) ~3 (zu den"
        "|zur|zum|an die|auf die|runter zum|runter zur) (klippen|klippe|brucke|gleisen|schienen"
        "|parkhaus|dach|fluss|steilkuste) !(~6 (mit|fotos|sonnenuntergang|picknick|schwimmen))",
        "(wenn|sobald) (alle|alle anderen|keiner|niemand) ~2 (schlafen|weg sind|weg ist|da ist) ~3"
        " (geh|gehe|fahr|fahre|lauf) ich ~2 (zum|zur|zu den|an die|auf die) (fluss|brucke|gleisen"
        "|klippen|dach|parkhaus)",
        "(weg|auf montage|nicht da|unterwegs|auf arbeit|verreist) ~2 {(?:\\. )?}dann ~3"
        f" {ACROSS}(mach ichs|mach es|mache es|mach ich es|mache ich es|tu ichs|tue ich es) {END}",
        "(geguckt|nachgeschaut|nachgesehen|rausgesucht|gecheckt) wann (der|die) ~2 (zug|zuge|bahn"
        "|ice) ~2 (durchfahrt|durchfahren|vorbeifahrt|vorbeikommt|durchrauscht|durchkommt)",
        "(die|eine) stelle (an|auf|bei) (der|dem) (brucke|klippe|gleisen|parkhaus|dach) ~3"
        " (angeschaut|ausgesucht|gefunden|angesehen) !(~4 (saniert|gebaut|repariert|renoviert))",
    )
    + rules(
        "act_under_way",
        "crisis",
        f"(ganze|alle|beide|die) ~2 ({MEDS_DE}|packung|packungen|schachtel|blister) ~5 (mit)? ~2"
        " (wodka|schnaps|wein|bier|alkohol|sekt|whisky) ~2 (genommen|runtergespult|runtergeschluckt"
        "|geschluckt|eingeworfen|getrunken)",
        f"({MEDS_DE}|packung|packungen) ~4 (mit|und) ~2 (wodka|schnaps|wein|bier|alkohol) ~2"
        " (genommen|runtergespult|runtergeschluckt|geschluckt|eingeworfen)",
        f"alle ~1 ({MEDS_DE}) ~1 (genommen|geschluckt|eingeworfen) ~4 (noch da|ubrig|die ich hatte)",
        "alles (geschluckt|genommen|eingeworfen) ~4 (schrank|da war|ubrig war)",
        "(auto|wagen) ~4 garage ~3 (motor|der motor) (lauft|an|ist an)",
    )
    + rules(
        "self_harm",
        "crisis",
        "(striche|schnitte|ritzer|kratzer) ~3 (am|auf|in) (meinem|meinen|dem|den|der)? ~1 (arm"
        "|armen|bein|beinen|oberschenkel|handgelenk|hufte|bauch) ~2 (gemacht|geritzt)?",
        "(neue|frische) (schnitte|striche|wunden|ritzer) (am|an|auf)",
        "(mit dem|mit der|mit nem|mit einem) (spitzer|klinge|feuerzeug|zigarette|rasierer) ~3"
        " (verletzt|verbrannt|geritzt|geschnitten)",
    )
    + rules(
        "goodbye",
        "crisis",
        "(keine sorgen|keinen kummer) mehr um mich",
        "(nicht mehr|nie mehr) (lange)? (mit mir|um mich) ~1 (rumschlagen|rumargern|kummern"
        "|sorgen|ertragen)",
        "(mich|mir) (nicht mehr|nie mehr) (lange)? (ertragen|aushalten|rumschlagen)",
        "(fur niemanden|niemandem|euch allen|euch|keinem) ~2 (mehr)? (eine|keine) last (mehr)?",
        "(brauch|brauche) (die|das|sie|es) (eh|doch|ja)? nicht mehr {END}",
        "(niemand|keiner) (mehr)? (mit mir|um mich) ~1 (rumschlagen|rumargern|kummern|sorgen"
        "|abgeben|ertragen)",
        "(das|dies) (hier)? ist mein abschied !(~3 (aus|von|bei|in|party|feier|firma|team|job"
        "|verein|schule))",
    )
    + rules(
        "passive_death_wish",
        "crisis",
        # "es wäre für alle besser, wenn ich nicht mehr da wäre", in either order.
        "(fur alle|fur jeden|fur meine familie|fur euch|fur alle anderen) ~2 (beser|besser) ~1"
        f" {BREAK}(wenn|wen) ich ~2 nicht mehr (da|hier|am leben|leben|ware|existieren)",
        "(beser|besser) (fur alle|fur jeden|fur meine familie|fur euch|fur alle anderen) ~1"
        f" {BREAK}(wenn|wen) ich ~2 nicht mehr (da|hier|am leben|leben|ware|existieren)",
        "(wenn|wen) es mich nicht mehr (gabe|gibt|geben wurde)",
        "(wozu|wofur) (uberhaupt)? (noch)? (leben|weiterleben|weitermachen) <end>",
        "(hoffe|wunsche|wunschte) ~2 ich (wach|wache|wachen|wachte) ~2 nicht (mehr)? auf !(mit|ohne"
        "|verkatert|zu spat|mit einem)",
    )
    + rules(
        "in_danger",
        "crisis",
        "(wenn|sobald|falls) (er|sie|mein mann|mein freund|mein vater|mein ex) ~4 (heimkommt|nach"
        " hause kommt|zuruckkommt|zuruck kommt|wiederkommt|aufwacht) ~4 (bringt|wird) (er|sie)"
        " mich ~2 (um|umbringen|toten|schlagen)",
        "(er|sie) (hat|hatte) (gedroht|angedroht) mich ~1 (umzubringen|abzustechen|zu toten|fertig"
        " zu machen)",
        "droht mich (umzubringen|abzustechen|zu toten)",
    )
    + rules(
        "harm_to_others",
        "crisis",
        "angst (dass|das) ich (meinem|mein|meine|meinen) ~1 (baby|kind|kindern|sohn|tochter) ~2 (was"
        " antue|etwas antue|verletze|wehtue|weh tue|schade|was tue)",
        "ich (bring|bringe|werde) (ihn|sie|den|die) ~2 (um|umbringen|abstechen|erstechen) "
        f"{ACROSS}(messer|waffe|pistole|ernst)",
    )
)
