"""Configurational analysis (crisp-set QCA) of the project: the web's truth tables with
drill-down (:func:`configurations`, :func:`configuration_cases`) and the CLI's ``qca`` on a
project (:func:`qca`, with the solution type, cuts and necessity analysis as parameters).

In the web, an outcome and 2–4 conditions are yes/no features of a case: a code present in the diary
notes ("kode:professionel_tvivl") or a value of a variable ("problemgrad=Let"). Cases
without a value of a feature are left out (and counted). Every configuration drills down
to its cases, with quotes for those who may read case text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from effektspor.analysis.caseframe import CaseTable
from effektspor.analysis.qca import NecessityResult, QcaResult, necessity, qca_from_table
from effektspor.domain import events
from effektspor.domain.errors import EffektsporError
from effektspor.domain.formatting import format_number
from effektspor.domain.variables import OUTCOME
from effektspor.services.analysis.crosstabs import CaseListView, case_items
from effektspor.services.analysis.frame import CODE_PREFIX, AnalysisFrame, Choice, load_frame
from effektspor.services.authorization import Action, Actor, require
from effektspor.services.classification import CASE_COLUMN
from effektspor.services.contract import UnitOfWork

MIN_CONDITIONS, MAX_CONDITIONS = 2, 4
CONSISTENCY_CUTS = (1.0, 0.9, 0.8, 0.75)
READING = ("Konfigurationel analyse på få sager: tabellen viser, hvilke kombinationer af "
           "betingelser sagerne har, og hvor ofte udfaldet følger med. Konsistens er andelen "
           "af konfigurationens sager med udfaldet; dækning er konfigurationens andel af alle "
           "sager med udfaldet. Der er ingen signifikanstest: læs mønstrene som spørgsmål til "
           "praksis, ikke som beviser.")


@dataclass(frozen=True)
class Feature:
    """A yes/no feature of a case, with the choice it comes from."""

    key: str
    label: str
    choice: Choice


@dataclass(frozen=True)
class ConfigurationPreset:
    """A configurational question as one click."""

    key: str
    title: str
    outcome: str
    conditions: tuple[str, ...]
    cut: float = 0.8


PRESETS: tuple[ConfigurationPreset, ...] = (
    ConfigurationPreset("tabel5", "Tabel 5 – reflekteret indsatsjustering og problemgrad",
                        f"{OUTCOME.name}=I mål",
                        ("kode:reflekteret_indsatsjustering", "problemgrad=Let",
                         "problemgrad=Svær")),
    ConfigurationPreset("tvivl", "Professionel tvivl, indsatsjustering og negativ alliance",
                        f"{OUTCOME.name}=I mål",
                        ("kode:professionel_tvivl", "kode:indsatsjustering",
                         "kode:negativ_alliance")),
)


@dataclass(frozen=True)
class ConfigurationRow:
    """One observed configuration: the conditions' values, cases, consistency, coverage."""

    code: str  # e.g. "1-0-1", used in the drill-down link
    values: tuple[int, ...]
    n: int
    with_outcome: int
    consistency: float
    coverage: float | None
    output: str

    @property
    def consistency_text(self) -> str:
        """Consistency with a decimal comma."""
        return format_number(self.consistency, 2)

    @property
    def coverage_text(self) -> str:
        """Coverage with a decimal comma ("–" when no case has the outcome)."""
        return "–" if self.coverage is None else format_number(self.coverage, 2)


@dataclass
class ConfigurationView:
    """The truth table of an outcome and its conditions, with the minimised solution."""

    outcome: Feature
    conditions: list[Feature]
    rows: list[ConfigurationRow]
    cases: int
    left_out: int
    solutions: list[str]
    cut: float
    features: list[Feature] = field(default_factory=list)
    presets: tuple[ConfigurationPreset, ...] = PRESETS
    reading: str = READING

    def cases_url(self, row: ConfigurationRow) -> str:
        """The address of the page listing the cases of ``row``."""
        return "/analyse/konfigurationer/sager?" + urlencode(
            [("udfald", self.outcome.key), *(("betingelse", c.key) for c in self.conditions),
             ("konfiguration", row.code), ("konsistens", str(self.cut))])


def features(frame: AnalysisFrame) -> list[Feature]:
    """Every yes/no feature: each code, and each value of each variable."""
    found = []
    for choice in frame.choices.values():
        if choice.multi_response:
            continue
        if choice.key.startswith(CODE_PREFIX):
            found.append(Feature(choice.key, choice.label, choice))
        else:
            found.extend(Feature(f"{choice.key}={value}", f"{choice.label} = {value}", choice)
                         for value in choice.values)
    return found


def features_of_project(*, session: UnitOfWork, actor: Actor, project_id: int) -> list[Feature]:
    """The yes/no features that can be chosen as outcome or condition (for the form)."""
    require(actor, Action.VIEW_REPORTS)
    return features(load_frame(session, project_id))


def _feature(frame: AnalysisFrame, key: str, known: dict[str, Feature]) -> Feature:
    if key in known:
        return known[key]
    frame.choice(key.split("=", 1)[0])  # a Danish error for an unknown variable or code
    raise EffektsporError(f"'{key}' er ikke en ja/nej-egenskab af sagerne. Vælg i listen.")


def _column(frame: AnalysisFrame, feature: Feature) -> list[str]:
    if feature.key.startswith(CODE_PREFIX):
        return ["1" if v == "ja" else "0" if v == "nej" else ""
                for v in frame.table.values[feature.key]]
    variable, value = feature.key.split("=", 1)
    return ["" if v == "" else "1" if v == value else "0" for v in frame.table.values[variable]]


