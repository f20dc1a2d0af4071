"""The event log's vocabulary: only declared actions are logged, and the coding events'
payloads are fixed by their constructors (the values stay today's stored strings)."""

from __future__ import annotations

import ast
from pathlib import Path
from types import SimpleNamespace

import pytest

from effektspor.domain import events
from effektspor.domain.events import EventAction, LogEntry, UndeclaredAction
from effektspor.services.events import log_event

SOURCE = Path(__file__).resolve().parents[1] / "src" / "effektspor"
#: The vocabulary and the writer themselves pass actions on as variables.
VOCABULARY = {Path("domain/events.py"), Path("services/events.py")}


def _literal_actions(node: ast.expr) -> list[str] | None:
    """The action strings an ``action=`` argument can take, or None if not literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _literal_actions(node.body), _literal_actions(node.orelse)
        return None if body is None or orelse is None else body + orelse
    if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
            and node.value.id == "EventAction"):
        return [EventAction[node.attr].value]
    return None


def _logged_actions() -> list[tuple[str, list[str] | None]]:
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        if path.relative_to(SOURCE) in VOCABULARY:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            where = f"{path.relative_to(SOURCE)}:{node.lineno}"
            if name == "log_event":
                action = next((k.value for k in node.keywords if k.arg == "action"), None)
                found.append((where, None if action is None else _literal_actions(action)))
            elif name == "LogEntry" and node.args:
                found.append((where, _literal_actions(node.args[0])))
    return found


def test_every_action_logged_in_the_source_is_declared():
    logged = _logged_actions()
    assert len(logged) > 10  # the scan finds the calls (fewer as areas get constructors)
    declared = {action.value for action in EventAction}
    not_literal = [where for where, actions in logged if actions is None]
    assert not not_literal, ("Skriv handlingen som EventAction.X eller en konstruktør i "
                             f"domain/events.py, ikke et udtryk: {not_literal}")
    undeclared = [(where, action) for where, actions in logged for action in actions
                  if action not in declared]
    assert not undeclared, f"Ikke erklæret i EventAction: {undeclared}"


def test_the_stored_strings_are_kept():
    # The values are what existing event logs hold; renaming one would orphan old events.
    assert len(EventAction) == 48 and len({a.value for a in EventAction}) == 48
    assert EventAction.YEARLY_REPORT_WRITTEN == "aarsrapport_skrevet"
    assert EventAction.CODING_MEMO_CHANGED == "kodning_memo_ændret"


def test_an_undeclared_action_is_refused_before_anything_is_written():
    with pytest.raises(UndeclaredAction, match="kodning_slettet"):
        log_event(None, actor="anna", action="kodning_slettet")
    with pytest.raises(UndeclaredAction):
        LogEntry("noget_nyt")


def _coding(**changes):
    values = dict(id=7, note_id=3, code_key="relationsarbejde", start=4, end=11,
                  coder="anna", memo="vigtigt", rule_id=None, codebook_id=2,
                  codebook_version="2019.1", suggestion_id=None)
    values.update(changes)
    return SimpleNamespace(**values)


def test_a_removal_keeps_what_restoring_needs_and_reads_back():
    entry = events.coding_removed(_coding())
    assert (entry.action, entry.object_type, entry.object_id) == (
        EventAction.CODING_REMOVED, "kodning", 7)
    kept = events.removed_coding(entry.details)
    assert kept == events.RemovedCoding(3, "relationsarbejde", 4, 11, "anna", "vigtigt",
                                        None, 2, "2019.1", None)
    undo = events.coding_removed(_coding(), undoing_addition=True)
    assert undo.action is EventAction.CODING_ADDITION_UNDONE and undo.details == entry.details
    assert "quote" not in entry.details  # no case text in the log


def test_a_removal_logged_by_the_old_cli_is_recognised_as_not_restorable():
    assert events.removed_coding({"kode": "relationsarbejde", "koder": "bo",
                                  "notat": 3}) is None


@pytest.mark.parametrize("entry, action, keys", [
    (events.coding_added(coding_id=1, note_id=2, code="k", start=0, end=3),
     EventAction.CODING_ADDED, {"notat", "kode", "start", "slut"}),
    (events.coding_restored(removal_event_id=9, coding_id=1, previous_id="7", note_id=2,
                            code="k", coder="anna"),
     EventAction.CODING_RESTORED, {"kodning", "tidligere_id", "notat", "kode", "koder"}),
    (events.coding_memo_changed(coding_id=1, note_id=2, before=None, after="m"),
     EventAction.CODING_MEMO_CHANGED, {"notat", "før", "efter"}),
    (events.codebook_stored(codebook_id=1, name="Randers", version="2019.1"),
     EventAction.CODEBOOK_STORED, {"navn", "version"}),
    (events.autocoding_done(codebook_id=1, version="2019.1", notes=2, codings=3, removed=0),
     EventAction.AUTOCODING, {"version", "noter", "kodninger", "fjernet"}),
    (events.suggestion_model_trained(model_id=1, notes=6, codes=["k"]),
     EventAction.SUGGESTION_MODEL_TRAINED, {"notater", "koder"}),
    (events.suggestions_made(model_id=1, count=4, threshold=0.5),
     EventAction.SUGGESTIONS_MADE, {"antal", "tærskel"}),
    (events.suggestions_viewed(count=2, page=1, code=None, case=None),
     EventAction.SUGGESTIONS_VIEWED, {"antal", "side", "kode", "sag"}),
    (events.suggestion_decided(suggestion_id=1, accepted=True, code="k", note_id=2),
     EventAction.SUGGESTION_ACCEPTED, {"kode", "notat"}),
    (events.suggestion_decided(suggestion_id=1, accepted=False, code="k", note_id=2,
                               reason="nej"),
     EventAction.SUGGESTION_REJECTED, {"kode", "notat", "begrundelse"}),
    (events.refi_exported(file_name="p.qdpx", codings=3),
     EventAction.REFI_EXPORT, {"fil", "kodninger"}),
    (events.refi_imported(file_name="p.qdpx", imported=1, already_present=2, unmatched=0),
     EventAction.REFI_IMPORT, {"fil", "importeret", "fandtes", "uden_notat"}),
])
def test_each_coding_event_has_a_fixed_payload(entry, action, keys):
    assert entry.action is action and set(entry.details) == keys
