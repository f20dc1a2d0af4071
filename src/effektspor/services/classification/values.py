"""A case's values: set one (the sheet's save and ``klassificer``), import many, history.

Setting a value uses optimistic locking when the caller saw a value: the sheet's form
carries the version of the value the coder saw (``sheet.VariableSheet.version``); if
someone else changed it since, nothing is written and :class:`ClassificationConflict`
tells who set what. Values are never overwritten: the new one supersedes the old, and
every change is one event in the log, built by ``domain.events``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from effektspor.domain import events
from effektspor.domain.errors import EffektsporError, Problem, ValidationError
from effektspor.services.authorization import Action, Actor, require
from effektspor.services.classification.shared import (
    case_ids,
    case_of_project,
    ensure_variables,
    now,
    to_variable,
    validated_value,
    variable_row,
    write_confirmed_value,
)
from effektspor.services.classification.sheet import ValueInfo, variable_sheets
from effektspor.services.classification.suggestions import decide_suggestion
from effektspor.services.contract import UnitOfWork
from effektspor.services.events import record_event
from effektspor.services.recoding.shared import blind_case_ids, is_blind
from effektspor.store.tables_analysis import ClassificationValue


class ClassificationConflict(EffektsporError):
    """Someone else changed the value since the coder opened the sheet; nothing was saved."""

    def __init__(self, variable_label: str, current: ValueInfo | None):
        self.variable_label = variable_label
        self.current = current
        if current is None:
            value_now = "har nu ingen værdi"
        else:
            value_now = (f"er nu „{current.value}“ ({current.status_label}, sat af "
                         f"{current.decided_by or current.coder})")
        super().__init__(
            f"{variable_label} er ændret af en anden, mens du havde sagen åben: værdien "
            f"{value_now}. Din ændring er ikke gemt. Se den nye værdi, og vælg igen, hvis du "
            "stadig er uenig.")


class BlindRecodingCase(EffektsporError):
    """The case is in the actor's blind re-coding sample; values go on the re-coding page."""


