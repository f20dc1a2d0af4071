"""Classification services on SQLite and PostgreSQL: suggestions, values, imports, history."""

from __future__ import annotations

import pytest
import yaml
from openpyxl import Workbook

from classification_helpers import add_cases, call, classify, count_events, count_values
from effektspor.classification.derived import DerivedVariable
from effektspor.domain.errors import EffektsporError, ValidationError
from effektspor.services.classification import case_table
from effektspor.services.classification.suggestions import (
    confirm_suggestions,
    list_suggestions,
    suggest_classifications,
)
from effektspor.services.classification.values import import_values, value_history
from effektspor.services.classification.variables import define_variables, list_variables

DOCS = {
    "S1": [("udskrivningsrapport", "Effektvurdering\nFamilien er kommet i mål."),
           ("bevilling", "Forældrene mangler struktur og faste rutiner i hverdagen. "
                         "Familien er i krise.")],
    "S2": [("udskrivningsrapport", "Mor har ikke nået målet om at sætte grænser."),
           ("handleplan", "Drengen er udadreagerende og slår. Han er i fare for anbringelse.")],
    "S3": [("bevilling", "Bevilling af familiebehandling.")],
}


@pytest.fixture
def cases(project):
    add_cases(project, {"S1": "Sandplay", "S2": "Sandplay", "S3": "Familieværkstedet",
                        "S4": None}, DOCS)
    return project


def test_suggestions_carry_evidence_and_count_what_was_missing(cases):
    summary = call(cases, suggest_classifications, actor="analytiker")
    outcome = summary.per_variable["maalopnaaelse"]
    assert (outcome.created, outcome.no_document) == (2, 2)
    assert summary.per_variable["problemgrad"].no_evidence == 1  # S3: nothing to go on
    suggestions = {(s["sag"], s["variabel"]): s for s in call(cases, list_suggestions)}
    assert suggestions[("S1", "maalopnaaelse")]["værdi"] == "I mål"
    assert suggestions[("S2", "maalopnaaelse")]["værdi"] == "Ikke i mål"
    assert suggestions[("S2", "problemstilling")]["værdi"] == "Barnekonflikt"
    assert suggestions[("S2", "problemgrad")]["værdi"] == "Svær"
    s1 = suggestions[("S1", "problemgrad")]
    assert s1["værdi"] == "Mellem" and s1["citat"] == "Familien er i krise."
    assert DOCS["S1"][1][1][s1["start"]:s1["slut"]] == s1["citat"]
    # Suggestions do not count before a person confirms them.
    assert all(row["maalopnaaelse"] is None for row in case_table(cases))
    # Running again creates nothing new.
    assert call(cases, suggest_classifications, actor="analytiker").created == 0
    assert count_events(cases, "klassifikationer_foreslaaet") == 2


def test_confirm_and_reject_keep_history(cases):
    call(cases, suggest_classifications, actor="analytiker")
    assert call(cases, confirm_suggestions, actor="leder", case_ids=["S2"],
                variable="maalopnaaelse", reject=True) == 1
    assert call(cases, confirm_suggestions, actor="leder", case_ids=["S1"]) == 3
    table = {row["sag"]: row for row in case_table(cases)}
    assert table["S1"]["maalopnaaelse"] == "I mål"
    assert table["S2"]["maalopnaaelse"] is None
    history = call(cases, value_history, case_external_id="S2", variable="maalopnaaelse")
    assert [(h["status"], h["værdi"]) for h in history] == [("rejected", "Ikke i mål")]
    with pytest.raises(EffektsporError, match="Ingen åbne forslag"):
        call(cases, confirm_suggestions, actor="leder", case_ids=["S4"])
    # A new value supersedes the confirmed suggestion, which stays in the history.
    change = classify(cases, "S1", "Målopnåelse", "på vej", coder="Koder B")
    assert (change.old_value, change.value, change.changed) == ("I mål", "På vej", True)
    history = call(cases, value_history, case_external_id="S1", variable="maalopnaaelse")
    assert [(h["værdi"], h["koder"], h["erstattet"]) for h in history] == [
        ("I mål", "leder", True), ("På vej", "Koder B", False)]
    assert history[0]["citat"] == "Familien er kommet i mål."
    assert count_events(cases, "forslag_bekraeftet") == 1
    assert count_events(cases, "forslag_afvist") == 1
    assert count_events(cases, "klassifikation_sat") == 1


