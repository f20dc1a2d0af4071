"""Danish sentence templates for the diary notes, grouped by what they express.

Slots: {barn} child's first name, {bhan}/{bham} child's pronouns, {forælder} the parent of the
note (name or "mor"/"far"), {fhan}/{fham} the parent's pronouns, {kollega}, {sagsbehandler},
{institution}. Groups in parentheses are alternatives (see ``templates``).

The code groups carry the truth labels written to ``facit.jsonl``. Decoys use the same words
without the meaning (the parent's doubt, relational words used non-relationally, negations),
so a naive keyword match does not score perfectly.
"""

from __future__ import annotations

from effektspor.synthetic.templates import compile_all

# --- negative alliance (sub-code → templates) --------------------------------------------
NEGATIVE: dict[str, tuple[str, ...]] = {
    "aflyser aftale": (
        "{forælder} (aflyser|melder afbud til) (dagens|det aftalte|morgendagens) (møde|besøg|hjemmebesøg)( med kort varsel| over sms| en halv time før|).",
        "Vi har for (anden|tredje) gang ikke truffet familien hjemme til det aftalte besøg, og {forælder} svarer ikke på telefonen.",
        "{forælder} har (aflyst|udskudt) de (to|tre) seneste aftaler med henvisning til (sygdom|travlhed|at {barn} er syg).",
    ),
    "afvisende attitude": (
        "{forælder} (virker|fremstår|er) (meget |tydeligt |)afvisende over for (mig|os|samtalen|at tale om {barn}s trivsel).",
        "{forælder} vender ryggen til og vil ikke tale med mig, da jeg kommer.",
        "{forælder} svarer kort og (afvisende|undvigende) på mine spørgsmål og (kigger på sin telefon|ser væk) det meste af tiden.",
    ),
    "tager ikke imod råd og vejledning": (
        "{forælder} tager ikke imod (råd og vejledning|de råd, vi giver|vejledning om {barn}s sengetider)( og siger, at det ikke virker|).",
        "{forælder} (afviser|vil ikke høre på) (forslaget|vores forslag) om (faste sengetider|en fast morgenrutine|en ugeplan|et belønningsskema).",
        "Det er svært at give {forælder} vejledning, da {fhan} (ikke vil lytte|afbryder hver gang|mener at vide bedre).",
    ),
    "udtrykker vrede": (
        "{forælder} (bliver|er) (vred|meget vred|tydeligt vred) og (råber|hæver stemmen) ad (mig|os).",
        "{forælder} udtrykker vrede over (kommunens afgørelse|at sagen er blevet forlænget|vores bekymring) og (smækker med døren|forlader mødet).",
        "{barn} (bliver vred på mig|skælder mig ud) og (kaster med legetøjet|løber ud af rummet), da jeg (siger nej|beder {bham} rydde op).",
    ),
    "føler sig svigtet af professionel": (
        "{forælder} (siger|fortæller), at {fhan} føler sig svigtet af (kommunen|os|Familiecentret|sin tidligere sagsbehandler).",
        "{forælder} oplever, at ingen (har hjulpet|lytter til) {fham}, og at (vi|systemet) har svigtet familien.",
    ),
    "føler sig frustreret": (
        "{forælder} er (frustreret|tydeligt frustreret|opgivende) over, at (intet|ingenting) (ændrer sig|hjælper).",
        "{forælder} giver udtryk for frustration over (de mange møder|ventetiden|at {barn} stadig ikke sover om natten).",
    ),
    "føler sig forvirret": (
        "{forælder} (er forvirret over|forstår ikke), hvem der (bestemmer hvad|har ansvaret) i sagen.",
    ),
    "kan ikke se formål med indsats": (
        "{forælder} siger, at {fhan} ikke kan se formålet med (indsatsen|forløbet|vores besøg).",
        "{forælder} stiller spørgsmålstegn ved, hvad (møderne|samtalerne) skal gøre godt for.",
    ),
    "mangler overskud til at tage imod hjælp": (
        "{forælder} (mangler|har ikke) overskud til at tage imod hjælp (lige nu|i denne periode|oven på flytningen).",
        "Det er min vurdering, at {forælder} er for presset til at kunne bruge vores støtte (for tiden|lige nu).",
    ),
    "alliancebrud": (
        "Samarbejdet med {forælder} er (brudt sammen|gået i stå) efter (sidste møde|episoden i sidste uge|klagen til kommunen).",
        "{forælder} (ønsker ikke længere|nægter) at samarbejde med mig og beder om en anden behandler.",
    ),
    "mistillidshandling": (
        "{forælder} (optager|har optaget) samtalen på sin telefon og siger, at {fhan} ikke stoler på os.",
        "{forælder} (tjekker|læser) alt, hvad jeg skriver, og (beskylder mig for|mener, at jeg) at (lyve|fordreje det, {fhan} siger).",
    ),
    "råb om hjælp": (
        "{forælder} ringer (sent om aftenen|flere gange i løbet af dagen) og siger, at {fhan} ikke kan mere.",
        "{forælder} skriver en sms: \"Jeg kan ikke klare det her alene længere.\"",
    ),
    "tager ikke imod omsorg": (
        "{barn} (trækker sig|skubber mig væk), da jeg forsøger at trøste {bham}.",
        "{forælder} (afviser|vil ikke tage imod) min omsorg og siger, at {fhan} (klarer sig selv|ikke har brug for medlidenhed).",
    ),
}

