"""Inter-coder agreement ("rekodning"): percent agreement, Cohen's kappa, weighted kappa and
Krippendorff's alpha (nominal, ordinal, interval, ratio) with bootstrap confidence intervals."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from effektspor.analysis.caseframe import CaseTable, declared_order, value_order
from effektspor.analysis.two_coders import alphas, confusion_matrices, kappas
from effektspor.domain.errors import EffektsporError, Problem, ValidationError

LEVELS = ("nominal", "ordinal", "interval", "ratio")


def _pairs(a: Sequence[object], b: Sequence[object]) -> list[tuple[object, object]]:
    return [(x, y) for x, y in zip(a, b, strict=True) if x not in (None, "") and y not in (None, "")]


def percent_agreement(a: Sequence[object], b: Sequence[object]) -> float:
    """Share of units (with a value from both coders) where the two coders agree."""
    pairs = _pairs(a, b)
    return sum(x == y for x, y in pairs) / len(pairs) if pairs else float("nan")


def _confusion(a, b, categories: Sequence[object]) -> np.ndarray:
    index = {c: i for i, c in enumerate(categories)}
    matrix = np.zeros((len(categories), len(categories)))
    for x, y in _pairs(a, b):
        matrix[index[x], index[y]] += 1
    return matrix


#: The kappas of ``agreement_report`` and the weights scikit-learn gives each.
KAPPA_WEIGHTS = {"kappa": None, "vægtet_kappa_lineær": "linear",
                 "vægtet_kappa_kvadratisk": "quadratic"}


def kappa_from_table(table: np.ndarray, weights: str | None = None) -> float:
    """Cohen's kappa of a K×K table of counts (rows: coder A's category, columns: coder B's),
    computed by scikit-learn's ``cohen_kappa_score`` — the project's kappa. ``weights``
    "linear" or "quadratic" give the weighted kappa of ordered categories.

    NaN for an empty table; 1.0 when both coders put every unit in one and the same category
    (chance agreement is 1, so the ratio is undefined; NVivo and the bootstrap report 1)."""
    table = np.asarray(table, dtype=float)
    n = table.sum()
    if n == 0:
        return float("nan")
    if np.any((table.sum(axis=1) == n) & (table.sum(axis=0) == n)):
        return 1.0
    from sklearn.metrics import cohen_kappa_score  # imported on first use: it is slow

    k = table.shape[0]
    coder_a, coder_b = np.divmod(np.arange(k * k), k)
    used = table.ravel() > 0
    return float(cohen_kappa_score(coder_a[used], coder_b[used], labels=np.arange(k),
                                   weights=weights, sample_weight=table.ravel()[used]))


def cohen_kappa(a: Sequence[object], b: Sequence[object],
                categories: Sequence[object] | None = None, *,
                weights: str | None = None) -> float:
    """Cohen's kappa of two coders on the same units (units missing a value are left out);
    ``weights`` "linear"/"quadratic" for ordered ``categories`` (in that order; all declared
    values, also those nobody used)."""
    pairs = _pairs(a, b)
    if not pairs:
        return float("nan")
    if weights not in (None, "linear", "quadratic"):
        raise ValueError(f"unknown weights {weights!r}")
    if categories is None:
        categories = value_order([str(x) for p in pairs for x in p]) if all(
            isinstance(x, str) for p in pairs for x in p) else sorted({x for p in pairs for x in p})
    return kappa_from_table(_confusion(a, b, categories), weights)


def _delta_squared(values: np.ndarray, totals: np.ndarray, level: str) -> np.ndarray:
    """Krippendorff's difference function between every pair of (sorted) values."""
    c, k = np.meshgrid(values, values, indexing="ij")
    if level == "nominal":
        return (c != k).astype(float)
    if level == "interval":
        return (c - k) ** 2
    if level == "ratio":
        total = c + k
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(total == 0, 0.0, ((c - k) / np.where(total == 0, 1, total)) ** 2)
    if level == "ordinal":
        cumulative = np.concatenate([[0.0], np.cumsum(totals)])
        i, j = np.meshgrid(np.arange(len(values)), np.arange(len(values)), indexing="ij")
        low, high = np.minimum(i, j), np.maximum(i, j)
        span = cumulative[high + 1] - cumulative[low]
        return (span - (totals[i] + totals[j]) / 2) ** 2
    raise ValueError(f"unknown level {level!r}")


