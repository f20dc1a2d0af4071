"""Tests of the documentation service: facts from the store, the report files, the log."""

from __future__ import annotations

from datetime import date, timedelta

import docx
import openpyxl
import pytest
from sqlalchemy import select

from effektspor.domain.errors import EffektsporError
from effektspor.services.authorization import Actor, Role
from effektspor.services.contract import unit_of_work
from effektspor.services.events import list_events
from effektspor.services.reports.documentation import (
    load_case_facts,
    write_documentation_report,
)
from effektspor.store import tables as t


def analysis_tables(html: str) -> list[str]:
    """The table captions of a rendered report."""
    import re

    return re.findall(r"<figcaption>(Tabel \d+: [^<]+)</figcaption>", html)


def _point_id(session, version: str, name: str) -> int:
    return session.scalar(
        select(t.AttentionPoint.id).join(t.AttentionPointScheme)
        .where(t.AttentionPointScheme.version == version, t.AttentionPoint.name == name))


def _fill(project) -> None:
    """Three closed cases and one open, written straight into the core tables."""
    specs = [  # id, team, grants, days, discharge text, notes (day offset, version, point)
        ("S1", "Sandplay", 1, 90, "Udskrivningsrapport\n\nEffektvurdering: I mål.",
         [(3, "2019", "Samvær"), (30, "2019", "Samvær"), (80, "2019", "Generelle notater")]),
        ("S2", "Sandplay", 4, 400, "Udskrivningsrapport\n\nEffektvurdering: Se statusrapport.",
         [(10, "2018", "Barnets personlighed"), (300, "2019", "Samvær")]),
        ("S3", "Familier massiv", 2, 200, None, []),
        ("S4", "Familier massiv", 1, 60, None, [(5, "2019", "Netværk")]),
    ]
    with project.transaction() as session:
        for case_id, team, grants, days, discharge, notes in specs:
            end = date(2019, 10, 1)
            start = end - timedelta(days=days)
            closed = case_id != "S4"
            case = t.Case(project_id=project.project_id, external_id=case_id, team=team,
                          start_date=start, end_date=end if closed else None, closed=closed,
                          closed_year=2019 if closed else None,
                          attributes={"bopæl": "by"})
            session.add(case)
            session.flush()
            for k in range(grants):
                session.add(t.Grant(case_id=case.id, start_date=start, content_hash=f"g{k}"))
            session.add(t.Document(case_id=case.id, doc_type="handleplan", text="Mål 1: ...",
                                   content_hash="h1", doc_date=start))
            if discharge:
                session.add(t.Document(case_id=case.id, doc_type="udskrivningsrapport",
                                       text=discharge, content_hash="u1", doc_date=end))
            for k, (offset, version, point) in enumerate(notes):
                session.add(t.Note(case_id=case.id, note_date=start + timedelta(days=offset),
                                   attention_point_id=_point_id(session, version, point),
                                   text="Anna Skov var glad i dag.", content_hash=f"n{k}"))


def test_load_case_facts_reads_the_store(project):
    _fill(project)
    with project.sessions() as session:
        facts = {f.case_id: f for f in load_case_facts(session, project.project_id)}
    assert set(facts) == {"S1", "S2", "S3", "S4"}
    assert facts["S2"].n_grants == 4 and facts["S2"].document_types["handleplan"] == 1
    assert facts["S1"].discharge_assessments == ["I mål"]
    assert [(n.scheme, n.attention_point) for n in facts["S2"].notes] == [
        ("2018", "Barnets personlighed"), ("2019", "Samvær")]
    with project.sessions() as session:
        closed = load_case_facts(session, project.project_id, closed_year=2019)
    assert {f.case_id for f in closed} == {"S1", "S2", "S3"}


def test_report_files_have_the_numbers_and_no_identifiers(project, tmp_path):
    _fill(project)
    with unit_of_work(project) as session:
        result = write_documentation_report(
            session=session, actor=Actor("tester", Role.ANALYST),
            project_id=project.project_id, folder=tmp_path / "rapport")
    analysis = result.analysis
    assert analysis.n_closed == 3 and analysis.n_usable_discharge == 1
    assert analysis.n_closed_without_discharge == 1
    html = result.paths["html"].read_text(encoding="utf-8")
    assert "Tabel 1: Sager fordelt på indsatsteam" in html
    assert html.count("Celleindhold:") == html.count("<table") == len(analysis_tables(html))
    for secret in ("S1", "S2", "Anna", "Skov"):
        assert f">{secret}<" not in html and f" {secret} " not in html
    document = docx.Document(str(result.paths["docx"]))
    team_table = document.tables[0]
    assert [c.text for c in team_table.rows[0].cells][:3] == ["Indsatsteam", "Sager", "Afsluttede"]
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in team_table.rows[1:]}
    assert rows["Sandplay"][1:4] == ["2", "2", "1 (50%)"]
    assert rows["I alt"][1:4] == ["4", "3", "1 (33%)"]
    workbook = openpyxl.load_workbook(result.paths["xlsx"])
    assert len(workbook.sheetnames) == len(document.tables) + 1
    with project.sessions() as session:
        events = list_events(session, project_id=project.project_id, action="rapport_skrevet")
    assert events and events[0].actor == "tester" and events[0].details["sager"] == 4


def test_empty_project_gives_a_danish_error(project, tmp_path):
    with pytest.raises(EffektsporError, match="ingen sager"), unit_of_work(project) as session:
        write_documentation_report(session=session, actor=Actor("tester", Role.ANALYST),
                                   project_id=project.project_id, folder=tmp_path)
