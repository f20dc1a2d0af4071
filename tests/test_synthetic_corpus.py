"""Tests of the synthetic demo corpus: determinism, counts, validity, truth vs. texts."""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from effektspor.domain.attention_points import BUILTIN_SCHEMES, scheme_for_date
from effektspor.domain.vocabulary import PROBLEM_CATEGORIES, TEAMS_RANDERS_2019
from effektspor.synthetic import iter_notes, read_truth, write_export
from effektspor.synthetic.people import birth_from_cpr, modulus11_ok


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    """The default demo export (seed 2019, 146 cases), written once for the module."""
    root = tmp_path_factory.mktemp("demo")
    info = write_export(root / "eksport", seed=2019)
    return info


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix != ".docx":  # docx zips carry a timestamp
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_same_seed_gives_same_export_and_other_seed_differs(tmp_path, export):
    again = write_export(tmp_path / "a" / "eksport", seed=2019)
    other = write_export(tmp_path / "b" / "eksport", seed=7)
    assert _digest(again.folder) == _digest(export.folder)
    assert again.truth_file.read_bytes() == export.truth_file.read_bytes()
    assert _digest(other.folder) != _digest(export.folder)


def test_counts_match_randers_2019(export):
    cases = _rows(export.folder / "sager.csv")
    assert len(cases) == 146 == export.n_cases
    assert {c["team"] for c in cases} == set(TEAMS_RANDERS_2019)
    assert all(c["afsluttet"] == "ja" and c["slutdato"].startswith("2019") for c in cases)
    assert export.n_usable_discharge == 51
    grants = Counter(g["sag_id"] for g in _rows(export.folder / "bevillinger.csv"))
    assert set(grants) == {c["sag_id"] for c in cases}
    assert all(1 <= n <= 12 for n in grants.values())
    assert 0.4 <= sum(n == 1 for n in grants.values()) / len(cases) <= 0.6
    assert max(grants.values()) >= 6


def test_grants_and_enrollment_are_clearly_correlated(export):
    from scipy.stats import spearmanr

    grants = Counter(g["sag_id"] for g in _rows(export.folder / "bevillinger.csv"))
    cases = _rows(export.folder / "sager.csv")
    days = [(date.fromisoformat(c["slutdato"]) - date.fromisoformat(c["startdato"])).days
            for c in cases]
    rho, p = spearmanr([grants[c["sag_id"]] for c in cases], days)
    assert rho > 0.4 and p < 0.001


def test_notes_use_attention_points_of_their_scheme(export):
    notes = _rows(export.folder / "notater.csv")
    assert len(notes) > 1000
    years = Counter()
    for note in notes:
        when = date.fromisoformat(note["dato"])
        assert note["opmærksomhedspunkt"] in scheme_for_date(BUILTIN_SCHEMES, when).points
        assert note["forfatterrolle"] in ("familiebehandler", "familiekonsulent", "familiestøtte")
        years[when.year] += 1
    assert years[2018] > 100 and years[2019] > 100
    assert len({n["notat_id"] for n in notes}) == len(notes)


def test_cpr_numbers_have_valid_dates_and_mixed_modulus11(export):
    persons = _rows(export.folder / "personer.csv")
    assert {p["rolle"] for p in persons} >= {"barn", "mor", "far"}
    checks = []
    for person in persons:
        assert re.fullmatch(r"\d{6}-\d{4}", person["cpr"])
        born = birth_from_cpr(person["cpr"])  # raises on an impossible date
        assert date(1940, 1, 1) <= born <= date(2019, 12, 31)
        if person["rolle"] == "barn":
            assert born.year >= 2000
        checks.append(modulus11_ok(person["cpr"]))
    assert 0.3 < sum(checks) / len(checks) < 0.9


