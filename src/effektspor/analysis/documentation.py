"""Documentation analysis ("Trin 3"): what material each case has, and gaps across cases.

Pure functions over plain per-case facts (``CaseFacts``); the service reads them from the
store. Per case: document types, grants, enrollment days, notes per attention point, and
whether a discharge report carries a usable effect assessment (I mål / På vej / Ikke i mål;
the service detects it with ``classification.outcome.effect_assessment``, the one detector). Across cases: counts per team, the share of closed cases with
a usable discharge report (Wilson interval), grants against enrollment time (Spearman),
attention-point use by team and by scheme, and gaps.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from statistics import median

from effektspor.analysis.inference import wilson_interval

#: Longest period without notes before it counts as a gap (days).
DEFAULT_GAP_DAYS = 60

@dataclass(frozen=True, slots=True)
class NoteFact:
    """What the documentation analysis needs of a note: date, attention point, scheme."""

    note_date: date
    attention_point: str
    scheme: str


@dataclass(slots=True)
class CaseFacts:
    """Plain facts of one case, read from the store (or built in a test)."""

    case_id: str
    team: str | None
    start_date: date | None
    end_date: date | None
    closed: bool
    n_grants: int = 0
    document_types: Counter = field(default_factory=Counter)
    #: The effect assessment of each discharge report, oldest first (None: it has none).
    discharge_assessments: list[str | None] = field(default_factory=list)
    notes: list[NoteFact] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Gap:
    """A period without notes: between two notes, or from start/to end of the case."""

    start: date
    end: date
    kind: str  # "mellem notater", "fra start", "til slut"

    @property
    def days(self) -> int:
        """Length of the gap in days."""
        return (self.end - self.start).days


@dataclass(slots=True)
class CaseDocumentation:
    """The documentation of one case, as the analysis sees it."""

    case_id: str
    team: str
    closed: bool
    document_types: frozenset[str]
    n_grants: int
    enrollment_days: int | None
    notes_per_point: Counter
    n_notes: int
    has_discharge_report: bool
    assessment: str | None
    gaps: list[Gap]

    @property
    def usable_discharge(self) -> bool:
        """True when a discharge report carries a usable effect assessment."""
        return self.assessment is not None


def note_gaps(dates: list[date], start: date | None, end: date | None,
              threshold_days: int = DEFAULT_GAP_DAYS) -> list[Gap]:
    """Periods longer than ``threshold_days`` without notes (case start/end included)."""
    ordered = sorted(dates)
    gaps = []
    if not ordered:
        if start and end and (end - start).days > threshold_days:
            gaps.append(Gap(start, end, "uden notater"))
        return gaps
    if start and (ordered[0] - start).days > threshold_days:
        gaps.append(Gap(start, ordered[0], "fra start"))
    for before, after in zip(ordered, ordered[1:], strict=False):
        if (after - before).days > threshold_days:
            gaps.append(Gap(before, after, "mellem notater"))
    if end and (end - ordered[-1]).days > threshold_days:
        gaps.append(Gap(ordered[-1], end, "til slut"))
    return gaps


def document_case(facts: CaseFacts, threshold_days: int = DEFAULT_GAP_DAYS) -> CaseDocumentation:
    """Summarise one case's documentation."""
    assessment = next((a for a in reversed(facts.discharge_assessments) if a), None)
    days = ((facts.end_date - facts.start_date).days
            if facts.start_date and facts.end_date else None)
    return CaseDocumentation(
        case_id=facts.case_id, team=facts.team or "Uden team", closed=facts.closed,
        document_types=frozenset(t for t, n in facts.document_types.items() if n),
        n_grants=facts.n_grants, enrollment_days=days,
        notes_per_point=Counter(n.attention_point for n in facts.notes), n_notes=len(facts.notes),
        has_discharge_report=bool(facts.discharge_assessments) or
        bool(facts.document_types.get("udskrivningsrapport")),
        assessment=assessment,
        gaps=note_gaps([n.note_date for n in facts.notes], facts.start_date, facts.end_date,
                       threshold_days))


@dataclass(frozen=True, slots=True)
class Correlation:
    """Spearman's rank correlation with its p-value and the number of pairs."""

    rho: float
    p_value: float
    n: int


