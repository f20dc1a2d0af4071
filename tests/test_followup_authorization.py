"""Who may do what in the follow-up: one role × use-case matrix that calls the service
functions directly, so the CLI and (next) the web app inherit it.

Every call runs in its own session, rolled back afterwards, on one seeded project
(authorisation does not depend on the database, so SQLite only). The expected roles are
written out by hand, not derived from the code. A leder sees aggregates (the caseload),
not the goals and follow-ups of single children, also with access to case text.
"""

from __future__ import annotations

from datetime import date

import pytest

from effektspor.services.authorization import Actor, Role
from effektspor.services.contract import unit_of_work
from effektspor.services.followup import (
    caseload,
    due,
    follow_ups,
    goals,
    importing,
    measurements,
    measures,
    overview,
)
from effektspor.services.followup.follow_ups import Assessment
from effektspor.services.project import create_project
from support.authorization import check_cell

A, AN, K, L, LG = "administrator", "analytiker", "koder", "leder", "leder med sagstekst"
ACTORS = {
    A: Actor("admin", Role.ADMINISTRATOR),
    AN: Actor("ida", Role.ANALYST),
    K: Actor("anna", Role.CODER),
    L: Actor("lis", Role.LEADER),
    LG: Actor("lis", Role.LEADER, case_text_granted=True),
}
CASEWORK = {A, AN, K}
INSTRUMENT = ("instrument: egen\nnavn: Egen skala\nversion: '1'\nskala: {min: 0, max: 4}\n"
              "højere_er_bedre: false\n")
EVERYONE = {A, AN, K, L, LG}

# use case → roles that may perform it
EXPECTED: dict[str, set[str]] = {
    "register a measure": CASEWORK,
    "list measures": CASEWORK,
    "set a goal": CASEWORK,
    "revise a goal": CASEWORK,
    "list a case's goals": CASEWORK,
    "record a measurement": CASEWORK,
    "list a case's measurements": CASEWORK,
    "record a held follow-up": CASEWORK,
    "list a case's follow-ups": CASEWORK,
    "the due list": CASEWORK,
    "a case's calendar": CASEWORK,
    "the project's due dates": CASEWORK,
    "the caseload": EVERYONE,
    "timeliness by team": EVERYONE,
    "add an instrument definition": {A, AN},
    "list the instruments": CASEWORK,
    "import CSV files": {A, AN},
    "the child's page": CASEWORK,
}


class Seed:
    """One project with a measure, a goal and a held follow-up."""

    def __init__(self, folder):
        self.project = create_project(folder / "projekt", "Opfølgning", actor="test")
        self.project_id = self.project.project_id
        admin = ACTORS[A]
        with unit_of_work(self.project) as session:
            base = {"session": session, "actor": admin, "project_id": self.project_id}
            measures.create_measure(**base, case="S-1", measure="I-1", kind="forebyggende",
                                    start=date(2025, 1, 6), caseworker="anna", team="Nord")
            self.goal = goals.create_goal(**base, case="S-1", life_area="Familieforhold",
                                          kind="progression", text="Mindre konflikt").id
            follow_ups.record_follow_up(**base, case="S-1", measure="I-1",
                                        held_on="2025-03-01")
        self.measures_file = folder / "indsatser.csv"
        self.measures_file.write_text("sag;indsats;type;start\nS-5;I-1;forebyggende;"
                                      "2025-01-01\n", encoding="utf-8")


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    made = Seed(tmp_path_factory.mktemp("opfoelgning"))
    yield made
    made.project.close()


def _use_case(name: str, seed: Seed, actor: Actor):
    """The service call of use case ``name`` as a function of the session."""
    base = {"actor": actor, "project_id": seed.project_id}
    calls = {
        "register a measure": lambda s: measures.create_measure(
            session=s, **base, case="S-2", measure="I-1", kind="anbringelse_familiepleje",
            start=date(2025, 2, 1)),
        "list measures": lambda s: measures.list_measures(session=s, **base),
        "set a goal": lambda s: goals.create_goal(
            session=s, **base, case="S-1", life_area="Netværk", kind="fastholdelse",
            text="Ser sin mormor"),
        "revise a goal": lambda s: goals.revise_goal(
            session=s, **base, goal_id=seed.goal, reason="nyt fokus", priority=2),
        "list a case's goals": lambda s: goals.list_goals(session=s, **base, case="S-1"),
        "record a measurement": lambda s: measurements.record_measurement(
            session=s, **base, case="S-1", instrument="trivsel", day="2025-03-01",
            informant="barn", score=3),
        "list a case's measurements": lambda s: measurements.list_measurements(
            session=s, **base, case="S-1"),
        "record a held follow-up": lambda s: follow_ups.record_follow_up(
            session=s, **base, case="S-1", measure="I-1", held_on="2025-05-01",
            assessments=[Assessment(seed.goal, "fremgang")]),
        "list a case's follow-ups": lambda s: follow_ups.list_follow_ups(
            session=s, **base, case="S-1"),
        "the due list": lambda s: due.due_list(session=s, **base, day=date(2025, 4, 1)),
        "a case's calendar": lambda s: due.case_calendar(session=s, **base, case="S-1",
                                                         until=date(2025, 12, 31)),
        "the project's due dates": lambda s: due.project_due_dates(session=s, **base),
        "the caseload": lambda s: caseload.project_caseload(session=s, **base,
                                                            day=date(2025, 4, 1)),
        "timeliness by team": lambda s: caseload.follow_up_timeliness(
            session=s, **base, day=date(2025, 4, 1)),
        "add an instrument definition": lambda s: measurements.add_instrument(
            session=s, **base, text=INSTRUMENT),
        "list the instruments": lambda s: measurements.list_instruments(session=s, **base),
        "the child's page": lambda s: overview.case_overview(
            session=s, **base, case="S-1", day=date(2025, 4, 1)),
        "import CSV files": lambda s: importing.import_followup(
            session=s, **base, measures_path=seed.measures_file),
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


def test_every_use_case_of_the_follow_up_area_follows_the_contract():
    import inspect

    checked = []
    for module in (measures, goals, measurements, follow_ups, due, caseload, importing,
                   overview):
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or name.startswith("_"):
                continue
            parameters = inspect.signature(function).parameters
            assert all(p.kind is inspect.Parameter.KEYWORD_ONLY
                       for p in parameters.values()), name
            assert {"session", "actor", "project_id"} <= set(parameters), name
            checked.append(name)
    assert len(checked) == len(EXPECTED)
