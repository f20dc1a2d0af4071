"""The stable CLI contract: autokod/autocode and evaluer autokodning (via CliRunner)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from effektspor.cli.main import cli


def write_jsonl(path, records):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n",
                    encoding="utf-8")


def test_autokod_contract(tmp_path):
    source = tmp_path / "noter.jsonl"
    write_jsonl(source, [
        {"id": "n1", "text": "Mor tager ikke imod råd. Jeg er i tvivl om min tilgang."},
        {"id": 2, "text": "Familien har fået ny lejlighed.", "attention_point": "Samvær"},
    ])
    output = tmp_path / "koder.jsonl"
    result = CliRunner().invoke(cli, ["autokod", str(source), "-o", str(output)])
    assert result.exit_code == 0, result.output
    first, second = [json.loads(line) for line in output.read_text("utf-8").splitlines()]
    assert first["id"] == "n1" and second == {"id": 2, "codes": [], "segments": []}
    assert set(first["codes"]) == {"negativ_alliance", "tager_ikke_imod_raad",
                                   "professionel_tvivl"}
    text = "Mor tager ikke imod råd. Jeg er i tvivl om min tilgang."
    for segment in first["segments"]:
        assert set(segment) == {"code", "start", "end", "rule"}
        assert 0 <= segment["start"] < segment["end"] <= len(text)
    doubt = [s for s in first["segments"] if s["code"] == "professionel_tvivl"][0]
    assert text[doubt["start"]:doubt["end"]] == "tvivl"
    alias = CliRunner().invoke(cli, ["autocode", str(source), "-o", str(tmp_path / "b.jsonl")])
    assert alias.exit_code == 0
    assert (tmp_path / "b.jsonl").read_text("utf-8") == output.read_text("utf-8")


def test_autokod_bad_line_names_file_line_and_field_and_keeps_output(tmp_path):
    source = tmp_path / "noter.jsonl"
    write_jsonl(source, [{"id": "n1", "text": "ok"}, {"id": "n2"}])
    output = tmp_path / "koder.jsonl"
    output.write_text("gammelt indhold\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["autokod", str(source), "-o", str(output)])
    assert result.exit_code == 1
    assert "noter.jsonl" in result.output and "linje 2" in result.output
    assert "felt 'text'" in result.output
    assert output.read_text("utf-8") == "gammelt indhold\n"


def test_autokod_with_own_codebook(tmp_path):
    book = tmp_path / "kodebog.yaml"
    book.write_text('navn: Egen\nversion: "1"\nkoder:\n  - id: hund\n    navn: Hund\n'
                    '    regler:\n      - id: hund_ord\n        mønstre: ["hund"]\n',
                    encoding="utf-8")
    source = tmp_path / "noter.jsonl"
    write_jsonl(source, [{"id": "a", "text": "Familien har fået en hund."}])
    output = tmp_path / "ud.jsonl"
    result = CliRunner().invoke(cli, ["autokod", str(source), "-o", str(output),
                                      "--kodebog", str(book)])
    assert result.exit_code == 0, result.output
    assert json.loads(output.read_text("utf-8"))["segments"] == [
        {"code": "hund", "start": 21, "end": 25, "rule": "hund_ord"}]


def test_evaluer_autokodning_prints_metrics_and_disagreements(tmp_path):
    gold = tmp_path / "guld.jsonl"
    write_jsonl(gold, [
        {"id": "g1", "text": "Mor tager ikke imod råd.", "codes": ["negativ_alliance"]},
        {"id": "g2", "text": "Jeg er i tvivl om min tilgang.", "codes": ["professionel_tvivl"]},
        {"id": "g3", "text": "Mor er i tvivl om flytningen.", "codes": []},
        {"id": "g4", "text": "Vi ses igen tirsdag.", "codes": ["relationsarbejde"]},
    ])
    result = CliRunner().invoke(cli, ["evaluer", "autokodning", str(gold)],
                                terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "Cohens kappa" in result.output
    assert "negativ_alliance    præcision 1,00  genkaldelse 1,00  F1 1,00  kappa 1,00" in \
        result.output
    assert "negativ_alliance" in result.output and "indsatsjustering" in result.output
    assert "g4  relationsarbejde: mangler" in result.output
    assert "Uenigheder (1)" in result.output


def test_kodebog_valider_reports_errors(tmp_path):
    book = tmp_path / "fejl.yaml"
    book.write_text("navn: X\nkoder: []\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["kodebog", "valider", str(book)])
    assert result.exit_code == 1
    assert "fejl.yaml" in result.output and "felt 'version'" in result.output
    ok = CliRunner().invoke(cli, ["kodebog", "vis"], terminal_width=200)
    assert ok.exit_code == 0 and "reflekteret_indsatsjustering" in ok.output


def test_project_commands(tmp_path):
    from datetime import date

    from coding_factories import add_case_with_notes
    from effektspor.services.project import create_project

    folder = tmp_path / "projekt"
    with create_project(folder, "CLI-projekt") as project:
        add_case_with_notes(project, "SAG-7", [
            (date(2019, 1, 5), "Familieforhold", "Mor tager ikke imod rådene om søvn."),
            (date(2019, 1, 9), "Samvær", "Jeg er i tvivl om min tilgang. Vi øger besøgene."),
        ], team="Sandplay", attributes={"problemgrad": "Svær"})
    runner = CliRunner()

    def run(*args):
        result = runner.invoke(cli, list(args), terminal_width=200)
        assert result.exit_code == 0, result.output
        return result.output

    assert "2 notater autokodet" in run("autokod", "--projekt", str(folder))
    found = run("søg", "råd", "--projekt", str(folder), "--team", "Sandplay")
    assert "rådene" in found and "1 fund" in found
    assert "0 fund" in run("søg", "råd", "--projekt", str(folder),
                           "--attribut", "problemgrad=Let")
    assert "tvivl" in run("ordfrekvens", "--projekt", str(folder))
    overlap = run("kodeoverlap", "--projekt", str(folder))
    assert "Samforekomst af koder" in overlap and "│ 1 " in overlap
    assert "Professionel tvivl" in run("kodning", "oversigt", "--projekt", str(folder))
    archive = tmp_path / "ud.qdpx"
    assert "kodninger eksporteret" in run("refi", "eksport", "--projekt", str(folder), "-o",
                                          str(archive))
    assert archive.exists()
    qdc = tmp_path / "kodebog.qdc"
    run("kodebog", "eksporter", "-o", str(qdc))
    assert b"urn:QDA-XML:codebook:1.0" in qdc.read_bytes()
