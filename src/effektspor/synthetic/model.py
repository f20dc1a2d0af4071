"""The latent truth of a synthetic case and how it is drawn.

Every case gets a team, dates, grants, a problem category, a severity, an alliance course,
professional doubt and/or intervention adjustment (in some order) and an outcome. The
outcome depends on severity, reflected adjustment (doubt followed by adjustment), problem
category and network meetings, with noise, in the direction of the 2019 Randers findings
(docs/GLOSSARY.md, Tabel 3, 5 and 10): light cases succeed without reflected adjustment, severe
cases often fail even with it, forældrestruktur succeeds most, barneregulering least.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from random import Random

from effektspor.domain.vocabulary import OUTCOMES, PROBLEM_CATEGORIES, TEAMS_RANDERS_2019
from effektspor.synthetic.people import Household, make_household
from effektspor.synthetic.templates import pick

#: How often each problem category occurs (roughly Tabel 10 of the 2019 slides).
CATEGORY_WEIGHTS: dict[str, float] = {
    "Forældrekonflikt": 0.10, "Forældrestruktur": 0.20, "Forældreregulering": 0.30,
    "Barneregulering": 0.26, "Barnestruktur": 0.05, "Barnekonflikt": 0.09,
}
#: Effect of the problem category on the chance of reaching the goal.
CATEGORY_EFFECT: dict[str, float] = {
    "Forældrekonflikt": 0.3, "Forældrestruktur": 0.7, "Forældreregulering": 0.0,
    "Barneregulering": -0.6, "Barnestruktur": -0.3, "Barnekonflikt": -0.1,
}
SEVERITY_BASE = {"Let": 1.0, "Mellem": -0.35, "Svær": -0.45}
#: Effect of reflected adjustment by severity: small when light, not enough when severe.
REFLECTED_EFFECT = {"Let": 0.2, "Mellem": 1.0, "Svær": 0.75}
TEAM_WEIGHTS: dict[str, float] = {
    "Dagbehandlingsforløb": 0.10, "Familieværkstedet": 0.09, "Familier massiv": 0.16,
    "Familier samtaleforløb": 0.20, "Sandplay": 0.08, "Støttet samvær": 0.13,
    "Understøttende indsats": 0.14, "Terapeutiske forløb": 0.10,
}
#: Severity weights (Svær, Mellem, Let) per team: massive and day treatment are heavier.
TEAM_SEVERITY: dict[str, tuple[float, float, float]] = {
    "Dagbehandlingsforløb": (0.5, 0.35, 0.15), "Familier massiv": (0.6, 0.3, 0.1),
    "Familieværkstedet": (0.3, 0.4, 0.3), "Familier samtaleforløb": (0.2, 0.4, 0.4),
    "Sandplay": (0.2, 0.4, 0.4), "Støttet samvær": (0.4, 0.4, 0.2),
    "Understøttende indsats": (0.2, 0.35, 0.45), "Terapeutiske forløb": (0.3, 0.4, 0.3),
}
ALLIANCE_COURSES = ("positiv", "negativ", "brud_genoprettet", "svingende")
#: Order of doubt and adjustment: only "tvivl_så_justering" is reflected adjustment.
DOUBT_PATTERNS = ("tvivl_så_justering", "kun_tvivl", "kun_justering", "justering_så_tvivl",
                  "ingen")
ADJUSTMENT_KINDS = ("frekvens", "metode", "mål", "deltagere", "problemforståelse")
AUTHOR_ROLES = ("familiebehandler", "familiekonsulent", "familiestøtte")
DISCHARGE_STATES = ("brugbar", "uden_vurdering", "mangler")


@dataclass(slots=True)
class CaseTruth:
    """Everything the generator decided about one case; the texts express it."""

    case_id: str
    team: str
    start: date
    end: date
    n_grants: int
    category: str
    severity: str
    alliance: str
    doubt_pattern: str
    adjustment_kind: str
    relational_work: bool
    parent_doubt: bool
    network: str
    network_meetings: int
    outcome: str
    discharge: str = "mangler"
    author_role: str = "familiebehandler"
    note_interval: int = 10
    gap: tuple[date, date] | None = None
    without_notes: bool = False
    household: Household | None = field(default=None, repr=False)

    @property
    def professional_doubt(self) -> bool:
        """True if the notes express professional doubt."""
        return self.doubt_pattern in ("tvivl_så_justering", "kun_tvivl", "justering_så_tvivl")

    @property
    def adjustment(self) -> bool:
        """True if the notes describe an intervention adjustment."""
        return self.doubt_pattern in ("tvivl_så_justering", "kun_justering", "justering_så_tvivl")

    @property
    def reflected_adjustment(self) -> bool:
        """Professional doubt followed (later) by an adjustment."""
        return self.doubt_pattern == "tvivl_så_justering"

    @property
    def enrollment_days(self) -> int:
        """Days from start to closing."""
        return (self.end - self.start).days

    def to_json(self) -> dict:
        """The truth as plain data for ``facit.jsonl`` (Danish keys like the export)."""
        return {
            "sag_id": self.case_id, "team": self.team, "startdato": self.start.isoformat(),
            "slutdato": self.end.isoformat(), "antal_bevillinger": self.n_grants,
            "problemstilling": self.category, "problemgrad": self.severity,
            "maalopnaaelse": self.outcome, "udskrivningsrapport": self.discharge,
            "effektvurdering_i_rapport": self.outcome if self.discharge == "brugbar" else None,
            "alliance": self.alliance, "tvivl_og_justering": self.doubt_pattern,
            "professionel_tvivl": self.professional_doubt, "indsatsjustering": self.adjustment,
            "justeringstype": self.adjustment_kind if self.adjustment else None,
            "reflekteret_indsatsjustering": self.reflected_adjustment,
            "relationsarbejde": self.relational_work, "foraelders_tvivl": self.parent_doubt,
            "netvaerk": self.network, "netvaerksmoeder": self.network_meetings,
            "uden_notater": self.without_notes,
            "notatpause": [d.isoformat() for d in self.gap] if self.gap else None,
        }


def _weighted(rng: Random, weights: dict[str, float]) -> str:
    x = rng.random() * sum(weights.values())
    for key, weight in weights.items():
        x -= weight
        if x <= 0:
            return key
    return key


def draw_grant_count(rng: Random) -> int:
    """1 to 12 grants; about half the cases have one."""
    if rng.random() < 0.5:
        return 1
    n = 2
    while n < 12 and rng.random() < 0.72:
        n += 1
    return n


def draw_outcome(rng: Random, severity: str, reflected: bool, category: str,
                 network_meetings: int) -> str:
    """The latent outcome: a noisy score cut into I mål / På vej / Ikke i mål."""
    score = (SEVERITY_BASE[severity] + (REFLECTED_EFFECT[severity] if reflected else 0.0)
             + CATEGORY_EFFECT[category] + 0.25 * min(network_meetings, 2)
             + rng.gauss(0.0, 0.75))
    if score > 0.75:
        return OUTCOMES[0]
    if score > -0.15:
        return OUTCOMES[1]
    return OUTCOMES[2]


def draw_case(rng: Random, case_id: str, *, closed_year: int = 2019) -> CaseTruth:
    """Draw one closed case (closed in ``closed_year``) with its household."""
    team = _weighted(rng, TEAM_WEIGHTS)
    sev_weights = dict(zip(("Svær", "Mellem", "Let"), TEAM_SEVERITY[team], strict=True))
    severity = _weighted(rng, sev_weights)
    category = _weighted(rng, CATEGORY_WEIGHTS)
    if team == "Støttet samvær" and rng.random() < 0.5:
        category = pick(rng, ("Forældrekonflikt", "Forældreregulering"))
    n_grants = draw_grant_count(rng)
    end = date(closed_year, 1, 1) + timedelta(days=rng.randrange(365))
    days = int((50 + 62 * n_grants) * rng.lognormvariate(0.0, 0.4))
    start = end - timedelta(days=min(1000, max(30, days)))
    doubt_weights = {"tvivl_så_justering": 0.34, "kun_tvivl": 0.2, "kun_justering": 0.14,
                     "justering_så_tvivl": 0.06, "ingen": 0.26}
    doubt_pattern = _weighted(rng, doubt_weights)
    network_meetings = 0 if rng.random() < 0.7 else rng.randrange(1, 4)
    outcome = draw_outcome(rng, severity, doubt_pattern == "tvivl_så_justering", category,
                           network_meetings)
    alliance_weights = {"positiv": 0.25, "negativ": 0.2, "brud_genoprettet": 0.25,
                        "svingende": 0.3}
    if outcome == "Ikke i mål":
        alliance_weights.update(negativ=0.4, positiv=0.12)
    truth = CaseTruth(
        case_id=case_id, team=team, start=start, end=end, n_grants=n_grants,
        category=category, severity=severity, alliance=_weighted(rng, alliance_weights),
        doubt_pattern=doubt_pattern, adjustment_kind=pick(rng, ADJUSTMENT_KINDS),
        relational_work=rng.random() < 0.7, parent_doubt=rng.random() < 0.3,
        network=pick(rng, ("stærkt", "svagt")), network_meetings=network_meetings,
        outcome=outcome, author_role=pick(rng, AUTHOR_ROLES),
        note_interval=rng.randrange(6, 16) if team != "Familier massiv" else rng.randrange(3, 8),
        without_notes=rng.random() < 0.04,
    )
    if truth.without_notes:
        # Nothing can express doubt, alliance or relational work without notes.
        truth.doubt_pattern, truth.alliance = "ingen", "ingen_notater"
        truth.relational_work = truth.parent_doubt = False
    if truth.enrollment_days > 200 and rng.random() < 0.2:
        gap_start = start + timedelta(days=rng.randrange(30, truth.enrollment_days - 120))
        truth.gap = (gap_start, gap_start + timedelta(days=rng.randrange(70, 110)))
    truth.household = make_household(rng, start)
    return truth


def assign_discharge(rng: Random, cases: list[CaseTruth], usable_share: float = 0.35) -> None:
    """Give exactly round(share × n) cases a usable discharge report; the rest none or unusable."""
    order = list(range(len(cases)))
    rng.shuffle(order)
    n_usable = round(usable_share * len(cases))
    for rank, index in enumerate(order):
        if rank < n_usable:
            cases[index].discharge = "brugbar"
        else:
            cases[index].discharge = "uden_vurdering" if rng.random() < 0.45 else "mangler"


__all__ = ["CaseTruth", "draw_case", "assign_discharge", "PROBLEM_CATEGORIES",
           "TEAMS_RANDERS_2019", "DISCHARGE_STATES", "DOUBT_PATTERNS", "ALLIANCE_COURSES"]