def test_document_file_names_follow_the_layout(export):
    types = {"bevilling", "handleplan", "boernefaglig_undersoegelse", "underretning",
             "statusrapport", "udskrivningsrapport", "mail"}
    pattern = re.compile(r"^(FC19-\d{3})_(\d{4}-\d{2}-\d{2})_(" + "|".join(types)
                         + r")_([^_]+)\.(txt|docx)$")
    names = [p.name for p in (export.folder / "dokumenter").iterdir()]
    assert len(names) == export.n_documents
    seen = Counter()
    for name in names:
        match = pattern.match(name)
        assert match, name
        seen[match.group(3)] += 1
        seen[match.group(5)] += 1
    assert set(types) <= set(seen) and seen["docx"] > 20


def test_docx_documents_open_with_python_docx(export):
    import docx

    path = next((export.folder / "dokumenter").glob("*.docx"))
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "Barn:" in text or "Fra:" in text


def test_truth_file_is_outside_the_export_and_matches_texts(export):
    assert not export.truth_file.resolve().is_relative_to(export.folder.resolve())
    truth = read_truth(export.truth_file)
    assert len(truth) == 146
    notes = {n["notat_id"]: n for n in _rows(export.folder / "notater.csv")}
    docs = export.folder / "dokumenter"
    for case in truth:
        assert case["problemstilling"] in PROBLEM_CATEGORIES
        names = [p["navn"] for p in case["husstand"]["personer"]]
        child_first = names[0].split()[0]
        grant_text = (docs / f"{case['sag_id']}_{case['startdato']}_bevilling_Bevilling.txt")
        if grant_text.exists():
            assert child_first in grant_text.read_text(encoding="utf-8")
        discharge = list(docs.glob(f"{case['sag_id']}_*_udskrivningsrapport_*"))
        assert (case["udskrivningsrapport"] == "mangler") == (not discharge)
        for note_id, labels in case["noter"].items():
            assert notes[note_id]["sag_id"] == case["sag_id"]
            if "professionel_tvivl" in labels["koder"]:
                assert re.search(r"tvivl|overvejer|undrer|usikker|spørger mig selv|fornemmelse"
                                 r"|svært ved at|kan ikke", notes[note_id]["tekst"])
        assert case["reflekteret_indsatsjustering"] == (
            case["tvivl_og_justering"] == "tvivl_så_justering")


def test_reflected_adjustment_is_doubt_before_adjustment_in_time(export):
    notes = {n["notat_id"]: n for n in _rows(export.folder / "notater.csv")}
    checked = 0
    for case in read_truth(export.truth_file):
        doubt = [notes[i]["dato"] for i, c in case["noter"].items()
                 if "professionel_tvivl" in c["koder"]]
        adjust = [notes[i]["dato"] for i, c in case["noter"].items()
                  if "indsatsjustering" in c["koder"]]
        if case["reflekteret_indsatsjustering"]:
            assert doubt and adjust and min(doubt) <= max(adjust)
            checked += 1
        if case["tvivl_og_justering"] == "justering_så_tvivl" and len(notes) > 1:
            assert min(adjust) <= max(doubt)
    assert checked > 20


def test_iter_notes_is_deterministic_and_has_export_keys():
    first = list(iter_notes(5, 300))
    assert len(first) == 300
    assert first == list(iter_notes(5, 300))
    assert first != list(iter_notes(6, 300))
    assert set(first[0]) == {"sag_id", "dato", "opmærksomhedspunkt", "forfatterrolle", "tekst",
                             "notat_id"}


def test_notes_carry_personal_data_of_the_case_persons(export):
    notes = _rows(export.folder / "notater.csv")
    persons = _rows(export.folder / "personer.csv")
    cprs = {p["cpr"] for p in persons}
    found_cpr = {m for n in notes for m in re.findall(r"\d{6}-\d{4}", n["tekst"])}
    assert found_cpr and found_cpr <= cprs  # only the case persons' numbers, never others
    texts = " ".join(n["tekst"] for n in notes)
    assert re.search(r"[\w.]+@[\w.]+\.(?:dk|com)", texts)
    assert re.search(r"(?:\+45 )?\d{2} \d{2} \d{2} \d{2}", texts)
    assert "Familien er flyttet til" in texts
    first_names = {p["navn"].split()[0] for p in persons}
    assert first_names & {"Storm", "Bo", "Sol", "Liv", "Skov", "Maj", "Ask", "Birk"}
    assert "  " not in texts


