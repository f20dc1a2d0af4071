"""Diary notes (dagbogsnotater) of a synthetic case, with the codes each note expresses.

The notes follow the case's latent course: the alliance (negative early and positive later
when it was broken and rebuilt, ...), professional doubt and intervention adjustment in the
order the case's pattern says (doubt before adjustment is reflected adjustment; the reverse
order is not), relational work, and decoys that use the same words without the meaning.
"""

from __future__ import annotations

from bisect import bisect
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate
from random import Random

from effektspor.domain.attention_points import BUILTIN_SCHEMES, scheme_for_date
from effektspor.synthetic import phrases as ph
from effektspor.synthetic.model import AUTHOR_ROLES, CaseTruth
from effektspor.synthetic.people import DAYCARE_NAMES, phone_number
from effektspor.synthetic.templates import pick, render

#: Code names used in the truth file for the alliance dimensions of Tabel 4 and more.
NEGATIVE = "negativ_alliance"
POSITIVE = "positiv_alliance"
DOUBT = "professionel_tvivl"
ADJUSTMENT = "indsatsjustering"
RELATIONAL = "relationsarbejde"
PARENT_DOUBT = "foraelders_tvivl"

_TEAM_POINT_BONUS: dict[str, tuple[str, ...]] = {
    "Støttet samvær": ("Samvær", "Samværsrelationer"),
    "Sandplay": ("Temaer, historier og figurer", "Udvikling, adfærd og tolkning"),
    "Dagbehandlingsforløb": (
        "Skole og daginstitution",
        "Udvikling og adfærd",
        "Beskrivelse af barnet",
    ),
    "Familier massiv": ("Evnen til at se barnets behov", "Familieforhold"),
}
_OFTEN_USED = ("Generelle notater", "Generelle forhold", "Familieforhold")


@dataclass(slots=True)
class GeneratedNote:
    """One note in the export layout plus the codes (and sub-codes) it expresses."""

    row: dict[str, str]
    codes: list[str] = field(default_factory=list)
    subcodes: list[str] = field(default_factory=list)


