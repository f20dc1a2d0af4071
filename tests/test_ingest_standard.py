"""Import of the standard export layout: counts, idempotence, changes, problems, dry run."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from effektspor.domain.errors import ValidationError
from effektspor.services.events import list_events
from effektspor.services.importing.imports import import_paths
from effektspor.store import tables as t
from ingest_helpers import NOTATER, SAGER, row_counts, write_export


def test_standard_layout_imports_everything(project, tmp_path):
    export = write_export(tmp_path / "eksport")
    summary = import_paths(project, [export], actor="test")
    assert summary.cases_created == 2
    assert summary.notes == 3
    assert summary.grants == 1
    assert summary.persons == 2
    assert summary.documents_by_type == {"Udskrivningsrapport": 1, "Handleplan": 1}
    assert summary.problems == []
    with project.sessions() as session:
        cases = {c.external_id: c for c in session.scalars(select(t.Case))}
        notes = list(session.scalars(select(t.Note).order_by(t.Note.note_date)))
        points = {p.id: p.name for p in session.scalars(select(t.AttentionPoint))}
        doc = session.scalar(select(t.Document).where(t.Document.doc_type == "handleplan"))
        run = session.scalar(select(t.ImportRun))
        events = list_events(session, project_id=project.project_id, action="import")
    assert cases["S1"].closed and cases["S1"].closed_year == 2019
    assert not cases["S2"].closed and cases["S2"].closed_year is None
    assert cases["S1"].attributes == {"bopæl": "by", "netværk": "stærkt"}
    assert [points[n.attention_point_id] for n in notes] == [
        "Barnets personlighed", "Samvær", "Beskrivelse af barnet"]
    assert notes[2].text == "Drengen legede roligt.\nHan spurgte efter far."
    assert notes[2].source_line == 3
    assert doc.title == "første plan" and doc.doc_date.isoformat() == "2019-01-15"
    assert run.summary["notes"] == 3 and run.actor == "test"
    assert len(events) == 1 and events[0].object_id == str(run.id)


def test_reimport_adds_nothing(project, tmp_path):
    export = write_export(tmp_path / "eksport")
    import_paths(project, [export], actor="test")
    before = row_counts(project)
    again = import_paths(project, [export], actor="test")
    after = row_counts(project)
    assert again.notes == again.grants == again.persons == again.documents == 0
    assert again.cases_created == again.cases_updated == 0
    assert again.duplicates == 3 + 1 + 2 + 2
    assert after["notes"] == before["notes"] == 3
    assert after["import_runs"] == before["import_runs"] + 1


def test_changed_note_is_updated_and_reported(project, tmp_path):
    export = write_export(tmp_path / "eksport")
    import_paths(project, [export], actor="test")
    changed = NOTATER.replace("var glad.", "var glad og rolig.")
    write_export(export, notes=changed)
    summary = import_paths(project, [export], actor="test")
    assert summary.changed_count == 1 and summary.notes == 0
    assert "notat 'N1' i sag S1 er ændret" in summary.changed[0]
    with project.sessions() as session:
        texts = sorted(session.scalars(select(t.Note.text)))
    assert len(texts) == 3
    assert "Mor mødte op til samvær og var glad og rolig." in texts


def test_notes_for_unknown_case_create_it(project, tmp_path):
    notes = NOTATER + "S9;2019-04-01;Samvær;familiebehandler;Et notat.;N9\n"
    export = write_export(tmp_path / "eksport", notes=notes)
    summary = import_paths(project, [export], actor="test")
    assert summary.cases_created == 2
    assert summary.cases_created_from == {"notater": 1}


def test_problems_are_all_reported_and_nothing_written(project, tmp_path):
    bad = NOTATER + (
        "S1;2019-13-45;Samvær;familiebehandler;Dato forkert;N4\n"
        "S1;2019-04-01;Ukendt punkt;familiebehandler;Punkt forkert;N5\n"
        ";2019-04-01;Samvær;familiebehandler;Ingen sag;N6\n"
        "S1;2019-04-01;Samvær;familiebehandler;   ;N7\n"
        "S1;2019-04-01;Samvær\n")
    export = write_export(tmp_path / "eksport", notes=bad, documents={
        "S1_2019-01-01_ukendttype.txt": "x"})
    (export / "noget.csv").write_text("a;b\n", encoding="utf-8")
    before = row_counts(project)
    with pytest.raises(ValidationError) as caught:
        import_paths(project, [export], actor="test")
    assert row_counts(project) == before
    shown = [str(p) for p in caught.value.problems]
    assert any("notater.csv, linje 6, felt 'dato'" in s and "ikke en gyldig dato" in s
               for s in shown)
    assert any("linje 7, felt 'opmærksomhedspunkt'" in s and "skemaet 2019" in s for s in shown)
    assert any("linje 8, felt 'sag_id': feltet er tomt" in s for s in shown)
    assert any("linje 9, felt 'tekst': feltet er tomt" in s for s in shown)
    assert any("linje 10" in s and "har 3 felter" in s for s in shown)
    assert any("dokumenttypen 'ukendttype' kendes ikke" in s for s in shown)
    assert any("noget.csv" in s and "kendes ikke i standardlayoutet" in s for s in shown)
    assert len(shown) == 7


def test_dry_run_writes_nothing(project, tmp_path):
    export = write_export(tmp_path / "eksport")
    before = row_counts(project)
    summary = import_paths(project, [export], actor="test", dry_run=True)
    assert summary.notes == 3 and summary.cases_created == 2 and summary.dry_run
    assert row_counts(project) == before


def test_skipped_files_are_listed(project, tmp_path):
    export = write_export(tmp_path / "eksport")
    (export / "_noter.txt").write_text("privat", encoding="utf-8")
    (export / "dokumenter" / ".DS_Store").write_text("x", encoding="utf-8")
    summary = import_paths(project, [export], actor="test")
    assert "eksport/_noter.txt" in summary.skipped
    assert "dokumenter/.DS_Store" in summary.skipped


def test_changed_document_is_updated(project, tmp_path):
    export = write_export(tmp_path / "eksport")
    import_paths(project, [export], actor="test")
    (export / "dokumenter" / "S1_2019-09-30_udskrivningsrapport.txt").write_text(
        "Udskrivning: målene er delvist nået.", encoding="utf-8")
    summary = import_paths(project, [export], actor="test")
    assert summary.changed_count == 1 and summary.documents == 0
    assert "dokument 'S1_2019-09-30_udskrivningsrapport.txt' i sag S1 er ændret" in (
        summary.changed[0])
    with project.sessions() as session:
        texts = sorted(session.scalars(select(t.Document.text)))
    assert texts == ["Mål: tryg hverdag.", "Udskrivning: målene er delvist nået."]


def test_case_fields_changed_are_updated(project, tmp_path):
    export = write_export(tmp_path / "eksport")
    import_paths(project, [export], actor="test")
    write_export(export, cases=SAGER.replace("S2;Sandplay;01-02-2019;;nej",
                                             "S2;Sandplay;01-02-2019;2019-11-01;ja"))
    summary = import_paths(project, [export], actor="test")
    assert summary.cases_updated == 1 and summary.cases_created == 0
    assert "sag S2 er ændret (slutdato, afsluttet, afslutningsår)" in summary.changed[0]
    with project.sessions() as session:
        case = session.scalar(select(t.Case).where(t.Case.external_id == "S2"))
    assert case.closed and case.closed_year == 2019


def test_persons_stay_out_of_messages(project, tmp_path):
    persons = "sag_id;rolle;navn;cpr\nS1;nabo;Hemmelig Testperson;12345\n"
    export = write_export(tmp_path / "eksport")
    (export / "personer.csv").write_text(persons, encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        import_paths(project, [export], actor="test")
    shown = " ".join(str(p) for p in caught.value.problems)
    assert "felt 'rolle': ukendt rolle" in shown and "felt 'cpr'" in shown
    assert "Hemmelig" not in shown and "12345" not in shown


def test_progress_reports_bytes_up_to_the_total(project, tmp_path):
    export = write_export(tmp_path / "eksport")
    calls: list[tuple[int, int]] = []
    import_paths(project, [export], actor="test", progress=lambda d, n: calls.append((d, n)))
    total = sum(p.stat().st_size for p in export.rglob("*") if p.is_file())
    assert calls[-1] == (total, total)
    assert all(done <= size for done, size in calls)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_project_status_counts(project, tmp_path):
    from effektspor.services.contract import local_actor, unit_of_work
    from effektspor.services.project.status import project_status

    import_paths(project, [write_export(tmp_path / "eksport")], actor="test")
    with unit_of_work(project) as session:
        status = project_status(session=session, actor=local_actor(project),
                                project_id=project.project_id)
    assert (status.cases, status.open_cases, status.closed_by_year) == (2, 1, {2019: 1})
    assert status.documents_by_type == {"Handleplan": 1, "Udskrivningsrapport": 1}
    assert (status.notes, status.grants, status.persons) == (3, 1, 2)
    assert [(r.actor, r.notes, r.documents) for r in status.import_runs] == [("test", 3, 2)]
