"""The German screening rules, by what the person is telling us (same categories as English).

Umlauts and ß are folded by `normalize.py` ("schlägt" is written "schlagt", "Brücke" "brucke",
"muß" "mus": repeated letters are squeezed). German shares the English negation, past, other-people
and news rules in `context.py`, with German words added there.
"""

from __future__ import annotations

from bot.safety.rule import Rule, rules

MEDS_DE = (
    "(tabletten|tablette|pillen|pille|medikamente|medikament|schlaftabletten|schmerztabletten"
    "|schmerzmittel|antidepressiva|paracetamol|ibuprofen|aspirin|tavor|diazepam|valium|lithium"
    "|insulin|tramadol|novalgin|pills|meds)"
)
QUANTITY_DE = (
    "(alle|alle meine|die ganze|eine ganze|ganze|viele|zu viele|sehr viele|{[1-9][0-9]+ }|zwanzig"
    "|dreisig|vierzig|funfzig|hundert|eine packung|die packung|zwei packungen|packungen|eine"
    " schachtel|die schachtel|schachteln|den ganzen vorrat|alles|den rest|eine handvoll|handvoll"
    "|eine dose|die dose|ne packung|nen haufen|einen haufen)"
)
POISONS_DE = (
    "(gift|rattengift|bleiche|frostschutzmittel|abflussreiniger|pflanzengift|chlorreiniger)"
)
HIGH_DE = (
    "(brucke|dach|hochhaus|gleisen|gleis|bahngleisen|schienen|klippe|kante|gelander|fensterbrett"
    "|balkongelander|turm|parkhaus|dachkante|autobahnbrucke)"
)
SUBJECT_DE = (
    "(er|sie|mein mann|mein freund|mein partner|mein ex|mein vater|mein papa|mein stiefvater"
    "|meine frau|meine freundin|meine partnerin|meine ex|meine mutter|meine mama|mein bruder"
    "|mein sohn|jemand|ein mann|der typ|mein verlobter)"
)
# The people someone may be in danger from at home (dative, after "angst vor meinem/meiner").
HOUSEHOLD_DE = (
    "(mann|ehemann|freund|exfreund|ex|partner|exmann|vater|papa|stiefvater|bruder|onkel|sohn"
    "|verlobten|frau|ehefrau|freundin|exfreundin|partnerin|mutter|mama|stiefmutter|schwester"
    "|nachbarn|typen|vermieter)"
)
PEOPLE_DE = "(ihn|sie|jemanden|euch|dich|mein kind|das baby|meinen chef|meine frau|meinen mann)"
TIMING_DE = (
    "(heute nacht|heute abend|heute|morgen|am wochenende|diese woche|bald|um mitternacht|wenn"
    " alle schlafen|wenn alle weg sind|nachdem alle schlafen|sobald alle schlafen)"
)

ACT_UNDER_WAY_DE: list[Rule] = rules(
    "act_under_way",
    "crisis",
    f"{QUANTITY_DE} ~3 {MEDS_DE} ~3 (genommen|geschluckt|eingenommen|gefressen|eingeworfen"
    "|reingeworfen|runtergeschluckt|reingehauen)",
    f"(genommen|geschluckt|eingenommen|eingeworfen) ~2 {QUANTITY_DE} ~2 {MEDS_DE}",
    f"(nehme|nehm|schlucke|schluck) (gerade|jetzt|grad)? ~2 {QUANTITY_DE} ~3 {MEDS_DE}",
    "(uberdosis|uberdosiert|uberdosis genommen)",
    f"{POISONS_DE} ~2 (getrunken|geschluckt|genommen|gegessen)",
    f"(stehe|steh|sitze|sitz|bin|ich bin) (gerade|jetzt|grad)? (auf|an|am|bei) (der|dem|einer"
    f"|einem|den|die)? ~1 {HIGH_DE} !(~4 (repariere|reparieren|regenrinne|arbeite|arbeiten"
    "|garten|terrasse|party|sonne|grille|grillen|kaffee|rauche|bar|restaurant|fotos|foto"
    "|sonnenuntergang|aussicht|warte|spaziergang|spazieren|joggen|mit (freunden|meinem|meiner)))",
    "(blutet|blutung|blut) ~3 (hort nicht auf|stoppt nicht|will nicht aufhoren|nicht stoppen)",
    "(zu|viel zu|so) tief geschnitten",
    "(strick|seil|schlinge|gurtel) ~2 (um|am) (meinen|den|meinem) (hals|nacken)",
    "(sitze|sitz) im auto (mit|und der) (laufendem motor|motor lauft)",
)

