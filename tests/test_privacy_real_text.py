"""Names as real Danish text writes them (issue 11): foreign names, all caps, initials,
a surname repeated alone or inflected, a first name that is also a word; and the Danish word
list (Stavekontrolden) that tells names from words. All names are invented."""

from __future__ import annotations

import pytest

from effektspor.privacy.lexicon import load_danish_words, load_lexicon
from effektspor.privacy.pseudonymiser import Pseudonymiser


@pytest.fixture(scope="module")
def pseudonymiser() -> Pseudonymiser:
    return Pseudonymiser()


def _names(pseudonymiser: Pseudonymiser, text: str) -> list[str]:
    accepted, _ = pseudonymiser.analyse(text)
    return [text[c.start:c.end] for c in accepted if c.label == "NAVN"]


def test_danish_words_are_recognised_in_inflected_forms():
    words = load_danish_words()
    for word in ("huset", "stolenes", "børnehaven", "kommunernes", "grinede", "ringedes",
                 "arbejdsløsheden"):
        assert words.is_word(word), word
    for word in ("vasquelo", "zorveni", "funescu", "krogholm"):
        assert not words.is_word(word), word
    assert "zagreb" in words.places and "paris" in words.places


@pytest.mark.parametrize(("text", "name"), [
    ("Sagsbehandleren talte i dag med Dragomir Vasquelo om flytningen.", "Dragomir Vasquelo"),
    ("Vi holdt møde med Zorveni i går, og det gik godt.", "Zorveni"),
    ("Sagsbehandler ringede til Mirela Funescu om aftalen.", "Mirela Funescu"),
])
def test_foreign_name_in_mid_sentence_is_a_name(pseudonymiser, text, name):
    assert _names(pseudonymiser, text) == [name]


@pytest.mark.parametrize("text", [
    "Drengen skrev Hjemmet på tavlen.",           # a Danish word with a capital
    "Moderen var på ferie i Paris i sommer.",     # a place (also a rare first name)
    "Vasquelo i køkkenet, altså.",                # unknown word first, no verb after it
    "Trafikchefen erkender problemet.",           # a compound of Danish words
])
def test_capitalised_word_that_is_no_name_stays(pseudonymiser, text):
    assert _names(pseudonymiser, text) == []


def test_foreign_name_first_in_a_sentence_needs_a_verb_or_a_genitive(pseudonymiser):
    assert _names(pseudonymiser, "Vasquelo kom ikke til mødet.") == ["Vasquelo"]
    assert _names(pseudonymiser, "Zorvenis mor ringede.") == ["Zorvenis"]


def test_all_caps_names_are_names(pseudonymiser):
    text = "Mødet med JANNIK HOLMGAARD blev aflyst, og VESTERGAARD kom ikke."
    assert _names(pseudonymiser, text) == ["JANNIK HOLMGAARD", "VESTERGAARD"]
    # all-caps words and acronyms are not names
    assert _names(pseudonymiser, "Rapporten fra SFO kom i går. BEMÆRK: mødet er flyttet.") == []


@pytest.mark.parametrize(("text", "name"), [
    ("Notatet er skrevet af P. E. Kjærsgaard i går.", "P. E. Kjærsgaard"),
    ("Vi talte med Torben K. Lindqvist om sagen.", "Torben K. Lindqvist"),
    ("Aftalen var lavet med H.L. Damgaard på kontoret.", "H.L. Damgaard"),
    ("Bagefter talte vi med Inger P. om sagen.", "Inger P."),
    ("Det oplyste kriminalassistent Chr. Lindqvist i går.", "Chr. Lindqvist"),
    ("Kommunaldirektør Jens Chr. Vasquelo forlader posten.", "Jens Chr. Vasquelo"),
    ("Vi talte om Marco van Dorsten i går.", "Marco van Dorsten"),
])
def test_initials_belong_to_the_name(pseudonymiser, text, name):
    assert _names(pseudonymiser, text) == [name]


def test_english_genitive_stays_in_the_name(pseudonymiser):
    text = "Det er Dragomir's cykel."
    result = pseudonymiser.pseudonymise(text)
    assert [text[r.start:r.end] for r in result.replacements] == ["Dragomir's"]
    assert result.text.endswith("'s cykel.")


def test_surname_that_is_also_a_word_or_a_town_after_a_first_name(pseudonymiser):
    assert _names(pseudonymiser, "Vi talte med Torben Vest om det.") == ["Torben Vest"]
    text = "Hun bor i Karup med Birgit Karup."
    accepted, _ = pseudonymiser.analyse(text)
    assert [(text[c.start:c.end], c.label) for c in accepted] == [
        ("Karup", "STED"), ("Birgit Karup", "NAVN")]


def test_first_name_that_is_also_a_word_joins_the_surname(pseudonymiser):
    assert _names(pseudonymiser, "Aftalen blev lavet med Sine Damgaard fra skolen.") == [
        "Sine Damgaard"]
    # the same word as a pronoun at the start of a sentence is not pulled in
    assert _names(pseudonymiser, "Sine bøger lå på bordet.") == []


def test_surname_alone_and_inflected_after_the_full_name(pseudonymiser):
    text = ("Villads Krogholm kom kl. 10. Bagefter sagde Krogholm, at Krogholms bil var i "
            "stykker.")
    result = pseudonymiser.pseudonymise(text)
    assert [text[r.start:r.end] for r in result.replacements] == [
        "Villads Krogholm", "Krogholm", "Krogholms"]
    # one person, one pseudonym: the inflected form gets the same one
    first, alone, inflected = (r.replacement for r in result.replacements)
    assert alone == first and inflected.startswith(first)


def test_place_names_from_the_word_list_do_not_hide_frequent_surnames():
    lexicon = load_lexicon()
    assert lexicon.info("Lund").geographic is False   # a frequent surname, also a town
    assert lexicon.info("Kina").geographic is True


@pytest.mark.parametrize(("text", "name"), [
    ("Han skriver med MJensen87 på Snapchat.", "MJensen87"),
    ("Brugeren sofie_h2009 sendte beskeder om natten.", "sofie_h2009"),
    ("Profilen kpedersen_99 er slettet.", "kpedersen_99"),
])
def test_user_names_with_digits_are_replaced_whole(pseudonymiser, text, name):
    assert _names(pseudonymiser, text) == [name]


def test_words_with_digits_are_no_user_names(pseudonymiser):
    assert _names(pseudonymiser, "Det var i uge38, og covid19 var slut.") == []


def test_a_first_name_found_with_a_capital_is_found_in_lower_case(pseudonymiser):
    text = "Yrsa Krogholm ringede. Senere skrev yrsa en sms, og yrsas mor svarede."
    assert _names(pseudonymiser, text) == ["Yrsa Krogholm", "yrsa", "yrsas"]
    # a first name that is also a Danish word stays a word in lower case
    text = "Hans Lindqvist kom. Det er hans bil."
    assert _names(pseudonymiser, text) == ["Hans Lindqvist"]
