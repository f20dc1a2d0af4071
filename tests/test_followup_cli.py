"""The follow-up's CLI contracts (checked externally): ``opfølgning frister`` and
``opfølgning sagstal`` on CSV files and on a project, and the recording commands."""

from __future__ import annotations

import json

from click.testing import CliRunner

from effektspor.cli.main import cli
from effektspor.services.project import create_project

MEASURES = ("sag;indsats;type;start;undersøgelse_slut\n"
            "S-1;I-1;forebyggende;2025-01-31;\n"
            "S-2;I-1;anbringelse_familiepleje;2025-01-01;2025-01-10\n")


def _run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_frister_contract_on_files(tmp_path):
    source = tmp_path / "indsatser.csv"
    source.write_text(MEASURES, encoding="utf-8")
    held = tmp_path / "afholdte.csv"
    held.write_text("sag,indsats,afholdt\nS-1,I-1,2025-03-10\n", encoding="utf-8")
    result = _run("opfølgning", "frister", source, "--regelsæt", "herning", "--afholdte", held,
                  "--til", "2025-06-30", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    rows = data["frister"]
    assert set(rows[0]) == {"sag", "indsats", "nummer", "frist", "regel", "lovfrist",
                            "begrundelse"}
    s1 = [(r["nummer"], r["frist"]) for r in rows if r["sag"] == "S-1"]
    assert s1 == [(2, "2025-06-10")]  # held late on 10 March: + 3 months
    s2 = [r for r in rows if r["sag"] == "S-2"]
    assert (s2[0]["nummer"], s2[0]["frist"], s2[0]["lovfrist"]) == (1, "2025-01-10",
                                                                   "2025-01-10")
    assert s2[1]["lovfrist"] is None and s2[1]["frist"] == "2025-02-21"
    law = json.loads(_run("opfølgning", "frister", source, "--format", "json").output)
    assert [(r["sag"], r["frist"]) for r in law["frister"]] == [("S-1", "2025-04-30"),
                                                                 ("S-2", "2025-01-10")]


def test_frister_reports_bad_rows_with_file_line_and_field(tmp_path):
    source = tmp_path / "indsatser.csv"
    source.write_text("sag;indsats;type;start;undersøgelse_slut\n"
                      "S-1;I-1;forebyggende;2025-02-30;\n"
                      "S-2;I-1;ukendt;2025-01-01;\n", encoding="utf-8")
    result = _run("opfølgning", "frister", source, "--format", "json")
    assert result.exit_code == 1
    assert "indsatser.csv, linje 2, felt 'start'" in result.output
    assert "indsatser.csv, linje 3, felt 'type'" in result.output
    missing = tmp_path / "mangler.csv"
    missing.write_text("sag;indsats;start\nS-1;I-1;2025-01-01\n", encoding="utf-8")
    result = _run("opfølgning", "frister", missing)
    assert result.exit_code == 1 and "felt 'type'" in result.output


def test_sagstal_contract_on_a_file(tmp_path):
    source = tmp_path / "sager.csv"
    lines = ["sag,rådgiver,team,børn,start,slut"]
    lines += [f"A{n},Anna,Nord,{1 + n % 2},2024-01-01," for n in range(3)]
    lines += ["B1,Bo,Nord,1,2024-01-01,2025-05-01", "B2,Bo,Nord,2,2024-01-01,",
              "C1,Cy,Syd,1,2025-07-01,"]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _run("opfølgning", "sagstal", source, "--dato", "2025-06-01", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "rådgivere": [{"rådgiver": "Anna", "team": "Nord", "sager": 3, "børn": 4},
                      {"rådgiver": "Bo", "team": "Nord", "sager": 1, "børn": 2}],
        "teams": [{"team": "Nord", "rådgivere": 2, "gennemsnit_sager": 2.0, "højeste": 3,
                   "laveste": 1}],
        "i_alt": {"rådgivere": 2, "sager": 4, "børn": 6, "gennemsnit_sager": 2.0}}
    table = _run("opfølgning", "sagstal", source, "--dato", "2025-06-01")
    assert table.exit_code == 0 and "Nord" in table.output


def test_recording_on_a_project_and_the_due_list(tmp_path):
    folder = tmp_path / "projekt"
    create_project(folder, "Opfølgning CLI", actor="test").close()
    p = ("-p", folder)
    steps = [
        ("indsats", *p, "--sag", "S-1", "--indsats", "I-1", "--type", "forebyggende",
         "--start", "2025-01-06", "--rådgiver", "Anna", "--team", "Nord"),
        ("mål", *p, "--sag", "S-1", "--livsområde", "Familieforhold", "--type",
         "progression", "--tekst", "Færre konflikter", "--med", "barn", "--med", "forældre"),
        ("måling", *p, "--sag", "S-1", "--instrument", "skalering", "--dato", "2025-02-01",
         "--informant", "barn", "--score", "4", "--forventet", "6"),
        ("afholdt", *p, "--sag", "S-1", "--indsats", "I-1", "--dato", "2025-03-20",
         "--vurdering", "1=fremgang:Færre skænderier", "--beslutning", "fortsættes",
         "--plan", "6 uger", "--begrundelse", "Tæt på i en urolig periode",
         "--meddelt", "2025-03-21"),
    ]
    for step in steps:
        result = _run("opfølgning", *step)
        assert result.exit_code == 0, (step, result.output)
    listing = _run("opfølgning", "liste", *p, "--dato", "2025-05-10", "--rådgiver", "Anna")
    assert listing.exit_code == 0, listing.output
    assert "overskredet" in listing.output and "2025-05-01" in listing.output
    contract = json.loads(_run("opfølgning", "frister", *p, "--til", "2025-06-30",
                               "--format", "json").output)
    assert [(r["nummer"], r["frist"]) for r in contract["frister"]] == [(2, "2025-05-01"),
                                                                        (3, "2025-06-12")]
    caseload = json.loads(_run("opfølgning", "sagstal", *p, "--dato", "2025-05-10",
                               "--format", "json").output)
    assert caseload["i_alt"]["sager"] == 1 and set(caseload) == {"rådgivere", "teams", "i_alt"}
    table = _run("opfølgning", "sagstal", *p, "--dato", "2025-05-10")
    assert "første opfølgning inden for lovfristen 100 % (1 af 1)" in table.output
    page = _run("opfølgning", "sag", "S-1", *p, "--dato", "2025-05-10")
    assert page.exit_code == 0, page.output
    assert "fremgang (2025-03-20)" in page.output and "Næste frist: 2025-05-01" in page.output
    bad = _run("opfølgning", "måling", *p, "--sag", "S-1", "--instrument", "trivsel",
               "--dato", "2025-02-01", "--informant", "barn", "--score", "9")
    assert bad.exit_code == 1 and "uden for skalaen 1–5" in bad.output
