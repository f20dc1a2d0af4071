"""Auto-coding a project, provenance, manual codings and the case-level overviews."""

from __future__ import annotations

from datetime import date

import pytest

from coding_factories import add_case_with_notes
from effektspor.domain.errors import ValidationError
from effektspor.services.coding import (
    add_coding,
    autocode_project,
    case_code_presence,
    code_overview,
    list_codings,
    remove_coding,
)
from effektspor.services.events import list_events

POINT = "Familieforhold"


def test_autocode_project_stores_machine_codings_with_provenance(project):
    add_case_with_notes(project, "S1", [
        (date(2019, 3, 1), POINT, "Mor tager ikke imod de råd, jeg giver hende."),
        (date(2019, 3, 8), POINT, "Familien har fået en ny lejlighed."),
    ])
    summary = autocode_project(project, actor="analytiker")
    assert summary.notes == 2 and summary.notes_coded == 1
    codings = list_codings(project)
    assert {c["code"] for c in codings} == {"tager_ikke_imod_raad"}
    coding = codings[0]
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
    autocode_project(project, actor="a")
    add_coding(project, note_id=note_id, start=0, end=10, code="relationsarbejde",
               coder="Leder Hansen", memo="min vurdering")
    second = autocode_project(project, actor="a")
    assert second.removed == 1
    coders = sorted(c["coder"] for c in list_codings(project))
    assert coders == ["Leder Hansen", "maskine"]


def test_manual_coding_is_validated_and_can_be_removed(project):
    (note_id,) = add_case_with_notes(project, "S1", [(date(2019, 3, 1), POINT, "Kort notat.")])
    with pytest.raises(ValidationError) as error:
        add_coding(project, note_id=note_id, start=0, end=99, code="findes_ikke", coder="Bo")
    messages = " ".join(str(p) for p in error.value.problems)
    assert "findes_ikke" in messages and "0–11" in messages
    coding_id = add_coding(project, note_id=note_id, start=0, end=4, code="relationsarbejde",
                           coder="Bo")
    assert list_codings(project)[0]["quote"] == "Kort"
    remove_coding(project, coding_id=coding_id, actor="Bo")
    assert list_codings(project) == []


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
    autocode_project(project, actor="a")
    presence = case_code_presence(project)
    assert "reflekteret_indsatsjustering" in presence["A"]
    assert "reflekteret_indsatsjustering" not in presence["B"]
    assert "reflekteret_indsatsjustering" not in presence["C"]  # 142 days > 90
    assert {"professionel_tvivl", "indsatsjustering"} <= presence["B"]
    wide = case_code_presence(project, window_days=200)
    assert "reflekteret_indsatsjustering" in wide["C"]
    overview = {row.code: row for row in code_overview(project)}
    assert overview["professionel_tvivl"].cases == 3
    assert overview["indsatsjustering"].notes == 3
    assert overview["professionel_tvivl"].examples == [
        "Jeg er i tvivl om, hvorvidt min tilgang virker."]


def test_code_cooccurrence_counts_top_level_codes(project):
    from effektspor.services.coding_queries import code_cooccurrence

    add_case_with_notes(project, "S1", [
        (date(2019, 3, 1), POINT, "Jeg er i tvivl om min tilgang. Vi øger besøgene fremover."),
        (date(2019, 3, 2), POINT, "Jeg er usikker på min vurdering."),
    ])
    autocode_project(project, actor="a")
    notes = code_cooccurrence(project)
    assert notes[("professionel_tvivl", "professionel_tvivl")] == 2
    assert notes[("professionel_tvivl", "indsatsjustering")] == 1
    cases = code_cooccurrence(project, level="sag")
    assert cases[("professionel_tvivl", "indsatsjustering")] == 1
