"""Synthetic (invented) persons: names, CPR numbers, addresses, phones, e-mails, institutions.

Names and street names are drawn from lists shipped in ``effektspor/data/synthetic``
(subsets of Danmarks Statistik's name statistics via OS2datascanner, MPL-2.0; see NOTICE.md).
Everything is random and seeded: no generated person is a real person.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources
from random import Random

from effektspor.synthetic.templates import pick

#: Postcodes and towns around Randers with the residence type (bopæl) they stand for.
TOWNS: tuple[tuple[str, str, str], ...] = (
    ("8900", "Randers C", "by"),
    ("8920", "Randers NV", "forstad"),
    ("8930", "Randers NØ", "forstad"),
    ("8940", "Randers SV", "forstad"),
    ("8960", "Randers SØ", "forstad"),
    ("8870", "Langå", "land"),
    ("8950", "Ørsted", "land"),
    ("8961", "Allingåbro", "land"),
    ("8970", "Havndal", "land"),
    ("8981", "Spentrup", "land"),
    ("8983", "Gjerlev J", "land"),
    ("8990", "Fårup", "land"),
)

SCHOOLS = (
    "Vestervangsskolen",
    "Østervangsskolen",
    "Nørrevangsskolen",
    "Søndervangsskolen",
    "Bakkegårdsskolen",
    "Tirsdalens Skole",
    "Ege Skole",
    "Fårup Skole",
    "Langå Skole",
    "Kristrup Skole",
    "Vorup Skole",
    "Havndal Skole",
    "Assentoft Skole",
    "Spentrup Skole",
    "Rismølleskolen",
    "Lystrup Privatskole",
)
DAYCARE_NAMES = (
    "Børnehuset Mælkebøtten",
    "Vuggestuen Solsikken",
    "Børnehaven Troldehøj",
    "Børnehuset Regnbuen",
    "Vuggestuen Lærkereden",
    "Børnehaven Skovly",
    "Børnehuset Spiren",
    "Dagplejen i Vorup",
    "Børnehaven Myretuen",
    "Vuggestuen Humlebien",
    "Børnehuset Kastanjen",
    "Børnehaven Søstjernen",
)
MAIL_DOMAINS = ("gmail.com", "hotmail.com", "live.dk", "outlook.dk", "mail.dk", "yahoo.dk")
FLOORS = ("st. th.", "st. tv.", "1. th.", "1. tv.", "2. th.", "2. tv.", "3. mf.", "4. th.")


@cache
def _names(file: str) -> tuple[str, ...]:
    text = resources.files("effektspor").joinpath("data", "synthetic", file).read_text("utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def girls() -> tuple[str, ...]:
    """Girls' first names."""
    return _names("fornavne_piger.txt")


def boys() -> tuple[str, ...]:
    """Boys' first names."""
    return _names("fornavne_drenge.txt")


def women() -> tuple[str, ...]:
    """Women's first names (the parents' generation)."""
    return _names("fornavne_kvinder.txt")


def men() -> tuple[str, ...]:
    """Men's first names (the parents' generation)."""
    return _names("fornavne_maend.txt")


def surnames() -> tuple[str, ...]:
    """Surnames, including word-like ones (Skov, Storm, Lund ...)."""
    return _names("efternavne.txt")


def streets() -> tuple[str, ...]:
    """Danish street names."""
    return _names("vejnavne.txt")


# --- CPR numbers -------------------------------------------------------------------------

_WEIGHTS = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)


def century_digit(rng: Random, birth: date) -> int:
    """A 7th digit that is consistent with the CPR century rule for ``birth``."""
    yy, year = birth.year % 100, birth.year
    if 1900 <= year <= 1999:
        options = [0, 1, 2, 3] + ([4, 9] if yy >= 37 else [])
    elif 2000 <= year <= 2036:
        options = [4, 9] + list(range(5, 9))
    elif 2037 <= year <= 2057:
        options = list(range(5, 9))
    else:
        options = list(range(5, 9))  # 1858-1899
    return pick(rng, options)


def birth_from_cpr(cpr: str) -> date:
    """The birth date a CPR number (DDMMYY-SSSS) stands for under the century rule."""
    digits = cpr.replace("-", "")
    day, month, yy, seventh = int(digits[0:2]), int(digits[2:4]), int(digits[4:6]), int(digits[6])
    if seventh <= 3:
        century = 1900
    elif seventh in (4, 9):
        century = 2000 if yy <= 36 else 1900
    else:
        century = 2000 if yy <= 57 else 1800
    return date(century + yy, month, day)


def modulus11_ok(cpr: str) -> bool:
    """True if the CPR number passes the (pre-2007) modulus-11 check."""
    digits = [int(c) for c in cpr.replace("-", "")]
    return sum(w * d for w, d in zip(_WEIGHTS, digits, strict=True)) % 11 == 0


def make_cpr(rng: Random, birth: date, *, female: bool, modulus11: bool) -> str:
    """A fake CPR number for ``birth`` and sex, with or without a valid modulus-11 check."""
    head = birth.strftime("%d%m%y")
    for _ in range(200):
        serial = [century_digit(rng, birth), rng.randrange(10), rng.randrange(10)]
        digits = [int(c) for c in head] + serial
        if modulus11:
            rest = sum(w * d for w, d in zip(_WEIGHTS, digits, strict=False)) % 11
            last = (11 - rest) % 11
            if last == 10 or (last % 2 == 0) != female:
                continue
        else:
            last = pick(rng, (0, 2, 4, 6, 8) if female else (1, 3, 5, 7, 9))
            if modulus11_ok(head + "".join(map(str, serial)) + str(last)):
                continue
        return f"{head}-{''.join(map(str, serial))}{last}"
    raise RuntimeError("could not make a CPR number")  # pragma: no cover


