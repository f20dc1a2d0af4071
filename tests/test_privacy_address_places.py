"""Addresses (street, number, floor/side, postcode, town), institutions and towns."""

import pytest

from effektspor.privacy.pseudonymiser import Pseudonymiser


@pytest.fixture(scope="module")
def pseudonymiser():
    return Pseudonymiser()


def spans(pseudonymiser, text, label):
    accepted, _ = pseudonymiser.analyse(text)
    return [text[c.start:c.end] for c in accepted if c.label == label]


@pytest.mark.parametrize("address", [
    "Tulipanvej 14, 1. th., 8900 Randers C",
    "Skolegade 3, st. tv.",
    "Bjerregravvej 112, 8920 Randers NV",
    "Hobrovej 220A, 9530 Støvring",
    "Vestergade 8, 3. mf., 8800 Viborg",
    "Nørrebrogade 45",
    "Kirkebakken 3",
])
def test_addresses(pseudonymiser, address):
    assert spans(pseudonymiser, f"Familien bor nu på {address}. Der er langt til skolen.",
                 "ADRESSE") == [address]


def test_street_without_number_and_postcode_alone(pseudonymiser):
    assert spans(pseudonymiser, "Han bor alene på Vestergade.", "ADRESSE") == ["Vestergade"]
    assert spans(pseudonymiser, "Mor er flyttet til 8930 Randers NØ.", "ADRESSE") == [
        "8930 Randers NØ"]


def test_numbers_after_ordinary_capitalised_words_are_not_addresses(pseudonymiser):
    text = "Uge 12 gik godt. Bilag 3 er vedlagt. Barnets Lov § 32 gælder."
    assert spans(pseudonymiser, text, "ADRESSE") == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Han går på Vestervangsskolen i 3. klasse.", ["Vestervangsskolen"]),
    ("Underretning fra Børnehuset Mælkebøtten i dag.", ["Børnehuset Mælkebøtten"]),
    ("Hun er startet i Vuggestuen Solsikken.", ["Vuggestuen Solsikken"]),
    ("Han har det svært i SFO Regnbuen.", ["SFO Regnbuen"]),
    ("Han går i 6. klasse på Tirsdalens Skole.", ["Tirsdalens Skole"]),
    ("Storebror går på Ry Efterskole.", ["Ry Efterskole"]),
    ("Far bor i Silkeborg med sin kæreste.", ["Silkeborg"]),
    ("Hun arbejder i Netto om aftenen.", ["Netto"]),
])
def test_places(pseudonymiser, text, expected):
    assert spans(pseudonymiser, text, "STED") == expected


@pytest.mark.parametrize("text", [
    "Skolen har ringet. Folkeskolen er stor.",
    "Han skal i skole, og efterskolen er en mulighed.",
    "Vi ringer til Familiecentret.",
    "Det var en ringe dag for alle.",
])
def test_generic_institution_words_and_ambiguous_towns_are_not_places(pseudonymiser, text):
    assert spans(pseudonymiser, text, "STED") == []


def test_a_place_named_after_its_street_stays_one_place(pseudonymiser):
    text = "Underretning fra Lægehuset Vestergade i dag."
    assert spans(pseudonymiser, text, "STED") == ["Lægehuset Vestergade"]
    assert spans(pseudonymiser, text, "ADRESSE") == []


def test_lower_case_lead_word_before_an_institution_name(pseudonymiser):
    assert spans(pseudonymiser, "Han går i børnehaven Troldehøj.", "STED") == ["Troldehøj"]
    assert spans(pseudonymiser, "Mor er flyttet til Vorup.", "STED") == ["Vorup"]