def note_dates(rng: Random, truth: CaseTruth) -> list[date]:
    """Dates of the case's notes: a rhythm around the case's interval, minus any gap."""
    if truth.without_notes:
        return []
    dates = []
    day = truth.start + timedelta(days=rng.randrange(1, 8))
    while day < truth.end:
        if not (truth.gap and truth.gap[0] <= day <= truth.gap[1]):
            dates.append(day)
        day += timedelta(days=max(1, int(truth.note_interval * (0.4 + 1.2 * rng.random()))))
    return dates or [truth.start + timedelta(days=(truth.end - truth.start).days // 2)]


def _event_positions(rng: Random, truth: CaseTruth, n: int) -> tuple[list[int], list[int]]:
    """Indexes of notes with professional doubt and with adjustment, in the case's order."""
    pattern = truth.doubt_pattern
    if n == 0 or pattern == "ingen":
        return [], []
    if n == 1:
        return ([0] if truth.professional_doubt else []), ([0] if truth.adjustment else [])
    first = rng.randrange(max(1, n // 5), max(2, (n * 3) // 5))
    first = min(first, n - 2)
    second = rng.randrange(first + 1, n)
    extra_doubt = [i for i in range(first) if rng.random() < 0.06]
    if pattern == "tvivl_så_justering":
        return sorted({first, *extra_doubt}), [second]
    if pattern == "justering_så_tvivl":
        return [second], [first]
    if pattern == "kun_tvivl":
        return sorted({first, *extra_doubt, *([second] if rng.random() < 0.4 else [])}), []
    return [], [first]  # kun_justering


def _alliance_probabilities(course: str, phase: float) -> tuple[float, float]:
    """(P negative, P positive) of a note at ``phase`` (0..1) of the course."""
    if course == "positiv":
        return 0.05, 0.3
    if course == "negativ":
        return 0.3, 0.04
    if course == "brud_genoprettet":
        return (0.3, 0.05) if phase < 0.5 else (0.05, 0.3)
    if course == "svingende":
        return 0.17, 0.17
    return 0.0, 0.0


def _point_weights(team: str, points: tuple[str, ...]) -> list[float]:
    bonus = _TEAM_POINT_BONUS.get(team, ())
    return [4.0 if p in bonus else 2.5 if p in _OFTEN_USED else 1.0 for p in points]


class NoteWriter:
    """Writes the notes of one case; keeps the case's slots and attention-point weights."""

    def __init__(self, rng: Random, truth: CaseTruth):
        self.rng = rng
        self.truth = truth
        household = truth.household
        assert household is not None
        child = household.child
        self.mother = household.by_role("mor")
        self.father = household.by_role("far")
        self.base_slots = {
            "barn": child.first_name,
            "bhan": "hun" if child.female else "han",
            "bham": "hende" if child.female else "ham",
            "institution": household.institution,
            "køn": "pige" if child.female else "dreng",
            "stedet": "børnehaven" if household.institution in DAYCARE_NAMES else "skolen",
            "kollega": household.professionals["kollega"],
            "sagsbehandler": household.professionals["sagsbehandler"],
        }
        self.grandparent_phone = grandparent_phone = phone_number(rng)
        self.personal = {
            id(p): {
                "telefon": p.phone or "",
                "email": p.email or "",
                "fulde_navn": p.name,
                "cpr": p.cpr,
                "adresse": household.address,
                "efternavn": child.surname,
                "telefon_2": grandparent_phone,
                "rolle_ord": "Mor" if p.female else "Far",
            }
            for p in (self.mother, self.father)
            if p is not None
        }
        self.schemes = {
            s.version: (s.points, list(accumulate(_point_weights(truth.team, s.points))))
            for s in BUILTIN_SCHEMES
        }

    def _slots(self) -> dict[str, str]:
        rng = self.rng
        parent = self.mother if rng.random() < 0.65 or self.father is None else self.father
        name = parent.first_name if rng.random() < 0.7 else ("mor" if parent.female else "far")
        slots = dict(self.base_slots)
        slots.update(
            forælder=name,
            fhan="hun" if parent.female else "han",
            fham="hende" if parent.female else "ham",
        )
        slots.update(self.personal[id(parent)])
        return slots

    def _point(self, when: date) -> str:
        scheme = scheme_for_date(BUILTIN_SCHEMES, when)
        points, cumulative = self.schemes[scheme.version]
        return points[bisect(cumulative, self.rng.random() * cumulative[-1])]

    def write(self, first_number: int = 1) -> list[GeneratedNote]:
        """All notes of the case, in date order, numbered from ``first_number``."""
        rng, truth = self.rng, self.truth
        dates = note_dates(rng, truth)
        n = len(dates)
        doubts, adjustments = _event_positions(rng, truth, n)
        plan = [self._plan_note(i, n, i in doubts, i in adjustments) for i in range(n)]
        self._ensure_course(plan, n)
        notes = []
        for i, (when, wanted) in enumerate(zip(dates, plan, strict=True)):
            notes.append(self._note(when, wanted, f"{truth.case_id}-N{first_number + i:03d}"))
        return notes

    def _plan_note(self, i: int, n: int, doubt: bool, adjustment: bool) -> list[str]:
        rng, truth = self.rng, self.truth
        p_neg, p_pos = _alliance_probabilities(truth.alliance, i / max(1, n))
        wanted = []
        if rng.random() < p_neg:
            wanted.append(NEGATIVE)
        if rng.random() < p_pos:
            wanted.append(POSITIVE)
        if truth.relational_work and rng.random() < 0.22:
            wanted.append(RELATIONAL)
        if truth.parent_doubt and rng.random() < 0.12:
            wanted.append(PARENT_DOUBT)
        if doubt:
            wanted.append(DOUBT)
        if adjustment:
            wanted.append(ADJUSTMENT)
        return wanted

    def _ensure_course(self, plan: list[list[str]], n: int) -> None:
        """Make sure each latent trait shows in at least one note of its phase."""
        if n == 0:
            return
        rng, course = self.rng, self.truth.alliance
        late = range(n // 2, n)
        early = range(0, max(1, n // 2))
        needs = []
        if course in ("negativ", "svingende"):
            needs.append((NEGATIVE, range(n)))
        if course == "brud_genoprettet":
            needs += [(NEGATIVE, early), (POSITIVE, late)]
        if course in ("positiv", "svingende"):
            needs.append((POSITIVE, range(n)))
        if self.truth.relational_work:
            needs.append((RELATIONAL, range(n)))
        if self.truth.parent_doubt:
            needs.append((PARENT_DOUBT, range(n)))
        for code, where in needs:
            if not any(code in plan[i] for i in where):
                plan[pick(rng, where)].append(code)

    def _note(self, when: date, wanted: list[str], note_id: str) -> GeneratedNote:
        rng = self.rng
        slots = self._slots()
        point = self._point(when)
        sentences: list[str] = []
        codes: list[str] = []
        subcodes: list[str] = []
        if rng.random() < 0.7:
            sentences.append(render(pick(rng, ph.C_OPENERS), rng, slots))
        for _ in range(int(rng.random() * 3)):
            sentences.append(render(pick(rng, ph.C_OBSERVATIONS), rng, slots))
        # Two different observations under the note's attention point.
        point_templates = ph.C_POINTS[point]
        first = int(rng.random() * len(point_templates))
        sentences.append(render(point_templates[first], rng, slots))
        if len(point_templates) > 1:
            second = (first + 1 + int(rng.random() * (len(point_templates) - 1))) % len(
                point_templates
            )
            sentences.append(render(point_templates[second], rng, slots))
        if rng.random() < 0.3:
            sentences.append(render(pick(rng, ph.C_CATEGORY[self.truth.category]), rng, slots))
        body: list[str] = []
        for code in wanted:
            if code == NEGATIVE:
                sub = pick(rng, tuple(ph.C_NEGATIVE))
                body.append(render(pick(rng, ph.C_NEGATIVE[sub]), rng, slots))
                subcodes.append(sub)
                if sub == "tager ikke imod omsorg" and "trøste" in body[-1]:
                    codes.append(RELATIONAL)
            elif code == POSITIVE:
                sub = pick(rng, tuple(ph.C_POSITIVE))
                body.append(render(pick(rng, ph.C_POSITIVE[sub]), rng, slots))
                subcodes.append(sub)
            elif code == RELATIONAL:
                body.append(render(pick(rng, ph.C_RELATIONAL), rng, slots))
            elif code == PARENT_DOUBT:
                body.append(render(pick(rng, ph.C_PARENT_DOUBT), rng, slots))
            codes.append(code)
        rng.shuffle(body)
        sentences += body
        # Decoys: same words, other meaning.
        if rng.random() < 0.12:
            sentences.append(render(pick(rng, ph.C_RELATIONAL_DECOY), rng, slots))
        if rng.random() < 0.05:
            sentences.append(render(pick(rng, ph.C_NEGATION_DECOY), rng, slots))
        if rng.random() < 0.04:
            sentences.append(render(pick(rng, ph.C_NOT_DOUBT), rng, slots))
        if rng.random() < 0.04 and ADJUSTMENT not in wanted:
            sentences.append(render(pick(rng, ph.C_NOT_ADJUSTMENT), rng, slots))
        # Doubt and adjustment last, doubt before adjustment when both are in one note.
        if DOUBT in wanted:
            sentences.append(render(pick(rng, ph.C_DOUBT), rng, slots))
        if ADJUSTMENT in wanted:
            kind = self.truth.adjustment_kind
            sentences.append(render(pick(rng, ph.C_ADJUSTMENT[kind]), rng, slots))
            subcodes.append(kind)
        if rng.random() < 0.08:
            sentences.append(render(pick(rng, ph.C_PERSONAL_DATA), rng, slots))
        if rng.random() < 0.5:
            sentences.append(render(pick(rng, ph.C_CLOSINGS), rng, slots))
        role = self.truth.author_role if rng.random() < 0.8 else pick(rng, AUTHOR_ROLES)
        row = {
            "sag_id": self.truth.case_id,
            "dato": when.isoformat(),
            "opmærksomhedspunkt": point,
            "forfatterrolle": role,
            "tekst": " ".join(sentences),
            "notat_id": note_id,
        }
        return GeneratedNote(row, sorted(set(codes)), subcodes)
