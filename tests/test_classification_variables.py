"""Declared variables: the standard three, value validation and variable files."""

from __future__ import annotations

import pytest

from effektspor.domain.errors import ValidationError
from effektspor.domain.variables import (
    OUTCOME,
    PROBLEM_CATEGORY,
    SEVERITY,
    STANDARD_VARIABLES,
    Variable,
    VariableKind,
    variables_from_mapping,
)


def test_standard_variables_have_criteria_for_every_value():
    assert [v.name for v in STANDARD_VARIABLES] == ["maalopnaaelse", "problemstilling",
                                                    "problemgrad"]
    assert OUTCOME.values == ("I mål", "På vej", "Ikke i mål")
    assert SEVERITY.values == ("Svær", "Mellem", "Let")
    assert len(PROBLEM_CATEGORY.values) == 6
    for variable in STANDARD_VARIABLES:
        assert set(variable.criteria) == set(variable.values)
    assert "fare" in SEVERITY.criteria["Svær"] and "krise" in SEVERITY.criteria["Mellem"]


def test_categorical_values_are_matched_without_case():
    assert OUTCOME.validate("  ikke i MÅL ") == "Ikke i mål"
    assert PROBLEM_CATEGORY.validate("barnekonflikt") == "Barnekonflikt"
    with pytest.raises(ValueError, match="ikke en tilladt værdi for 'Problemgrad'"):
        SEVERITY.validate("Meget svær")
    with pytest.raises(ValueError, match="mangler"):
        OUTCOME.validate("")


def test_other_kinds_are_normalised():
    number = Variable("antal", "Antal bevillinger", VariableKind.NUMERIC)
    assert number.validate("3") == "3" and number.validate("2,5") == "2.5"
    with pytest.raises(ValueError, match="ikke et tal"):
        number.validate("tre")
    flag = Variable("netvaerksmoede", "Netværksmøde", VariableKind.BOOLEAN)
    assert flag.validate("Ja") == "ja" and flag.validate("0") == "nej"
    with pytest.raises(ValueError):
        flag.validate("måske")
    when = Variable("start", "Start", VariableKind.DATE)
    assert when.validate("07-03-2019") == "2019-03-07"


def test_variables_from_mapping_reads_values_and_criteria():
    data = {"variabler": [
        {"navn": "bopael", "etiket": "Bopæl", "type": "nominal",
         "værdier": [{"værdi": "By", "kriterium": "Bor i byen"}, "Land"]},
        {"navn": "netvaerk", "etiket": "Familienetværk", "type": "ordinal",
         "værdier": ["Stærkt", "Svagt"]},
        {"navn": "moeder", "type": "tal"},
    ]}
    bopael, netvaerk, moeder = variables_from_mapping(data, source="variable.yaml")
    assert bopael.values == ("By", "Land") and bopael.criteria == {"By": "Bor i byen"}
    assert netvaerk.kind is VariableKind.ORDINAL
    assert moeder.kind is VariableKind.NUMERIC and moeder.label == "moeder"


def test_variables_from_mapping_lists_every_problem():
    data = {"variabler": [
        {"navn": "Bopæl", "type": "nominal", "værdier": ["By", "Land"]},
        {"navn": "x", "type": "farve"},
        {"navn": "y", "type": "nominal", "værdier": ["Kun én"]},
        {"navn": "z", "type": "tal", "værdier": ["1", "2"]},
    ]}
    with pytest.raises(ValidationError) as error:
        variables_from_mapping(data, source="variable.yaml")
    messages = [str(p) for p in error.value.problems]
    assert len(messages) == 4
    assert all(m.startswith("variable.yaml") for m in messages)
    assert any("'navn'" in m for m in messages) and any("ukendt 'type'" in m for m in messages)
    with pytest.raises(ValidationError):
        variables_from_mapping({"andet": []}, source="tom.yaml")