POSITIVE: dict[str, tuple[str, ...]] = {
    "tager imod råd og vejledning": (
        "{forælder} (tager godt imod|er åben over for|tager imod) (råd og vejledning|vores råd|vejledningen om (sengetider|madpakker|grænsesætning)).",
        "{forælder} har afprøvet (ugeplanen|belønningsskemaet|den faste morgenrutine), vi talte om sidst, og fortæller, at det (virker|har hjulpet|går bedre).",
        "{forælder} spørger selv ind til, hvordan {fhan} kan (hjælpe {barn} med lektierne|sætte grænser uden at råbe|få aftenerne til at glide).",
    ),
    "tillidshandlinger": (
        "{forælder} (fortæller åbent om|deler) (sine bekymringer|svære ting fra sin egen barndom|familiens økonomi) og siger, at {fhan} har tillid til (mig|os).",
        "{forælder} (ringer selv|tager selv kontakt), da {barn} får (en konflikt i skolen|et voldsomt raserianfald), og beder om (sparring|et ekstra møde).",
    ),
    "tryg atmosfære": (
        "Der er en (tryg|rolig|god og tryg) (atmosfære|stemning) (under besøget|i hjemmet|under samtalen).",
        "Besøget foregår i en (afslappet|rar|tryg) atmosfære, og (både {forælder} og {barn}|familien) (griner|fortæller gerne).",
    ),
    "at give omsorg": (
        "{forælder} (giver|viser) {barn} omsorg og (trøster|krammer) {bham}, da {bhan} bliver ked af det.",
        "Jeg ser, at {forælder} (tager sig tid til at|roligt) (lytte til|hjælpe) {barn}, (og|da) {bhan} (skal fortælle om sin dag|ikke kan finde sin sko).",
    ),
}

DOUBT = (
    "Jeg er i tvivl om, (hvorvidt|om) (vores|min) (tilgang|indsats|måde at arbejde på) (rammer|passer til) (familiens|{barn}s) (behov|situation).",
    "Vi overvejer, om vores tilgang (er den rette|skal ændres|giver mening for familien).",
    "Jeg (undrer mig over|spørger mig selv), om (jeg|vi) har (forstået|misforstået) {forælder}s (reaktion|modstand)( rigtigt|).",
    "Jeg (er usikker på|tvivler på), om (samtalerne|hjemmebesøgene|den nuværende frekvens) (gør en forskel|er nok)(, og jeg vil tage det op til sparring|, og jeg tager det med til teammødet|).",
    "Det er (min|vores) fornemmelse, at vi (kører i ring|står i stampe), og jeg (ønsker sparring|vil drøfte med {kollega}) om, hvordan vi kommer videre.",
    "Jeg (kan ikke|har svært ved at) (vurdere|afgøre), om {barn}s (reaktion|uro|tilbagetrækning) handler om (samværet|skolen|forholdene hjemme), og (vil gerne have|har brug for) en faglig drøftelse.",
    "Jeg spørger mig selv, om jeg har været for (hurtig|styrende|forsigtig) i (samtalerne|mine råd) med {forælder}.",
)

