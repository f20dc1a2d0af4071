"""The daily follow-up's vocabulary: measures (indsatser), goals (mål), measurements
(målinger) and follow-ups (opfølgninger), with the Danish words users see.

Values are stored as written here (Danish, lower case, with æøå), so a database row
reads the same as the CSV a municipality imports. The law behind them is Barnets Lov
(LBK nr. 282 af 17/03/2025, in force since 1 January 2024): a first follow-up at the
latest 3 months after a measure starts, or when a parallel investigation ends if that is
earlier (§95, stk. 2); after it the schedule is a recorded, justified decision (§95,
stk. 3). There is no six-month rule (that was the repealed Serviceloven §70).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class MeasureKind:
    """A kind of measure: its Danish label, the paragraph it is granted under, and
    whether it is a placement (placements get supervision and a mandatory plan)."""

    key: str
    label: str
    paragraph: str
    placement: bool


#: The built-in measure kinds (a project may add others, see ``measure_kind``).
MEASURE_KINDS: dict[str, MeasureKind] = {kind.key: kind for kind in (
    MeasureKind("forebyggende", "Støttende indsats (forebyggende)", "Barnets Lov §32",
                False),
    MeasureKind("anbringelse_institution", "Anbringelse på institution", "Barnets Lov §46/§47",
                True),
    MeasureKind("anbringelse_familiepleje", "Anbringelse i familiepleje", "Barnets Lov §46/§47",
                True),
    MeasureKind("anbringelse_netværkspleje", "Anbringelse i netværkspleje",
                "Barnets Lov §46/§47", True),
    MeasureKind("anbringelse_eget_værelse", "Anbringelse på eget værelse",
                "Barnets Lov §46/§47", True),
)}

#: The default life areas of goals: the areas behind the attention points.
LIFE_AREAS: tuple[str, ...] = (
    "Udvikling og adfærd",
    "Familieforhold",
    "Skole og uddannelse",
    "Sundhedsforhold",
    "Fritidsforhold og venskaber",
    "Netværk",
)

#: Goal kinds: a progression goal aims at change, a maintenance goal at keeping a level.
GOAL_KINDS: dict[str, str] = {
    "progression": "Progressionsmål",
    "fastholdelse": "Fastholdelsesmål",
}

#: A goal's status.
GOAL_STATUSES: dict[str, str] = {
    "aktiv": "Aktiv",
    "nået": "Nået",
    "opgivet": "Opgivet",
    "erstattet": "Erstattet af et nyt mål",
}

#: With whom a goal was made.
GOAL_MADE_WITH: tuple[str, ...] = ("barn", "forældre", "mor", "far", "plejeforælder",
                                   "netværk", "skole", "behandler")

#: Who gave a measurement.
INFORMANTS: tuple[str, ...] = ("barn", "mor", "far", "plejeforælder", "skole", "dagtilbud",
                               "behandler", "rådgiver")

#: Risk levels of a measure (a rule set may have its own cadence per level).
RISK_LEVELS: tuple[str, ...] = ("lav", "middel", "høj")

#: The assessment of one goal at a follow-up.
GOAL_ASSESSMENTS: dict[str, str] = {
    "nået": "Nået",
    "fremgang": "Fremgang",
    "uændret": "Uændret",
    "tilbagegang": "Tilbagegang",
}

#: KL's terms for what a follow-up decides about the measure.
FOLLOW_UP_DECISIONS: dict[str, str] = {
    "fortsættes": "Indsatsen fortsættes",
    "ændres_inden_for_rammen": "Indsatsen ændres inden for rammen",
    "afsluttes": "Indsatsen afsluttes",
    "revisitation": "Revisitation",
}


@dataclass(frozen=True, slots=True)
class Subscale:
    """A subscale of an instrument with its own range."""

    key: str
    name: str
    minimum: float
    maximum: float


@dataclass(frozen=True, slots=True)
class Band:
    """A band of scores (``lower``–``upper``, both included) with a Danish label."""

    lower: float
    upper: float
    label: str


#: How an instrument's total is formed from its subscales.
TOTAL_RULES: dict[str, str] = {"sum": "summen af delskalaerne",
                               "gennemsnit": "gennemsnittet af delskalaerne"}


@dataclass(frozen=True, slots=True)
class Instrument:
    """A measuring instrument as data (``followup/instruments.py`` reads the YAML): its
    scale, which direction is better, subscales and how the total is formed, bands with
    Danish labels, reliability and reference SD (for reliable change), the informants
    allowed, and a licence note. Licensed instruments are stored as scores only."""

    key: str
    name: str
    version: str
    minimum: float
    maximum: float
    higher_is_better: bool
    informants: tuple[str, ...] = INFORMANTS
    licence: str = ""
    subscales: tuple[Subscale, ...] = ()
    total_rule: str = "sum"
    bands: tuple[Band, ...] = ()
    reliability: float | None = None
    reference_sd: float | None = None

    def total(self, scores: dict[str, float]) -> float:
        """The total of ``scores`` (one per subscale; the score itself without any)."""
        if not self.subscales:
            return scores["total"]
        values = [scores[sub.key] for sub in self.subscales]
        return sum(values) / len(values) if self.total_rule == "gennemsnit" else sum(values)

    def band(self, value: float) -> str | None:
        """The label of the band ``value`` lies in, or None."""
        return next((b.label for b in self.bands if b.lower <= value <= b.upper), None)


def measure_kind(key: str) -> MeasureKind:
    """The built-in measure kind ``key`` (Danish ``ValueError`` naming the valid ones)."""
    try:
        return MEASURE_KINDS[key.strip()]
    except KeyError:
        valid = ", ".join(MEASURE_KINDS)
        raise ValueError(f"ukendt indsatstype '{key}' (gyldige: {valid})") from None


def choice(value: str, allowed, what: str) -> str:
    """``value`` stripped when it is one of ``allowed``, else a Danish ``ValueError``."""
    text = (value or "").strip()
    if text not in allowed:
        raise ValueError(f"ukendt {what} '{value}' (gyldige: {', '.join(allowed)})")
    return text


@dataclass(frozen=True, slots=True)
class MeasureFacts:
    """What the follow-up calendar needs to know about one measure."""

    case: str
    measure: str
    kind: str
    start: date
    investigation_end: date | None = None
    risk_level: str | None = None


@dataclass(frozen=True, slots=True)
class DecidedSchedule:
    """A schedule decided for a measure (§95, stk. 3): from follow-up ``after_number`` on,
    every ``interval`` (e.g. "3 måneder"), with the justification given to the family."""

    after_number: int
    interval: str
    justification: str
    decided_by: str = ""
    decided_on: date | None = None
    told_family_on: date | None = None


# -- free text through the pseudonymiser ---------------------------------------------------

#: The follow-up's free-text fields as the person who typed them knows them (Danish).
FREE_TEXT_FIELD_NAMES = {
    "mål": "målteksten", "hvordan_ved_vi_det": "'hvordan ved vi det'",
    "begrundelse": "begrundelsen", "note": "noten", "deltagere": "deltagerne",
    "plan_begrundelse": "begrundelsen for planen", "vurdering": "vurderingen",
}

#: What an export shows instead of follow-up free text not yet through the project's
#: pseudonymisation run (it may still hold a name only the key file knows).
WITHHELD_TEXT = ("[tilbageholdt: teksten er endnu ikke pseudonymiseret med projektets "
                 "nøglefil – kør 'effektspor pseudonymiser --projekt MAPPE']")


@dataclass(frozen=True, slots=True)
class Replacement:
    """One identifier replaced in free text when it was saved: the field ("mål",
    "note", "vurdering:3" for the assessment of goal 3 …), the kind of identifier
    (NAVN, CPR, TELEFON …), what was typed and what was stored instead. Shown to the
    person who saved it; the original is never stored or logged."""

    field: str
    label: str
    original: str
    replacement: str

    def describe(self) -> str:
        """Danish, e.g. "Erstattet i målteksten: «Peter» → «[barn 1]»"."""
        key, _, goal = self.field.partition(":")
        where = FREE_TEXT_FIELD_NAMES.get(key, key)
        if goal:
            where = f"vurderingen af mål {goal}"
        return f"Erstattet i {where}: «{self.original}» → «{self.replacement}»"
