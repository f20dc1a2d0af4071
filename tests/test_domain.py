"""Domain rules: dates, yes/no values, attention-point schemes, text normalisation, hashing."""

from __future__ import annotations

from datetime import date

import pytest

from effektspor.domain.attention_points import BUILTIN_SCHEMES, scheme_for_date
from effektspor.domain.dates import parse_bool, parse_date
from effektspor.domain.errors import Problem
from effektspor.domain.records import NoteRecord, Source
from effektspor.domain.text import content_hash, normalise_text
from effektspor.domain.vocabulary import normalise_document_type


@pytest.mark.parametrize("text, expected", [
    ("2019-03-07", date(2019, 3, 7)),
    ("07-03-2019", date(2019, 3, 7)),
    ("7.3.2019", date(2019, 3, 7)),
    ("07/03/2019", date(2019, 3, 7)),
    ("2019-03-07T10:15:00", date(2019, 3, 7)),
])
def test_parse_date_accepts_iso_and_danish_forms(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31-02-2019", "2019-13-01", "i går", ""])
def test_parse_date_rejects_impossible_dates_in_danish(text):
    with pytest.raises(ValueError, match="dato"):
        parse_date(text)


def test_parse_date_with_explicit_format():
    assert parse_date("20190307", "%Y%m%d") == date(2019, 3, 7)
    with pytest.raises(ValueError, match="formatet %Y%m%d"):
        parse_date("2019-03-07", "%Y%m%d")


@pytest.mark.parametrize("text, expected", [("ja", True), ("Nej", False), ("1", True),
                                            ("0", False), ("afsluttet", True)])
def test_parse_bool(text, expected):
    assert parse_bool(text) is expected


def test_parse_bool_rejects_unknown():
    with pytest.raises(ValueError, match="ja/nej"):
        parse_bool("måske")


def test_schemes_have_the_published_sizes_and_overlap():
    scheme_2018, scheme_2019 = BUILTIN_SCHEMES
    assert len(scheme_2018.points) == 12 and len(scheme_2019.points) == 14
    assert len(set(scheme_2018.points) & set(scheme_2019.points)) == 7
    assert scheme_2019.find("beskrivelse af  barnet") == "Beskrivelse af barnet"
    assert scheme_2019.find("Barnets personlighed") is None


def test_scheme_for_date_picks_the_scheme_in_force():
    assert scheme_for_date(BUILTIN_SCHEMES, date(2018, 6, 1)).version == "2018"
    assert scheme_for_date(BUILTIN_SCHEMES, date(2019, 1, 1)).version == "2019"
    assert scheme_for_date(BUILTIN_SCHEMES, date(2015, 1, 1)).version == "2018"


def test_normalise_text_unifies_line_ends_and_unicode_forms():
    decomposed = "Ma\u030ale\u0301t\r\nnaet\r"
    assert normalise_text(decomposed) == "Målét\nnaet"


def test_note_hash_ignores_export_differences_but_not_content():
    a = NoteRecord("S1", date(2019, 1, 2), "Samvær", "Mor kom.\r\n", Source("a.csv", 2))
    b = NoteRecord("S1", date(2019, 1, 2), "Samvær", "Mor kom.", Source("b.csv", 9))
    c = NoteRecord("S1", date(2019, 1, 2), "Samvær", "Far kom.", Source("b.csv", 9))
    assert a.content_hash == b.content_hash != c.content_hash


def test_content_hash_separates_parts_unambiguously():
    assert content_hash("ab", "c") != content_hash("a", "bc")


def test_problem_names_file_line_and_field():
    problem = Problem("datoen mangler", file="notater.csv", line=7, field="dato")
    assert str(problem) == "notater.csv, linje 7, felt 'dato': datoen mangler"


def test_document_type_aliases():
    assert normalise_document_type("Børnefaglig undersøgelse") == "boernefaglig_undersoegelse"
    assert normalise_document_type("UDSKRIVNINGSRAPPORT") == "udskrivningsrapport"
    assert normalise_document_type("faktura") is None
