"""Who may do what in the analysis and reports areas: one role × use-case matrix that calls
the service functions directly, so the CLI and the web app inherit it.

Every call runs in its own unit of work, rolled back afterwards, on one seeded project
(authorisation does not depend on the database, so SQLite only). The expected roles are
written out by hand, not derived from the code.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from effektspor.services.analysis import configurations, crosstabs, hypotheses
from effektspor.services.authorization import Actor, Role
from effektspor.services.project import create_project
from effektspor.services.reports import documentation, downloads, yearly
from effektspor.store.tables import Event
from support.authorization import check_cell
from web_seed_analysis import seed_analysis

A, AN, K, L, LG = "administrator", "analytiker", "koder", "leder", "leder med sagstekst"
ACTORS = {
    A: Actor("admin", Role.ADMINISTRATOR),
    AN: Actor("ida", Role.ANALYST),
    K: Actor("anna", Role.CODER),
    L: Actor("lis", Role.LEADER),
    LG: Actor("lis", Role.LEADER, case_text_granted=True),
}
READERS = {A, AN, K, LG}
EVERYONE = {A, AN, K, L, LG}

# use case → roles that may perform it
EXPECTED: dict[str, set[str]] = {
    "crosstab of the project": EVERYONE,
    "choices of the crosstab form": EVERYONE,
    "cases behind a number": EVERYONE,
    "hypothesis table of the project": EVERYONE,
    "features of the configuration form": EVERYONE,
    "truth table of configurations": EVERYONE,
    "cases of a configuration": EVERYONE,
    "qca of the project": EVERYONE,
    "documentation analysis": EVERYONE,
    "write the documentation report": EVERYONE,
    "last year's key figures": EVERYONE,
    "build the yearly report, pixi edition": EVERYONE,
    "build the yearly report, internal edition": READERS,
    "write the yearly report, pixi edition": EVERYONE,
    "write the yearly report, internal edition": READERS,
    "list the reports to download": EVERYONE,
    "download the documentation analysis": EVERYONE,
    "download the yearly report, pixi edition": EVERYONE,
    "download the yearly report, internal edition": READERS,
}

CONDITIONS = ["kode:professionel_tvivl", "problemgrad=Let"]
OUTCOME = "maalopnaaelse=I mål"


class Seed:
    """One small classified and auto-coded project (synthetic cases)."""

    def __init__(self, folder):
        self.folder = folder
        self.project = create_project(folder / "projekt", "Rettigheder", actor="test")
        self.project_id = self.project.project_id
        seed_analysis(self.project, n_cases=12)
        with self.project.sessions() as session:
            view = configurations.configurations(
                session=session, actor=ACTORS[A], project_id=self.project_id,
                outcome=OUTCOME, conditions=CONDITIONS)
        self.configuration = view.rows[0].code


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    made = Seed(tmp_path_factory.mktemp("rettigheder"))
    yield made
    made.project.close()


def _use_case(name: str, seed: Seed, actor: Actor):
    """The service call of use case ``name`` as a function of the session."""
    base = {"actor": actor, "project_id": seed.project_id}
    table = {"rows": "problemgrad", "cols": "maalopnaaelse"}
    folder = seed.folder / f"ud-{actor.role}-{actor.case_text_granted}"
    calls = {
        "crosstab of the project": lambda s: crosstabs.analyse_crosstab(
            session=s, **base, **table),
        "choices of the crosstab form": lambda s: crosstabs.analysis_choices(
            session=s, **base),
        "cases behind a number": lambda s: crosstabs.drill_down(
            session=s, **base, **table, row_value="Let"),
        "hypothesis table of the project": lambda s: hypotheses.hypothesis(
            session=s, **base, condition="reflekteret_indsatsjustering",
            outcome="maalopnaaelse", outcome_positive=["I mål"], moderator="problemgrad"),
        "features of the configuration form": lambda s: configurations.features_of_project(
            session=s, **base),
        "truth table of configurations": lambda s: configurations.configurations(
            session=s, **base, outcome=OUTCOME, conditions=CONDITIONS),
        "cases of a configuration": lambda s: configurations.configuration_cases(
            session=s, **base, outcome=OUTCOME, conditions=CONDITIONS,
            configuration=seed.configuration),
        "qca of the project": lambda s: configurations.qca(
            session=s, **base, outcome="reflekteret_indsatsjustering",
            conditions=["professionel_tvivl", "negativ_alliance"], with_necessity=True),
        "documentation analysis": lambda s: documentation.analyse_project_documentation(
            session=s, **base),
        "write the documentation report": lambda s: documentation.write_documentation_report(
            session=s, **base, folder=folder, formats=("html",)),
        "last year's key figures": lambda s: yearly.previous_year_figures(session=s, **base),
        "build the yearly report, pixi edition": lambda s: yearly.build_yearly_report(
            session=s, **base, pixi=True),
        "build the yearly report, internal edition": lambda s: yearly.build_yearly_report(
            session=s, **base),
        "write the yearly report, pixi edition": lambda s: yearly.write_yearly_report(
            session=s, **base, folder=folder, formats=("html",), pixi=True),
        "write the yearly report, internal edition": lambda s: yearly.write_yearly_report(
            session=s, **base, folder=folder, formats=("html",)),
        "list the reports to download": lambda s: downloads.report_offers(actor=actor),
        "download the documentation analysis": lambda s: _download(
            s, base, "dokumentationsanalyse"),
        "download the yearly report, pixi edition": lambda s: _download(
            s, base, "aarsrapport-pixi"),
        "download the yearly report, internal edition": lambda s: _download(
            s, base, "aarsrapport"),
    }
    return calls[name]


def _download(session, base, report: str) -> None:
    downloads.generate_report(session=session, **base, report=report, fmt="html").cleanup()


def test_every_use_case_is_in_the_matrix(seed):
    for name in EXPECTED:
        assert callable(_use_case(name, seed, ACTORS[A]))


@pytest.mark.parametrize("role", list(ACTORS))
@pytest.mark.parametrize("use_case", list(EXPECTED))
def test_matrix(seed, use_case: str, role: str):
    call = _use_case(use_case, seed, ACTORS[role])
    check_cell(seed.project, call, allowed=role in EXPECTED[use_case])


@pytest.mark.parametrize("role", list(ACTORS))
def test_quotes_behind_a_number_only_for_case_readers_and_logged(seed, role: str):
    with seed.project.sessions() as session:
        try:
            view = crosstabs.drill_down(session=session, actor=ACTORS[role],
                                        project_id=seed.project_id, rows="problemgrad",
                                        cols="maalopnaaelse", row_value="Let")
            logged = session.scalar(select(func.count(Event.id)).where(
                Event.action == "analyse_citater_vist"))
        finally:
            session.rollback()
    assert view.cases, "the seeded project has cases with a light severity"
    assert view.quotes_shown == (role in READERS)
    assert all((case.evidence is not None) == (role in READERS) for case in view.cases)
    assert logged == (1 if role in READERS else 0)