PARENT_DOUBT = (
    "{forælder} er i tvivl om, (hvorvidt|om) {fhan} skal (søge nyt job|flytte tættere på sin mor|tage imod tilbuddet om aflastning).",
    "{forælder} fortæller, at {fhan} tvivler på, at {barn} (vil trives|kan klare sig) (på den nye skole|efter skiftet).",
    "{forælder} overvejer, om {barn} skal skifte (skole|børnehave|fritidsklub).",
    "{forælder} er usikker på, om {fhan} (orker|kan nå) endnu et møde på rådhuset.",
)

NOT_DOUBT = (
    "Jeg er ikke i tvivl om, at {barn} (har gavn af|nyder) (forløbet|vores samtaler).",
    "Der er ingen tvivl om, at (mor|far|{forælder}) (elsker|gør sit bedste for) {barn}.",
)

ADJUSTMENT: dict[str, tuple[str, ...]] = {
    "frekvens": (
        "(Vi|Jeg) (øger|justerer) (frekvensen|antallet af besøg) fra en gang om ugen til (to gange om ugen|tre gange om ugen).",
        "Efter aftale med (sagsbehandler|{sagsbehandler}) (nedsættes|skrues) (timetallet|besøgene) ned til hver anden uge.",
    ),
    "metode": (
        "Vi (ændrer|skifter) metode og (arbejder fremover|vil fremover arbejde) med (video-feedback|Marte Meo|tegninger og figurer|sandplay|narrative samtaler) (i stedet for|frem for) (rene samtaler|samtaler på kontoret).",
        "Vi (prøver|afprøver) en ny tilgang, hvor (jeg modellerer|vi øver) (putningen|morgenen) sammen med {forælder} i hjemmet.",
    ),
    "mål": (
        "(Målet|Delmålet) for forløbet (justeres|ændres|omformuleres), så det (handler om|fokuserer på) (faste morgenrutiner|samværet med far|{barn}s skolegang).",
        "Vi har (sammen med familien|på netværksmødet) (revideret|justeret) målene i handleplanen.",
    ),
    "deltagere": (
        "Fremover (deltager|inddrages) (far|mormor|skolens AKT-lærer|{barn}s kontaktpædagog)( også|) i (møderne|samtalerne).",
        "Vi (aftaler|beslutter) at holde (separate|individuelle) samtaler med {barn} uden forældrene.",
    ),
    "problemforståelse": (
        "Vi (forstår nu|ser nu) {barn}s uro som et udtryk for (utryghed ved samværet|angst|mangel på søvn) og (lægger indsatsen om|ændrer fokus) derefter.",
        "På baggrund af (sparringen|teammødet) ændrer vi problemforståelsen og (arbejder nu|fokuserer nu) med (forældresamarbejdet|mors egen trivsel|fars vrede).",
    ),
}

NOT_ADJUSTMENT = (
    "Vi fortsætter (som hidtil|med samme frekvens) og ændrer ikke (på aftalerne|planen).",
    "Der er ikke behov for at ændre (frekvensen|målene) på nuværende tidspunkt.",
)