def test_template_language_nests_and_fills_slots():
    from random import Random

    from effektspor.synthetic.templates import compile_template, render

    template = compile_template("{a} tager (godt |)imod (råd|vejledning om (søvn|mad))(.| i dag.)")
    variants = {render(template, Random(i), {"a": "mor"}) for i in range(400)}
    assert "Mor tager godt imod vejledning om mad i dag." in variants
    assert "Mor tager imod råd." in variants
    assert len(variants) == 12 and all("(" not in v and "  " not in v for v in variants)
    with pytest.raises(ValueError):
        compile_template("(a|b")


def test_write_export_refuses_a_non_empty_folder_and_a_truth_file_inside(tmp_path):
    from effektspor.domain.errors import EffektsporError

    folder = tmp_path / "eksport"
    folder.mkdir()
    (folder / "gammel.csv").write_text("x", encoding="utf-8")
    with pytest.raises(EffektsporError, match="ikke tom"):
        write_export(folder, n_cases=3)
    with pytest.raises(EffektsporError, match="Facit- og guldfilen"):
        write_export(tmp_path / "ny", n_cases=3, truth_file=tmp_path / "ny" / "facit.jsonl")
    assert [p.name for p in folder.iterdir()] == ["gammel.csv"]


def test_an_earlier_year_uses_only_its_scheme(tmp_path):
    info = write_export(tmp_path / "e2018" / "eksport", seed=1, n_cases=20, year=2018)
    cases = _rows(info.folder / "sager.csv")
    assert all(c["sag_id"].startswith("FC18-") and c["slutdato"].startswith("2018")
               for c in cases)
    points_2018 = BUILTIN_SCHEMES[0].points
    assert all(n["opmærksomhedspunkt"] in points_2018
               for n in _rows(info.folder / "notater.csv"))


def test_gold_file_marks_exactly_the_identifiers_in_the_notes(export):
    import json

    notes = {n["notat_id"]: n["tekst"] for n in _rows(export.folder / "notater.csv")}
    gold = [json.loads(line) for line in export.gold_file.open(encoding="utf-8")]
    assert not export.gold_file.resolve().is_relative_to(export.folder.resolve())
    assert {g["id"] for g in gold} == set(notes)
    labels = Counter()
    for record in gold:
        text = record["text"]
        assert text == notes[record["id"]]
        covered = set()
        for span in record["spans"]:
            piece = text[span["start"]:span["end"]]
            assert piece and piece[0].isupper() or span["label"] in ("CPR", "TELEFON", "EMAIL")
            covered.update(range(span["start"], span["end"]))
            labels[span["label"]] += 1
        for match in re.finditer(r"\d{6}-\d{4}|[\w.]+@[\w.]+\.(?:dk|com)", text):
            assert set(range(match.start(), match.end())) <= covered, match.group()
        for word in re.finditer(r"\b(?:storm|skoven|solen|bo|liv)\b", text, re.IGNORECASE):
            if word.group()[0].islower() or word.group() == "Solen":
                assert word.start() not in covered
        assert {k["label"] for k in record["known"]} <= {"NAVN", "CPR"}
    assert set(labels) == {"NAVN", "CPR", "TELEFON", "EMAIL", "ADRESSE", "STED"}


def test_shipped_name_lists_hold_only_names():
    from effektspor.synthetic import people

    for names in (people.girls(), people.boys(), people.women(), people.men(),
                  people.surnames()):
        assert names and all(re.fullmatch(r"[A-ZÆØÅ][a-zæøåéü]+(?:[- ][A-ZÆØÅ][a-zæøåéü]+)*", n)
                             for n in names), [n for n in names if not n[:1].isalpha()]
