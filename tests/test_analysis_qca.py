"""Crisp-set QCA against the reference results in shared/reference/qca/EXPECTED.md."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from effektspor.analysis.caseframe import parse_case_csv, read_case_csv
from effektspor.analysis.qca import necessity, qca_from_table
from effektspor.cli.common import console
from effektspor.cli.main import cli

DATA = Path(__file__).parent / "fixtures" / "analysis"
LIPSET = DATA / "lipset_crisp_LC.csv"
KROOK = DATA / "krook_represent.csv"
LIPSET_CONDITIONS = ["DEV", "URB", "LIT", "IND", "STB"]
KROOK_CONDITIONS = ["ES", "QU", "WS", "WM", "LP"]

@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    """Print CLI tables at a fixed, wide width whatever the terminal (COLUMNS) says."""
    monkeypatch.setattr(console, "width", 200)


def flat(text: str) -> str:
    """CLI output with line wrapping undone (rich wraps at the console width)."""
    return " ".join(text.split())



def solve(path, outcome, conditions, solution="kompleks", negate=False, **options):
    return qca_from_table(read_case_csv(path), outcome=outcome, conditions=conditions,
                          solution=solution, negate_outcome=negate, **options)


def expressions(result):
    return [model.expression for model in result.models]


def test_lipset_truth_table():
    result = solve(LIPSET, "SURV", LIPSET_CONDITIONS)
    rows = {row.values: (row.output, row.n, row.inclusion) for row in result.truth_table}
    assert rows == {
        (1, 1, 1, 1, 1): ("1", 4, 1.0), (1, 0, 1, 0, 1): ("1", 2, 1.0),
        (1, 0, 1, 1, 1): ("1", 2, 1.0), (0, 0, 0, 0, 0): ("0", 3, 0.0),
        (0, 0, 0, 0, 1): ("0", 2, 0.0), (0, 0, 1, 0, 0): ("0", 2, 0.0),
        (0, 0, 1, 0, 1): ("0", 1, 0.0), (1, 0, 1, 1, 0): ("0", 1, 0.0),
        (1, 1, 1, 1, 0): ("0", 1, 0.0)}
    assert 32 - len(rows) == 23  # remainders


def test_lipset_complex_solution_with_fit_and_cases():
    result = solve(LIPSET, "SURV", LIPSET_CONDITIONS)
    assert expressions(result) == ["DEV*~URB*LIT*STB + DEV*LIT*IND*STB"]
    model = result.models[0]
    assert (model.inclS, model.PRI, model.covS) == (1.0, 1.0, 1.0)
    first, second = model.terms
    assert (first.term, first.inclS, first.PRI, first.covS, first.covU) == (
        "DEV*~URB*LIT*STB", 1.0, 1.0, 0.5, 0.25)
    assert first.cases == [["FI", "IE"], ["FR", "SE"]]
    assert (second.term, second.inclS, second.PRI, second.covS, second.covU) == (
        "DEV*LIT*IND*STB", 1.0, 1.0, 0.75, 0.5)
    assert second.cases == [["FR", "SE"], ["BE", "CZ", "NL", "UK"]]


def test_lipset_parsimonious_solution():
    result = solve(LIPSET, "SURV", LIPSET_CONDITIONS, "parsimonisk")
    assert expressions(result) == ["DEV*STB"]
    model = result.models[0]
    assert (model.inclS, model.PRI, model.covS) == (1.0, 1.0, 1.0)
    assert model.terms[0].cases == [["FI", "IE"], ["FR", "SE"], ["BE", "CZ", "NL", "UK"]]


def test_lipset_negated_outcome():
    assert expressions(solve(LIPSET, "SURV", LIPSET_CONDITIONS, negate=True)) == [
        "~DEV*~URB*~IND + DEV*LIT*IND*~STB"]
    result = solve(LIPSET, "SURV", LIPSET_CONDITIONS, "parsimonisk", negate=True)
    assert expressions(result) == ["~DEV + ~STB"]
    not_dev, not_stb = result.models[0].terms
    assert (not_dev.covS, not_dev.covU) == pytest.approx((0.8, 0.3))
    assert (not_stb.covS, not_stb.covU) == pytest.approx((0.7, 0.2))
    assert result.models[0].covS == 1.0


def test_krook_complex_solutions():
    assert expressions(solve(KROOK, "WNP", KROOK_CONDITIONS)) == [
        "~ES*~WS*WM*LP + ES*QU*~WS*WM + ES*QU*~WS*LP + ES*WS*~WM*~LP + ES*WS*WM*LP"]
    assert expressions(solve(KROOK, "WNP", KROOK_CONDITIONS, negate=True)) == [
        "~ES*~WS*WM*~LP + QU*~WS*~WM*~LP + ES*~QU*~WS*~WM*LP"]


def test_every_equally_good_model_is_returned():
    result = solve(KROOK, "WNP", KROOK_CONDITIONS, "parsimonisk")
    assert len(result.models) == 2
    assert all(len(model.terms) == 4 for model in result.models)
    assert all(model.covS == 1.0 and model.inclS == 1.0 for model in result.models)
    assert len(set(expressions(result))) == 2


def test_n_cut_turns_rare_rows_into_remainders_and_inclusion_cut_admits_inconsistency():
    text = "sag_id,A,B,Y\n1,1,1,1\n2,1,1,1\n3,1,1,0\n4,1,0,1\n5,0,0,0\n6,0,1,0\n"
    cases = parse_case_csv(text)
    strict = qca_from_table(cases, outcome="Y", conditions=["A", "B"])
    assert expressions(strict) == ["A*~B"]
    lenient = qca_from_table(cases, outcome="Y", conditions=["A", "B"], inclusion_cut=0.6)
    assert expressions(lenient) == ["A"]
    assert lenient.models[0].inclS == pytest.approx(0.75)
    rare = qca_from_table(cases, outcome="Y", conditions=["A", "B"], n_cut=2,
                          inclusion_cut=0.6, solution="parsimonisk")
    assert [row.output for row in rare.truth_table if row.n == 1] == ["?", "?", "?"]
    assert expressions(rare) == ["1"]  # no negative row left: everything may be simplified away


def test_necessity_parameters():
    results = {r.condition: r for r in necessity(read_case_csv(LIPSET), outcome="SURV",
                                                 conditions=LIPSET_CONDITIONS)}
    # DEV holds for all 8 surviving cases; 10 DEV cases; 8 non-DEV cases of 18
    assert results["DEV"].inclN == 1.0
    assert results["DEV"].covN == pytest.approx(0.8)
    assert results["DEV"].RoN == pytest.approx(8 / 10)
    assert results["~DEV"].inclN == 0.0


def test_qca_cli_json_contract(tmp_path):
    result = CliRunner().invoke(cli, ["qca", str(LIPSET), "--udfald", "SURV", "--betingelser",
                                      "DEV,URB,LIT,IND,STB", "--løsning", "parsimonisk",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["solutions"][0]["expression"] == "DEV*STB"
    term = data["solutions"][0]["terms"][0]
    assert {"term", "inclS", "PRI", "covS", "covU"} <= set(term)
    negated = CliRunner().invoke(cli, ["qca", str(LIPSET), "--udfald", "~SURV", "--betingelser",
                                       "DEV,URB,LIT,IND,STB", "--format", "json",
                                       "--nødvendighed"])
    data = json.loads(negated.output)
    assert data["solutions"][0]["expression"] == "~DEV*~URB*~IND + DEV*LIT*IND*~STB"
    assert len(data["necessity"]) == 10


def test_qca_cli_rejects_non_binary_condition_in_danish(tmp_path):
    path = tmp_path / "sager.csv"
    shutil.copy(LIPSET, path)
    path.write_text(path.read_text().replace("AU,1,0,1,1,0,0", "AU,1,0,2,1,0,0"))
    result = CliRunner().invoke(cli, ["qca", str(path), "--udfald", "SURV", "--betingelser",
                                      "DEV,LIT"], terminal_width=200)
    assert result.exit_code == 1
    assert "sager.csv, linje 2, felt 'LIT'" in flat(result.output)


def test_qca_text_output_shows_truth_table_models_and_cases():
    result = CliRunner().invoke(cli, ["qca", str(LIPSET), "--udfald", "SURV", "--betingelser",
                                      "DEV,URB,LIT,IND,STB"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "Sandhedstabel for SURV" in flat(result.output)
    assert "M1: DEV*~URB*LIT*STB + DEV*LIT*IND*STB <-> SURV" in flat(result.output)
    assert "covU 0,250 – sager FI,IE; FR,SE" in flat(result.output)
