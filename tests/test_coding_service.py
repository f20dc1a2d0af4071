"""Auto-coding a project, provenance, manual codings and the case-level overviews."""

from __future__ import annotations

from datetime import date

import pytest

from coding_factories import ANALYST, add_case_with_notes, autocode, code_passage, codings_of
from effektspor.domain.errors import ValidationError
from effektspor.services.authorization import Actor, Role
from effektspor.services.coding import codings, queries
from effektspor.services.coding.shared import case_code_presence
from effektspor.services.contract import unit_of_work
from effektspor.services.events import list_events

POINT = "Familieforhold"


def test_autocode_project_stores_machine_codings_with_provenance(project):
    add_case_with_notes(project, "S1", [
        (date(2019, 3, 1), POINT, "Mor tager ikke imod de råd, jeg giver hende."),
        (date(2019, 3, 8), POINT, "Familien har fået en ny lejlighed."),
    ])
    summary = autocode(project)
    assert summary.notes == 2 and summary.notes_coded == 1
    found = codings_of(project)
    assert {c["code"] for c in found} == {"tager_ikke_imod_raad"}
    coding = found[0]
    assert coding["coder"] == "maskine"
    assert coding["rule"] == "nv_tager_ikke_imod_raad"
    assert coding["codebook_version"] == "2019.1"
    assert coding["quote"] == "tager ikke imod de råd"
    with project.sessions() as session:
        actions = [e.action for e in list_events(session, project_id=project.project_id)]
    assert "autokodning" in actions and "kodebog_indlæst" in actions


def test_rerun_replaces_machine_codings_but_keeps_human_ones(project):
    (note_id,) = add_case_with_notes(project, "S1", [
        (date(2019, 3, 1), POINT, "Jeg er i tvivl om min tilgang til far."),
    ])
    autocode(project)
    code_passage(project, note_id=note_id, start=0, end=10, code="relationsarbejde",
                 coder="Leder Hansen", memo="min vurdering")
    second = autocode(project)
    assert second.removed == 1
    coders = sorted(c["coder"] for c in codings_of(project))
    assert coders == ["Leder Hansen", "maskine"]


def test_manual_coding_is_validated_and_can_be_removed(project):
    (note_id,) = add_case_with_notes(project, "S1", [(date(2019, 3, 1), POINT, "Kort notat.")])
    with pytest.raises(ValidationError) as error:
        code_passage(project, note_id=note_id, start=0, end=99, code="findes_ikke", coder="Bo")
    messages = " ".join(str(p) for p in error.value.problems)
    assert "findes_ikke" in messages and "0–11" in messages
    with pytest.raises(ValidationError) as error:
        code_passage(project, note_id=note_id, start=0, end=4, code="relationsarbejde",
                     coder="maskine")
    assert "ikke 'maskine'" in str(error.value.problems[0])
    coding_id = code_passage(project, note_id=note_id, start=0, end=4,
                             code="relationsarbejde", coder="Bo", memo="  ")
    assert codings_of(project)[0]["quote"] == "Kort" and codings_of(project)[0]["memo"] is None
    with unit_of_work(project) as session:
        codings.remove_coding(session=session, actor=Actor("Bo", Role.CODER),
                              project_id=project.project_id, coding_id=coding_id)
    assert codings_of(project) == []


def test_overview_and_case_presence_with_reflected_adjustment(project):
    add_case_with_notes(project, "A", [
        (date(2019, 1, 10), POINT, "Jeg er i tvivl om, hvorvidt min tilgang virker."),
        (date(2019, 2, 1), POINT, "Vi skifter metode til videobaseret vejledning."),
    ])
    add_case_with_notes(project, "B", [  # adjustment before the doubt: not reflected
        (date(2019, 1, 10), POINT, "Vi skifter metode til videobaseret vejledning."),
        (date(2019, 2, 1), POINT, "Jeg er i tvivl om, hvorvidt min tilgang virker."),
    ])
    add_case_with_notes(project, "C", [  # too far apart for a 30-day window
        (date(2019, 1, 10), POINT, "Jeg er i tvivl om, hvorvidt min tilgang virker."),
        (date(2019, 6, 1), POINT, "Vi skifter metode til videobaseret vejledning."),
    ])
    autocode(project)
    with project.sessions() as session:
        presence = case_code_presence(session, project.project_id)
        wide = case_code_presence(session, project.project_id, window_days=200)
        overview = {row.code: row for row in queries.code_overview(
            session=session, actor=ANALYST, project_id=project.project_id)}
    assert "reflekteret_indsatsjustering" in presence["A"]
    assert "reflekteret_indsatsjustering" not in presence["B"]
    assert "reflekteret_indsatsjustering" not in presence["C"]  # 142 days > 90
    assert {"professionel_tvivl", "indsatsjustering"} <= presence["B"]
    assert "reflekteret_indsatsjustering" in wide["C"]
    assert overview["professionel_tvivl"].cases == 3
    assert overview["indsatsjustering"].notes == 3
    assert overview["professionel_tvivl"].examples == [
        "Jeg er i tvivl om, hvorvidt min tilgang virker."]


def test_code_cooccurrence_counts_top_level_codes(project):
    add_case_with_notes(project, "S1", [
        (date(2019, 3, 1), POINT, "Jeg er i tvivl om min tilgang. Vi øger besøgene fremover."),
        (date(2019, 3, 2), POINT, "Jeg er usikker på min vurdering."),
    ])
    autocode(project)
    with project.sessions() as session:
        notes = queries.code_cooccurrence(session=session, actor=ANALYST,
                                          project_id=project.project_id)
        cases = queries.code_cooccurrence(session=session, actor=ANALYST,
                                          project_id=project.project_id, level="sag")
    assert notes.counts[("professionel_tvivl", "professionel_tvivl")] == 2
    assert notes.counts[("professionel_tvivl", "indsatsjustering")] == 1
    assert cases.counts[("professionel_tvivl", "indsatsjustering")] == 1
    assert notes.codes == ["negativ_alliance", "positiv_alliance", "professionel_tvivl",
                           "relationsarbejde", "indsatsjustering"]