PLAN_OR_PREPARATION_DE: list[Rule] = (
    rules(
        "plan",
        "crisis",
        f"(habe|hab|ich habe) (einen|den|nen) plan !(fur|zum|zur|gegen|fuer) ~4 (wie|wann|sterben"
        f"|umzubringen|ende|zu"
        f" machen|schluss|{TIMING_DE})",
        f"{TIMING_DE} ~3 (mache ich es|mach ich es|ist es soweit|bringe ich mich um|ist schluss"
        "|mache ich schluss|mach ich schluss|werde ich es tun|tue ich es|tu ich es|ist es vorbei"
        "|bin ich weg|bin ich tot|bin ich nicht mehr da|ist alles vorbei|ziehe ich es durch"
        "|zieh ich es durch) !({(?:\\. )?}~4 endlich) !(mit (dem|der|den) (rauchen|trinken|kiffen"
        "|zucker|alkohol|stress|job|thema|aufschieben|handy|social media|ausreden|naschen)|mit (ihm"
        "|ihr|meinem freund|meiner freundin))",
        f"(es|alles) (ist|wird) {TIMING_DE} (vorbei|zu ende|aus)",
        "(datum|tag|zeitpunkt|ort) (ausgesucht|gewahlt|festgelegt|steht fest|ausgewahlt)",
        f"(bringe|bring) mich {TIMING_DE} um",
        f"(werde|will|wil) mich {TIMING_DE} ~1 (umbringen|toten|das leben nehmen|aufhangen|erhangen)",
        "(uberlegt|uberlege|geplant|plane|uberleg) ~1 (wie|wann|wo) ich es (mache|tue|tun werde"
        "|machen werde|mach)",
        "(springe|spring|werfe mich|sturze mich|schmeis mich) ~3 (von der|vom|von einem|von dem|vor den"
        f"|vor einen|vor die|von meinem) ~1 ({HIGH_DE}|zug|bus|bahn|lkw|auto)",
        "(ich weis|weis) (genau)? (wie|wann|wo) ich (es mache|es tun werde|es tue|mich"
        " umbringe|sterben werde)",
        "(habe mich|hab mich|ich habe mich) entschieden ~3 (zu sterben|es zu tun|mich umzubringen"
        "|zu gehen|schluss zu machen)",
    )
    + rules(
        "method_mention",
        "crisis",
        f"(von der|von einer|vom|von dem|vom dach|von meinem) ~1 {HIGH_DE} (springen|zu springen"
        "|sturzen|zu sturzen|werfen)",
        "(vor|unter) (den|einen|die) (zug|bus|lkw|auto|bahn|u bahn|s bahn) (springen|werfen"
        "|legen|zu werfen|zu springen|laufen)",
        "mich (aufhangen|aufzuhangen|erhangen|zu erhangen|vergiften|zu vergiften|erschiesen|zu"
        " erschiesen|ertranken|zu ertranken|vor den zug werfen|vor einen zug werfen|erstechen"
        "|erdrosseln)",
        f"(wie viele|wieviele|wie viel|wieviel) ~3 {MEDS_DE} ~4 (todlich|sterben|tot|reichen"
        "|braucht man|umbringen)",
        "(todliche|letale) (dosis|menge)",
        f"(genug|reichen) {MEDS_DE} ~3 (sterben|nicht mehr aufwachen|umbringen|todlich)",
        f"(will|werde|mochte|wurde|denke daran) ~3 {QUANTITY_DE} ~2 {MEDS_DE} (nehmen|schlucken|zu"
        " nehmen|zu schlucken)",
        f"(starre|schaue|denke|gucke) ~2 (auf|an) (die|meine|das|den) ({MEDS_DE}|strick|seil"
        f"|messer|klinge|klingen|brucke|gleise)",
    )
    + rules(
        "preparation",
        "crisis",
        f"{MEDS_DE} ~2 (gesammelt|sammeln|sammle|gehortet|horten|horte|aufgespart|aufheben"
        "|zuruckgelegt|gebunkert|bunkere|versteckt|aufbewahrt)",
        f"(sammle|sammel|horte|bunkere|spare) ~2 {MEDS_DE}",
        "(habe|hab) (einen|ein|den|das|nen|schon einen|schon ein) (strick|seil|schlinge|strang)"
        " !(~2 (fur|zum|zur|gekauft fur|als))",
        # "neues seil zum klettern gekauft" is sport.
        "(strick|seil|schlinge|rattengift|pistole|waffe|holzkohle|rasierklingen|klingen|helium)"
        " !(~2 (klettern|kletterhalle|bouldern|schaukel|zelt|camping|boot|segeln|waschelein"
        "|hund|garten)) ~2 (gekauft|besorgt|bestellt|geholt|organisiert)",
        "(abschiedsbrief|abschiedsbriefe|abschiedsbriefen|abschiedsnachricht|abschiedsnachrichten"
        "|abschiedsvideo)",
        "(briefe|brief|einen brief) ~4 (an|fur) (meine|meinen|die|alle|jeden|jede) ~2 (geschrieben"
        "|hinterlassen|hingelegt|versteckt|gelegt)",
        # A will made for the house, the baby or the notary's advice is prudence, not farewell.
        "(testament) ~2 (gemacht|geschrieben|aufgesetzt|fertig|geregelt) !({"
        + "(?:[a-z0-9.]+ )?" * 10
        + "}(notar|notarin|haus|wohnung|hochzeit|heirat|geheiratet|baby|geburt|kind|kinder|anwalt"
        "|anwaltin|empfohlen|versicherung|erbschaft|vorsorge|patientenverfugung|vollmacht|weil wir))",
        "(meine|mein|meinen|alle meine) ~1 (katze|hund|haustiere|sachen|besitz|kater) ~2 (verschenkt"
        "|weggegeben|abgegeben|verschenke|weggebe)",
        "(alles|meine angelegenheiten|meine sachen) (geregelt|geordnet|in ordnung gebracht)"
        " ~3 (bevor|fur wenn|damit)",
    )
    + rules(
        "goodbye",
        "crisis",
        "(das ist|dies ist|hier ist) (meine)? (letzte) (nachricht|sms|mitteilung) !(~3 (vor|fur"
        " heute|heute|bis|fur diese woche|heute abend vor|gute nacht))",
        "(danke|vielen dank|danke dir|danke euch) fur alles !(heute|fur heute|bis) ~3 (tschus"
        "|tschuss|lebt wohl|leb wohl"
        "|auf wiedersehen|machts gut|adieu|{\\. }(tschus|tschuss|lebt wohl|leb wohl|machts gut"
        "|adieu|auf wiedersehen))",
        "(lebt|leb) wohl",
        "(danke|vielen dank|danke dir|danke euch) fur alles {\\. }~6 {(?:\\. )?}(tschus|tschuss|lebt"
        " wohl|leb wohl|machts gut|adieu|auf wiedersehen)",
        "(ich werde|werde) (euch|dich|alle|sie) (so)? vermissen ~2 {(?:\\. )?}(tschus|tschuss|lebt"
        " wohl|leb wohl|machts gut|adieu)",
        "(sag|sagt|sagen sie) (meiner|meinem|meinen) ~1 (mutter|mama|vater|papa|kindern|kind"
        "|frau|mann|familie|schwester|bruder) ~1 (dass)? ich (sie|ihn|euch|dich)? ~1 (geliebt"
        "|liebe|es tut mir leid)",
        "(ihr|du|sie) (werdet|wirst|werden) (nichts|nie wieder was|nie mehr was|nie wieder) ~2"
        " (von mir (horen|lesen)|mehr von mir)",
        "(brauche|werde) keine ~2 (check ins|checkins|nachrichten|termine|erinnerungen|hilfe)"
        " mehr ~2 (brauchen|nach heute|nach heute nacht|ab morgen)",
        "(werde|bin) (nicht mehr lange|bald nicht mehr) (da|hier|zur last|ein problem)",
        "(wenn|sobald) (du|ihr|jemand) (das|dies) (liest|lest) ~3 (bin ich|werde ich) ~2 (weg"
        "|tot|nicht mehr da|nicht mehr)",
        "(das ist|es ist) (ein)? abschied (fur immer)?",
        "(verzeiht|verzeih|vergebt|vergib) mir ~3 (tschus|tschuss|lebt wohl|ich liebe|fur alles)",
    )
)

