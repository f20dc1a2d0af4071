"""Documents of a synthetic case: grants, action plans, investigations, notifications,
status reports, discharge reports and e-mails, in Danish, with invented personal data.

Grants and action plans describe the problem category and severity in varied words (for
classification from text); the discharge report carries the effect assessment in varied
wording when it is usable, and none when it is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from random import Random

from effektspor.synthetic.model import CaseTruth
from effektspor.synthetic.people import phone_number
from effektspor.synthetic.templates import compile_template, pick, render

LEGAL_BASES = {
    "Familiebehandling": "SEL § 52, stk. 3, nr. 3",
    "Praktisk pædagogisk støtte i hjemmet": "SEL § 52, stk. 3, nr. 2",
    "Konsulentbistand": "SEL § 52, stk. 3, nr. 1",
    "Dagbehandling": "SEL § 52, stk. 3, nr. 3",
    "Støttet samvær": "SEL § 71, stk. 4",
    "Forebyggende rådgivning": "SEL § 11, stk. 3",
}
TEAM_INTERVENTION = {
    "Dagbehandlingsforløb": "Dagbehandling",
    "Støttet samvær": "Støttet samvær",
    "Understøttende indsats": "Praktisk pædagogisk støtte i hjemmet",
    "Familier samtaleforløb": "Konsulentbistand",
}

CATEGORY_TEXT = {
    "Forældrestruktur": (
        "{rolle} har (vanskeligt|svært) ved at (strukturere|skabe) en rimelig hverdag for {barn}; der mangler faste rammer for (søvn, måltider og fremmøde|sengetider, mad og skolegang).",
        "Hjemmet er præget af manglende struktur: {barn} kommer (ofte|jævnligt) for sent, der er ikke (handlet ind|styr på tøj og madpakker), og aftaler bliver glemt.",
    ),
    "Forældreregulering": (
        "{rolle} har svært ved at handle og være sammen med {barn} på en passende måde; samspillet er præget af (irritation og skæld ud|manglende indlevelse).",
        "Der er bekymring for forældrenes evne til at (aflæse og imødekomme|rumme) {barn}s følelsesmæssige behov i samspillet.",
    ),
    "Forældrekonflikt": (
        "Der er (gentagne|voldsomme) konflikter med (fysisk og verbal vold|råb og trusler) mellem de voksne i {barn}s nærvær.",
        "Politiet har været tilkaldt til (husspektakler|en voldsepisode) i hjemmet, og {barn} har overværet (vold|konflikterne) mellem forældrene.",
    ),
    "Barnestruktur": (
        "{barn} har (store vanskeligheder|svært) ved daglige rutiner og struktur og (kan ikke overskue|mister overblikket over) almindelige gøremål.",
    ),
    "Barneregulering": (
        "{barn} har svært ved at (handle og være sammen med|indgå i samspil med) andre (børn|børn og voksne) på en passende måde og (isolerer sig|kommer i konflikter).",
        "{barn} (trækker sig fra fællesskabet|har svært ved at regulere sine følelser) og har få venner.",
    ),
    "Barnekonflikt": (
        "{barn} er (fysisk og verbalt|voldsomt) udadreagerende og har (slået og sparket|truet) (andre børn|voksne) i (skolen|institutionen).",
        "Der er mange episoder, hvor {barn} (slår|sparker|kaster med ting) og (ødelægger|smadrer) inventar.",
    ),
}
SEVERITY_TEXT = {
    "Let": (
        "Familien har brug for støtte til at (opretholde|fastholde) en almindelig hverdag.",
        "Problemerne vurderes at være af lettere karakter, men familien har behov for (støtte|vejledning) for at komme videre.",
    ),
    "Mellem": (
        "Familien befinder sig (aktuelt|) i en krise(, og der er brug for en intensiv indsats|).",
        "Familiesituationen er præget af krise efter (skilsmissen|mors sygemelding|flytningen).",
    ),
    "Svær": (
        "Der er alvorlig bekymring for {barn}s (sikkerhed|trivsel og sikkerhed), og familiesituationen vurderes at være (i fare|farlig for barnet).",
        "{barn} vurderes at være i fare, hvis der ikke (sættes ind|iværksættes en massiv indsats) (nu|straks).",
    ),
}
#: Severity said without the usual words (harder to classify from text); with
#: ``hard_wording=True`` a quarter of the cases use these.
SEVERITY_INDIRECT = {
    "Let": (
        "Familien fungerer i det store hele, men har brug for (råd og vejledning|lidt ekstra støtte) i hverdagen.",
    ),
    "Mellem": (
        "Der er ikke tale om en akut faresituation, men familien er (presset|i en svær periode) efter (skilsmissen|flytningen|fars sygdom).",
    ),
    "Svær": (
        "Der har været (politiets indgriben|en akut anbringelse i en periode), og {barn}s sikkerhed kan ikke garanteres i hjemmet.",
    ),
}
GOALS = {
    "Forældrestruktur": "{rolle} etablerer faste rutiner for morgen og aften, så {barn} møder til tiden.",
    "Forældreregulering": "{rolle} kan aflæse {barn}s signaler og reagere roligt og passende.",
    "Forældrekonflikt": "{barn} oplever ikke vold eller voldsomme konflikter mellem de voksne.",
    "Barnestruktur": "{barn} kan følge en dagsplan med hjælp fra et visuelt skema.",
    "Barneregulering": "{barn} kan indgå i leg med andre børn uden at trække sig eller komme i konflikt.",
    "Barnekonflikt": "{barn} har færre episoder med slag og spark og kan bruge en aftalt pauseplads.",
}
ASSESSMENT = {
    "I mål": (
        "Effektvurdering: I mål.",
        "Effektvurdering: (Målene er nået|Alle mål er nået).",
        "Samlet vurdering: Familien er kommet i mål med de opstillede mål.",
        "Effektvurdering: Det er vores vurdering, at alle mål i handleplanen er indfriet.",
        "Effektvurdering: i mål – {barn} og familien har nået målene.",
        "Effektvurdering: Fuld målopnåelse.",
    ),
    "På vej": (
        "Effektvurdering: På vej.",
        "Effektvurdering: Familien er godt på vej, men ikke alle mål er nået.",
        "Samlet vurdering: Delvis målopnåelse – nogle af målene er nået.",
        "Effektvurdering: Det vurderes, at {barn} er på vej, men endnu ikke i mål.",
    ),
    "Ikke i mål": (
        "Effektvurdering: Ikke i mål.",
        "Effektvurdering: Målene er ikke nået.",
        "Samlet vurdering: Der er ikke sket nogen målopnåelse i forløbet.",
        "Effektvurdering: Det er vores vurdering, at familien ikke er kommet i mål, og at der fortsat er behov for støtte.",
        "Effektvurdering: Ingen af målene er indfriet.",
        "Effektvurdering: Der er ingen bedring i forhold til de problemstillinger, familien blev henvist med.",
    ),
}
#: Harder wordings (no "mål" word, or reached and missed goals side by side), only used with
#: ``hard_wording=True`` so the default corpus stays the agreed test bed of other areas.
ASSESSMENT_HARD = {
    "I mål": ("Effektvurdering: Familien har opnået det, vi satte os for, og forløbet afsluttes.",),
    "På vej": (
        "Effektvurdering: Målet om (faste rutiner|skolegang) er nået, men målet om (samvær|ro ved sengetid) er ikke nået.",
        "Effektvurdering: Der ses en positiv udvikling, men familien har fortsat brug for støtte for at nå målene.",
    ),
    "Ikke i mål": ("Effektvurdering: Forløbet har ikke ført til de ønskede forandringer.",),
}
NO_ASSESSMENT = (
    "Effektvurdering: Se statusrapport.",
    "Effektvurdering: (ikke udfyldt)",
    "Forløbet er afsluttet før tid, da familien er fraflyttet kommunen. Der er ikke foretaget en effektvurdering.",
    "Sagen lukkes efter aftale med myndighed, som foretager den videre vurdering.",
    "Effektvurdering: -",
)


@dataclass(slots=True)
class GeneratedDocument:
    """One document: type code, date, title (no underscores), text, and whether as .docx."""

    doc_type: str
    doc_date: date
    title: str
    text: str
    as_docx: bool = False


def _t(rng: Random, texts: tuple[str, ...] | str, slots: dict[str, str]) -> str:
    text = texts if isinstance(texts, str) else pick(rng, texts)
    return render(compile_template(text), rng, slots)


def grant_periods(rng: Random, truth: CaseTruth) -> list[tuple[date, date, str]]:
    """Consecutive grant periods covering the enrollment, with the intervention of each."""
    total = truth.enrollment_days
    weights = [0.6 + 0.8 * rng.random() for _ in range(truth.n_grants)]
    bounds = [0]
    for weight in weights[:-1]:
        bounds.append(min(total - 1, bounds[-1] + max(1, round(total * weight / sum(weights)))))
    bounds.append(total)
    base = TEAM_INTERVENTION.get(truth.team, "Familiebehandling")
    periods = []
    for i in range(truth.n_grants):
        start = truth.start + timedelta(days=bounds[i])
        end = truth.start + timedelta(days=bounds[i + 1] - (1 if i < truth.n_grants - 1 else 0))
        intervention = base if i == 0 or rng.random() < 0.75 else pick(rng, tuple(LEGAL_BASES))
        periods.append((start, max(start, end), intervention))
    return periods


class DocumentWriter:
    """Writes the documents of one case from its truth and household."""

    def __init__(self, rng: Random, truth: CaseTruth, *, hard_wording: bool = False):
        self.rng, self.truth = rng, truth
        self.hard_wording = hard_wording
        hh = truth.household
        assert hh is not None
        self.hh = hh
        child = hh.child
        mother = hh.by_role("mor")
        self.slots = {
            "barn": child.first_name,
            "rolle": pick(rng, ("Mor", "Forældrene", "Far"))
            if truth.category.startswith("Forældre")
            else "Mor",
        }
        self.header = (
            f"Barn: {child.name}, cpr.nr. {child.cpr}\n"
            f"Adresse: {hh.address}\n"
            f"Mor: {mother.name}, tlf. {mother.phone}, {mother.email}\n"
            if mother
            else f"Barn: {child.name}, cpr.nr. {child.cpr}\n"
        )
        father = hh.by_role("far")
        if father and rng.random() < 0.6:
            self.header += f"Far: {father.name}, cpr.nr. {father.cpr}, tlf. {father.phone}\n"
        self.caseworker = hh.professionals["sagsbehandler"]
        others = [c for c in CATEGORY_TEXT if c != truth.category]
        self.secondary = pick(rng, others) if rng.random() < 0.25 else None
        self.indirect_severity = rng.random() < 0.25 and hard_wording

    def problem(self) -> str:
        """Problem description: category and severity in varied words.

        A quarter of the cases mention a lesser problem of another category after the main
        one (as real grants do); with ``hard_wording`` a quarter also say the severity
        without the usual words.
        """
        rng, s, truth = self.rng, self.slots, self.truth
        parts = [_t(rng, CATEGORY_TEXT[truth.category], s)]
        if self.secondary:
            parts.append("Derudover: " + _t(rng, CATEGORY_TEXT[self.secondary], s))
        severity = SEVERITY_INDIRECT if self.indirect_severity else SEVERITY_TEXT
        parts.append(_t(rng, severity[truth.severity], s))
        return " ".join(parts)

    def documents(self, periods: list[tuple[date, date, str]]) -> list[GeneratedDocument]:
        """All documents of the case."""
        rng, truth = self.rng, self.truth
        docs: list[GeneratedDocument] = []
        if rng.random() < 0.45:
            docs.append(self._notification())
        if rng.random() < 0.6:
            docs.append(self._investigation())
        # Real journals have holes: some grant letters and action plans were never filed.
        for number, (start, end, intervention) in enumerate(periods, 1):
            if rng.random() < 0.9:
                docs.append(self._grant(number, start, end, intervention))
        if rng.random() < 0.85:
            docs.append(self._action_plan(truth.start + timedelta(days=rng.randrange(5, 40)), 1))
        if truth.enrollment_days > 300 and rng.random() < 0.5:
            docs.append(
                self._action_plan(truth.start + timedelta(days=truth.enrollment_days // 2), 2)
            )
        for k, day in enumerate(range(180, truth.enrollment_days - 30, 180), 1):
            if rng.random() < 0.8:
                docs.append(self._status(truth.start + timedelta(days=day), k))
        for k in range(rng.randrange(0, 4)):
            docs.append(
                self._mail(
                    truth.start + timedelta(days=rng.randrange(truth.enrollment_days)), k + 1
                )
            )
        if truth.discharge != "mangler":
            docs.append(self._discharge())
        for doc in docs:
            doc.as_docx = rng.random() < 0.15
        return sorted(docs, key=lambda d: (d.doc_date, d.doc_type, d.title))

    def _grant(self, number: int, start: date, end: date, intervention: str) -> GeneratedDocument:
        law = LEGAL_BASES.get(intervention, "SEL § 52, stk. 3, nr. 3")
        reason = (
            self.problem()
            if number == 1 or self.rng.random() < 0.4
            else "Forlængelse af indsatsen, da (målene endnu ikke er nået|der fortsat er behov for støtte)."
        )
        text = (
            f"Bevilling af {intervention.lower()}\n\n{self.header}\nLovgrundlag: {law}\n"
            f"Periode: {start:%d-%m-%Y} til {end:%d-%m-%Y}\nUdfører: Familiecentret, team "
            f"{self.truth.team}\n\nBegrundelse:\n{_t(self.rng, reason, self.slots)}\n\n"
            f"Sagsbehandler: {self.caseworker}, Myndighedscentret, tlf. {phone_number(self.rng)}"
        )
        title = "Bevilling" if number == 1 else f"Forlængelse-{number}"
        return GeneratedDocument("bevilling", start, title, text)

    def _action_plan(self, when: date, number: int) -> GeneratedDocument:
        rng, s = self.rng, self.slots
        goal = _t(rng, GOALS[self.truth.category], s)
        text = (
            f"Handleplan\n\n{self.header}\nUdarbejdet af: {self.caseworker}\n\n"
            f"Problemstilling:\n{self.problem()}\n\nMål:\nMål 1: {goal}\n"
            f"Mål 2: {s['barn']} trives i {self.hh.institution} og har et stabilt fremmøde.\n\n"
            f"Opfølgning: Der følges op senest (3|6) måneder efter bevillingens start."
        )
        return GeneratedDocument(
            "handleplan",
            when,
            "Handleplan" if number == 1 else "Revideret-handleplan",
            _t(rng, text, s),
        )

    def _investigation(self) -> GeneratedDocument:
        rng, s, hh = self.rng, self.slots, self.hh
        when = self.truth.start - timedelta(days=rng.randrange(20, 120))
        text = (
            f"Børnefaglig undersøgelse efter SEL § 50\n\n{self.header}\n"
            f"Baggrund:\n{self.problem()}\n\nSkole/dagtilbud:\n{s['barn']} går i "
            f"{hh.institution}, som beskriver (uro|fravær|et barn, der trækker sig).\n\n"
            f"Vurdering:\n{_t(rng, SEVERITY_TEXT[self.truth.severity], s)}\n\n"
            f"Undersøgelsen er udarbejdet af {self.caseworker}."
        )
        return GeneratedDocument(
            "boernefaglig_undersoegelse", when, "Børnefaglig-undersøgelse", _t(rng, text, s)
        )

    def _notification(self) -> GeneratedDocument:
        rng, s, hh = self.rng, self.slots, self.hh
        when = self.truth.start - timedelta(days=rng.randrange(60, 240))
        text = (
            f"Underretning\n\nFra: {hh.institution}, (klasselærer|leder|pædagog) "
            f"{pick(rng, ('Hanne', 'Søren', 'Lotte', 'Jesper'))} (Madsen|Krogh|Bech), "
            f"tlf. {phone_number(rng)}\nVedrørende: {hh.child.name}, {hh.child.cpr}, "
            f"{hh.address}\n\nVi er bekymrede for {s['barn']}. {self.problem()}"
        )
        return GeneratedDocument("underretning", when, "Underretning", _t(rng, text, s))

    def _status(self, when: date, number: int) -> GeneratedDocument:
        rng, s = self.rng, self.slots
        text = (
            f"Statusrapport\n\n{self.header}\nPeriode: indtil {when:%d-%m-%Y}\n\n"
            f"Status på mål:\n{s['barn']} og familien (har arbejdet med|arbejder fortsat med) "
            f"målene i handleplanen. (Der ses en begyndende udvikling|Udviklingen går langsomt"
            f"|Der er fremskridt på nogle områder).\n\nIndstilling: (Fortsat indsats|Forlængelse"
            f" af bevillingen|Uændret indsats)."
        )
        return GeneratedDocument("statusrapport", when, f"Statusrapport-{number}", _t(rng, text, s))

    def _mail(self, when: date, number: int) -> GeneratedDocument:
        rng, hh = self.rng, self.hh
        mother = hh.by_role("mor")
        text = (
            f"Fra: {hh.professionals['kollega'].lower()}@familiecentret.example.dk\n"
            f"Til: {mother.email if mother else 'myndighed@randers.example.dk'}\n"
            f"Emne: (Aftale|Møde|Samvær) (i næste uge|på torsdag)\n\nHej "
            f"{mother.first_name if mother else ''}\n\nTak for i dag. Vi ses igen "
            f"(tirsdag kl. 14|på torsdag kl. 9). Ring på {phone_number(rng)}, hvis "
            f"noget kommer i vejen.\n\nVenlig hilsen\n{hh.professionals['kollega']}"
        )
        return GeneratedDocument("mail", when, f"Mail-{number}", _t(rng, text, self.slots))

    def _discharge(self) -> GeneratedDocument:
        rng, s, truth = self.rng, self.slots, self.truth
        course = (
            "Forløbet har været præget af (et godt samarbejde|en svingende alliance|"
            "perioder med aflysninger)."
        )
        if truth.reflected_adjustment:
            course += (
                " Undervejs (justerede vi indsatsen|ændrede vi tilgang) efter faglig sparring."
            )
        if truth.discharge == "brugbar":
            wordings = ASSESSMENT[truth.outcome]
            if self.hard_wording:
                wordings += ASSESSMENT_HARD[truth.outcome]
            assessment = pick(rng, wordings)
        else:
            assessment = pick(rng, NO_ASSESSMENT)
        text = (
            f"Udskrivningsrapport\n\n{self.header}\nForløb: {truth.start:%d-%m-%Y} til "
            f"{truth.end:%d-%m-%Y}, team {truth.team}\n\nForløbet:\n{course}\n\n"
            f"Mål i handleplanen:\nMål 1: {_t(rng, GOALS[truth.category], s)}\n\n"
            f"{assessment}\n\nAnbefalinger: (Ingen yderligere|Opfølgning ved myndighed"
            f"|Tilbud om netværksgruppe)."
        )
        return GeneratedDocument(
            "udskrivningsrapport", truth.end, "Udskrivningsrapport", _t(rng, text, s)
        )
