"""Agreement: Krippendorff 2011's worked example, kappa against scikit-learn, NVivo-style
character agreement, and the ``enighed`` CLI contract."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner
from sklearn.metrics import cohen_kappa_score

from effektspor.analysis.agreement import (
    agreement_report,
    cohen_kappa,
    kappa_from_table,
    krippendorff_alpha,
    percent_agreement,
)
from effektspor.analysis.character_agreement import character_agreement
from effektspor.analysis.two_coders import kappas
from effektspor.cli.common import console
from effektspor.cli.main import cli
from effektspor.coding.evaluation import cohen_kappa as binary_kappa

N = None
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 observers, 12 units
OBSERVERS = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]
UNITS = list(zip(*OBSERVERS, strict=True))

@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    """Print CLI tables at a fixed, wide width whatever the terminal (COLUMNS) says."""
    monkeypatch.setattr(console, "width", 200)


def flat(text: str) -> str:
    """CLI output with line wrapping undone (rich wraps at the console width)."""
    return " ".join(text.split())



@pytest.mark.parametrize(("level", "expected"), [
    ("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)])
def test_krippendorff_2011_worked_example(level, expected):
    assert round(krippendorff_alpha(UNITS, level), 3) == expected


def test_alpha_is_one_for_perfect_agreement_and_ignores_single_values():
    assert krippendorff_alpha([[1, 1], [2, 2], [3, N]], "nominal") == 1.0


SEVERITY = ["Svær", "Mellem", "Let"]
A = ["Svær", "Svær", "Mellem", "Let", "Let", "Mellem", "Svær", "Let", "Mellem", "Mellem", "Let"]
B = ["Svær", "Mellem", "Mellem", "Let", "Mellem", "Mellem", "Svær", "Svær", "Mellem", "Let",
     "Let"]


def test_kappas_match_scikit_learn():
    assert cohen_kappa(A, B) == pytest.approx(cohen_kappa_score(A, B))
    for weights in ("linear", "quadratic"):
        assert cohen_kappa(A, B, SEVERITY, weights=weights) == pytest.approx(
            cohen_kappa_score(A, B, labels=SEVERITY, weights=weights))
    assert percent_agreement(A, B) == pytest.approx(7 / 11)


def test_kappa_edge_cases():
    assert np.isnan(kappa_from_table(np.zeros((3, 3))))
    # Both coders used one and the same category: chance agreement 1, reported as 1.
    assert kappa_from_table(np.array([[0, 0], [0, 5]])) == 1.0
    assert cohen_kappa(["a", "a"], ["a", "a"]) == 1.0
    assert kappa_from_table(np.array([[0, 4], [0, 0]])) == 0.0  # A all "0", B all "1"
    assert np.isnan(cohen_kappa([], []))
    with pytest.raises(ValueError):
        cohen_kappa(A, B, SEVERITY, weights="cubic")


def test_the_vectorised_bootstrap_kappas_equal_scikit_learn():
    rng = np.random.default_rng(3)
    for k in (2, 3, 5):
        for _ in range(30):
            table = rng.integers(0, 8, size=(k, k)).astype(float)
            table[0, 0] += 1
            found = kappas(table[None])
            for name, weights in (("kappa", None), ("vægtet_kappa_lineær", "linear"),
                                  ("vægtet_kappa_kvadratisk", "quadratic")):
                assert found[name][0] == pytest.approx(kappa_from_table(table, weights)), (
                    table, name)


@pytest.mark.parametrize("cells", [(5, 1, 2, 12), (0, 3, 4, 10), (7, 0, 0, 0), (0, 0, 0, 9),
                                   (3, 3, 3, 3), (0, 0, 0, 0)])
def test_binary_kappa_of_auto_coding_is_scikit_learns(cells):
    tp, fp, fn, tn = cells
    gold = [1] * tp + [0] * fp + [1] * fn + [0] * tn
    machine = [1] * tp + [1] * fp + [0] * fn + [0] * tn
    if not gold:
        assert binary_kappa(*cells) is None
    elif len(set(gold)) == len(set(machine)) == 1 and gold[0] == machine[0]:
        assert binary_kappa(*cells) == 1.0
    else:
        assert binary_kappa(*cells) == pytest.approx(cohen_kappa_score(gold, machine))


def test_report_treats_severity_as_ordinal_and_lists_disagreements():
    ids = [f"S{i}" for i in range(len(A))]
    report = agreement_report(ids, A, B, variable="problemgrad", bootstrap=200)
    assert report.level == "ordinal"
    assert report.categories == SEVERITY
    names = {e.name for e in report.estimates}
    assert {"kappa", "vægtet_kappa_lineær", "vægtet_kappa_kvadratisk", "alpha_nominal",
            "alpha_ordinal"} <= names
    kappa = report.estimate("kappa")
    assert kappa.low <= kappa.value <= kappa.high
    assert report.disagreements[0] == ("S1", "Svær", "Mellem")
    assert len(report.disagreements) == 4


def test_report_of_nominal_variable_has_no_weighted_kappa():
    report = agreement_report(["1", "2", "3", "4"], ["a", "b", "a", "c"], ["a", "b", "b", "c"],
                              variable="problemstilling", bootstrap=50)
    assert report.level == "nominal"
    assert report.estimate("vægtet_kappa_lineær") is None


def test_character_agreement_counts_and_kappa():
    result = character_agreement(100, [(0, 20), (10, 30)], [(20, 40)])
    assert (result.both, result.only_a, result.only_b, result.neither) == (10, 20, 10, 60)
    assert result.agreement == pytest.approx(0.7)
    pe = (0.3 * 0.2) + (0.7 * 0.8)
    assert result.kappa == pytest.approx((0.7 - pe) / (1 - pe))
    nobody = character_agreement(50, [], [])
    assert nobody.agreement == 1.0 and nobody.kappa == 1.0


def write_coder(path, rows):
    path.write_text("sag_id;problemgrad\n" + "".join(f"{a};{b}\n" for a, b in rows),
                    encoding="utf-8")
    return path


def test_enighed_cli_json_reports_mismatched_cases(tmp_path):
    a = write_coder(tmp_path / "koder_a.csv", [(f"S{i}", v) for i, v in enumerate(A)] +
                    [("X1", "Let")])
    b = write_coder(tmp_path / "koder_b.csv", [(f"S{i}", v) for i, v in enumerate(B)] +
                    [("Y9", "Svær")])
    result = CliRunner().invoke(cli, ["enighed", str(a), str(b), "--variabel", "problemgrad",
                                      "--format", "json", "--bootstrap", "100"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["procent_enighed"] == pytest.approx(7 / 11)
    assert data["kappa"]["værdi"] == pytest.approx(cohen_kappa_score(A, B))
    assert "vægtet_kappa_kvadratisk" in data and "alpha_ordinal" in data
    assert data["kun_hos_a"] == ["X1"] and data["kun_hos_b"] == ["Y9"]
    text = CliRunner().invoke(cli, ["enighed", str(a), str(b), "--variabel", "problemgrad",
                                    "--bootstrap", "50"], terminal_width=200)
    assert "Kun i koder_a.csv: X1" in flat(text.output)


def test_enighed_cli_errors_in_danish(tmp_path):
    a = write_coder(tmp_path / "a.csv", [("S1", "Let")])
    b = write_coder(tmp_path / "b.csv", [("S2", "Let")])
    result = CliRunner().invoke(cli, ["enighed", str(a), str(b), "--variabel", "problemgrad"],
                                terminal_width=200)
    assert result.exit_code == 1 and "ingen sager til fælles" in flat(result.output)
    result = CliRunner().invoke(cli, ["enighed", str(a), str(b), "--variabel", "alder"],
                                terminal_width=200)
    assert result.exit_code == 1 and "felt 'alder'" in flat(result.output)


def test_report_on_numbers_agrees_with_the_general_alpha():
    a = ["0", "1", "2", "3", "5", "4", "2", "0", "1", "3"]
    b = ["0", "2", "2", "3", "4", "4", "1", "0", "1", "5"]
    report = agreement_report([str(i) for i in range(10)], a, b, variable="antal",
                              bootstrap=100)
    assert report.level == "ratio"
    units = [[float(x), float(y)] for x, y in zip(a, b, strict=True)]
    for level in ("nominal", "ordinal", "interval", "ratio"):
        assert report.estimate(f"alpha_{level}").value == pytest.approx(
            krippendorff_alpha(units, level))


def test_code_presence_agreement_per_code():
    from effektspor.analysis.agreement import code_presence_agreement

    cases = ["S1", "S2", "S3", "S4"]
    a = {"S1": {"alliancebrud", "tvivl"}, "S2": {"tvivl"}, "S3": set()}
    b = {"S1": {"alliancebrud"}, "S2": {"tvivl"}, "S4": {"tvivl"}}
    reports = code_presence_agreement(cases, a, b, ["alliancebrud", "tvivl"], bootstrap=20)
    assert reports["alliancebrud"].percent_agreement == 1.0
    assert reports["tvivl"].percent_agreement == 0.5
    assert reports["tvivl"].level == "nominal"
    assert reports["tvivl"].estimate("kappa").value == pytest.approx(
        cohen_kappa_score([1, 1, 0, 0], [0, 1, 0, 1]))


def test_coding_comparison_per_code_per_document():
    from effektspor.analysis.character_agreement import coding_comparison, summarise_by_code

    lengths = {"notat1": 100, "notat2": 300}
    rows = coding_comparison(lengths, [("notat1", "tvivl", 0, 50), ("notat2", "tvivl", 0, 30)],
                             [("notat1", "tvivl", 0, 50), ("notat2", "omsorg", 10, 20)])
    pairs = {(r.code, r.document): r.result for r in rows}
    assert set(pairs) == {("tvivl", "notat1"), ("tvivl", "notat2"), ("omsorg", "notat2")}
    assert pairs[("tvivl", "notat1")].kappa == 1.0
    assert pairs[("tvivl", "notat2")].only_a == 30
    agreement, _ = summarise_by_code(rows)["tvivl"]
    assert agreement == pytest.approx((100 * 1.0 + 300 * 0.9) / 400)
    assert len(coding_comparison(lengths, [], [("notat1", "x", 0, 1)],
                                 include_uncoded=True)) == 2


def test_ordinal_flag_chooses_between_ordinal_and_nominal():
    ids = [f"S{i}" for i in range(len(A))]
    nominal = agreement_report(ids, A, B, variable="problemgrad", ordinal=False, bootstrap=0)
    assert nominal.level == "nominal" and nominal.estimate("alpha_ordinal") is None
    ordinal = agreement_report(ids, A, B, variable="problemgrad", categories=SEVERITY,
                               ordinal=True, bootstrap=0)
    assert ordinal.level == "ordinal" and ordinal.estimate("alpha_ordinal") is not None


def test_declared_order_is_found_whatever_the_case_of_the_values():
    a = [v.lower() for v in A]
    b = [v.lower() for v in B]
    report = agreement_report([str(i) for i in range(len(a))], a, b, variable="problemgrad",
                              bootstrap=0)
    assert report.level == "ordinal" and report.categories == ["svær", "mellem", "let"]
    assert report.estimate("vægtet_kappa_lineær").value == pytest.approx(
        cohen_kappa(A, B, SEVERITY, weights="linear"))
