"""Consistent pseudonyms within a case and across the cases of a project."""

from effektspor.privacy.pseudonymiser import Pseudonymiser, resolve_overlaps
from effektspor.privacy.pseudonyms import ProjectPseudonyms, PseudonymScope, possessive_form
from effektspor.privacy.spans import Candidate


def test_same_person_same_pseudonym_throughout_a_case():
    project = ProjectPseudonyms("roller")
    case = PseudonymScope("sag-1", project)
    case.add_person("Freja Holm", "barn")
    case.add_person("Jannie Holm", "mor")
    p = Pseudonymiser()
    first = p.pseudonymise("Freja Holm græd. Jannie trøstede Freja.", case).text
    second = p.pseudonymise("Frejas mor (Jannie Holm) ringede.", case).text
    assert first == "Barn 1 græd. Mor trøstede Barn 1."
    assert second == "Barn 1's mor (Mor) ringede."


def test_unknown_names_are_numbered_and_linked_by_first_name():
    case = PseudonymScope("sag-1", ProjectPseudonyms("roller"))
    p = Pseudonymiser()
    text = p.pseudonymise("Mathias drillede Alma. Mathias Berg er 9 år.", case).text
    assert text == "Person 1 drillede Person 2. Person 1 er 9 år."


def test_full_names_are_shared_across_cases_of_a_project():
    project = ProjectPseudonyms("navne", salt=b"test")
    a = PseudonymScope("a", project)
    b = PseudonymScope("b", project)
    name_a = a.pseudonym_for("NAVN", "Ibrahim Hassan")
    name_b = b.pseudonym_for("NAVN", "Ibrahim Hassan")
    assert name_a == name_b
    assert "Ibrahim" not in name_a and "Hassan" not in name_a


def test_realistic_names_never_reuse_a_real_name_of_the_case():
    project = ProjectPseudonyms("navne", salt=b"x")
    case = PseudonymScope("a", project)
    real = ["Anne Jensen", "Peter Nielsen", "Maria Hansen", "Lars Pedersen"]
    for name in real:
        case.add_person(name, "anden")
    pseudonyms = [e.pseudonym for e in case.entities]
    words = {w.casefold() for name in real for w in name.split()}
    assert len(set(pseudonyms)) == 4
    assert not any(w.casefold() in words for p in pseudonyms for w in p.split())


def test_other_labels_are_consistent_placeholders():
    case = PseudonymScope("a", ProjectPseudonyms())
    assert case.pseudonym_for("TELEFON", "28 45 91 07") == "[telefon 1]"
    assert case.pseudonym_for("TELEFON", "+45 28459107") == "[telefon 1]"
    assert case.pseudonym_for("TELEFON", "40 11 23 98") == "[telefon 2]"


def test_possessive_forms():
    assert possessive_form("Mor") == "Mors"
    assert possessive_form("Barn 1") == "Barn 1's"
    assert possessive_form("Mads") == "Mads'"


def test_overlaps_resolved_by_priority_then_length():
    kept = resolve_overlaps([Candidate(0, 10, "NAVN", 0.9, "n"),
                             Candidate(5, 20, "ADRESSE", 0.6, "a"),
                             Candidate(22, 30, "STED", 0.8, "s"),
                             Candidate(22, 26, "NAVN", 0.95, "n")])
    assert [(c.label, c.start) for c in kept] == [("ADRESSE", 5), ("STED", 22)]


def test_threshold_and_review_list():
    text = "Kim sad stille. Vi talte om det."
    strict = Pseudonymiser(threshold=0.8).pseudonymise(text)
    loose = Pseudonymiser(threshold=0.3).pseudonymise(text)
    assert strict.text == text
    assert [(i.start, i.end, i.label, i.replaced) for i in strict.review] == [
        (0, 3, "NAVN", False)]
    assert loose.text == "Person 1 sad stille. Vi talte om det."