SUICIDAL_THOUGHTS_DE: list[Rule] = rules(
    "suicidal_ideation",
    "crisis",
    "(suizid|suizidal|suizidale|suizidalen|suizidgedanken|suizidgedanke|selbstmord"
    "|selbstmordgedanken|suizidversuch|selbstmordversuch|suizidgefahrdet|lebensmude"
    "|lebensmuede|todeswunsch|todessehnsucht|suizidalitat)",
    "{(?<! droht )(?<! gedroht )(?<! drohte )(?<! drohen )(?<! will )}mich ~3 (umbringen|toten"
    "|umzubringen|zu toten|killen)",
    "ich will mich ~1 (umbringen|toten|killen)",
    "(bringe|bring) mich (selbst)? um",
    "(bringe|bring) mich ~3 um !(den|die|das|meinen|meine|meinem)",
    "mir das leben (nehmen|zu nehmen)",
    "(mein|das|meinem) leben (beenden|zu beenden|ein ende)",
    "(will|mochte|wurde gern|wurde gerne|wurde am liebsten|mocht|wil|wollte|wolte|mochte"
    " ich|will ich|wollte ich) ~3 (sterben|tot sein)",
    "(will|mochte|wil|mocht) (einfach|nur)? nicht mehr sein",
    "(will|mochte|kann|mocht|wil) (einfach|wirklich)? (nicht mehr|nimmer) leben",
    "(allem|alles) ein ende (machen|setzen|bereiten)",
    "(schluss|ende) (machen|mache|mach) !(mit (ihm|ihr|meinem|meiner|dem|der|den))",
    "nicht mehr leben (will|mochte|wollen)",
    "(sterben|tot sein) (will|mochte|wollen)",
    "(denke|denk|dachte|gedanken) ~2 (an|daran|ans|uber) (sterben|den tod|mich umzubringen"
    "|suizid|selbstmord|es zu beenden|nicht mehr da zu sein)",
) + rules(
    "passive_death_wish",
    "crisis",
    "(besser|lieber) tot",
    "(am liebsten|lieber|wurde gerne|wurde gern) ~2 (tot|sterben|nicht mehr da|nicht mehr"
    " aufwachen|einschlafen und nicht mehr|verschwinden)",
    "nicht mehr aufwachen",
    "(will|mochte|wil) (einfach)? nicht mehr (da sein|hier sein|existieren|sein|weitermachen"
    "|aufwachen|weiter)",
    "ohne mich ~3 (besser|leichter|glucklicher)",
    "(besser|leichter|glucklicher) (dran)? ohne mich",
    "(wenn ich (weg|tot|nicht mehr da) (bin|ware|war)) ~3 (besser|leichter|glucklicher"
    "|vermissen|merken)",
    "(kein|keinen|keine) (grund|sinn|lust) (mehr)? (zu leben|zum leben|weiterzuleben|hier"
    " zu sein|am leben|auf leben|mehr zu leben)",
    "(leben|das leben|mein leben) ~2 (keinen sinn|sinnlos|nicht lebenswert|nicht mehr lebenswert)",
    "(hab|habe) keine kraft mehr (zu leben|weiterzuleben|fur das leben)",
    "(mude|satt) ~1 (vom leben|zu leben|des lebens)",
    "(wunschte|wunsche) ~2 ich (ware|war|wurde) (tot|nie geboren|nicht mehr da|nicht mehr"
    " aufwachen)",
    "(fur immer)? (verschwinden) (fur immer|und nie wieder)",
    "(niemand|keiner) (wurde|wird) mich vermissen",
    "(kann|konnte) so nicht (mehr)? (weiterleben|weiter leben|weitermachen)",
)

