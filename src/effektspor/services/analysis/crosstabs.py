"""Crosstabs of the project like the published tables (the web's analysis page and the
CLI's ``krydstabel`` on a project call the same :func:`analyse_crosstab`), with drill-down
to the cases behind every number and, for those who may read case text, the quotes
behind them.

Everyone who may see reports (VIEW_REPORTS) sees counts and case numbers; quotes need
READ_CASE_TEXT, are checked here (not only in the page) and are written to the event log.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from effektspor.analysis.crosstab import Crosstab, crosstab, multi_response_crosstab
from effektspor.analysis.inference import TestResult
from effektspor.domain import events
from effektspor.domain.errors import EffektsporError
from effektspor.domain.formatting import format_p
from effektspor.domain.variables import OUTCOME
from effektspor.services.analysis.evidence import CaseEvidence, case_evidence
from effektspor.services.analysis.frame import (
    ALLIANCE_SET,
    MULTI_PREFIX,
    AnalysisFrame,
    Choice,
    load_frame,
)
from effektspor.services.authorization import Action, Actor, require
from effektspor.services.classification import TEAM_COLUMN
from effektspor.services.contract import UnitOfWork
from effektspor.services.events import record_event
from effektspor.services.recoding.shared import blind_case_ids

ALPHA = 0.05
NOT_SIGNIFICANT = ("Forskellene i tabellen er ikke statistisk signifikante: de kan skyldes "
                   "tilfældigheder, så drøft dem som spørgsmål til praksis, ikke som fund.")
SIGNIFICANT = ("Sammenhængen er statistisk signifikant på 5 %-niveauet. Med få sager kan "
               "enkelte sager stadig flytte meget: se sagerne bag cellerne.")


@dataclass(frozen=True)
class Preset:
    """A published table as one click: its title and the variables it crosses."""

    key: str
    title: str
    rows: str
    cols: str = ""


PRESETS: tuple[Preset, ...] = (
    Preset("tabel2", "Tabel 2 – Effektvurderinger", OUTCOME.name),
    Preset("tabel3", "Tabel 3 – Problemgrad fordelt på målopnåelse", "problemgrad",
           OUTCOME.name),
    Preset("tabel4", "Tabel 4 – Alliancedimensioner fordelt på målopnåelse", ALLIANCE_SET,
           OUTCOME.name),
    Preset("tabel10", "Tabel 10 – Problemstilling fordelt på målopnåelse", "problemstilling",
           OUTCOME.name),
    Preset("refleksion", "Reflekteret indsatsjustering fordelt på målopnåelse",
           "kode:reflekteret_indsatsjustering", OUTCOME.name),
    Preset("hold", "Målopnåelse fordelt på indsatsteam", OUTCOME.name, TEAM_COLUMN),
)
DEFAULT_PRESET = PRESETS[1]


@dataclass(frozen=True)
class Reading:
    """The test of a table in plain Danish."""

    method: str
    p_text: str
    wording: str
    conclusion: str
    significant: bool | None
    warnings: list[str] = field(default_factory=list)


@dataclass
class CrosstabView:
    """A crosstab ready for the page: labels, the table, the test and the choices."""

    rows: Choice
    cols: Choice | None
    title: str
    table: Crosstab
    row_labels: list[str]
    reading: Reading | None
    choices: list[Choice]
    presets: tuple[Preset, ...] = PRESETS

    @property
    def one_way(self) -> bool:
        """True for a table of one variable (Tabel 2)."""
        return self.cols is None


def _reading(test: TestResult | None) -> Reading | None:
    if test is None:
        return None
    if test.p_value is None:
        return Reading(test.method, "", test.wording or "Ingen test.",
                       "Der er for få udfyldte rækker eller kolonner til en test.", None,
                       list(test.warnings))
    significant = test.p_value < ALPHA
    return Reading(test.method, format_p(test.p_value), test.wording,
                   SIGNIFICANT if significant else NOT_SIGNIFICANT, significant,
                   list(test.warnings))


def _title(frame: AnalysisFrame, rows: Choice, cols: Choice | None) -> str:
    for preset in PRESETS:
        if preset.rows == rows.key and preset.cols == (cols.key if cols else ""):
            return preset.title
    return rows.label if cols is None else f"{rows.label} fordelt på {cols.label.lower()}"


def _multi_choice(frame: AnalysisFrame, names: Sequence[str]) -> Choice:
    """A multi-response set of yes/no columns named by the caller (the CLI's --flersvar)."""
    keys = tuple(dict.fromkeys(frame.key(name) for name in names))
    choice = Choice(MULTI_PREFIX + ",".join(keys), "Flersvar", "Flersvar", keys,
                    codes=tuple(c for key in keys for c in frame.choice(key).codes))
    frame.members[choice.key] = keys
    return choice


def _choices(frame: AnalysisFrame, rows: str, cols: str,
             multi_response: Sequence[str] = ()) -> tuple[Choice, Choice | None]:
    row_choice = (_multi_choice(frame, multi_response) if multi_response
                  else frame.choice(frame.key(rows)))
    col_choice = frame.choice(frame.key(cols)) if cols else None
    if col_choice is not None and col_choice.key == row_choice.key:
        raise EffektsporError("Vælg to forskellige variable til rækker og kolonner.")
    if col_choice is not None and col_choice.multi_response:
        raise EffektsporError("Et flersvarssæt (fx alliancedimensionerne) kan kun stå i "
                              "rækkerne. Vælg en anden kolonnevariabel.")
    if row_choice.multi_response and col_choice is None:
        raise EffektsporError("Et flersvarssæt skal fordeles på en kolonnevariabel, fx "
                              "målopnåelse.")
    return row_choice, col_choice


def _table(frame: AnalysisFrame, rows: Choice, cols: Choice | None) -> Crosstab:
    if rows.multi_response:
        return multi_response_crosstab(frame.table, list(frame.members[rows.key]), cols.key,
                                       col_order=cols.values)
    return crosstab(frame.table, rows.key, cols.key if cols else None, row_order=rows.values,
                    col_order=cols.values if cols else None)


def analyse_crosstab(*, session: UnitOfWork, actor: Actor, project_id: int, rows: str = "",
                     cols: str = "", multi_response: Sequence[str] = ()) -> CrosstabView:
    """The crosstab of ``rows`` by ``cols`` (a one-way table when ``cols`` is empty) with
    counts, column percentages, totals and the test the analysis layer chooses.

    ``multi_response`` (yes/no columns, instead of ``rows``) makes a multi-response table
    by ``cols``. Codes may be named with or without their ``kode:`` prefix."""
    require(actor, Action.VIEW_REPORTS)
    frame = load_frame(session, project_id)
    row_choice, col_choice = _choices(frame, rows, cols, multi_response)
    table = _table(frame, row_choice, col_choice)
    return CrosstabView(row_choice, col_choice, _title(frame, row_choice, col_choice), table,
                        [frame.label(r) for r in table.rows], _reading(table.test),
                        list(frame.choices.values()))


def analysis_choices(*, session: UnitOfWork, actor: Actor, project_id: int) -> list[Choice]:
    """The variables and codes that can be put in a table (for the page's form)."""
    require(actor, Action.VIEW_REPORTS)
    return list(load_frame(session, project_id).choices.values())


@dataclass(frozen=True)
class CaseItem:
    """A case in a drill-down: number, link target, team, values, and (maybe) its text."""

    id: int
    number: str
    team: str
    values: list[tuple[str, str]]
    evidence: CaseEvidence | None


@dataclass
class CaseListView:
    """The cases behind one number, with or without the quotes behind them."""

    title: str
    description: str
    back_url: str
    cases: list[CaseItem]
    quotes_shown: bool
    hidden_blind: int = 0


def case_items(*, session: UnitOfWork, actor: Actor, project_id: int, frame: AnalysisFrame,
               cases: list[str], involved: list[Choice],
               viewed: Callable[[list[str]], events.LogEntry]) -> tuple[
                   list[CaseItem], bool, int]:
    """The cases with the values of ``involved`` and, for actors who may read case text,
    their evidence quotes and coded passages (logged as ``viewed(shown cases)``, an
    "analyse_citater_vist" event).

    Cases still blind for the actor (their open blind re-coding sample) are left out, since
    the cell they sit in gives other coders' values away; the third item says how many.
    """
    quotes = actor.can(Action.READ_CASE_TEXT)
    blind = blind_case_ids(session, project_id=project_id, coder=actor.name)
    hidden = sum(case in blind for case in cases)
    cases = [case for case in cases if case not in blind]
    evidence = (case_evidence(session, project_id=project_id, frame=frame, cases=cases,
                              choices=involved) if quotes and cases else {})
    index = {case: i for i, case in enumerate(frame.table.case_ids)}
    shown = [c for c in involved if not c.multi_response]
    items = [CaseItem(frame.case_ids[case], case,
                      frame.table.values[TEAM_COLUMN][index[case]],
                      [(c.label, frame.table.values[c.key][index[case]] or "–") for c in shown],
                      evidence.get(case)) for case in cases]
    if quotes and cases:
        record_event(session, viewed(cases), actor=actor.name, project_id=project_id)
    return items, quotes, hidden


def _cell_cases(frame: AnalysisFrame, table: Crosstab, rows: Choice, cols: Choice | None,
                row_value: str, col_value: str) -> list[str]:
    if row_value and row_value not in table.rows:
        raise EffektsporError(f"Rækken '{row_value}' findes ikke i tabellen.")
    if col_value and col_value not in table.cols:
        raise EffektsporError(f"Kolonnen '{col_value}' findes ikke i tabellen.")
    rows_wanted = [table.rows.index(row_value)] if row_value else range(len(table.rows))
    cols_wanted = [table.cols.index(col_value)] if col_value else range(len(table.cols))
    if rows.multi_response and not row_value:
        # the column's cases (the denominator of the multi-response percentages)
        column = frame.table.values[cols.key]
        return [case for case, value in zip(frame.table.case_ids, column, strict=True)
                if value in [table.cols[j] for j in cols_wanted]]
    found = {case for i in rows_wanted for j in cols_wanted for case in table.cell_cases[i][j]}
    return [case for case in frame.table.case_ids if case in found]


def drill_down(*, session: UnitOfWork, actor: Actor, project_id: int, rows: str, cols: str = "",
               row_value: str = "", col_value: str = "") -> CaseListView:
    """The cases behind one cell (or a row or column total, or the whole table) of the
    crosstab ``rows`` × ``cols``; quotes only for actors with READ_CASE_TEXT."""
    require(actor, Action.VIEW_REPORTS)
    frame = load_frame(session, project_id)
    row_choice, col_choice = _choices(frame, rows, cols)
    rows, cols = row_choice.key, col_choice.key if col_choice else ""
    if col_choice is None and col_value:
        raise EffektsporError("Tabellen har ingen kolonnevariabel.")
    table = _table(frame, row_choice, col_choice)
    cases = _cell_cases(frame, table, row_choice, col_choice, row_value, col_value)
    involved = [row_choice] + ([col_choice] if col_choice else [])
    if row_choice.multi_response and row_value:
        involved[0] = frame.choice(row_value)
    parts = [f"{frame.label(row_value) if row_choice.multi_response else row_value}"
             if row_value else "", col_value]
    where = ", ".join(p for p in parts if p) or "alle sager i tabellen"
    title = _title(frame, row_choice, col_choice)
    items, quotes, hidden = case_items(
        session=session, actor=actor, project_id=project_id, frame=frame, cases=cases,
        involved=involved, viewed=lambda shown: events.crosstab_quotes_viewed(
            table=title, row=row_value, col=col_value, role=actor.role.value, cases=shown))
    back = "/analyse?" + urlencode({"raekke": rows, "kolonne": cols})
    return CaseListView(f"{title}: {where}",
                        f"{len(cases)} sag{'er' if len(cases) != 1 else ''} bag tallet.",
                        back, items, quotes, hidden)
