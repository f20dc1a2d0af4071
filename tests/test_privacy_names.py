"""Person names: common words, sentence position, possessives, double names, context."""

import pytest

from effektspor.privacy.pseudonymiser import Pseudonymiser


@pytest.fixture(scope="module")
def pseudonymiser():
    return Pseudonymiser()


def names(pseudonymiser, text, known=()):
    accepted, _ = pseudonymiser.analyse(text, known)
    return [text[c.start:c.end] for c in accepted if c.label == "NAVN"]


@pytest.mark.parametrize("text", [
    "Der er meget liv i familien, og børnene finder ikke ro.",
    "Mor vil gerne bo tæt på sin søster.",
    "I dag var der storm, og vi aflyste turen.",
    "Solen skinnede og vi gik en tur i skoven.",
    "Vi talte om hvordan overgangen kan gøres lettere.",
    "Han løb rundt. Hun sagde ikke meget. Der var ro.",
    "Storm og regn gjorde turen kort.",
])
def test_common_words_are_not_names(pseudonymiser, text):
    assert names(pseudonymiser, text) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Liv græd da vi kom ind.", ["Liv"]),
    ("Mor fortæller at Liv sover bedre.", ["Liv"]),
    ("Storm (7 år) var urolig.", ["Storm"]),
    ("Mor er glad for at Sol er startet i vuggestue.", ["Sol"]),
    ("Far Bo Nielsen ønsker mere samvær.", ["Bo Nielsen"]),
    ("Kim spiller fodbold to gange om ugen.", ["Kim"]),
])
def test_word_like_names_in_name_positions(pseudonymiser, text, expected):
    assert names(pseudonymiser, text) == expected


def test_possessives_keep_the_ending(pseudonymiser):
    assert names(pseudonymiser, "Frejas mor har svært ved at sætte grænser.") == ["Frejas"]
    assert names(pseudonymiser, "Vi talte om Mads' skole.") == ["Mads'"]
    assert names(pseudonymiser, "Bo skal starte i skole. Bos lærer er glad.") == ["Bo", "Bos"]


def test_double_and_hyphenated_names(pseudonymiser):
    text = "Anne-Sofie og Karl-Emil mødte Jonas Bak Pedersen. Karl-Emils far kom ikke."
    assert names(pseudonymiser, text) == ["Anne-Sofie", "Karl-Emil", "Jonas Bak Pedersen",
                                          "Karl-Emils"]


def test_name_after_role_in_brackets(pseudonymiser):
    assert names(pseudonymiser, "Mor (Jannie Holm) var mødt op.") == ["Jannie Holm"]


def test_unknown_name_after_naming_word(pseudonymiser):
    assert names(pseudonymiser, "Kæresten hedder Xandrio og er 19.") == ["Xandrio"]


def test_method_names_are_not_persons(pseudonymiser):
    assert names(pseudonymiser, "Vi brugte Marte Meo og Signs of Safety.") == []


def test_known_person_found_in_all_forms(pseudonymiser):
    known = [("Hjortur Qvistgaard", "NAVN")]
    text = "Hjortur kom. Qvistgaards mor ringede. Hjortur Qvistgaard var glad."
    assert names(pseudonymiser, text, known) == ["Hjortur", "Qvistgaards",
                                                  "Hjortur Qvistgaard"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Liv og Storm kom ind sammen.", ["Liv", "Storm"]),
    ("Storm, der er 7 år, var urolig.", ["Storm"]),
])
def test_sentence_start_cues(pseudonymiser, text, expected):
    assert names(pseudonymiser, text) == expected