SELF_HARM_DE: list[Rule] = rules(
    "self_harm",
    "crisis",
    "mir (etwas|was|selbst was|selbst etwas) (antun|anzutun|angetan)",
    "mich ~4 (verletzen|verletze|verletzt|zu verletzen) !(~3 (beim|bei der|aus versehen"
    "|versehentlich|sport|training))",
    "(schlage|schlag|kratze|kratz|beisse|beis|verbrenne|schneide|ritze) mich (selbst)?"
    " !(~3 (beim|bei der|aus versehen|versehentlich|durch))",
    "(geritzt|ritze|ritzen|ritz|ritzt|geritz|ritzdruck)",
    "(selbstverletzung|selbstverletzen|selbstverletzend|selbstverletzendes|svv|ssv)",
    "(ich habe|ich hab|hab|habe|ich) mich !(~2 (beim|bei der|bei dem|am (herd|ofen|glas|papier"
    "|bugeleisen|topf|grill|kamin)|an der|an dem|aus versehen|versehentlich|im)) ~3 (geschnitten"
    "|verbrannt|geschlagen|gekratzt|gebissen) !(~3 (beim|bei der|aus versehen|versehentlich|am"
    " (herd|ofen|glas|papier|bugeleisen|topf|grill)|an der|an dem|mit dem messer beim))",
    "(druck|drang) ~2 (zu ritzen|mich zu verletzen|zu schneiden|mich zu schneiden|mir weh zu tun)",
    "(ruckfall|ruckfallig) ~3 (geritzt|ritzen|svv|verletzt|geschnitten)",
    "(klinge|klingen|rasierklinge|rasierklingen|messer|scherbe) ~4 (arm|arme|handgelenk"
    "|handgelenke|bein|beine|haut|oberschenkel)",
    "(frische|neue|tiefe) (schnitte|wunden|narben|verbrennungen) (am|an meinem|an meinen|auf"
    " meinem)",
    "(mir|mich) (weh|wehtun|weh tun|weh zu tun) ~2 (mochte|will|muss|wollen)",
    "(will|mochte|muss) mir (weh tun|wehtun|schmerzen zufugen)",
    "(will|mochte|muss|werde) mich ~1 (schneiden|ritzen|verletzen|verbrennen|schlagen)",
    "mir ~4 (arm|arme|bein|beine|haut|handgelenk|handgelenke|oberschenkel) ~2 (verbrannt"
    "|geschnitten|aufgeschnitten|aufgekratzt|geritzt) !(~3 (beim|aus versehen|versehentlich))",
)

