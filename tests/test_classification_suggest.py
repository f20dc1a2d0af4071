"""Rule-based suggestions from discharge reports and grant texts (pure functions)."""

from __future__ import annotations

import pytest

from effektspor.classification.outcome import suggest_outcome
from effektspor.classification.problems import suggest_problem_category, suggest_severity


@pytest.mark.parametrize(("text", "expected"), [
    ("Effektvurdering: Familien er kommet i mål med alle problemstillinger.", "I mål"),
    ("Det vurderes, at målene i handleplanen er nået.", "I mål"),
    ("Mor har opnået de mål, der blev sat ved indskrivningen.", "I mål"),
    ("Der er fuld målopnåelse.", "I mål"),
    ("Familien har ikke nået målet om en fast struktur.", "Ikke i mål"),
    ("Målene er desværre ikke nået.", "Ikke i mål"),
    ("Det er vores vurdering, at familien ikke er kommet i mål.", "Ikke i mål"),
    ("Der er ingen målopnåelse i forløbet.", "Ikke i mål"),
    ("Der ses ingen fremgang hos drengen.", "Ikke i mål"),
    ("Familien er godt på vej.", "På vej"),
    ("Målet er delvist nået.", "På vej"),
    ("Forløbet er ikke helt i mål, men der er sket meget.", "På vej"),
    ("Målet blev ikke helt nået.", "På vej"),
    ("Nogle af målene er nået.", "På vej"),
    ("Målet om samvær er nået, men målet om skolegang er ikke nået.", "På vej"),
])
def test_outcome_from_varied_wording(text, expected):
    value, evidence, why = suggest_outcome(text)
    assert value == expected
    assert text[evidence.start:evidence.end] == evidence.quote
    assert why


def test_outcome_prefers_the_effect_assessment_section_and_quotes_it():
    text = ("Baggrund\nVed indskrivningen var målet at nå en tryg hverdag.\n\n"
            "Effektvurdering\nMålet er ikke nået; mor magter ikke strukturen.")
    value, evidence, _ = suggest_outcome(text)
    assert value == "Ikke i mål"
    assert evidence.quote.startswith("Målet er ikke nået")
    assert text[evidence.start:evidence.end] == evidence.quote


def test_outcome_without_statement_is_not_suggested():
    assert suggest_outcome("Forløbet afsluttes efter aftale. Familien flytter.") is None


@pytest.mark.parametrize(("text", "expected"), [
    ("Forældrene har svært ved at skabe struktur og faste rutiner i hverdagen.",
     "Forældrestruktur"),
    ("Mor har svært ved at sætte grænser for barnet og aflæse hans behov.",
     "Forældreregulering"),
    ("Der er vold i hjemmet, og forældrene skændes højlydt foran børnene.", "Forældrekonflikt"),
    ("Barnet har svært ved at stå op og komme i skole; der er stort fravær.", "Barnestruktur"),
    ("Pigen har svært ved at indgå i venskaber og er tilbagetrukket.", "Barneregulering"),
    ("Drengen er udadreagerende og slår andre børn i skolen.", "Barnekonflikt"),
    ("Bevilling § 32. Problemstilling: Barneregulering.", "Barneregulering"),
])
def test_problem_category_from_grant_text(text, expected):
    value, evidence, _ = suggest_problem_category(text)
    assert value == expected
    assert text[evidence.start:evidence.end] == evidence.quote


def test_negated_words_do_not_count_for_the_category():
    text = "Der er ingen vold i familien. Mor har svært ved at give barnet omsorg og nærvær."
    assert suggest_problem_category(text)[0] == "Forældreregulering"


@pytest.mark.parametrize(("text", "expected"), [
    ("Barnet er i fare på grund af vold i hjemmet.", "Svær"),
    ("Familien er i krise efter forældrenes skilsmisse.", "Mellem"),
    ("Familien har brug for støtte til at opretholde en almindelig hverdag.", "Let"),
    ("Der er ingen vold, men familien er i krise efter et dødsfald.", "Mellem"),
    ("Problemgrad: let. Der ses ingen akut bekymring.", "Let"),
])
def test_severity_follows_the_criteria(text, expected):
    value, evidence, _ = suggest_severity(text)
    assert value == expected
    assert text[evidence.start:evidence.end] == evidence.quote


def test_no_severity_without_evidence():
    assert suggest_severity("Bevilling af familiebehandling i seks måneder.") is None
    assert suggest_problem_category("Bevilling af familiebehandling i seks måneder.") is None


def test_category_reads_the_problem_description_not_the_goals():
    text = ("Handleplan\nBarn: Nova Jensen\nMor: Bodil Jensen\n\nProblemstilling:\n"
            "Politiet har været tilkaldt til en voldsepisode i hjemmet, og Nova har overværet "
            "konflikterne mellem forældrene.\n\nMål:\nMål 1: Nova har et stabilt fremmøde i "
            "skolen og faste rutiner.\n")
    value, evidence, _ = suggest_problem_category(text)
    assert value == "Forældrekonflikt"
    assert evidence.quote.startswith("Politiet har været tilkaldt")


def test_child_named_in_the_header_is_the_actor():
    text = ("Barn: Carl Nygaard\n\nBegrundelse:\nCarl er voldsomt udadreagerende og har slået "
            "og sparket voksne i institutionen.")
    assert suggest_problem_category(text)[0] == "Barnekonflikt"


def test_assessed_severity_outweighs_indicator_words():
    text = ("Nanna er udadreagerende og har slået andre børn. Problemerne vurderes at være af "
            "lettere karakter.")
    value, evidence, why = suggest_severity(text)
    assert value == "Let" and "lettere karakter" in why
    assert suggest_severity("Politiet har været tilkaldt til husspektakler.")[0] == "Mellem"
    assert suggest_severity("Der er ingen krise, men der er vold i hjemmet.")[0] == "Svær"


@pytest.mark.parametrize(("text", "expected"), [
    ("Effektvurdering: Forløbet har ikke ført til de ønskede forandringer.", "Ikke i mål"),
    ("Effektvurdering: Der ses en positiv udvikling, men familien har fortsat brug for støtte "
     "for at nå målene.", "På vej"),
    ("Effektvurdering: Situationen er uændret.", "Ikke i mål"),
    ("Effektvurdering: Der ses ingen bedring.", "Ikke i mål"),
    ("Effektvurdering: Målene er nået, og der ses en positiv udvikling i familien.", "I mål"),
])
def test_progress_words_count_only_without_statements_about_goals(text, expected):
    value, evidence, _ = suggest_outcome(text)
    assert value == expected
    assert text[evidence.start:evidence.end] == evidence.quote


def test_negated_noun_phrase_and_secondary_problems():
    text = ("Der er ikke tale om en akut faresituation, men familien er presset efter "
            "skilsmissen.")
    assert suggest_severity(text)[0] == "Mellem"
    text = ("Begrundelse:\nForældrene har svært ved at skabe struktur og faste rutiner i "
            "hverdagen. Derudover: Der er konflikter med råb og trusler mellem de voksne.")
    assert suggest_problem_category(text)[0] == "Forældrestruktur"
    value, evidence, _ = suggest_outcome("Effektvurdering: Målet om ro ved sengetid er ikke "
                                         "nået, men målet om skolegang er nået.")
    assert value == "På vej"
    assert suggest_outcome("Effektvurdering: Familien har opnået det, vi satte os for.")[0] \
        == "I mål"