# --- persons and households --------------------------------------------------------------


@dataclass(slots=True)
class Person:
    """One invented person of a case."""

    role: str
    first_name: str
    surname: str
    birth: date
    female: bool
    cpr: str
    phone: str | None = None
    email: str | None = None

    @property
    def name(self) -> str:
        """Full name."""
        return f"{self.first_name} {self.surname}"


@dataclass(slots=True)
class Household:
    """The invented family of a case: persons, address, school or day care, professionals."""

    persons: list[Person]
    street: str
    house_number: str
    floor: str | None
    postcode: str
    town: str
    residence: str
    institution: str
    professionals: dict[str, str] = field(default_factory=dict)

    @property
    def child(self) -> Person:
        """The child the case is about."""
        return self.persons[0]

    def by_role(self, role: str) -> Person | None:
        """The first person with ``role``, if any."""
        return next((p for p in self.persons if p.role == role), None)

    @property
    def address(self) -> str:
        """Street address with floor, postcode and town."""
        floor = f", {self.floor}" if self.floor else ""
        return f"{self.street} {self.house_number}{floor}, {self.postcode} {self.town}"

    def to_json(self) -> dict:
        """The household as plain data (for the truth file)."""
        return {
            "personer": [
                {**asdict(p), "birth": p.birth.isoformat(), "navn": p.name} for p in self.persons
            ],
            "adresse": self.address,
            "institution": self.institution,
            "fagpersoner": self.professionals,
        }


def phone_number(rng: Random) -> str:
    """A Danish 8-digit phone number in one of the common ways of writing it."""
    digits = f"{pick(rng, '2345')}{rng.randrange(10)}{rng.randrange(1000000):06d}"
    style = rng.random()
    if style < 0.45:
        return " ".join(digits[i : i + 2] for i in range(0, 8, 2))
    if style < 0.7:
        return "+45 " + " ".join(digits[i : i + 2] for i in range(0, 8, 2))
    if style < 0.85:
        return f"{digits[:4]} {digits[4:]}"
    return digits


def _email(rng: Random, first: str, surname: str) -> str:
    local = pick(
        rng, (f"{first}.{surname}", f"{first}{surname[:1]}", f"{first}{rng.randrange(60, 99)}")
    )
    local = local.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa").replace(" ", "")
    return f"{local}@{pick(rng, MAIL_DOMAINS)}"


def _birth(rng: Random, first_year: int, last_year: int) -> date:
    start = date(first_year, 1, 1)
    return start + timedelta(days=rng.randrange((date(last_year, 12, 31) - start).days))


def make_household(rng: Random, case_start: date) -> Household:
    """An invented family: child, parents (one or two), maybe a sibling; address; institution."""
    female_child = rng.random() < 0.5
    child_birth = _birth(rng, case_start.year - 15, case_start.year - 2)
    family_name = pick(rng, surnames())
    child = Person(
        "barn",
        pick(rng, girls() if female_child else boys()),
        family_name,
        child_birth,
        female_child,
        "",
    )
    mother_name = family_name if rng.random() < 0.6 else pick(rng, surnames())
    mother = Person(
        "mor",
        pick(rng, women()),
        mother_name,
        _birth(rng, child_birth.year - 40, child_birth.year - 19),
        True,
        "",
    )
    father = Person(
        "far",
        pick(rng, men()),
        family_name if rng.random() < 0.7 else pick(rng, surnames()),
        _birth(rng, child_birth.year - 45, child_birth.year - 20),
        False,
        "",
    )
    persons = [child, mother, father]
    if rng.random() < 0.45:
        female = rng.random() < 0.5
        persons.append(
            Person(
                "søskende",
                pick(rng, girls() if female else boys()),
                family_name,
                _birth(rng, child_birth.year - 4, min(child_birth.year + 4, case_start.year - 1)),
                female,
                "",
            )
        )
    for person in persons:
        person.cpr = make_cpr(rng, person.birth, female=person.female, modulus11=rng.random() < 0.6)
        if person.role in ("mor", "far"):
            person.phone = phone_number(rng)
            person.email = _email(rng, person.first_name, person.surname)
    postcode, town, residence = pick(rng, TOWNS)
    age = case_start.year - child_birth.year
    institution = pick(rng, DAYCARE_NAMES) if age < 6 else pick(rng, SCHOOLS)
    floor = pick(rng, FLOORS) if residence != "land" and rng.random() < 0.6 else None
    professionals = {
        "sagsbehandler": f"{pick(rng, women() + men())} {pick(rng, surnames())}",
        "kollega": pick(rng, women() + men()),
        "leder": f"{pick(rng, women())} {pick(rng, surnames())}",
    }
    return Household(
        persons,
        pick(rng, streets()),
        str(rng.randrange(1, 140))
        + (pick(rng, ("", "", "", "A", "B")) if rng.random() < 0.3 else ""),
        floor,
        postcode,
        town,
        residence,
        institution,
        professionals,
    )
