"""Blind re-coding for the web (services) on SQLite and PostgreSQL: assigning a round, the
blind sheet and its saves, the agreement view and settling disagreements."""

from __future__ import annotations

import math

import pytest
from sqlalchemy import select

from classification_helpers import count_events
from effektspor.analysis.agreement import Estimate
from effektspor.domain.errors import EffektsporError, ValidationError
from effektspor.services.authorization import Actor, PermissionDenied, Role
from effektspor.services.cases.case_view import CaseNotFound
from effektspor.services.classification import case_table, ensure_variables, write_confirmed_value
from effektspor.services.contract import unit_of_work
from effektspor.services.recoding import agreement, blind_sheet, disagreements, rounds
from effektspor.services.recoding.permissions import BlindUntilComplete, NotAssignedCoder
from effektspor.services.recoding.state import RecodingConflict
from effektspor.store.tables import Case
from effektspor.store.tables_analysis import RecodingValue
from web_seed import seed_cases, seed_users
from web_seed_recoding import AGREED, assign, set_first_values

ANALYST = Actor("analytiker1", Role.ANALYST)
CODER = Actor("koder1", Role.CODER)
ADMIN = Actor("administrator1", Role.ADMINISTRATOR)
LEADER = Actor("leder1", Role.LEADER, case_text_granted=True)


@pytest.fixture
def setup(project):
    """Six cases (two per team), one user per role, and first values by analytiker1."""
    ids = seed_cases(project, cases=6)
    seed_users(project)
    set_first_values(project, {f"S-{1001 + n}": AGREED for n in range(6)}, coder="analytiker1")
    return project, ids


def _call(project, function, **kwargs):
    with project.sessions() as session:
        result = function(session=session, project_id=project.project_id, **kwargs)
        session.commit()
        return result


def test_assigning_a_round(setup):
    project, _ = setup
    home = _call(project, rounds.recoding_home, actor=ANALYST)
    assert home.may_assign and home.coders == ["administrator1", "koder1"]  # not oneself
    assert [v.name for v in home.variables if v.standard] == list(AGREED)
    assert home.teams == [("Familieværkstedet", 2), ("Sandplay", 2), ("Støttet samvær", 2)]
    made = _call(project, rounds.draw_round, actor=ANALYST, coder="koder1",
                 variables=["maalopnaaelse", "problemgrad"], teams=["Sandplay"], n_random=2,
                 seed=None)
    assert 0 <= made.info.seed <= rounds.MAX_SEED and made.excluded == []
    assert made.info.case_ids[:2] == ["S-1002", "S-1005"] and len(made.info.case_ids) == 4
    again = _call(project, rounds.draw_round, actor=ANALYST, coder="koder1",
                  variables=["maalopnaaelse", "problemgrad"], teams=["Sandplay"], n_random=2,
                  seed=made.info.seed)
    assert again.info.case_ids == made.info.case_ids  # the shown seed draws it again
    assert count_events(project, "rekodning_udtrukket") == 2
    problems = [({"coder": "analytiker1"}, "dig selv"), ({"coder": "leder1"}, "ikke en aktiv"),
                ({"coder": "ukendt"}, "ikke en aktiv"), ({"coder": ""}, "Vælg den koder"),
                ({"variables": []}, "mindst én variabel"), ({"seed": -1}, "Frøet"),
                ({"teams": ["Ukendt hold"]}, "Ukendt team"),
                ({"n_random": 99}, "kan ikke trækkes")]
    for change, message in problems:
        arguments = {"coder": "koder1", "variables": ["problemgrad"], "teams": [],
                     "n_random": 1, "seed": 3, **change}
        with pytest.raises(EffektsporError, match=message):
            _call(project, rounds.draw_round, actor=ANALYST, **arguments)
    with pytest.raises(PermissionDenied):
        _call(project, rounds.draw_round, actor=CODER, coder="administrator1",
              variables=["problemgrad"], teams=[], n_random=1)
    # A coder sees only the rounds assigned to them, and no form.
    mine = _call(project, rounds.recoding_home, actor=CODER)
    assert not mine.may_assign and len(mine.rounds) == 2 and mine.coders == []
    assert _call(project, rounds.recoding_home, actor=ADMIN).rounds[0].entered == 0
    with pytest.raises(PermissionDenied):
        _call(project, rounds.recoding_home, actor=LEADER)


