"""Services of the web's classification sheet, queue and case-list filters (SQLite + PG)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from classification_helpers import call, classify, count_events, count_values
from effektspor.domain.errors import EffektsporError, ValidationError
from effektspor.services.authorization import Actor, PermissionDenied, Role
from effektspor.services.cases.case_list import list_cases
from effektspor.services.classification.queue import classification_queue, next_case_id
from effektspor.services.classification.sheet import view_sheet
from effektspor.services.classification.values import (
    BlindRecodingCase,
    ClassificationConflict,
    import_values,
    set_value,
    value_history,
)
from effektspor.store import tables as t
from effektspor.store.tables_analysis import CaseVariable, RecodingValue
from effektspor.store.tables_coding import Coding
from web_seed import seed_cases
from web_seed_classification import seed_suggestions
from web_seed_recoding import assign

CODER = Actor("koder1", Role.CODER)
OTHER = Actor("koder2", Role.CODER)
LEADER = Actor("leder1", Role.LEADER)


@pytest.fixture
def seeded(project):
    ids = seed_cases(project, cases=6)
    seed_suggestions(project)
    return project, ids


def _sheet(project, actor, case_id):
    with project.transaction() as session:
        return view_sheet(session=session, actor=actor, project_id=project.project_id,
                          case_id=case_id)


def _save(project, actor, case_id, variable, value, version, reason=None):
    with project.transaction() as session:
        return set_value(session=session, actor=actor, project_id=project.project_id,
                         case_id=case_id, variable=variable, value=value,
                         seen_version=version, reason=reason)


def _variable(sheet, name):
    return next(v for v in sheet.variables if v.name == name)


def test_sheet_shows_suggestion_criteria_and_the_quoted_discharge_report(seeded):
    project, ids = seeded
    sheet = _sheet(project, CODER, ids[0])
    outcome = _variable(sheet, "maalopnaaelse")
    assert [v for v, _ in outcome.choices] == ["I mål", "På vej", "Ikke i mål"]
    assert "alle problemstillinger" in dict(outcome.choices)["I mål"]
    assert outcome.current is None and outcome.suggestion.value == "I mål"
    assert outcome.suggestion.status_label == "forslag"
    assert outcome.version == f"{outcome.suggestion.id}-suggested"
    assert sheet.report.doc_type == "udskrivningsrapport"
    marked = [text for text, label in sheet.report.segments if label]
    assert marked == ["Familien er kommet i mål med alle problemstillinger."]
    assert {d.heading for d in sheet.other_documents} == {"Handleplan", "Bevilling"}
    assert count_events(project, "sag_vist") == 1


def test_reading_needs_case_text_and_changing_needs_classify(seeded):
    project, ids = seeded
    with pytest.raises(PermissionDenied):
        _sheet(project, LEADER, ids[0])
    granted = Actor("leder1", Role.LEADER, case_text_granted=True)
    assert _sheet(project, granted, ids[0]).variables
    with pytest.raises(PermissionDenied):
        _save(project, granted, ids[0], "maalopnaaelse", "I mål", "ingen")
    assert count_events(project, "sag_vist") == 1


def test_confirming_the_suggestion_keeps_its_evidence(seeded):
    project, ids = seeded
    version = _variable(_sheet(project, CODER, ids[0]), "maalopnaaelse").version
    result = _save(project, CODER, ids[0], "maalopnaaelse", "i mål", version)
    assert result.confirmed_suggestion and result.value == "I mål"
    outcome = _variable(_sheet(project, CODER, ids[0]), "maalopnaaelse")
    assert outcome.suggestion is None
    assert (outcome.current.value, outcome.current.coder, outcome.current.status_label) == (
        "I mål", "koder1", "bekræftet")
    assert outcome.current.evidence_quote.startswith("Familien er kommet i mål")
    assert count_events(project, "forslag_bekraeftet") == 1
    # Choosing the suggested value with a reason confirms it too, and keeps the reason.
    grade = _variable(_sheet(project, CODER, ids[1]), "problemgrad")
    _save(project, CODER, ids[1], "problemgrad", "Mellem", grade.version, reason="Skilsmisse")
    grade = _variable(_sheet(project, CODER, ids[1]), "problemgrad")
    assert grade.current.evidence_quote == "Familien er i krise."
    assert grade.current.explanation.endswith("Begrundelse: Skilsmisse")
    with project.sessions() as session:
        event = session.scalars(select(t.Event).where(t.Event.action == "forslag_bekraeftet")
                                .order_by(t.Event.id)).all()[-1]
    assert event.details == {"forslag": [["S-1002", "problemgrad", "Mellem"]],
                             "begrundelse": "Skilsmisse"}


def test_another_value_with_a_reason_supersedes_the_suggestion(seeded):
    project, ids = seeded
    version = _variable(_sheet(project, CODER, ids[0]), "maalopnaaelse").version
    before = count_values(project)
    _save(project, CODER, ids[0], "maalopnaaelse", "På vej", version,
          reason="  Skolegangen er ikke på plads.  ")
    assert count_values(project) == before + 1  # a new row; the suggestion stays as history
    history = call(project, value_history, case_external_id="S-1001", variable="maalopnaaelse")
    assert [(h["værdi"], h["status"], h["erstattet"]) for h in history] == [
        ("I mål", "suggested", True), ("På vej", "confirmed", False)]
    outcome = _variable(_sheet(project, CODER, ids[0]), "maalopnaaelse")
    assert outcome.current.explanation == "Skolegangen er ikke på plads."
    with project.sessions() as session:
        event = session.scalar(select(t.Event).where(t.Event.action == "klassifikation_sat"))
    assert event.details["begrundelse"] == "Skolegangen er ikke på plads."
    assert event.details["før"] is None and event.details["efter"] == "På vej"


def test_a_stale_form_is_a_conflict_and_writes_nothing(seeded):
    project, ids = seeded
    seen = _variable(_sheet(project, CODER, ids[0]), "maalopnaaelse").version
    assert _variable(_sheet(project, OTHER, ids[0]), "maalopnaaelse").version == seen
    _save(project, OTHER, ids[0], "maalopnaaelse", "Ikke i mål", seen)
    before = count_values(project), count_events(project, "klassifikation_sat")
    with pytest.raises(ClassificationConflict) as raised:
        _save(project, CODER, ids[0], "maalopnaaelse", "I mål", seen)
    message = str(raised.value)
    assert "„Ikke i mål“" in message and "koder2" in message and "ikke gemt" in message
    assert (count_values(project), count_events(project, "klassifikation_sat")) == before
    # Confirming the (now superseded) suggestion is a conflict too, not a silent overwrite.
    with pytest.raises(ClassificationConflict):
        _save(project, CODER, ids[0], "maalopnaaelse", "Ikke i mål", seen)
    current = _variable(_sheet(project, CODER, ids[0]), "maalopnaaelse").current
    assert (current.value, current.coder) == ("Ikke i mål", "koder2")


def test_confirmed_by_someone_else_is_a_conflict_even_for_the_same_suggestion(seeded):
    project, ids = seeded
    seen = _variable(_sheet(project, CODER, ids[1]), "maalopnaaelse").version
    _save(project, OTHER, ids[1], "maalopnaaelse", "På vej", seen)
    with pytest.raises(ClassificationConflict, match="koder2"):
        _save(project, CODER, ids[1], "maalopnaaelse", "På vej", seen)


def test_invalid_values_and_variables_are_refused(seeded):
    project, ids = seeded
    version = _variable(_sheet(project, CODER, ids[0]), "problemgrad").version
    with pytest.raises(EffektsporError, match="ikke en tilladt værdi"):
        _save(project, CODER, ids[0], "problemgrad", "Ekstrem", version)
    with pytest.raises(EffektsporError, match="mangler"):
        _save(project, CODER, ids[0], "problemgrad", "", version)
    with pytest.raises(EffektsporError, match="Ukendt variabel"):
        _save(project, CODER, ids[0], "bopael", "by", "ingen")
    with pytest.raises(EffektsporError, match="findes ikke"):
        _save(project, CODER, 999999, "problemgrad", "Let", "ingen")


def test_blind_recoding_case_shows_no_values_until_recoded(seeded, tmp_path):
    project, ids = seeded
    assign(project, coder="koder1", seed=7, teams=["Familieværkstedet"])  # S-1001, S-1004
    views = count_events(project, "sag_vist")
    sheet = _sheet(project, CODER, ids[0])
    assert sheet.blind and sheet.report is None and not sheet.other_documents
    assert all(v.shown is None and not v.history for v in sheet.variables)
    assert count_events(project, "sag_vist") == views  # no text shown, nothing logged
    with pytest.raises(BlindRecodingCase, match="blinde rekodning"):
        _save(project, CODER, ids[0], "maalopnaaelse", "I mål", "ingen")
    # The command line (by case number) and an import go through the same check.
    stored = count_values(project)
    with pytest.raises(BlindRecodingCase, match="S-1001"):
        classify(project, "S-1001", "maalopnaaelse", "I mål", coder=CODER)
    sheet_file = tmp_path / "værdier.csv"
    sheet_file.write_text("sag;problemgrad\nS-1002;Let\nS-1001;Let\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="problem") as refused:
        call(project, import_values, actor=CODER, path=sheet_file)
    assert [str(p) for p in refused.value.problems] == [
        "værdier.csv, felt 'sag': sag S-1001 er i din blinde rekodning; angiv værdien på "
        "rekodningssiden"]
    assert count_values(project) == stored
    # Others, and the coder's other cases, are not blind.
    assert not _sheet(project, OTHER, ids[0]).blind
    assert not _sheet(project, CODER, ids[1]).blind
    # The queue and the case list hide the suggestions and values of blind cases.
    with project.transaction() as session:
        queue = classification_queue(session=session, actor=CODER, project_id=project.project_id)
        blind = next(c for c in queue.cases if c.external_id == "S-1001")
        assert blind.blind and blind.suggestions == []
        assert queue.next_case.external_id == "S-1002"
        page = list_cases(session=session, actor=CODER, project_id=project.project_id,
                          values={"maalopnaaelse": "I mål"})
        assert page.total == 0
        row = next(r for r in list_cases(session=session, actor=CODER,
                                         project_id=project.project_id).rows
                   if r.external_id == "S-1001")
        assert row.blind and row.outcome is None
    # Once the coder has re-coded every variable of the round, the case is open again.
    with project.transaction() as session:
        round_id = session.scalar(select(t.Event.object_id).where(
            t.Event.action == "rekodning_udtrukket"))
        variables = session.scalars(select(CaseVariable).where(
            CaseVariable.project_id == project.project_id,
            CaseVariable.name.in_(["maalopnaaelse", "problemstilling", "problemgrad"])))
        for variable in variables:
            session.add(RecodingValue(round_id=int(round_id), case_id=ids[0],
                                      variable_id=variable.id, value=variable.allowed_values[0],
                                      coder="koder1"))
    assert not _sheet(project, CODER, ids[0]).blind
    assert _sheet(project, CODER, ids[3]).blind  # S-1004 is still to be re-coded


def test_queue_progress_order_and_next_case(seeded):
    project, ids = seeded
    version = _variable(_sheet(project, CODER, ids[0]), "maalopnaaelse").version
    _save(project, CODER, ids[0], "maalopnaaelse", "I mål", version)
    with project.transaction() as session:
        queue = classification_queue(session=session, actor=CODER, project_id=project.project_id)
        progress = {p.name: (p.share.done, p.share.total) for p in queue.progress}
        assert queue.closed_cases == 4
        assert progress == {"maalopnaaelse": (1, 4), "problemstilling": (0, 4),
                            "problemgrad": (0, 4)}
        order = [c.external_id for c in queue.cases]
        assert order[:3] == ["S-1001", "S-1002", "S-1003"]  # all have suggestions waiting
        first = queue.cases[0]
        assert first.missing == ["Problemstilling", "Problemgrad"]
        assert ("Problemgrad", "Mellem") in first.suggestions
        assert next_case_id(session=session, actor=CODER, project_id=project.project_id) == ids[0]
        assert next_case_id(session=session, actor=CODER, project_id=project.project_id,
                            after=ids[0]) == ids[1]
        last = queue.cases[-1].id
        assert next_case_id(session=session, actor=CODER, project_id=project.project_id,
                            after=last) == ids[0]
        with pytest.raises(PermissionDenied):
            classification_queue(session=session, actor=LEADER, project_id=project.project_id)


def _list(project, actor=CODER, **filters):
    with project.transaction() as session:
        page = list_cases(session=session, actor=actor, project_id=project.project_id, **filters)
        return {row.external_id: (row.outcome, row.outcome_suggested) for row in page.rows}


def test_case_list_filters_by_confirmed_or_suggested_values(seeded):
    project, ids = seeded
    assert _list(project, values={"maalopnaaelse": "I mål"}) == {"S-1001": ("I mål", True)}
    version = _variable(_sheet(project, CODER, ids[0]), "maalopnaaelse").version
    _save(project, CODER, ids[0], "maalopnaaelse", "Ikke i mål", version)
    assert _list(project, values={"maalopnaaelse": "I mål"}) == {}
    assert _list(project, values={"maalopnaaelse": "Ikke i mål"}) == {
        "S-1001": ("Ikke i mål", False), "S-1004": ("Ikke i mål", True)}
    assert set(_list(project, values={"maalopnaaelse": "-"})) == {"S-1003", "S-1005", "S-1006"}
    both = _list(project, values={"maalopnaaelse": "På vej", "problemgrad": "Mellem"})
    assert both == {"S-1002": ("På vej", True)}
    assert _list(project, values={"problemgrad": "Svær"}) == {}
    assert set(_list(project, LEADER, values={"problemstilling": "Barnestruktur"})) == {
        f"S-{n}" for n in range(1001, 1007)}
    with pytest.raises(EffektsporError, match="ikke filtreres"):
        _list(project, values={"bopael": "by"})


def test_case_list_filters_by_code_and_its_children(seeded):
    project, ids = seeded
    with project.transaction() as session:
        note = session.scalar(select(t.Note).where(t.Note.case_id == ids[2]))
        document = session.scalar(select(t.Document).where(t.Document.case_id == ids[4]))
        session.add_all([
            Coding(project_id=project.project_id, note_id=note.id, start=0, end=3,
                   quote=note.text[:3], code_key="alliancebrud", coder="koder1"),
            Coding(project_id=project.project_id, document_id=document.id, start=0, end=3,
                   quote=document.text[:3], code_key="negativ_alliance", coder="koder1")])
    assert set(_list(project, code="alliancebrud")) == {"S-1003"}
    assert set(_list(project, code="negativ_alliance")) == {"S-1003", "S-1005"}
    assert set(_list(project, code="aflyser_aftale")) == set()
    assert set(_list(project, code="negativ_alliance", values={"maalopnaaelse": "-"})) == {
        "S-1003", "S-1005"}
    with pytest.raises(EffektsporError, match="findes ikke i projektets kodebog"):
        _list(project, code="ukendt_kode")
    with project.transaction() as session:
        page = list_cases(session=session, actor=CODER, project_id=project.project_id)
        keys = [c.key for c in page.codes]
        assert keys.index("negativ_alliance") + 1 == keys.index("alliancebrud")
        assert next(c for c in page.codes if c.key == "alliancebrud").depth == 1


@pytest.mark.parametrize("number_of_cases", [6, 30])
def test_filtered_list_runs_the_same_queries_for_any_number_of_cases(project, number_of_cases):
    from test_web_cases import count_statements

    seed_cases(project, cases=number_of_cases, notes_per_case=2)
    seed_suggestions(project)
    with project.sessions() as session, count_statements(project.engine) as statements:
        page = list_cases(session=session, actor=CODER, project_id=project.project_id,
                          values={"problemstilling": "Barnestruktur", "maalopnaaelse": "-"},
                          code="negativ_alliance")
        assert page.total == 0
        everything = list_cases(session=session, actor=CODER, project_id=project.project_id)
    assert len(everything.rows) == number_of_cases
    assert sum(row.outcome is not None for row in everything.rows) == 3
    # per list: count, page, notes, documents, outcomes, teams, years, variables, rounds,
    # codebook (the empty filtered page skips notes, documents and outcomes)
    assert len(statements) == 7 + 10


def test_concurrent_saves_wait_for_each_other_on_postgresql(seeded):
    """Two saves at the same moment: the second waits for the first and then conflicts."""
    import threading

    project, ids = seeded
    if project.is_local:
        pytest.skip("SQLite tillader kun én skrivende transaktion ad gangen (lokal tilstand)")
    seen = _variable(_sheet(project, CODER, ids[0]), "maalopnaaelse").version
    outcome: list[object] = []

    def second_save() -> None:
        try:
            _save(project, OTHER, ids[0], "maalopnaaelse", "På vej", seen)
            outcome.append("gemt")
        except ClassificationConflict as conflict:
            outcome.append(conflict)

    with project.sessions() as first:
        set_value(session=first, actor=CODER, project_id=project.project_id, case_id=ids[0],
                  variable="maalopnaaelse", value="I mål", seen_version=seen)
        thread = threading.Thread(target=second_save)
        thread.start()
        thread.join(1.0)
        assert thread.is_alive()  # blocked by the first save's lock on the case
        first.commit()
    thread.join(30)
    assert len(outcome) == 1 and isinstance(outcome[0], ClassificationConflict)
    assert "koder1" in str(outcome[0])
    current = _variable(_sheet(project, CODER, ids[0]), "maalopnaaelse").current
    assert (current.value, current.coder) == ("I mål", "koder1")