def spearman(x: list[float], y: list[float]) -> Correlation | None:
    """Spearman's rho of paired values, or None when it is undefined (n < 3 or constant)."""
    if len(x) < 3 or len(set(x)) < 2 or len(set(y)) < 2:
        return None
    from scipy.stats import spearmanr

    result = spearmanr(x, y)
    return Correlation(float(result.statistic), float(result.pvalue), len(x))


@dataclass(slots=True)
class TeamFigures:
    """Key figures of one team."""

    team: str
    n_cases: int
    n_closed: int
    n_usable_discharge: int
    median_enrollment_days: float | None
    median_grants: float | None
    n_notes: int
    n_without_notes: int
    n_with_gaps: int


@dataclass(slots=True)
class DocumentationAnalysis:
    """The documentation analysis across cases."""

    cases: list[CaseDocumentation]
    teams: list[TeamFigures]
    document_type_cases: dict[str, dict[str, int]]  # doc type -> team -> cases having it
    n_closed: int
    n_usable_discharge: int
    usable_share_interval: tuple[float, float]
    assessments: Counter
    grant_distribution: Counter
    grants_vs_enrollment: Correlation | None
    points_by_team: dict[str, Counter]  # team -> attention point -> notes
    points_by_scheme: dict[str, Counter]  # scheme -> attention point -> notes
    n_without_notes: int
    n_with_gaps: int
    n_closed_without_discharge: int
    n_discharge_without_assessment: int
    gap_days: int = DEFAULT_GAP_DAYS

    @property
    def usable_share(self) -> float | None:
        """Share of closed cases with a usable discharge report."""
        return self.n_usable_discharge / self.n_closed if self.n_closed else None


def _median(values: list[float]) -> float | None:
    return float(median(values)) if values else None


def analyse_documentation(facts: list[CaseFacts],
                          gap_days: int = DEFAULT_GAP_DAYS) -> DocumentationAnalysis:
    """Analyse the documentation of ``facts`` (all cases given are included)."""
    cases = [document_case(f, gap_days) for f in facts]
    closed = [c for c in cases if c.closed]
    usable = [c for c in closed if c.usable_discharge]
    teams = []
    for team in sorted({c.team for c in cases}):
        mine = [c for c in cases if c.team == team]
        teams.append(TeamFigures(
            team=team, n_cases=len(mine), n_closed=sum(c.closed for c in mine),
            n_usable_discharge=sum(c.closed and c.usable_discharge for c in mine),
            median_enrollment_days=_median([c.enrollment_days for c in mine
                                            if c.enrollment_days is not None]),
            median_grants=_median([c.n_grants for c in mine]),
            n_notes=sum(c.n_notes for c in mine),
            n_without_notes=sum(c.n_notes == 0 for c in mine),
            n_with_gaps=sum(bool(c.gaps) and c.n_notes > 0 for c in mine)))
    doc_types: dict[str, dict[str, int]] = {}
    for case in cases:
        for doc_type in case.document_types:
            doc_types.setdefault(doc_type, Counter())[case.team] += 1
    points_by_team: dict[str, Counter] = {}
    points_by_scheme: dict[str, Counter] = {}
    for fact, case in zip(facts, cases, strict=True):
        points_by_team.setdefault(case.team, Counter()).update(case.notes_per_point)
        for note in fact.notes:
            points_by_scheme.setdefault(note.scheme, Counter())[note.attention_point] += 1
    paired = [(c.n_grants, c.enrollment_days) for c in cases if c.enrollment_days is not None]
    return DocumentationAnalysis(
        cases=cases, teams=teams, document_type_cases=doc_types, n_closed=len(closed),
        n_usable_discharge=len(usable),
        usable_share_interval=wilson_interval(len(usable), len(closed)),
        assessments=Counter(c.assessment for c in usable),
        grant_distribution=Counter(c.n_grants for c in cases),
        grants_vs_enrollment=spearman([p[0] for p in paired], [p[1] for p in paired]),
        points_by_team=points_by_team, points_by_scheme=points_by_scheme,
        n_without_notes=sum(c.n_notes == 0 for c in cases),
        n_with_gaps=sum(bool(c.gaps) and c.n_notes > 0 for c in cases),
        n_closed_without_discharge=sum(not c.has_discharge_report for c in closed),
        n_discharge_without_assessment=sum(c.has_discharge_report and not c.usable_discharge
                                           for c in closed),
        gap_days=gap_days)
