"""Hand-written Danish wordings the rule-based suggestions must handle.

Written for these tests (not taken from the synthetic generator's templates): effect
assessments without the word "mål", mixed results, negated and indirect severity, and
grants that mention a secondary problem after the main one.
"""

from __future__ import annotations

import pytest

from effektspor.classification.outcome import suggest_outcome
from effektspor.classification.problems import suggest_problem_category, suggest_severity

OUTCOMES: list[tuple[str, str]] = [
    # Reached, with and without the word "mål".
    ("Effektvurdering: Vi vurderer, at forløbet er lykkedes, og familien klarer sig nu "
     "uden støtte.", "I mål"),
    ("Effektvurdering: Samtlige delmål er opfyldt ved afslutningen.", "I mål"),
    ("Effektvurdering: Forældrene har fået de redskaber, de manglede, og der er ikke "
     "længere behov for støtte.", "I mål"),
    ("Samlet vurdering: Indsatsen har virket efter hensigten.", "I mål"),
    ("Effektvurdering: Det lykkedes at skabe ro i hjemmet, og alle aftalte mål blev "
     "realiseret.", "I mål"),
    ("Effektvurdering: Målsætningerne fra handleplanen er fuldt ud opfyldt.", "I mål"),
    ("Effektvurdering: Drengen kommer nu i skole hver dag, og alt det, vi aftalte, er "
     "gennemført.", "I mål"),
    ("Effektvurdering: Vi har nået det, vi ville med forløbet.", "I mål"),
    # Not reached.
    ("Effektvurdering: Indsatsen har ikke virket efter hensigten.", "Ikke i mål"),
    ("Effektvurdering: Det er ikke lykkedes at skabe de ønskede forandringer i hjemmet.",
     "Ikke i mål"),
    ("Effektvurdering: Intet af det, vi aftalte, er blevet gennemført.", "Ikke i mål"),
    ("Effektvurdering: Situationen er uændret i forhold til henvisningen.", "Ikke i mål"),
    ("Effektvurdering: Ingen af delmålene blev opfyldt.", "Ikke i mål"),
    ("Effektvurdering: Hverken målet om skolegang eller målet om sengetider er opfyldt.",
     "Ikke i mål"),
    ("Samlet vurdering: Familien har ikke rykket sig, og forholdene i hjemmet er snarere "
     "forværret.", "Ikke i mål"),
    ("Effektvurdering: Forløbet blev afbrudt, uden at målene var nået.", "Ikke i mål"),
    ("Effektvurdering: Vi må konstatere, at vi ikke nåede det, vi satte os for.",
     "Ikke i mål"),
    # On the way: partial words, mixed results with "men", counts.
    ("Effektvurdering: Målet om faste sengetider er indfriet, men målet om et roligere "
     "samvær er ikke indfriet.", "På vej"),
    ("Effektvurdering: Mor har fået styr på morgenerne, men samværet med far fungerer "
     "stadig ikke.", "På vej"),
    ("Effektvurdering: To af tre mål er nået.", "På vej"),
    ("Effektvurdering: Det første mål er opnået; det andet er ikke.", "På vej"),
    ("Effektvurdering: Vi er kommet et godt stykke, men der er stadig et stykke vej "
     "igen.", "På vej"),
    ("Effektvurdering: Indsatsen har delvist virket.", "På vej"),
    ("Effektvurdering: Der er sket en del forbedringer, men familien har fortsat brug for "
     "støtte.", "På vej"),
    ("Effektvurdering: Pigen er nået langt, men målet om fremmøde er endnu ikke opfyldt.",
     "På vej"),
    ("Effektvurdering: Nogle af målene blev nået, andre ikke.", "På vej"),
    ("Effektvurdering: Målene er kun delvis opfyldt.", "På vej"),
    ("Effektvurdering: Vi er ikke helt i mål, men tæt på.", "På vej"),
    ("Effektvurdering: Selvom målet om skolegang ikke er nået, er målet om faste rutiner "
     "opfyldt.", "På vej"),
    ("Effektvurdering: Forløbet har været en succes på nogle områder, men ikke på alle.",
     "På vej"),
    ("Effektvurdering: Udviklingen går i den rigtige retning, uden at målene endnu er "
     "nået.", "På vej"),
    ("Effektvurdering: Målet om ro i hjemmet er nået. Målet om samvær er ikke nået.",
     "På vej"),
    # Second batch, written after the rules above were tuned and first run untouched
    # (9 of 12 right; the rules were then generalised, see bench/results/classification.md).
    ("Effektvurdering: Familien har profiteret af forløbet, og alle aftalte mål er nået.", "I mål"),
    ("Effektvurdering: Indsatsen er lykkedes fuldt ud.", "I mål"),
    ("Effektvurdering: Forældrene håndterer nu selv morgenrutinerne, og der er ikke "
     "længere brug for hjælp.", "I mål"),
    ("Effektvurdering: Målet om et stabilt fremmøde er desværre ikke indfriet.", "Ikke i mål"),
    ("Effektvurdering: Det har ikke været muligt at nå de opstillede mål.", "Ikke i mål"),
    ("Effektvurdering: Ingen af de aftalte forandringer er gennemført.", "Ikke i mål"),
    ("Effektvurdering: Tilstanden i hjemmet er forværret under forløbet.", "Ikke i mål"),
    ("Effektvurdering: Målet om bedre søvn er opfyldt, hvorimod målet om skolegang "
     "ikke er.", "På vej"),
    ("Effektvurdering: Et af de to mål er nået.", "På vej"),
    ("Effektvurdering: Der er sket fremskridt, men målene er ikke nået fuldt ud.", "På vej"),
    ("Effektvurdering: Indsatsen har kun virket delvist.", "På vej"),
    ("Effektvurdering: Samarbejdet om sengetider lykkedes, men det lykkedes ikke at få"
     " drengen i skole.", "På vej"),
]


