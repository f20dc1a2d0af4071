"""Crisp-set Qualitative Comparative Analysis (QCA): truth table, Boolean minimisation to the
complex (conservative) and parsimonious solutions with every equally good model, parameters of
fit, and necessity analysis. Own implementation; notation ``*``, ``+`` and ``~`` as in the R
package QCA (Dusa), whose published results the tests reproduce."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from effektspor.analysis.caseframe import CaseTable
from effektspor.domain.errors import EffektsporError

FREE = 2  # a condition that does not appear in an implicant
MAX_CONDITIONS = 12
SOLUTION_TYPES = {"kompleks": "complex", "complex": "complex", "konservativ": "complex",
                  "parsimonisk": "parsimonious", "parsimonious": "parsimonious"}


@dataclass(frozen=True)
class TruthTableRow:
    """One observed configuration: its values, number of cases, consistency and output."""

    values: tuple[int, ...]
    row_number: int
    n: int
    inclusion: float
    pri: float
    output: str  # "1", "0" or "?" (too few cases: treated as a remainder)
    cases: list[str]


@dataclass(frozen=True)
class TermFit:
    """A prime implicant in a model with its parameters of fit and the cases it covers."""

    term: str
    inclS: float
    PRI: float
    covS: float
    covU: float
    cases: list[list[str]]


@dataclass(frozen=True)
class Model:
    """One solution (model): the expression, its fit and its terms."""

    expression: str
    inclS: float
    PRI: float
    covS: float
    terms: list[TermFit]


@dataclass(frozen=True)
class QcaResult:
    """A minimisation: the truth table, the solution type, and every equally good model."""

    outcome: str
    conditions: list[str]
    solution_type: str
    truth_table: list[TruthTableRow]
    models: list[Model]
    excluded_cases: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """The JSON form of the ``qca`` CLI contract."""
        return {"solutions": [
            {"expression": model.expression, "inclS": model.inclS, "PRI": model.PRI,
             "covS": model.covS,
             "terms": [{"term": t.term, "inclS": t.inclS, "PRI": t.PRI, "covS": t.covS,
                        "covU": t.covU, "cases": "; ".join(",".join(g) for g in t.cases)}
                       for t in model.terms]}
            for model in self.models]}


@dataclass(frozen=True)
class NecessityResult:
    """Necessity of one condition (or its negation) for the outcome."""

    condition: str
    inclN: float
    RoN: float
    covN: float


def _crisp_matrix(cases: CaseTable, names: Sequence[str]) -> tuple[np.ndarray, list[int]]:
    columns = [cases.booleans(name) for name in names]
    complete = [i for i in range(len(cases)) if all(col[i] is not None for col in columns)]
    matrix = np.array([[int(bool(col[i])) for col in columns] for i in complete],
                      dtype=np.int64).reshape(len(complete), len(names))
    return matrix, complete


def _literal(name: str, value: int) -> str:
    return name if value == 1 else f"~{name}"


def term_text(implicant: Sequence[int], conditions: Sequence[str]) -> str:
    """Write an implicant such as (1, 0, FREE) as "A*~B"; the empty implicant is "1"."""
    literals = [_literal(name, v) for name, v in zip(conditions, implicant, strict=True)
                if v != FREE]
    return "*".join(literals) if literals else "1"


def _sort_key(implicant: Sequence[int]) -> tuple:
    literals = [(i, 0 if v == 0 else 1) for i, v in enumerate(implicant) if v != FREE]
    return (len(literals), literals)


def _prime_implicants(k: int, positive: int, allowed: int) -> list[tuple[int, ...]]:
    """Prime implicants covering at least one positive configuration and only ``allowed`` ones.

    Configurations are bit positions of Python ints; an implicant's cover is built from the
    covers of its two halves (base-3 codes with digit 2 = free), so each is computed once.
    """
    size = 3 ** k
    covers = [0] * size
    digits = [[(code // 3 ** (k - 1 - i)) % 3 for i in range(k)] for code in range(size)]
    for code in range(size):
        values = digits[code]
        if FREE in values:
            i = values.index(FREE)
            power = 3 ** (k - 1 - i)
            covers[code] = covers[code - 2 * power] | covers[code - power]
        else:
            config = int("".join(map(str, values)), 2) if k else 0
            covers[code] = 1 << config
    valid = [covers[c] & ~allowed == 0 and covers[c] != 0 for c in range(size)]
    primes = []
    for code in range(size):
        if not valid[code] or covers[code] & positive == 0:
            continue
        values = digits[code]
        widen = (code + (FREE - v) * 3 ** (k - 1 - i) for i, v in enumerate(values) if v != FREE)
        if not any(valid[other] for other in widen):
            primes.append(tuple(values))
    return primes


def _cover_mask(implicant: Sequence[int], configs: np.ndarray) -> np.ndarray:
    mask = np.ones(len(configs), dtype=bool)
    for i, v in enumerate(implicant):
        if v != FREE:
            mask &= configs[:, i] == v
    return mask


def _minimal_covers(primes: list[tuple[int, ...]], targets: list[int],
                    covered: dict[tuple[int, ...], set[int]], limit: int = 2_000_000
                    ) -> list[list[tuple[int, ...]]]:
    """Every cover of ``targets`` by the fewest prime implicants (all equally good models).

    Branch and bound: branch on the uncovered target with the fewest candidate implicants,
    prune branches that cannot beat (or equal) the best size found so far."""
    holders = {t: [p for p in primes if t in covered[p]] for t in targets}
    best: list[int] = [len(primes) + 1]
    solutions: set[frozenset[tuple[int, ...]]] = set()
    steps = [0]
    largest = max((len(covered[p]) for p in primes), default=1)

    def search(chosen: list[tuple[int, ...]], uncovered: set[int]) -> None:
        steps[0] += 1
        if steps[0] > limit:
            raise EffektsporError("QCA: for mange mulige løsninger at gennemsøge – "
                                  "brug færre betingelser.")
        if not uncovered:
            if len(chosen) < best[0]:
                best[0] = len(chosen)
                solutions.clear()
            solutions.add(frozenset(chosen))
            return
        if len(chosen) >= best[0]:
            return
        if len(chosen) + -(-len(uncovered) // largest) > best[0]:
            return  # even the widest implicants could not finish within the best size
        target = min(uncovered, key=lambda t: len(holders[t]))
        for prime in holders[target]:
            search([*chosen, prime], uncovered - covered[prime])

    search([], set(targets))
    return [sorted(solution, key=_sort_key) for solution in solutions]


def _fit(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """(inclS, PRI, covS) of membership ``x`` for outcome ``y`` (set-theoretic formulas)."""
    both = np.minimum(x, y).sum()
    both_not = np.minimum(np.minimum(x, y), 1 - y).sum()
    incl = both / x.sum() if x.sum() else float("nan")
    pri_den = x.sum() - both_not
    pri = (both - both_not) / pri_den if pri_den else float("nan")
    cov = both / y.sum() if y.sum() else float("nan")
    return float(incl), float(pri), float(cov)


def qca(case_ids: Sequence[str], data: np.ndarray, outcome: np.ndarray,
        conditions: Sequence[str], *, outcome_name: str = "Y", solution: str = "kompleks",
        inclusion_cut: float = 1.0, n_cut: int = 1) -> QcaResult:
    """Minimise a crisp-set truth table: ``data`` is cases × conditions of 0/1."""
    kind = SOLUTION_TYPES.get(solution.lower())
    if kind is None:
        raise EffektsporError(f"Ukendt løsningstype '{solution}': brug kompleks eller "
                              "parsimonisk.")
    k = len(conditions)
    if not 1 <= k <= MAX_CONDITIONS:
        raise EffektsporError(f"QCA kræver mellem 1 og {MAX_CONDITIONS} betingelser.")
    data = np.asarray(data, dtype=np.int64)
    y = np.asarray(outcome, dtype=float)
    weights = 2 ** np.arange(k - 1, -1, -1)
    case_configs = data @ weights
    rows: list[TruthTableRow] = []
    positive = negative = 0
    for config in sorted(set(case_configs.tolist())):
        members = np.flatnonzero(case_configs == config)
        n = len(members)
        incl = float(y[members].sum() / n)
        output = "?" if n < n_cut else ("1" if incl >= inclusion_cut - 1e-12 else "0")
        if output == "1":
            positive |= 1 << config
        elif output == "0":
            negative |= 1 << config
        rows.append(TruthTableRow(tuple(int(v) for v in data[members[0]]), config + 1, n,
                                  incl, incl, output, [case_ids[i] for i in members]))
    if not positive:
        return QcaResult(outcome_name, list(conditions), kind, rows, [])
    allowed = positive if kind == "complex" else ~negative & ((1 << 2 ** k) - 1)
    primes = _prime_implicants(k, positive, allowed)
    targets = [c for c in range(2 ** k) if positive >> c & 1]
    all_configs = np.array(list(itertools.product((0, 1), repeat=k)), dtype=np.int64)
    covered = {p: set(np.flatnonzero(_cover_mask(p, all_configs)).tolist()) for p in primes}
    covers = _minimal_covers(primes, targets, covered)
    rows_by_config = {r.row_number - 1: r for r in rows}
    memberships = {p: _cover_mask(p, data).astype(float) for p in primes}
    term_fits = {p: _fit(memberships[p], y) for p in primes}
    term_cases = {p: [rows_by_config[c].cases for c in sorted(covered[p])
                      if c in rows_by_config and rows_by_config[c].output == "1"]
                  for p in primes}
    covered_outcome = float(y.sum())
    models = []
    for cover in sorted((sorted(c, key=_sort_key) for c in covers),
                        key=lambda c: [_sort_key(p) for p in c]):
        stacked = np.array([memberships[p] for p in cover])
        union = stacked.max(axis=0)
        union_in_outcome = np.minimum(union, y).sum()
        terms = []
        for index, implicant in enumerate(cover):
            rest = (np.delete(stacked, index, axis=0).max(axis=0) if len(cover) > 1
                    else np.zeros_like(union))
            unique = float((union_in_outcome - np.minimum(rest, y).sum()) / covered_outcome)
            terms.append(TermFit(term_text(implicant, conditions), *term_fits[implicant],
                                 unique, term_cases[implicant]))
        incl, pri, cov = _fit(union, y)
        models.append(Model(" + ".join(t.term for t in terms), incl, pri, cov, terms))
    return QcaResult(outcome_name, list(conditions), kind, rows, models)


def qca_from_table(cases: CaseTable, *, outcome: str, conditions: Sequence[str],
                   solution: str = "kompleks", negate_outcome: bool = False,
                   inclusion_cut: float = 1.0, n_cut: int = 1) -> QcaResult:
    """Crisp-set QCA of a case table; cases with a missing value are left out (listed)."""
    matrix, complete = _crisp_matrix(cases, [*conditions, outcome])
    y = matrix[:, -1]
    if negate_outcome:
        y = 1 - y
    result = qca([cases.case_ids[i] for i in complete], matrix[:, :-1], y, conditions,
                 outcome_name=("~" if negate_outcome else "") + outcome, solution=solution,
                 inclusion_cut=inclusion_cut, n_cut=n_cut)
    excluded = [cases.case_ids[i] for i in range(len(cases)) if i not in set(complete)]
    return QcaResult(result.outcome, result.conditions, result.solution_type,
                     result.truth_table, result.models, excluded)


def necessity(cases: CaseTable, *, outcome: str, conditions: Sequence[str],
              negate_outcome: bool = False) -> list[NecessityResult]:
    """inclN, RoN and covN of every condition and its negation for the outcome."""
    matrix, _ = _crisp_matrix(cases, [*conditions, outcome])
    y = matrix[:, -1].astype(float)
    if negate_outcome:
        y = 1 - y
    results = []
    for index, name in enumerate(conditions):
        for value in (1, 0):
            x = matrix[:, index].astype(float) if value else 1 - matrix[:, index].astype(float)
            both = np.minimum(x, y)
            incl = float(both.sum() / y.sum()) if y.sum() else float("nan")
            ron_den = (1 - both).sum()
            ron = float((1 - x).sum() / ron_den) if ron_den else float("nan")
            cov = float(both.sum() / x.sum()) if x.sum() else float("nan")
            results.append(NecessityResult(_literal(name, value), incl, ron, cov))
    return results
