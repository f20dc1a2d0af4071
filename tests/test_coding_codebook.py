"""Codebook format: the built-in codebook and Danish validation errors with line and key."""

from __future__ import annotations

import pytest

from effektspor.coding.codebook import load_codebook, parse_codebook
from effektspor.domain.errors import ValidationError

NEGATIVE_SUBCODES = {
    "alliancebrud", "aflyser_aftale", "afvisende_attitude", "alliancemodstand",
    "foeler_sig_svigtet", "mistillidshandling", "foeler_sig_forvirret",
    "foeler_sig_frustreret", "ser_ikke_formaal", "raab_om_hjaelp", "tager_ikke_imod_raad",
    "mangler_overskud", "tager_ikke_imod_omsorg", "udtrykker_vrede"}

VALID = """\
navn: Test
version: "1"
koder:
  - id: tvivl
    navn: Tvivl
    regler:
      - id: r1
        mønstre: ["i tvivl"]
"""


def problems_of(text: str) -> list[str]:
    with pytest.raises(ValidationError) as error:
        parse_codebook(text, source="min_kodebog.yaml")
    return [str(problem) for problem in error.value.problems]


def test_builtin_codebook_has_the_randers_codes():
    book = load_codebook()
    assert book.top_level_ids == ("negativ_alliance", "positiv_alliance", "professionel_tvivl",
                                  "relationsarbejde", "indsatsjustering")
    children = {code.id for code in book.codes if code.parent == "negativ_alliance"}
    assert children == NEGATIVE_SUBCODES
    positive = {code.id for code in book.codes if code.parent == "positiv_alliance"}
    assert len(positive) == 4
    (derived,) = book.derived
    assert (derived.id, derived.first, derived.then) == (
        "reflekteret_indsatsjustering", "professionel_tvivl", "indsatsjustering")
    assert book.ancestors("udtrykker_vrede") == ["negativ_alliance"]


def test_valid_minimal_codebook_parses():
    book = parse_codebook(VALID)
    assert book.code("tvivl").rules[0].patterns == ("i tvivl",)
    assert book.rules()[0].negation == "udelukket"


def test_missing_name_and_unknown_key_name_line_and_field():
    text = VALID.replace("navn: Test\n", "").replace("    navn: Tvivl\n",
                                                      "    navn: Tvivl\n    defintion: x\n")
    found = problems_of(text)
    assert any("min_kodebog.yaml" in p and "felt 'navn'" in p and "mangler" in p for p in found)
    assert any("linje 5" in p and "'defintion'" in p and "Mente du 'definition'" in p
               for p in found)


def test_bad_rule_values_are_reported_in_danish():
    text = VALID + "        negation: måske\n        perspektiv: [naboen]\n        afstand: -1\n"
    found = " | ".join(problems_of(text))
    assert "felt 'negation'" in found and "udelukket, påkrævet, ligegyldig" in found
    assert "'naboen' er ikke et perspektiv" in found
    assert "felt 'afstand'" in found and "helt tal fra 0 til 20" in found


def test_bad_patterns_parents_and_ids():
    text = """\
navn: Test
version: "1"
koder:
  - id: Tvivl
    navn: Tvivl
  - id: barn
    navn: Barn
    forælder: findes_ikke
    regler:
      - id: r1
        mønstre: ["@ukendt_liste", "a*"]
  - id: barn
    navn: Dublet
"""
    found = " | ".join(problems_of(text))
    assert "'Tvivl' er ikke et gyldigt id" in found
    assert "forælderen 'findes_ikke' findes ikke" in found
    assert "ordlisten '@ukendt_liste' findes ikke" in found
    assert "præfikset 'a*' er for kort" in found
    assert "koden 'barn' findes flere gange" in found


def test_yaml_syntax_error_names_the_line():
    found = problems_of("navn: Test\nkoder: [\n  - id: x\n")
    assert found and found[0].startswith("min_kodebog.yaml, linje")
    assert "ikke gyldig YAML" in found[0]


def test_derived_code_must_reference_existing_codes():
    text = VALID + """\
afledte_koder:
  - id: reflekteret
    navn: Reflekteret
    først: tvivl
    derefter: justering
    vindue_dage: nej
"""
    found = " | ".join(problems_of(text))
    assert "koden 'justering' findes ikke" in found
    assert "felt 'vindue_dage'" in found