RELATIONAL = (
    "Jeg (trøster|forsøger at trøste) {barn}, (der|som) (bliver ked af det|græder), og {bhan} falder (til ro|hurtigt til ro).",
    "Jeg (søger|får) øjenkontakt med {barn} og (smiler|nikker anerkendende), og {bhan} (smiler tilbage|fortsætter med at fortælle).",
    "(Vi har|Jeg har) en god dialog med {forælder} om, hvordan {fhan} (oplever|tænker om) (aftenerne|samværet|skolestarten).",
    "Jeg (hjælper|støtter) {barn} med at sætte ord på (sin vrede|det svære|det, der skete i weekenden).",
    "Jeg (sætter mig ned og|giver mig tid til at) (leger|tegner) med {barn}, og der opstår god kontakt mellem os.",
    "Jeg mærker en (anspændt|trykket) stemning, da jeg kommer, og spørger ind til, hvordan {forælder} har det.",
    "Da {forælder} begynder at græde, (giver jeg plads til det|sidder jeg stille ved siden af {fham}), og vi taler bagefter om, hvad der gjorde det svært.",
)

RELATIONAL_DECOY = (
    "{forælder} har haft kontakt til (jobcentret|lægen|boligselskabet) om (huslejen|sygemeldingen|en ny lejlighed).",
    "{barn} har fået en allergisk reaktion på (nødder|penicillin) og har været hos lægen.",
    "Der er dialogmøde på {institution} (på torsdag|i næste uge), som {forælder} deltager i.",
    "{forælder} har holdt omsorgsdage (på arbejdet|) for at passe {barn}.",
    "Kontaktpersonen på {institution} (er ny|er gået på barsel|har skiftet telefonnummer).",
    "Stemningen i (klassen|børnehaven) er (god|urolig) ifølge (pædagogen|læreren).",
    "Der er ikke økonomisk overskud i familien til (fritidsaktiviteter|ferie|nyt tøj).",
    "Familien har brug for hjælp til ansøgningen om (boligstøtte|friplads).",
)

NEGATION_DECOY = (
    "{forælder} virker ikke afvisende (i dag|denne gang), men er træt.",
    "Der er ingen tegn på vrede hos {barn} (i dag|ved dette besøg).",
    "{forælder} har ikke aflyst nogen aftaler (siden sidst|i denne måned).",
)

OPENERS = (
    "Hjemmebesøg hos {forælder} og {barn}.",
    "Samtale på Familiecentret med {forælder}.",
    "Telefonsamtale med {forælder}.",
    "(Jeg henter|Vi henter) {barn} på {institution} og kører til Familiecentret.",
    "Besøg i hjemmet sammen med {kollega}.",
    "Møde med {forælder} og {barn} (i familierummet|på kontoret|over en kop kaffe).",
    "Samvær i Familiecentrets lokaler.",
)

#: Problem-category flavour: what the notes say about the problem the family came with.
CATEGORY_SENTENCES: dict[str, tuple[str, ...]] = {
    "Forældrestruktur": (
        "Der er (ingen faste sengetider|ikke handlet ind|ikke styr på madpakkerne), og {barn} kommer (ofte|flere gange) for sent i skole.",
        "{forælder} har svært ved at få hverdagen til at hænge sammen med (indkøb|vasketøj|aftaler hos lægen).",
    ),
    "Forældreregulering": (
        "{forælder} har svært ved at (aflæse|rumme) {barn}s signaler og reagerer (hårdt|med irritation), når {bhan} (græder|er urolig).",
        "{forælder} (skælder meget ud|kommer let i affekt) i samspillet med {barn}.",
    ),
    "Forældrekonflikt": (
        "Der har (igen |)været (voldsomme skænderier|højlydte konflikter) mellem (mor og far|de voksne), mens {barn} var til stede.",
        "{barn} fortæller, at (far|mors kæreste) (råber|har slået) derhjemme.",
    ),
    "Barnestruktur": (
        "{barn} har svært ved at (komme op om morgenen|holde styr på sine ting|følge dagens rutiner).",
    ),
    "Barneregulering": (
        "{barn} har svært ved at (vente på tur|lege med andre børn|tåle et nej) og (trækker sig|går i konflikt).",
        "{institution} oplyser, at {barn} (isolerer sig|har svært ved at indgå i fællesskabet).",
    ),
    "Barnekonflikt": (
        "{barn} har (slået en klassekammerat|sparket en pædagog|ødelagt ting) og er (sendt hjem|sat uden for fællesskabet).",
        "{barn} reagerer udadrettet med (slag|spark|skæld ud), når {bhan} bliver presset.",
    ),
}