def _parse(frame: AnalysisFrame, outcome: str, conditions: list[str]
           ) -> tuple[Feature, list[Feature]]:
    known = {f.key: f for f in features(frame)}
    chosen = list(dict.fromkeys(c for c in conditions if c))
    if not MIN_CONDITIONS <= len(chosen) <= MAX_CONDITIONS:
        raise EffektsporError(f"Vælg mellem {MIN_CONDITIONS} og {MAX_CONDITIONS} forskellige "
                              "betingelser.")
    result = _feature(frame, outcome, known)
    conditions_ = [_feature(frame, key, known) for key in chosen]
    if result.key in chosen:
        raise EffektsporError("Udfaldet kan ikke også være en betingelse.")
    return result, conditions_


def _qca(frame: AnalysisFrame, outcome: Feature, conditions: list[Feature],
         cut: float) -> QcaResult:
    features_ = [*conditions, outcome]
    table = CaseTable(source="projektet", columns=[CASE_COLUMN, *(f.label for f in features_)],
                      case_ids=list(frame.table.case_ids),
                      values={f.label: _column(frame, f) for f in features_},
                      id_column=CASE_COLUMN)
    return qca_from_table(table, outcome=outcome.label, conditions=[f.label for f in conditions],
                          inclusion_cut=cut)


def _code(values: tuple[int, ...]) -> str:
    return "-".join(str(v) for v in values)


def configurations(*, session: UnitOfWork, actor: Actor, project_id: int, outcome: str,
                   conditions: list[str], cut: float = 1.0) -> ConfigurationView:
    """The truth table of ``outcome`` by 2–4 ``conditions`` (n, consistency, coverage per
    configuration) and the minimised (complex) solution at the consistency ``cut``."""
    require(actor, Action.VIEW_REPORTS)
    if cut not in CONSISTENCY_CUTS:
        raise EffektsporError("Vælg en konsistensgrænse fra listen.")
    frame = load_frame(session, project_id)
    result_feature, condition_features = _parse(frame, outcome, conditions)
    result = _qca(frame, result_feature, condition_features, cut)
    with_outcome = sum(round(r.n * r.inclusion) for r in result.truth_table)
    rows = [ConfigurationRow(_code(r.values), r.values, r.n, round(r.n * r.inclusion),
                             r.inclusion,
                             round(r.n * r.inclusion) / with_outcome if with_outcome else None,
                             r.output)
            for r in result.truth_table]
    rows.sort(key=lambda r: (-r.consistency, -r.n, r.code))
    solutions = [f"{m.expression} (konsistens {format_number(m.inclS, 2)}, dækning "
                 f"{format_number(m.covS, 2)})" for m in result.models]
    return ConfigurationView(result_feature, condition_features, rows,
                             sum(r.n for r in rows), len(result.excluded_cases), solutions, cut,
                             features(frame))


def configuration_cases(*, session: UnitOfWork, actor: Actor, project_id: int, outcome: str,
                        conditions: list[str], configuration: str,
                        cut: float = 1.0) -> CaseListView:
    """The cases of one configuration of the truth table, with quotes for case readers."""
    require(actor, Action.VIEW_REPORTS)
    frame = load_frame(session, project_id)
    result_feature, condition_features = _parse(frame, outcome, conditions)
    result = _qca(frame, result_feature, condition_features, 1.0)
    row = next((r for r in result.truth_table if _code(r.values) == configuration), None)
    if row is None:
        raise EffektsporError(f"Konfigurationen '{configuration}' har ingen sager.")
    description = ", ".join(f"{f.label}: {'ja' if v else 'nej'}"
                            for f, v in zip(condition_features, row.values, strict=True))
    involved = list(dict.fromkeys(f.choice for f in [*condition_features, result_feature]))
    cases = sorted(row.cases)
    items, quotes, hidden = case_items(
        session=session, actor=actor, project_id=project_id, frame=frame, cases=cases,
        involved=involved, viewed=lambda shown: events.configuration_quotes_viewed(
            outcome=outcome, conditions=conditions, configuration=configuration,
            role=actor.role.value, cases=shown))
    back = "/analyse/konfigurationer?" + urlencode(
        [("udfald", outcome), *(("betingelse", c) for c in conditions),
         ("konsistens", str(cut))])
    return CaseListView(f"Konfiguration {description} → {result_feature.label}",
                        f"{len(cases)} sag{'er' if len(cases) != 1 else ''} med denne "
                        "kombination af betingelser.", back, items, quotes, hidden)


@dataclass(frozen=True)
class QcaOfProject:
    """The CLI's QCA of the project: the result, the conditions as named, and (when asked
    for) the necessity analysis of every condition."""

    result: QcaResult
    conditions: list[str]
    necessity: list[NecessityResult]


def qca(*, session: UnitOfWork, actor: Actor, project_id: int, outcome: str,
        conditions: Sequence[str], solution: str = "kompleks", negate_outcome: bool = False,
        inclusion_cut: float = 1.0, n_cut: int = 1,
        with_necessity: bool = False) -> QcaOfProject:
    """Crisp-set QCA of the project's case table (the CLI's ``qca`` without a file): the
    outcome and conditions are yes/no (or 0/1) columns; codes may be named without their
    ``kode:`` prefix."""
    require(actor, Action.VIEW_REPORTS)
    frame = load_frame(session, project_id)
    outcome_key = frame.key(outcome)
    keys = [frame.key(name) for name in conditions]
    result = qca_from_table(frame.table, outcome=outcome_key, conditions=keys,
                            solution=solution, negate_outcome=negate_outcome,
                            inclusion_cut=inclusion_cut, n_cut=n_cut)
    found = (necessity(frame.table, outcome=outcome_key, conditions=keys,
                       negate_outcome=negate_outcome) if with_necessity else [])
    return QcaOfProject(result, keys, found)
