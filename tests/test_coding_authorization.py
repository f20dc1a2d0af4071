"""Who may do what in the coding area: one role × use-case matrix that calls the service
functions directly, so the CLI and the web app inherit it.

Every call runs in its own unit of work, rolled back afterwards, on one seeded project
(authorisation does not depend on the database, so SQLite only). The expected roles are
written out by hand, not derived from the code.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from coding_factories import ANALYST, add_case_with_notes, autocode, code_passage
from effektspor.services.authorization import Actor, Role
from effektspor.services.coding import (
    autocoding,
    codings,
    queries,
    refi,
    suggestion_review,
    suggestions,
    undo,
    workbench,
)
from effektspor.services.contract import unit_of_work
from effektspor.services.project import create_project
from effektspor.store.tables import Event, Note
from effektspor.store.tables_coding import MACHINE_CODER, Coding
from support.authorization import check_cell
from web_seed_coding import open_suggestion, seed_trained_suggestions

A, AN, K, L, LG = "administrator", "analytiker", "koder", "leder", "leder med sagstekst"
ACTORS = {
    A: Actor("admin", Role.ADMINISTRATOR),
    AN: Actor("ida", Role.ANALYST),
    K: Actor("anna", Role.CODER),
    L: Actor("lis", Role.LEADER),
    LG: Actor("lis", Role.LEADER, case_text_granted=True),
}
OTHER = "bo"  # another koder
CODERS = {A, AN, K}
CHANGE_ALL = {A, AN}
READERS = {A, AN, K, LG}
EVERYONE = {A, AN, K, L, LG}

# use case → roles that may perform it
EXPECTED: dict[str, set[str]] = {
    "add a coding": CODERS,
    "list codings": READERS,
    "remove own coding": CODERS,
    "remove someone else's coding": CHANGE_ALL,
    "remove the machine's coding": CHANGE_ALL,
    "edit the memo of own coding": CODERS,
    "edit the memo of someone else's coding": CHANGE_ALL,
    "undo own removal": CODERS,
    "undo someone else's removal": CHANGE_ALL,
    "undo someone else's addition": CHANGE_ALL,
    "open the case workbench": READERS,
    "open one note's workbench": READERS,
    "review open suggestions": CODERS,
    "list suggestions": CODERS,
    "decide a suggestion": CODERS,
    "auto-code the project": CHANGE_ALL,
    "train the suggestion model": CHANGE_ALL,
    "propose suggestions": CHANGE_ALL,
    "search the notes": READERS,
    "count words": READERS,
    "overview per code with examples": READERS,
    "code co-occurrence": EVERYONE,
    "export REFI-QDA": READERS,
    "import REFI-QDA": CHANGE_ALL,
}


class Seed:
    """One project with a coding, a removal and an addition by every name, and more."""

    def __init__(self, folder):
        self.folder = folder
        self.project = create_project(folder / "projekt", "Rettigheder", actor="test")
        self.project_id = self.project.project_id
        self.new_notes = seed_trained_suggestions(self.project)
        (self.note_id,) = add_case_with_notes(self.project, "R-1", [
            (date(2019, 4, 1), "Familieforhold", "Jeg er i tvivl om min tilgang til far.")])
        autocode(self.project)
        self.coding, self.removal, self.addition = {}, {}, {}
        for name in {actor.name for actor in ACTORS.values()} | {OTHER}:
            self.coding[name] = self._code(name)
            removed = self._code(name)
            with unit_of_work(self.project) as session:
                self.removal[name] = codings.remove_coding(
                    session=session, actor=Actor(name, Role.ADMINISTRATOR),
                    project_id=self.project_id, coding_id=removed).event_id
            self.addition[name] = self._addition_event(self._code(name))
        with self.project.sessions() as session:
            self.machine = session.scalar(select(Coding.id).where(
                Coding.coder == MACHINE_CODER).limit(1))
        self.suggestion = open_suggestion(self.project, self._case_of_note())
        self.archive = folder / "projekt.qdpx"
        with unit_of_work(self.project) as session:
            refi.export_project_qdpx(session=session, actor=ANALYST,
                                     project_id=self.project_id, output=self.archive)

    def _code(self, name: str) -> int:
        return code_passage(self.project, coder=name, note_id=self.note_id, start=0, end=3,
                            code="relationsarbejde", memo="m")

    def _addition_event(self, coding_id: int) -> int:
        with self.project.sessions() as session:
            return session.scalar(select(Event.id).where(
                Event.action == "kodning_tilføjet", Event.object_id == str(coding_id)))

    def _case_of_note(self) -> int:
        with self.project.sessions() as session:
            return session.get(Note, self.note_id).case_id


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    made = Seed(tmp_path_factory.mktemp("rettigheder"))
    yield made
    made.project.close()


def _use_case(name: str, seed: Seed, actor: Actor):
    """The service call of use case ``name`` as a function of the session."""
    own, other = actor.name, OTHER
    base = {"actor": actor, "project_id": seed.project_id}
    calls = {
        "add a coding": lambda s: codings.add_coding(
            session=s, **base, note_id=seed.note_id, start=0, end=3, code="relationsarbejde"),
        "list codings": lambda s: codings.list_codings(session=s, **base),
        "remove own coding": lambda s: codings.remove_coding(
            session=s, **base, coding_id=seed.coding[own]),
        "remove someone else's coding": lambda s: codings.remove_coding(
            session=s, **base, coding_id=seed.coding[other]),
        "remove the machine's coding": lambda s: codings.remove_coding(
            session=s, **base, coding_id=seed.machine),
        "edit the memo of own coding": lambda s: codings.update_memo(
            session=s, **base, coding_id=seed.coding[own], memo="ny", previous="m"),
        "edit the memo of someone else's coding": lambda s: codings.update_memo(
            session=s, **base, coding_id=seed.coding[other], memo="ny", previous="m"),
        "undo own removal": lambda s: undo.undo(session=s, **base,
                                                event_id=seed.removal[own]),
        "undo someone else's removal": lambda s: undo.undo(session=s, **base,
                                                           event_id=seed.removal[other]),
        "undo someone else's addition": lambda s: undo.undo(session=s, **base,
                                                            event_id=seed.addition[other]),
        "open the case workbench": lambda s: workbench.case_workbench(
            session=s, **base, notes={seed.note_id: "tekst"}),
        "open one note's workbench": lambda s: workbench.note_work(
            session=s, **base, note_id=seed.note_id),
        "review open suggestions": lambda s: suggestion_review.open_suggestions(
            session=s, **base),
        "list suggestions": lambda s: suggestions.list_suggestions(session=s, **base),
        "decide a suggestion": lambda s: suggestions.decide_suggestions(
            session=s, **base, suggestion_ids=[seed.suggestion], accept=True),
        "auto-code the project": lambda s: autocoding.autocode_project(session=s, **base),
        "train the suggestion model": lambda s: suggestions.train_suggestion_model(
            session=s, **base, folds=2),
        "propose suggestions": lambda s: suggestions.propose_suggestions(session=s, **base),
        "search the notes": lambda s: queries.search_notes(session=s, **base, query="tvivl"),
        "count words": lambda s: queries.note_word_frequencies(session=s, **base),
        "overview per code with examples": lambda s: queries.code_overview(session=s, **base),
        "code co-occurrence": lambda s: queries.code_cooccurrence(session=s, **base),
        "export REFI-QDA": lambda s: refi.export_project_qdpx(
            session=s, **base, output=seed.folder / f"ud-{actor.role}.qdpx"),
        "import REFI-QDA": lambda s: refi.import_project_qdpx(session=s, **base,
                                                              path=seed.archive),
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
