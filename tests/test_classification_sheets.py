"""Re-coding samples and value sheets (pure functions, files in tmp_path)."""

from __future__ import annotations

import pytest
from openpyxl import Workbook, load_workbook

from effektspor.classification.sampling import SampleCase, draw_sample
from effektspor.classification.sheets import read_value_table, write_blind_sheet
from effektspor.domain.errors import EffektsporError, ValidationError
from effektspor.domain.variables import STANDARD_VARIABLES

CASES = [SampleCase(f"S{i:03d}", "Familieværkstedet" if i < 6 else "Sandplay")
         for i in range(1, 41)]


def test_sample_is_whole_teams_plus_random_and_reproducible():
    first = draw_sample(CASES, teams=["Familieværkstedet"], n_random=10, seed=7)
    assert first[:5] == ["S001", "S002", "S003", "S004", "S005"]
    assert len(first) == 15 and len(set(first)) == 15
    assert draw_sample(list(reversed(CASES)), teams=["Familieværkstedet"], n_random=10,
                       seed=7) == first
    other_seeds = {tuple(draw_sample(CASES, n_random=10, seed=s)) for s in range(5)}
    assert len(other_seeds) > 1


def test_sample_errors_are_danish():
    with pytest.raises(EffektsporError, match="Ukendt team: Terapi"):
        draw_sample(CASES, teams=["Terapi"], seed=1)
    with pytest.raises(EffektsporError, match="kun 35 sager"):
        draw_sample(CASES, teams=["Familieværkstedet"], n_random=36, seed=1)
    with pytest.raises(EffektsporError, match="tom"):
        draw_sample(CASES, seed=1)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_blind_sheet_has_cases_criteria_and_empty_values(tmp_path, suffix):
    path = write_blind_sheet(tmp_path / f"blind{suffix}", ["S001", "S002"],
                             STANDARD_VARIABLES, title="Rekodning")
    if suffix == ".csv":
        text = path.read_text(encoding="utf-8-sig")
        assert "familiesituation i fare" in text
        data = [line for line in text.splitlines() if not line.startswith("#")]
        assert data == ["sag;maalopnaaelse;problemstilling;problemgrad", "S001;;;", "S002;;;"]
    else:
        book = load_workbook(path)
        rows = list(book["Rekodning"].iter_rows(values_only=True))
        assert rows == [("sag", "maalopnaaelse", "problemstilling", "problemgrad"),
                        ("S001", None, None, None), ("S002", None, None, None)]
        criteria = " ".join(str(r[0]) for r in book["Kriterier"].iter_rows(values_only=True))
        assert "familiesituation i krise" in criteria
    # A filled-in sheet reads back with canonical values.
    assert read_value_table(path, STANDARD_VARIABLES, known_cases=["S001", "S002"]) == []


def test_wide_csv_reads_back_with_comments_and_labels(tmp_path):
    path = tmp_path / "koder.csv"
    path.write_text("# kommentar\nSag;Målopnåelse;problemgrad\nS1;i mål;let\nS2;;Svær\n",
                    encoding="utf-8")
    rows = read_value_table(path, STANDARD_VARIABLES, known_cases={"S1", "S2"})
    assert [(r.case_external_id, r.variable, r.value, r.line) for r in rows] == [
        ("S1", "maalopnaaelse", "I mål", 3), ("S1", "problemgrad", "Let", 3),
        ("S2", "problemgrad", "Svær", 4)]


def test_long_xlsx_errors_name_file_line_and_field(tmp_path):
    book = Workbook()
    sheet = book.active
    for row in (["sag", "variabel", "værdi"], ["S1", "problemgrad", "Let"],
                ["S9", "problemgrad", "Let"], ["S1", "farve", "rød"],
                ["S2", "maalopnaaelse", "Halvvejs"], ["S1", "problemgrad", "Svær"]):
        sheet.append(row)
    path = tmp_path / "værdier.xlsx"
    book.save(path)
    with pytest.raises(ValidationError) as error:
        read_value_table(path, STANDARD_VARIABLES, known_cases={"S1", "S2"},
                         unknown_case_message="sagen er ikke med i stikprøven")
    messages = [str(p) for p in error.value.problems]
    assert messages[0] == ("værdier.xlsx, linje 3, felt 'sag': 'S9': sagen er ikke med i "
                           "stikprøven")
    assert messages[1].startswith("værdier.xlsx, linje 4, felt 'variabel'")
    assert "linje 5, felt 'maalopnaaelse'" in messages[2] and "Halvvejs" in messages[2]
    assert "linje 6" in messages[3] and "(linje 2)" in messages[3]


def test_missing_case_column_and_unknown_file_type(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("id;problemgrad\nS1;Let\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="problem"):
        read_value_table(path, STANDARD_VARIABLES, known_cases={"S1"})
    other = tmp_path / "x.docx"
    other.write_text("x")
    with pytest.raises(EffektsporError, match="ukendt filtype"):
        read_value_table(other, STANDARD_VARIABLES, known_cases={"S1"})
