"""Phone numbers, e-mail addresses and URLs."""

import pytest

from effektspor.privacy.recognisers.contact import (
    EmailRecogniser,
    PhoneRecogniser,
    UrlRecogniser,
)
from effektspor.privacy.spans import TextView


def phones(text: str, threshold: float = 0.5):
    found = PhoneRecogniser().find(TextView(text))
    return [text[c.start:c.end] for c in found if c.confidence >= threshold]


@pytest.mark.parametrize("number", ["28 45 91 07", "28459107", "2845 9107", "+45 28 45 91 07",
                                    "+4528459107", "0045 28 45 91 07", "0045 2845 9107",
                                    "28-45-91-07"])
def test_phone_variants(number):
    assert phones(f"Ring til mor på {number} i morgen.") == [number]


def test_phone_after_tlf_context():
    assert phones("tlf. 89 15 15 15, mail pd@randers.dk") == ["89 15 15 15"]


@pytest.mark.parametrize("text", [
    "Ordrenummer 24081519 er sendt til mor.",
    "CVR 29189803 står på fakturaen.",
    "Mødet blev holdt 21032019 på skolen.",
    "Sagen har nummer 12345678.",        # a Danish number never starts with 1
])
def test_lookalikes_are_not_phones(text):
    assert phones(text) == []


def test_date_written_as_phone_is_taken_with_phone_context():
    assert phones("Mors mobil: 21032019") == ["21032019"]


def test_email():
    text = "Skriv til jannie.holm84@gmail.com eller sekretariat@skole.dk."
    found = EmailRecogniser().find(TextView(text))
    assert [text[c.start:c.end] for c in found] == ["jannie.holm84@gmail.com",
                                                    "sekretariat@skole.dk"]


def test_url_with_a_name_only():
    recogniser = UrlRecogniser(lambda word: word in {"jannie", "holm"})
    text = "Se facebook.com/jannie.holm og www.randers.dk/borger."
    found = recogniser.find(TextView(text))
    assert [text[c.start:c.end] for c in found] == ["facebook.com/jannie.holm"]
