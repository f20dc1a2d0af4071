"""Importing measures, goals, measurements and held follow-ups from CSV: all or nothing,
idempotent, Danish errors with file, line and field (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from effektspor.cli.main import cli
from effektspor.domain.errors import ValidationError
from effektspor.services.authorization import Actor, PermissionDenied, Role
from effektspor.services.contract import unit_of_work
from effektspor.services.followup import due, importing
from effektspor.store import tables as t
from effektspor.store.tables_followup import FollowUp, Goal, Measure, Measurement

ANALYST = Actor("ida", Role.ANALYST)


def _files(folder, *, bad: bool = False):
    files = {
        "measures_path": ("sag;indsats;type;start;undersøgelse_slut;rådgiver;team\n"
                          "S-1;I-1;forebyggende;2025-01-06;;Anna;Nord\n"
                          "S-2;I-1;anbringelse_familiepleje;2025-02-01;2025-02-20;Bo;Syd\n"),
        "goals_path": ("sag;livsområde;type;mål;prioritet;lavet_med;indsats\n"
                       "S-1;Familieforhold;progression;Færre konflikter;1;barn|forældre;I-1\n"
                       "S-2;Netværk;fastholdelse;Ser bedsteforældrene;1;barn;\n"),
        "measurements_path": ("sag,instrument,dato,informant,score,forventet\n"
                              "S-1,skalering,2025-02-01,barn,4,6\n"
                              "S-1,skalering,2025-03-01,barn,6,\n"),
        "follow_ups_path": ("sag;indsats;afholdt;beslutning;deltagere;plan;plan_begrundelse\n"
                            "S-1;I-1;2025-05-20;;barn|mor;;\n"
                            "S-1;I-1;2025-03-20;fortsættes;barn|mor;2 måneder;Tæt kontakt\n"),
    }
    if bad:
        files["measures_path"] += "S-3;I-1;anbringelse;2025-13-01;\n"
        files["measurements_path"] += "S-9,trivsel,2025-03-01,nabo,7,\n"
    paths = {}
    for key, text in files.items():
        path = folder / f"{key}.csv"
        path.write_text(text, encoding="utf-8")
        paths[key] = path
    return paths


def _counts(project):
    with project.sessions() as session:
        return tuple(session.scalar(select(func.count()).select_from(table))
                     for table in (Measure, Goal, Measurement, FollowUp, t.Case))


def _import(project, paths, actor=ANALYST):
    with unit_of_work(project) as session:
        return importing.import_followup(session=session, actor=actor,
                                         project_id=project.project_id, **paths)


def test_import_is_complete_and_idempotent(project, tmp_path):
    paths = _files(tmp_path)
    summary = _import(project, paths)
    assert summary.added == {"indsatser": 2, "mål": 2, "målinger": 2, "opfølgninger": 2}
    assert _counts(project) == (2, 2, 2, 2, 2)
    again = _import(project, paths)
    assert again.added == {} and again.present["opfølgninger"] == 2
    assert _counts(project) == (2, 2, 2, 2, 2)
    with unit_of_work(project) as session:
        listing = due.due_list(session=session, actor=ANALYST,
                               project_id=project.project_id, day=date(2025, 6, 1))
    s1 = next(i for i in listing.items if i.follow_up.case == "S-1")
    # held in date order: the plan decided on 20 March gives 20 May, then 20 July
    assert (s1.follow_up.number, s1.follow_up.due) == (3, date(2025, 7, 20))


def test_bad_rows_are_all_reported_and_nothing_is_imported(project, tmp_path):
    paths = _files(tmp_path, bad=True)
    with pytest.raises(ValidationError) as caught:
        _import(project, paths)
    messages = [str(p) for p in caught.value.problems]
    assert any("measures_path.csv, linje 4, felt 'type'" in m for m in messages)
    assert any("measures_path.csv, linje 4, felt 'start'" in m for m in messages)
    assert any("measurements_path.csv, linje 4, felt 'sag'" in m for m in messages)
    assert "intet er importeret" in str(caught.value)
    assert _counts(project) == (0, 0, 0, 0, 0)


def test_only_importers_import(project, tmp_path):
    with pytest.raises(PermissionDenied):
        _import(project, _files(tmp_path), actor=Actor("anna", Role.CODER))


def test_the_cli_imports(project, tmp_path):
    paths = _files(tmp_path)
    result = CliRunner().invoke(cli, [
        "opfølgning", "importer", "-p", str(project.folder),
        "--indsatser", str(paths["measures_path"]), "--mål", str(paths["goals_path"])])
    assert result.exit_code == 0, result.output
    assert "indsatser: 2 nye, 0 fandtes allerede." in result.output