def test_cases_the_coder_classified_first_are_left_out(setup):
    project, _ = setup
    set_first_values(project, {"S-1002": {"problemgrad": "Let"}}, coder="koder1")
    made = _call(project, rounds.draw_round, actor=ANALYST, coder="koder1",
                 variables=["problemgrad"], teams=["Sandplay"], n_random=0, seed=1)
    assert made.excluded == ["S-1002"] and made.info.case_ids == ["S-1005"]


def test_only_the_assigned_coder_opens_and_saves_the_blind_sheet(setup):
    project, ids = setup
    round_id = assign(project, coder="koder1", teams=["Sandplay"])
    case_id = ids[1]
    sheet = _call(project, blind_sheet.blind_sheet, actor=CODER, round_id=round_id,
                  case_id=case_id)
    assert sheet.values == {} and sheet.position == 1 and sheet.next_case_id == ids[4]
    assert [r.heading for r in sheet.discharge_reports] == ["Udskrivningsrapport"]
    assert [v.name for v in sheet.variables] == list(AGREED)
    assert count_events(project, "sag_vist") == 1
    for actor in (ADMIN, ANALYST):
        with pytest.raises(NotAssignedCoder, match="tildelt koder1"):
            _call(project, blind_sheet.blind_sheet, actor=actor, round_id=round_id,
                  case_id=case_id)
        with pytest.raises(NotAssignedCoder):
            _call(project, blind_sheet.save_blind_values, actor=actor, round_id=round_id,
                  case_id=case_id, values={"problemgrad": "Let"}, seen={})
    with pytest.raises(PermissionDenied):
        _call(project, blind_sheet.blind_sheet, actor=LEADER, round_id=round_id, case_id=case_id)
    with pytest.raises(CaseNotFound, match="ikke med i rekodningsrunde"):
        _call(project, blind_sheet.blind_sheet, actor=CODER, round_id=round_id, case_id=ids[0])
    assert count_events(project, "sag_vist") == 1  # refused views are not views


def test_saving_supersedes_and_detects_a_stale_form(setup):
    project, ids = setup
    round_id = assign(project, coder="koder1", teams=["Sandplay"])
    case_id = ids[1]
    saved = _call(project, blind_sheet.save_blind_values, actor=CODER, round_id=round_id,
                  case_id=case_id, values={"maalopnaaelse": "på vej", "problemgrad": "Let"},
                  seen={})
    assert saved.changed == 2 and saved.next_case_id == ids[4]
    work = _call(project, rounds.work_list, actor=CODER, round_id=round_id)
    assert [(i.external_id, i.entered, i.done) for i in work.items] == [
        ("S-1002", 2, False), ("S-1005", 0, False)]
    assert work.progress.entered == 2 and work.progress.expected == 6
    # Another tab still shows the empty form: its save is refused, nothing changes.
    with pytest.raises(RecodingConflict, match="gemt et andet sted"):
        _call(project, blind_sheet.save_blind_values, actor=CODER, round_id=round_id,
              case_id=case_id, values={"maalopnaaelse": "I mål"}, seen={})
    seen = {"maalopnaaelse": "På vej", "problemgrad": "Let"}
    with pytest.raises(ValidationError) as error:
        _call(project, blind_sheet.save_blind_values, actor=CODER, round_id=round_id,
              case_id=case_id, values={"maalopnaaelse": "Næsten", "problemgrad": "Svær"},
              seen=seen)
    assert "ikke en tilladt værdi" in str(error.value.problems[0])
    saved = _call(project, blind_sheet.save_blind_values, actor=CODER, round_id=round_id,
                  case_id=case_id, values={**AGREED, **seen}, seen=seen)
    assert saved.changed == 1  # only problemstilling is new; the others are unchanged
    with project.sessions() as session:
        rows = list(session.scalars(select(RecodingValue).where(
            RecodingValue.round_id == round_id).order_by(RecodingValue.id)))
    assert [(r.value, r.superseded_at is None) for r in rows] == [
        ("På vej", True), ("Let", True), ("Barneregulering", True)]
    sheet = _call(project, blind_sheet.blind_sheet, actor=CODER, round_id=round_id,
                  case_id=case_id)
    assert sheet.values == {"maalopnaaelse": "På vej", "problemstilling": "Barneregulering",
                            "problemgrad": "Let"}
    assert count_events(project, "rekodning_gemt") == 2
    # Clearing a value ("not decided") supersedes it without a new one.
    _call(project, blind_sheet.save_blind_values, actor=CODER, round_id=round_id,
          case_id=case_id, values={**sheet.values, "problemgrad": ""}, seen=sheet.values)
    assert _call(project, rounds.work_list, actor=CODER, round_id=round_id).items[0].entered == 2


