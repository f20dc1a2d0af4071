"""The analysis services of the web app: crosstabs, drill-down with quotes (only for those
who may read case text, and logged), configurations and report downloads."""

from __future__ import annotations

import zipfile
from collections import Counter

import pytest
from sqlalchemy import select

from classification_helpers import call
from effektspor.domain.errors import EffektsporError
from effektspor.services.analysis.configurations import configuration_cases, configurations
from effektspor.services.analysis.crosstabs import analyse_crosstab, drill_down
from effektspor.services.authorization import Actor, PermissionDenied, Role
from effektspor.services.classification.tables import case_table
from effektspor.services.reports.downloads import generate_report, report_offers
from effektspor.store.tables import Event
from web_seed_analysis import seed_analysis

ANALYST = Actor("analytiker1", Role.ANALYST)
LEADER = Actor("leder1", Role.LEADER)
GRANTED_LEADER = Actor("leder2", Role.LEADER, case_text_granted=True)
OUTCOMES = ["I mål", "På vej", "Ikke i mål"]


@pytest.fixture
def seeded(seeded_project):
    return seeded_project(seed_analysis)


def _events(project, action: str) -> list[Event]:
    with project.sessions() as session:
        return list(session.scalars(select(Event).where(Event.action == action)
                                    .order_by(Event.id)))


def test_crosstab_counts_match_the_case_table_of_the_yearly_report(seeded):
    rows = [r for r in call(seeded, case_table, derived=True) if r["maalopnaaelse"]]
    expected = Counter((r["problemgrad"], r["maalopnaaelse"]) for r in rows)
    with seeded.sessions() as session:
        view = analyse_crosstab(session=session, actor=LEADER, project_id=seeded.project_id,
                                rows="problemgrad", cols="maalopnaaelse")
    table = view.table
    assert view.title == "Tabel 3 – Problemgrad fordelt på målopnåelse"
    assert table.rows == ["Svær", "Mellem", "Let"] and table.cols == OUTCOMES
    assert table.counts == [[expected[(r, c)] for c in OUTCOMES] for r in table.rows]
    assert table.total == len(rows) > 5
    j = 0
    assert table.percent[0][j] == (200 * table.counts[0][j] + table.col_totals[j]) // (
        2 * table.col_totals[j])
    assert view.reading.method.startswith("Fisher–Freeman–Halton")
    assert ("ikke statistisk signifikant" in view.reading.wording) == (
        view.reading.significant is False)


def test_alliance_multi_response_and_one_way_tables(seeded):
    rows = [r for r in call(seeded, case_table, derived=True) if r["maalopnaaelse"]]
    with seeded.sessions() as session:
        alliance = analyse_crosstab(session=session, actor=ANALYST, project_id=seeded.project_id,
                                    rows="flersvar:alliance", cols="maalopnaaelse")
        outcome = analyse_crosstab(session=session, actor=ANALYST, project_id=seeded.project_id,
                                   rows="maalopnaaelse")
    assert alliance.table.multi_response
    assert alliance.row_labels[0] == "Negative alliancebeskrivelser"
    negative = [sum(1 for r in rows if r["maalopnaaelse"] == c and r["negativ_alliance"] == "ja")
                for c in OUTCOMES]
    assert alliance.table.counts[0] == negative
    assert outcome.one_way and outcome.table.row_totals == [
        sum(1 for r in rows if r["maalopnaaelse"] == c) for c in OUTCOMES]


def test_invalid_choices_give_danish_errors(seeded):
    with seeded.sessions() as session:
        for rows, cols, message in (("findes_ikke", "", "findes ikke"),
                                    ("team", "team", "to forskellige"),
                                    ("flersvar:alliance", "", "kolonnevariabel")):
            with pytest.raises(EffektsporError, match=message):
                analyse_crosstab(session=session, actor=ANALYST, project_id=seeded.project_id,
                                 rows=rows, cols=cols)