DANGER_FROM_OTHERS_DE: list[Rule] = rules(
    "in_danger",
    "crisis",
    "ich (bin|fuhle mich) (nicht sicher|in gefahr|unsicher zuhause|nicht sicher zuhause)",
    "(habe|hab|ich habe) (solche|grose|so)? angst vor (ihm|ihr|denen) !(~2 (prufung|zahnarzt"
    "|termin))",
    # Fear of "meinem chef", "dem gesprach" or "der prufung" is everyday; fear of a partner or a
    # relative at home is what this rule is for.
    f"(habe|hab|ich habe) (solche|grose|so)? angst vor (meinem|meiner|dem|der) {HOUSEHOLD_DE}"
    " !(~2 (prufung|zahnarzt|termin))",
    "(traue mich|trau mich|traue mir|wage mich) nicht (nach hause|heim|zuruck)",
    "angst ~2 (nach hause|heim) zu (gehen|kommen|fahren)",
    f"{SUBJECT_DE} ~2 (droht|drohte|hat gedroht|will|wird) ~2 mich ~1 (umbringen|toten"
    "|umzubringen|zu toten|verletzen|zu verletzen|schlagen|abstechen)",
    f"{SUBJECT_DE} ~1 (verfolgt|beobachtet|stalkt|lauert) mich",
    "(werde|wurde) (verfolgt|gestalkt|bedroht)",
    f"{SUBJECT_DE} (lasst|last|lies) mich nicht ~1 (raus|gehen|weg|aus dem haus|telefonieren"
    "|aus der wohnung|aus dem zimmer|alleine raus|zu meiner familie|zu meinen freunden"
    "|arbeiten|schlafen|los)",
    f"{SUBJECT_DE} (steht|wartet|ist) ~2 vor (meiner|der) (tur|wohnung|haus|arbeit)",
    "(eingesperrt|eingeschlossen) ~3 (er|sie|hilfe|lasst mich nicht)",
) + rules(
    "abuse",
    "crisis",
    f"{SUBJECT_DE} ~1 (schlagt|schlug|wurgt|wurgte|tritt|trat|bedroht|vergewaltigt"
    "|misshandelt|erpresst|sperrt|schubst|schubste|verprugelt|packt|zwingt"
    "|bedrangt|begrapscht|missbraucht|verletzt) mich !(~2 (beim|bei|im (schach|spiel)"
    "|immer im|in (mathe|schach))|aus|an|auf)",
    f"{SUBJECT_DE} ~1 (hat|hatte) mich ~3 (geschlagen|gewurgt|getreten|bedroht|eingesperrt"
    "|vergewaltigt|misshandelt|verletzt|gestosen|geschubst|verprugelt|missbraucht|gezwungen"
    "|angegriffen|eingeschlossen|begrapscht)",
    "(hausliche|sexuelle|sexualisierte|korperliche) (gewalt|ubergriffe|missbrauch)",
    "(wurde|bin|werde) ~2 (vergewaltigt|missbraucht|misshandelt|geschlagen|verprugelt"
    "|angegriffen) !(~3 (beim|im|in (mathe|schach|tennis)))",
    "(gewalttatig|gewalttatige|gewalttatigen|gewalttatiger) (partner|mann|freund|vater|ex"
    "|beziehung|ehe)",
)

