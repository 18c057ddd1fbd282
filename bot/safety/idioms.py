"""Idioms that use risk words for something else ("killing it", "dying to see it", "my boss will
kill me", "suicide mission"). Each match is masked out of the canonical text before any rule
runs, so no rule can match inside it. Written in the phrase language of `patterns.py`.
"""

from __future__ import annotations

import re

from bot.safety.patterns import Triggers, can_match, compile_rule

MASK = " idiom "

IDIOMS = (
    # "hit me up" is "get in touch", unless it goes on "against the wall".
    "(hit|hits|hitting) me up !(against|on|onto|into)",
    # The close of an ordinary chat: "ok thats all for today, thanks for everything, bye!"
    "(that is all|that is it|thats all|thats it|all) for (today|tonight|now|this week)"
    " {(?:\\. )?}(thank you|thanks|thank u|thx|ty) (so much)? for everything",
    "(killing|killed|kill|smashing|smashed|slaying|slayed|slay|nailing|nailed|crushing|crushed) it",
    "(is|are|was|were|it is|its|that is|this is|these are|those are|keeps|keep|be|been) (killing"
    "|murdering) me",
    "(killing|kills) me (lol|lmao|haha|omg|<end>)",
    "(dying|dyin|die|died|dead) (to|for) !(die|death|me|myself|end)",
    "to die for",
    "(die|died|dying|dead|death|die of|died of|dying of|die from|dying from) (of|from|with)?"
    " (laughing|laughter|embarrassment|boredom|cringe|shame|hunger|thirst|cuteness|jealousy"
    "|curiosity|excitement|heat|suspense|envy|the heat|second hand embarrassment|secondhand"
    " embarrassment)",
    "dead (tired|serious|set|on|wrong|right|end|line|lift|ringer|beat|bored|easy|heat|weight|last"
    "|centre|center|cute|funny|silent|quiet|of night|of winter|asleep|ahead|simple)",
    "(i am|am|literally|im) (literally)? (dead|deceased|dying|ded) (lol|lmao|haha|rofl|omg|skull|<end>)",
    "kill (time|the lights|the engine|the music|the mood|the vibe|the bugs|the spider|the weeds"
    "|the germs|the process|the app|a few hours|an hour|some time|the battery|the conversation"
    "|two birds)",
    "(could|would|i would|i could) (kill|murder) (for|a|some|an)",
    "(murder|murdered) (a|some|that|the) (pizza|burger|coffee|drink|pint|curry|kebab|song|chips)",
    "(boss|teacher|coach|manager|lecturer|professor|supervisor|tutor|team lead|editor|client"
    "|clients|landlady|trainer|prof|instructor|headteacher|principal) (is|are|will|would|is going"
    " to|is gonna|gonna|going to)? ~2 (kill|murder|kills|killing) me",
    # A chore or a test "killing" someone is tiredness, not a threat ("this exam is going to kill me").
    "(exam|exams|test|tests|deadline|deadlines|essay|thesis|homework|revision|commute|shift|shifts"
    "|workload|hangover|heat|week|job) (is|are|will|is going to|is gonna|gonna|going to)? ~2"
    " (kill|kills|killing) me",
    "(suicide|suicidal) (mission|squad|doors|door|sprints|sprint|drills|drill|run|runs|lane|lanes"
    "|king|bomber|bombers|bombing|attack|attacks|bomb|season|boys|blonde|bangs|burn|pace)",
    "(hang|hanging|hung|hangs) (out|in there|on|up|around|with|about|loose|tight|the (washing"
    "|laundry|picture|pictures|clothes|lights|decorations|curtains|painting|coat|jacket|shelf"
    "|mirror))",
    "(get|got|getting|gets|have|having) the hang of",
    "(cut|cutting|cuts) (my|her|his|the|a|some|our|their|your)? (hair|fringe|bangs|nails|cake"
    "|bread|onions|onion|class|classes|school|ties|costs|corners|carbs|sugar|grass|lawn|coupons"
    "|wood|paper|fabric|hours|losses|deal|cheese|vegetables|veggies|meat|crap|chase|back|down"
    "|loose|short|slack|teeth|budget|spending|caffeine|alcohol|dairy|gluten|toenails|fingernails"
    "|pizza|sandwich|steak|tomatoes|apples|potatoes|it out|that out|me off|him off|her off|them"
    " off|out for|in line|the line|the queue|across|through the park|through)",
    "(jump|jumped|jumping|jumps) (on a call|on the call|on a zoom|on zoom|on teams|on the train"
    "|on the bus|the gun|to conclusions|at the chance|rope|ship|for joy|the queue|the line|start"
    "|in the shower|in the pool|into the pool|on the bandwagon|on a plane|on board|through hoops"
    "|ahead|on the trampoline|on a trampoline|in the car|into bed|out of bed|in the lake|into the"
    " lake|off the diving board|scare|scares)",
    "(bridge|bridging) the gap",
    "cross that bridge",
    "(play|playing|played|plays) bridge",
    "bridge (club|game|tournament|night|loan|year|course|job|player|players|partner)",
    "water under the bridge",
    "(od|oded|odd|overdosed|overdose|overdosing|overdid it) on (coffee|caffeine|sugar|chocolate"
    "|netflix|tv|candy|sweets|pizza|cake|love|cute|memes|work|anime|gaming|tiktok|sun|carbs"
    "|ice cream|energy drinks|red bull|vitamin|vitamins|cuteness|drama|christmas|reality tv)",
    "(shot|shoot|shooting) (myself|me) in the foot",
    "(just)? (kill|shoot) me now",
    "(be|is|will be|gonna be|going to be|would be) the death of me",
    "(drop|dropped) dead (gorgeous|handsome|beautiful)",
    "over my dead body",
    "drowning in (work|emails|paperwork|homework|debt|laundry|assignments|deadlines|tasks"
    "|essays|marking|admin|bills|it all|everything)",
    "(dressed|dress|dressing) to kill",
    "(killing|kill) (myself|me) (at the gym|with work|working|studying|with revision|over this"
    "|to finish|for this job|with laughter|laughing)",
    "(my|the|that|this) (plant|plants|phone|battery|laptop|car|fish|tv|computer|charger"
    "|headphones|vibe|mood|conversation|party|wifi|houseplant|goldfish|tamagotchi|sourdough"
    "|starter|basil) (is|was|has|just)? (dead|died|dying|killed)",
    "(killed|kill) (my|the) (plant|plants|houseplant|basil|goldfish|vibe|mood|sourdough|starter)",
    "(bringt|bringen|bringst) mich (noch)? um (den|meinen|meine) (schlaf|verstand|nerven)",
    "(zum|zu) sterben (gern|schon|schoen|langweilig)",
    "(sterbe|sterben|sterb) (vor|fast vor) (hunger|langeweile|lachen|neugier|hitze|durst"
    "|kalte|muedigkeit|mudigkeit)",
    "(todlich|tod) (gelangweilt|beleidigt|verliebt)",
    "(die|eine) (brucke|brucken) (zu|zwischen) ~2 (schlagen|bauen)",
    # Round 10 (the lead's blind round 9): ending a relationship, a job's farewell, a shaving rash.
    "(end|ending|ended|ends) (it|things) with (him|her|them|my ~1 (bf|gf|boyfriend|girlfriend"
    "|partner|husband|wife|ex|fiance|fiancee|date|man|girl|guy|situationship)|{(?!(?:a|an|the|my"
    "|some|this|that|these|those|pills|pill|rope|knife|gun|tablets|meds|vodka|alcohol|poison"
    "|everything|all|it|one|dignity|myself|me|a|no|nothing|tonight|today|tomorrow|after|before"
    "|when|once) )[a-z]+ })",
    "(last day|last shift|leaving do|leaving party|farewell party|farewell|last lecture|last"
    " class) {" + "(?:[a-z0-9.]+ )?" * 10 + "}(said|saying|say) (my)? (goodbyes|goodbye|bye)",
    "(razor|rope|carpet|friction|sun|wind|freezer|rug|mat) (burn|burns|bumps|rash)",
    "(idea|company|business|startup|shop|store|band|project|app|account|page|website|species"
    "|job|role|department|team|club|show|brand|product) ~3 (stop|stopped|stops|cease|ceased)"
    " (existing|to exist)",
    # "doing it tonight! ... im finally asking her out": the "it" is named, and it is ordinary.
    "(doing it|do it|going to do it|i will do it|doing this) ~2 (tonight|today|tomorrow|this"
    " (weekend|week|evening|afternoon|morning)|on (monday|tuesday|wednesday|thursday|friday"
    "|saturday|sunday)|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    " {" + "(?:[a-z0-9.]+ )?" * 10 + "}(i am|i will)? (finally)? (asking|telling|quitting"
    "|proposing|confessing|applying|signing up|booking|dumping|breaking up|coming out|handing in"
    "|going to (tell|ask|quit|propose|confess|apply|book|dump|break up|come out|hand in)|gonna"
    " (tell|ask|quit|propose|confess|apply|book|dump|break up|come out|hand in))",
    "(tu|tue|mach|mache) (es|ichs|ich es|das) ~2 (morgen|heute|heute abend|heute nacht)"
    " {" + "(?:[a-z0-9.]+ )?" * 10 + "}(ich)? (kundige|frag|frage|sag|sage|bewerb|bewerbe"
    "|melde|trenne|gestehe) ~3 (endlich)?",
)
# Round 11: a rope bought for a climb named in the sentence before; "i could kill my brother, he
# ate my leftovers": anger at a small offence, named right after it.
IDIOMS_ROUND_11 = (
    "(climbing|climb|bouldering|abseiling|abseil|belay|belaying|harness|quickdraws|crag|via"
    " ferrata|sailing|camping|scouts|tree surgeon|arborist) {"
    + "(?:[a-z0-9.]+ )?"
    * 10
    + "}(buy|bought|need|get|got|ordered|order|new) (a|some|the)? (new|longer|dynamic|static)?"
    " (rope|ropes)",
    # A question from the therapist answered no: "she asked if i ever have thoughts of hurting
    # myself and i said no". Answered yes, nothing is masked.
    "(asked|asks|asking|ask) (me)? (if|whether) {" + "(?:[a-z0-9.]+ )?" * 10 + "}(i said|said|i"
    " answered|answered|i told (her|him|them)|told (her|him|them)) (no|nope|not really|never)"
    " !(but|though|although)",
    # The evening dose, then bed: "just took my melatonin, goodnight!".
    "(just|already) (took|taken|had) my (evening|night|morning|usual|daily|nightly)? (melatonin"
    "|meds|medication|pills|tablets|dose|antidepressant|antidepressants|sleeping pill|sleeping"
    " tablet|sertraline|citalopram|fluoxetine|mirtazapine|quetiapine) {"
    + "(?:[a-z0-9.]+ )?"
    * 4
    + "}(goodnight|good night|night night|nighty night|night all|off to bed|bed now|sleep well"
    "|feeling (pretty|really)? (good|better|ok|okay|fine|great))",
    # A preference told as hyperbole: "i'd rather be dead than wear that jumper".
    "(would|d|id) (much)? rather (be dead|die|be caught dead) than",
    # Overjoyed: "I passed!!! I could just die, I'm so happy".
    "(i could|could) (just)? (die|cry|scream|explode) {" + "(?:[a-z0-9.]+ )?" * 4 + "}(so|i am so"
    "|of|with|from)? (happy|happiness|joy|excited|excitement|proud|embarrassed|embarrassment"
    "|relieved|grateful|laughing)",
    # Saying goodbye to someone who moved away, or to a home that was sold.
    "(saying|said|say|final|last|big) (goodbye|goodbyes|farewell) to (my|our|the|a|this) ~2 (who"
    " (moved|is moving|left|leaves|went)|before (she|he|they) (moved|left|leaves|moves)|(moved"
    "|moving) (back|away|abroad|out|to)|{" + "(?:[a-z0-9.]+ )?" * 3 + "}(she|he|they) (moved"
    "|is moving|left|leaves|is leaving|went|retired|retires|is retiring|changed|switched))",
    "(goodbye|farewell) to (my|our|the|this) (childhood|old|family|first)? (home|house|flat"
    "|apartment|office|school|job|car|city|town|street|garden|team|desk|classroom|uni|bedroom)",
    # A goodbye because of a move or a new therapist.
    "(moving|move|moved|relocating|emigrating|switching|leaving for|going back to|starting uni"
    "|starting a new job) {" + "(?:[a-z0-9.]+ )?" * 10 + "}(so)? (this is|it is|its) (goodbye"
    "|farewell)",
    "(could|gonna|going to|will|want to|wanna|am going to) (kill|murder|strangle|throttle|strangel)"
    " (him|her|them|my ~1) {" + "(?:[a-z0-9.]+ )?" * 4 + "}(he|she|they|he is|she is) (ate|eaten"
    "|broke|took|stole|used|finished|drank|forgot|lost|borrowed|left|spoiled|spoilt|keeps|keep"
    "|always|never|just|again)",
)
_COMPILED: tuple[tuple[re.Pattern[str], Triggers], ...] = tuple(
    compile_rule(p) for p in IDIOMS + IDIOMS_ROUND_11
)


def mask_idioms(canon: str, words: frozenset[str]) -> str:
    """The canonical text with every idiom replaced by a neutral token (`words`: its tokens)."""
    for pattern, trigger in _COMPILED:
        if not can_match(trigger, words):
            continue
        canon = pattern.sub(MASK, canon)
    return canon
