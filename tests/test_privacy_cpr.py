"""CPR recogniser: date validity, the century rule, modulus 11, context and look-alikes."""

from datetime import date

import pytest

from effektspor.privacy.recognisers.cpr import (
    CprRecogniser,
    birth_date,
    century,
    is_valid_cpr,
    modulus11_ok,
)
from effektspor.privacy.spans import TextView

TODAY = date(2026, 11, 22)


def find(text: str):
    return CprRecogniser(today=TODAY).find(TextView(text))


@pytest.mark.parametrize(("seventh", "year", "expected"), [
    (0, 99, 1900), (3, 5, 1900), (4, 36, 2000), (4, 37, 1900), (9, 10, 2000), (9, 80, 1900),
    (5, 57, 2000), (5, 58, 1800), (8, 0, 2000),
])
def test_century_rule(seventh, year, expected):
    assert century(seventh, year) == expected


def test_birth_date_uses_century_rule():
    assert birth_date("0207154321") == date(2015, 7, 2)
    assert birth_date("0207151321") == date(1915, 7, 2)
    assert birth_date("0207586321") == date(1858, 7, 2)


def test_invalid_dates_are_rejected():
    assert birth_date("3002901234") is None          # 30 February
    assert birth_date("3113901234") is None          # month 13
    assert find("cpr 300290-1234") == []
    assert find("cpr 321290-1234") == []


def test_future_birth_date_is_rejected():
    assert not is_valid_cpr("010130-4123", today=TODAY)   # 2030
    assert find("P-nr. 1003385512 er arbejdssted") == []   # 10.03.2038


def test_modulus_11_raises_confidence_but_is_not_required():
    with_mod11 = "0707614285"
    assert modulus11_ok(with_mod11)
    without = "0207154321"
    assert not modulus11_ok(without)
    high = find(f"Barnet har {with_mod11[:6]}{with_mod11[6:]}.")[0].confidence
    low = find(f"Barnet har {without[:6]}{without[6:]}.")[0].confidence
    assert high > low >= 0.5


@pytest.mark.parametrize("written", ["150318-4127", "1503184127", "150318 4127",
                                     "150318 - 4127", "150318–4127"])
def test_separator_variants(written):
    found = find(f"Barnet (cpr {written}) blev undersøgt.")
    assert len(found) == 1
    assert found[0].confidence >= 0.9
    assert found[0].end - found[0].start == len(written)


@pytest.mark.parametrize("text", [
    "Faktura nr. 100219-4455 fra tolken er betalt.",
    "Sagsnummer 1002194455 er oprettet.",
    "p-nr 1002194455 for arbejdsstedet.",
    "Ordrenummer 100219-4455 er sendt.",
])
def test_lookalikes_score_below_threshold(text):
    assert all(c.confidence < 0.5 for c in find(text))


def test_not_part_of_longer_numbers():
    assert find("Journal 27.24.00-A00-1234-19 og konto 12345678901234") == []
    assert find("Nr. 2019-0117-0034 er oprettet") == []
