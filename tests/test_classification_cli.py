"""The classification and recoding commands through click's CliRunner."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import func, select

from classification_helpers import add_cases
from effektspor.cli.main import cli
from effektspor.services.classification import case_table
from effektspor.store import tables as t
from effektspor.store.tables_analysis import RecodingResolution, RecodingRound

DOCS = {"S1": [("udskrivningsrapport", "Effektvurdering: Målene er ikke nået.")],
        "S2": [("udskrivningsrapport", "Familien er kommet i mål.")]}


def run(project, *args):
    result = CliRunner().invoke(cli, [*args, "--projekt", str(project.folder)])
    return result


def test_classify_suggest_confirm_and_table(project, tmp_path):
    add_cases(project, {"S1": "Sandplay", "S2": "Sandplay", "S3": "Sandplay"}, DOCS)
    result = run(project, "klassificer", "S3", "problemgrad", "svær", "--koder", "Leder A")
    assert result.exit_code == 0, result.output
    assert "problemgrad = 'Svær'" in result.output
    bad = run(project, "klassificer", "S3", "problemgrad", "værst", "--koder", "Leder A")
    assert bad.exit_code == 1 and "ikke en tilladt værdi" in bad.output
    result = run(project, "foreslå")
    assert result.exit_code == 0 and "Forslag for 3 sager" in result.output
    shown = run(project, "bekræft", "--vis")
    assert "Målene er ikke nået." in shown.output and "Ikke i mål" in shown.output
    assert run(project, "bekræft").exit_code != 0
    result = run(project, "bekræft", "S1")
    assert result.exit_code == 0 and "1 forslag er bekræftet" in result.output
    result = run(project, "bekræft", "--alle", "--afvis")
    assert "1 forslag er afvist" in result.output
    output = tmp_path / "sager.csv"
    result = run(project, "klassifikation", "tabel", "--ud", str(output))
    assert result.exit_code == 0, result.output
    lines = output.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "sag;team;maalopnaaelse;problemstilling;problemgrad"
    assert lines[1:] == ["S1;Sandplay;Ikke i mål;;", "S2;Sandplay;;;", "S3;Sandplay;;;Svær"]
    history = run(project, "klassifikation", "historik", "S2", "maalopnaaelse")
    assert "afvist" in history.output
    assert "familiesituation i fare" in run(project, "klassifikation", "variable").output


def test_import_errors_are_shown_in_danish(project, tmp_path):
    add_cases(project, {"S1": None})
    path = tmp_path / "værdier.csv"
    path.write_text("sag;problemgrad\nS1;Let\nS2;Svær\n", encoding="utf-8")
    result = run(project, "klassifikation", "importer", str(path), "--koder", "K")
    assert result.exit_code == 1
    assert "værdier.csv, linje 3, felt 'sag'" in result.output
    assert case_table(project)[0]["problemgrad"] is None


def test_recoding_round_from_the_command_line(project, tmp_path):
    add_cases(project, {f"S{i}": "Familieværkstedet" if i < 3 else "Sandplay"
                        for i in range(1, 7)})
    for case_id in ("S1", "S2", "S3"):
        assert run(project, "klassificer", case_id, "problemgrad", "Let",
                   "--koder", "Forsker").exit_code == 0
    sheet = tmp_path / "blind.csv"
    result = run(project, "rekodning", "udtræk", "--koder", "Leder", "--team",
                 "Familieværkstedet", "--antal", "1", "--frø", "4", "--variable",
                 "problemgrad", "--ud", str(sheet))
    assert result.exit_code == 0, result.output
    assert "Rekodningsrunde 1: 3 sager" in result.output
    cases = [line.split(";")[0] for line in sheet.read_text(encoding="utf-8-sig").splitlines()
             if line.startswith("S")]
    filled = "sag;problemgrad\n" + "\n".join(f"{c};{'Svær' if c == 'S1' else 'Let'}"
                                             for c in cases)
    sheet.write_text(filled + "\n", encoding="utf-8")
    result = run(project, "rekodning", "indlæs", "1", str(sheet))
    assert result.exit_code == 0 and "3 værdier" in result.output
    result = run(project, "rekodning", "uenigheder", "1")
    assert "1 uenigheder" in result.output and "Let (Forsker)" in result.output
    result = CliRunner().invoke(cli, ["rekodning", "afgør", "1", "S1", "problemgrad", "Mellem",
                                      "--begrundelse", "Familien er i krise, ikke i fare.",
                                      "--projekt", str(project.folder)],
                                env={"EFFEKTSPOR_KODER": "Faglig leder"})
    assert result.exit_code == 0, result.output
    assert {r["sag"]: r["problemgrad"] for r in case_table(project)}["S1"] == "Mellem"
    # The settlement is in the configured coder's name, not the login's.
    with project.sessions() as session:
        assert session.scalar(select(RecodingResolution.resolved_by)) == "Faglig leder"
        assert list(session.scalars(select(t.Event.actor).where(
            t.Event.action == "uenighed_afgjort"))) == ["Faglig leder"]
    assert "0 uenigheder" in run(project, "rekodning", "uenigheder", "1", "--åbne").output


def test_a_round_whose_sheet_cannot_be_written_is_not_kept(project, tmp_path):
    add_cases(project, {"S1": "Sandplay", "S2": "Sandplay"})
    result = run(project, "rekodning", "udtræk", "--koder", "Leder", "--team", "Sandplay",
                 "--frø", "1", "--ud", str(tmp_path / "blind.txt"))
    assert result.exit_code == 1 and "ukendt filtype" in result.output
    with project.sessions() as session:
        assert session.scalar(select(func.count(RecodingRound.id))) == 0
        assert session.scalar(select(func.count(t.Event.id)).where(
            t.Event.action == "rekodning_udtrukket")) == 0


def test_agreement_command_prints_json(project, tmp_path):
    import json

    add_cases(project, {f"S{i}": "Sandplay" for i in range(1, 5)})
    for case_id, value in (("S1", "Let"), ("S2", "Let"), ("S3", "Svær"), ("S4", "Mellem")):
        run(project, "klassificer", case_id, "problemgrad", value, "--koder", "Forsker")
    sheet = tmp_path / "blind.xlsx"
    assert run(project, "rekodning", "udtræk", "--koder", "Leder", "--team", "Sandplay",
               "--frø", "1", "--variable", "problemgrad", "--ud", str(sheet)).exit_code == 0
    filled = tmp_path / "retur.csv"
    filled.write_text("sag;problemgrad\nS1;Let\nS2;Mellem\nS3;Svær\nS4;Mellem\n",
                      encoding="utf-8")
    assert run(project, "rekodning", "indlæs", "1", str(filled)).exit_code == 0
    result = run(project, "enighed", "--runde", "1", "--format", "json", "--bootstrap", "50")
    assert result.exit_code == 0, result.output
    (report,) = json.loads(result.output)
    assert report["variabel"] == "problemgrad" and report["procent_enighed"] == 0.75
    assert report["uenigheder"] == [{"sag_id": "S2", "koder_a": "Let", "koder_b": "Mellem"}]
    table = run(project, "enighed", "--runde", "1", "--bootstrap", "50")
    assert "75,0 %" in table.output and "Uenighed i sag S2: Let / Mellem" in table.output
    assert run(project, "enighed", "--runde", "1", "--variabel", "maalopnaaelse").exit_code == 2
    neither = run(project, "enighed")
    assert neither.exit_code == 2 and "to CSV-filer" in neither.output


def test_yearly_report_command_writes_both_editions(project, tmp_path):
    add_cases(project, {f"S{i}": "Sandplay" for i in range(1, 7)})
    for i, value in enumerate(["I mål", "I mål", "I mål", "På vej", "Ikke i mål", "Ikke i mål"]):
        run(project, "klassificer", f"S{i + 1}", "maalopnaaelse", value, "--koder", "Leder")
    result = run(project, "årsrapport", "--ud", str(tmp_path / "r"), "--formater", "docx,html")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r" / "aarsrapport.docx").exists()
    assert (tmp_path / "r" / "aarsrapport.html").exists()
    assert not (tmp_path / "r" / "aarsrapport.xlsx").exists()
    result = run(project, "årsrapport", "--ud", str(tmp_path / "r"), "--pixi", "--formater",
                 "html")
    assert result.exit_code == 0, result.output
    html = (tmp_path / "r" / "aarsrapport-pixi.html").read_text(encoding="utf-8")
    assert "På vej" in html and "&lt;3" in html and "S4" not in html
    bad = run(project, "årsrapport", "--formater", "pdf")
    assert bad.exit_code == 1 and "Ukendt format" in bad.output


def test_code_agreement_command_without_codings_explains(project, tmp_path):
    add_cases(project, {"S1": "Sandplay", "S2": "Sandplay"})
    assert run(project, "rekodning", "udtræk", "--koder", "Leder", "--team", "Sandplay",
               "--frø", "1", "--ud", str(tmp_path / "b.csv")).exit_code == 0
    result = run(project, "rekodning", "kodeenighed", "1", "--første-koder", "maskine")
    assert result.exit_code == 1 and "maskine har ingen kodninger" in result.output


def test_case_table_with_derived_variables(project, tmp_path):
    add_cases(project, {"S1": "Sandplay"})
    output = tmp_path / "sager.csv"
    result = run(project, "klassifikation", "tabel", "--afledte", "--ud", str(output))
    assert result.exit_code == 0, result.output
    header, row = output.read_text(encoding="utf-8-sig").splitlines()
    assert header.endswith("negativ_alliance;positiv_alliance;professionel_tvivl;"
                           "relationsarbejde;indsatsjustering;reflekteret_indsatsjustering")
    assert row == "S1;Sandplay;;;;nej;nej;nej;nej;nej;nej"
