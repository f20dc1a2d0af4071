"""The project's cases as one analysis table: the only case table of the analysis area,
read by the web's analysis pages and by the CLI's ``krydstabel``, ``hypotese`` and ``qca``
on a project.

One row per case: team, the confirmed value of every categorical or yes/no case variable,
the enrollment days, and, when the diary notes are coded, "ja"/"nej" for every code of the
codebook under ``kode:<code id>`` (a parent code counts where any of its children is;
derived codes such as reflekteret indsatsjustering included). The CLI may name a code
without the prefix (:meth:`AnalysisFrame.key`). Read in the caller's session; nothing is
written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from effektspor.analysis.caseframe import CaseTable, value_order
from effektspor.classification.derived import STANDARD_DERIVED
from effektspor.coding.codebook import Codebook
from effektspor.domain.errors import EffektsporError
from effektspor.domain.variables import STANDARD_VARIABLES, VariableKind
from effektspor.services.classification import (
    CASE_COLUMN,
    ENROLLMENT_COLUMN,
    TEAM_COLUMN,
    case_value_rows,
    to_variable,
)
from effektspor.services.coding.shared import case_code_presence, stored_codebook
from effektspor.store.tables_analysis import CaseVariable

CODE_PREFIX = "kode:"
MULTI_PREFIX = "flersvar:"
YES_NO = ("ja", "nej")
#: The alliance dimensions of Tabel 4 (multi-response rows), by code id.
ALLIANCE_CODES = ("negativ_alliance", "positiv_alliance", "professionel_tvivl",
                  "relationsarbejde")
ALLIANCE_SET = MULTI_PREFIX + "alliance"
DERIVED_LABELS = {d.name: d.label for d in STANDARD_DERIVED}
STANDARD_NAMES = frozenset(v.name for v in STANDARD_VARIABLES)


@dataclass(frozen=True)
class Choice:
    """A variable the user may put in a table: key (in URLs), Danish label, group, values."""

    key: str
    label: str
    group: str
    values: tuple[str, ...]
    variable: str | None = None  # the case variable's name (evidence quotes come from it)
    codes: tuple[str, ...] = ()  # code ids whose passages explain the value

    @property
    def multi_response(self) -> bool:
        """True for a set of yes/no rows counted as a multi-response table (Tabel 4)."""
        return self.key.startswith(MULTI_PREFIX)


@dataclass
class AnalysisFrame:
    """Cases with their values by choice key, the choices, and the database ids of cases."""

    table: CaseTable
    choices: dict[str, Choice]
    case_ids: dict[str, int]  # case number -> database id
    codebook: Codebook
    coded: bool
    members: dict[str, tuple[str, ...]] = field(default_factory=dict)  # multi-response sets

    def choice(self, key: str) -> Choice:
        """The choice named ``key``, or a Danish error naming what can be chosen."""
        found = self.choices.get(key)
        if found is None:
            if key.startswith((CODE_PREFIX, MULTI_PREFIX)) and not self.coded:
                raise EffektsporError("Dagbogsnotaterne er ikke kodet endnu, så koderne kan "
                                      "ikke bruges i tabeller. Kør autokodningen først.")
            raise EffektsporError(f"Variablen '{key}' findes ikke i projektet. Vælg en af "
                                  "variablene i listen.")
        return found

    def key(self, name: str) -> str:
        """The column of ``name``: a choice key, a code id without its ``kode:`` prefix (as
        the CLI names codes), or another column such as the enrollment days."""
        if name in self.choices or name in self.table.values:
            return name
        if CODE_PREFIX + name in self.choices:
            return CODE_PREFIX + name
        return self.choice(name).key  # a Danish error naming what can be chosen

    def label(self, key: str) -> str:
        """The Danish label of a choice (or of a row of a multi-response set)."""
        if key in self.choices:
            return self.choices[key].label
        return key


def _variable_rows(session: Session, project_id: int) -> list[CaseVariable]:
    return list(session.scalars(select(CaseVariable).where(CaseVariable.project_id == project_id)
                                .order_by(CaseVariable.position, CaseVariable.id)))


def _variable_choices(rows: list[CaseVariable]) -> list[Choice]:
    present = {row.name for row in rows}
    variables = [to_variable(row) for row in rows]
    variables += [v for v in STANDARD_VARIABLES if v.name not in present]
    choices = []
    for variable in variables:
        if variable.is_categorical:
            values = variable.values
        elif variable.kind is VariableKind.BOOLEAN:
            values = YES_NO
        else:
            continue  # numbers and dates are not table variables
        group = "Klassifikationer" if variable.name in STANDARD_NAMES else "Egne variable"
        choices.append(Choice(variable.name, variable.label, group, tuple(values),
                              variable=variable.name))
    return choices


def _code_choices(codebook: Codebook) -> list[Choice]:
    choices = []
    for code in codebook.codes:
        label = DERIVED_LABELS.get(code.id, code.name)
        choices.append(Choice(CODE_PREFIX + code.id, label, "Koder i dagbogsnotaterne", YES_NO,
                              codes=(code.id,)))
    for derived in codebook.derived:
        choices.append(Choice(CODE_PREFIX + derived.id, DERIVED_LABELS.get(derived.id,
                                                                           derived.name),
                              "Afledte koder", YES_NO, codes=(derived.id,)))
    return choices


def load_frame(session: Session, project_id: int) -> AnalysisFrame:
    """Read the project's cases, values and code presence into an analysis frame (a
    building block of this area's use cases, which check the actor's role)."""
    rows = _variable_rows(session, project_id)
    cases, records = case_value_rows(session, project_id, rows)
    for record, case in zip(records, cases, strict=True):
        record[ENROLLMENT_COLUMN] = ((case.end_date - case.start_date).days
                                     if case.start_date and case.end_date else None)
    codebook = stored_codebook(session, project_id)
    presence = case_code_presence(session, project_id, codebook=codebook)
    coded = any(presence.values())
    teams = tuple(value_order(sorted({c.team for c in cases if c.team})))
    choices = [*_variable_choices(rows), Choice(TEAM_COLUMN, "Indsatsteam", "Sagen", teams)]
    members: dict[str, tuple[str, ...]] = {}
    if coded:
        code_choices = _code_choices(codebook)
        choices += code_choices
        known = {c.key for c in code_choices}
        alliance = tuple(CODE_PREFIX + code for code in ALLIANCE_CODES
                         if CODE_PREFIX + code in known)
        if alliance:
            members[ALLIANCE_SET] = alliance
            choices.append(Choice(ALLIANCE_SET, "Alliancedimensioner (flersvar)",
                                  "Flersvar", alliance,
                                  codes=tuple(k.removeprefix(CODE_PREFIX) for k in alliance)))
        for record in records:
            codes = presence.get(record[CASE_COLUMN], set())
            record.update({c.key: "ja" if c.codes[0] in codes else "nej"
                           for c in code_choices})
    columns = [CASE_COLUMN, *(c.key for c in choices if not c.multi_response),
               ENROLLMENT_COLUMN]
    table = CaseTable(source="projektet", columns=columns,
                      case_ids=[r[CASE_COLUMN] for r in records],
                      values={k: ["" if r.get(k) is None else str(r[k]) for r in records]
                              for k in columns}, id_column=CASE_COLUMN)
    return AnalysisFrame(table=table, choices={c.key: c for c in choices},
                         case_ids={c.external_id: c.id for c in cases}, codebook=codebook,
                         coded=coded, members=members)


def grouped(items: list, *, group=lambda item: item.group) -> list[tuple[str, list]]:
    """``items`` in groups, in the order the groups first appear (for a form's optgroups)."""
    groups: dict[str, list] = {}
    for item in items:
        groups.setdefault(group(item), []).append(item)
    return list(groups.items())
