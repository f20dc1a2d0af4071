"""Who may do what in the classification area: one role × use-case matrix that calls the
service functions directly, so the CLI and the web app inherit it.

Every call runs in a session rolled back afterwards, on one seeded project (authorisation
does not depend on the database, so SQLite only). The expected roles are written out by
hand, not derived from the code.
"""

from __future__ import annotations

import pytest
import yaml
from sqlalchemy import select

from classification_helpers import add_cases, call
from effektspor.services.authorization import Actor, PermissionDenied, Role
from effektspor.services.classification import queue, sheet, suggestions, tables, values, variables
from effektspor.services.project import create_project
from effektspor.store import tables as t

A, AN, K, L, LG = "administrator", "analytiker", "koder", "leder", "leder med sagstekst"
ACTORS = {
    A: Actor("admin", Role.ADMINISTRATOR),
    AN: Actor("ida", Role.ANALYST),
    K: Actor("anna", Role.CODER),
    L: Actor("lis", Role.LEADER),
    LG: Actor("lis", Role.LEADER, case_text_granted=True),
}
CLASSIFIERS = {A, AN, K}
READERS = {A, AN, K, LG}
EVERYONE = {A, AN, K, L, LG}

# use case → roles that may perform it
EXPECTED: dict[str, set[str]] = {
    "list the variables": EVERYONE,
    "define own variables": CLASSIFIERS,
    "set a value": CLASSIFIERS,
    "confirm the suggestion on the sheet": CLASSIFIERS,
    "import values": CLASSIFIERS,
    "see a value's history": READERS,
    "open the classification sheet": READERS,
    "see the classification queue": CLASSIFIERS,
    "open the next case to classify": CLASSIFIERS,
    "suggest values from the documents": CLASSIFIERS,
    "list open suggestions with quotes": READERS,
    "confirm suggestions": CLASSIFIERS,
    "reject suggestions": CLASSIFIERS,
    "the case table": EVERYONE,
    "the case table with derived variables": EVERYONE,
}

DOCUMENTS = {
    "S1": [("udskrivningsrapport", "Effektvurdering\nFamilien er kommet i mål."),
           ("bevilling", "Forældrene mangler struktur og faste rutiner i hverdagen.")],
    "S2": [("udskrivningsrapport", "Mor har ikke nået målet om at sætte grænser.")],
}


class Seed:
    """One project with two cases, open suggestions, a variable file and a value file."""

    def __init__(self, folder):
        self.folder = folder
        self.project = create_project(folder / "projekt", "Rettigheder", actor="test")
        self.project_id = self.project.project_id
        add_cases(self.project, {"S1": "Sandplay", "S2": "Sandplay"}, DOCUMENTS)
        call(self.project, suggestions.suggest_classifications, actor="admin")
        with self.project.sessions() as session:
            self.case_id = session.scalar(select(t.Case.id).where(t.Case.external_id == "S1"))
        self.sheet = call(self.project, sheet.view_sheet, actor="admin", case_id=self.case_id)
        self.variables = folder / "variable.yaml"
        self.variables.write_text(yaml.safe_dump({"variabler": [
            {"navn": "bopael", "etiket": "Bopæl", "type": "nominal",
             "værdier": ["By", "Land"]}]}, allow_unicode=True), encoding="utf-8")
        self.values = folder / "værdier.csv"
        self.values.write_text("sag;problemgrad\nS1;Let\nS2;Svær\n", encoding="utf-8")

    def outcome(self):
        """The sheet's målopnåelse (an open suggestion)."""
        return next(v for v in self.sheet.variables if v.name == "maalopnaaelse")


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    made = Seed(tmp_path_factory.mktemp("klassifikation"))
    yield made
    made.project.close()


def _use_case(name: str, seed: Seed, actor: Actor):
    """The service call of use case ``name`` as a function of the session."""
    base = {"actor": actor, "project_id": seed.project_id}
    outcome = seed.outcome()
    calls = {
        "list the variables": lambda s: variables.list_variables(session=s, **base),
        "define own variables": lambda s: variables.define_variables(
            session=s, **base, path=seed.variables),
        "set a value": lambda s: values.set_value(
            session=s, **base, case_external_id="S2", variable="problemgrad", value="Let"),
        "confirm the suggestion on the sheet": lambda s: values.set_value(
            session=s, **base, case_id=seed.case_id, variable=outcome.name,
            value=outcome.suggestion.value, seen_version=outcome.version),
        "import values": lambda s: values.import_values(session=s, **base, path=seed.values),
        "see a value's history": lambda s: values.value_history(
            session=s, **base, case_external_id="S1", variable="maalopnaaelse"),
        "open the classification sheet": lambda s: sheet.view_sheet(
            session=s, **base, case_id=seed.case_id),
        "see the classification queue": lambda s: queue.classification_queue(
            session=s, **base),
        "open the next case to classify": lambda s: queue.next_case_id(session=s, **base),
        "suggest values from the documents": lambda s: suggestions.suggest_classifications(
            session=s, **base),
        "list open suggestions with quotes": lambda s: suggestions.list_suggestions(
            session=s, **base),
        "confirm suggestions": lambda s: suggestions.confirm_suggestions(
            session=s, **base, case_ids=["S1"]),
        "reject suggestions": lambda s: suggestions.confirm_suggestions(
            session=s, **base, case_ids=["S2"], reject=True),
        "the case table": lambda s: tables.case_table(session=s, **base),
        "the case table with derived variables": lambda s: tables.case_table(
            session=s, **base, derived=True),
    }
    return calls[name]


def test_every_use_case_is_in_the_matrix(seed):
    for name in EXPECTED:
        assert callable(_use_case(name, seed, ACTORS[A]))


def test_the_seed_has_what_the_use_cases_need(seed):
    outcome = seed.outcome()
    assert outcome.current is None and outcome.suggestion.value == "I mål"


@pytest.mark.parametrize("role", list(ACTORS))
@pytest.mark.parametrize("use_case", list(EXPECTED))
def test_matrix(seed, use_case: str, role: str):
    service_call = _use_case(use_case, seed, ACTORS[role])
    with seed.project.sessions() as session:
        try:
            if role in EXPECTED[use_case]:
                service_call(session)
            else:
                with pytest.raises(PermissionDenied):
                    service_call(session)
        finally:
            session.rollback()  # every cell starts from the same seed
