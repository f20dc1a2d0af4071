"""Who may do what in the recoding area: one role × use-case matrix that calls the service
functions directly, so the CLI and the web app inherit it.

Every call runs in its own unit of work, rolled back afterwards, on one seeded project
(authorisation does not depend on the database, so SQLite only). The round is assigned
to the koder "bo" (``KR``); the koder "anna" (``K``) has no round. The expected roles are
written out by hand, not derived from the code.
"""

from __future__ import annotations

from datetime import date

import pytest

from classification_helpers import classify
from coding_factories import add_case_with_notes, code_passage
from effektspor.services.authorization import Actor, PermissionDenied, Role
from effektspor.services.contract import unit_of_work
from effektspor.services.project import create_project
from effektspor.services.recoding import (
    agreement,
    blind_sheet,
    disagreements,
    rounds,
    sheet_files,
)
from support.authorization import check_cell

A, AN, K, KR, L, LG = ("administrator", "analytiker", "koder", "koder med runden", "leder",
                       "leder med sagstekst")
ROUND_CODER = "bo"
ACTORS = {
    A: Actor("admin", Role.ADMINISTRATOR),
    AN: Actor("ida", Role.ANALYST),
    K: Actor("anna", Role.CODER),
    KR: Actor(ROUND_CODER, Role.CODER),
    L: Actor("lis", Role.LEADER),
    LG: Actor("lis", Role.LEADER, case_text_granted=True),
}
ASSIGNERS = {A, AN}

# use case → roles that may perform it
EXPECTED: dict[str, set[str]] = {
    "open the recoding page": {A, AN, K, KR},
    "list the rounds": {A, AN, K, KR},
    "draw a round": ASSIGNERS,
    "follow a round's work list": ASSIGNERS | {KR},
    "open a case's blind sheet": {KR},
    "save a case's blind sheet": {KR},
    "export the blind sheet file": ASSIGNERS | {KR},
    "read the filled-in sheet back": ASSIGNERS | {KR},
    "read the agreement": ASSIGNERS,
    "agreement in characters": ASSIGNERS,
    "agreement on code presence": ASSIGNERS,
    "list the disagreements": ASSIGNERS,
    "settle a disagreement": ASSIGNERS,
}

TEXT = "Mor råber ad behandleren og aflyser mødet. Vi er i tvivl om retningen."


class Seed:
    """Two cases of one team first coded by Forsker, a round of both assigned to bo, who
    has entered both (disagreeing on the first), and note codings by both coders."""

    def __init__(self, folder):
        self.folder = folder
        self.project = create_project(folder / "projekt", "Rettigheder", actor="test")
        self.project_id = self.project.project_id
        self.cases, notes = [], []
        for external_id in ("R-1", "R-2"):
            (note_id,) = add_case_with_notes(self.project, external_id,
                                             [(date(2019, 4, 1), "Familieforhold", TEXT)],
                                             team="Sandplay")
            notes.append(note_id)
            classify(self.project, external_id, "problemgrad", "Mellem", coder="Forsker")
        for coder, end in (("Forsker", 27), (ROUND_CODER, 19)):
            for note_id in notes:
                code_passage(self.project, coder=coder, note_id=note_id, start=0, end=end,
                             code="alliancebrud")
        with unit_of_work(self.project) as session:
            drawn = rounds.draw_round(session=session, actor=ACTORS[AN],
                                      project_id=self.project_id, coder=ROUND_CODER, seed=1,
                                      teams=["Sandplay"], variables=["problemgrad"])
            self.round_id = drawn.info.id
            self.case_ids = [item.case_id for item in rounds.work_list(
                session=session, actor=ACTORS[AN], project_id=self.project_id,
                round_id=self.round_id).items]
        for case_id, value in zip(self.case_ids, ("Let", "Mellem"), strict=True):
            with unit_of_work(self.project) as session:
                blind_sheet.save_blind_values(
                    session=session, actor=ACTORS[KR], project_id=self.project_id,
                    round_id=self.round_id, case_id=case_id, values={"problemgrad": value},
                    seen={"problemgrad": ""})
        self.filled = folder / "udfyldt.csv"
        self.filled.write_text("sag;problemgrad\nR-2;Svær\n", encoding="utf-8")


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    made = Seed(tmp_path_factory.mktemp("rekodning"))
    yield made
    made.project.close()


def _use_case(name: str, seed: Seed, actor: Actor):
    """The service call of use case ``name`` as a function of the session."""
    base = {"actor": actor, "project_id": seed.project_id}
    this = {**base, "round_id": seed.round_id}
    first, second = seed.case_ids
    calls = {
        "open the recoding page": lambda s: rounds.recoding_home(session=s, **base),
        "list the rounds": lambda s: rounds.list_rounds(session=s, **base),
        "draw a round": lambda s: rounds.draw_round(
            session=s, **base, coder="carl", seed=2, teams=["Sandplay"]),
        "follow a round's work list": lambda s: rounds.work_list(session=s, **this),
        "open a case's blind sheet": lambda s: blind_sheet.blind_sheet(
            session=s, **this, case_id=first),
        "save a case's blind sheet": lambda s: blind_sheet.save_blind_values(
            session=s, **this, case_id=second, values={"problemgrad": "Svær"},
            seen={"problemgrad": "Mellem"}),
        "export the blind sheet file": lambda s: sheet_files.export_blind_sheet(
            session=s, **this, path=seed.folder / f"blind-{actor.name}-{actor.role}.csv"),
        "read the filled-in sheet back": lambda s: sheet_files.import_sheet(
            session=s, **this, path=seed.filled),
        "read the agreement": lambda s: agreement.agreement(session=s, **this, bootstrap=20),
        "agreement in characters": lambda s: agreement.character_agreement(
            session=s, **this, first_coder="Forsker"),
        "agreement on code presence": lambda s: agreement.code_presence_agreement(
            session=s, **this, first_coder="Forsker", bootstrap=20),
        "list the disagreements": lambda s: disagreements.disagreements(session=s, **this),
        "settle a disagreement": lambda s: disagreements.settle_disagreement(
            session=s, **this, case_external_id="R-1", variable="problemgrad",
            final_value="Let", reason="Drøftet.", seen_final_value=""),
    }
    return calls[name]


def test_every_use_case_is_in_the_matrix(seed):
    for name in EXPECTED:
        assert callable(_use_case(name, seed, ACTORS[A]))


@pytest.mark.parametrize("role", list(ACTORS))
@pytest.mark.parametrize("use_case", list(EXPECTED))
def test_matrix(seed, use_case: str, role: str):
    call = _use_case(use_case, seed, ACTORS[role])
    check_cell(seed.project, call, allowed=role in EXPECTED[use_case])


def test_the_rounds_own_coder_sees_no_first_values_before_the_round_is_complete(seed):
    """An administrator given a round of their own may not read its agreement (the first
    coder's values) or settle its disagreements before they have entered every value."""
    admin = ACTORS[A]
    with seed.project.sessions() as session:
        own = rounds.draw_round(session=session, actor=ACTORS[AN], project_id=seed.project_id,
                                coder=admin.name, seed=3, teams=["Sandplay"],
                                variables=["problemgrad"]).info.id
        with pytest.raises(PermissionDenied, match="0 af 2 værdier"):
            agreement.agreement(session=session, actor=admin, project_id=seed.project_id,
                                round_id=own)
        with pytest.raises(PermissionDenied):
            disagreements.settle_disagreement(
                session=session, actor=admin, project_id=seed.project_id, round_id=own,
                case_external_id="R-1", variable="problemgrad", final_value="Let",
                reason="x")
        session.rollback()
