"""Each rule feature of the auto-coder: word forms, negation, distance, order,
perspective, required context, exceptions and attention-point restriction."""

from __future__ import annotations

from effektspor.coding.autocoder import RuleAutocoder
from effektspor.coding.codebook import load_codebook, parse_codebook

BOOK = """\
navn: Regeltest
version: "1"
ordlister:
  professionel: [jeg, vi]
  borger: [mor, far, "@navn"]
  anden: [skole*]
koder:
  - id: raad
    navn: Råd
    regler:
      - id: tager_imod
        mønstre: ["tage*|=tog imod råd"]
        afstand: 1
      - id: tager_ikke_imod
        mønstre: ["tage*|=tog imod råd"]
        afstand: 1
        negation: påkrævet
  - id: tvivl
    navn: Tvivl
    regler:
      - id: prof_tvivl
        mønstre: ["i tvivl"]
        perspektiv: [professionel]
  - id: samvaer
    navn: Samvær
    regler:
      - id: aflyst_samvaer
        mønstre: ["aflys*"]
        opmærksomhedspunkter: [Samvær]
  - id: kontakt
    navn: Kontakt
    regler:
      - id: kontakt_borger
        mønstre: ["kontakt"]
        kræver: ["mor|far"]
        undtagelser: ["kontakt til skole*"]
  - id: fri
    navn: Fri rækkefølge
    regler:
      - id: fri_orden
        mønstre: ["ændre* plan*"]
        rækkefølge: fri
        afstand: 3
"""


def rules(text: str, **kwargs) -> set[str]:
    coder = RuleAutocoder(parse_codebook(BOOK))
    return {segment.rule for segment in coder.code_text(text, **kwargs)}


def test_word_forms_match_through_the_stem():
    assert rules("Mor tager imod rådene.") == {"tager_imod"}
    assert rules("Mor tog imod rådet.") == {"tager_imod"}
    assert rules("Mor tager imod rådgiveren.") == set()  # not a form of 'råd'


def test_negation_scope_main_and_subordinate_clause():
    assert rules("Mor tager ikke imod råd.") == {"tager_ikke_imod"}
    assert rules("Jeg oplever, at mor ikke tager imod råd.") == {"tager_ikke_imod"}
    assert rules("Mor tager aldrig imod råd.") == {"tager_ikke_imod"}
    # a negation in another clause does not count
    assert rules("Mor kom ikke i går, men i dag tager hun imod råd.") == {"tager_imod"}
    # "ikke kun" is not a negation
    assert rules("Ikke kun mor tager imod råd, far gør også.") == {"tager_imod"}


def test_distance_between_words():
    assert rules("Mor tager gerne imod råd.") == {"tager_imod"}          # one word between
    assert rules("Mor tager i dag gerne imod råd.") == set()            # three: too far


def test_free_order_within_distance():
    assert rules("Vi vil ændre planen.") == {"fri_orden"}
    assert rules("Planen vil vi ændre.") == {"fri_orden"}
    assert rules("Planen er god, og vi skal om en uge nok ændre noget.") == set()


def test_perspective_professional_versus_parent():
    assert rules("Jeg er i tvivl om min tilgang.") == {"prof_tvivl"}
    assert rules("Mor er i tvivl om, hun vil flytte.") == set()
    assert rules("Mor siger, at jeg virker i tvivl.") == {"prof_tvivl"}
    # a word-like name is a person (citizen), not a professional
    assert rules("Storm er i tvivl om sin nye skole.") == set()


def test_attention_point_restriction():
    assert rules("Mor aflyser.", attention_point="Samvær") == {"aflyst_samvaer"}
    assert rules("Mor aflyser.", attention_point="samvær") == {"aflyst_samvaer"}
    assert rules("Mor aflyser.", attention_point="Familieforhold") == set()
    assert rules("Mor aflyser.") == set()


def test_required_context_and_exceptions():
    assert rules("God kontakt med far i dag.") == {"kontakt_borger"}
    assert rules("God kontakt i dag.") == set()                           # no parent named
    assert rules("Far ønsker kontakt til skolen.") == set()               # exception


def test_offsets_are_code_points_and_parents_are_added():
    coder = RuleAutocoder(load_codebook())
    text = "Ærligt talt: Mor tager ikke imod råd om søvn."
    segments = coder.code_text(text)
    (segment,) = [s for s in segments if s.code == "tager_ikke_imod_raad"]
    assert text[segment.start:segment.end] == "tager ikke imod råd"
    assert coder.codes_present(segments) == ["negativ_alliance", "tager_ikke_imod_raad"]


def test_builtin_codebook_on_hard_cases():
    coder = RuleAutocoder(load_codebook())

    def top(text: str) -> set[str]:
        present = coder.codes_present(coder.code_text(text))
        return {c for c in present if c in coder.codebook.top_level_ids}

    assert top("Mor tager imod råd og vejledning.") == {"positiv_alliance"}
    assert top("Mor tager ikke imod råd og vejledning.") == {"negativ_alliance"}
    assert top("Jeg er usikker på, om min tilgang er rigtig. Tager det til sparring.") == {
        "professionel_tvivl"}
    assert top("Mor er usikker på, om hun vil flytte.") == set()
    assert top("Jeg trøster Emma, da hun græder.") == {"relationsarbejde"}
    assert top("Kontakt til skolen vedrørende fravær.") == set()
    assert top("Ella får en allergisk reaktion på nødder.") == set()
    assert top("Samtalerne øges fremover til to gange om ugen.") == {"indsatsjustering"}
    assert top("Der er ikke behov for at ændre indsatsen.") == set()
    assert top("Jeg måtte aflyse besøget pga. sygdom.") == set()
