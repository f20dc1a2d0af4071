"""The CLI contract: pseudonymiser (file and project), genidentificer, evaluer."""

import json
from datetime import date

from click.testing import CliRunner
from sqlalchemy import select

from effektspor.cli.main import cli
from effektspor.domain.text import content_hash
from effektspor.services.project import create_project
from effektspor.store import tables as t


def _write(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")


def test_file_contract_offsets_and_labels(tmp_path):
    source = tmp_path / "ind.jsonl"
    text = ("Mor (Jannie Holm) ringede fra +45 28 45 91 07 om Frejas cpr 150318-4127. "
            "Skriv til jh@mail.dk. Familien bor på Tulipanvej 14, 8900 Randers C "
            "og Freja går på Vestervangsskolen. Bjørn Qvort kom også.")
    _write(source, [{"id": "n1", "text": text, "known": [{"text": "Bjørn Qvort",
                                                          "label": "NAVN"}]},
                    {"id": 2, "text": "Ingen identifikatorer her."}])
    target = tmp_path / "ud.jsonl"
    for command in ("pseudonymiser", "pseudonymize"):
        result = CliRunner().invoke(cli, [command, str(source), "-o", str(target)])
        assert result.exit_code == 0, result.output
        lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
        assert [line["id"] for line in lines] == ["n1", 2]
        spans = lines[0]["spans"]
        found = {(text[s["start"]:s["end"]], s["label"]) for s in spans}
        assert found == {("Jannie Holm", "NAVN"), ("+45 28 45 91 07", "TELEFON"),
                         ("Frejas", "NAVN"), ("150318-4127", "CPR"), ("jh@mail.dk", "EMAIL"),
                         ("Tulipanvej 14, 8900 Randers C", "ADRESSE"), ("Freja", "NAVN"),
                         ("Vestervangsskolen", "STED"), ("Bjørn Qvort", "NAVN")}
        rebuilt, position = [], 0
        for span in spans:
            rebuilt += [text[position:span["start"]], span["replacement"]]
            position = span["end"]
        assert "".join(rebuilt) + text[position:] == lines[0]["text"]
        assert lines[1] == {"id": 2, "text": "Ingen identifikatorer her.", "spans": []}


def test_bad_input_names_line_and_field_and_writes_nothing(tmp_path):
    source = tmp_path / "ind.jsonl"
    source.write_text('{"id": 1, "text": "ok"}\n{"id": 2}\nikke json\n', encoding="utf-8")
    target = tmp_path / "ud.jsonl"
    result = CliRunner().invoke(cli, ["pseudonymiser", str(source), "-o", str(target)])
    assert result.exit_code == 1
    assert "linje 2, felt 'text'" in result.output
    assert "linje 3" in result.output
    assert not target.exists()


def test_evaluate_command(tmp_path):
    gold = tmp_path / "guld.jsonl"
    text = "Liv græd. Ring til 28 45 91 07."
    _write(gold, [{"id": "g1", "text": text, "spans": [
        {"start": 0, "end": 3, "label": "NAVN"}, {"start": 19, "end": 30, "label": "TELEFON"},
        {"start": 10, "end": 14, "label": "STED"}]}])
    result = CliRunner().invoke(cli, ["evaluer", "pseudonymisering", str(gold)])
    assert result.exit_code == 0, result.output
    assert "TELEFON" in result.output and "Oversete (1)" in result.output
    assert "[Ring]" in result.output


def test_project_mode_and_reidentification(tmp_path, monkeypatch):
    folder = tmp_path / "projekt"
    with create_project(folder, "CLI-test", actor="test") as project, \
            project.transaction() as session:
        point = session.scalar(select(t.AttentionPoint.id).limit(1))
        case = t.Case(project_id=project.project_id, external_id="S9")
        session.add(case)
        session.flush()
        session.add(t.Note(case_id=case.id, note_date=date(2019, 1, 2), attention_point_id=point,
                           text="Oscar legede med Noah. Storm og regn gjorde turen kort.",
                           content_hash="x"))
        session.add(t.Person(case_id=case.id, role="barn", name="Oscar Lund", cpr=None,
                             content_hash=content_hash("S9", "barn", "Oscar Lund")))
    monkeypatch.setenv("EFFEKTSPOR_NOEGLE", "en god lang kode")
    vault = tmp_path / "nøgler"
    result = CliRunner().invoke(cli, ["pseudonymiser", "--projekt", str(folder),
                                      "--nøglefil", str(vault)])
    assert result.exit_code == 0, result.output
    assert "1 notater" in result.output
    result = CliRunner().invoke(cli, ["gennemsyn-pseudonymisering", "--projekt", str(folder)])
    assert result.exit_code == 0, result.output
    assert "beholdt" in result.output and "Storm" in result.output
    result = CliRunner().invoke(cli, ["genidentificer", "--projekt", str(folder),
                                      "--nøglefil", str(vault), "--admin", "Admin",
                                      "--pseudonym", "Barn 1"])
    assert result.exit_code == 0, result.output
    assert "Oscar Lund" in result.output
    monkeypatch.setenv("EFFEKTSPOR_NOEGLE", "forkert kode!!")
    result = CliRunner().invoke(cli, ["genidentificer", "--projekt", str(folder),
                                      "--nøglefil", str(vault), "--admin", "Admin"])
    assert result.exit_code == 1
    assert "Forkert adgangskode" in result.output