def test_a_coder_cannot_recode_their_own_first_value(setup):
    project, ids = setup
    # A case the coder classified first is left out of their round, so its sheet is refused.
    set_first_values(project, {"S-1002": {"problemgrad": "Svær"}}, coder="koder1")
    round_id = assign(project, coder="koder1", teams=["Sandplay"])
    with pytest.raises(CaseNotFound, match="ikke med i rekodningsrunde"):
        _call(project, blind_sheet.save_blind_values, actor=CODER, round_id=round_id,
              case_id=ids[1], values={"problemgrad": "Let"}, seen={})
    # A first value written around the services after the draw (an older version, a direct
    # database edit) is caught when the coder saves: their value is not a recoding.
    with unit_of_work(project) as session:
        case = session.get(Case, ids[4])
        variable = ensure_variables(session, project.project_id, actor="test")["problemgrad"]
        write_confirmed_value(session, project_id=project.project_id, case=case,
                              variable=variable, value="Let", coder="koder1", actor="test",
                              origin="manuel")
    with pytest.raises(ValidationError, match="Intet er gemt") as error:
        _call(project, blind_sheet.save_blind_values, actor=CODER, round_id=round_id,
              case_id=ids[4], values={"problemgrad": "Mellem"}, seen={})
    assert "første værdi" in str(error.value.problems[0])


def _coded_round(project, ids) -> int:
    round_id = assign(project, coder="koder1", teams=["Sandplay"])
    for case_id, grade in ((ids[1], "Let"), (ids[4], "Mellem")):
        _call(project, blind_sheet.save_blind_values, actor=CODER, round_id=round_id,
              case_id=case_id, values={**AGREED, "problemgrad": grade}, seen={})
    return round_id


def test_agreement_view_and_settling_a_disagreement(setup):
    project, ids = setup
    round_id = _coded_round(project, ids)
    view = _call(project, agreement.agreement, actor=ANALYST, round_id=round_id,
                 bootstrap=200)
    by_name = {v.name: v for v in view.variables}
    assert by_name["maalopnaaelse"].report.percent_agreement == 1.0
    grade = by_name["problemgrad"]
    assert (grade.report.n_cases, grade.report.percent_agreement) == (2, 0.5)
    assert grade.kappa.value == pytest.approx(0.0) and grade.alpha.name == "alpha_ordinal"
    assert grade.reading.startswith("For få sager (n = 2)")
    (item,) = view.disagreements
    assert (item.case_external_id, item.variable, item.first_value, item.first_coder,
            item.second_value, item.final_value) == ("S-1002", "problemgrad", "Mellem",
                                                     "analytiker1", "Let", None)
    with pytest.raises(PermissionDenied):
        _call(project, agreement.agreement, actor=CODER, round_id=round_id)
    with pytest.raises(EffektsporError, match="begrundelse"):
        _call(project, disagreements.settle_disagreement, actor=ANALYST,
              round_id=round_id, case_external_id="S-1002", variable="problemgrad",
              final_value="Svær", reason="  ")
    settled = _call(project, disagreements.settle_disagreement, actor=ANALYST,
                    round_id=round_id, case_external_id="S-1002", variable="problemgrad",
                    final_value="svær", reason="Vi har læst handleplanen igen.",
                    seen_final_value="")
    assert (settled.final_value, settled.resolved_by, settled.reason) == (
        "Svær", "analytiker1", "Vi har læst handleplanen igen.")
    assert {r["sag"]: r["problemgrad"] for r in case_table(project)}["S-1002"] == "Svær"
    # A second analyst whose page still showed the disagreement as open is told so.
    with pytest.raises(RecodingConflict, match="afgjort af analytiker1 til 'Svær'"):
        _call(project, disagreements.settle_disagreement, actor=ADMIN, round_id=round_id,
              case_external_id="S-1002", variable="problemgrad", final_value="Let",
              reason="Anden vurdering.", seen_final_value="")
    after = _call(project, agreement.agreement, actor=ANALYST, round_id=round_id,
                  bootstrap=200)
    assert after.open_disagreements == 0
    assert {v.name: v.report.percent_agreement for v in after.variables}["problemgrad"] == 0.5
    # Once settled, the coder's values of that case are locked.
    with pytest.raises(EffektsporError, match="er afgjort"):
        _call(project, blind_sheet.save_blind_values, actor=CODER, round_id=round_id,
              case_id=ids[1], values=AGREED, seen={**AGREED, "problemgrad": "Let"})
    assert _call(project, blind_sheet.blind_sheet, actor=CODER, round_id=round_id,
                 case_id=ids[1]).locked