HARM_TO_OTHERS_DE: list[Rule] = rules(
    "harm_to_others",
    "crisis",
    f"(will|werde|mochte|wurde am liebsten) ({PEOPLE_DE}|(meinen|meine|mein|den|die|das) ~1) ~1"
    " (umbringen|toten|verletzen"
    "|erstechen|erschiesen|abstechen|erwurgen|umlegen)",
    "(angst|sorge) ~2 (dass)? ich ~2 (meinem|meinen|dem|mein|das) ~1 (kind|baby|sohn|tochter"
    "|partner|mann|frau) ~2 (etwas|was|weh) ~1 (antue|antun|tue|tun)",
)

CONCERNS_DE: list[Rule] = (
    rules(
        "hopelessness",
        "concern",
        "(hat|macht) (alles)? keinen sinn mehr",
        "(hoffnungslos|ausweglos|aussichtslos|keine hoffnung)",
        # Gefangen sein, ohne den Ausweg zu sehen (Entrapment).
        "(kein|keinen) ausweg",
        "(seh|sehe|finde|find) keinen ausweg",
        "(ich kann|kann) (einfach)? nicht mehr <end>",
        "(ich will|will) (einfach)? nicht mehr <end>",
        "(hab|habe|ich habe) keine kraft mehr",
        "(will|mochte) (dass)? (es|das|der schmerz) (aufhort|aufhoren|endet)",
    )
    + rules(
        "worthlessness",
        "concern",
        "ich (bin|fuhle mich) (so)? (wertlos|nutzlos|ein versager|eine versagerin)",
        "(ich hasse mich|hasse mich selbst)",
    )
    + rules("burden", "concern", "(bin|ich bin) (nur)? (eine|allen eine) last")
    + rules(
        "isolation",
        "concern",
        "(niemand|keiner) (versteht|liebt|mag|interessiert sich fur) mich",
        "(so|ganz|total) allein",
    )
    + rules(
        "third_party_risk",
        "concern",
        "(will|mochte|wollte|wil) sich ~1 (umbringen|das leben nehmen|was antun|etwas antun|toten"
        "|verletzen|umzubringen)",
        "(ritzt|ritzte|verletzt|schneidet) sich",
        "(bringt|brachte) sich um",
    )
)

RULES_DE: tuple[Rule, ...] = tuple(
    ACT_UNDER_WAY_DE
    + PLAN_OR_PREPARATION_DE
    + SUICIDAL_THOUGHTS_DE
    + SELF_HARM_DE
    + DANGER_FROM_OTHERS_DE
    + HARM_TO_OTHERS_DE
    + CONCERNS_DE
)