def test_drill_down_shows_quotes_only_to_case_readers_and_logs_them(seeded):
    args = {"project_id": seeded.project_id, "rows": "problemgrad", "cols": "maalopnaaelse"}
    with seeded.sessions() as session:
        table = analyse_crosstab(session=session, actor=ANALYST, **args).table
        i, j = next((i, j) for i in range(3) for j in range(3) if table.counts[i][j])
        cell = {"row_value": table.rows[i], "col_value": table.cols[j]}
        leader = drill_down(session=session, actor=LEADER, **args, **cell)
        session.commit()
    assert [c.number for c in leader.cases] == table.cell_cases[i][j]
    assert not leader.quotes_shown and all(c.evidence is None for c in leader.cases)
    assert _events(seeded, "analyse_citater_vist") == []
    with seeded.sessions() as session:
        analyst = drill_down(session=session, actor=ANALYST, **args, **cell)
        granted = drill_down(session=session, actor=GRANTED_LEADER, **args, **cell)
        session.commit()
    assert analyst.quotes_shown and granted.quotes_shown
    first = analyst.cases[0].evidence
    assert {e.variable for e in first.values} == {"Problemgrad", "Målopnåelse"}
    assert any(e.quote for e in first.values)  # confirmed suggestions carry their quote
    events = _events(seeded, "analyse_citater_vist")
    assert [e.actor for e in events] == ["analytiker1", "leder2"]
    assert events[0].details["sager"] == table.cell_cases[i][j]


def test_drill_down_of_codes_lists_coded_passages_with_date_and_attention_point(seeded):
    with seeded.sessions() as session:
        view = drill_down(session=session, actor=ANALYST, project_id=seeded.project_id,
                          rows="flersvar:alliance", cols="maalopnaaelse",
                          row_value="kode:negativ_alliance")
        everyone = drill_down(session=session, actor=ANALYST, project_id=seeded.project_id,
                              rows="flersvar:alliance", cols="maalopnaaelse")
    assert view.cases and len(everyone.cases) >= len(view.cases)
    passages = [p for c in view.cases for p in c.evidence.passages]
    assert passages and all(p.on and p.attention_point and p.quote for p in passages)
    assert all(p.quote in (p.before + p.quote + p.after) for p in passages)
    with pytest.raises(EffektsporError, match="findes ikke i tabellen"), \
            seeded.sessions() as session:
        drill_down(session=session, actor=ANALYST, project_id=seeded.project_id,
                   rows="problemgrad", cols="maalopnaaelse", row_value="Ukendt")


def test_configurations_truth_table_and_its_cases(seeded):
    conditions = ["kode:professionel_tvivl", "kode:indsatsjustering", "problemgrad=Let"]
    rows = [r for r in call(seeded, case_table, derived=True) if r["maalopnaaelse"]
            and r["problemgrad"]]
    with seeded.sessions() as session:
        view = configurations(session=session, actor=LEADER, project_id=seeded.project_id,
                              outcome="maalopnaaelse=I mål", conditions=conditions)
    assert view.cases == len(rows)
    reached = sum(1 for r in rows if r["maalopnaaelse"] == "I mål")
    assert sum(r.with_outcome for r in view.rows) == reached
    for row in view.rows:
        members = [r for r in rows if (
            int(r["professionel_tvivl"] == "ja"), int(r["indsatsjustering"] == "ja"),
            int(r["problemgrad"] == "Let")) == row.values]
        assert row.n == len(members)
        assert row.with_outcome == sum(1 for r in members if r["maalopnaaelse"] == "I mål")
        assert row.consistency == pytest.approx(row.with_outcome / row.n)
        if reached:
            assert row.coverage == pytest.approx(row.with_outcome / reached)
    with seeded.sessions() as session:
        cases = configuration_cases(session=session, actor=LEADER, project_id=seeded.project_id,
                                    outcome="maalopnaaelse=I mål", conditions=conditions,
                                    configuration=view.rows[0].code)
        assert len(cases.cases) == view.rows[0].n and not cases.quotes_shown
        with pytest.raises(EffektsporError, match="mellem 2 og 4"):
            configurations(session=session, actor=LEADER, project_id=seeded.project_id,
                           outcome="maalopnaaelse=I mål", conditions=conditions[:1])
        with pytest.raises(EffektsporError, match="også være en betingelse"):
            configurations(session=session, actor=LEADER, project_id=seeded.project_id,
                           outcome="problemgrad=Let", conditions=conditions)