@dataclass(frozen=True, slots=True)
class ValueSet:
    """What setting one value did."""

    case_id: int
    case_external_id: str
    variable: str
    variable_label: str
    old_value: str | None  # the confirmed value before (None if there was none)
    value: str
    changed: bool
    confirmed_suggestion: bool  # the value confirmed the open suggestion (evidence kept)


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import of values did."""

    file: str
    rows: int
    changed: int
    unchanged: int


def set_value(*, session: UnitOfWork, actor: Actor, project_id: int, variable: str,
              value: str, case_id: int | None = None, case_external_id: str | None = None,
              seen_version: str | None = None, reason: str | None = None) -> ValueSet:
    """Set a case's value of ``variable`` (name or label) as decided by ``actor``.

    The case by id or by case number. ``seen_version`` is the version the actor's form
    showed (the sheet); if the value changed since, :class:`ClassificationConflict` is
    raised and nothing is written (None: no such check, as on the command line).
    Choosing the open suggestion's value, while no value is confirmed, confirms the
    suggestion (its evidence is kept); any other value is stored with ``reason`` as
    explanation. Refused for a case of the actor's blind re-coding sample.
    """
    require(actor, Action.CLASSIFY_CASES)
    coder = actor.name.strip()
    if not coder:
        raise EffektsporError("Angiv hvem der har kodet værdien (--koder NAVN).")
    case = case_of_project(session, project_id, case_id=case_id,
                           case_external_id=case_external_id, lock=True)
    if is_blind(session, project_id=project_id, coder=coder,
                case_external_id=case.external_id):
        raise BlindRecodingCase(
            f"Sag {case.external_id} er i din blinde rekodning. Angiv dine værdier på "
            "rekodningssiden, så din vurdering forbliver uafhængig.")
    row = variable_row(ensure_variables(session, project_id, actor=coder), variable)
    sheet = variable_sheets(session, [row], case.id)[0]
    if seen_version is not None and sheet.version != seen_version:
        raise ClassificationConflict(row.label, sheet.shown)
    canonical = validated_value(row, value)
    reason = (reason or "").strip() or None
    old = sheet.current.value if sheet.current else None
    suggestion = sheet.suggestion
    if sheet.current is None and suggestion is not None and suggestion.value == canonical:
        stored = session.get(ClassificationValue, suggestion.id)
        decide_suggestion(stored, actor=coder, now=now(), current=None)
        if reason:
            stored.explanation = f"{stored.explanation or ''}\nBegrundelse: {reason}".strip()
        record_event(session, events.classification_suggestions_decided(
            decided=[[case.external_id, row.name, canonical]], rejected=False,
            case_external_id=case.external_id, reason=reason),
            actor=coder, project_id=project_id)
        session.flush()
        return ValueSet(case.id, case.external_id, row.name, row.label, old, canonical,
                        True, True)
    change = write_confirmed_value(session, project_id=project_id, case=case, variable=row,
                                   value=canonical, coder=coder, actor=coder, origin="manuel",
                                   explanation=reason)
    if change.changed:
        record_event(session, events.classification_set(
            case_external_id=case.external_id, variable=row.name, before=change.old_value,
            after=canonical, coder=coder, reason=reason), actor=coder, project_id=project_id)
    session.flush()
    return ValueSet(case.id, case.external_id, row.name, row.label, old, canonical,
                    change.changed, False)


def import_values(*, session: UnitOfWork, actor: Actor, project_id: int,
                  path: Path) -> ImportSummary:
    """Import many values from CSV/XLSX (long or wide layout), coded by ``actor``.

    Every row is validated first (Danish errors with file, line and field); if any row
    is wrong, nothing is stored. Cases of the actor's blind re-coding sample are refused.
    """
    from effektspor.classification.sheets import read_value_table  # openpyxl: on use only

    require(actor, Action.CLASSIFY_CASES)
    path = Path(path)
    coder = actor.name.strip()
    if not coder:
        raise EffektsporError("Angiv hvem der har kodet værdierne (--koder NAVN).")
    rows = ensure_variables(session, project_id, actor=coder)
    cases = case_ids(session, project_id)
    values = read_value_table(path, [to_variable(r) for r in rows.values()], known_cases=cases)
    blind = blind_case_ids(session, project_id=project_id, coder=coder)
    refused = sorted({v.case_external_id for v in values} & blind)
    if refused:
        raise ValidationError([Problem(
            f"sag {case} er i din blinde rekodning; angiv værdien på rekodningssiden",
            file=path.name, field="sag") for case in refused])
    changes = [write_confirmed_value(session, project_id=project_id,
                                     case=cases[v.case_external_id],
                                     variable=rows[v.variable], value=v.value,
                                     coder=coder, actor=coder, origin="import")
               for v in values]
    changed = [c for c in changes if c.changed]
    record_event(session, events.classifications_imported(
        file_name=path.name, coder=coder, rows=len(values),
        changes=[[c.case_external_id, c.variable, c.old_value, c.new_value] for c in changed]),
        actor=coder, project_id=project_id)
    session.flush()
    return ImportSummary(path.name, len(values), len(changed), len(changes) - len(changed))


def value_history(*, session: UnitOfWork, actor: Actor, project_id: int,
                  case_external_id: str, variable: str) -> list[dict]:
    """Every value ever given to a case's variable, oldest first (status, coder, evidence
    quote: case text)."""
    require(actor, Action.READ_CASE_TEXT)
    row = variable_row(ensure_variables(session, project_id, actor=actor.name), variable)
    case = case_of_project(session, project_id, case_external_id=case_external_id)
    history = session.scalars(select(ClassificationValue).where(
        ClassificationValue.case_id == case.id, ClassificationValue.variable_id == row.id)
        .order_by(ClassificationValue.id))
    return [{"værdi": h.value, "status": h.status, "koder": h.coder, "oprindelse": h.origin,
             "oprettet": h.created_at, "afgjort_af": h.decided_by,
             "erstattet": h.superseded_at is not None, "citat": h.evidence_quote}
            for h in history]