def test_the_rounds_own_analyst_sees_the_agreement_only_when_done(setup):
    project, ids = setup
    round_id = assign(project, coder="administrator1", teams=["Sandplay"])
    with pytest.raises(BlindUntilComplete, match="0 af 6 værdier"):
        _call(project, agreement.agreement, actor=ADMIN, round_id=round_id)
    for case_id in (ids[1], ids[4]):
        _call(project, blind_sheet.save_blind_values, actor=ADMIN, round_id=round_id,
              case_id=case_id, values=AGREED, seen={})
    view = _call(project, agreement.agreement, actor=ADMIN, round_id=round_id,
                 bootstrap=50)
    assert view.progress.complete and view.disagreements == []


@pytest.mark.parametrize(("n", "kappa", "expected"), [
    (0, None, "Ingen sager"),
    (40, Estimate("kappa", float("nan"), math.nan, math.nan), "kan ikke beregnes"),
    (40, Estimate("kappa", 0.55, 0.45, 0.58), "κ = 0,55: moderat enighed (Landis & Koch)."),
    (40, Estimate("kappa", 0.7, 0.5, 0.85),
     "Intervallet rækker fra moderat enighed til næsten fuldstændig enighed."),
    (6, Estimate("kappa", 0.9, 0.7, 1.0), "For få sager (n = 6)"),
    (30, Estimate("kappa", -0.1, -0.3, 0.1), "mindre enighed end ved tilfældighed"),
])
def test_agreement_reading(n, kappa, expected):
    assert expected in agreement.agreement_reading(n, kappa)


def test_note_codings_compared_in_characters_on_the_agreement_page(setup):
    from coding_factories import code_passage
    from effektspor.store import tables as t

    project, ids = setup
    round_id = _coded_round(project, ids)
    with project.sessions() as session:
        note_id = session.scalars(select(t.Note.id).where(t.Note.case_id == ids[1])
                                  .order_by(t.Note.id)).first()
    code_passage(project, note_id=note_id, start=0, end=20, code="alliancebrud", coder="Forsker")
    view = _call(project, agreement.agreement, actor=ANALYST, round_id=round_id,
                 bootstrap=50, first_note_coder="Forsker")
    assert view.note_coders == ["Forsker"] and view.characters is None
    assert view.character_error == "koder1 har ingen kodninger i rundens sager."
    code_passage(project, note_id=note_id, start=0, end=10, code="alliancebrud", coder="koder1")
    view = _call(project, agreement.agreement, actor=ANALYST, round_id=round_id,
                 bootstrap=50, first_note_coder="Forsker")
    share, kappa = view.characters.by_code["alliancebrud"]
    with project.sessions() as session:
        length = len(session.get(t.Note, note_id).text)
    assert share == pytest.approx((length - 10) / length) and 0 < kappa < 1
    assert count_events(project, "tegnenighed_beregnet") == 1