@pytest.mark.parametrize(("text", "expected"), OUTCOMES)
def test_outcome_of_hand_written_assessments(text, expected):
    found = suggest_outcome(text)
    assert found is not None, text
    assert found[0] == expected, (text, found)


@pytest.mark.parametrize("text", [
    "Effektvurdering: Ikke udfyldt.",
    "Forløbet er afsluttet, da familien er flyttet. Der er ikke lavet en vurdering.",
])
def test_no_outcome_without_an_assessment(text):
    assert suggest_outcome(text) is None


# (text, category, severity); None where the text does not say.
PROBLEMS: list[tuple[str, str | None, str | None]] = [
    # Negated severity: "ikke ... fare" is not Svær.
    ("Begrundelse: Mor magter ikke at skabe faste rammer om måltider og sengetid. Der er "
     "ikke tale om en akut faresituation, men familien er i krise efter skilsmissen.",
     "Forældrestruktur", "Mellem"),
    ("Begrundelse: Forældrene har svært ved at aflæse drengens signaler. Barnet er ikke i "
     "fare, men familien har brug for vejledning for at holde hverdagen kørende.",
     "Forældreregulering", "Let"),
    ("Begrundelse: Pigen slår og sparker i børnehaven. Vi vurderer ikke, at der er fare "
     "for hendes sikkerhed; familien er dog i en krise efter fars død.",
     "Barnekonflikt", "Mellem"),
    ("Begrundelse: Far råber ad børnene og truer med at gå. Der er intet, der tyder på, at "
     "børnene er i fare, men familien er meget presset.", "Forældrekonflikt", "Mellem"),
    ("Begrundelse: Sønnen isolerer sig og har ingen venner. Der er ingen fare for ham, og "
     "familien har brug for støtte til en almindelig hverdag.",
     "Barneregulering", "Let"),
    ("Begrundelse: Mor har svært ved at få hverdagen til at hænge sammen. Der er ikke "
     "vold i hjemmet, og familien har brug for råd og vejledning.",
     "Forældrestruktur", "Let"),
    ("Problemstilling: Drengen kan ikke overskue skoledagen og mister overblikket. "
     "Situationen er ikke akut, men familien er belastet.", "Barnestruktur", "Mellem"),
    ("Begrundelse: Forældrene skændes voldsomt og højlydt. Der er ikke mistanke om "
     "overgreb, men familien befinder sig i en krise.", "Forældrekonflikt", "Mellem"),
    # Indirect severity (danger/crisis/light without the criteria's words).
    ("Begrundelse: Mor har været voldelig over for barnet, og barnet er midlertidigt "
     "anbragt hos mormor.", "Forældrekonflikt", "Svær"),
    ("Begrundelse: Politiet har flere gange været i hjemmet på grund af vold mellem "
     "forældrene, og barnets sikkerhed kan ikke sikres.", "Forældrekonflikt", "Svær"),
    ("Begrundelse: Far har et misbrug og har svært ved at sørge for faste rammer for "
     "pigen.", "Forældrestruktur", "Svær"),
    ("Begrundelse: Drengen har talt om selvmord og skader sig selv; han trækker sig fra "
     "kammeraterne.", "Barneregulering", "Svær"),
    ("Begrundelse: Familien er i opbrud efter mors indlæggelse, og pigen mangler "
     "rutiner i hverdagen.", "Barnestruktur", "Mellem"),
    ("Begrundelse: Forældrene er gået fra hinanden, og familien er presset; mor har "
     "svært ved at skabe struktur for børnene.", "Forældrestruktur", "Mellem"),
    ("Begrundelse: Mor ønsker sparring om sønnens sengetider. Familien klarer sig i "
     "øvrigt godt.", "Forældrestruktur", "Let"),
    ("Begrundelse: Pigen har svært ved at falde til ro og reagerer voldsomt følelsesmæssigt. "
     "Der er tale om en forebyggende indsats.", "Barneregulering", "Let"),
    # Secondary categories after the main one: the primary wins.
    ("Begrundelse: Mor har svært ved at skabe struktur og faste rutiner om morgenen. "
     "Derudover er der af og til konflikter mellem barnet og klassekammeraterne. Familien "
     "er i krise.", "Forældrestruktur", "Mellem"),
    ("Begrundelse: Drengen slår andre børn og ødelægger legetøj i institutionen. Desuden "
     "har forældrene svært ved rutiner og sengetider. Han er i fare for at blive "
     "ekskluderet.", "Barnekonflikt", None),
    ("Begrundelse: Der er vold mellem forældrene, og barnet overværer skænderierne. "
     "Endvidere har pigen svært ved at få venner. Familiesituationen vurderes farlig.",
     "Forældrekonflikt", "Svær"),
    ("Begrundelse: Far har svært ved at aflæse og rumme sønnens følelser og reagerer med "
     "irritation. Sekundært er der udfordringer med hjemmets økonomi og oprydning.",
     "Forældreregulering", None),
    ("Begrundelse: Pigen har store vanskeligheder med struktur og kan ikke følge en "
     "dagsplan. I mindre grad ses også konflikter med søskende.", "Barnestruktur", None),
    ("Begrundelse: Forældrene har svært ved at sætte grænser og være nærværende i samspillet "
     "med barnet. Der er også en del fravær i skolen. Familien er i krise.",
     "Forældreregulering", "Mellem"),
    ("Begrundelse: Barnet er ængsteligt, isolerer sig og har svært ved at regulere sine "
     "følelser. Herudover har mor svært ved at holde styr på økonomien.",
     "Barneregulering", None),
    ("Begrundelse: Den unge er kriminel og truer lærerne. Derudover er der manglende "
     "struktur i hjemmet. Der er fare for, at han bliver anbragt.", "Barnekonflikt", "Svær"),
    # Negated category words are skipped.
    ("Begrundelse: Der er ingen vold i hjemmet, men mor har svært ved at skabe faste "
     "rutiner for barnet.", "Forældrestruktur", None),
    ("Begrundelse: Drengen er ikke udadreagerende, men han trækker sig og har svært ved "
     "kontakten med de andre børn.", "Barneregulering", None),
    ("Begrundelse: Forældrene har ingen problemer med struktur; de har derimod svært ved "
     "at aflæse barnets følelser.", "Forældreregulering", None),
    ("Begrundelse: Pigen har ingen konflikter med de voksne, men mangler rutiner og "
     "overblik i hverdagen.", "Barnestruktur", None),
    # Explicit statements win.
    ("Problemstilling: Forældrekonflikt. Problemgrad: Mellem. Familien er samtidig i fare "
     "for at miste boligen.", "Forældrekonflikt", "Mellem"),
    ("Problemstilling: Barneregulering\nProblemgrad: Let", "Barneregulering", "Let"),
    # Severity only.
    ("Begrundelse: Familien er i en akut krise efter brand i hjemmet.", None, "Mellem"),
    ("Begrundelse: Barnet er udsat for omsorgssvigt og vurderes i fare.", None, "Svær"),
    ("Begrundelse: Familien skal støttes i at opretholde en almindelig hverdag efter "
     "flytningen.", None, "Let"),
    # Second batch, first run untouched: category 9 of 10, severity 7 of 7.
    ("Begrundelse: Mor kan ikke skabe faste rammer for sengetid og måltider. Der er "
     "ikke tale om fare, men om en familie i krise.", "Forældrestruktur", "Mellem"),
    ("Begrundelse: Pigen bliver let vred og slår sin lillebror. Hun vurderes ikke at "
     "være i fare.", "Barnekonflikt", None),
    ("Begrundelse: Far har svært ved at rumme sønnens følelser. Desuden har drengen "
     "konflikter i skolen. Familien har brug for vejledning til at holde hverdagen "
     "kørende.", "Forældreregulering", "Let"),
    ("Begrundelse: Der er ingen tegn på vold, men forældrene har svært ved at "
     "strukturere hverdagen.", "Forældrestruktur", None),
    ("Begrundelse: Drengen trækker sig fra kammeraterne og virker ængstelig. Familien "
     "er presset efter fars sygdom.", "Barneregulering", "Mellem"),
    ("Begrundelse: Mor er udsat for vold fra sin samlever, og barnet er vidne til "
     "overgrebene. Barnet er i fare.", "Forældrekonflikt", "Svær"),
    ("Begrundelse: Pigen møder ikke i skole og har et stort fravær; hun kan ikke komme"
     " op om morgenen.", "Barnestruktur", None),
    ("Begrundelse: Forældrene skændes dagligt og truer hinanden. Det vurderes ikke, at"
     " barnet er i fare, men situationen er belastende.", "Forældrekonflikt", "Mellem"),
    ("Begrundelse: Familien har brug for sparring til at opretholde en almindelig "
     "hverdag; mor har svært ved at aflæse barnets behov.", "Forældreregulering", "Let"),
    ("Begrundelse: Den unge har begået kriminalitet og er voldelig over for sin mor. "
     "Derudover mangler der struktur i hjemmet.", "Barnekonflikt", "Svær"),
]


@pytest.mark.parametrize(("text", "category", "severity"),
                         [p for p in PROBLEMS if p[1] is not None])
def test_category_of_hand_written_descriptions(text, category, severity):
    found = suggest_problem_category(text)
    assert found is not None, text
    assert found[0] == category, (text, found)


@pytest.mark.parametrize(("text", "category", "severity"),
                         [p for p in PROBLEMS if p[2] is not None])
def test_severity_of_hand_written_descriptions(text, category, severity):
    found = suggest_severity(text)
    assert found is not None, text
    assert found[0] == severity, (text, found)


def test_enough_hand_written_cases():
    assert len(OUTCOMES) >= 30
    assert len(PROBLEMS) >= 30
    assert {v for _, v in OUTCOMES} == {"I mål", "På vej", "Ikke i mål"}