#: General description of the visit and of agreements made, for any attention point.
OBSERVATIONS = (
    "Da jeg kommer, (sidder|ligger) {barn} (i sofaen|på gulvet|ved spisebordet) og (ser fjernsyn|spiller på iPad|tegner).",
    "Hjemmet fremstår (ryddeligt|rodet|nyrengjort|med meget vasketøj på gulvet).",
    "{barn} (kommer hen og viser mig|vil gerne vise mig) (sit værelse|en tegning|sin nye cykel).",
    "Vi (taler om|gennemgår) (ugen, der er gået|de aftaler, vi lavede sidst|hvordan morgenerne har været).",
    "{forælder} (fortæller|beretter), at (ugen har været hård|det er gået bedre|{barn} har sovet dårligt).",
    "{barn} (spiser|får) (aftensmad|et mellemmåltid), mens vi taler.",
    # Ordinary words that are also first names or surnames (Sol, Storm, Skov, Bo, Liv ...).
    "Solen skinner, så vi går en tur i skoven (med hunden|sammen med {barn}).",
    "Det har været storm i nat, og {barn} har (sovet uroligt|ikke kunnet sove).",
    "{forælder} fortæller om sit liv som ung og om at bo (alene|hos sin moster) som 17-årig.",
    "Vi taler om, hvor familien skal bo, hvis lejligheden bliver solgt.",
)
CLOSINGS = (
    "Næste (besøg|møde|samtale) er aftalt til (tirsdag|onsdag|torsdag|fredag) (kl. 9|kl. 10.30|kl. 14|efter skole).",
    "Vi aftaler, at {forælder} (prøver|øver) (ugeplanen|putteritualet|pauseskemaet) (til næste gang|i den kommende uge).",
    "Jeg sender {forælder} (et skema|en sms) med (aftalerne|dagens punkter).",
    "(Jeg|Vi) følger op på aftalen ved næste besøg.",
)

#: Sentences with personal data (names, CPR, address, phone, e-mail) as real notes have them.
PERSONAL_DATA = (
    "{forælder} har fået nyt telefonnummer: {telefon}.",
    "Familien er flyttet til {adresse}.",
    "{forælder} beder om, at vi skriver til {email} i stedet for at ringe.",
    "{rolle_ord} – {fulde_navn}, cpr.nr. {cpr} – deltog også i (mødet|samtalen).",
    "Jeg har talt med {sagsbehandler} fra Myndighedscentret om (bevillingen|næste opfølgning).",
    "{barn} {efternavn} (er meldt ind|starter) på {institution} (efter ferien|fra 1. august).",
    "(Mormor|Farmor) ringede fra (sit|sit nye) nummer {telefon_2} og spurgte efter {forælder}.",
)