def _docx_text(path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml").decode()


def test_report_downloads_by_role_and_logged(seeded):
    offers = {o.kind.key: o.allowed for o in report_offers(actor=LEADER)}
    assert offers == {"aarsrapport": False, "aarsrapport-pixi": True,
                      "dokumentationsanalyse": True}
    with seeded.sessions() as session:
        with pytest.raises(PermissionDenied):
            generate_report(session=session, project_id=seeded.project_id, actor=LEADER,
                            report="aarsrapport", fmt="docx")
        pixi = generate_report(session=session, project_id=seeded.project_id, actor=LEADER,
                               report="aarsrapport-pixi", fmt="docx")
        full = generate_report(session=session, project_id=seeded.project_id, actor=ANALYST,
                               report="aarsrapport", fmt="docx")
        with pytest.raises(EffektsporError, match="Formatet"):
            generate_report(session=session, project_id=seeded.project_id, actor=ANALYST,
                            report="aarsrapport", fmt="pdf")
        session.commit()
    try:
        assert pixi.filename.startswith("Årsrapport (pixi)") and pixi.filename.endswith(".docx")
        pixi_text, full_text = _docx_text(pixi.path), _docx_text(full.path)
        # the pixi edition has no case numbers and no quotes (evidence or coded passages)
        assert "FC19-" not in pixi_text and "»" not in pixi_text and "«" not in pixi_text
        assert "FC19-" in full_text and "»" in full_text
    finally:
        pixi.cleanup()
        full.cleanup()
    assert not pixi.path.exists()
    events = _events(seeded, "rapport_hentet")
    assert [(e.actor, e.object_id, e.details["format"]) for e in events] == [
        ("leder1", "aarsrapport-pixi", "docx"), ("analytiker1", "aarsrapport", "docx")]


def test_derived_code_shows_the_doubt_and_the_adjustment_that_followed(seeded):
    rows = call(seeded, case_table, derived=True)
    reflected = [r["sag"] for r in rows if r["reflekteret_indsatsjustering"] == "ja"]
    assert reflected, "the synthetic corpus has cases with reflected adjustment"
    with seeded.sessions() as session:
        view = drill_down(session=session, actor=ANALYST, project_id=seeded.project_id,
                          rows="kode:reflekteret_indsatsjustering", row_value="ja")
    assert [c.number for c in view.cases] == reflected
    for case in view.cases:
        first, then = case.evidence.passages
        assert first.code == "Reflekteret indsatsjustering: professionel tvivl"
        assert then.code == "Reflekteret indsatsjustering: derefter indsatsjustering"
        assert (first.on, first.note_id) <= (then.on, then.note_id)


def test_drill_down_hides_the_cases_of_the_actors_blind_recoding_sample(seeded):
    from web_seed_recoding import assign

    coder = Actor("koder1", Role.CODER)
    with seeded.sessions() as session:
        before = drill_down(session=session, actor=coder, project_id=seeded.project_id,
                            rows="problemgrad", cols="maalopnaaelse")
    shown = [case.number for case in before.cases]
    assert before.hidden_blind == 0 and len(shown) > 3
    round_id = assign(seeded, coder="koder1", teams=[], n_random=15, seed=11)
    from effektspor.services.contract import unit_of_work
    from effektspor.services.recoding.rounds import list_rounds

    with unit_of_work(seeded) as session:
        sample = next(r for r in list_rounds(session=session, actor=ANALYST,
                                             project_id=seeded.project_id)
                      if r.id == round_id).case_ids
    with seeded.sessions() as session:
        blind_view = drill_down(session=session, actor=coder, project_id=seeded.project_id,
                                rows="problemgrad", cols="maalopnaaelse")
        other_view = drill_down(session=session, actor=ANALYST, project_id=seeded.project_id,
                                rows="problemgrad", cols="maalopnaaelse")
    in_table = [case for case in sample if case in shown]
    assert blind_view.hidden_blind == len(in_table) > 0
    assert not {case.number for case in blind_view.cases} & set(sample)
    assert [case.number for case in other_view.cases] == shown  # nobody else is affected