def krippendorff_alpha(units: Sequence[Sequence[float | None]], level: str = "nominal") -> float:
    """Krippendorff's alpha for units × coders with None for missing values.

    Values must be numbers; for nominal and ordinal data pass category ranks (0, 1, 2 ...)."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}")
    clean = [[float(v) for v in unit if v is not None] for unit in units]
    clean = [unit for unit in clean if len(unit) >= 2]
    if not clean:
        return float("nan")
    values = np.array(sorted({v for unit in clean for v in unit}))
    index = {v: i for i, v in enumerate(values)}
    coincidence = np.zeros((len(values), len(values)))
    for unit in clean:
        counts = np.zeros(len(values))
        for v in unit:
            counts[index[v]] += 1
        coincidence += (np.outer(counts, counts) - np.diag(counts)) / (len(unit) - 1)
    totals = coincidence.sum(axis=1)
    n = totals.sum()
    delta = _delta_squared(values, totals, level)
    expected = (np.outer(totals, totals) * delta).sum()
    if expected == 0:
        return 1.0 if (coincidence * delta).sum() == 0 else float("nan")
    return float(1 - (n - 1) * (coincidence * delta).sum() / expected)


@dataclass(frozen=True)
class Estimate:
    """A coefficient with its bootstrap confidence interval."""

    name: str
    value: float
    low: float
    high: float

    def as_dict(self) -> dict[str, float]:
        """JSON form: value and 95 % interval."""
        return {"værdi": self.value, "ci_lav": self.low, "ci_høj": self.high}


@dataclass(frozen=True)
class AgreementReport:
    """Agreement of two coders on one variable, with the disagreements to resolve."""

    variable: str
    level: str
    categories: list[str]
    n_cases: int
    percent_agreement: float
    estimates: list[Estimate]
    disagreements: list[tuple[str, str, str]]
    only_in_a: list[str] = field(default_factory=list)
    only_in_b: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    method_note: str = ""

    def estimate(self, name: str) -> Estimate | None:
        """The estimate with this name (e.g. "kappa", "alpha_nominal"), if computed."""
        return next((e for e in self.estimates if e.name == name), None)

    def as_dict(self) -> dict[str, object]:
        """The JSON form of the ``enighed`` CLI contract."""
        result: dict[str, object] = {
            "variabel": self.variable, "niveau": self.level, "antal_sager": self.n_cases,
            "procent_enighed": self.percent_agreement}
        result.update({e.name: e.as_dict() for e in self.estimates})
        result["uenigheder"] = [{"sag_id": c, "koder_a": a, "koder_b": b}
                                for c, a, b in self.disagreements]
        result["kun_hos_a"] = self.only_in_a
        result["kun_hos_b"] = self.only_in_b
        result["mangler_værdi"] = self.missing
        result["metode"] = self.method_note
        return result


def _numeric(values: Sequence[str]) -> list[float] | None:
    try:
        return [float(v.replace(",", ".")) for v in values]
    except ValueError:
        return None


def _choose_level(values: list[str], categories: Sequence[str] | None,
                  known_order: Sequence[str] | None, numbers: list[float] | None) -> str:
    if numbers is not None:
        if set(values) <= {"0", "1"}:
            return "nominal"  # code presence (1/0) is nominal, not a quantity
        return "ratio" if min(numbers, default=0) >= 0 else "interval"
    return "ordinal" if categories or known_order else "nominal"


def agreement_report(case_ids: Sequence[str], a: Sequence[str], b: Sequence[str], *,
                     variable: str, categories: Sequence[str] | None = None,
                     level: str | None = None, ordinal: bool | None = None,
                     bootstrap: int = 2000, seed: int = 20190101) -> AgreementReport:
    """Every agreement measure that fits the variable's level, with bootstrap intervals.

    The level is nominal, ordinal (declared order, or ``categories`` given), interval or
    ratio (numbers); pass ``level`` to override, or ``ordinal`` True/False to choose between
    ordinal and nominal for a categorical variable. 1/0 values count as nominal."""
    paired = [(c, x, y) for c, x, y in zip(case_ids, a, b, strict=True) if x != "" and y != ""]
    missing = [c for c, x, y in zip(case_ids, a, b, strict=True) if x == "" or y == ""]
    xs, ys = [p[1] for p in paired], [p[2] for p in paired]
    numbers = _numeric(xs + ys)
    known_order = declared_order(xs + ys)
    if categories:
        unknown = sorted(set(xs + ys) - set(categories))
        if unknown:
            raise EffektsporError(f"Variablen '{variable}' har værdier uden for de erklærede "
                                  f"({', '.join(categories)}): {', '.join(unknown)}.")
        order = list(categories)
    elif numbers is not None:
        order = sorted(set(xs + ys), key=lambda v: float(v.replace(",", ".")))
    else:
        spelling = {v.casefold(): v for v in xs + ys}
        order = ([spelling.get(v.casefold(), v) for v in known_order] if known_order
                 else value_order(xs + ys))
    if level is None and ordinal is not None:
        level = "ordinal" if ordinal else "nominal"
    level = level or _choose_level(xs + ys, categories, known_order, numbers)
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}")
    if level in ("interval", "ratio") and numbers is None:
        raise EffektsporError(f"Variablen '{variable}' har værdier der ikke er tal; "
                              f"niveauet '{level}' kræver tal.")
    rank = {value: i for i, value in enumerate(order)}
    x = np.array([rank[v] for v in xs], dtype=np.int64)
    y = np.array([rank[v] for v in ys], dtype=np.int64)
    values = (np.array([float(v.replace(",", ".")) for v in order])
              if level in ("interval", "ratio") else np.arange(len(order), dtype=float))
    names = ["kappa", "alpha_nominal"]
    if level != "nominal":
        names += ["vægtet_kappa_lineær", "vægtet_kappa_kvadratisk", "alpha_ordinal"]
    if level in ("interval", "ratio"):
        names.append("alpha_interval")
    if level == "ratio":
        names.append("alpha_ratio")
    levels = [name.removeprefix("alpha_") for name in names if name.startswith("alpha_")]

    def measures(confusion: np.ndarray) -> dict[str, np.ndarray]:
        return {**kappas(confusion), **alphas(confusion, values, levels)}

    estimates = []
    if paired:
        # The point estimates: scikit-learn's kappa and our alpha; the bootstrap resamples
        # use the same kappa formula vectorised over confusion matrices (two_coders.py,
        # tested against scikit-learn), which is 1,000x faster than 2,000 calls.
        confusion = confusion_matrices(x, y, len(order))
        point = {**alphas(confusion, values, levels),
                 **{name: np.array([kappa_from_table(confusion[0], weights)])
                    for name, weights in KAPPA_WEIGHTS.items()}}
        spread: dict[str, np.ndarray] = {}
        if bootstrap:
            rng = np.random.default_rng(seed)
            samples = rng.integers(0, len(paired), size=(bootstrap, len(paired)))
            spread = measures(confusion_matrices(x, y, len(order), samples))
        for name in names:
            low = high = float("nan")
            finite = spread[name][~np.isnan(spread[name])] if name in spread else []
            if len(finite):
                low, high = (float(v) for v in np.percentile(finite, [2.5, 97.5]))
            estimates.append(Estimate(name, float(point[name][0]), low, high))
    return AgreementReport(
        variable=variable, level=level, categories=order, n_cases=len(paired),
        percent_agreement=percent_agreement(xs, ys) if paired else float("nan"),
        estimates=estimates, missing=missing,
        disagreements=[(c, x, y) for c, x, y in paired if x != y],
        method_note=(f"95 %-konfidensintervaller: percentil-bootstrap over sager "
                     f"({bootstrap} gentagelser, frø {seed})."))


def code_presence_agreement(case_ids: Sequence[str], codes_a: Mapping[str, set[str]],
                            codes_b: Mapping[str, set[str]], codes: Sequence[str], *,
                            bootstrap: int = 2000, seed: int = 20190101
                            ) -> dict[str, AgreementReport]:
    """Agreement on whether each code occurs in each case (1/0 per case per code)."""
    return {code: agreement_report(
        case_ids, ["1" if code in codes_a.get(c, set()) else "0" for c in case_ids],
        ["1" if code in codes_b.get(c, set()) else "0" for c in case_ids], variable=code,
        level="nominal", bootstrap=bootstrap, seed=seed) for code in codes}


def agreement_between_tables(table_a: CaseTable, table_b: CaseTable, *, variable: str,
                             id_column: str = "sag_id", bootstrap: int = 2000,
                             seed: int = 20190101) -> AgreementReport:
    """Join two coders' tables on the case id and compute the agreement on ``variable``."""
    problems = []
    for table in (table_a, table_b):
        if id_column not in table.columns:
            problems.append(Problem(f"kolonnen '{id_column}' med sagens id mangler",
                                    file=table.source, line=1, field=id_column))
        if variable not in table.columns:
            problems.append(Problem(f"variablen '{variable}' mangler", file=table.source,
                                    line=1, field=variable))
    if problems:
        raise ValidationError(problems, "Kodefilerne kan ikke sammenlignes.")
    values_a = dict(zip(table_a.column(id_column), table_a.column(variable), strict=True))
    values_b = dict(zip(table_b.column(id_column), table_b.column(variable), strict=True))
    common = [c for c in values_a if c in values_b]
    if not common:
        raise EffektsporError(f"{table_a.source} og {table_b.source} har ingen sager til "
                              f"fælles (kolonnen '{id_column}').")
    report = agreement_report(common, [values_a[c] for c in common],
                              [values_b[c] for c in common], variable=variable,
                              bootstrap=bootstrap, seed=seed)
    return AgreementReport(**{**report.__dict__,
                              "only_in_a": [c for c in values_a if c not in values_b],
                              "only_in_b": [c for c in values_b if c not in values_a]})