#: Neutral observations per attention point (both schemes).
POINT_SENTENCES: dict[str, tuple[str, ...]] = {
    "Evnen til at se barnets behov": (
        "{forælder} (opdager selv|bemærker ikke), at {barn} er (træt|sulten|ked af det), og (reagerer roligt|fortsætter samtalen med mig).",
        "Vi taler om, hvad {barn} har brug for, når {bhan} (kommer hjem fra {stedet}|vågner om natten|skal i seng).",
        "{forælder} (ser|har svært ved at se) {barn}s behov for (søvn|ro|struktur|nærvær).",
        "{forælder} (husker|glemmer) at give {barn} (morgenmad|medicin|madpakke) med.",
    ),
    "Familieforhold": (
        "{forælder} fortæller, at (stemningen derhjemme|samarbejdet med {barn}s (far|mor)) (er blevet bedre|stadig er anstrengt).",
        "(Mormor|Farfar|Mosteren) (bor hos familien i en periode|kommer ofte på besøg) og (hjælper med aftensmaden|blander sig i opdragelsen).",
        "(Mor og far|Forældrene) (er gået fra hinanden|bor sammen igen|har fået en ny ordning med samvær).",
        "{barn} har (en storebror|en lillesøster|halvsøskende), som (bor hos far|også kommer i hjemmet).",
    ),
    "Sundhedsforhold": (
        "{barn} har (haft ørebetændelse|været forkølet|fået ny medicin) og har været hjemme fra {stedet} (et par dage|hele ugen).",
        "{barn} har været (til tandlæge|hos lægen|hos sundhedsplejersken), og der er (ingen bemærkninger|en henvisning til børnepsykiatrien).",
        "{forælder} fortæller, at {fhan} (sover dårligt|har ondt i ryggen|er i medicinsk behandling).",
    ),
    "Uddannelse og beskæftigelse": (
        "{forælder} har (fået et fleksjob|mistet sit arbejde|startet på et kursus) og (er glad for det|er bekymret for økonomien).",
        "{forælder} er (i praktik|sygemeldt|i job som lagerarbejder|under uddannelse som SOSU-hjælper|på kontanthjælp).",
    ),
    "Fritidsforhold og venskaber": (
        "{barn} har (været til fødselsdag hos en klassekammerat|haft en ven med hjem|ikke lyst til at gå til sin fritidsaktivitet) (i weekenden|denne uge).",
        "{barn} går til (fodbold|håndbold|svømning|spejder) (om tirsdagen|to gange om ugen) og har (fået en ny ven|mange venner|svært ved at finde en ven).",
    ),
    "Netværk": (
        "Vi (taler om|laver et netværkskort over), hvem familien kan (ringe til|bede om hjælp), når det brænder på.",
        "(Mormor|Farmor|En veninde) hjælper med at hente {barn} (om onsdagen|fra {institution}).",
        "Familien har et (lille|spinkelt|stort) netværk, (men|og) {forælder} beder sjældent om hjælp.",
    ),
    "Udvikling og adfærd": (
        "{barn} (græder|bliver urolig), når {bhan} skal (afleveres|i seng), men falder (hurtigere|lettere) til ro end tidligere.",
        "{barn} (er urolig|har svært ved at sidde stille|trækker sig) i {stedet}, men er (glad|rolig) derhjemme.",
        "{barn} er (begyndt at tale mere|blevet bedre til at sove|mere rolig om aftenen).",
    ),
    "Barnets personlighed": (
        "{barn} er (nysgerrig|forsigtig|meget snakkesalig) og (spørger ind til alt|holder sig tæt til {forælder}).",
        "{barn} er en (glad|stille|livlig|genert) {køn}, der (elsker at tegne|gerne vil bestemme).",
    ),
    "Forældrenes personlighed": (
        "{forælder} (har let til latter|er ordknap|virker usikker på sig selv) og (holder meget af {barn}|taler meget om sin egen opvækst).",
        "{forælder} fremstår (træt|velsoigneret|rolig|presset) og (taler hurtigt|virker ked af det).",
    ),
    "Samværsrelationer": (
        "Samværet med (far|mor) er (aflyst|flyttet) (denne weekend|til næste uge), og {barn} er (skuffet|lettet).",
        "{barn} har været på samvær hos (far|mor) (i weekenden|fra fredag til søndag), og overleveringen (gik fint|var konfliktfyldt).",
    ),
    "Skole og daginstitution": (
        "Jeg har talt med {barn}s (klasselærer|pædagog) på {institution}, som fortæller om (bedre trivsel|mange konflikter|at {barn} ofte er træt).",
        "{institution} (melder om|beskriver) (god trivsel|fravær|konflikter i frikvartererne).",
    ),
    "Generelle forhold": (
        "Aftalerne for (næste måned|efterårsferien) er (gennemgået|skrevet ind i kalenderen) sammen med {forælder}.",
        "Kort opfølgning med {forælder} om (næste møde|ferieplanen|netværksmødet).",
    ),
    "Personbeskrivelse af forældrene": (
        "{forælder} (har let til latter|er ordknap|virker usikker på sig selv) og (holder meget af {barn}|taler meget om sin egen opvækst).",
        "{forælder} fremstår (træt|velsoigneret|rolig|presset) og (taler hurtigt|virker ked af det|er meget snakkesalig).",
    ),
    "Samvær": (
        "Samværet med (far|mor) er (aflyst|flyttet) (denne weekend|til næste uge), og {barn} er (skuffet|lettet).",
        "Under samværet (leger|spiser) {barn} og (far|mor) sammen, og (det går fint|der opstår en konflikt om skærmtid).",
        "{barn} har været på samvær hos (far|mor) (i weekenden|fra fredag til søndag), og overleveringen (gik fint|var konfliktfyldt).",
    ),
    "Generelle notater": (
        "Aftalerne for (næste måned|efterårsferien) er (gennemgået|skrevet ind i kalenderen) sammen med {forælder}.",
        "Kort opfølgning med {forælder} om (næste møde|ferieplanen|netværksmødet).",
    ),
    "Beskrivelse af barnet": (
        "{barn} er (nysgerrig|forsigtig|meget snakkesalig) og (spørger ind til alt|holder sig tæt til {forælder}).",
        "{barn} er en (glad|stille|livlig|genert) {køn}, der (elsker at tegne|gerne vil bestemme|holder meget af sin hund).",
    ),
    "Samlivsrelationer": (
        "Mor og far (taler nu pænt sammen|skændes stadig) om (samværet|økonomien), når de mødes.",
        "{forælder} har (fået en ny kæreste|brudt med sin kæreste|en kæreste, som bor halvdelen af tiden i hjemmet).",
    ),
    "Temaer, historier og figurer": (
        "{barn} tegner (sin familie|et hus|en drøm) og fortæller, at (alle er glade|far bor langt væk|der er et monster under sengen).",
        "Vi arbejder med figurer i sandkassen; {barn} vælger (en drage|en ridder|en lille mus) og fortæller om (en familie, der flytter|et dyr, der er alene|en storm).",
    ),
    "Udvikling, adfærd og tolkning": (
        "{barn} (bliver stille|larmer meget), når (far|mor) nævnes, og jeg tolker det som (savn|vrede|usikkerhed).",
        "{barn} (er urolig|trækker sig) i {stedet}, og jeg tolker det som (utryghed|træthed) efter (samværet|weekenden).",
    ),
}


def _compile_dict(groups: dict[str, tuple[str, ...]]) -> dict[str, tuple]:
    return {key: compile_all(texts) for key, texts in groups.items()}


C_NEGATIVE = _compile_dict(NEGATIVE)
C_POSITIVE = _compile_dict(POSITIVE)
C_DOUBT = compile_all(DOUBT)
C_PARENT_DOUBT = compile_all(PARENT_DOUBT)
C_NOT_DOUBT = compile_all(NOT_DOUBT)
C_ADJUSTMENT = _compile_dict(ADJUSTMENT)
C_NOT_ADJUSTMENT = compile_all(NOT_ADJUSTMENT)
C_RELATIONAL = compile_all(RELATIONAL)
C_RELATIONAL_DECOY = compile_all(RELATIONAL_DECOY)
C_NEGATION_DECOY = compile_all(NEGATION_DECOY)
C_OPENERS = compile_all(OPENERS)
C_OBSERVATIONS = compile_all(OBSERVATIONS)
C_CLOSINGS = compile_all(CLOSINGS)
C_PERSONAL_DATA = compile_all(PERSONAL_DATA)
C_CATEGORY = _compile_dict(CATEGORY_SENTENCES)
C_POINTS = _compile_dict(POINT_SENTENCES)