def test_set_value_validates(cases):
    with pytest.raises(EffektsporError, match="ikke en tilladt værdi"):
        classify(cases, "S1", "problemgrad", "Ekstrem", coder="K")
    with pytest.raises(EffektsporError, match="findes ikke"):
        classify(cases, "S99", "problemgrad", "Let", coder="K")
    with pytest.raises(EffektsporError, match="Ukendt variabel"):
        classify(cases, "S1", "farve", "rød", coder="K")
    unchanged = classify(cases, "S1", "problemgrad", "Let", coder="K")
    again = classify(cases, "S1", "problemgrad", "let", coder="K")
    assert unchanged.changed and not again.changed
    assert count_values(cases) == 1


def test_import_is_all_or_nothing(cases, tmp_path):
    good = tmp_path / "koder.csv"
    good.write_text("sag;maalopnaaelse;problemstilling;problemgrad\n"
                    "S1;I mål;Forældrestruktur;Let\nS2;Ikke i mål;;Svær\n", encoding="utf-8")
    summary = call(cases, import_values, actor="Leder A", path=good)
    assert (summary.rows, summary.changed) == (5, 5)
    bad = Workbook()
    for row in (["sag", "variabel", "værdi"], ["S1", "problemgrad", "Mellem"],
                ["S3", "problemgrad", "Rigtig svær"], ["S77", "problemgrad", "Let"]):
        bad.active.append(row)
    bad_path = tmp_path / "rettelser.xlsx"
    bad.save(bad_path)
    with pytest.raises(ValidationError) as error:
        call(cases, import_values, actor="Leder A", path=bad_path)
    assert [p.line for p in error.value.problems] == [3, 4]
    assert error.value.problems[1].file == "rettelser.xlsx"
    table = {row["sag"]: row for row in case_table(cases)}
    assert table["S1"]["problemgrad"] == "Let"  # line 2 was valid but nothing was stored
    assert count_values(cases) == 5
    assert count_events(cases, "klassifikationer_importeret") == 1


def test_own_variables_from_yaml_and_derived_values(cases, tmp_path):
    path = tmp_path / "variable.yaml"
    path.write_text(yaml.safe_dump({"variabler": [
        {"navn": "bopael", "etiket": "Bopæl", "type": "nominal", "værdier": ["By", "Land"]}]},
        allow_unicode=True), encoding="utf-8")
    call(cases, define_variables, actor="analytiker", path=path)
    assert [v.name for v in call(cases, list_variables)][-1] == "bopael"
    classify(cases, "S3", "bopael", "land", coder="K")
    builtin = tmp_path / "standard.yaml"
    builtin.write_text(yaml.safe_dump({"variabler": [
        {"navn": "problemgrad", "type": "nominal", "værdier": ["A", "B"]}]}), encoding="utf-8")
    with pytest.raises(ValidationError, match="problem"):
        call(cases, define_variables, actor="analytiker", path=builtin)
    narrower = tmp_path / "smal.yaml"
    narrower.write_text(yaml.safe_dump({"variabler": [
        {"navn": "bopael", "type": "nominal", "værdier": ["By", "Forstad"]}]}), encoding="utf-8")
    with pytest.raises(ValidationError):
        call(cases, define_variables, actor="analytiker", path=narrower)
    negative = DerivedVariable("negativ_alliance", "Negativ alliance",
                               frozenset({"alliancebrud", "udtrykker_vrede"}))
    table = case_table(cases, variables=["bopael"], derived=[negative],
                       code_presence={"S1": {"alliancebrud"}, "S2": {"tryg_atmosfaere"}})
    assert [(r["sag"], r["bopael"], r["negativ_alliance"]) for r in table] == [
        ("S1", None, "ja"), ("S2", None, "nej"), ("S3", "Land", "nej"), ("S4", None, "nej")]
