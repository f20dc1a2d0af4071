"""The coding workbench's services: segments, codings in notes, who may change what,
undo, optimistic memo edits and deciding machine suggestions (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select

from coding_factories import autocode, codings_of
from effektspor.coding.segments import segment_text
from effektspor.domain.errors import ConflictError, EffektsporError, ValidationError
from effektspor.services.authorization import Actor, PermissionDenied, Role
from effektspor.services.coding.codings import (
    CodingChange,
    add_coding,
    remove_coding,
    update_memo,
)
from effektspor.services.coding.permissions import NotYourCoding
from effektspor.services.coding.suggestion_review import open_suggestions
from effektspor.services.coding.suggestions import SuggestionAlreadyDecided, decide_suggestions
from effektspor.services.coding.undo import undo
from effektspor.services.coding.workbench import case_workbench, notes_work, recent_codes
from effektspor.store.tables import Event
from effektspor.store.tables_coding import Coding, Suggestion
from web_seed import seed_cases
from web_seed_coding import first_note, open_suggestion, seed_trained_suggestions

ANNA = Actor("anna", Role.CODER)
BO = Actor("bo", Role.CODER)
ANALYST = Actor("ida", Role.ANALYST)
LEADER = Actor("lis", Role.LEADER, case_text_granted=True)


def test_segments_cover_the_text_once_with_overlaps_and_nesting():
    text = "abcdefghij"
    segments = segment_text(text, [(1, 2, 6), (2, 4, 8), (3, 4, 5), (4, -3, 1), (5, 9, 99),
                                   (6, 7, 7)])
    assert "".join(s.text for s in segments) == text
    assert [(s.start, s.end, s.covered_by) for s in segments] == [
        (0, 1, (4,)), (1, 2, ()), (2, 4, (1,)), (4, 5, (1, 2, 3)), (5, 6, (1, 2)),
        (6, 8, (2,)), (8, 9, ()), (9, 10, (5,))]
    assert segment_text("", [(1, 0, 3)]) == []
    assert segment_text("æøå😀x", [(1, 3, 4)])[1].text == "😀"  # code points, not UTF-16


def test_segments_agree_with_a_character_by_character_reading():
    import random

    rng = random.Random(7)
    for _ in range(200):
        text = "".join(rng.choice("ab 😀") for _ in range(rng.randint(0, 30)))
        spans = [(i, rng.randint(-2, 32), rng.randint(-2, 32)) for i in range(rng.randint(0, 6))]
        segments = segment_text(text, spans)
        assert "".join(s.text for s in segments) == text
        for segment in segments:
            for position in range(segment.start, segment.end):
                expected = tuple(i for i, a, b in spans if max(a, 0) <= position < min(b, len(text)))
                assert segment.covered_by == expected
        assert all(x.covered_by != y.covered_by for x, y in zip(segments, segments[1:], strict=False))


def _note(project):
    case_id = seed_cases(project, cases=1, notes_per_case=2)[0]
    return first_note(project, case_id)


def _add(project, actor, note_id, start, end, code="relationsarbejde", memo=None):
    with project.transaction() as session:
        return add_coding(session=session, actor=actor, project_id=project.project_id,
                          note_id=note_id, start=start, end=end, code=code,
                          memo=memo).coding_id


def test_two_coders_on_the_same_note_both_keep_their_codings(project):
    note_id, text = _note(project)
    with project.sessions() as first, project.sessions() as second:
        # Both open the note, then each saves a coding: neither overwrites the other.
        for session in (first, second):
            assert notes_work(session=session, actor=ANNA, project_id=project.project_id,
                              texts={note_id: text})[note_id].codings == []
        add_coding(session=first, actor=ANNA, project_id=project.project_id, note_id=note_id,
                   start=0, end=3, code="relationsarbejde")
        first.commit()
        add_coding(session=second, actor=BO, project_id=project.project_id, note_id=note_id,
                   start=2, end=9, code="professionel_tvivl")
        second.commit()
    codings = codings_of(project, note_id=note_id)
    assert sorted((c["coder"], c["start"], c["end"]) for c in codings) == [
        ("anna", 0, 3), ("bo", 2, 9)]
    with project.sessions() as session:
        work = notes_work(session=session, actor=LEADER, project_id=project.project_id,
                          texts={note_id: text})[note_id]
    assert "".join(p.text for p in work.pieces) == text
    overlap = [p for p in work.pieces if len(p.codings) == 2]
    assert overlap and overlap[0].text == text[2:3]
    assert "Relationsarbejde – anna" in overlap[0].title and "Professionel tvivl – bo" in overlap[0].title
    assert not any(c.may_change for c in work.codings)  # a leder reads only


def test_invalid_codings_are_refused_in_danish_and_nothing_is_written(project):
    note_id, text = _note(project)
    with pytest.raises(ValidationError) as raised:
        _add(project, ANNA, note_id, 5, len(text) + 1, code="findes_ikke")
    messages = " ".join(p.message for p in raised.value.problems)
    assert "findes ikke i kodebogen" in messages and "ligger ikke inden for notatet" in messages
    with pytest.raises(PermissionDenied):
        _add(project, LEADER, note_id, 0, 3)
    assert codings_of(project) == []
    with project.sessions() as session:
        assert session.scalar(select(func.count(Event.id))
                              .where(Event.action == "kodning_tilføjet")) == 0


def test_who_may_delete_what_and_a_stale_delete_is_a_conflict(project):
    note_id, _text = _note(project)
    anna = _add(project, ANNA, note_id, 0, 3)
    with pytest.raises(NotYourCoding, match="anna"), project.transaction() as session:
        remove_coding(session=session, actor=BO, project_id=project.project_id, coding_id=anna)
    autocode(project)
    machine = next(c["id"] for c in codings_of(project) if c["coder"] == "maskine")
    with pytest.raises(NotYourCoding, match="maskinen"), project.transaction() as session:
        remove_coding(session=session, actor=ANNA, project_id=project.project_id, coding_id=machine)
    with project.sessions() as first, project.sessions() as second:
        assert first.get(Coding, anna) is not None and second.get(Coding, anna) is not None
        remove_coding(session=first, actor=ANNA, project_id=project.project_id, coding_id=anna)
        first.commit()
        with pytest.raises(ConflictError):  # the second tab still shows the coding
            remove_coding(session=second, actor=ANALYST, project_id=project.project_id,
                          coding_id=anna)
    with project.transaction() as session:
        remove_coding(session=session, actor=ANALYST, project_id=project.project_id,
                      coding_id=machine)
    assert {c["id"] for c in codings_of(project)} & {anna, machine} == set()


def test_undo_restores_a_deleted_coding_once_and_undo_of_an_add_deletes_it(project):
    note_id, text = _note(project)
    coding_id = _add(project, ANNA, note_id, 4, 11, memo="vigtigt")
    with project.transaction() as session:
        event_id = remove_coding(session=session, actor=ANNA, project_id=project.project_id,
                                 coding_id=coding_id).event_id
    with pytest.raises(NotYourCoding), project.transaction() as session:
        undo(session=session, actor=BO, project_id=project.project_id, event_id=event_id)
    with project.transaction() as session:
        change = undo(session=session, actor=ANNA, project_id=project.project_id,
                      event_id=event_id)
    new_id = change.coding_id
    (restored,) = codings_of(project)
    assert change.note_id == note_id and restored["id"] == new_id
    assert (restored["start"], restored["end"], restored["code"], restored["coder"],
            restored["memo"], restored["quote"]) == (4, 11, "relationsarbejde", "anna",
                                                     "vigtigt", text[4:11])
    with pytest.raises(ConflictError, match="allerede"), project.transaction() as session:
        undo(session=session, actor=ANALYST, project_id=project.project_id, event_id=event_id)
    with project.transaction() as session:
        remove_coding(session=session, actor=ANNA, project_id=project.project_id,
                      coding_id=new_id, undoing_addition=True)
    assert codings_of(project) == []
    with project.sessions() as session:
        actions = list(session.scalars(select(Event.action).where(
            Event.action.like("kodning_%")).order_by(Event.id)))
    assert actions == ["kodning_tilføjet", "kodning_fjernet", "kodning_gendannet",
                       "kodning_fortrudt"]


def test_undo_of_an_addition_event_removes_the_coding_once(project):
    note_id, _text = _note(project)
    coding_id = _add(project, ANNA, note_id, 0, 3)
    with project.sessions() as session:
        added, other = (session.scalar(select(Event.id).where(Event.action == action))
                        for action in ("kodning_tilføjet", "kodebog_indlæst"))
    with pytest.raises(NotYourCoding), project.transaction() as session:
        undo(session=session, actor=BO, project_id=project.project_id, event_id=added)
    with project.transaction() as session:
        change = undo(session=session, actor=ANNA, project_id=project.project_id,
                      event_id=added)
    assert (change.note_id, change.coding_id) == (note_id, coding_id)
    assert codings_of(project) == []
    with pytest.raises(ConflictError, match="findes ikke"), project.transaction() as session:
        undo(session=session, actor=ANNA, project_id=project.project_id, event_id=added)
    with pytest.raises(EffektsporError, match="ingen kodning at fortryde"), \
            project.transaction() as session:
        undo(session=session, actor=ANALYST, project_id=project.project_id, event_id=other)


def test_memo_edit_is_optimistic(project):
    note_id, _text = _note(project)
    coding_id = _add(project, ANNA, note_id, 0, 3, memo="første")
    with project.transaction() as session:
        update_memo(session=session, actor=ANALYST, project_id=project.project_id,
                    coding_id=coding_id, memo="analytikerens", previous="første")
    with pytest.raises(ConflictError) as raised, project.transaction() as session:
        update_memo(session=session, actor=ANNA, project_id=project.project_id, coding_id=coding_id,
                    memo="annas", previous="første")
    assert "»analytikerens«" in str(raised.value) and "ida" in str(raised.value)
    assert codings_of(project)[0]["memo"] == "analytikerens"
    with project.transaction() as session:
        update_memo(session=session, actor=ANNA, project_id=project.project_id, coding_id=coding_id,
                    memo="  ", previous="analytikerens")
    assert codings_of(project)[0]["memo"] is None


def test_case_workbench_loads_codings_of_all_shown_notes_in_fixed_queries(project):
    case_id = seed_cases(project, cases=1, notes_per_case=60)[0]
    with project.sessions() as session:
        from effektspor.store.tables import Note

        notes = dict(session.execute(select(Note.id, Note.text)
                                     .where(Note.case_id == case_id)).all())
    for note_id, text in list(notes.items())[:30]:
        _add(project, ANNA, note_id, 0, len(text) // 2)
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(project.engine, "before_cursor_execute", count)
    try:
        with project.sessions() as session:
            work = case_workbench(session=session, actor=ANNA, project_id=project.project_id,
                                  notes=notes)
    finally:
        event.remove(project.engine, "before_cursor_execute", count)
    assert len(statements) <= 4  # codebook, recent codes, codings, suggestions
    assert sum(len(w.codings) for w in work.notes.values()) == 30
    assert work.can_code and work.recent == ["relationsarbejde"]
    assert work.code_table[0]["colour"].startswith("#")


def test_recent_codes_are_the_coders_own_newest_first(project):
    note_id, _text = _note(project)
    for code in ("relationsarbejde", "professionel_tvivl", "relationsarbejde", "tryg_atmosfaere"):
        _add(project, ANNA, note_id, 0, 3, code=code)
    _add(project, BO, note_id, 0, 3, code="indsatsjustering")
    with project.sessions() as session:
        assert recent_codes(session=session, actor=ANNA, project_id=project.project_id) == [
            "tryg_atmosfaere", "relationsarbejde", "professionel_tvivl"]


def test_deciding_suggestions_one_by_one_in_bulk_and_stale(project):
    case_id = seed_cases(project, cases=1)[0]
    first, second, third = (open_suggestion(project, case_id, code=c) for c in
                            ("professionel_tvivl", "relationsarbejde", "indsatsjustering"))
    with project.transaction() as session:
        decide_suggestions(session=session, actor=ANNA, project_id=project.project_id,
                           suggestion_ids=[first], accept=True)
    (coding,) = codings_of(project)
    assert coding["coder"] == "anna" and coding["code"] == "professionel_tvivl"
    with pytest.raises(SuggestionAlreadyDecided, match="accepteret af anna"), \
            project.transaction() as session:
        decide_suggestions(session=session, actor=BO, project_id=project.project_id,
                           suggestion_ids=[second, first], accept=False, reason="nej")
    with project.sessions() as session:  # all or nothing: the second is still open
        assert session.get(Suggestion, second).status == "foreslået"
    with project.transaction() as session:
        decide_suggestions(session=session, actor=BO, project_id=project.project_id,
                           suggestion_ids=[second, third], accept=False,
                           reason="Passer ikke til notatet")
    with project.sessions() as session:
        rejected = list(session.scalars(select(Event).where(Event.action == "forslag_afvist")))
        assert {e.details["begrundelse"] for e in rejected} == {"Passer ikke til notatet"}
        assert session.get(Suggestion, third).decided_by == "bo"
    with pytest.raises(PermissionDenied), project.transaction() as session:
        decide_suggestions(session=session, actor=LEADER, project_id=project.project_id,
                           suggestion_ids=[third], accept=True)


def test_open_suggestions_show_the_reasons_of_a_trained_model(project):
    new_notes = seed_trained_suggestions(project)
    with project.transaction() as session:
        page = open_suggestions(session=session, actor=ANNA, project_id=project.project_id,
                                case="F-1")
    doubt = [r for r in page.rows if r.note_id == new_notes[0]
             and r.code == "professionel_tvivl"]
    assert doubt, page.rows
    reason = doubt[0]
    assert reason.code_name == "Professionel tvivl" and 0.5 <= reason.confidence <= 1
    assert reason.quality.training_notes == 24 and reason.quality.positives == 12
    assert reason.quality.f1 is not None
    assert "tvivl" in reason.sentence and "frokost" not in reason.sentence
    assert page.total == len(page.rows) and all(r.case_external_id == "F-1" for r in page.rows)
    with project.transaction() as session:
        only = open_suggestions(session=session, actor=ANNA, project_id=project.project_id,
                                code="relationsarbejde", page_size=1)
    assert all(r.code == "relationsarbejde" for r in only.rows) and len(only.rows) <= 1
    assert ("professionel_tvivl", "Professionel tvivl") in [(k, n) for k, n, _ in only.codes]


def _race(project, first_call, second_call):
    """Run two calls in their own sessions at the same time (the first commits after a
    pause, while the second is already waiting on the row); returns their outcomes."""
    import threading
    import time

    ready = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def run(name, call, pause):
        with project.sessions() as session:
            ready.wait()
            time.sleep(0 if pause else 0.1)
            try:
                outcomes[name] = call(session)
                time.sleep(0.4 if pause else 0)
                session.commit()
            except Exception as error:  # noqa: BLE001 - the outcome is what is tested
                session.rollback()
                outcomes[name] = error

    threads = [threading.Thread(target=run, args=("first", first_call, True)),
               threading.Thread(target=run, args=("second", second_call, False))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_simultaneous_decisions_and_deletes_have_one_winner(project):
    if project.is_local:
        pytest.skip("Samtidige skrivninger prøves på PostgreSQL (SQLite er én bruger)")
    case_id = seed_cases(project, cases=1)[0]
    suggestion_id = open_suggestion(project, case_id)
    outcomes = _race(
        project,
        lambda s: decide_suggestions(session=s, actor=ANNA, project_id=project.project_id,
                                     suggestion_ids=[suggestion_id], accept=True),
        lambda s: decide_suggestions(session=s, actor=BO, project_id=project.project_id,
                                     suggestion_ids=[suggestion_id], accept=False))
    assert isinstance(outcomes["second"], SuggestionAlreadyDecided), outcomes
    assert "accepteret af anna" in str(outcomes["second"])
    assert [c["coder"] for c in codings_of(project)] == ["anna"]
    note_id, _text = first_note(project, case_id)
    coding_id = _add(project, ANNA, note_id, 0, 3)
    outcomes = _race(
        project,
        lambda s: remove_coding(session=s, actor=ANNA, project_id=project.project_id,
                                coding_id=coding_id),
        lambda s: remove_coding(session=s, actor=ANALYST, project_id=project.project_id,
                                coding_id=coding_id))
    assert isinstance(outcomes["second"], ConflictError), outcomes
    with project.sessions() as session:
        deletions = session.scalars(select(Event).where(Event.action == "kodning_fjernet"))
        assert [e.actor for e in deletions] == ["anna"]


def test_two_first_codings_of_a_project_at_once_both_store(project):
    if project.is_local:
        pytest.skip("Samtidige skrivninger prøves på PostgreSQL (SQLite er én bruger)")
    note_id, _text = _note(project)  # no codebook stored yet: both codings store it
    outcomes = _race(
        project,
        lambda s: add_coding(session=s, actor=ANNA, project_id=project.project_id, note_id=note_id,
                             start=0, end=3, code="relationsarbejde"),
        lambda s: add_coding(session=s, actor=BO, project_id=project.project_id, note_id=note_id,
                             start=1, end=4, code="relationsarbejde"))
    assert all(isinstance(v, CodingChange) for v in outcomes.values()), outcomes
    assert sorted(c["coder"] for c in codings_of(project)) == ["anna", "bo"]
